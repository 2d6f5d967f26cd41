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
from dataclasses import dataclass, field

from kg.errors import InputError
from kg.extract import entities, facts, sections
from kg.extract.markdown import looks_like_title
from kg.extract.matcher import LabelMatcher, skill_matcher
from kg.extract.readers import MAX_BYTES, MAX_LINE, Block, Source, read_source, split_source
from kg.extract.sections import Section
from kg.extract.vocabulary import Vocabulary, load_vocabulary
from kg.models import PREFERRED, REQUIRED, Level, Posting, Salary, SkillMention

log = logging.getLogger(__name__)

_LINK = re.compile(r"\[([^\]\n]{0,300})\]\([^)\s]{0,500}\)")
_URL = re.compile(r"\b(?:https?://|www\.)\S+")
_EMPHASIS = re.compile(r"\*{1,3}|`+|(?<!\w)_{1,3}|_{1,3}(?!\w)")
_EXPERIENCE = re.compile(r"experience|skill|knowledge|proficien|familiar", re.IGNORECASE)
_HIRING = re.compile(r"\b(?:looking|hiring|seeking|searching|recruiting)\b")
_NOT_ASKED = re.compile(  # what follows a skill that names a product or a team, not a requirement
    r"(?:/[\w+#.-]{1,20}){0,3}\s{1,3}(?:designs|products|processors|chips|accelerators|devices|"
    r"teams?|groups?|organi[sz]ations?|departments?|divisions?|consultants)\b"
)
_TEAM_LIST = re.compile(r"\b(?:teams?|groups?|consultants|departments?)\s{0,2}\([^()]{0,120}$")
_LANGUAGE_AFTER = re.compile(r"\s{0,2}languages?\b", re.IGNORECASE)
_MARKER = re.compile(r"^[ \t]*(?:[-*+•][ \t]+|\d{1,3}[.)][ \t]+|#{1,6}[ \t]+)?")


@dataclass
class _Mention:
    level: Level
    weight: int  # 2: under a required/preferred header or with a clause cue; 1: plain text
    line: int
    years: int | None


@dataclass
class _Findings:
    """What the scan of one posting collects."""

    salary: Salary | None = None
    names: tuple[str, ...] = ()
    mentions: dict[str, list[_Mention]] = field(default_factory=dict)
    years: list[int] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    headed: bool = False


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


def content_key(block: Block) -> str:
    """A stable id from a block's text: the same words in the same order give the same key."""
    digest = hashlib.sha256()
    for line in block.lines:
        words = " ".join(clean_line(line.text).casefold().split())
        if words:
            digest.update(words.encode("utf-8") + b"\n")
    return digest.hexdigest()[:16]


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
    title = block.title
    if title is not None:
        if block.lines and block.lines[0].text.lstrip().startswith("+"):
            cleaned = cleaned[1:]
    else:
        first = next((i for i, (_, text) in enumerate(cleaned) if text), None)
        if first is not None and looks_like_title(cleaned[first][1]):
            title, cleaned = cleaned[first][1], cleaned[first + 1 :]
    title_company = block.company
    if title:
        title, from_title = entities.split_title(title, vocab)
        title_company = title_company or from_title
    texts = [text for _, text in cleaned if text]
    company, company_iri = entities.find_company(texts, title_company, vocab)
    found = _Findings(salary=block.salary, names=_company_names(company, company_iri, title_company, vocab))
    state = sections.DEFAULT
    matcher = skills_matcher(vocab)
    for line, text in cleaned:
        if not text:
            continue
        if found.salary is None:
            found.salary = facts.find_salary(text)
        state, segments = sections.split_headers(text, state)
        for segment, section, _ in segments:
            if line.hint:
                section = Section(line.hint, True)
            found.headed |= section.explicit
            if not section.skip:
                found.kept.append(segment)
                _scan(segment, section, line.number, matcher, found)

    role, role_iri = entities.find_role(title, texts, vocab)
    return Posting(
        id=content_key(block),
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
        skills=_consolidate(found, vocab),
        min_years=max(found.years) if found.years else None,
        degrees=facts.degree_order(facts.find_degrees("\n".join(found.kept))),
        languages=sorted(facts.find_languages_by_line(found.kept)),
        salary=found.salary,
    )


