"""The drawings: what each view selects, the figures and sources behind each node, the layout, and a page that is
safe, offline and deterministic."""

from __future__ import annotations

import hashlib
import json
import math
import random
import re
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from browser_support import (
    EXTERNAL,
    XSS_IMG,
    XSS_SCRIPT,
    iri,
    synthetic_store,
    tiny_store,
    xss_store,
)
from kg import viz
from kg.errors import NotFoundError, UsageError
from kg.html import script_json
from kg.namespaces import ESCO_DATA, KG, ONET, SKOS
from kg.property_graph import property_graph
from kg.viz import assets
from kg.viz.details import Link
from kg.viz.layout import Node, layout
from kg.viz.network import network
from kg.viz.render import page_data
from kg.viz.spread import LINE_HEIGHT, Box, overlapping, spread, text_width

DATA_SCRIPT = re.compile(r'<script type="application/json" id="kg-data">(.*?)</script>', re.DOTALL)
NETWORK_SCRIPT = re.compile(r'<script type="application/json" id="kg-network">(.*?)</script>', re.DOTALL)


@pytest.fixture(scope="module")
def db() -> ox.Store:
    return tiny_store()


def embedded(html: str) -> dict:
    """The JSON the page embeds for its nodes and edges."""
    match = DATA_SCRIPT.search(html)
    assert match, "the page has no data block"
    return json.loads(match.group(1))


def ids_of(data: dict) -> list[str]:
    """The IRIs of the page's nodes, in its order: each is a prefix (by index) and the rest."""
    nodes = data["n"]
    return [data["prefixes"][ns] + local for ns, local in zip(nodes["ns"], nodes["local"])]


def locals_of(nodes: object) -> set[str]:
    return {node.rsplit("/", 1)[1] for node in nodes}  # type: ignore[attr-defined]


def imported_store() -> ox.Store:
    """The tiny store plus two ESCO concepts and an O*NET one; the alignments link one ESCO concept to Python."""
    db = tiny_store()
    aligned, loose, onet = ESCO_DATA + "skill/python-programming", ESCO_DATA + "skill/knitting", ONET + "technology/x"
    quads = []
    for concept, label in ((aligned, "Python (computer programming)"), (loose, "knitting"), (onet, "Spreadsheets")):
        quads += [ox.Quad(ox.NamedNode(concept), ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
                          ox.NamedNode(KG + "Skill")),
                  ox.Quad(ox.NamedNode(concept), ox.NamedNode(SKOS + "prefLabel"), ox.Literal(label, language="en"))]
    quads.append(ox.Quad(ox.NamedNode(iri("skill", "python")), ox.NamedNode(SKOS + "exactMatch"),
                         ox.NamedNode(aligned)))
    db.extend(quads)
    return db


# ------------------------------------------------------------------ selecting


def test_whole_graph_draws_entities_and_counts_postings(db: ox.Store) -> None:
    view = viz.view(db)
    assert view.type_counts() == {"Role": 3, "Skill": 9, "Company": 2, "Domain": 6}
    assert view.postings_not_drawn == 3
    assert not view.pruned
    # 27 links of the graph, and 9 from each company to what its own postings ask for
    assert view.summary() == "20 nodes (3 Role, 9 Skill, 2 Company, 6 Domain), 36 edges"
    assert view.title == "Roles, skills and companies"


def test_postings_are_drawn_when_asked(db: ox.Store) -> None:
    view = viz.view(db, postings=True)
    assert view.type_counts()["JobPosting"] == 3
    assert view.postings_not_drawn == 0


def test_focus_resolves_aliases_in_any_case(db: ox.Store) -> None:
    view = viz.view(db, focus="TORCH", depth=1)
    assert view.title == "PyTorch"
    assert view.focus == (iri("skill", "pytorch"),)
    # the ML engineer asks for it, it sits in its domain, and NVIDIA's postings ask for it
    assert locals_of(view.graph.nodes) == {"pytorch", "ml-engineer", "dl-frameworks", "nvidia"}


