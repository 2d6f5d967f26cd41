"""O*NET (Excel release) as quads: occupations, alternate titles and technology skills.

O*NET publishes no IRIs, so kg mints stable ones under ``https://w3id.org/jobkg/id/onet/``:

- ``occupation/{O*NET-SOC code}`` (``occupation/15-2051.00``): a ``kg:Role`` with
  ``skos:notation`` the code, ``skos:prefLabel`` its title and ``skos:altLabel`` its
  alternate and short titles;
- ``commodity/{UNSPSC code}`` (``commodity/43232202``): a ``kg:Domain`` with the
  commodity title;
- ``technology/{key}``: a technology example as a ``kg:Skill``, ``kg:partOfDomain``
  each commodity O*NET files it under. The key comes from the example's name alone
  (some examples sit under several commodities): case-folded, runs of white space
  as one ``_``, everything else percent-encoded (a ``_`` too), so ``PyTorch`` is
  ``pytorch``, ``Microsoft Excel`` is ``microsoft_excel`` and ``C++`` is ``c%2B%2B``;
  two names get the same IRI only if they differ in case alone.
- ``use/{code}/{key}``: one row of Technology Skills, a ``kg:TechnologyUse`` (the
  qualified form of the link, as PROV qualifies its relations): ``kg:occupation``,
  ``kg:skill``, and the row's flags as ``kg:hotTechnology`` and ``kg:inDemand``
  booleans. The occupation also ``kg:requiresSkill`` the technology directly, so
  every skill query sees it. A node rather than RDF reification: one subject per
  row, plain triple patterns to query, and room for more facts about the use.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator, Sequence
from pathlib import Path
from urllib.parse import quote

import pyoxigraph as ox

from kg.errors import InputError
from kg.namespaces import ONET_COMMODITY, ONET_GRAPH, ONET_OCCUPATION, ONET_SCHEME, ONET_TECHNOLOGY, ONET_USE
from kg.taxonomies.base import CONCEPT_SCHEME, NOTATION, Source, label_quads, pick_files
from kg.taxonomies.sources import Member, Progress, find_members, xlsx_row_count, xlsx_rows
from kg.terms import (
    ALT_LABEL,
    DOMAIN_CLASS,
    IN_SCHEME,
    OF_SKILL,
    PART_OF_DOMAIN,
    REQUIRES_SKILL,
    ROLE_CLASS,
    SKILL_CLASS,
    TYPE,
    boolean,
    kg,
)

FILES: dict[str, tuple[str, ...]] = {
    "occupations": ("Occupation Data.xlsx",),
    "titles": ("Alternate Titles.xlsx",),
    "technology": ("Technology Skills.xlsx",),
}
SOC_CODE = "O*NET-SOC Code"
_SOC = re.compile(r"^\d\d-\d{4}\.\d\d$")
FLAGS = {"Y": True, "N": False}

SCHEMES = {name: ox.NamedNode(ONET_SCHEME + name) for name in ("occupations", "technologies", "commodities")}
TECHNOLOGY_USE = kg("TechnologyUse")
OCCUPATION = kg("occupation")
HOT = kg("hotTechnology")
IN_DEMAND = kg("inDemand")


def technology_key(name: str) -> str:
    """The IRI key of an example's name: ``C++`` -> ``c%2B%2B``, ``Microsoft Excel`` -> ``microsoft_excel``."""
    return "_".join(quote(word, safe="").replace("_", "%5F") for word in name.casefold().split())


def technology_iri(name: str) -> str:
    """The IRI kg mints for an O*NET technology example."""
    return ONET_TECHNOLOGY + technology_key(name)


def occupation_iri(code: str) -> str:
    """The IRI kg mints for an O*NET-SOC occupation code."""
    return ONET_OCCUPATION + code


def open_source(paths: Sequence[Path]) -> Source:
    """The O*NET release in ``paths``: a folder (or zip) holding its Excel files, or the files themselves.

    Raises:
        InputError: a file is missing or is not a readable workbook.
    """
    files = pick_files(find_members(paths), FILES, "O*NET (Excel)")
    total = sum(xlsx_row_count(member) for member in files.values())
    return Source("onet", ONET_GRAPH, files, total, "rows", read)


def read(source: Source, graph: ox.NamedNode, on_progress: Progress | None, counts: Counter[str]) -> Iterator[ox.Quad]:
    """Every quad of the release: occupations, their titles, then technologies and their uses."""
    for scheme in SCHEMES.values():
        yield ox.Quad(scheme, TYPE, CONCEPT_SCHEME, graph)
    titles: dict[str, str] = {}
    yield from _occupations(source.files["occupations"], graph, on_progress, counts, titles)
    yield from _alternate_titles(source.files["titles"], graph, on_progress, counts, titles)
    yield from _technologies(source.files["technology"], graph, on_progress, counts)


