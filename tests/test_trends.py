"""Answers over time and place: skill-trend, rising-skills, skills-by-location, with counts and thin flags."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from kg import queries
from kg.ingest import ingest
from kg.numbers import THIN_POSTINGS as THIN_BELOW
from kg.numbers import is_thin, thin_note
from kg.store import LocalStore

#: (month, place, asks for Python, asks for Kafka) per posting.
POSTINGS = (
    [("2024-01", "Berlin, Germany", True, False)] * 3 + [("2024-01", "Berlin, Germany", False, True)] * 2
    + [("2024-01", "Austin, TX", False, False)]
    + [("2024-02", "Austin, TX", True, False)] * 3 + [("2024-02", "Berlin, Germany", True, False)]
)


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory, built: tuple[LocalStore, Path]) -> LocalStore:
    root = tmp_path_factory.mktemp("trends")
    path = root / "dated.jsonl"
    with path.open("w", encoding="utf-8") as handle:
        for number, (month, place, python, kafka) in enumerate(POSTINGS, start=1):
            skills = " ".join(s for s, on in (("Python.", python), ("Kafka.", kafka)) if on) or "Excel."
            handle.write(json.dumps({"title": "Data Engineer", "company": "Acme", "description":
                                     f"Opening {number}. You know {skills}", "date_posted": f"{month}-1{number % 9}",
                                     "location": place}) + "\n")
    shutil.copytree(built[0].path, root / "store")  # what the first ingest into an empty store would add
    result = LocalStore.at(root / "store")
    ingest(result, [str(path)])
    return result


def rows(store: LocalStore, name: str, **params: str) -> list[dict]:
    return queries.rows(queries.run(store.reader(), queries.resolve(name), params))


def test_skill_trend_counts_postings_per_month(store: LocalStore) -> None:
    found = [(r["month"], r["postings"], r["total"], r["share"], r["thin"])
             for r in rows(store, "skill-trend", skill="python")]
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


def test_gap_and_match_since_a_date_and_in_a_place(store: LocalStore) -> None:
    from kg.analytics import Profiles, filters, gap, match

    db = store.reader()
    everything = Profiles.of(db)
    role = everything.resolve_role("data engineer")
    python = everything.resolve_skills(["python"])
    all_postings = gap(everything, python, role).postings
    assert all_postings >= len(POSTINGS)  # the seed postings for the role, and ours
    february = Profiles.of(db, since="2024-02-01")
    result = gap(february, python, role)
    assert (result.postings, result.thin) == (4, "thin: 4 postings")
    assert {m.label: m.support for m in result.matched}["Python"] == 4
    _, place = filters(None, "Berlin, Germany")
    berlin = gap(Profiles.of(db, location=place), python, role)
    assert (berlin.postings, berlin.thin) == (6, "")
    assert {m.label: m.support for m in berlin.matched}["Python"] == 4
    ranked = {r.role: r for r in match(february, python, top=100)}
    assert (ranked["Data engineer"].postings, ranked["Data engineer"].thin) == (4, "thin: 4 postings")


def test_cli_gap_and_match_filters(store: LocalStore) -> None:
    from click.testing import CliRunner

    from kg.cli import cli

    runner = CliRunner()
    base = ["--store", str(store.path)]
    result = runner.invoke(cli, [*base, "gap", "--have", "python", "--role", "data engineer", "--since", "2024-02-01",
                                 "--format", "json"])
    assert result.exit_code == 0, result.stderr
    answer = json.loads(result.stdout)
    assert (answer["postings"], answer["thin"]) == (4, "thin: 4 postings")
    result = runner.invoke(cli, [*base, "match", "--have", "python", "--location", "austin, tx", "--format", "json"])
    assert result.exit_code == 0, result.stderr
    assert {r["role"]: r["postings"] for r in json.loads(result.stdout)["roles"]}["Data engineer"] == 4
    for option, value in (("--since", "next week"), ("--location", "!!!")):
        result = runner.invoke(cli, [*base, "match", "--have", "python", option, value])
        assert result.exit_code == 2 and result.stderr.startswith(f"kg: error: {option} ")
