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

(``similar-roles`` could be answered the same way from the roles sharing a skill and
each role's norm; measured, Oxigraph's plan for "the roles of a vocabulary asking
for a skill" walks the vocabulary's roles each time, so that was slower than
reading every profile once.)
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import TYPE_CHECKING

import pyoxigraph as ox

from kg.analytics import Profiles, RoleMatch, RoleSkill, gap, importance_order
from kg.namespaces import KG, SUMMARY_GRAPH, XSD
from kg.terms import value

if TYPE_CHECKING:
    from kg.source import GraphSource

_WEIGHT = ox.NamedNode(KG + "profileWeight")
_DOUBLE = ox.NamedNode(XSD + "double")


def profile_quads(db: GraphSource, vocabulary: str, graph: ox.NamedNode) -> list[ox.Quad]:
    """The total weight of every role's profile in ``vocabulary``, as quads in ``graph``."""
    profiles = Profiles.of(db, vocabulary=vocabulary)
    out = []
    for role, skills in profiles.roles.items():
        node = ox.NamedNode(role)
        total = sum(s.weight for s in sorted(skills, key=importance_order))  # as gap sums them
        out.append(ox.Quad(node, _WEIGHT, ox.Literal(repr(total), datatype=_DOUBLE), graph))
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
