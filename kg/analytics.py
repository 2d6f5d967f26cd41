"""Career answers: what a role needs that you lack, which roles fit, what to learn next, what goes together.

Coverage of a role weighs each of its skills by how important it is to the
role: the chance that one of the role's postings asks for it, estimated from
the postings with the curated profile as a prior,

    importance = (postings asking + PRIOR_WEIGHT * prior) / (role postings + PRIOR_WEIGHT)

where ``prior`` is ``CURATED_PRIOR`` for a skill of the curated profile and 0
for one only the postings show; a required skill then counts fully and a
preferred one ``PREFERRED_FACTOR`` as much. A role without postings falls back
to its curated profile; skills that many postings ask for count most; skills
that a few postings mention count little. Knowing a narrower skill (PyTorch
Lightning) counts for the broader one (PyTorch).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from kg import queries
from kg.errors import NotFoundError, UsageError
from kg.lookup import Names, Resolution
from kg.models import Location
from kg.namespaces import DERIVED_GRAPH
from kg.numbers import thin_note
from kg.terms import kg, value

if TYPE_CHECKING:
    from kg.source import GraphSource

PREFERRED_FACTOR = 0.5
CURATED_PRIOR = 0.8
PRIOR_WEIGHT = 4.0
MIN_TOGETHER = 2


@dataclass(frozen=True)
class RoleSkill:
    """One skill of a role's profile, with the evidence for it."""

    skill: str
    label: str
    level: str
    support: int
    share: float
    curated: bool
    role_postings: int

    @property
    def importance(self) -> float:
        """The estimated chance that a posting for the role asks for this skill."""
        prior = CURATED_PRIOR if self.curated else 0.0
        return (self.support + PRIOR_WEIGHT * prior) / (self.role_postings + PRIOR_WEIGHT)

    @property
    def weight(self) -> float:
        return self.importance * (1.0 if self.level == "required" else PREFERRED_FACTOR)


