"""Propose links from kg's own skills and roles to an imported taxonomy, for review.

Labels are compared after :func:`label_key` (case, punctuation, spelling
variants, a plural last word). The reasons, by score:

=================================  =====  ==========  =============================================
reason                             score  proposes    when
=================================  =====  ==========  =============================================
pref = pref                        1.0    exactMatch  our preferred label is theirs
pref = pref (core)                 0.95   exactMatch  once their qualifier is dropped: ``Python (computer programming)``
alias = pref                       0.9    exactMatch  one of our aliases is their preferred label
pref = pref (acronym spelled out)  0.9    exactMatch  ``Structured query language SQL`` for ``SQL``
ends with ours                     0.7    closeMatch  a vendor or qualifier before ours: ``Oracle Java``
pref = alias                       0.6    closeMatch  our label is one of their aliases
alias = alias                      0.5    closeMatch  an alias of ours is an alias of theirs
similar (ratio)                    < 0.8  closeMatch  preferred labels alike (difflib ratio >= 0.85)
contains ours                      < 0.5  closeMatch  their preferred label holds all our words
reviewed only                      0      (current)   in ontology/alignments/ but found by no rule
=================================  =====  ==========  =============================================

The acronym, ends-with, similar and contains tiers give at most three
candidates per concept of ours. ``(group)`` marks an ESCO skill or ISCO group.

A match through their aliases alone never proposes ``exactMatch``: ESCO's
aliases are loose ("tensorflow" is one of "computer vision"). Nothing here
decides: the reviewed links live in ``ontology/alignments/*.ttl``.
"""

from __future__ import annotations

import csv
import difflib
import io
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

import pyoxigraph as ox

from kg.errors import NotFoundError
from kg.namespaces import SCHEME, SKOS
from kg.taxonomies.imports import GROUP_CLASSES, check_name, has_graph
from kg.terms import ALT_LABEL, IN_SCHEME, PREF_LABEL, TYPE, kg, value

MAPPINGS = ("exactMatch", "closeMatch", "broadMatch")
KINDS = {"Skill": SCHEME + "skills", "Role": SCHEME + "roles"}
SIMILAR_CUTOFF = 0.85
MAX_FUZZY = 3

_PARENTHETICAL = re.compile(r"\s*\([^)]*\)")
_SEPARATORS = re.compile(r"[\s\-_/,:;'\"’`|]+")
_SPELLING = [(re.compile(p), r) for p, r in (
    (r"isation\b", "ization"), (r"ising\b", "izing"),
    (r"\bmodelling\b", "modeling"), (r"\blabelling\b", "labeling"), (r"\banalyse\b", "analyze"),
    (r"\bvisualise\b", "visualize"), (r"\boptimise\b", "optimize"), (r"\bbehaviour", "behavior"),
)]


@dataclass(frozen=True)
class Concept:
    """A skill or role with its labels."""

    iri: str
    pref: str
    alts: tuple[str, ...] = ()
    kind: str = "Skill"
    group: bool = False


@dataclass(frozen=True)
class Candidate:
    """A proposed link from one of our concepts to one of theirs."""

    source: str
    source_label: str
    target: str
    target_label: str
    relation: str
    score: float
    reason: str
    current: str = ""

    def row(self) -> dict[str, object]:
        """The candidate as a result row."""
        return dict(self.__dict__)


def label_key(label: str) -> str:
    """The form labels are compared in: ``Neural Networks`` and ``neural-network`` give ``neural network``."""
    text = label.casefold().replace("&", " and ")
    for pattern, replacement in _SPELLING:
        text = pattern.sub(replacement, text)
    words = [w.strip(".") for w in _SEPARATORS.split(text) if w.strip(".")]
    if words and len(words[-1]) > 3 and not words[-1].endswith(("ss", "us", "is", "sys")):
        last = words[-1]
        words[-1] = last[:-3] + "y" if last.endswith("ies") else last[:-1] if last.endswith("s") else last
    return " ".join(words)


