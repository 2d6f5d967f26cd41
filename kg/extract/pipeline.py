"""From a block of posting text to a :class:`~kg.models.Posting`, and from files to postings.

Pure functions over text: read, split, match, decide levels, collect facts,
then flag identical postings as duplicates of the first.
"""

from __future__ import annotations

import gc
import logging
import re
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache

from kg.errors import InputError
from kg.extract import entities, facts, sections
from kg.extract.blocks import LONGEST_KEPT, MAX_POSTING, Block, Line, Source, bounded
from kg.extract.clean import Cleaned, clean, content_key
from kg.extract.context import Match
from kg.extract.job_nouns import JOB_NOUN, ends_in_job_noun
from kg.extract.markdown import looks_like_title
from kg.extract.places import names_city
from kg.extract.readers import MAX_LINE, split_source
from kg.extract.reading import read_with
from kg.extract.scan import (
    DEGREE,
    IMPLIED_PREFERRED,
    LANGUAGE,
    MONEY,
    Findings,
    Hints,
    Mention,
    house_skills,
    scan,
    scan_title,
)
from kg.extract.sections import Section
from kg.extract.tagger import Reading, Row, bundled_tagger
from kg.extract.vocabulary import Vocabulary, load_vocabulary
from kg.extract.when_where import card_company, when_and_where
from kg.models import PREFERRED, REQUIRED, Level, Posting, SkillMention, TextSpan

log = logging.getLogger(__name__)

_LIST_ITEM = re.compile(r"^[ \t]*(?:[-*+•]|\d{1,3}[.)])[ \t]")


def analyse_block(block: Block, vocab: Vocabulary, trace: list[tuple[int, Cleaned, Row]] | None = None, *,
                  unknown: bool = True) -> Posting:
    """Everything extraction finds in one block: title, role, company, domain, skills and facts.

    ``trace``: collect the lines as the tagger reads them (source line, clean form, row), to train it.
    ``unknown``: also read the unknown terms (``Posting.unknown``); without them, the rest is the same.
    """
    return analyse_blocks([block], vocab, trace, unknown=unknown)[0]


def analyse_blocks(
    blocks: Sequence[Block], vocab: Vocabulary, trace: list[tuple[int, Cleaned, Row]] | None = None, *,
    unknown: bool = True
) -> list[Posting]:
    """``[analyse_block(b) for b in blocks]``, with the tagger reading the lines of all of them at once.

    Without ``unknown``, the tagger reads only the lines where a mention stands: what it reads elsewhere
    gives only unknown terms (a line's reading depends on the other lines only through features computed from
    all of them anyway)."""
    with _collector_paused():
        drafts = [_draft(block, vocab, trace) for block in blocks]
        tagger = bundled_tagger() if vocab.wide else None
        only = None if unknown else [_mentioned_rows(draft.found) for draft in drafts]
        readings = (tagger.read_many([d.rows for d in drafts], vocab.skills, only)
                    if tagger is not None and drafts else [])
        return [_finish(draft, readings[n] if readings else None, vocab, unknown) for n, draft in enumerate(drafts)]


