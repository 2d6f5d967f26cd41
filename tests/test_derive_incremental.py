"""Derived demand: adding postings updates it incrementally, to exactly what a full recount gives."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg import derive
from kg.ingest import ingest
from kg.namespaces import COMPANY, DERIVED_GRAPH, PAIRS_GRAPH
from kg.store import LocalStore
from kg.terms import POSTED_BY

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