@pytest.mark.parametrize(("depth", "expected"), [(0, 1), (1, 4), (2, 12)])
def test_focus_depth_widens_the_neighbourhood(db: ox.Store, depth: int, expected: int) -> None:
    assert viz.view(db, focus="pytorch", depth=depth).shown_nodes == expected


def test_unknown_focus_suggests_close_labels(db: ox.Store) -> None:
    with pytest.raises(NotFoundError) as caught:
        viz.view(db, focus="pytorh")
    assert "PyTorch" in caught.value.suggestions


def test_domain_view_takes_subdomains_their_skills_and_the_roles_asking(db: ox.Store) -> None:
    view = viz.view(db, domain="ml")
    assert locals_of(view.graph.nodes) == {"ml", "deep-learning", "dl-frameworks", "pytorch", "tensorflow",
                                           "kubernetes", "ml-engineer"}


def test_domain_view_needs_a_domain(db: ox.Store) -> None:
    with pytest.raises(NotFoundError):
        viz.view(db, domain="PyTorch")


def test_company_view_draws_what_its_postings_ask_for_and_profiles_second(db: ox.Store) -> None:
    view = viz.view(db, company="nvidia corporation")
    assert view.title == "NVIDIA"
    assert "2 postings" in view.subtitle
    assert locals_of(view.graph.nodes) == {"nvidia", "ml-engineer", "verification-engineer", "python", "pytorch",
                                           "kubernetes", "tensorflow", "systemverilog", "uvm"}
    # TensorFlow is in the ML engineer's profile, but no NVIDIA posting asks for it: the second layer
    assert locals_of(view.secondary) == {"tensorflow"}
    # NVIDIA's own figures: both of its postings require Python (the global figure is 3 postings)
    assert view.links[iri("company", "nvidia"), iri("skill", "python")] == Link(2, 1.0, "required", 2)
    assert view.postings[iri("skill", "python")] == 3


def test_one_focus_at_a_time(db: ox.Store) -> None:
    with pytest.raises(UsageError):
        viz.view(db, focus="python", company="NVIDIA")


# ------------------------------------------------------------------ figures, sources, aliases


def test_role_links_carry_level_share_and_counts(db: ox.Store) -> None:
    view = viz.view(db)
    assert view.links[iri("role", "ml-engineer"), iri("skill", "python")] == Link(1, 1.0, "required", 1)
    # the ML engineer prefers TensorFlow in its profile; its one posting does not ask for it
    assert view.links[iri("role", "ml-engineer"), iri("skill", "tensorflow")] == Link(0, 0.0, "preferred", 1)


def test_every_source_is_listed_with_file_and_line(db: ox.Store) -> None:
    view = viz.view(db)
    assert view.sources[iri("skill", "python")] == ("postings/acme.txt:3", "postings/nvidia.txt:12",
                                                    "postings/nvidia.txt:58")
    assert view.sources[iri("company", "nvidia")] == ("postings/nvidia.txt:12", "postings/nvidia.txt:58")


def test_sources_are_never_cut_short() -> None:
    view = viz.view(synthetic_store())
    assert max(len(places) for places in view.sources.values()) > 5  # the old tooltip stopped at 5, "and N more"
    # every posting has its own line here: each node lists one source per posting behind it
    assert all(len(places) == view.postings[node] for node, places in view.sources.items())


def test_postings_count_domains_through_their_subdomains(db: ox.Store) -> None:
    view = viz.view(db)
    assert view.postings[iri("domain", "programming")] == 3
    assert view.postings[iri("domain", "ml")] == 1  # PyTorch, two levels down, and Kubernetes: one posting


def test_aliases_are_there_for_search(db: ox.Store) -> None:
    view = viz.view(db)
    assert view.aliases[iri("skill", "kubernetes")] == ("K8s",)
    assert view.aliases[iri("company", "nvidia")] == ("Nvidia Corporation",)


# ------------------------------------------------------------------ after an import


