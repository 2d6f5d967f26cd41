"""exports/: which files are committed, that they are what `kg build` writes, and what they hold.

After a change to the data or to a writer, `kg build` regenerates exports/ and the one freshness
check passes again; the other tests read the committed files for their meaning: the counts of
each class against the files they come from, the same graph as the store, and the GraphML
attributes Gephi and Cytoscape read.
"""

from __future__ import annotations

import csv
import json
import subprocess
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

import networkx as nx
import pyoxigraph as ox
import pytest

from kg.build import COMMITTED_EXPORTS, EXPORT_NAMES
from kg.export import sorted_ntriples
from kg.namespaces import COMPANY, ENTITY_CLASSES, KG, RDF, RELATIONS, ROLE, SKILL
from kg.store import LocalStore

REPO = Path(__file__).resolve().parents[1]
EXPORTS = REPO / "exports"
GRAPHML = "{http://graphml.graphdrawing.org/xmlns}"


def parse(path: Path) -> list[ox.Triple]:
    return [q.triple for q in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE)]


@pytest.fixture(scope="module")
def turtle() -> list[ox.Triple]:
    """The committed kg.ttl."""
    return parse(EXPORTS / "kg.ttl")


def typed(triples: list[ox.Triple], cls: str) -> set[str]:
    kind = ox.NamedNode(KG + cls)
    return {t.subject.value for t in triples if t.predicate.value == RDF + "type" and t.object == kind}


def canonical(triples: list[ox.Triple]) -> set[str]:
    """The triples with canonical blank node labels: equal sets mean isomorphic graphs.

    Only the triples with a blank node are canonicalised (RDFC-1.0 on all 100,000 took most of a test's time):
    an isomorphism maps blank nodes only, so two graphs are isomorphic when their other triples are the same
    and their triples with blank nodes are isomorphic.
    """
    def blank(term: object) -> bool:
        return isinstance(term, ox.BlankNode)

    with_blanks = [t for t in triples if blank(t.subject) or blank(t.object)]
    ground = {str(t) for t in triples if not (blank(t.subject) or blank(t.object))}
    dataset = ox.Dataset(ox.Quad(t.subject, t.predicate, t.object) for t in with_blanks)
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return ground | {str(q) for q in dataset}


def test_committed_exports_are_what_build_writes(built_exports: Path) -> None:
    """The one freshness check: after a change to the data or the writers, `kg build` and commit exports/."""
    exports = built_exports
    missing = [name for name in COMMITTED_EXPORTS if not (EXPORTS / name).is_file()]
    assert not missing, f"not committed: {missing}; run `kg build`"
    stale = [name for name in COMMITTED_EXPORTS if (exports / name).read_bytes() != (EXPORTS / name).read_bytes()]
    assert not stale, f"stale: {stale}; run `kg build` and commit exports/"


def test_git_tracks_the_committed_exports_and_ignores_the_others() -> None:
    if not (REPO / ".git").exists():
        pytest.skip("not a git checkout")
    tracked = subprocess.run(["git", "ls-files", "exports"], cwd=REPO, capture_output=True, text=True, check=True)
    assert sorted(Path(line).name for line in tracked.stdout.split()) == sorted(COMMITTED_EXPORTS)
    others = [f"exports/{name}" for name in EXPORT_NAMES if name not in COMMITTED_EXPORTS]
    ignored = subprocess.run(["git", "check-ignore", *others], cwd=REPO, capture_output=True, text=True, check=False)
    assert ignored.stdout.split() == others


def test_turtle_holds_the_built_graph(turtle: list[ox.Triple], built: tuple[LocalStore, Path]) -> None:
    store, _ = built
    stored = [q.triple for q in ox.parse(sorted_ntriples(store.reader()), format=ox.RdfFormat.N_TRIPLES)]
    assert len(turtle) == len(stored) > 10_000
    assert canonical(turtle) == canonical(stored)