def _mentioned_rows(found: Findings) -> set[int]:
    """The lines (rows) of a posting where a mention the tagger weighs stands."""
    return {mention.row for mentions in found.mentions.values() for mention in mentions if mention.row >= 0}


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cycle collector off while a batch is analysed: the analysis makes no reference cycles (reference
    counting frees what it makes), but it makes many objects, and each collection would walk every object alive,
    the vocabulary and the bounded caches of lines read included (a fifth of the time of a large text).

    At the end, what the batch made and kept (its postings, the caches' new entries) joins the oldest generation
    without being walked (frozen, then unfrozen at once: both move whole lists), instead of in the collection
    its count of new objects would start at once (5% of the time). Not where another part of the program keeps
    objects frozen (``gc.freeze`` before a fork): unfreezing would undo it."""
    paused = gc.isenabled()
    if paused:
        gc.disable()
    try:
        yield
    finally:
        if paused:
            if not gc.get_freeze_count():
                gc.freeze()
                gc.unfreeze()
            gc.enable()


@dataclass
class _Draft:
    """What the rules read of one block, before the tagger has read its lines."""

    block: Block
    key: str
    title: str | None
    title_map: tuple[str, Cleaned]
    company: str | None
    company_iri: str | None
    found: Findings
    named: set[str]
    cleaned: list[tuple[Line, Cleaned]]
    rows: list[Row]
    read: set[int]  # the lines whose text is read for skills (not a header, a job title or a skipped section)


def _draft(block: Block, vocab: Vocabulary, trace: list[tuple[int, Cleaned, Row]] | None) -> _Draft:
    every = [(line, clean(line.text)) for line in block.lines]
    key = content_key(block, [c.text for _, c in every])
    title, title_line, title_map, every = _take_title(block, every, vocab)
    title_company = block.company
    if title is None and (hiring := _hiring_title(every)) is not None:
        title, hired_by, title_line, title_map = hiring
        title_company = title_company or hired_by
    if title is None and (card := _card_title(every, vocab)) is not None:
        title, title_company, title_line, title_map, every = card
    if title:
        title, from_title = entities.split_title(title, vocab)
        title_company = title_company or from_title
    if title and title_company is None:
        title_company = _card_name(card_company([c.text for _, c in every if c.text][:2]), vocab)
    cleaned = [(line, c) for line, c in every if c.text]
    texts = [c.text for _, c in cleaned]
    company, company_iri = entities.find_company(texts, title_company, vocab)
    found = Findings(salary=block.salary, names=_company_names(company, company_iri, title_company, vocab))
    state = sections.DEFAULT
    matcher = vocab.matcher("skills")
    found.house = house_skills(tuple(n for n in (company, title_company) if n), matcher)
    named = scan_title(title, title_line, matcher, found) if title else set()
    hints = Hints.of(texts)
    bachelor = False
    rows: list[Row] = []
    read: set[int] = set()
    lines = zip(cleaned, texts, hints.flags, matcher.find_lines(texts))
    for row, ((line, _), text, flags, matches) in enumerate(lines):
        before = state
        if found.salary is None and flags & MONEY:
            found.salary = facts.find_salary(text)
        item = _LIST_ITEM.match(line.text) is not None
        state, segments = sections.split_headers(text, state, item=item)
        rows.append(Row(text, matches, before, not segments))
        degrees = facts.find_degrees(text) if flags & DEGREE else set()
        if _reads_as_title(text) and not _names_tool(text, matches):
            continue  # "Senior DevOps Engineer" in the text names a job, not a skill it asks for ("Adobe Illustrator")
        for segment, section, offset in segments:
            if line.hint:
                section = Section(line.hint, True)
            found.headed |= section.explicit
            if not section.skip:
                read.add(row)
                whole = segment == text
                if flags & DEGREE:
                    found.degrees |= degrees if whole else facts.find_degrees(segment)
                if flags & LANGUAGE:
                    found.languages |= facts.find_languages(segment)
                where = (line.number, row, offset)
                scan(segment, section, where, matches if whole else _within(matches, offset, len(segment)), found,
                     flags)
        if item and not state.explicit and not state.skip and degrees:
            if "Bachelor" in degrees:
                bachelor = True
            elif bachelor and degrees & {"Master", "PhD"} and not sections.asks_firmly(text):
                state = IMPLIED_PREFERRED  # "BS in EE ..." then "MS or PhD in EE": the preferred part begins

    if trace is not None:
        trace += [(line.number, c, r) for (line, c), r in zip(cleaned, rows)]
    return _Draft(block, key, title, title_map, company, company_iri, found, named, cleaned, rows, read)


def _within(matches: list[Match], offset: int, size: int) -> list[Match]:
    """The matches of a line that fall in its segment ``offset:offset + size``, placed in the segment.

    Read in the whole line, not in the segment alone: the header the line opens with is the context of the names
    after it ("Nice to have: R or pandas": alone, "R" opens a sentence and "pandas" is an everyday word), and the
    tagger reads the line's matches too."""
    end = offset + size
    return [m._replace(start=m.start - offset, end=m.end - offset)
            for m in matches if offset <= m.start and m.end <= end]


def _finish(draft: _Draft, reading: Reading | None, vocab: Vocabulary, terms: bool = True) -> Posting:
    """The posting of a draft, once the tagger (if any) has read its lines (``terms``: its unknown terms too)."""
    block, found, cleaned = draft.block, draft.found, draft.cleaned
    places = [(line.text, c) for line, c in cleaned]
    unknown = (read_with(reading, draft.read, found, vocab.skills, terms, chosen=vocab.chosen)
               if reading is not None else [])
    role, role_iri = entities.find_role(draft.title, [c.text for _, c in cleaned], vocab)
    return Posting(
        id=draft.key,
        source=block.source,
        line=block.start,
        end_line=block.end,
        title=draft.title,
        role=role,
        role_iri=role_iri,
        company=draft.company,
        company_iri=draft.company_iri,
        domain=block.domain_path[-1] if block.domain_path else None,
        domain_iri=_domain_iri(block.domain_path, vocab),
        skills=_consolidate(found, vocab, draft.named, places, draft.title_map),
        min_years=max(found.years) if found.years else None,
        degrees=facts.degree_order(found.degrees),
        languages=sorted(found.languages),
        salary=found.salary,
        unknown=[_span(Mention(REQUIRED, 0, cleaned[row][0].number, None, row, start, end), places[row])
                 for row, start, end in unknown if not names_city(cleaned[row][1].text, start, end)],
        **when_and_where(block, [(line, clean.text) for line, clean in cleaned[:60]], draft.title_map[1].text,
                         draft.title or ""),
    )


def _take_title(
    block: Block, cleaned: list[tuple[Line, Cleaned]], vocab: Vocabulary
) -> tuple[str | None, int, tuple[str, Cleaned], list[tuple[Line, Cleaned]]]:
    """The posting's title (from the block, else a first line that reads like one), its line, the line it
    was read from with its clean form (to place mentions in it), and the lines after it."""
    if block.title is not None:
        first = block.lines[0].text if block.lines else ""
        titled_bullet = first.lstrip().startswith("+")
        at = first.find(block.title) if titled_bullet else -1
        place = (first, Cleaned(block.title, at)) if at >= 0 else (block.title, Cleaned(block.title, 0))
        return block.title, block.start, place, cleaned[1:] if titled_bullet else cleaned
    rows = [i for i, (_, c) in enumerate(cleaned) if c.text][:6]
    first_row = next((i for i in rows if sections.header_section(cleaned[i][1].text) is None), None)
    if first_row is None:
        return None, block.start, ("", Cleaned("", 0)), cleaned
    line, found = cleaned[first_row]
    if (
        _opens_as_title(found.text, vocab)
        and entities.hiring_line(found.text) is None
        and not _names_tool(found.text, vocab.matcher("skills").find(found.text))
    ):
        return found.text, line.number, (line.text, found), cleaned[first_row + 1 :]
    return None, block.start, ("", Cleaned("", 0)), cleaned


def _opens_as_title(text: str, vocab: Vocabulary) -> bool:
    """True for a first line that reads as a job title: one naming a job noun, or one whose head is a role label
    ("Account Executive", "HR Generalist"), unless it ends as a header before a list does ("... Scientist:")."""
    if looks_like_title(text):
        return True
    return not text.endswith((":", ";", ",")) and entities.names_role(text, vocab)


def forget_titles() -> None:
    """Empty the cache of which lines read as job titles."""
    _kept_title.cache_clear()


def _reads_as_title(text: str) -> bool:
    """True for a line that is a job title: a few capitalised words ending in a job noun ("Senior Java Developer")."""
    return _kept_title(text) if len(text) <= LONGEST_KEPT else _title_like(text)


def _names_tool(text: str, matches: list[Match]) -> bool:
    """True for a line whose only job noun, its last word, ends a skill's name (of ``matches``, the skills found in
    it): "Adobe Illustrator", "Terraform and Packer" name tools, no job; "Barista - Copper Kettle" a job."""
    if JOB_NOUN.search(text) or not ends_in_job_noun(text):
        return False
    end = len(text.rstrip())
    return any(m.end == end for m in matches)


def _title_like(text: str) -> bool:
    words = text.split(None, 8)  # a ninth part: more than eight words
    if not 2 <= len(words) <= 8:
        return False
    for word in words:  # the words first: a sentence fails on its first lower-case word, long before the regex
        if not (word[:1].isupper() or not word[:1].isalpha() or word in _TITLE_LINKS):
            return False
    return ends_in_job_noun(text)


_kept_title = lru_cache(maxsize=1 << 16)(_title_like)  # lines repeat: a company's boilerplate, a large text's

_TITLE_LINKS = frozenset({"and", "of", "for", "in", "with", "&", "/", "-", "–", "or"})


def _hiring_title(cleaned: list[tuple[Line, Cleaned]]) -> tuple[str, str, int, tuple[str, Cleaned]] | None:
    """(title, company, line, place) from an opening line such as "Stripe is hiring a Machine Learning Engineer"."""
    for line, found in cleaned[:6]:
        hiring = entities.hiring_line(found.text)
        if hiring is not None:
            company, title = hiring
            at = found.text.find(title)
            return title, company, line.number, (line.text, Cleaned(title, found.span(at, at)[0]))
    return None
def _card_title(
    cleaned: list[tuple[Line, Cleaned]], vocab: Vocabulary
) -> tuple[str, str, int, tuple[str, Cleaned], list[tuple[Line, Cleaned]]] | None:
    """(title, company, line, place, the lines after it) of a copied job page that names the company above the
    title and the place under it ("Harbor Robotics", "Senior Platform Engineer", "Lisbon, Portugal")."""
    rows = [i for i, (_, c) in enumerate(cleaned) if c.text][:3]
    if len(rows) < 3:
        return None
    company, title, place = (cleaned[i][1].text for i in rows)
    # the card reads the line above the place as its company only where the line reads as a company's name
    if not (_reads_as_title(title) and card_company([company, place]) == company and _card_name(company, vocab)):
        return None
    line, found = cleaned[rows[1]]
    return title, company, line.number, (line.text, found), cleaned[rows[1] + 1 :]


def _card_name(name: str | None, vocab: Vocabulary) -> str | None:
    """A name a card gives for the company, unless it is a header ("Requirements") or a skill ("Python")."""
    if name is None or sections.header_section(name) is not None:
        return None
    found = vocab.matcher("skills").find(name)
    return None if any(m.start == 0 and m.end == len(name) for m in found) else name


def _company_names(company: str | None, iri: str | None, written: str | None, vocab: Vocabulary) -> tuple[str, ...]:
    """The names a posting's company goes by, to recognise sentences about the company."""
    names = {n for n in (company, written) if n}
    if iri and iri in vocab.companies:
        names.update(vocab.companies[iri].labels)
    return tuple(sorted(names, key=len, reverse=True))


def _consolidate(
    found: Findings, vocab: Vocabulary, titled: set[str], places: list[tuple[str, Cleaned]], title: tuple[str, Cleaned]
) -> list[SkillMention]:
    """One mention per skill, required if any counted mention is, or if the title names it.

    In a posting with required/preferred headers, text outside them (an intro,
    responsibilities) counts only for skills that no header or cue speaks of.
    ``places`` are the posting's lines (as written, and clean) by row, ``title`` the title's.
    """
    out = []
    for iri, mentions in found.mentions.items():
        if len(mentions) == 1:  # most skills are named once: what follows, without the lists
            only = mentions[0]
            level: Level = REQUIRED if only.level == REQUIRED or iri in titled else PREFERRED
            span = TextSpan(*_place(only, places[only.row] if only.row >= 0 else title))
            out.append(SkillMention(vocab.skill_label(iri), iri, level, only.line, only.years, (span,)))
            continue
        chosen = [m for m in mentions if m.weight == 2] if found.headed else []
        chosen = chosen or mentions
        level = REQUIRED if iri in titled or any(m.level == REQUIRED for m in chosen) else PREFERRED
        line = min((m.line for m in chosen if m.level == level), default=min(m.line for m in chosen))
        years = [m.years for m in mentions if m.years is not None]
        # in the order of (line, start, end, text), each once: as tuples, made spans once sorted
        placed = sorted({_place(m, places[m.row] if m.row >= 0 else title) for m in mentions})
        out.append(SkillMention(vocab.skill_label(iri), iri, level, line, max(years) if years else None,
                                tuple(TextSpan(*at) for at in placed)))
    out.sort(key=lambda m: (m.line, m.label.casefold(), m.iri))
    return out


def _span(mention: Mention, place: tuple[str, Cleaned]) -> TextSpan:
    """Where a mention stands in its line as written."""
    return TextSpan(*_place(mention, place))


def _place(mention: Mention, place: tuple[str, Cleaned]) -> tuple[int, int, int, str]:
    """Where a mention stands in its line as written: the line, the start and end columns, the text."""
    written, cleaned = place
    start, end = cleaned.span(mention.start, mention.end)
    return mention.line, start, end, written[start:end]


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
        matches = vocab.matcher("domains").find(heading)
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
    """The postings of one decoded source, duplicates not yet flagged (each block bounded by ``MAX_POSTING``)."""
    return analyse_blocks([bounded(block, MAX_POSTING) for block in split_source(source, max_line=max_line)], vocab)


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

