"""Derived demand: adding postings updates it incrementally, to exactly what a full recount gives."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox
import pytest

from conftest import summary_quads
from kg import derive, graph_sizes, summaries
from kg.ingest import ingest
from kg.load import load_files
from kg.namespaces import COMPANY, DERIVED_GRAPH, PAIRS_GRAPH
from kg.store import LocalStore
from kg.terms import POSTED_BY, PREFERS_SKILL, REQUIRES_SKILL, XSD_INTEGER

TABLES = Path(__file__).parent / "data" / "tables"
SKILLS = ["Python", "SQL", "Airflow", "Kafka", "Spark", "PyTorch", "Docker", "Kubernetes", "Tableau", "Terraform"]
ROLES = ["Data Engineer", "Data Scientist", "Machine Learning Engineer", "Data Analyst"]
PLACES = ["Austin, TX", "Berlin, Germany", "Remote - US", "London, UK", "Toronto, ON, Canada"]


def write_postings(path: Path, start: int, count: int) -> Path:
    with path.open("w", encoding="utf-8") as handle:
        for i in range(start, start + count):
            skills = [SKILLS[(i * k) % len(SKILLS)] for k in (1, 3, 7)]
            handle.write(json.dumps({
                "title": ROLES[i % len(ROLES)], "company": f"Company {i % 13}",
                "description": f"Posting {i}. You know {skills[0]} and {skills[1]}. {skills[2]} is a plus.",
                "date_posted": f"2024-{1 + i % 12:02d}-{1 + i % 27:02d}", "location": PLACES[i % len(PLACES)],
            }) + "\n")
    return path


def derived(store: LocalStore) -> list[str]:
    return sorted(str(q) for q in store.reader().quads_for_pattern(None, None, None, ox.NamedNode(DERIVED_GRAPH)))


def everything(store: LocalStore) -> list[str]:
    return sorted(map(str, store.reader()))


@pytest.mark.slow
def test_adding_postings_gives_what_a_full_recount_gives(tmp_path: Path,
                                                         copy_built: Callable[[str], LocalStore]) -> None:
    first = write_postings(tmp_path / "first.jsonl", 0, 60)
    second = write_postings(tmp_path / "second.jsonl", 60, 25)
    stepwise = copy_built("stepwise")
    ingest(stepwise, [str(first)])
    ingest(stepwise, [str(second), str(TABLES / "linkedin.csv")])
    at_once = copy_built("at-once")
    ingest(at_once, [str(first), str(second), str(TABLES / "linkedin.csv")])
    assert everything(stepwise) == everything(at_once)
    recounted = ox.Store()
    recounted.extend(stepwise.reader())
    derive.refresh(recounted)
    assert sorted(str(q) for q in recounted.quads_for_pattern(None, None, None, ox.NamedNode(DERIVED_GRAPH))) \
        == derived(stepwise)
    assert any("MonthlyDemand" in q for q in derived(stepwise)) and any("PlaceDemand" in q for q in derived(stepwise))
    pairs = ox.NamedNode(PAIRS_GRAPH)
    assert sorted(map(str, recounted.quads_for_pattern(None, None, None, pairs))) \
        == sorted(map(str, stepwise.reader().quads_for_pattern(None, None, None, pairs))) != []


def test_reingesting_leaves_the_derived_counts_alone(tmp_path: Path, copy_built: Callable[[str], LocalStore]) -> None:
    first = write_postings(tmp_path / "first.jsonl", 0, 30)
    store = copy_built("s")
    ingest(store, [str(first)])
    before = derived(store)
    again = ingest(store, [str(first)])
    assert again.new == 0 and derived(store) == before


@pytest.mark.slow
def test_postings_of_new_companies_are_added_without_a_recount(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                               copy_built: Callable[[str], LocalStore]) -> None:
    # The check for a derived graph of an older kg looks at the first company a posting names. Asked after the new
    # postings are stored, it found a company not counted yet and recounted every posting on each such ingest.
    path = tmp_path / "new.jsonl"
    path.write_text("".join(json.dumps({"title": "Data Engineer", "company": f"Newco {i}",
                                        "description": f"Posting {i}. You know Python and SQL."}) + "\n"
                            for i in range(200)), encoding="utf-8")
    store = copy_built("s")
    recounts: list[int] = []
    refresh = derive.refresh
    monkeypatch.setattr(derive, "refresh", lambda db: recounts.append(1) or refresh(db))
    assert ingest(store, [str(path)]).new == 200
    first = next(store.reader().quads_for_pattern(None, POSTED_BY, None, None))
    assert first.object.value.startswith(COMPANY + "newco")  # the case that recounted
    assert recounts == []


def mark_older(store: LocalStore, version: int | None) -> None:
    """Make ``store`` look derived by an older kg: derived-data ``version``, or none (a kg before the marker)."""
    def mark(db: ox.Store) -> None:
        for quad in list(db.quads_for_pattern(graph_sizes.GRAPH, graph_sizes.VERSION, None, graph_sizes.GRAPH)):
            db.remove(quad)
        if version is not None:
            db.add(ox.Quad(graph_sizes.GRAPH, graph_sizes.VERSION, ox.Literal(str(version), datatype=XSD_INTEGER),
                           graph_sizes.GRAPH))

    store.write(mark)
    assert not graph_sizes.is_current(store.reader())


def counting(calls: Counter[str], name: str, function: Callable[..., int]) -> Callable[..., int]:
    """``function``, counting its calls in ``calls[name]``."""
    def counted(*args: object, **kwargs: object) -> int:
        calls[name] += 1
        return function(*args, **kwargs)

    return counted


@pytest.mark.slow  # five writes of a built store, three of them derive it all again
@pytest.mark.parametrize(("write", "made_by"), [("ingest", "this kg"), ("ingest", "no version"),
                                                ("ingest", "version 0"), ("load", "this kg"), ("load", "no version")])
def test_a_write_derives_an_older_store_once_and_a_current_one_in_proportion(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, copy_built: Callable[[str], LocalStore], write: str,
        made_by: str) -> None:
    # A store derived by an older kg was derived twice by an ingest or a load: updated (or, when the derived graph
    # lacked the company tallies, recounted) and summed up by the write, then all of it again by graph_sizes.finish.
    store = copy_built("store")
    if made_by != "this kg":
        mark_older(store, None if made_by == "no version" else graph_sizes.DERIVED_VERSION - 1)
    calls: Counter[str] = Counter()
    for module, name in ((derive, "refresh"), (derive, "update"), (summaries, "refresh")):
        monkeypatch.setattr(module, name, counting(calls, f"{module.__name__}.{name}", getattr(module, name)))
    postings = write_postings(tmp_path / "new.jsonl", 0, 20)
    if write == "ingest":
        assert ingest(store, [str(postings)]).new == 20
    else:
        turtle = tmp_path / "extra.ttl"
        turtle.write_text("<https://example.org/a> <https://example.org/b> \"c\" .\n", encoding="utf-8")
        load_files(store, [turtle])
    older = made_by != "this kg"
    assert calls == Counter({"kg.derive.refresh": 1 if older else 0,
                             "kg.derive.update": 1 if write == "ingest" and not older else 0,
                             "kg.summaries.refresh": 1}), calls
    assert graph_sizes.is_current(store.reader())
    if older and write == "ingest":  # derived all again, it holds what an ingest into a current store leaves
        monkeypatch.undo()
        current = copy_built("current")
        ingest(current, [str(postings)])
        assert everything(store) == everything(current)


@pytest.mark.slow
def test_a_role_that_comes_to_require_a_skill_it_preferred_is_summed_up_again(
        tmp_path: Path, copy_built: Callable[[str], LocalStore]) -> None:
    # The role's link to the skill changes predicate, not (role, skill): the incremental step compared pairs, so the
    # skill's count of roles requiring it and the company's count of its roles requiring it stayed as they were.
    teams = ["Aurora", "Basalt", "Cobalt", "Dune", "Ember", "Fjord", "Garnet"]

    def postings(path: Path, start: int, count: int, line: str) -> Path:
        path.write_text("".join(json.dumps({
            "title": "Data Analyst", "company": "Fluxco",
            "description": f"Team {teams[i]} works on floor {3 * i + 2}. "
                           f"You know {SKILLS[i]} and {SKILLS[i + 1]}. {line}",
        }) + "\n" for i in range(start, start + count)), encoding="utf-8")
        return path

    store = copy_built("store")
    ingest(store, [str(postings(tmp_path / "a.jsonl", 0, 3, "Terraform is a plus."))])
    role_links = {(q.predicate.value, q.object.value) for q in store.reader().quads_for_pattern(
        None, None, ox.NamedNode("https://w3id.org/jobkg/id/skill/terraform"), ox.NamedNode(DERIVED_GRAPH))
        if q.subject.value.endswith("/data-analyst")}
    assert role_links == {(str(PREFERS_SKILL.value), "https://w3id.org/jobkg/id/skill/terraform")}
    ingest(store, [str(postings(tmp_path / "b.jsonl", 3, 4, "You know Terraform."))])
    assert next(store.reader().quads_for_pattern(None, REQUIRES_SKILL, ox.NamedNode(
        "https://w3id.org/jobkg/id/skill/terraform"), ox.NamedNode(DERIVED_GRAPH)), None) is not None
    full = ox.Store()
    full.extend(store.reader())
    summaries.refresh(full)
    assert summary_quads(full) == summary_quads(store.reader())
