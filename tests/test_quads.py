"""Postings as quads: IRIs, provenance, salary, demand, SHACL shapes and the named queries."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pyoxigraph as ox
import pyshacl
import pytest
import rdflib

from kg import derive, lookup_keys, queries
from kg.errors import NotFoundError
from kg.extract import Vocabulary, extract_files
from kg.models import Posting, Salary, SkillMention
from kg.namespaces import (
    COMPANY,
    DEMAND,
    DERIVED_GRAPH,
    KG,
    POSTING,
    POSTINGS_GRAPH,
    PROV,
    RDF,
    ROLE,
    SCHEMA,
    SKILL,
    SKOS,
    XSD,
)
from kg.quads import distinct, load_postings, posting_quads, seed_quads, source_iri
from kg.resources import ontology_file
from kg.shacl_sparql import parsed_once

DATA = Path(__file__).parent / "data"
VOCAB = DATA / "vocab"
GRAPH = ox.NamedNode(POSTINGS_GRAPH)
TYPE = ox.NamedNode(RDF + "type")


@pytest.fixture(scope="module")
def postings(vocab: Vocabulary) -> list[Posting]:
    """Every hand-written test posting, duplicates flagged."""
    return extract_files([str(p) for p in sorted((DATA / "postings").iterdir())], vocab=vocab).postings


@pytest.fixture(scope="module")
def known_companies(vocab: Vocabulary) -> set[str]:
    return set(vocab.companies)


def vocabulary_quads(graph: ox.NamedNode) -> Iterator[ox.Quad]:
    """The test vocabulary and its companies as quads, the way the core graph holds them."""
    for name in ("domains.ttl", "skills.ttl", "roles.ttl"):
        for quad in ox.parse(path=str(VOCAB / name), format=ox.RdfFormat.TURTLE):
            yield ox.Quad(quad.subject, quad.predicate, quad.object, graph)
    for row in (VOCAB / "companies.csv").read_text(encoding="utf-8").splitlines()[1:]:
        ident, label = row.split(",")[:2]
        node = ox.NamedNode(COMPANY + ident)
        yield ox.Quad(node, TYPE, ox.NamedNode(KG + "Company"), graph)
        yield ox.Quad(node, ox.NamedNode(SKOS + "prefLabel"), ox.Literal(label, language="en"), graph)


def test_posting_nodes_carry_provenance(postings: list[Posting], known_companies: set[str]) -> None:
    quads = posting_quads(postings, GRAPH, known_companies=known_companies)
    plain = next(p for p in postings if p.source.endswith("plain.txt"))
    node = ox.NamedNode(POSTING + plain.id)
    triples = {(q.predicate.value, q.object) for q in quads if q.subject == node}
    source = source_iri(plain.source)
    assert (RDF + "type", ox.NamedNode(KG + "JobPosting")) in triples
    assert (KG + "startLine", ox.Literal("1", datatype=ox.NamedNode(XSD + "integer"))) in triples
    assert (PROV + "wasDerivedFrom", source) in triples
    assert (KG + "forRole", ox.NamedNode(ROLE + "data-scientist")) in triples
    assert (KG + "postedBy", ox.NamedNode(COMPANY + "acme")) in triples
    assert (KG + "requiresSkill", ox.NamedNode(SKILL + "python")) in triples
    assert (KG + "prefersSkill", ox.NamedNode(SKILL + "swift")) in triples
    assert ox.Quad(source, ox.NamedNode(KG + "sourceFile"), ox.Literal(plain.source), GRAPH) in quads
    assert all(q.graph_name == GRAPH for q in quads)


def test_mentions_and_salary_are_structured(postings: list[Posting], known_companies: set[str]) -> None:
    quads = posting_quads(postings, GRAPH, known_companies=known_companies)
    plain = next(p for p in postings if p.source.endswith("plain.txt"))
    mention = ox.NamedNode(f"{POSTING}{plain.id}/mention/python")
    about = {(q.predicate.value, q.object) for q in quads if q.subject == mention}
    assert (KG + "skill", ox.NamedNode(SKILL + "python")) in about
    assert (KG + "level", ox.NamedNode(KG + "Required")) in about
    assert (KG + "minYears", ox.Literal("4", datatype=ox.NamedNode(XSD + "integer"))) in about
    value = ox.NamedNode(f"{POSTING}{plain.id}/salary/value")
    facts = {q.predicate.value: q.object.value for q in quads if q.subject == value}
    assert facts[SCHEMA + "minValue"] == "120000.0" and facts[SCHEMA + "unitText"] == "YEAR"


def test_each_place_a_skill_was_read_is_a_text_span(postings: list[Posting], known_companies: set[str]) -> None:
    """The graph's provenance keeps where each mention was read: line, columns and the text there."""
    quads = posting_quads(postings, GRAPH, known_companies=known_companies)
    plain = next(p for p in postings if p.source.endswith("plain.txt"))
    mention = ox.NamedNode(f"{POSTING}{plain.id}/mention/python")
    spans = [q.object for q in quads if q.subject == mention and q.predicate == ox.NamedNode(KG + "span")]
    assert spans == [ox.NamedNode(f"{mention.value}/at/6-47-53")]
    facts = {q.predicate.value: q.object.value for q in quads if q.subject == spans[0]}
    assert facts == {
        RDF + "type": KG + "TextSpan", KG + "startLine": "6", KG + "startColumn": "47", KG + "endColumn": "53",
        KG + "exactText": "Python",
    }
    seed_like = Posting.from_facts(plain.to_facts())  # the facts file keeps the places, not the text
    kept = posting_quads([seed_like], GRAPH, known_companies=known_companies)
    assert not any(q.predicate == ox.NamedNode(KG + "exactText") for q in kept)
    assert any(q.subject == spans[0] and q.predicate == ox.NamedNode(KG + "startColumn") for q in kept)