@dataclass
class Profiles:
    """The roles of one or more vocabularies with their skills, the skill hierarchy and the labels.

    What the answers are computed from, and how the names people type are found
    (:class:`kg.lookup.Names`): kg's own roles and skills unless the names (or
    ``--vocab``) lead to an imported vocabulary.
    """

    roles: dict[str, list[RoleSkill]]
    role_labels: dict[str, str]
    source: GraphSource
    names: Names
    vocabularies: tuple[str, ...] = ("kg",)
    labels: dict[str, str] = field(default_factory=dict)
    resolved: list[Resolution] = field(default_factory=list)
    #: the broader skills of each skill asked about so far (read when first asked: :meth:`known`)
    broader: dict[str, set[str]] = field(default_factory=dict)
    derived: set[tuple[str, str]] = field(default_factory=set)  #: (role, skill) that only the postings show
    #: the roles whose (role, skill) pairs of ``derived`` are read (``None``: all of them)
    _derived_of: set[str] | None = field(default_factory=set, repr=False)
    #: postings per (role, skill) and per role, when weighed by the postings of a time or place only
    filtered: tuple[dict[tuple[str, str], int], dict[str, int]] | None = None
    _complete: bool = field(default=False, repr=False)

    @classmethod
    def of(cls, db: GraphSource, *, vocabulary: str | None = None, roles: Sequence[str] = (),
           since: str | None = None, location: Location | None = None, only_named: bool = False) -> Profiles:
        """The profiles of the roles of ``vocabulary`` (kg's own by default).

        With ``roles`` (names people typed), of the vocabularies those roles are
        found in: an imported role is used when none of kg's has the name; with
        ``only_named`` too, of those roles only (what ``gap`` and ``next --roles``
        need: a role's profile is read by itself, so the answer costs the same on
        a vocabulary of 50 roles or of 3,000). With ``since`` (an ISO date) or
        ``location``, weighed by those postings only.

        Raises:
            NotFoundError: a role name matches nothing (with suggestions).
        """
        names = Names(db, vocabulary)
        found = names.resolve_all(list(roles), "Role") if roles else []
        scope = tuple(dict.fromkeys(r.concept.vocabulary for r in found)) or (vocabulary or "kg",)
        filtered = _filtered_demand(db, since, location) if since or location else None
        profiles = cls({}, {}, db, names.preferring(scope[0]), scope, {}, found, filtered=filtered)
        if not only_named:
            profiles.read()
        elif found:
            profiles.read(sorted({r.iri for r in found}))
        return profiles

    @property
    def complete(self) -> bool:
        """Whether every role of the vocabularies is read (else only those named, or none yet)."""
        return self._complete

    def read(self, roles: Sequence[str] = ()) -> None:
        """Read the profiles of every role of the vocabularies, or of ``roles`` only (those not read yet)."""
        if not roles:
            if not self._complete:
                self.roles.clear()
                self._complete = True
                self._read_derived(None)
                for role, item in self._entries():
                    self.roles.setdefault(role, []).append(item)
            return
        for one in roles:
            if one not in self.roles:
                for role, item in self._entries(role=one):
                    self.roles.setdefault(role, []).append(item)

    def entries(self, skill: str) -> list[tuple[str, RoleSkill]]:
        """(role, its entry) of every role of the vocabularies that asks for ``skill``."""
        return list(self._entries(skill=skill))

    def _entries(self, role: str | None = None, skill: str | None = None) -> Iterator[tuple[str, RoleSkill]]:
        query = queries.resolve("role-skills") if skill is None else _internal("skill-roles")
        for vocab in self.vocabularies:
            values: dict[str, ox.NamedNode | ox.Literal] = {"vocabulary": ox.Literal(vocab)}
            for name, iri in (("role", role), ("skill", skill)):
                if iri is not None:
                    values[name] = ox.NamedNode(iri)
            found = queries.rows(queries.run(self.source, query, queries.Binding(values)))
            if skill is not None:
                found = list(_with_demand(self.source, skill, found))
            else:  # role-skills gives its rows in the store's order (it pages): the profiles are read in IRI order
                found.sort(key=lambda row: (row["role"], row["skill"]))
            for row in found:
                item = self._item(row)
                # of a skill with two preferred labels (a few of ESCO's), the least, however the rows come
                self.labels[item.skill] = min(item.label, self.labels.get(item.skill, item.label))
                self.role_labels[row["role"]] = row["roleLabel"]
                yield row["role"], item

    def _item(self, row: dict[str, Any]) -> RoleSkill:
        role, skill = row["role"], row["skill"]
        if self.filtered is None:
            support, share = int(row["postings"] or 0), float(row["share"] or 0.0)
            total = int(row["role_postings"] or 0)
        else:
            support, total = self.filtered[0].get((role, skill), 0), self.filtered[1].get(role, 0)
            share = round(support / total, 4) if total else 0.0
        if self._derived_of is not None and role not in self._derived_of:
            self._read_derived(role)
        return RoleSkill(skill, row["label"], row["level"], support, share, (role, skill) not in self.derived, total)

    def _read_derived(self, role: str | None) -> None:
        """Read which skills of ``role`` (of every role: ``None``) only the postings show: one role's is an index
        lookup, where reading the derived graph's requirements costs as much as all of them."""
        subject = None if role is None else ox.NamedNode(role)
        self.derived |= {(value(q.subject), value(q.object)) for predicate in (kg("requiresSkill"), kg("prefersSkill"))
                         for q in self.source.quads_for_pattern(subject, predicate, None, ox.NamedNode(DERIVED_GRAPH))}
        if role is None:
            self._derived_of = None
        elif self._derived_of is not None:
            self._derived_of.add(role)

    def resolve_skills(self, names: Sequence[str]) -> list[str]:
        """Skill IRIs for names people typed (aliases, any case and spacing), from the profiles' vocabulary first.

        Raises:
            UsageError: no skill was given.
            NotFoundError: a name is not a skill; the message suggests close ones.
        """
        if not names:
            raise UsageError("give your skills with --have, e.g. --have 'python, sql, spark'")
        found = self.names.resolve_all(list(names), "Skill")
        self.resolved.extend(found)
        for item in found:
            self.labels.setdefault(item.iri, item.label)
        return sorted({item.iri for item in found})

    def resolve_role(self, name: str) -> str:
        """The IRI of a role with a profile.

        Raises:
            NotFoundError: no such role (with suggestions), or it lists no skills.
        """
        found = next((r for r in self.resolved if r.name == name and r.concept.kind == "Role"), None)
        if found is None:
            found = self.names.resolve(name, "Role")
            self.resolved.append(found)
        if found.iri not in self.roles:
            raise NotFoundError(f"the role {found.label!r} lists no skills")
        return found.iri

    def label(self, iri: str) -> str:
        """The label of a skill or role of the profiles, or of a name found."""
        return self.labels.get(iri) or self.role_labels.get(iri, iri)

    def notes(self) -> list[str]:
        """For each name found, which concept was used where another vocabulary has one of the same name."""
        return [note for found in self.resolved if (note := found.note())]

    def known(self, have: Iterable[str]) -> dict[str, str]:
        """Every skill that ``have`` covers, mapped to the skill the user named (itself or a narrower one)."""
        self._read_broader(have)
        covered: dict[str, str] = {}
        for skill in sorted(have):
            covered.setdefault(skill, skill)
            for up in sorted(self.broader.get(skill, ())):
                covered.setdefault(up, skill)
        return covered

    def _read_broader(self, skills: Iterable[str]) -> None:
        """Read the broader skills of ``skills`` (those not read yet), within the profiles' vocabularies."""
        for skill in sorted(set(skills) - set(self.broader)):
            self.broader[skill] = set()
            for vocab in self.vocabularies:
                binding = queries.Binding({"vocabulary": ox.Literal(vocab), "skill": ox.NamedNode(skill)})
                for row in queries.rows(queries.run(self.source, queries.resolve("skill-broader"), binding)):
                    self.broader[skill].add(row["broader"])