def test_turtle_counts_what_the_data_files_define(turtle: list[ox.Triple]) -> None:
    postings = [p for p in json.loads((REPO / "data" / "seed-postings.json").read_text(encoding="utf-8"))["postings"]
                if p["duplicate_of"] is None]
    for cls, name in (("Role", "roles.ttl"), ("Domain", "domains.ttl")):
        assert typed(turtle, cls) == typed(parse(REPO / "ontology" / name), cls), cls
    # kg's skills, and the ESCO and O*NET skills the seed postings name (read with the wide vocabulary)
    named = {s["iri"] for p in postings for s in p["skills"] if not s["iri"].startswith(SKILL)}
    assert typed(turtle, "Skill") == typed(parse(REPO / "ontology" / "skills.ttl"), "Skill") | named
    with open(REPO / "data" / "curated" / "companies.csv", encoding="utf-8", newline="") as handle:
        curated = {COMPANY + row["id"] for row in csv.DictReader(handle)}
    minted = {p["company_iri"] for p in postings if p["company_iri"] and p["company_iri"] not in curated}
    assert typed(turtle, "Company") == curated | minted
    assert len(typed(turtle, "JobPosting")) == len({p["id"] for p in postings})
    links = {(t.subject.value, t.predicate.value, t.object.value) for t in turtle}
    with open(REPO / "data" / "curated" / "hires.csv", encoding="utf-8", newline="") as handle:
        hires = {(COMPANY + row["company"], KG + "hires", ROLE + row["role"]) for row in csv.DictReader(handle)}
    assert hires <= links
    with open(REPO / "data" / "curated" / "profiles.csv", encoding="utf-8", newline="") as handle:
        profiles = {(ROLE + row["role"], KG + ("requiresSkill" if row["level"] == "required" else "prefersSkill"),
                     SKILL + row["skill"]) for row in csv.DictReader(handle)}
    assert profiles <= links


@pytest.fixture(scope="module")
def graphml() -> nx.MultiDiGraph:
    return nx.read_graphml(EXPORTS / "kg.graphml", force_multigraph=True)


def test_graphml_nodes_and_edges_are_the_graph_s(turtle: list[ox.Triple], graphml: nx.MultiDiGraph) -> None:
    kinds = list(ENTITY_CLASSES.values())  # a node of two classes takes the first
    members = {kind: typed(turtle, kind) for kind in kinds}
    every = set().union(*members.values())
    assert set(graphml.nodes) == every
    for iri, data in graphml.nodes(data=True):
        assert data["type"] == next(kind for kind in kinds if iri in members[kind])
    expected = {(t.subject.value, t.object.value, RELATIONS[t.predicate.value]) for t in turtle
                if t.predicate.value in RELATIONS and t.subject.value in every and t.object.value in every}
    found = [(u, v, d["relation"]) for u, v, d in graphml.edges(data=True)]
    assert len(found) == len(set(found)) == len(expected) > 2000
    assert set(found) == expected


def test_graphml_has_what_gephi_reads(graphml: nx.MultiDiGraph) -> None:
    keys = {(k.get("for"), k.get("attr.name")): k.get("attr.type")
            for k in ET.parse(EXPORTS / "kg.graphml").getroot().iter(f"{GRAPHML}key")}
    gephi = {("node", "label"): "string", ("node", "type"): "string", ("node", "iri"): "string",
             ("edge", "relation"): "string", ("edge", "weight"): "double"}
    assert gephi.items() <= keys.items()
    assert keys[("edge", "postings")] in {"int", "long"}
    for iri, data in graphml.nodes(data=True):
        assert data["label"] and data["iri"] == iri and data["type"] in ENTITY_CLASSES.values()
    for _, _, data in graphml.edges(data=True):
        assert data["postings"] >= 0 and data["weight"] == max(1, data["postings"])


def test_graphml_weights_count_the_postings_behind_each_link(turtle: list[ox.Triple],
                                                            graphml: nx.MultiDiGraph) -> None:
    about: dict[str, dict[str, str]] = {}
    for t in turtle:
        about.setdefault(t.subject.value, {})[t.predicate.value] = t.object.value
    records = typed(turtle, "SkillDemand")
    demand = {(facts[KG + "role"], facts[KG + "skill"]): int(facts[KG + "postingCount"])
              for node, facts in about.items() if node in records}
    hires = Counter((facts[KG + "postedBy"], facts[KG + "forRole"]) for facts in about.values()
                    if KG + "postedBy" in facts and KG + "forRole" in facts)
    asked = [(u, v, d) for u, v, d in graphml.edges(data=True)
             if d["relation"] in ("requiresSkill", "prefersSkill") and graphml.nodes[u]["type"] == "Role"]
    assert sum(1 for u, v, d in asked if d["postings"] > 0) > 100
    for role, skill, data in asked:
        assert data["postings"] == demand.get((role, skill), 0), (role, skill)
    hired = [(u, v, d) for u, v, d in graphml.edges(data=True) if d["relation"] == "hires"]
    assert sum(d["postings"] for _, _, d in hired) == sum(hires.values()) > 100
    for company, role, data in hired:
        assert data["postings"] == hires.get((company, role), 0)