def test_output_is_deterministic_and_duplicates_count_once(postings: list[Posting], known_companies: set[str]) -> None:
    first = posting_quads(postings, GRAPH, known_companies=known_companies)
    again = posting_quads(list(reversed(postings)), GRAPH, known_companies=known_companies)
    assert first == again == sorted(first, key=str)
    typed = {q.subject.value for q in first if q.predicate == TYPE and q.object == ox.NamedNode(KG + "JobPosting")}
    assert len(typed) == len([p for p in postings if p.duplicate_of is None])
    assert not any(p.id in {t.rsplit("/", 1)[-1] for t in typed} for p in postings if p.duplicate_of)


def test_unknown_companies_are_typed_and_labelled(known_companies: set[str]) -> None:
    posting = Posting(id="k1", source="x.txt", line=1, end_line=2, company="Hooli", company_iri=COMPANY + "hooli")
    quads = posting_quads([posting], GRAPH, known_companies=known_companies)
    hooli = ox.NamedNode(COMPANY + "hooli")
    assert ox.Quad(hooli, TYPE, ox.NamedNode(KG + "Company"), GRAPH) in quads
    assert ox.Quad(hooli, ox.NamedNode(SKOS + "prefLabel"), ox.Literal("Hooli", language="en"), GRAPH) in quads


def _posting(ident: str, role: str | None, *skills: tuple[str, str]) -> Posting:
    return Posting(
        id=ident, source="s.txt", line=1, end_line=1, role_iri=ROLE + role if role else None,
        skills=[SkillMention(s, SKILL + s, level, 1) for s, level in skills],  # type: ignore[arg-type]
    )


def stored(postings: list[Posting], known_companies: set[str] | None = None) -> ox.Store:
    """An in-memory store holding the quads of ``postings``, as ``kg ingest`` writes them."""
    db = ox.Store()
    db.extend(posting_quads(postings, POSTINGS_GRAPH, known_companies=known_companies or set()))
    return db


