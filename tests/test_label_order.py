"""The ranks by label and the numbers of skills kept with the data (kg/label_order.py, kg/report_index.py).

``report-role-levels`` and ``report-domain-skills`` sort by the ranks and read the
numbers instead of sorting by labels and counting at query time (13 s and 23 s of
CPU on the graph ten times ESCO's size). These tests build a small made-up graph in
memory (a skill with two English labels, one with a French one, a role whose label
differs from another's only by case), check that the answers are in the order the
labels give, that the answers read what is kept, and that a write adding what the
ranks do not hold ranks again (the same as a full derivation).
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from kg import label_order, lookup_keys, queries, summaries
from kg.namespaces import KG, LOADED_GRAPH, POSTINGS_GRAPH, SKOS
from kg.store import LocalStore

PREFIXES = """@prefix kg: <https://w3id.org/jobkg/ontology#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix ex: <https://example.org/> .
"""
GRAPH = PREFIXES + """
ex:top a kg:Domain ; skos:prefLabel "Tools"@en .
ex:sub a kg:Domain ; skos:prefLabel "build tools"@en ; skos:broader ex:top .
ex:other a kg:Domain ; skos:prefLabel "analysis"@en .
ex:make a kg:Skill ; skos:prefLabel "make"@en ; kg:partOfDomain ex:sub .
ex:zeta a kg:Skill ; skos:prefLabel "Zeta"@en, "Alpha zeta"@en ; kg:partOfDomain ex:sub .
ex:bazel a kg:Skill ; skos:prefLabel "Bazel"@en, "bazel"@fr ; kg:partOfDomain ex:sub .
ex:stats a kg:Skill ; skos:prefLabel "statistics" ; kg:partOfDomain ex:other .
ex:idle a kg:Skill ; skos:prefLabel "unused"@en ; kg:partOfDomain ex:other .
ex:builder a kg:Role ; skos:prefLabel "build engineer"@en ;
    kg:requiresSkill ex:make, ex:zeta ; kg:prefersSkill ex:bazel, ex:make .
