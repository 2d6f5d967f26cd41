"""From a block of posting text to a :class:`~kg.models.Posting`, and from files to postings.

Pure functions over text: read, split, match, decide levels, collect facts,
then flag identical postings as duplicates of the first.
"""

from __future__ import annotations

import hashlib
import html
import logging
import re
from collections.abc import Iterable

from kg.errors import InputError
from kg.extract import entities, facts, sections
from kg.extract.markdown import looks_like_title
from kg.extract.matcher import LabelMatcher, skill_matcher
from kg.extract.readers import MAX_LINE, Block, Line, Source, split_source
from kg.extract.scan import DEGREE, IMPLIED_PREFERRED, LANGUAGE, MONEY, Findings, Hints, house_skills, scan, scan_title
from kg.extract.sections import Section
from kg.extract.vocabulary import Vocabulary, load_vocabulary
from kg.extract.when_where import when_and_where
from kg.models import PREFERRED, REQUIRED, Level, Posting, SkillMention

log = logging.getLogger(__name__)

_LINK = re.compile(r"\[([^\]\[\n]{0,200})\]\([^()\s]{0,300}\)")
_URL = re.compile(r"\b(?:https?://|www\.)\S+")
_EMPHASIS = re.compile(r"\*{1,3}|`+|(?<!\w)_{1,3}|_{1,3}(?!\w)")
_LIST_ITEM = re.compile(r"^[ \t]*(?:[-*+•]|\d{1,3}[.)])[ \t]")
_MARKER = re.compile(r"^[ \t]*(?:[-*+•][ \t]+|\d{1,3}[.)][ \t]+|#{1,6}[ \t]+)?")


def clean_line(text: str) -> str:
    """A line without markdown links, URLs, emphasis, list markers and HTML entities."""
    if "](" in text:
        text = _LINK.sub(r"\1", text)
    if "://" in text or "www." in text:
        text = _URL.sub(" ", text)
    if "*" in text or "`" in text or "_" in text:
        text = _EMPHASIS.sub("", text)
    if "&" in text and ";" in text:
        text = html.unescape(text)
    return _MARKER.sub("", text).strip()


def content_key(block: Block, cleaned: list[str] | None = None) -> str:
    """A stable id from a block's text: the same words in the same order give the same key.

    ``cleaned`` are the block's lines already passed through :func:`clean_line`.
    """
    texts = cleaned if cleaned is not None else (clean_line(line.text) for line in block.lines)
    words = (" ".join(text.casefold().split()) for text in texts)
    return hashlib.sha256("".join(w + "\n" for w in words if w).encode("utf-8")).hexdigest()[:16]


def skills_matcher(vocab: Vocabulary) -> LabelMatcher:
    """The skill matcher of a vocabulary, built once and cached on it."""
    matcher = vocab.cache.get("skills")
    if matcher is None:
        matcher = vocab.cache["skills"] = skill_matcher(vocab.skills.values())
    return matcher


def _domains(vocab: Vocabulary) -> LabelMatcher:
    matcher = vocab.cache.get("domains")
    if matcher is None:
        labels = [(label, c.iri) for c in sorted(vocab.domains.values(), key=lambda c: c.iri) for label in c.labels]
        matcher = vocab.cache["domains"] = LabelMatcher(labels)
    return matcher


def analyse_block(block: Block, vocab: Vocabulary) -> Posting:
    """Everything extraction finds in one block: title, role, company, domain, skills and facts."""
    cleaned = [(line, clean_line(line.text)) for line in block.lines]
    key = content_key(block, [text for _, text in cleaned])
    title, title_line, cleaned = _take_title(block, cleaned)
    title_company = block.company
    if title:
        title, from_title = entities.split_title(title, vocab)
        title_company = title_company or from_title
    cleaned = [(line, text) for line, text in cleaned if text]
    texts = [text for _, text in cleaned]
    company, company_iri = entities.find_company(texts, title_company, vocab)
    found = Findings(salary=block.salary, names=_company_names(company, company_iri, title_company, vocab))
    state = sections.DEFAULT
    matcher = skills_matcher(vocab)
    found.house = house_skills(tuple(n for n in (company, title_company) if n), matcher)
    named = scan_title(title, title_line, matcher, found) if title else set()
    hints = Hints.of(texts)
    bachelor = False
    for (line, text), flags, matches in zip(cleaned, hints.flags, matcher.find_lines(texts)):
        if found.salary is None and flags & MONEY:
            found.salary = facts.find_salary(text)
        item = _LIST_ITEM.match(line.text) is not None
        state, segments = sections.split_headers(text, state, item=item)
        degrees = facts.find_degrees(text) if flags & DEGREE else set()
        for segment, section, _ in segments:
            if line.hint:
                section = Section(line.hint, True)
            found.headed |= section.explicit
            if not section.skip:
                whole = segment == text
                if flags & DEGREE:
                    found.degrees |= degrees if whole else facts.find_degrees(segment)
                if flags & LANGUAGE:
                    found.languages |= facts.find_languages(segment)
                scan(segment, section, line.number, matches if whole else matcher.find(segment), found, flags)
        if item and not state.explicit and not state.skip and degrees:
            if "Bachelor" in degrees:
                bachelor = True
            elif bachelor and degrees & {"Master", "PhD"} and not sections.asks_firmly(text):
                state = IMPLIED_PREFERRED  # "BS in EE ..." then "MS or PhD in EE": the preferred part begins

    role, role_iri = entities.find_role(title, texts, vocab)
    return Posting(
        id=key,
        source=block.source,
        line=block.start,
        end_line=block.end,
        title=title,
        role=role,
        role_iri=role_iri,
        company=company,
        company_iri=company_iri,
        domain=block.domain_path[-1] if block.domain_path else None,
        domain_iri=_domain_iri(block.domain_path, vocab),
        skills=_consolidate(found, vocab, named),
        min_years=max(found.years) if found.years else None,
        degrees=facts.degree_order(found.degrees),
        languages=sorted(found.languages),
        salary=found.salary,
        **when_and_where(block, cleaned),
    )