def test_demand_counts_shares_and_majority_level() -> None:
    postings = [
        _posting("a", "data-scientist", ("python", "required"), ("sql", "preferred")),
        _posting("b", "data-scientist", ("python", "preferred"), ("sql", "preferred")),
        _posting("c", "data-scientist", ("python", "required")),
        _posting("d", "data-engineer", ("sql", "required"), ("kafka", "preferred")),
        _posting("e", None, ("python", "required")),
    ]
    duplicate = _posting("a-2", "data-scientist", ("python", "preferred"))
    duplicate.duplicate_of = "a"
    rows = derive.demand(derive.stored_postings(stored([*postings, duplicate])))
    table = {(r.role.rsplit("/", 1)[-1], r.skill.rsplit("/", 1)[-1]): (r.count, r.total, r.share, r.level)
             for r in rows}
    assert table == {
        ("data-engineer", "kafka"): (1, 1, Decimal("1.0000"), "preferred"),
        ("data-engineer", "sql"): (1, 1, Decimal("1.0000"), "required"),
        ("data-scientist", "python"): (3, 3, Decimal("1.0000"), "required"),
        ("data-scientist", "sql"): (2, 3, Decimal("0.6667"), "preferred"),
    }
    quads = derive.derived_quads(stored([*postings, duplicate]), DERIVED_GRAPH)
    node = ox.NamedNode(DEMAND + "data-scientist--sql")
    assert ox.Quad(node, TYPE, ox.NamedNode(KG + "SkillDemand"), ox.NamedNode(DERIVED_GRAPH)) in quads
    share = ox.Literal("0.6667", datatype=ox.NamedNode(XSD + "decimal"))
    assert ox.Quad(node, ox.NamedNode(KG + "share"), share, ox.NamedNode(DERIVED_GRAPH)) in quads
    assert quads == sorted(quads, key=str)


def test_level_ties_go_to_required() -> None:
    rows = derive.demand(derive.stored_postings(stored([_posting("a", "x", ("go", "required")),
                                                        _posting("b", "x", ("go", "preferred"))])))
    assert [r.level for r in rows] == ["required"]


def shacl_report(quads: list[ox.Quad]) -> tuple[bool, str]:
    """Validate quads plus the test vocabulary against ontology/shapes.ttl."""
    data = rdflib.Graph()
    triples = [ox.Triple(q.subject, q.predicate, q.object) for q in [*quads, *vocabulary_quads(GRAPH)]]
    data.parse(data=ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES), format="nt")
    data.parse(ontology_file("kg.ttl"))
    shapes = rdflib.Graph().parse(ontology_file("shapes.ttl"))
    with parsed_once():  # as kg validate does: each SPARQL constraint parsed once, not once per node
        _, _, text = pyshacl.validate(data, shacl_graph=shapes, advanced=True)
    relevant = [line for line in text.splitlines() if "Message:" in line and "at least 3 skills" not in line]
    return not relevant, "\n".join(relevant)


def test_evidence_conforms_to_the_shapes(postings: list[Posting], known_companies: set[str]) -> None:
    quads = posting_quads(postings, GRAPH, known_companies=known_companies)
    quads += derive.derived_quads(stored(postings, known_companies), DERIVED_GRAPH)
    conforms, report = shacl_report(quads)
    assert conforms, report


def test_shapes_catch_a_broken_posting(known_companies: set[str]) -> None:
    posting = Posting(id="bad", source="b.txt", line=9, end_line=3, salary=Salary(10, 20, "usd", "year"))
    conforms, report = shacl_report(posting_quads([posting], GRAPH, known_companies=known_companies))
    assert not conforms
    assert "ends before it starts" in report and "ISO 4217" in report


@pytest.fixture(scope="module")
def store(postings: list[Posting], known_companies: set[str]) -> ox.Store:
    """An in-memory store with the test vocabulary (core graph) and the test postings."""
    db = ox.Store()
    db.extend(lookup_keys.with_keys(vocabulary_quads(ox.NamedNode("https://w3id.org/jobkg/graph/core"))))
    db.extend(lookup_keys.with_keys(posting_quads(postings, GRAPH, known_companies=known_companies)))
    derive.refresh(db)
    return db


def run(store: ox.Store, name: str, **params: str) -> list[list[object]]:
    """The rows of a named query, as kg runs it: names looked up (:mod:`kg.lookup`), values bound."""
    return [list(row.values()) for row in queries.rows(queries.run(store, queries.resolve(name), params))]


