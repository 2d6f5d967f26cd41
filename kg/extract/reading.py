"""The tagger and the vocabulary together: which mentions stand, where they begin and end, what is unknown.

The vocabulary links a span to a skill (a graph fact); the tagger (:mod:`kg.extract.tagger`) says
whether the text there names a skill at all. A mention the rules accept stands where the tagger gives
its tokens at least :data:`GATE` probability of being part of a span (and, if the skill stands elsewhere in the
posting, at least :data:`DOUBT`: "financial" in a company's blurb when the posting asks for financial
services); it then covers the whole span the
tagger reads around it ("Java" in "Java EE 8", when no other skill is named in it), and a likely run of tokens
right beside it that the tagger reads as the same span going on ("pair programming sessions"). Text the tagger
reads as knowledge that holds no standing mention links to nothing: it is an unknown term, a candidate
for the vocabulary. Such terms are the knowledge spans of the tagger's best reading, and beyond them
the runs of tokens it gives at least :data:`UNKNOWN` probability of being in a span, mostly of knowledge
("Rancher", "JMS", "monitoring" in a list).
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Mapping
from operator import itemgetter
from typing import TYPE_CHECKING, cast

from kg.extract.scan import Findings, Mention
from kg.extract.tagger import Reading
from kg.namespaces import ONET_TECHNOLOGY, SKILL

if TYPE_CHECKING:
    from kg.extract.vocabulary import Concept

_start_of = itemgetter(0)

#: The least probability, per the tagger, that a mention's text is part of a span, for the mention to stand (the tagger
#: learnt the taxonomies' codes on labels not merged into kg's skills: on "Python" from an imported one it is unsure).
GATE = 0.2
#: The same for kg's own skills: none (at 0.1 the tagger, fitted on SkillSpan, loses 7% of the seed annotations' finds).
#: Also for O*NET's technologies (product names) where O*NET is the vocabulary the user chose (``--vocab onet``, see
#: ``Vocabulary.chosen``); ESCO's skills, which are phrases of everyday words ("lead others"), keep the gate.
GATE_OWN = 0.0
#: The least probability that a token is part of a span, mostly of knowledge, for it to be read as an unknown term.
UNKNOWN = 0.15
#: Below this probability a mention is doubtful: it is dropped where the posting names the same skill, at the same
#: level and as firmly, in a place the tagger does not doubt (the skill stays, with the same level: only the places
#: it is read in change). Chosen with :data:`UNKNOWN` by cross-validation on the train splits
#: (``scripts/tagger_cv.py``).
DOUBT = 0.03


def read_with(
    reading: Reading, read: set[int], found: Findings, kinds: Mapping[str, Concept], unknown_terms: bool = True,
    *, chosen: bool = False,
) -> list[tuple[int, int, int]]:
    """Drop the mentions the tagger does not read (or doubts, where the skill stands elsewhere), widen the others
    to its spans of their own kind (a knowledge concept's to a knowledge span, "Java EE 8", not to a skill phrase
    around it, "build services in Java");
    returns the unknown spans (line index, start, end in the clean line) of the lines in ``read``, or none without
    ``unknown_terms`` (then only the lines where a mention stands are looked at: the mentions come out the same).

    Linear in the posting: each line's mentions are looked at only with that line's spans."""
    placed: dict[int, list[tuple[str, Mention]]] = {}
    for iri in list(found.mentions):
        gate = GATE_OWN if iri.startswith(SKILL) or (chosen and iri.startswith(ONET_TECHNOLOGY)) else GATE
        mentions = found.mentions[iri]
        if gate <= 0 and len(mentions) == 1:
            chances = [1.0]  # no gate and no other place to doubt it against: it stands, whatever the tagger says
        else:
            chances = [1.0 if m.row < 0 else reading.probability(m.row, m.start, m.end) for m in mentions]
        # where a mention is doubted (below DOUBT, at or above the gate), the places it is not: none with a gate at
        # DOUBT or above, or without a doubted chance
        sure = ({(m.level, m.weight) for m, chance in zip(mentions, chances) if chance >= DOUBT}
                if gate < DOUBT and min(chances) < DOUBT else set())
        kept = []
        for mention, chance in zip(mentions, chances):
            if mention.row < 0:
                kept.append(mention)  # the title's: the job's own
            elif chance >= gate and (chance >= DOUBT or (mention.level, mention.weight) not in sure):
                kept.append(mention)
                placed.setdefault(mention.row, []).append((iri, mention))
        if kept:
            found.mentions[iri] = kept
        else:
            del found.mentions[iri]
    unknown = []
    merged: set[int] = set()  # ids of the mentions folded into another one
    rows = range(len(reading.spans)) if unknown_terms else sorted(placed)
    for row in rows:
        spans, inside = reading.spans[row], placed.get(row, [])
        for start, end, kind in spans:
            covered = [(iri, m) for iri, m in inside if m.start < end and start < m.end]
            if (covered and (len(covered) == 1 or len({iri for iri, _ in covered}) == 1)
                    and _span_kind(kinds.get(covered[0][0])) == kind):  # one skill under the span, of its kind
                first = covered[0][1]
                first.start, first.end = min(first.start, start), max(first.end, end)
                merged.update(id(m) for _, m in covered[1:])
            elif not covered and kind == "K" and row in read:
                unknown.append((row, start, end))
        if row in read and reading.peak(row) >= UNKNOWN:  # else no token is likely enough
            if not unknown_terms and not _may_join(reading, row, [m for _, m in inside]):
                continue  # the runs could only widen a mention, and none can
            taken = [(m.start, m.end) for _, m in inside] + [(start, end) for start, end, _ in spans]
            memo, key = reading.memo(row), ("runs", *taken)  # the runs depend on the line's reading and ``taken``
            runs = cast("list[tuple[int, int]] | None", memo.get(key) if memo is not None else None)
            if runs is None:
                runs = _likely_runs(reading, row, taken)
                if memo is not None:
                    memo[key] = runs
            if runs and inside:
                runs = _joined(reading, row, runs, [m for _, m in inside])
            if unknown_terms:
                unknown += [(row, start, end) for start, end in runs]
    if not unknown_terms:
        unknown = []
    if merged:
        for iri, mentions in found.mentions.items():
            found.mentions[iri] = [m for m in mentions if id(m) not in merged]
    return unknown


def _joined(reading: Reading, row: int, runs: list[tuple[int, int]], mentions: list[Mention]) -> list[tuple[int, int]]:
    """The runs of line ``row`` that are not the rest of a mention: a run right before or after a mention's tokens
    where the tagger reads the span going on across the seam (a span less likely begins there than goes on, as
    :func:`_likely_runs` cuts) widens the mention ("pair programming" + "sessions", "Modern" + "JavaScript
    frameworks") instead of being read as a term of its own."""
    places = reading.token_spans[row]
    begins, inside = reading.begins[row], reading.inside[row]
    first_token = {first: index for index, (first, _, _) in enumerate(places)}
    last_token = {last: index for index, (_, last, _) in enumerate(places)}
    kept = []
    for start, end in runs:
        run_first, run_last = first_token.get(start), last_token.get(end)
        if run_first is None or run_last is None:
            kept.append((start, end))
            continue
        for mention in mentions:
            first, last = first_token.get(mention.start), last_token.get(mention.end)
            if last is not None and last + 1 == run_first and begins[run_first] < inside[run_first] / 2:
                mention.end = end
                break
            if first is not None and run_last + 1 == first and begins[first] < inside[first] / 2:
                mention.start = start
                break
        else:
            kept.append((start, end))
    return kept


def _may_join(reading: Reading, row: int, mentions: list[Mention]) -> bool:
    """Whether a run may widen one of ``mentions`` of line ``row`` (:func:`_joined`): false where no token right
    after a mention's last token or right before its first is likely (:data:`UNKNOWN`) and at least half as likely of
    knowledge, with the span read as going on across the seam: then the line's runs need not be found."""
    places = reading.token_spans[row]
    inside, knowledge, begins = reading.inside[row], reading.knowledge[row], reading.begins[row]
    for mention in mentions:
        after = bisect_left(places, mention.end, key=_start_of)  # the first token after the mention's end
        if (0 < after < len(places) and places[after - 1][1] == mention.end and inside[after] >= UNKNOWN
                and knowledge[after] >= inside[after] / 2 and begins[after] < inside[after] / 2):
            return True
        first = bisect_left(places, mention.start, key=_start_of)
        if (0 < first < len(places) and places[first][0] == mention.start and begins[first] < inside[first] / 2
                and inside[first - 1] >= UNKNOWN and knowledge[first - 1] >= inside[first - 1] / 2):
            return True
    return False


def _span_kind(concept: Concept | None) -> str:
    """The kind of tagger span (``K`` or ``S``) a concept's mentions are: ``S`` for skills, ``K`` for the rest."""
    return "S" if concept is not None and concept.kind == "skill" else "K"


def _likely_runs(reading: Reading, row: int, taken: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The runs of tokens of a line, outside ``taken``, that are likely (:data:`UNKNOWN`) in a span, at least
    half as likely of knowledge, cut where a span more likely begins than goes on ("Nginx Hibernate"); without
    function words or punctuation at their ends ("and environment")."""
    runs: list[tuple[int, int]] = []
    if reading.peak(row) < UNKNOWN:
        return runs  # no token is likely enough
    inside = reading.inside[row]
    chosen = [index for index, chance in enumerate(inside) if chance >= UNKNOWN]  # the only tokens a run can hold
    places, knowledge, begins = reading.token_spans[row], reading.knowledge[row], reading.begins[row]
    run: list[tuple[int, int, str]] = []
    previous = -2  # the index of the token last put in ``run``
    for index in chosen:
        chance = inside[index]
        first, last, word = places[index]
        if knowledge[index] < chance / 2 or _overlaps(first, last, taken):
            continue  # not likely: the next likely token is not next to ``previous``, so it ends the run
        if run and (index != previous + 1 or begins[index] > chance / 2):
            _close(run, runs)  # a token that is not likely lies between, or a span more likely begins here
            run = []
        run.append((first, last, word))
        previous = index
    _close(run, runs)
    return runs


def _overlaps(first: int, last: int, spans: list[tuple[int, int]]) -> bool:
    """Whether ``first:last`` overlaps one of ``spans`` (a loop: ``any`` over a generator costs three times more, and
    this runs for every likely token)."""
    for start, end in spans:  # noqa: SIM110 - a loop, see the docstring
        if start < last and first < end:
            return True
    return False


def _close(run: list[tuple[int, int, str]], runs: list[tuple[int, int]]) -> None:
    """Add ``run`` to ``runs`` without function words or punctuation at its ends, unless nothing is left."""
    head, tail = 0, len(run)
    while head < tail and _filler(run[head][2]):
        head += 1
    while tail > head and _filler(run[tail - 1][2]):
        tail -= 1
    if head < tail:
        runs.append((run[head][0], run[tail - 1][1]))


#: Words that begin or end no term.
_FUNCTION_WORDS = frozenset({
    "a", "an", "the", "and", "or", "nor", "but", "of", "in", "on", "at", "to", "for", "from", "by", "with", "within",
    "without", "as", "into", "onto", "via", "per", "than", "then", "this", "that", "these", "those", "another",
    "other", "such", "some", "any", "all", "each", "every", "its", "their", "our", "your", "his", "her", "my",
    "including", "include", "includes", "e.g", "i.e", "etc", "is", "are", "be"
})


def _filler(word: str) -> bool:
    """True for a function word or a token with no letter or digit."""
    return word.casefold() in _FUNCTION_WORDS or not (word.isalnum() or any(char.isalnum() for char in word))