def _take_title(block: Block, cleaned: list[tuple[Line, str]]) -> tuple[str | None, int, list[tuple[Line, str]]]:
    """The posting's title (from the block, else a first line that reads like one), its line, and the lines after it."""
    if block.title is not None:
        titled_bullet = bool(block.lines) and block.lines[0].text.lstrip().startswith("+")
        return block.title, block.start, cleaned[1:] if titled_bullet else cleaned
    first = next((i for i, (_, text) in enumerate(cleaned) if text), None)
    if first is not None and looks_like_title(cleaned[first][1]):
        return cleaned[first][1], cleaned[first][0].number, cleaned[first + 1 :]
    return None, block.start, cleaned


def _company_names(company: str | None, iri: str | None, written: str | None, vocab: Vocabulary) -> tuple[str, ...]:
    """The names a posting's company goes by, to recognise sentences about the company."""
    names = {n for n in (company, written) if n}
    if iri and iri in vocab.companies:
        names.update(vocab.companies[iri].labels)
    return tuple(sorted(names, key=len, reverse=True))


def _consolidate(found: Findings, vocab: Vocabulary, titled: set[str]) -> list[SkillMention]:
    """One mention per skill, required if any counted mention is, or if the title names it.

    In a posting with required/preferred headers, text outside them (an intro,
    responsibilities) counts only for skills that no header or cue speaks of.
    """
    out = []
    for iri, mentions in found.mentions.items():
        chosen = [m for m in mentions if m.weight == 2] if found.headed else []
        chosen = chosen or mentions
        level: Level = REQUIRED if iri in titled or any(m.level == REQUIRED for m in chosen) else PREFERRED
        line = min((m.line for m in chosen if m.level == level), default=min(m.line for m in chosen))
        years = [m.years for m in mentions if m.years is not None]
        out.append(SkillMention(vocab.skill_label(iri), iri, level, line, max(years) if years else None))
    out.sort(key=lambda m: (m.line, m.label.casefold(), m.iri))
    return out


def _domain_iri(path: tuple[str, ...], vocab: Vocabulary) -> str | None:
    """The vocabulary domain of the nearest heading that names one."""
    if not path or not vocab.domains:
        return None
    known = vocab.cache.setdefault("domain-of-path", {})
    if path not in known:
        if len(known) > 10_000:
            known.clear()
        known[path] = _nearest_domain(path, vocab)
    found: str | None = known[path]
    return found


def _nearest_domain(path: tuple[str, ...], vocab: Vocabulary) -> str | None:
    by_label = vocab.cache.get("domain-labels")
    if by_label is None:
        by_label = vocab.cache["domain-labels"] = {
            label.casefold(): c.iri for c in sorted(vocab.domains.values(), key=lambda c: c.iri) for label in c.labels
        }
    for heading in reversed(path):
        exact: str | None = by_label.get(heading.casefold())
        if exact:
            return exact
        matches = _domains(vocab).find(heading)
        if matches:
            return max(matches, key=lambda m: (m.end - m.start, -m.start)).iri
    return None


def mark_duplicates(postings: list[Posting]) -> list[Posting]:
    """Flag each posting whose content key was seen before; give it a distinct id."""
    seen: dict[str, int] = {}
    for posting in postings:
        key = posting.id
        if key in seen:
            seen[key] += 1
            posting.duplicate_of = key
            posting.id = f"{key}-{seen[key]}"
        else:
            seen[key] = 1
    return postings


def postings_of(source: Source, vocab: Vocabulary, *, max_line: int | None = MAX_LINE) -> list[Posting]:
    """The postings of one decoded source, duplicates not yet flagged."""
    return [analyse_block(block, vocab) for block in split_source(source, max_line=max_line)]


def extract_text(
    text: str,
    source: str = "-",
    *,
    vocab: Vocabulary | None = None,
    max_line: int | None = MAX_LINE,
) -> list[Posting]:
    """The postings in a text, read as a file named ``source`` would be.

    Raises:
        InputError: the text is empty or has a line longer than ``max_line``.
    """
    if not text.strip():
        raise InputError(f"{source}: is empty")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return mark_duplicates(postings_of(Source(source, text), vocab or load_vocabulary(), max_line=max_line))


def extract_sources(
    sources: Iterable[Source], *, vocab: Vocabulary | None = None, max_line: int | None = MAX_LINE
) -> list[Posting]:
    """The postings of several decoded sources, duplicates flagged across all of them."""
    vocab = vocab or load_vocabulary()
    postings: list[Posting] = []
    for source in sources:
        postings.extend(postings_of(source, vocab, max_line=max_line))
    return mark_duplicates(postings)