def core_label(label: str) -> str:
    """A label without its parenthetical qualifier: ``Python (computer programming)`` -> ``Python``."""
    return _PARENTHETICAL.sub("", label).strip() or label


@dataclass
class _Index:
    pref: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    core: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    alias: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    words: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))

    @classmethod
    def of(cls, concepts: Iterable[Concept]) -> _Index:
        index = cls()
        for concept in concepts:
            key = label_key(concept.pref)
            index.pref[key].add(concept.iri)
            index.core[label_key(core_label(concept.pref))].add(concept.iri)
            for word in key.split():
                index.words[word].add(concept.iri)
            for alt in concept.alts:
                index.alias[label_key(alt)].add(concept.iri)
        return index


def concepts(db: ox.Store, graph: str | None, kind: str) -> list[Concept]:
    """The concepts of one kind: kg's own (``graph`` None: those in kg's scheme) or one graph's."""
    target = ox.NamedNode(graph) if graph else None
    if graph is None:
        members = {value(q.subject) for q in db.quads_for_pattern(None, IN_SCHEME, ox.NamedNode(KINDS[kind]))}
        groups: set[str] = set()
    else:
        members = {value(q.subject) for q in db.quads_for_pattern(None, TYPE, kg(kind), target)}
        groups = {value(q.subject) for c in GROUP_CLASSES
                  for q in db.quads_for_pattern(None, TYPE, ox.NamedNode(c), target)}
    found = []
    for iri in sorted(members):
        node = ox.NamedNode(iri)
        prefs = sorted(value(q.object) for q in db.quads_for_pattern(node, PREF_LABEL, None, target))
        if prefs:
            alts = sorted({value(q.object) for q in db.quads_for_pattern(node, ALT_LABEL, None, target)})
            found.append(Concept(iri, prefs[0], tuple(alts), kind, iri in groups))
    return found


def candidates(db: ox.Store, taxonomy: str, *, fuzzy: bool = True) -> list[Candidate]:
    """Proposed links from kg's skills and roles to ``taxonomy``'s, best first for each of ours.

    Raises:
        UsageError: unknown taxonomy.
        NotFoundError: the store holds no such taxonomy, or none of our skills and roles.
    """
    name, graph = check_name(taxonomy)
    if not has_graph(db, graph):
        raise NotFoundError(f"the store holds no {name}: run `kg import {taxonomy} PATH` first")
    if not concepts(db, None, "Role"):
        raise NotFoundError("the store holds none of our skills and roles: run `kg build` first")
    current = _current_mappings(db)
    found: list[Candidate] = []
    for kind in KINDS:
        theirs = concepts(db, graph, kind)
        by_iri = {c.iri: c for c in theirs}
        index = _Index.of(theirs)
        for ours in concepts(db, None, kind):
            proposals = _match(ours, index, by_iri, fuzzy)
            for target, relation in current.get(ours.iri, {}).items():
                if target in by_iri and target not in proposals:
                    proposals[target] = (relation, 0.0, "reviewed only")
            for target, (relation, score, reason) in proposals.items():
                found.append(Candidate(ours.iri, ours.pref, target, by_iri[target].pref, relation, round(score, 3),
                                       reason + (" (group)" if by_iri[target].group else ""),
                                       current.get(ours.iri, {}).get(target, "")))
    return sorted(found, key=lambda c: (c.source, -c.score, c.target))