def _company_names(company: str | None, iri: str | None, written: str | None, vocab: Vocabulary) -> tuple[str, ...]:
    """The names a posting's company goes by, to recognise sentences about the company."""
    names = {n for n in (company, written) if n}
    if iri and iri in vocab.companies:
        names.update(vocab.companies[iri].labels)
    return tuple(sorted(names, key=len, reverse=True))


def _about_company(body: str, names: tuple[str, ...]) -> bool:
    """True for a sentence that describes the company ("Acme builds ...", "At Acme, we ...")."""
    text = body.lstrip(" \t-*•")
    if text.startswith(("At ", "at ")):
        text = text[3:]
    for name in names:
        if text.startswith(name) and not text[len(name) : len(name) + 1].isalnum():
            return _HIRING.search(text, 0, 200) is None
    return False


def _scan(text: str, section: Section, number: int, matcher: LabelMatcher, found: _Findings) -> None:
    """Record the skills and years of one segment under the levels of its clauses."""
    if found.names and _about_company(text, found.names):
        return
    matches = matcher.find(text)
    boilerplate = sections.is_boilerplate(text)
    for clause in sections.clauses(text):
        body = text[clause.start : clause.end]
        if boilerplate and sections.is_boilerplate(body):
            continue
        level = clause.level or section.level
        weight = 2 if clause.level is not None or section.explicit else 1
        years = facts.find_years(body)
        if years and level == REQUIRED:
            found.years.extend(y.years for y in years)
        inside = [m for m in matches if clause.start <= m.start < clause.end]
        if not inside:
            continue
        degree = facts.degree_start(body)
        human = _LANGUAGE_AFTER.search(body) is not None and bool(facts.find_languages(body))
        for match in inside:
            if not _asked(text, match.start, match.end, human):
                continue
            offset = match.start - clause.start
            if degree is not None and offset > degree and not _EXPERIENCE.search(body, degree, offset):
                continue
            stated = [y.years for y in years if y.start <= offset]
            mention = _Mention(level, weight, number, max(stated) if stated else None)
            found.mentions.setdefault(match.iri, []).append(mention)


def _asked(text: str, start: int, end: int, human: bool) -> bool:
    """False for a skill named as a product or team ("AI processors", "ML teams"), as a team's
    field ("consultants (Big Data, IoT)"), or as a human language's label ("Communication Language:")."""
    if _NOT_ASKED.match(text, end) or _TEAM_LIST.search(text, max(0, start - 120), start):
        return False
    return not (human and _LANGUAGE_AFTER.match(text, end))


def _consolidate(found: _Findings, vocab: Vocabulary) -> list[SkillMention]:
    """One mention per skill, required if any counted mention is.

    In a posting with required/preferred headers, text outside them (an intro,
    responsibilities) counts only for skills that no header or cue speaks of.
    """
    out = []
    for iri, mentions in found.mentions.items():
        chosen = [m for m in mentions if m.weight == 2] if found.headed else []
        chosen = chosen or mentions
        level: Level = REQUIRED if any(m.level == REQUIRED for m in chosen) else PREFERRED
        line = min(m.line for m in chosen if m.level == level)
        years = [m.years for m in mentions if m.years is not None]
        out.append(SkillMention(vocab.skill_label(iri), iri, level, line, max(years) if years else None))
    out.sort(key=lambda m: (m.line, m.label.casefold(), m.iri))
    return out


def _domain_iri(path: tuple[str, ...], vocab: Vocabulary) -> str | None:
    """The vocabulary domain of the nearest heading that names one."""
    if not path or not vocab.domains:
        return None
    by_label = vocab.cache.get("domain-labels")
    if by_label is None:
        by_label = vocab.cache["domain-labels"] = {
            label.casefold(): c.iri for c in sorted(vocab.domains.values(), key=lambda c: c.iri) for label in c.labels
        }
    for heading in reversed(path):
        exact = by_label.get(heading.casefold())
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


def read_all(paths: Iterable[str], *, max_bytes: int | None = MAX_BYTES) -> list[Source]:
    """Read and decode every path (``-`` is stdin), failing on the first bad one."""
    return [read_source(path, max_bytes=max_bytes) for path in paths]
