"""``related-skills``: kg's store runs its embedded text, which breaks ties by the labels' ranks."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from kg import queries
from kg.load import load_files
from kg.store import LocalStore

DATA = Path(__file__).parent / "data"

#: Three more roles, each asking for Python and for three skills that tie with Apache Spark (the same count, the same
#: askers): labels that differ only in case, an untagged one; two of them ask for a skill with an English and a German
#: label, which ties with Kubernetes, PyTorch and SQL.
TIES = """\
@prefix kg:    <https://w3id.org/jobkg/ontology#> .
@prefix skill: <https://w3id.org/jobkg/id/skill/> .
@prefix role:  <https://w3id.org/jobkg/id/role/> .
@prefix skos:  <http://www.w3.org/2004/02/skos/core#> .

skill:twin a kg:Skill ; skos:prefLabel "twin"@en, "Twin"@en .
skill:zeta a kg:Skill ; skos:prefLabel "zeta" .
skill:alpha a kg:Skill ; skos:prefLabel "Alpha"@en .
skill:depth a kg:Skill ; skos:prefLabel "depth"@en, "Tiefe"@de .
role:r1 a kg:Role ; skos:prefLabel "Role one"@en ; kg:requiresSkill skill:python, skill:twin, skill:zeta ;
    kg:prefersSkill skill:alpha, skill:depth .
role:r2 a kg:Role ; skos:prefLabel "Role two"@en ; kg:requiresSkill skill:python, skill:alpha, skill:depth ;
    kg:prefersSkill skill:twin, skill:zeta .
role:r3 a kg:Role ; skos:prefLabel "Role three"@en ; kg:prefersSkill skill:python, skill:twin, skill:zeta,
    skill:alpha .
"""


@pytest.fixture(scope="module")
def answers(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[dict], list[dict]]:
    """The rows of the embedded text and of the portable one, for Python, on tiny.ttl and the ties."""
    folder = tmp_path_factory.mktemp("ties")
    (folder / "ties.ttl").write_text(TIES, encoding="utf-8")
    store = LocalStore.at(folder / "store")
    load_files(store, [DATA / "tiny.ttl", folder / "ties.ttl"])
    db = store.reader()
    query = queries.resolve("related-skills")
    assert queries.local_text(db, query).text != query.text  # kg's store runs the embedded text
    binding = queries.bind(db, query, {"skill": "python"})
    portable = replace(query, path=None)  # not as shipped: run as given
    return queries.rows(queries.run(db, query, binding)), queries.rows(queries.run(db, portable, binding))


def _tie(rows: list[dict], together: int) -> list[tuple[str, str]]:
    """The rows of a tie: ``together`` roles ask for the skill and for Python, and no more for the skill."""
    return [(r["other"].rsplit("/", 1)[1], r["label"]) for r in rows
            if r["together"] == together and r["otherAsked"] == together]


def test_ties_sort_by_the_labels_ranks_as_by_the_labels(answers: tuple[list[dict], list[dict]]) -> None:
    embedded, portable = answers
    assert _tie(embedded, 3) == _tie(portable, 3) == [
        ("alpha", "Alpha"), ("spark", "Apache Spark"), ("twin", "Twin"), ("twin", "twin"), ("zeta", "zeta")]
    assert [r for r in embedded if r["together"] != 2] == [r for r in portable if r["together"] != 2]


def test_a_label_without_a_rank_comes_first_in_its_tie(answers: tuple[list[dict], list[dict]]) -> None:
    """Only English or untagged labels are ranked (kg/label_order.py): the German one sorts before its tie."""
    embedded, portable = answers
    assert sorted(map(str, embedded)) == sorted(map(str, portable))
    assert _tie(embedded, 2) == [("depth", "Tiefe"), ("depth", "depth"), ("kubernetes", "Kubernetes"),
                                 ("pytorch", "PyTorch"), ("sql", "SQL")]
    assert _tie(portable, 2) == [("depth", "depth"), ("kubernetes", "Kubernetes"), ("pytorch", "PyTorch"),
                                 ("sql", "SQL"), ("depth", "Tiefe")]
