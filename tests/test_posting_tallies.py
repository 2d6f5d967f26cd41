"""The company and salary tallies of the derived graph, and the queries that read them instead of the postings."""

from __future__ import annotations

import io
import json
from collections import Counter, defaultdict
from collections.abc import Callable
from decimal import Decimal
from itertools import combinations
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg import derive, graph_sizes, queries
from kg.ingest import ingest
from kg.namespaces import DERIVED_GRAPH, KG, PAIRS_GRAPH, POSTINGS_GRAPH, SCHEMA, SKOS
from kg.store import LocalStore
from kg.terms import FOR_ROLE, JOB_POSTING_CLASS, OF_SKILL, POSTED_BY, PREFERS_SKILL, REQUIRES_SKILL, TYPE, value
from kg.terms import POSTING_COUNT as KG_POSTING_COUNT

ROLES = ["Data Engineer", "Data Scientist", "Machine Learning Engineer"]
SKILLS = ["Python", "SQL", "Airflow", "Kafka", "Spark", "PyTorch", "Docker"]


def write_postings(path: Path, start: int, count: int) -> Path:
    """JobSpy-like rows: roles, companies, skills and pay in two currencies and two periods."""
    with path.open("w", encoding="utf-8") as handle:
        for i in range(start, start + count):
            skills = [SKILLS[(i * k) % len(SKILLS)] for k in (1, 2, 5)]
            hourly = i % 5 == 0
            low = 40 + i % 7 if hourly else 50_000 + 1_250 * (i % 11)
            handle.write(json.dumps({
                "title": ROLES[i % len(ROLES)], "company": f"Firm {i % 4}",
                "description": f"Posting {i}. You know {skills[0]} and {skills[1]}. {skills[2]} is a plus.",
                "min_amount": low, "max_amount": low + (15 if hourly else 20_500 + i),
                "currency": "EUR" if i % 3 == 0 else "USD", "interval": "hourly" if hourly else "yearly",
            }) + "\n")
    return path


def _one(db: ox.Store, subject: ox.NamedNode | ox.BlankNode, predicate: str) -> ox.Term | None:
    found = next(db.quads_for_pattern(subject, ox.NamedNode(predicate), None, None), None)
    return found.object if found else None


Pays = dict[tuple[str, str, str], list[tuple[Decimal, Decimal]]]


def counted(db: ox.Store) -> tuple[Counter[tuple[str, str]], Counter[tuple[str, str]], Pays]:
    """Postings per (company, role), per (company, skill), and pay per (role label, currency, period), counted
    from the stored postings themselves."""
    hiring: Counter[tuple[str, str]] = Counter()
    asking: Counter[tuple[str, str]] = Counter()
    pay: Pays = defaultdict(list)
    for quad in db.quads_for_pattern(None, TYPE, JOB_POSTING_CLASS, None):
        posting = quad.subject
        assert isinstance(posting, ox.NamedNode)
        role, company = _one(db, posting, FOR_ROLE.value), _one(db, posting, POSTED_BY.value)
        skills = {value(q.object) for p in (REQUIRES_SKILL, PREFERS_SKILL)
                  for q in db.quads_for_pattern(posting, p, None)}
        if company is not None:
            asking.update((value(company), skill) for skill in skills)
            if role is not None:
                hiring[(value(company), value(role))] += 1
        salary = _one(db, posting, SCHEMA + "baseSalary")
        if role is None or not isinstance(salary, ox.NamedNode) or _one(db, salary, SCHEMA + "currency") is None:
            continue
        amount = _one(db, salary, SCHEMA + "value")
        assert isinstance(amount, ox.NamedNode)
        label = _one(db, role, SKOS + "prefLabel")  # type: ignore[arg-type]
        key = (value(label), value(_one(db, salary, SCHEMA + "currency")), value(_one(db, amount, SCHEMA + "unitText")))
        pay[key].append((Decimal(value(_one(db, amount, SCHEMA + "minValue"))),
                         Decimal(value(_one(db, amount, SCHEMA + "maxValue")))))
    return hiring, asking, pay


def rows(store: LocalStore, name: str, **params: str) -> list[dict[str, object]]:
    return queries.rows(queries.run(store.reader(), queries.resolve(name), params))


@pytest.fixture(scope="module")
def tallied(tmp_path_factory: pytest.TempPathFactory, built: tuple[LocalStore, Path]) -> LocalStore:
    """The default build plus 90 postings ingested in two steps (the second adds to the stored tallies)."""
    import shutil

    folder = tmp_path_factory.mktemp("tallies")
    shutil.copytree(built[0].path, folder / "store")
    store = LocalStore.at(folder / "store")
    ingest(store, [str(write_postings(folder / "a.jsonl", 0, 60))])
    ingest(store, [str(write_postings(folder / "b.jsonl", 60, 30))])
    return store