def test_after_an_import_the_whole_graph_adds_only_the_aligned_concepts() -> None:
    view = viz.view(imported_store())
    assert ESCO_DATA + "skill/python-programming" in view.graph
    assert ESCO_DATA + "skill/knitting" not in view.graph and ONET + "technology/x" not in view.graph
    assert view.title == "Roles, skills and companies, with the ESCO and O*NET concepts aligned to them"
    assert "2 imported concepts without an alignment are left out" in view.note()
    assert view.graph.nodes[ESCO_DATA + "skill/python-programming"]["taxonomy"] == "ESCO"
    assert view.graph.has_edge(iri("skill", "python"), ESCO_DATA + "skill/python-programming", key="exactMatch")
    assert view.type_counts() == {"Role": 3, "Skill": 10, "Company": 2, "Domain": 6}


def test_all_draws_every_imported_concept() -> None:
    view = viz.view(imported_store(), everything=True)
    assert {ESCO_DATA + "skill/knitting", ONET + "technology/x"} <= set(view.graph.nodes)
    assert view.title == "Roles, skills and companies, and all of ESCO and O*NET"


# ------------------------------------------------------------------ pruning


def test_pruning_keeps_the_most_connected_and_says_so(db: ox.Store) -> None:
    view = viz.view(db, max_nodes=10)
    assert view.shown_nodes == 10
    assert view.total_nodes == 20
    assert view.note() == "showing 10 of 20 nodes, the most connected"
    assert "Showing 10 of 20 nodes, the most connected." in viz.page(view)


def test_pruning_ties_keep_companies_and_domains_before_skills() -> None:
    import networkx as nx

    graph = nx.MultiDiGraph()
    graph.add_node("r", type="Role", label="role")
    for name, kind in [("s1", "Skill"), ("s2", "Skill"), ("c", "Company"), ("d", "Domain")]:
        graph.add_node(name, type=kind, label=name)
        graph.add_edge("r", name)
    assert viz.prune(graph, 3) == {"r", "c", "d"}


def test_pruning_never_drops_the_focus(db: ox.Store) -> None:
    view = viz.view(db, focus="UVM", depth=3, max_nodes=2)
    assert iri("skill", "uvm") in view.graph
    assert view.shown_nodes == 2


# ------------------------------------------------------------------ layout


def test_layout_places_every_node_deterministically() -> None:
    graph = property_graph(synthetic_store())
    nodes = [Node(n, data["type"], 1.0, len(data["label"])) for n, data in graph.nodes(data=True)]
    edges = [(s, t, rel) for s, t, rel in graph.edges(data="relation")]
    first = layout(nodes, edges)
    assert set(first) == set(graph.nodes)
    assert layout(list(reversed(nodes)), list(reversed(edges))) == first


def test_layout_puts_skills_around_their_domain() -> None:
    nodes = [Node("d1", "Domain"), Node("d2", "Domain"), Node("r", "Role")]
    nodes += [Node(f"a{i}", "Skill") for i in range(300)] + [Node(f"b{i}", "Skill") for i in range(300)]
    edges = [(f"a{i}", "d1", "partOfDomain") for i in range(300)]
    edges += [(f"b{i}", "d2", "partOfDomain") for i in range(300)]
    edges += [("r", "a0", "requiresSkill"), ("r", "b0", "requiresSkill")]
    where = layout(nodes, edges)

    def distance(a: str, b: str) -> float:
        return math.dist(where[a], where[b])

    assert all(distance(f"a{i}", "d1") < distance(f"a{i}", "d2") for i in range(300))
    assert all(distance(f"b{i}", "d2") < distance(f"b{i}", "d1") for i in range(300))


# ------------------------------------------------------------------ the page


def test_page_is_self_contained(db: ox.Store) -> None:
    html = viz.page(viz.view(db))
    assert not EXTERNAL.search(html)
    assert "<link" not in html
    assert "new Sigma(" in html and "graphology" in html
    assert 'id="legend"' in html and 'id="search"' in html


def test_vendored_scripts_are_the_recorded_files_with_their_licences() -> None:
    folder = Path(viz.__file__).parent / "vendor"
    for name, entry in assets.manifest().items():
        assert hashlib.sha256((folder / name).read_bytes()).hexdigest() == entry["sha256"]
        assert "Permission is hereby granted" in (folder / entry["licence"]).read_text(encoding="utf-8")
        assert "sourceMappingURL" not in assets.script(name)


