"""The drawings: what each view selects, the tooltip facts, pruning, and a page that is safe and offline."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from browser_support import EXTERNAL, XSS_IMG, XSS_SCRIPT, iri, synthetic_store, tiny_store, xss_store
from kg import viz
from kg.errors import NotFoundError, UsageError
from kg.html import script_json
from kg.property_graph import property_graph

DATA_SCRIPT = re.compile(r'<script type="application/json" id="kg-data">(.*?)</script>', re.DOTALL)


@pytest.fixture(scope="module")
def db() -> ox.Store:
    return tiny_store()


def page_data(html: str) -> dict:
    """The JSON the page embeds for its nodes and edges."""
    match = DATA_SCRIPT.search(html)
    assert match, "the page has no data block"
    return json.loads(match.group(1))


def locals_of(view: viz.View) -> set[str]:
    return {node.rsplit("/", 1)[1] for node in view.graph.nodes}


# ------------------------------------------------------------------ selecting


def test_whole_graph_draws_entities_and_counts_postings(db: ox.Store) -> None:
    view = viz.view(db)
    assert view.type_counts() == {"Role": 3, "Skill": 9, "Company": 2, "Domain": 6}
    assert view.postings_not_drawn == 3
    assert not view.pruned
    assert view.summary() == "20 nodes (3 Role, 9 Skill, 2 Company, 6 Domain), 27 edges"


def test_postings_are_drawn_when_asked(db: ox.Store) -> None:
    view = viz.view(db, postings=True)
    assert view.type_counts()["JobPosting"] == 3
    assert view.postings_not_drawn == 0


def test_focus_resolves_aliases_in_any_case(db: ox.Store) -> None:
    view = viz.view(db, focus="TORCH", depth=1)
    assert view.title == "PyTorch"
    assert view.focus == (iri("skill", "pytorch"),)
    assert locals_of(view) == {"pytorch", "ml-engineer", "dl-frameworks"}


@pytest.mark.parametrize(("depth", "expected"), [(0, 1), (1, 3), (2, 9)])
def test_focus_depth_widens_the_neighbourhood(db: ox.Store, depth: int, expected: int) -> None:
    assert viz.view(db, focus="pytorch", depth=depth).shown_nodes == expected


def test_unknown_focus_suggests_close_labels(db: ox.Store) -> None:
    with pytest.raises(NotFoundError) as caught:
        viz.view(db, focus="pytorh")
    assert "PyTorch" in caught.value.suggestions


def test_domain_view_takes_subdomains_their_skills_and_the_roles_asking(db: ox.Store) -> None:
    view = viz.view(db, domain="ml")
    assert locals_of(view) == {"ml", "deep-learning", "dl-frameworks", "pytorch", "tensorflow", "kubernetes",
                               "ml-engineer"}


def test_domain_view_needs_a_domain(db: ox.Store) -> None:
    with pytest.raises(NotFoundError):
        viz.view(db, domain="PyTorch")


def test_company_view_takes_its_roles_and_their_skills(db: ox.Store) -> None:
    view = viz.view(db, company="nvidia corporation")
    assert view.title == "NVIDIA"
    assert locals_of(view) == {"nvidia", "ml-engineer", "verification-engineer", "python", "pytorch", "kubernetes",
                               "tensorflow", "systemverilog", "uvm"}


def test_one_focus_at_a_time(db: ox.Store) -> None:
    with pytest.raises(UsageError):
        viz.view(db, focus="python", company="NVIDIA")


# ------------------------------------------------------------------ facts


def test_skill_facts_count_roles_postings_and_list_sources(db: ox.Store) -> None:
    facts = dict(viz.view(db).facts[iri("skill", "python")])
    assert facts == {
        "Domains": "Programming languages",
        "Roles": "required by 2, preferred by 1",
        "Postings": "3",
        "Sources": "postings/acme.txt:3, postings/nvidia.txt:12, postings/nvidia.txt:58",
    }


def test_role_facts_use_its_domains(db: ox.Store) -> None:
    facts = dict(viz.view(db).facts[iri("role", "ml-engineer")])
    assert facts["Domains"] == "Machine learning"
    assert facts["Skills"] == "2 required, 2 preferred"
    assert facts["Hired by"] == "2 companies"


def test_focused_view_still_counts_on_the_whole_graph(db: ox.Store) -> None:
    view = viz.view(db, focus="PyTorch", depth=0)
    assert dict(view.facts[iri("skill", "pytorch")])["Postings"] == "1"


def test_graph_without_postings_has_no_sources(db: ox.Store) -> None:
    bare = ox.Store()
    bare.extend(q for q in db if not str(q.subject.value).startswith(iri("posting", "")))
    facts = dict(viz.view(bare).facts[iri("skill", "python")])
    assert facts["Postings"] == "0"
    assert "Sources" not in facts


# ------------------------------------------------------------------ pruning


def test_pruning_keeps_the_most_connected_and_says_so(db: ox.Store) -> None:
    view = viz.view(db, max_nodes=10)
    assert view.shown_nodes == 10
    assert view.total_nodes == 20
    assert view.note() == "showing 10 of 20 nodes, the most connected"
    degrees = property_graph(db).subgraph(viz.view(db).graph.nodes).degree
    kept = min(degrees(node) for node in view.graph.nodes)
    dropped = max(degrees(node) for node in viz.view(db).graph.nodes if node not in view.graph)
    assert kept >= dropped
    assert "Showing 10 of 20 nodes, the most connected." in viz.page(view)


def test_pruning_ties_keep_companies_and_domains_before_skills() -> None:
    import networkx as nx

    from kg.viz.select import prune

    graph = nx.MultiDiGraph()
    graph.add_node("r", type="Role", label="role")
    for name, kind in [("s1", "Skill"), ("s2", "Skill"), ("c", "Company"), ("d", "Domain")]:
        graph.add_node(name, type=kind, label=name)
        graph.add_edge("r", name)
    assert prune(graph, 3) == {"r", "c", "d"}


def test_pruning_never_drops_the_focus(db: ox.Store) -> None:
    view = viz.view(db, focus="UVM", depth=3, max_nodes=2)
    assert iri("skill", "uvm") in view.graph
    assert view.shown_nodes == 2


def test_big_graph_is_pruned_to_max_nodes() -> None:
    graph = property_graph(synthetic_store())
    view = viz.whole_graph(graph, max_nodes=500)
    assert view.total_nodes == 1030
    assert view.shown_nodes == 500
    assert "showing 500 of 1,030 nodes" in view.summary()


# ------------------------------------------------------------------ the page


def test_page_is_self_contained(db: ox.Store) -> None:
    html = viz.page(viz.view(db))
    assert not EXTERNAL.search(html)
    assert "<link" not in html
    assert "vis-network" in html and "window.network = network" in html
    assert 'id="legend"' in html and 'id="search"' in html


def test_page_embeds_every_node_with_its_type_and_facts(db: ox.Store) -> None:
    view = viz.view(db)
    data = page_data(viz.page(view))
    assert {node["id"] for node in data["nodes"]} == set(view.graph.nodes)
    python = next(node for node in data["nodes"] if node["id"] == iri("skill", "python"))
    assert python["kind"] == "Skill" and python["label"] == "Python"
    assert ["Postings", "3"] in python["facts"]
    assert len(data["edges"]) == view.graph.number_of_edges()
    assert data["options"]["layout"]["randomSeed"] == 7
    assert data["options"]["physics"]["stabilization"]["enabled"] is True


def test_page_is_deterministic() -> None:
    first = viz.page(viz.view(tiny_store(), focus="python", depth=2))
    second = viz.page(viz.view(tiny_store(), focus="python", depth=2))
    assert first == second


def test_whole_graph_page_from_a_property_graph(db: ox.Store) -> None:
    html = viz.page(viz.whole_graph(property_graph(db)))
    assert len(page_data(html)["nodes"]) == 20


def test_empty_graph_draws_an_empty_page() -> None:
    view = viz.whole_graph(property_graph(ox.Store()))
    assert view.summary() == "0 nodes (none), 0 edges"
    assert page_data(viz.page(view))["nodes"] == []


def test_injected_labels_stay_data() -> None:
    html = viz.page(viz.view(xss_store()))
    assert XSS_IMG not in html and XSS_SCRIPT not in html
    assert html.count("</script>") == 3  # the data block, vis-network, our script
    labels = {node["label"] for node in page_data(html)["nodes"]}
    assert {XSS_IMG, XSS_SCRIPT} <= labels


def test_titles_are_escaped() -> None:
    view = viz.view(xss_store(), focus=XSS_SCRIPT, depth=1)
    html = viz.page(view)
    assert "<title>&lt;/script&gt;&lt;script&gt;window.pwned=1&lt;/script&gt; · kg</title>" in html


@given(st.text())
def test_script_json_never_closes_a_script(text: str) -> None:
    encoded = script_json({"label": text})
    assert "<" not in encoded and ">" not in encoded and "&" not in encoded
    assert json.loads(encoded) == {"label": text}


# ------------------------------------------------------------------ marks (gap views)


def test_marks_recolour_nodes_and_join_the_legend(db: ox.Store) -> None:
    view = viz.view(db, focus="ML engineer").with_marks(
        {iri("skill", "python"): "have", iri("skill", "pytorch"): "missing", "https://nowhere": "have"},
        viz.GAP_COLOURS)
    assert view.marks == {iri("skill", "python"): "have", iri("skill", "pytorch"): "missing"}
    html = viz.page(view)
    nodes = {node["id"]: node for node in page_data(html)["nodes"]}
    assert nodes[iri("skill", "pytorch")]["color"]["background"] == "#e03131"
    assert nodes[iri("skill", "python")]["mark"] == "have"
    assert 'id="marks"' in html


def test_marks_need_colours(db: ox.Store) -> None:
    with pytest.raises(ValueError, match="missing"):
        viz.view(db).with_marks({iri("skill", "python"): "missing"}, {"have": "#2f9e44"})


# ------------------------------------------------------------------ the command


def test_viz_command_writes_a_focus_page(tmp_path: Path) -> None:
    from kg.cli import cli
    from kg.load import load_files
    from kg.store import LocalStore

    store = LocalStore.at(tmp_path / "store")
    load_files(store, [Path(__file__).parent / "data" / "viz" / "tiny.ttl"])
    out = tmp_path / "nvidia.html"
    result = CliRunner().invoke(cli, ["--store", str(store.path), "viz", "--company", "Nvidia", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert {node["label"] for node in page_data(out.read_text(encoding="utf-8"))["nodes"]} >= {"NVIDIA", "UVM"}
    missing = CliRunner().invoke(cli, ["--store", str(store.path), "viz", "--focus", "pytorh", "-o", str(out)])
    assert missing.exit_code == NotFoundError.exit_code