ex:analyst a kg:Role ; skos:prefLabel "Analyst"@en ; kg:requiresSkill ex:stats .
ex:analyst2 a kg:Role ; skos:prefLabel "analyst"@en ; kg:prefersSkill ex:stats, ex:zeta .
ex:idler a kg:Role ; skos:prefLabel "Idler"@en .
"""


def store() -> ox.Store:
    db = ox.Store()
    db.load(GRAPH.encode(), format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(LOADED_GRAPH))
    lookup_keys.refresh(db)
    summaries.refresh(db)
    return db


def answer(db: ox.Store, name: str) -> list[dict[str, object]]:
    return queries.rows(queries.run(db, queries.resolve(name), {}))


def test_role_levels_in_the_order_of_their_labels_with_the_kept_numbers() -> None:
    rows = answer(store(), "report-role-levels")
    got = [(r["label"], r["role"].rsplit("/", 1)[1], r["required_skills"], r["preferred_skills"]) for r in rows]
    # lower case, then the IRI: "Analyst" and "analyst" tie on the first; bazel is preferred only (make is required)
    assert got == [("Analyst", "analyst", 1, 0), ("analyst", "analyst2", 0, 2), ("build engineer", "builder", 2, 1),
                   ("Idler", "idler", 0, 0)]


def test_domain_skills_sort_each_label_of_a_skill_at_its_own_place() -> None:
    rows = answer(store(), "report-domain-skills")
    got = [(r["domainLabel"], r["label"]) for r in rows]
    # ex:zeta has two English labels: a row for each, where its label sorts; the French label and the skill
    # nobody asks for are left out
    assert got == [("analysis", "statistics"), ("Tools", "Alpha zeta"), ("Tools", "Bazel"), ("Tools", "make"),
                   ("Tools", "Zeta")]


def ranks(db: ox.Store) -> dict[str, int]:
    return {q.subject.value: int(q.object.value)
            for q in db.quads_for_pattern(None, label_order.ORDERS[ox.NamedNode(KG + "Role")], None, None)}


def test_the_report_sorts_by_the_kept_ranks_and_reads_the_kept_numbers() -> None:
    """What makes them fast: the answers come from what is kept, not from sorting labels and counting links."""
    db = store()
    order = label_order.ORDERS[ox.NamedNode(KG + "Role")]
    kept = ranks(db)
    first, last = (min(kept, key=kept.__getitem__), max(kept, key=kept.__getitem__))
    for role, rank in ((first, kept[last]), (last, kept[first])):  # swap the first and the last
        db.remove(ox.Quad(ox.NamedNode(role), order, ox.Literal(str(kept[role]), datatype=ox.NamedNode(
            "http://www.w3.org/2001/XMLSchema#integer")), label_order.GRAPH))
        db.add(ox.Quad(ox.NamedNode(role), order, ox.Literal(str(rank), datatype=ox.NamedNode(
            "http://www.w3.org/2001/XMLSchema#integer")), label_order.GRAPH))
    required = ox.NamedNode(KG + "requiredSkills")
    builder = ox.NamedNode("https://example.org/builder")
    (count,) = list(db.quads_for_pattern(builder, required, None, None))
    db.remove(count)
    db.add(ox.Quad(builder, required, ox.Literal("99", datatype=count.object.datatype), count.graph_name))
    rows = answer(db, "report-role-levels")
    roles = [r["role"] for r in rows]
    assert (roles[0], roles[-1]) == (last, first)
    assert {r["role"]: r["required_skills"] for r in rows}[builder.value] == 99


def full(db: ox.Store, graph: ox.NamedNode | None = None) -> set[str]:
    """The summaries of ``db`` (or one graph of them) derived again from scratch."""
    copy = ox.Store()
    copy.extend(db.quads_for_pattern(None, None, None, None))
    summaries.refresh(copy)
    return kept(copy, graph)


def kept(db: ox.Store, graph: ox.NamedNode | None = None) -> set[str]:
    graphs = [g for g in db.named_graphs() if isinstance(g, ox.NamedNode) and summaries.is_summary_graph(g.value)]
    return {str(q) for g in graphs if graph in (None, g) for q in db.quads_for_pattern(None, None, None, g)}


def test_postings_that_type_a_skill_or_label_it_again_rank_again() -> None:
    """An ingest adds a skill outside kg's vocabulary (typed, with its label) or a second label of a known one:
    the incremental derivation ranks again, as a full one does; postings that bring neither leave the ranks."""
    db = store()
    before = set(db.quads_for_pattern(None, None, None, label_order.GRAPH))
    postings = ox.NamedNode(POSTINGS_GRAPH)
    posting, new = ox.NamedNode("https://example.org/posting/1"), ox.NamedNode("https://example.org/ant")
    make = ox.NamedNode("https://example.org/make")
    db.extend([ox.Quad(posting, ox.NamedNode(KG + "requiresSkill"), make, postings)])
    summaries.refresh(db, skills=["https://example.org/make"])
    assert set(db.quads_for_pattern(None, None, None, label_order.GRAPH)) == before
    db.extend([ox.Quad(new, ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
                       ox.NamedNode(KG + "Skill"), postings),
               ox.Quad(new, ox.NamedNode(SKOS + "prefLabel"), ox.Literal("Ant", language="en"), postings),
               ox.Quad(posting, ox.NamedNode(KG + "requiresSkill"), new, postings)])
    summaries.refresh(db, skills=[new.value])
    assert kept(db, label_order.GRAPH) == full(db, label_order.GRAPH) != {str(q) for q in before}
    db.add(ox.Quad(ox.NamedNode("https://example.org/make"), ox.NamedNode(SKOS + "prefLabel"),
                   ox.Literal("GNU make", language="en"), postings))
    summaries.refresh(db, skills=["https://example.org/make"])
    assert kept(db, label_order.GRAPH) == full(db, label_order.GRAPH)
    tools = [r["label"] for r in answer(db, "report-domain-skills") if r["domainLabel"] == "Tools"]
    assert tools == ["Alpha zeta", "Bazel", "GNU make", "make", "Zeta"]


def test_roles_whose_links_change_are_counted_again() -> None:
    db = store()
    analyst = ox.NamedNode("https://example.org/analyst")
    db.add(ox.Quad(analyst, ox.NamedNode(KG + "prefersSkill"), ox.NamedNode("https://example.org/make"),
                   ox.NamedNode(POSTINGS_GRAPH)))
    summaries.refresh(db, skills=["https://example.org/make"], roles=[analyst.value])
    assert kept(db) == full(db)
    assert {r["label"]: r["preferred_skills"] for r in answer(db, "report-role-levels")}["Analyst"] == 1


@pytest.mark.slow
def test_importing_and_dropping_a_taxonomy_ranks_again(tmp_path: Path) -> None:
    """The ranks span every vocabulary: an import adds its concepts to them, a drop takes them out again."""
    from kg.taxonomies import drop, import_taxonomy
    from taxonomy_samples import write_esco

    store = LocalStore.at(tmp_path / "store")
    store.write(lambda db: db.load(GRAPH.encode(), format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(LOADED_GRAPH)))
    store.write(lambda db: (lookup_keys.refresh(db), summaries.refresh(db)))
    alone = kept(store.reader(), label_order.GRAPH)
    import_taxonomy(store, "esco", write_esco(tmp_path / "esco"))
    assert kept(store.reader(), label_order.GRAPH) == full(store.reader(), label_order.GRAPH) != alone
    drop(store, "esco")
    assert kept(store.reader(), label_order.GRAPH) == alone