def test_page_embeds_every_node_with_its_position_and_figures(db: ox.Store) -> None:
    view = viz.view(db)
    data = embedded(viz.page(view))
    nodes, ids = data["n"], ids_of(data)
    assert ids == sorted(view.graph.nodes)
    python = ids.index(iri("skill", "python"))
    assert nodes["label"][python] == "Python" and data["kinds"][nodes["kind"][python]] == "Skill"
    assert nodes["postings"][python] == 3
    assert all(isinstance(x, float) for x in nodes["x"] + nodes["y"])
    assert len(data["e"]) == 3 * view.graph.number_of_edges()
    sources = data["src"][str(python)]
    assert [data["files"][sources[i]] + ":" + str(sources[i + 1]) for i in range(0, len(sources), 2)] == list(
        view.sources[iri("skill", "python")])
    kubernetes = ids.index(iri("skill", "kubernetes"))
    assert data["aliases"][str(kubernetes)] == ["K8s"]


@pytest.mark.parametrize("options", [{}, {"focus": "python", "depth": 2}, {"company": "NVIDIA"}])
def test_page_is_deterministic(options: dict) -> None:
    first = viz.page(viz.view(tiny_store(), **options))
    second = viz.page(viz.view(tiny_store(), **options))
    assert first == second


# ------------------------------------------------------------------ focused views: pyvis and vis-network


def drawn_network(html: str) -> dict:
    """The vis-network data (nodes, edges, options) a focused view's page embeds."""
    match = NETWORK_SCRIPT.search(html)
    assert match, "the page has no network block"
    return json.loads(match.group(1))


@pytest.mark.parametrize("options", [{"focus": "python", "depth": 2}, {"company": "NVIDIA"}, {"domain": "ml"},
                                     {"focus": "machine learning engineer"}])
def test_focused_views_are_pyvis_networks_drawn_by_vis_network(db: ox.Store, options: dict) -> None:
    from pyvis.network import Network

    view = viz.view(db, **options)
    net = network(view)
    assert isinstance(net, Network)
    ids = sorted(view.graph.nodes)
    assert [node["id"] for node in net.nodes] == list(range(len(ids)))
    assert [node["label"] for node in net.nodes] == [view.graph.nodes[iri]["label"] for iri in ids]
    assert len(net.edges) == view.graph.number_of_edges()
    html = viz.page(view)
    assert "new vis.Network(" in html and "new Sigma(" not in html
    assert not EXTERNAL.search(html) and "<link" not in html
    drawn = drawn_network(html)
    assert [node["label"] for node in drawn["nodes"]] == [node["label"] for node in net.nodes]
    assert drawn["options"]["physics"]["enabled"] is False
    shapes = {view.graph.nodes[ids[node["id"]]]["type"]: node["shape"] for node in drawn["nodes"]}
    assert shapes.get("Company", "diamond") == "diamond" and shapes.get("Domain", "hexagon") == "hexagon"
    assert shapes.get("Skill") == "dot"
    assert ids_of(embedded(html)) == ids  # the details panel numbers nodes as the network does


def test_the_whole_graph_stays_on_webgl(db: ox.Store) -> None:
    html = viz.page(viz.view(db))
    assert "new Sigma(" in html and "vis.Network" not in html and 'id="kg-network"' not in html


def test_focused_view_labels_stay_data_in_the_network() -> None:
    html = viz.page(viz.view(xss_store(), focus=XSS_SCRIPT, depth=1))
    assert XSS_IMG not in html and XSS_SCRIPT not in html
    assert {XSS_IMG, XSS_SCRIPT} <= {node["label"] for node in drawn_network(html)["nodes"]}


def test_no_two_nodes_of_a_focused_view_overlap_with_their_labels() -> None:
    view = viz.view(synthetic_store(), domain="Domain 03")
    assert 100 < view.shown_nodes <= 1_500
    nodes = network(view).nodes
    boxes = [Box(node["size"], text_width(node["label"], node["font"]["size"]), node["font"]["size"] * LINE_HEIGHT)
             for node in nodes]
    assert overlapping([(node["x"], node["y"]) for node in nodes], boxes) == []