@dataclass(frozen=True)
class SkillCoverage:
    """One skill of a role in a gap answer: how much it weighs, and whether you have it."""

    label: str
    iri: str
    level: str
    support: int
    share: float
    importance: float
    via: str | None = None  #: the narrower skill you named that covers this one

    def to_json(self) -> dict[str, object]:
        out: dict[str, object] = {"label": self.label, "iri": self.iri, "level": self.level, "support": self.support,
                                  "share": self.share, "importance": self.importance}
        if self.via is not None:
            out["via"] = self.via
        return out


def _with_demand(source: GraphSource, skill: str, found: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """The rows of ``skill-roles`` joined with the postings of each (role, ``skill``) (``skill-demand``), as the
    rows of ``role-skills`` for that skill (the two queries are each one index lookup from the skill; as one
    query, Oxigraph read every demand record)."""
    demand: dict[str, list[dict[str, Any]]] = defaultdict(list)
    if found:
        binding = queries.Binding({"skill": ox.NamedNode(skill)})
        for row in queries.rows(queries.run(source, _internal("skill-demand"), binding)):
            demand[row["role"]].append({"postings": row["postings"], "share": row["share"]})
    for row in found:
        for postings in demand.get(row["role"]) or [{"postings": None, "share": None}]:
            yield {**row, **postings}


def _internal(name: str) -> queries.NamedQuery:
    """A query of ``queries/internal`` (not one of the named queries people run)."""
    from pathlib import Path

    from kg.resources import queries_dir

    return queries.load_file(Path(queries_dir()) / "internal" / f"{name}.rq")


def filters(since: str | None, location: str | None) -> tuple[str | None, Location | None]:
    """The ISO date and the place that ``--since`` and ``--location`` name.

    Raises:
        UsageError: the date cannot be read, or the place names nothing kg can match.
    """
    day = None
    if since:  # the extraction package is heavy (numpy, hundreds of patterns): imported only when asked
        from kg.extract.dates import parse_date

        day = parse_date(since)
        if day is None:
            raise UsageError(f"--since {since!r}: not a date; write it as YYYY-MM-DD")
    place = None
    if location:
        from kg.extract.places import parse_location

        place = parse_location(location)
        if place is None or not (place.city or place.region or place.country or place.workplace):
            raise UsageError(f"--location {location!r}: not a place; give a city, region, country or 'remote'")
    return day, place


def _filtered_demand(db: GraphSource, since: str | None,
                     location: Location | None) -> tuple[dict[tuple[str, str], int], dict[str, int]]:
    """Postings per (role, skill) and per role, of the postings since a date and in a place."""
    from kg.derive import filtered_counts

    places = None
    if location is not None and (location.city or location.region or location.country):
        wanted = {k: v for k, v in (("city", location.city), ("region", location.region),
                                    ("country", location.country)) if v}
        places = [row["place"] for row in queries.rows(queries.run(db, queries.resolve("places"), wanted))]
    counts = filtered_counts(db, since=since, places=places, workplace=location.workplace if location else None)
    return dict(counts.asked), dict(counts.totals)


class RestsOnPostings:
    """An answer that rests on ``postings`` postings (a role's, or those of the roles asking for a skill)."""

    postings: int  # a field of each dataclass below; this class is not a dataclass, so it adds none

    @property
    def thin(self) -> str:
        """``"thin: 3 postings"`` when the answer rests on too few postings to trust (:data:`kg.numbers.THIN_POSTINGS`),
        else ``""``."""
        return thin_note(self.postings)


@dataclass
class Gap(RestsOnPostings):
    """How well a set of skills covers a role, what matches and what is missing."""

    role: str
    label: str
    coverage: float
    matched: list[SkillCoverage] = field(default_factory=list)
    missing: list[SkillCoverage] = field(default_factory=list)
    postings: int = 0

    def to_json(self) -> dict[str, object]:
        return {"role": self.label, "iri": self.role, "coverage": self.coverage, "postings": self.postings,
                "thin": self.thin, "matched": [m.to_json() for m in self.matched],
                "missing": [m.to_json() for m in self.missing]}


@dataclass(frozen=True)
class RoleMatch(RestsOnPostings):
    """A role ranked by how well your skills cover it."""

    role: str
    iri: str
    score: float
    matched: list[str]
    missing: list[str]
    postings: int = 0

    def to_json(self) -> dict[str, object]:
        return {**asdict(self), "thin": self.thin}


@dataclass(frozen=True)
class SkillGain(RestsOnPostings):
    """A skill you lack, by how much it would raise your coverage (averaged over the roles) and how many ask for it."""

    label: str
    iri: str
    gain: float
    roles: int
    postings: int = 0

    def to_json(self) -> dict[str, object]:
        return {**asdict(self), "thin": self.thin}


@dataclass(frozen=True)
class RelatedSkill:
    """A skill asked for together with another: Jaccard similarity, and in how many postings and roles together."""

    label: str
    iri: str
    score: float
    together: int

    def to_json(self) -> dict[str, object]:
        return asdict(self)


@dataclass(frozen=True)
class SimilarRole:
    """A role whose skill profile is close to another's (cosine), with the skills they share."""

    label: str
    iri: str
    score: float
    shared: list[str]

    def to_json(self) -> dict[str, object]:
        return asdict(self)


def importance_order(item: RoleSkill) -> tuple[float, int, str]:
    """The order of a role's skills, most important first (ties by label)."""
    return (-item.weight, -item.support, item.label.casefold())


def gap(profiles: Profiles, have: Sequence[str], role: str) -> Gap:
    """The coverage of ``role`` by the skills ``have`` (IRIs), with matched and missing skills."""
    covered = profiles.known(have)
    skills = sorted(profiles.roles[role], key=importance_order)
    total = sum(s.weight for s in skills)
    result = Gap(role, profiles.role_labels[role], 0.0, postings=max((s.role_postings for s in skills), default=0))
    gained = 0.0
    for item in skills:
        via = covered.get(item.skill)
        entry = SkillCoverage(item.label, item.skill, item.level, item.support, round(item.share, 4),
                              round(item.importance, 4),
                              profiles.label(via) if via is not None and via != item.skill else None)
        if via is not None:
            gained += item.weight
            result.matched.append(entry)
        else:
            result.missing.append(entry)
    result.coverage = round(gained / total, 4) if total else 0.0
    return result


def match(profiles: Profiles, have: Sequence[str], top: int = 10) -> list[RoleMatch]:
    """Roles ranked by coverage; ties go to the role with more required skills matched, then by label.

    Profiles not read whole (``only_named``) are answered from the roles that ask for the skills
    (:mod:`kg.career_index`) where the store keeps what that needs; else every role is read.
    """
    if not profiles.complete:
        from kg import career_index

        if (found := career_index.match(profiles, have, top)) is not None:
            return found
        profiles.read()
    ranked = []
    for role in profiles.roles:
        result = gap(profiles, have, role)
        required_hits = sum(1 for m in result.matched if m.level == "required")
        ranked.append((-result.coverage, -required_hits, result.label.casefold(), result))
    ranked.sort(key=lambda item: item[:3])
    return [RoleMatch(r.label, r.role, r.coverage, [m.label for m in r.matched], [m.label for m in r.missing],
                      r.postings) for *_, r in ranked[:top]]


def next_skills(profiles: Profiles, have: Sequence[str], roles: Sequence[str] | None = None,
                top: int = 10) -> list[SkillGain]:
    """The skills that would raise coverage most, averaged over ``roles`` (all roles if none)."""
    if not roles:
        profiles.read()
    targets = list(roles) if roles else sorted(profiles.roles)
    covered = profiles.known(have)
    gains: dict[str, float] = defaultdict(float)
    asked_by: dict[str, int] = defaultdict(int)
    evidence: dict[str, int] = defaultdict(int)
    labels: dict[str, str] = {}
    for role in targets:
        skills = profiles.roles[role]
        total = sum(s.weight for s in skills)
        for item in skills:
            if item.skill not in covered and total:
                gains[item.skill] += item.weight / total
                asked_by[item.skill] += 1
                evidence[item.skill] += item.role_postings
                labels[item.skill] = item.label
    ranked = sorted(gains, key=lambda s: (-gains[s], -asked_by[s], labels[s].casefold()))
    return [SkillGain(labels[s], s, round(gains[s] / len(targets), 4), asked_by[s], evidence[s]) for s in ranked[:top]]


def related(db: GraphSource, skill: str, top: int = 10, *, vocabulary: str | None = None) -> list[RelatedSkill]:
    """Skills asked for together with ``skill`` (a name, found as :class:`kg.lookup.Names` finds it).

    Raises:
        NotFoundError: ``skill`` is not a skill (with suggestions).
    """
    return related_to(db, Names(db, vocabulary).resolve(skill, "Skill").iri, top)


def related_to(db: GraphSource, skill: str, top: int = 10) -> list[RelatedSkill]:
    """Skills asked for together with the skill ``skill`` (an IRI), by Jaccard similarity of the postings
    and roles that ask for them (``related-skills``: at least ``MIN_TOGETHER`` of them ask for both)."""
    query = queries.resolve("related-skills")
    scored = {}
    for row in queries.rows(queries.run(db, query, queries.Binding({"skill": ox.NamedNode(skill)}))):
        together, union = row["together"], row["asked"] + row["otherAsked"] - row["together"]
        if together >= MIN_TOGETHER and row["other"] not in scored:
            scored[row["other"]] = (-together / union, -together, row["label"].casefold(), row["other"], row["label"])
    ranked = sorted(scored.values())[:top]
    return [RelatedSkill(label, other, round(-score, 4), -together) for score, together, _, other, label in ranked]


def asked_by(db: GraphSource, skill: str) -> int:
    """How many postings, roles and others ask for the skill ``skill`` (an IRI), counted as the summaries count it
    (``queries/internal/skill-count.rq``): what an empty answer of :func:`related_to` rests on, a skill few ask for
    (one walk of its askers)."""
    found = queries.rows(queries.run(db, _internal("skill-count"), queries.Binding({"skill": ox.NamedNode(skill)})))
    return int(found[0].get("askedBy") or 0) if found else 0


def profile_vector(skills: Iterable[RoleSkill]) -> dict[str, float]:
    """A role's profile as a vector: the weight of each skill."""
    return {s.skill: s.weight for s in skills}


def vector_norm(vector: dict[str, float]) -> float:
    return math.sqrt(sum(w * w for w in vector.values()))


def cosine(mine: dict[str, float], norm: float, theirs: dict[str, float]) -> float | None:
    """The cosine of two profiles (``norm``: the length of ``mine``); ``None`` when they share no weight."""
    dot = sum(w * theirs.get(s, 0.0) for s, w in mine.items())
    return None if dot <= 0 else dot / (norm * vector_norm(theirs))


def similar_roles(profiles: Profiles, role: str, top: int = 10) -> list[SimilarRole]:
    """Roles whose weighted skill profiles are closest to ``role``'s (cosine similarity).

    Profiles not read whole (``only_named``) are answered from the profile vectors kept with the data
    (:mod:`kg.career_index`) where the store keeps them; else every role is read.
    """
    if not profiles.complete:
        from kg import career_index

        if (found := career_index.similar_roles(profiles, role, top)) is not None:
            return found
        profiles.read()
    vectors = ((other, profiles.role_labels[other], profile_vector(skills)) for other, skills in profiles.roles.items())
    return rank_similar(profiles, role, vectors, top)


def rank_similar(profiles: Profiles, role: str, vectors: Iterable[tuple[str, str, dict[str, float]]],
                 top: int) -> list[SimilarRole]:
    """The ``top`` roles of ``vectors`` (role, label, profile vector) closest to ``role``, ties by label."""
    mine = profile_vector(profiles.roles[role])
    norm = vector_norm(mine)
    scored = []
    for other, label, theirs in vectors:
        if other == role or (score := cosine(mine, norm, theirs)) is None:
            continue
        shared = sorted(profiles.label(s) for s in mine if s in theirs)
        scored.append((-score, label.casefold(), other, label, score, shared))
    scored.sort(key=lambda item: item[:2])
    return [SimilarRole(label, o, round(s, 4), shared) for *_, o, label, s, shared in scored[:top]]