def _soc(value: object, member: Member, line: int) -> str:
    code = str(value or "").strip()
    if not _SOC.match(code):
        raise InputError(f"{member.where()} row {line}: {SOC_CODE} must look like 15-2051.00, not {code!r}")
    return code


def _text(value: object) -> str:
    return " ".join(str(value).split()) if value is not None else ""


def _occupations(
    member: Member, graph: ox.NamedNode, on_progress: Progress | None, counts: Counter[str], titles: dict[str, str]
) -> Iterator[ox.Quad]:
    for line, (code, title) in xlsx_rows(member, [SOC_CODE, "Title"], on_progress):
        code = _soc(code, member, line)
        node = ox.NamedNode(occupation_iri(code))
        titles[code] = _text(title)
        counts["occupations"] += 1
        yield ox.Quad(node, TYPE, ROLE_CLASS, graph)
        yield ox.Quad(node, NOTATION, ox.Literal(code), graph)
        yield ox.Quad(node, IN_SCHEME, SCHEMES["occupations"], graph)
        yield from label_quads(node, titles[code], (), (), graph)


def _alternate_titles(
    member: Member, graph: ox.NamedNode, on_progress: Progress | None, counts: Counter[str], titles: dict[str, str]
) -> Iterator[ox.Quad]:
    columns = [SOC_CODE, "Alternate Title", "Short Title"]
    for line, (code, alternate, short) in xlsx_rows(member, columns, on_progress):
        code = _soc(code, member, line)
        counts["alternate_titles"] += 1
        node = ox.NamedNode(occupation_iri(code))
        for label in (_text(alternate), _text(short)):
            if label and label != titles.get(code):
                yield ox.Quad(node, ALT_LABEL, ox.Literal(label, language="en"), graph)


def _technologies(
    member: Member, graph: ox.NamedNode, on_progress: Progress | None, counts: Counter[str]
) -> Iterator[ox.Quad]:
    columns = [SOC_CODE, "Example", "Commodity Code", "Commodity Title", "Hot Technology", "In Demand"]
    seen_technologies: set[str] = set()
    seen_memberships: set[tuple[str, str]] = set()
    seen_commodities: set[str] = set()
    for line, (code, example, commodity, commodity_title, hot, demand) in xlsx_rows(member, columns, on_progress):
        code, name = _soc(code, member, line), _text(example)
        hot_flag, demand_flag = FLAGS.get(_text(hot).upper()), FLAGS.get(_text(demand).upper())
        if not name or hot_flag is None or demand_flag is None:
            raise InputError(f"{member.where()} row {line}: needs an Example, and Y or N as its two flags")
        commodity_code = _code(commodity, member, line)
        occupation = ox.NamedNode(occupation_iri(code))
        technology = ox.NamedNode(technology_iri(name))
        domain = ox.NamedNode(ONET_COMMODITY + commodity_code)
        if commodity_code not in seen_commodities:
            seen_commodities.add(commodity_code)
            counts["commodities"] += 1
            yield ox.Quad(domain, TYPE, DOMAIN_CLASS, graph)
            yield ox.Quad(domain, NOTATION, ox.Literal(commodity_code), graph)
            yield ox.Quad(domain, IN_SCHEME, SCHEMES["commodities"], graph)
            yield from label_quads(domain, _text(commodity_title), (), (), graph)
        if technology.value not in seen_technologies:
            seen_technologies.add(technology.value)
            counts["technologies"] += 1
            yield ox.Quad(technology, TYPE, SKILL_CLASS, graph)
            yield ox.Quad(technology, IN_SCHEME, SCHEMES["technologies"], graph)
            yield from label_quads(technology, name, (), (), graph)
        if (technology.value, commodity_code) not in seen_memberships:
            seen_memberships.add((technology.value, commodity_code))
            yield ox.Quad(technology, PART_OF_DOMAIN, domain, graph)
        counts["technology_uses"] += 1
        counts["hot"] += hot_flag
        counts["in_demand"] += demand_flag
        use = ox.NamedNode(f"{ONET_USE}{code}/{technology_key(name)}")
        yield ox.Quad(occupation, REQUIRES_SKILL, technology, graph)
        yield ox.Quad(use, TYPE, TECHNOLOGY_USE, graph)
        yield ox.Quad(use, OCCUPATION, occupation, graph)
        yield ox.Quad(use, OF_SKILL, technology, graph)
        yield ox.Quad(use, HOT, boolean(hot_flag), graph)
        yield ox.Quad(use, IN_DEMAND, boolean(demand_flag), graph)


def _code(value: object, member: Member, line: int) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    code = _text(value)
    if not code.isdigit():
        raise InputError(f"{member.where()} row {line}: Commodity Code must be a number, not {code!r}")
    return code