def test_the_derived_graph_holds_the_company_and_pay_tallies_of_every_posting(tallied: LocalStore) -> None:
    db = tallied.reader()
    hiring, asking, pay = counted(db)
    g = ox.NamedNode(DERIVED_GRAPH)

    def tallies(kind: str, key: tuple[str, str]) -> Counter[tuple[str, str]]:
        found: Counter[tuple[str, str]] = Counter()
        for quad in db.quads_for_pattern(None, TYPE, ox.NamedNode(KG + kind), g):
            found[tuple(value(_one(db, quad.subject, KG + k)) for k in key)] = int(  # type: ignore[index]
                value(_one(db, quad.subject, KG + "postingCount")))
        return found

    assert tallies("CompanyPostings", ("company", "role")) == hiring and sum(hiring.values()) >= 90
    assert tallies("CompanyDemand", ("company", "skill")) == asking
    ranges = [row for row in rows(tallied, "salary-by-role") if row["role"] in {"Data engineer", "Data scientist"}]
    expected = {key: got for key, got in pay.items() if key[0] in {"Data engineer", "Data scientist"}}
    assert {(r["role"], r["currency"], r["period"]) for r in ranges} == set(expected)
    for row in ranges:
        stated = expected[(str(row["role"]), str(row["currency"]), str(row["period"]))]
        assert row["postings"] == len(stated)
        assert Decimal(str(row["lowest"])) == min(low for low, _ in stated)
        assert Decimal(str(row["highest"])) == max(high for _, high in stated)
        mean = sum((low + high) / 2 for low, high in stated) / len(stated)
        assert abs(Decimal(str(row["midpoint"])) - mean) < Decimal("0.01")


def test_company_queries_count_the_postings(tallied: LocalStore) -> None:
    hiring, asking, _ = counted(tallied.reader())
    role = "https://w3id.org/jobkg/id/role/data-engineer"
    by_company = {str(r["company"]): r["postings"] for r in rows(tallied, "companies-for-role", role="data engineer")}
    assert {c: n for c, n in by_company.items() if n} == {c: n for (c, r), n in hiring.items() if r == role}
    firm = next(c for c, _ in hiring if c.endswith("firm-1"))
    at_firm = {str(r["role"]): r["postings"] for r in rows(tallied, "roles-at-company", company="Firm 1")}
    assert {r: n for r, n in at_firm.items() if n} == {r: n for (c, r), n in hiring.items() if c == firm}
    python = "https://w3id.org/jobkg/id/skill/python"
    for_python = {str(r["company"]): r["postings"] for r in rows(tallied, "companies-for-skill", skill="python")}
    assert {c: n for c, n in for_python.items() if n} == {c: n for (c, s), n in asking.items() if s == python}


def skill_sets(db: ox.Store) -> dict[str, set[str]]:
    """The skills each stored posting asks for, read from the postings themselves."""
    return {value(q.subject): {value(s.object) for p in (REQUIRES_SKILL, PREFERS_SKILL)
                               for s in db.quads_for_pattern(q.subject, p, None)}
            for q in db.quads_for_pattern(None, TYPE, JOB_POSTING_CLASS, None)}


def test_the_derived_graph_holds_the_postings_of_each_company_and_of_each_pair_of_skills(tallied: LocalStore) -> None:
    db = tallied.reader()
    g, in_pairs = ox.NamedNode(DERIVED_GRAPH), ox.NamedNode(PAIRS_GRAPH)
    together = ox.NamedNode(KG + "postingsTogether")
    per_company = Counter(value(q.object) for q in db.quads_for_pattern(None, POSTED_BY, None, None))
    stored = {value(q.subject): int(value(q.object)) for q in db.quads_for_pattern(None, KG_POSTING_COUNT, None, g)
              if value(q.subject) in per_company}
    assert stored == per_company and sum(per_company.values()) >= 90
    pairs = Counter(pair for skills in skill_sets(db).values() for pair in combinations(sorted(skills), 2))
    found = {tuple(sorted(value(s.object) for s in db.quads_for_pattern(q.subject, OF_SKILL, None, in_pairs))):
             int(value(q.object)) for q in db.quads_for_pattern(None, together, None, in_pairs)}
    assert found == pairs and max(pairs.values()) >= 30