def test_postings_for_skill_query(store: ox.Store) -> None:
    rows = run(store, "postings-for-skill", skill="PYTHON")
    assert sorted((Path(r[2]).name, int(r[3]), r[4]) for r in rows) == [  # in the store's order: no sort
        ("notes.md", 11, "required"),
        ("plain.txt", 6, "required"),
        ("postings.jsonld", 7, "required"),
        ("single.json", 6, "required"),
    ]


def test_evidence_query_names_file_and_line(store: ox.Store) -> None:
    rows = run(store, "evidence", role="machine learning engineer", skill="pytorch")
    assert sorted((Path(r[3]).name, int(r[4]), int(r[5]), r[6]) for r in rows) == [
        ("notes.md", 30, 33, "required"),
        ("postings.jsonld", 16, 21, "required"),
    ]
    with pytest.raises(NotFoundError, match="no role called"):  # a value, never SPARQL
        run(store, "evidence", role='x" } UNION { ?s ?p ?o } #', skill="pytorch")


def test_salary_by_role_query(store: ox.Store) -> None:
    rows = run(store, "salary-by-role")
    assert [(r[0], r[1], r[2], int(r[3]), float(r[4]), float(r[5])) for r in rows] == [
        ("Data engineer", "EUR", "YEAR", 1, 70000.0, 90000.0),
        ("Data scientist", "USD", "YEAR", 1, 120000.0, 150000.0),
        ("Machine learning engineer", "USD", "HOUR", 1, 55.0, 55.0),
    ]


def test_facts_round_trip(postings: list[Posting]) -> None:
    for posting in postings:
        again = Posting.from_facts(posting.to_facts())
        assert again.to_facts() == posting.to_facts()
        assert again.title is None
    assert Posting.from_facts(postings[0].to_json()).to_json() == postings[0].to_json()


def test_seed_quads_come_from_the_bundled_facts_file() -> None:
    facts = load_postings(Path(__file__).resolve().parents[1] / "data" / "seed-postings.json")
    quads = seed_quads(POSTINGS_GRAPH)
    typed = {q.subject for q in quads if q.predicate == TYPE and q.object == ox.NamedNode(KG + "JobPosting")}
    assert len(typed) == len(distinct(facts)) > 240
    assert not any(q.object == ox.NamedNode(KG + "SkillDemand") for q in quads)
    assert quads == sorted(quads, key=str)


def test_skills_of_the_wide_vocabulary_are_typed_and_labelled(known_companies: set[str]) -> None:
    """An ESCO or O*NET skill read without the taxonomy imported still makes a valid graph."""
    esco = "http://data.europa.eu/esco/skill/a4346013-a967-4a58-a533-6b32ad1364c5"
    onet = "https://w3id.org/jobkg/id/onet/technology/python"
    skills = [SkillMention("data protection", esco, "required", 2), SkillMention("Python", onet, "required", 2),
              SkillMention("Python", SKILL + "python", "required", 2)]
    posting = Posting(id="w1", source="w.txt", line=1, end_line=2, skills=skills)
    quads = posting_quads([posting], GRAPH, known_companies=known_companies)
    for mention in skills[:2]:
        skill = ox.NamedNode(mention.iri)
        assert ox.Quad(skill, TYPE, ox.NamedNode(KG + "Skill"), GRAPH) in quads
        label = ox.Literal(mention.label, language="en")
        assert ox.Quad(skill, ox.NamedNode(SKOS + "prefLabel"), label, GRAPH) in quads
    assert not any(q.subject == ox.NamedNode(SKILL + "python") for q in quads)  # kg's own are typed in the core graph
    records = {q.subject.value.rsplit("/", 1)[-1] for q in quads if q.predicate == ox.NamedNode(KG + "skill")}
    assert records == {"esco-a4346013-a967-4a58-a533-6b32ad1364c5", "onet-python", "python"}
    conforms, report = shacl_report(quads)
    assert conforms, report
