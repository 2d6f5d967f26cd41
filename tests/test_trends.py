"""Answers over time and place: skill-trend, rising-skills, skills-by-location, with counts and thin flags."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kg import queries
from kg.honest import THIN_BELOW, is_thin, thin_note
from kg.ingest import ingest
from kg.store import LocalStore

#: (month, place, asks for Python, asks for Kafka) per posting.
POSTINGS = (
    [("2024-01", "Berlin, Germany", True, False)] * 3 + [("2024-01", "Berlin, Germany", False, True)] * 2
    + [("2024-01", "Austin, TX", False, False)]
    + [("2024-02", "Austin, TX", True, False)] * 3 + [("2024-02", "Berlin, Germany", True, False)]
)


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> LocalStore:
    root = tmp_path_factory.mktemp("trends")
    path = root / "dated.jsonl"
    with path.open("w", encoding="utf-8") as handle:
        for number, (month, place, python, kafka) in enumerate(POSTINGS, start=1):
            skills = " ".join(s for s, on in (("Python.", python), ("Kafka.", kafka)) if on) or "Excel."
            handle.write(json.dumps({"title": "Data Engineer", "company": "Acme", "description":
                                     f"Opening {number}. You know {skills}", "date_posted": f"{month}-1{number % 9}",
                                     "location": place}) + "\n")
    result = LocalStore.at(root / "store")
    ingest(result, [str(path)])
    return result


def rows(store: LocalStore, name: str, **params: str) -> list[dict]:
    return queries.rows(queries.run(store.reader(), queries.resolve(name), params))


def test_skill_trend_counts_postings_per_month(store: LocalStore) -> None:
    found = [(r["month"], r["postings"], r["total"], r["share"], r["thin"]) for r in rows(store, "skill-trend", skill="python")]
    assert found == [("2024-01", 3, 6, 0.5, ""), ("2024-02", 4, 4, 1.0, "thin: 4 postings")]
    kafka = [(r["month"], r["postings"]) for r in rows(store, "skill-trend", skill="kafka")]
    assert kafka == [("2024-01", 2), ("2024-02", 0)]  # a month where nobody asks is a row too
    assert [r["thin"] for r in rows(store, "skill-trend", skill="python", thin_below="3")] == ["", ""]


def test_rising_skills_compares_two_periods(store: LocalStore) -> None:
    found = {r["label"]: r for r in rows(store, "rising-skills", split="2024-02")}
    python = found["Python"]
    assert (python["before"], python["total_before"], python["share_before"]) == (3, 6, 0.5)
    assert (python["after"], python["total_after"], python["share_after"], python["change"]) == (4, 4, 1.0, 0.5)
    assert python["thin"] == "thin: 6 and 4 postings"
    assert found["Apache Kafka"]["change"] == pytest.approx(-0.3333)
    assert next(iter(found)) == "Python"  # the largest growth first


def test_skills_by_location(store: LocalStore) -> None:
    found = {(r["name"], r["label"]): (r["postings"], r["total"], r["share"], r["thin"])
             for r in rows(store, "skills-by-location")}
    assert found[("Berlin, BE, DE", "Python")] == (4, 6, 0.6667, "")
    assert found[("Berlin, BE, DE", "Apache Kafka")] == (2, 6, 0.3333, "")
    assert found[("Austin, TX, US", "Python")] == (3, 4, 0.75, "thin: 4 postings")
    assert {r["name"] for r in rows(store, "skills-by-location", country="de")} == {"Berlin, BE, DE"}
    assert {r["label"] for r in rows(store, "skills-by-location", city="austin", skill="python")} == {"Python"}


def test_the_thin_threshold_is_defined_once() -> None:
    assert THIN_BELOW == 5
    assert (is_thin(4), is_thin(5), is_thin(None)) == (True, False, True)
    assert (thin_note(1), thin_note(3), thin_note(5)) == ("thin: 1 posting", "thin: 3 postings", "")
    declared = [q.name for q in queries.list_queries() if any(p.name == "thin_below" for p in q.params)]
    assert {"skill-trend", "rising-skills", "skills-by-location", "skills-for-role", "salary-by-role"} <= set(declared)
    for name in declared:  # each gets kg's threshold unless the user gives another
        query = queries.resolve(name)
        required = {p.name: "x" for p in query.params if not p.optional}
        assert queries.bindings_for(query, required)["thin_below"].value == str(THIN_BELOW)