def test_company_report_and_related_skills_count_the_postings(tallied: LocalStore) -> None:
    db = tallied.reader()
    per_company = Counter(value(q.object) for q in db.quads_for_pattern(None, POSTED_BY, None, None))
    report = {str(r["company"]): r["postings"] for r in rows(tallied, "report-company-roles")}
    assert {c: n for c, n in report.items() if n} == per_company
    python = "https://w3id.org/jobkg/id/skill/python"
    askers: dict[str, set[str]] = defaultdict(set)  # everything that asks for a skill: roles and postings
    for predicate in (REQUIRES_SKILL, PREFERS_SKILL):
        for quad in db.quads_for_pattern(None, predicate, None, None):
            askers[value(quad.object)].add(value(quad.subject))
    related = {str(r["other"]): r["together"] for r in rows(tallied, "related-skills", skill="python")}
    expected = {other: len(askers[python] & them) for other, them in askers.items() if other != python}
    assert related == {other: n for other, n in expected.items() if n >= 2}
    assert max(related.values()) > 30  # most of them postings, counted from the tallies


def test_select_results_stream_to_the_output(tmp_path: Path) -> None:
    db = ox.Store()
    db.extend(ox.Quad(ox.NamedNode(f"https://example.org/{i}"), ox.NamedNode("https://example.org/p"),
                      ox.Literal(str(i)), ox.NamedNode("https://example.org/g")) for i in range(5000))

    class Counting(io.BytesIO):
        writes = 0

        def write(self, data: bytes) -> int:  # type: ignore[override]
            Counting.writes += 1
            return super().write(data)

    out = Counting()
    queries.write_result(queries.run(db, queries.resolve("quads")), "csv", out)
    assert out.getvalue().count(b"\n") == 5001 and Counting.writes > 1  # written as it came, not as one encoded whole


@pytest.mark.slow  # three ingests
def test_a_store_without_the_tallies_gets_them_whole_on_its_next_ingest(
        tmp_path: Path, copy_built: Callable[[str], LocalStore]) -> None:
    store = copy_built("older")
    ingest(store, [str(write_postings(tmp_path / "a.jsonl", 0, 40))])
    g = ox.NamedNode(DERIVED_GRAPH)
    kinds = [ox.NamedNode(KG + kind) for kind in ("CompanyPostings", "CompanyDemand", "SalaryRange")]

    def forget(db: ox.Store) -> None:  # what a kg before the tallies left
        for kind in kinds:
            for node in [q.subject for q in db.quads_for_pattern(None, TYPE, kind, g)]:
                for quad in list(db.quads_for_pattern(node, None, None, g)):
                    db.remove(quad)
        db.remove_graph(ox.NamedNode(PAIRS_GRAPH))
        for quad in db.quads_for_pattern(None, POSTED_BY, None, None):
            for count in list(db.quads_for_pattern(quad.object, KG_POSTING_COUNT, None, g)):
                db.remove(count)
        for quad in list(db.quads_for_pattern(graph_sizes.GRAPH, graph_sizes.VERSION, None, graph_sizes.GRAPH)):
            db.remove(quad)  # a kg before the tallies wrote no derived-data version either

    store.write(forget)
    ingest(store, [str(write_postings(tmp_path / "b.jsonl", 40, 10))])
    recounted = ox.Store()
    recounted.extend(store.reader())
    derive.refresh(recounted)
    for graph in (g, ox.NamedNode(PAIRS_GRAPH)):
        assert sorted(map(str, recounted.quads_for_pattern(None, None, None, graph))) \
            == sorted(map(str, store.reader().quads_for_pattern(None, None, None, graph)))
    hiring, _, _ = counted(store.reader())
    assert sum(hiring.values()) >= 50


@pytest.mark.slow
def test_postings_loaded_as_rdf_get_the_tallies_too(tallied: LocalStore, tmp_path: Path,
                                                     copy_built: Callable[[str], LocalStore]) -> None:
    from kg.load import load_files

    postings = tmp_path / "postings.nq"
    postings.write_bytes(ox.serialize((q for q in tallied.reader().quads_for_pattern(
        None, None, None, ox.NamedNode(POSTINGS_GRAPH))), format=ox.RdfFormat.N_QUADS) or b"")
    store = copy_built("loaded")
    load_files(store, [postings], force=True)
    hiring, _, _ = counted(store.reader())
    answered = {str(r["company"]): r["postings"] for r in rows(store, "companies-for-role", role="data engineer")}
    role = "https://w3id.org/jobkg/id/role/data-engineer"
    assert {c: n for c, n in answered.items() if n} == {c: n for (c, r), n in hiring.items() if r == role} != {}
