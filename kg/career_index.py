"""What ``match`` needs to read only the roles that ask for the skills in question.

Ranking roles by how well skills cover them needs each role's whole profile for
one number only: the sum of its skills' weights, what coverage divides by. kg
keeps it with the data, in the summaries graph of the role's vocabulary
(``role kg:profileWeight 3.2``, derived by :mod:`kg.summaries` at every write), so
an answer reads the entries of the skills in question and the profiles of the
roles it shows, not every profile of ESCO's 3,000 occupations. The number is the
one the whole computation gives, bit for bit (the same sum in the same order),
so no answer changes; where it is missing (a store an older kg wrote), or the
answer is weighed by the postings of a time or place, or fewer roles than asked
for are covered at all, the whole computation runs.

``similar-roles`` needs every profile of the vocabulary, as vectors of weights:
kg keeps them too, all of a vocabulary in one literal (``profiles:onet
kg:profileVectors "{...}"``, JSON: the skills once, then each role with its label and
its (skill, weight) pairs, in the order the profiles are read), so an answer
reads one value (1 MB for O*NET's 923 occupations, 2.6 MB for ESCO's 3,007), not
32,000 or 126,000 rows of profiles.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

import pyoxigraph as ox

from kg.analytics import (
    Profiles,
    RoleMatch,
    RoleSkill,
    SimilarRole,
    gap,
    importance_order,
    profile_vector,
    rank_similar,
)
from kg.namespaces import KG, PROFILES, SUMMARY_GRAPH, XSD
from kg.terms import value

if TYPE_CHECKING:
    from kg.source import GraphSource

_WEIGHT = ox.NamedNode(KG + "profileWeight")
_VECTORS = ox.NamedNode(KG + "profileVectors")
_DOUBLE = ox.NamedNode(XSD + "double")


def profile_quads(db: GraphSource, vocabulary: str, graph: ox.NamedNode) -> list[ox.Quad]:
    """The total weight of every role's profile in ``vocabulary``, and all the profiles as vectors, as quads in
    ``graph``."""
    profiles = Profiles.of(db, vocabulary=vocabulary)
    out = []
    for role, skills in profiles.roles.items():
        total = sum(s.weight for s in sorted(skills, key=importance_order))  # as gap sums them
        out.append(ox.Quad(ox.NamedNode(role), _WEIGHT, ox.Literal(repr(total), datatype=_DOUBLE), graph))
    if profiles.roles:
        vectors = {role: profile_vector(skills) for role, skills in profiles.roles.items()}
        names = sorted({skill for vector in vectors.values() for skill in vector})
        index = {skill: n for n, skill in enumerate(names)}
        rows = [[role, profiles.role_labels[role], [[index[s], w] for s, w in vector.items()]]
                for role, vector in vectors.items()]
        text = json.dumps({"skills": names, "roles": rows}, ensure_ascii=False, separators=(",", ":"))
        out.append(ox.Quad(ox.NamedNode(f"{PROFILES}{vocabulary}"), _VECTORS, ox.Literal(text), graph))
    return out


def _vectors(profiles: Profiles) -> Iterator[tuple[str, str, dict[str, float]]] | None:
    """(role, label, profile vector) of every role of the profiles' vocabulary as kept, or ``None`` where they
    cannot be used."""
    if profiles.filtered is not None or len(profiles.vocabularies) != 1:
        return None
    vocabulary = profiles.vocabularies[0]
    found = profiles.source.quads_for_pattern(ox.NamedNode(f"{PROFILES}{vocabulary}"), _VECTORS, None,
                                              ox.NamedNode(f"{SUMMARY_GRAPH}/{vocabulary}"))
    kept = next(iter(found), None)
    if kept is None:
        return None
    data = json.loads(value(kept.object))
    skills = data["skills"]
    return ((role, label, {skills[n]: w for n, w in pairs}) for role, label, pairs in data["roles"])


def _kept(profiles: Profiles, predicate: ox.NamedNode) -> dict[str, float] | None:
    """The number kept for each role of the profiles' vocabulary, or ``None`` where it cannot be used."""
    if profiles.filtered is not None or len(profiles.vocabularies) != 1:
        return None
    graph = ox.NamedNode(f"{SUMMARY_GRAPH}/{profiles.vocabularies[0]}")
    found = profiles.source.quads_for_pattern(None, predicate, None, graph)
    kept = {value(q.subject): float(value(q.object)) for q in found}
    return kept or None


def match(profiles: Profiles, have: Sequence[str], top: int) -> list[RoleMatch] | None:
    """:func:`kg.analytics.match` from the roles that ask for a skill of ``have`` (or one it covers); ``None``
    when that cannot give the answer (fewer than ``top`` roles are covered at all, or nothing is kept)."""
    weights = _kept(profiles, _WEIGHT)
    if weights is None:
        return None
    matched: dict[str, list[RoleSkill]] = defaultdict(list)
    for skill in sorted(profiles.known(have)):
        for role, item in profiles.entries(skill):
            matched[role].append(item)
    ranked = []
    for role in sorted(matched):
        if role not in weights:
            return None
        items = sorted(matched[role], key=importance_order)
        gained = 0.0
        for item in items:
            gained += item.weight
        coverage = round(gained / weights[role], 4) if weights[role] else 0.0
        if coverage > 0:
            required = sum(1 for item in items if item.level == "required")
            ranked.append((-coverage, -required, profiles.role_labels[role].casefold(), role))
    if len(ranked) < top:  # then roles that none of the skills covers are in the answer too
        return None
    ranked.sort(key=lambda item: item[:3])
    chosen = [role for *_, role in ranked[:top]]
    profiles.read(chosen)
    results = [gap(profiles, have, role) for role in chosen]
    return [RoleMatch(r.label, r.role, r.coverage, [m.label for m in r.matched], [m.label for m in r.missing],
                      r.postings) for r in results]


def similar_roles(profiles: Profiles, role: str, top: int) -> list[SimilarRole] | None:
    """:func:`kg.analytics.similar_roles` from the profile vectors kept; ``None`` where none are kept (a store an
    older kg wrote) or the profiles are weighed by some postings only."""
    vectors = _vectors(profiles)
    if vectors is None:
        return None
    return rank_similar(profiles, role, vectors, top)
