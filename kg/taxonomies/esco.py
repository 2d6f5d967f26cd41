"""ESCO v1.1.x (English CSV release) as quads, streamed row by row.

What becomes what (ESCO IRIs are kept as published):

- occupation -> ``kg:Role`` and ``esco:Occupation``; ISCO group -> ``kg:Role`` and
  ``esco:ISCOGroup`` (ESCO puts both in its occupations scheme);
- skill -> ``kg:Skill`` and ``esco:Skill``, with ``esco:skillType`` and
  ``esco:skillReuseLevel``; skill group -> ``kg:Skill`` and ``esco:SkillGroup``
  (both in ESCO's skills scheme);
- ``preferredLabel`` / ``altLabels`` / ``hiddenLabels`` (one label per line in
  a cell) -> ``skos:prefLabel`` / ``skos:altLabel`` / ``skos:hiddenLabel`` in English;
  ``code`` -> ``skos:notation``; ``inScheme`` -> ``skos:inScheme``;
- both pillars' broader relations -> ``skos:broader``;
- essential relation -> ``kg:requiresSkill``, optional -> ``kg:prefersSkill``.

Descriptions and definitions stay in the files.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator, Sequence
from pathlib import Path

import pyoxigraph as ox

from kg.errors import InputError
from kg.namespaces import ESCO, ESCO_GRAPH, ESCO_REUSE_LEVEL, ESCO_SKILL_TYPE, KG
from kg.taxonomies.base import (
    BROADER,
    CONCEPT_SCHEME,
    NOTATION,
    Source,
    label_quads,
    named_node,
    pick_files,
    split_cell,
)
from kg.taxonomies.sources import Member, Progress, csv_rows, find_members
from kg.terms import IN_SCHEME, TYPE

#: The files read, by key: the names they have in v1.1.x (and v1.2, where every file has ``_en``).
FILES: dict[str, tuple[str, ...]] = {
    "isco": ("ISCOGroups_en.csv",),
    "occupations": ("occupations_en.csv",),
    "skill_groups": ("skillGroups_en.csv",),
    "skills": ("skills_en.csv",),
    "occupation_broader": ("broaderRelationsOccPillar.csv", "broaderRelationsOccPillar_en.csv"),
    "skill_broader": ("broaderRelationsSkillPillar.csv", "broaderRelationsSkillPillar_en.csv"),
    "relations": ("occupationSkillRelations.csv", "occupationSkillRelations_en.csv"),
}

#: ``(kg class, ESCO class, count key)`` of each concept file.
CONCEPTS: dict[str, tuple[str, str, str]] = {
    "isco": (KG + "Role", ESCO + "ISCOGroup", "isco_groups"),
    "occupations": (KG + "Role", ESCO + "Occupation", "occupations"),
    "skill_groups": (KG + "Skill", ESCO + "SkillGroup", "skill_groups"),
    "skills": (KG + "Skill", ESCO + "Skill", "skills"),
}

RELATIONS = {"essential": KG + "requiresSkill", "optional": KG + "prefersSkill"}
SKILL_TYPES = {"knowledge": "knowledge", "skill/competence": "skill"}
REUSE_LEVELS = ("transversal", "cross-sector", "sector-specific", "occupation-specific")

SKILL_TYPE = ox.NamedNode(ESCO + "skillType")
REUSE_LEVEL = ox.NamedNode(ESCO + "skillReuseLevel")

_LANGUAGE = re.compile(r"^(occupations|skills)_([a-z]{2})\.csv$", re.IGNORECASE)


def open_source(paths: Sequence[Path]) -> Source:
    """The ESCO release in ``paths``: the two CSV zips, a folder holding them, or the unzipped CSVs.

    Raises:
        InputError: a file is missing, or the release is not the English one.
    """
    found = find_members(paths)
    languages = {m.group(2).lower() for name in found if (m := _LANGUAGE.match(name))}
    if languages and "en" not in languages:
        raise InputError(f"kg imports the English ESCO files; found the {', '.join(sorted(languages))} ones")
    files = pick_files(found, FILES, "ESCO v1.1 (English, CSV)")
    return Source("esco", ESCO_GRAPH, files, sum(m.size for m in files.values()), "bytes", read)


def read(source: Source, graph: ox.NamedNode, on_progress: Progress | None, counts: Counter[str]) -> Iterator[ox.Quad]:
    """Every quad of the release: concepts, hierarchy, then occupation-skill relations."""
    schemes: set[str] = set()
    for key in CONCEPTS:
        yield from _concepts(source.files[key], key, graph, on_progress, counts, schemes)
    for key in ("occupation_broader", "skill_broader"):
        yield from _broader(source.files[key], graph, on_progress, counts)
    yield from _relations(source.files["relations"], graph, on_progress, counts)
    for scheme in sorted(schemes):
        yield ox.Quad(ox.NamedNode(scheme), TYPE, CONCEPT_SCHEME, graph)


def _concepts(
    member: Member, key: str, graph: ox.NamedNode, on_progress: Progress | None, counts: Counter[str], schemes: set[str]
) -> Iterator[ox.Quad]:
    kg_iri, esco_iri, counter = CONCEPTS[key]
    kg_class, esco_class = ox.NamedNode(kg_iri), ox.NamedNode(esco_iri)
    is_skill = key == "skills"
    columns = ["conceptUri", "preferredLabel", "altLabels", "inScheme"]
    columns += ["hiddenLabels"] if key != "isco" else []
    columns += ["skillType", "reuseLevel"] if is_skill else ["code"]
    for line, values in csv_rows(member, columns, on_progress):
        row = dict(zip(columns, values))
        node = named_node(row["conceptUri"], member, line)
        counts[counter] += 1
        yield ox.Quad(node, TYPE, kg_class, graph)
        yield ox.Quad(node, TYPE, esco_class, graph)
        yield from label_quads(node, row["preferredLabel"], split_cell(row["altLabels"]),
                               split_cell(row.get("hiddenLabels", "")), graph)
        for scheme in split_cell(row["inScheme"], "\n,"):
            schemes.add(scheme)
            yield ox.Quad(node, IN_SCHEME, named_node(scheme, member, line), graph)
        if row.get("code", "").strip():
            yield ox.Quad(node, NOTATION, ox.Literal(row["code"].strip()), graph)
        if is_skill:
            if skill_type := SKILL_TYPES.get(row["skillType"].strip()):
                yield ox.Quad(node, SKILL_TYPE, ox.NamedNode(ESCO_SKILL_TYPE + skill_type), graph)
            if (level := row["reuseLevel"].strip()) in REUSE_LEVELS:
                yield ox.Quad(node, REUSE_LEVEL, ox.NamedNode(ESCO_REUSE_LEVEL + level), graph)


def _broader(
    member: Member, graph: ox.NamedNode, on_progress: Progress | None, counts: Counter[str]
) -> Iterator[ox.Quad]:
    key = "skill_broader" if "skill" in member.name.lower() else "occupation_broader"
    for line, (narrower, broader) in csv_rows(member, ["conceptUri", "broaderUri"], on_progress):
        counts[key] += 1
        yield ox.Quad(named_node(narrower, member, line), BROADER, named_node(broader, member, line), graph)


def _relations(
    member: Member, graph: ox.NamedNode, on_progress: Progress | None, counts: Counter[str]
) -> Iterator[ox.Quad]:
    predicates = {kind: ox.NamedNode(iri) for kind, iri in RELATIONS.items()}
    for line, (occupation, kind, skill) in csv_rows(member, ["occupationUri", "relationType", "skillUri"], on_progress):
        predicate = predicates.get(kind.strip())
        if predicate is None:
            raise InputError(f"{member.where()} line {line}: relationType must be essential or optional, not {kind!r}")
        counts[kind.strip()] += 1
        yield ox.Quad(named_node(occupation, member, line), predicate, named_node(skill, member, line), graph)