def _match(ours: Concept, index: _Index, by_iri: dict[str, Concept], fuzzy: bool) -> dict[str, tuple[str, float, str]]:
    proposals: dict[str, tuple[str, float, str]] = {}

    def propose(targets: Iterable[str], relation: str, score: float, reason: str) -> None:
        for target in targets:
            if target not in proposals or proposals[target][1] < score:
                proposals[target] = (relation, score, reason)

    pref = label_key(ours.pref)
    aliases = {label_key(a) for a in ours.alts} - {pref}
    propose(index.pref.get(pref, ()), "exactMatch", 1.0, "pref = pref")
    propose(index.core.get(pref, ()), "exactMatch", 0.95, "pref = pref (core)")
    for alias in aliases:
        propose(index.pref.get(alias, set()) | index.core.get(alias, set()), "exactMatch", 0.9, "alias = pref")
    propose(index.alias.get(pref, ()), "closeMatch", 0.6, "pref = alias")
    for alias in aliases:
        propose(index.alias.get(alias, ()), "closeMatch", 0.5, "alias = alias")
    if fuzzy and len(pref) > 2:
        for score, target, relation, reason in _near(pref, index, by_iri, set(proposals))[:MAX_FUZZY]:
            propose([target], relation, score, reason)
    return proposals


def _near(pref: str, index: _Index, by_iri: dict[str, Concept], skip: set[str]) -> list[tuple[float, str, str, str]]:
    """Targets whose preferred label spells ours out, ends with it, resembles it or contains it; best first."""
    words = pref.split()
    near = set().union(*(index.words.get(w, set()) for w in words)) - skip
    matcher = difflib.SequenceMatcher(None, "", pref)
    scored = []
    for target in near:
        theirs = label_key(by_iri[target].pref)
        their_words = theirs.split()
        if len(words) == 1 and their_words[-1] == pref and "".join(w[0] for w in their_words[:-1]) == pref:
            scored.append((0.9, target, "exactMatch", "pref = pref (acronym spelled out)"))
            continue
        if theirs.endswith(" " + pref):
            scored.append((0.7, target, "closeMatch", "ends with ours"))
            continue
        matcher.set_seq1(theirs)
        if matcher.real_quick_ratio() >= SIMILAR_CUTOFF and matcher.quick_ratio() >= SIMILAR_CUTOFF:
            ratio = matcher.ratio()
            if ratio >= SIMILAR_CUTOFF:
                scored.append((ratio * 0.8, target, "closeMatch", f"similar ({ratio:.2f})"))
                continue
        if set(words) <= set(their_words):
            scored.append((0.5 * len(pref) / len(theirs), target, "closeMatch", "contains ours"))
    return sorted(scored, key=lambda s: (-s[0], s[1]))


def _current_mappings(db: ox.Store) -> dict[str, dict[str, str]]:
    found: dict[str, dict[str, str]] = defaultdict(dict)
    for mapping in MAPPINGS:
        for quad in db.quads_for_pattern(None, ox.NamedNode(SKOS + mapping), None, None):
            found[value(quad.subject)][value(quad.object)] = mapping
    return found


COLUMNS = ("source", "source_label", "relation", "score", "reason", "target_label", "target", "current")


def to_tsv(found: Iterable[Candidate]) -> bytes:
    """Candidates as tab-separated values with a header row."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter="\t", lineterminator="\n")
    writer.writerow(COLUMNS)
    for candidate in found:
        writer.writerow([getattr(candidate, column) for column in COLUMNS])
    return out.getvalue().encode("utf-8")


def coverage(db: ox.Store, taxonomy: str) -> dict[str, dict[str, int]]:
    """For skills and roles: how many of ours there are, and how many link to ``taxonomy`` (by mapping).

    Counts links in the store (the alignment files) whose target the taxonomy's graph holds.
    """
    _, graph = check_name(taxonomy)
    current = _current_mappings(db)
    result: dict[str, dict[str, int]] = {}
    for kind in KINDS:
        theirs = {c.iri for c in concepts(db, graph, kind)}
        ours = [c.iri for c in concepts(db, None, kind)]
        counts = {"total": len(ours), "matched": 0, **dict.fromkeys(MAPPINGS, 0)}
        for iri in ours:
            links = {m for t, m in current.get(iri, {}).items() if t in theirs}
            counts["matched"] += bool(links)
            for mapping in links:
                counts[mapping] += 1
        result[kind] = counts
    return result
