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

``similar-roles`` is answered the same way: the cosine of two profiles needs, besides
the entries of the role's own skills, only the length of each other profile
(``kg:profileNorm``), so it reads the roles that share a skill with the role, not
every profile of the vocabulary.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
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
    vector_norm,
)
from kg.namespaces import KG, SUMMARY_GRAPH, XSD
from kg.terms import value

if TYPE_CHECKING:
    from kg.source import GraphSource

_WEIGHT = ox.NamedNode(KG + "profileWeight")
_NORM = ox.NamedNode(KG + "profileNorm")
_DOUBLE = ox.NamedNode(XSD + "double")


def profile_quads(db: GraphSource, vocabulary: str, graph: ox.NamedNode) -> list[ox.Quad]:
    """The total weight of every role's profile in ``vocabulary`` and its norm, as quads in ``graph``."""
    profiles = Profiles.of(db, vocabulary=vocabulary)
    out = []
    for role, skills in profiles.roles.items():
        node = ox.NamedNode(role)
        total = sum(s.weight for s in sorted(skills, key=importance_order))  # as gap sums them
        norm = vector_norm(profile_vector(skills))  # as similar_roles computes it
        out += [ox.Quad(node, _WEIGHT, ox.Literal(repr(total), datatype=_DOUBLE), graph),
                ox.Quad(node, _NORM, ox.Literal(repr(norm), datatype=_DOUBLE), graph)]
    return out


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
    """:func:`kg.analytics.similar_roles` from the roles that share a skill with ``role`` and the norms kept of
    each profile; ``None`` where a norm is not kept (or the profiles are weighed by some postings only)."""
    norms = _kept(profiles, _NORM)
    if norms is None:
        return None
    mine = profile_vector(profiles.roles[role])
    theirs: dict[str, dict[str, float]] = defaultdict(dict)
    for skill in mine:
        for other, item in profiles.entries(skill):
            theirs[other][skill] = item.weight
    scored = []
    norm = vector_norm(mine)
    for other in sorted(theirs):
        if other == role:
            continue
        if other not in norms:
            return None
        found = theirs[other]
        dot = sum(w * found[s] for s, w in mine.items() if s in found)  # the same sum: the others add 0.0
        if dot <= 0:
            continue
        score = dot / (norm * norms[other])
        shared = sorted(profiles.label(s) for s in mine if s in found)
        scored.append((-score, profiles.role_labels[other].casefold(), other, score, shared))
    scored.sort(key=lambda item: item[:2])
    return [SimilarRole(profiles.role_labels[o], o, round(s, 4), shared) for *_, o, s, shared in scored[:top]]
