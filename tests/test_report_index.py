"""The report's counts, counted again here, in plain Python, from the graph.

``report-role-levels`` reads the skill mentions of each role's postings from the
summaries (kg/report_index.py; counting them at query time took over 30 s on
100,000 postings); these tests count the same things from the triples and compare,
on the default build and after an ingest, which adds to the kept sums instead of
counting every posting again; ``report-company-skills`` is checked the same way, and its answer from what kg
keeps (kg/company_skills.py, the tallies of kg/posting_tallies.py) against the query that counts at query time.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg import company_skills, graph_sizes, queries, summaries
from kg.namespaces import KG, RDF
from kg.store import LocalStore

DATA = Path(__file__).parent / "data"


def links(db: ox.Store, predicate: str) -> set[tuple[str, str]]:
    return {(q.subject.value, q.object.value) for q in db.quads_for_pattern(None, ox.NamedNode(KG + predicate), None)}


def typed(db: ox.Store, cls: str) -> set[str]:
    return {q.subject.value for q in db.quads_for_pattern(None, ox.NamedNode(RDF + "type"), ox.NamedNode(KG + cls))}


def levels(db: ox.Store) -> Callable[[str], tuple[set[str], set[str]]]:
    """Asker -> (skills it requires, skills it prefers and does not require)."""
    asks: dict[str, dict[str, set[str]]] = {name: defaultdict(set) for name in ("requiresSkill", "prefersSkill")}
    for name, found in asks.items():
        for asker, skill in links(db, name):
            found[asker].add(skill)
    return lambda asker: (asks["requiresSkill"][asker], asks["prefersSkill"][asker] - asks["requiresSkill"][asker])


def expected_role_levels(db: ox.Store) -> dict[str, tuple[int, int, int, int]]:
    level_of, postings = levels(db), typed(db, "JobPosting")
    out = {}
    for role in typed(db, "Role"):
        required, preferred = level_of(role)
        mine = [p for p, r in links(db, "forRole") if r == role and p in postings]
        out[role] = (len(required), len(preferred), sum(len(level_of(p)[0]) for p in mine),
                     sum(len(level_of(p)[1]) for p in mine))
    return out


def expected_company_skills(db: ox.Store) -> dict[tuple[str, str], tuple[int, int, int, int]]:
    level_of, roles, postings = levels(db), typed(db, "Role"), typed(db, "JobPosting")
    counts: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    asking = [*((c, r, 0) for c, r in links(db, "hires") if r in roles),
              *((c, p, 2) for p, c in links(db, "postedBy") if p in postings)]
    for company, asker, offset in asking:
        for level, skills in enumerate(level_of(asker)):
            for skill in skills:
                counts[company, skill][offset + level] += 1
    companies, skills = typed(db, "Company"), typed(db, "Skill")
    return {key: (a, b, c, d) for key, (a, b, c, d) in counts.items() if key[0] in companies and key[1] in skills}


def answers(db: ox.Store, name: str, key: tuple[str, ...], columns: tuple[str, ...]) -> dict[tuple[str, ...], tuple]:
    rows = queries.rows(queries.run(db, queries.resolve(name), {}))
    return {tuple(r[k] for k in key): tuple(r[c] for c in columns) for r in rows}


def check(db: ox.Store) -> None:
    roles = answers(db, "report-role-levels", ("role",),
                    ("required_skills", "preferred_skills", "required_mentions", "preferred_mentions"))
    expected = expected_role_levels(db)
    assert roles and {role: expected[role] for (role,) in roles} == {role: got for (role,), got in roles.items()}
    assert any(got[2] for got in roles.values())  # the built graph's postings have mentions
    companies = answers(db, "report-company-skills", ("company", "skill"),
                        ("required_roles", "preferred_roles", "required_postings", "preferred_postings"))
    assert companies == expected_company_skills(db)
    kept_is_counted(db)


def kept_and_counted(db: ox.Store, name: str) -> tuple[list[dict], list[dict]]:
    """The rows kg reads from what it keeps, and those the counting query (the text a server runs) gives."""
    query = queries.resolve(name)
    assert query.kept and graph_sizes.is_current(db)  # so that the kept query answers
    kept = queries.rows(queries.run(db, query, {}))
    counted = queries.rows(queries.run(db, dataclasses.replace(query, kept=None), {}))
    return kept, counted


def kept_is_counted(db: ox.Store) -> None:
    """The rows kg reads from what it keeps are the rows the counting queries give (in the same order, where they
    sort), and what kg keeps is what counting it whole gives."""
    kept, counted = kept_and_counted(db, "report-company-skills")
    key = lambda row: tuple(str(row[name]) for name in sorted(row))  # noqa: E731
    assert kept and sorted(kept, key=key) == sorted(counted, key=key)
    assert any(row["required_roles"] for row in kept) and any(row["preferred_postings"] for row in kept)
    kept, counted = kept_and_counted(db, "report-company-roles")
    assert kept == counted and any(row["roles"] for row in kept) and any(not row["roles"] for row in kept)
    stored = set(db.quads_for_pattern(None, None, None, company_skills.GRAPH))
    assert stored == company_skills.kept_quads(db)


def test_report_counts_are_what_the_triples_say(built: tuple[LocalStore, Path]) -> None:
    check(built[0].reader())


@pytest.mark.slow
def test_report_counts_after_an_ingest_are_what_the_triples_say(copy_built: Callable[[str], LocalStore]) -> None:
    from kg.ingest import ingest

    store = copy_built("store")
    before = answers(store.reader(), "report-role-levels", ("role",), ("required_mentions",))
    companies = answers(store.reader(), "report-company-skills", ("company", "skill"), ("required_postings",))
    result = ingest(store, [str(DATA / "postings" / "notes.md"), str(DATA / "postings" / "postings.jsonld")])
    assert result.new
    check(store.reader())
    assert answers(store.reader(), "report-role-levels", ("role",), ("required_mentions",)) != before
    after_one = answers(store.reader(), "report-company-skills", ("company", "skill"), ("required_postings",))
    assert after_one != companies
    result = ingest(store, [str(DATA / "postings" / "plain.txt"), str(DATA / "postings" / "single.json")])
    assert result.new  # a second ingest adds to the kept counts again
    check(store.reader())
    assert answers(store.reader(), "report-company-skills", ("company", "skill"), ("required_postings",)) != after_one


def test_the_report_reads_the_kept_counts(copy_built: Callable[[str], LocalStore]) -> None:
    """The answer comes from the summaries (what makes it fast), not from walking every posting again."""
    store = copy_built("store")
    db = store.reader()
    mentions = ox.NamedNode(KG + "requiredMentions")

    def kept_of(role: str, db: ox.Store) -> list[ox.Quad]:
        return [q for q in db.quads_for_pattern(ox.NamedNode(role), mentions, None)
                if summaries.is_summary_graph(q.graph_name.value)]

    role = next(role for role in sorted(typed(db, "Role")) if kept_of(role, db))  # a role some posting asks for
    kept = kept_of(role, db)
    assert len(kept) == 1
    del db

    def bump(db: ox.Store) -> None:
        db.remove(kept[0])
        db.add(ox.Quad(kept[0].subject, mentions, ox.Literal("1000000", datatype=kept[0].object.datatype),
                       kept[0].graph_name))

    store.write(bump)
    got = answers(store.reader(), "report-role-levels", ("role",), ("required_mentions",))
    assert got[(role,)] == (1000000,)
