"""The summaries kept with the data: counted again here, in plain Python, from the graph itself.

``top-skills-by-domain``, ``top-skills``, ``skills-in-domain`` and ``related`` read
counts and rankings derived when the data changes (:mod:`kg.summaries`); these
tests count the same things from the triples and compare, on the default build
and after postings are added (the incremental path must give what a full
derivation gives).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox
import pytest

from conftest import summary_quads
from kg import queries, summaries
from kg.namespaces import KG, RDF, SKOS
from kg.store import LocalStore

DATA = Path(__file__).parent / "data"
ASKS = (ox.NamedNode(KG + "requiresSkill"), ox.NamedNode(KG + "prefersSkill"))


def askers(db: ox.Store) -> dict[str, set[str]]:
    """Skill -> everything that requires or prefers it."""
    found: dict[str, set[str]] = defaultdict(set)
    for predicate in ASKS:
        for quad in db.quads_for_pattern(None, predicate, None, None):
            found[quad.object.value].add(quad.subject.value)
    return found


def typed(db: ox.Store, cls: str) -> set[str]:
    pattern = db.quads_for_pattern(None, ox.NamedNode(RDF + "type"), ox.NamedNode(KG + cls), None)
    return {q.subject.value for q in pattern}


def expected_top_by_domain(db: ox.Store, top: int) -> set[tuple[str, str, int]]:
    """(domain, skill, demand) of the ``top`` skills of each top-level kg domain, counted from the triples."""
    broader = defaultdict(set)
    for quad in db.quads_for_pattern(None, ox.NamedNode(SKOS + "broader"), None, None):
        broader[quad.subject.value].add(quad.object.value)
    domains = typed(db, "Domain")

    def above(domain: str) -> set[str]:
        seen, frontier = {domain}, [domain]
        while frontier:
            for up in broader.get(frontier.pop(), ()):
                if up not in seen:
                    seen.add(up)
                    frontier.append(up)
        return seen

    tops = {d for d in domains if not broader.get(d)}
    asked = askers(db)
    members: dict[str, set[str]] = defaultdict(set)
    for quad in db.quads_for_pattern(None, ox.NamedNode(KG + "partOfDomain"), None, None):
        for domain in above(quad.object.value) & tops:
            if asked.get(quad.subject.value):
                members[domain].add(quad.subject.value)
    out = set()
    for domain, skills in members.items():
        ranked = sorted(skills, key=lambda s: (-len(asked[s]), s))[:top]
        out |= {(domain, s, len(asked[s])) for s in ranked}
    return out


@pytest.mark.parametrize("top", [1, 3, 5])
def test_top_skills_by_domain_is_what_the_triples_say(top: int, built: tuple[LocalStore, Path]) -> None:
    db = built[0].reader()
    rows = queries.rows(queries.run(db, queries.resolve("top-skills-by-domain"), {"top": str(top)}))
    assert {(r["domain"], r["skill"], r["demand"]) for r in rows} == expected_top_by_domain(db, top)
    assert len(rows) > 10


def test_top_skills_is_what_the_triples_say(built: tuple[LocalStore, Path]) -> None:
    db = built[0].reader()
    asked, roles, postings = askers(db), typed(db, "Role"), typed(db, "JobPosting")
    required = {q.object.value: set() for q in db.quads_for_pattern(None, ASKS[0], None, None)}
    for quad in db.quads_for_pattern(None, ASKS[0], None, None):
        required[quad.object.value].add(quad.subject.value)
    rows = queries.rows(queries.run(db, queries.resolve("top-skills")))
    assert len(rows) == summaries.MAX_RANK
    for row in rows:
        by = asked[row["skill"]]
        assert row["required_by"] == len(required.get(row["skill"], set()) & roles)
        assert row["preferred_by"] == len(by & roles) - row["required_by"]
        assert row["postings"] == len(by & postings)
    scores = [(r["postings"] + r["required_by"], r["required_by"], r["preferred_by"]) for r in rows]
    assert scores == sorted(scores, reverse=True)
    lowest = scores[-1]
    for skill in typed(db, "Skill") - {r["skill"] for r in rows}:  # nothing left out ranks above the last one
        by = asked.get(skill, set())
        mine = (len(by & postings) + len(required.get(skill, set()) & roles), len(required.get(skill, set()) & roles))
        assert mine <= lowest[:2], skill


def test_skills_in_domain_counts_the_roles(built: tuple[LocalStore, Path]) -> None:
    db = built[0].reader()
    asked, roles = askers(db), typed(db, "Role")
    rows = queries.rows(queries.run(db, queries.resolve("skills-in-domain"), {"domain": "MLOps"}))
    assert rows and all(r["roles"] == len(asked.get(r["skill"], set()) & roles) for r in rows)


@pytest.mark.slow
def test_adding_postings_derives_what_a_full_derivation_does(copy_built: Callable[[str], LocalStore]) -> None:
    from kg.ingest import ingest

    store = copy_built("store")
    before = summary_quads(store.reader())
    ingest(store, [str(DATA / "postings" / "notes.md"), str(DATA / "postings" / "postings.jsonld")])
    after = summary_quads(store.reader())
    assert after != before  # the postings asked for skills: counts and rankings moved
    full = ox.Store()
    full.extend(store.reader().quads_for_pattern(None, None, None, None))
    summaries.refresh(full)
    assert summary_quads(full) == after


@pytest.mark.slow
def test_adding_postings_adds_to_the_counts_instead_of_counting_every_asker_again(
        copy_built: Callable[[str], LocalStore], monkeypatch: pytest.MonkeyPatch) -> None:
    """Counting a skill's askers again costs in proportion to the store (1.7 s a skill on 100,000 postings): a
    second ingest counts again only the skills whose derived requirements changed, and adds to the others."""
    from kg.ingest import ingest

    store = copy_built("store")  # as `kg build` leaves it
    ingest(store, [str(DATA / "postings" / "notes.md")])
    counted: list[str] = []
    rows = summaries._rows

    def recording(db: ox.Store, name: str, values: dict[str, ox.NamedNode | ox.Literal]) -> list[dict[str, object]]:
        if name == "skill-count":
            counted.append(str(values["skill"].value))
        return rows(db, name, values)

    monkeypatch.setattr(summaries, "_rows", recording)
    def asks(db: ox.Store) -> set[tuple[str, str]]:
        return {(q.subject.value, q.object.value) for predicate in ASKS
                for q in db.quads_for_pattern(None, predicate, None)}

    before, asked_before = summary_quads(store.reader()), asks(store.reader())
    result = ingest(store, [str(DATA / "postings" / "postings.jsonld")])
    assert result.new and summary_quads(store.reader()) != before
    asked = {skill for _, skill in asks(store.reader()) - asked_before}  # by the new postings
    assert asked and len(counted) < len(asked)
    full = ox.Store()
    full.extend(store.reader().quads_for_pattern(None, None, None, None))
    monkeypatch.setattr(summaries, "_rows", rows)
    summaries.refresh(full)
    assert summary_quads(full) == summary_quads(store.reader())