def test_spread_pushes_overlapping_boxes_apart_deterministically() -> None:
    rng = random.Random(3)
    start = [(rng.uniform(0, 1400), rng.uniform(0, 1000)) for _ in range(300)]  # half the area is boxes
    boxes = [Box(4.0 + i % 6, 40.0 + 3 * (i % 11), 15.0) for i in range(300)]
    assert len(overlapping(start, boxes)) > 250
    apart = spread(start, boxes)
    assert overlapping(apart, boxes) == []
    assert spread(start, boxes) == apart


def test_empty_graph_draws_an_empty_page() -> None:
    view = viz.view(ox.Store())
    assert view.summary() == "0 nodes (none), 0 edges"
    assert ids_of(embedded(viz.page(view))) == []


def test_injected_labels_stay_data() -> None:
    html = viz.page(viz.view(xss_store()))
    assert XSS_IMG not in html and XSS_SCRIPT not in html
    labels = set(embedded(html)["n"]["label"])
    assert {XSS_IMG, XSS_SCRIPT} <= labels


def test_titles_are_escaped() -> None:
    html = viz.page(viz.view(xss_store(), focus=XSS_SCRIPT, depth=1))
    assert "<title>&lt;/script&gt;&lt;script&gt;window.pwned=1&lt;/script&gt; · kg</title>" in html


@given(st.text())
def test_script_json_never_closes_a_script(text: str) -> None:
    encoded = script_json({"label": text})
    assert "<" not in encoded and ">" not in encoded and "&" not in encoded
    assert json.loads(encoded) == {"label": text}


def test_secondary_nodes_are_marked_in_the_page(db: ox.Store) -> None:
    data = page_data(viz.view(db, company="NVIDIA"))
    secondary = {ids_of(data)[i] for i, flag in enumerate(data["n"]["sec"]) if flag}
    assert secondary == {iri("skill", "tensorflow")}
    drawn = {rel["name"]: rel["drawn"] for rel in data["rel"]}
    assert drawn["asksFor"] is True  # the company's own asks are the lines of its view
    assert {rel["name"]: rel["drawn"] for rel in page_data(viz.view(db))["rel"]}["asksFor"] is False


# ------------------------------------------------------------------ the command


def test_viz_names_its_file_by_the_view() -> None:
    assert viz.file_name() == "kg.html"
    assert viz.file_name(focus="PyTorch Lightning") == "focus-pytorch-lightning.html"
    assert viz.file_name(company="AT&T") == "company-at-t.html"
    assert viz.file_name(domain="C/C++") == "domain-c-c.html"


def test_viz_command_names_the_file_and_refuses_to_overwrite(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from kg.cli import cli
    from kg.load import load_files
    from kg.store import LocalStore

    store = LocalStore.at(tmp_path / "store")
    load_files(store, [Path(__file__).parent / "data" / "viz" / "tiny.ttl"])
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    result = runner.invoke(cli, ["--store", str(store.path), "viz", "--company", "Nvidia"])
    assert result.exit_code == 0, result.output
    written = tmp_path / "company-nvidia.html"
    assert {"NVIDIA", "UVM"} <= set(embedded(written.read_text(encoding="utf-8"))["n"]["label"])
    assert result.stdout.startswith("wrote company-nvidia.html: 9 nodes")
    before = written.stat().st_mtime_ns
    again = runner.invoke(cli, ["--store", str(store.path), "viz", "--company", "Nvidia"])
    assert again.exit_code == UsageError.exit_code
    assert again.stderr.strip() == ("kg: error: company-nvidia.html exists: add --force to overwrite it, "
                                    "or choose another file with -o")
    assert written.stat().st_mtime_ns == before
    forced = runner.invoke(cli, ["--store", str(store.path), "viz", "--company", "Nvidia", "--force"])
    assert forced.exit_code == 0
    missing = runner.invoke(cli, ["--store", str(store.path), "viz", "--focus", "pytorh", "-o", "x.html"])
    assert missing.exit_code == NotFoundError.exit_code
