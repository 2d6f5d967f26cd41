"""The tagger and the vocabulary together: which mentions stand, where they begin and end, what is unknown.

The vocabulary links a span to a skill (a graph fact); the tagger (:mod:`kg.extract.tagger`) says
whether the text there names a skill at all. A mention the rules accept stands where the tagger gives
its tokens at least :data:`GATE` probability of being part of a span; it then covers the whole span the
tagger reads around it ("Java" in "Java EE 8", when no other skill is named in it). A knowledge span the
tagger reads that holds no standing mention links to nothing: it is an unknown term, a candidate for
the vocabulary (``kg extract --unknown``, ``kg promote``).
"""

from __future__ import annotations

from collections.abc import Sequence

from kg.extract.scan import Findings
from kg.extract.tagger import Row, Tagger
from kg.extract.vocabulary import Vocabulary
from kg.namespaces import SKILL

#: The least probability, per the tagger, that a mention's text is part of a span, for the mention to stand.
GATE = 0.5
#: The same for kg's own skills: none (the tagger, fitted on SkillSpan, drops a third of the seed annotations' finds at 0.1).
GATE_OWN = 0.0


def read_with(
    tagger: Tagger, rows: Sequence[Row], read: set[int], found: Findings, vocab: Vocabulary
) -> list[tuple[int, int, int]]:
    """Drop the mentions the tagger does not read, widen the others to its spans; returns the unknown spans
    (line index, start, end in the clean line) of the lines in ``read``."""
    reading = tagger.read(rows, vocab.skills)
    placed: dict[int, list[tuple[int, int, str]]] = {}
    for iri in list(found.mentions):
        own = iri.startswith(SKILL)
        kept = []
        for mention in found.mentions[iri]:
            if mention.row < 0:
                kept.append(mention)  # the title's: the job's own
            elif reading.probability(mention.row, mention.start, mention.end) >= (GATE_OWN if own else GATE):
                kept.append(mention)
                placed.setdefault(mention.row, []).append((mention.start, mention.end, iri))
        if kept:
            found.mentions[iri] = kept
        else:
            del found.mentions[iri]
    unknown = []
    for row, spans in enumerate(reading.spans):
        inside = placed.get(row, [])
        for start, end, kind in spans:
            linked = {iri for first, last, iri in inside if first < end and start < last}
            if len(linked) == 1:
                _widen(found, row, start, end, linked.pop())
            elif not linked and kind == "K" and row in read:
                unknown.append((row, start, end))
    return unknown


def _widen(found: Findings, row: int, start: int, end: int, iri: str) -> None:
    """Let the mentions of ``iri`` inside ``start:end`` of a line cover that span (once)."""
    mentions = found.mentions[iri]
    inside = [m for m in mentions if m.row == row and m.start < end and start < m.end]
    first = inside[0]
    first.start, first.end = min(first.start, start), max(first.end, end)
    for extra in inside[1:]:
        mentions.remove(extra)
