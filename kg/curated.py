"""The curated part of the default dataset: vocabularies and reviewed facts, as quads.

- ``ontology/*.ttl``: the ontology and the SKOS vocabularies (domains, skills,
  roles) and, when present, ``ontology/alignments/*.ttl``.
- ``data/curated/companies.csv``: ``id,label,aliases,sector`` (aliases ``|``-separated).
- ``data/curated/hires.csv``: ``company,role,sources`` (sources: seed ``FILE:LINE``, space-separated).
- ``data/curated/profiles.csv``: ``role,skill,level`` (level ``required`` or ``preferred``).

Every reference is checked: a typo in a CSV is an error naming the file and line.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from kg.errors import InputError
from kg.namespaces import COMPANY, KG, ROLE, SCHEMA, SKILL
from kg.resources import data_file, ontology_dir
from kg.terms import ALT_LABEL, COMPANY_CLASS, PREF_LABEL, TYPE, kg, value

VOCABULARY_FILES = ("kg.ttl", "domains.ttl", "skills.ttl", "roles.ttl")
LEVELS = {"required": KG + "requiresSkill", "preferred": KG + "prefersSkill"}


@dataclass(frozen=True)
class Row:
    """One CSV row with the place it came from."""

    values: dict[str, str]
    path: Path
    line: int

    def where(self) -> str:
        return f"{self.path.name} line {self.line}"


def read_csv(path: Path, columns: tuple[str, ...]) -> Iterator[Row]:
    """The rows of a curated CSV, checking its header.

    Raises:
        InputError: the file is missing or its header is not ``columns``.
    """
    try:
        handle = open(path, encoding="utf-8", newline="")  # noqa: SIM115 - closed by the with below
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror}") from exc
    with handle:
        reader = csv.DictReader(handle)
        if tuple(reader.fieldnames or ()) != columns:
            raise InputError(f"{path.name}: expected the header {','.join(columns)}, found {reader.fieldnames}")
        for values in reader:
            yield Row({k: (v or "").strip() for k, v in values.items() if k}, path, reader.line_num)


def vocabulary_quads(graph: ox.NamedNode) -> list[ox.Quad]:
    """The ontology, the vocabularies and the alignments, in ``graph``.

    Raises:
        InputError: a file is missing or is not valid Turtle.
    """
    folder = ontology_dir()
    paths = [folder / name for name in VOCABULARY_FILES]
    paths += sorted((folder / "alignments").glob("*.ttl"))
    quads: list[ox.Quad] = []
    for path in paths:
        try:
            parsed = ox.parse(path=str(path), format=ox.RdfFormat.TURTLE)
            quads.extend(ox.Quad(q.subject, q.predicate, q.object, graph) for q in parsed)
        except FileNotFoundError:
            raise InputError(f"the vocabulary file {path} is missing") from None
        except SyntaxError as exc:
            raise InputError(f"{path.name}: {exc}") from None
    return quads


def _typed(quads: list[ox.Quad], cls: str) -> set[str]:
    node = kg(cls)
    return {value(q.subject) for q in quads if q.predicate == TYPE and q.object == node}


def company_quads(graph: ox.NamedNode) -> list[ox.Quad]:
    """Companies from ``companies.csv``: type, labels and sector."""
    quads = []
    for row in read_csv(data_file("curated", "companies.csv"), ("id", "label", "aliases", "sector")):
        if not row.values["id"] or not row.values["label"]:
            raise InputError(f"{row.where()}: a company needs an id and a label")
        node = ox.NamedNode(COMPANY + row.values["id"])
        quads.append(ox.Quad(node, TYPE, COMPANY_CLASS, graph))
        label = ox.Literal(row.values["label"], language="en")
        quads.append(ox.Quad(node, PREF_LABEL, label, graph))
        for alias in filter(None, (a.strip() for a in row.values["aliases"].split("|"))):
            quads.append(ox.Quad(node, ALT_LABEL, ox.Literal(alias, language="en"), graph))
        if row.values["sector"]:
            quads.append(ox.Quad(node, ox.NamedNode(SCHEMA + "industry"), ox.Literal(row.values["sector"]), graph))
    return quads


def fact_quads(graph: ox.NamedNode, known: set[str]) -> list[ox.Quad]:
    """``hires`` and role profiles, every reference checked against ``known`` IRIs.

    Raises:
        InputError: a row names a company, role or skill that does not exist, or a bad level.
    """

    def ref(row: Row, column: str, namespace: str) -> ox.NamedNode:
        iri = namespace + row.values[column]
        if iri not in known:
            raise InputError(f"{row.where()}: unknown {column} {row.values[column]!r}")
        return ox.NamedNode(iri)

    quads = []
    for row in read_csv(data_file("curated", "hires.csv"), ("company", "role", "sources")):
        quads.append(ox.Quad(ref(row, "company", COMPANY), kg("hires"), ref(row, "role", ROLE), graph))
    for row in read_csv(data_file("curated", "profiles.csv"), ("role", "skill", "level")):
        if row.values["level"] not in LEVELS:
            raise InputError(f"{row.where()}: level must be required or preferred, not {row.values['level']!r}")
        predicate = ox.NamedNode(LEVELS[row.values["level"]])
        quads.append(ox.Quad(ref(row, "role", ROLE), predicate, ref(row, "skill", SKILL), graph))
    return quads


def curated_quads(graph: ox.NamedNode) -> list[ox.Quad]:
    """Everything curated: vocabularies, companies, hires and profiles."""
    quads = vocabulary_quads(graph) + company_quads(graph)
    known = _typed(quads, "Company") | _typed(quads, "Role") | _typed(quads, "Skill")
    return quads + fact_quads(graph, known)
