"""Career answers: gap, match, next, related, similar-roles — on the tiny graph (exact) and the default one."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg import analytics
from kg.analytics import CURATED_PRIOR, PREFERRED_FACTOR, Profiles, RelatedSkill
from kg.cli import cli
from kg.errors import NotFoundError, UsageError
from kg.namespaces import ROLE, SKILL
from kg.store import LocalStore


@pytest.fixture
def tiny(tiny_store: LocalStore) -> Profiles:
    return Profiles.of(tiny_store.reader())


def test_gap_weighs_required_over_preferred(tiny: Profiles) -> None:
    # Data engineer: requires python, sql, spark, airflow; prefers kubernetes. No postings: curated prior only.
    result = analytics.gap(tiny, tiny.resolve_skills(["python", "k8s"]), ROLE + "data-engineer")
    required, preferred = CURATED_PRIOR, CURATED_PRIOR * PREFERRED_FACTOR
    assert result.coverage == pytest.approx((required + preferred) / (4 * required + preferred), abs=1e-4)
    assert [m.label for m in result.matched] == ["Python", "Kubernetes"]
    assert [m.label for m in result.missing] == ["Apache Airflow", "Apache Spark", "SQL"]
    assert all(m.level == "required" for m in result.missing)


def test_gap_full_and_empty(tiny: Profiles) -> None:
    everything = tiny.resolve_skills(["python", "sql", "spark", "airflow", "kubernetes"])
    assert analytics.gap(tiny, everything, ROLE + "data-engineer").coverage == 1.0
    assert analytics.gap(tiny, tiny.resolve_skills(["statistics"]), ROLE + "data-engineer").coverage == 0.0


def test_skills_resolve_through_aliases_and_suggest(tiny: Profiles) -> None:
    assert tiny.resolve_skills(["PYTORCH", "k8s", "torch"]) == [SKILL + "kubernetes", SKILL + "pytorch"]
    with pytest.raises(NotFoundError, match=r"^no skill called 'pytorh'; did you mean 'PyTorch'"):
        tiny.resolve_skills(["python", "pytorh"])
    with pytest.raises(NotFoundError, match=r"^no skills called 'pytorh' \(did you mean 'PyTorch'.*'kubernets' \("):
        tiny.resolve_skills(["pytorh", "kubernets"])
    with pytest.raises(UsageError):
        tiny.resolve_skills([])
    with pytest.raises(NotFoundError, match="did you mean 'Data engineer'"):
        tiny.resolve_role("data enginer")


def test_match_ranks_by_coverage(tiny: Profiles) -> None:
    roles = analytics.match(tiny, tiny.resolve_skills(["python", "sql", "spark", "airflow"]), top=3)
    assert [r.role for r in roles] == ["Data engineer", "Data scientist", "Machine learning engineer"]
    assert roles[0].missing == ["Kubernetes"]
    assert roles[0].score > roles[1].score > roles[2].score


def test_next_prefers_skills_many_roles_need(tiny: Profiles) -> None:
    ranked = analytics.next_skills(tiny, tiny.resolve_skills(["python"]))
    req, pref = CURATED_PRIOR, CURATED_PRIOR * PREFERRED_FACTOR
    totals = {"mle": 3 * req + pref, "ds": 3 * req + 2 * pref, "de": 4 * req + pref}
    spark = (pref / totals["mle"] + pref / totals["ds"] + req / totals["de"]) / 3  # asked by all three roles
    sql = (req / totals["ds"] + req / totals["de"]) / 3  # required by two
    assert [s.label for s in ranked][:2] == ["Apache Spark", "SQL"]
    assert ranked[0].gain == pytest.approx(spark, abs=1e-4) and ranked[1].gain == pytest.approx(sql, abs=1e-4)
    assert ranked[0].roles == 3
    only = analytics.next_skills(tiny, tiny.resolve_skills(["python"]), [ROLE + "ml-engineer"])
    assert {s.label for s in only} == {"PyTorch", "Kubernetes", "Apache Spark"}


def test_related_by_jaccard(tiny_store: LocalStore) -> None:
    # Contexts are the three roles. Python: {mle, ds, de}; SQL: {ds, de} -> 2/3.
    skills = analytics.related(tiny_store.reader(), "python")
    assert skills[0] == RelatedSkill("Apache Spark", SKILL + "spark", 1.0, 3)
    assert RelatedSkill("SQL", SKILL + "sql", 0.6667, 2) in skills


def test_an_empty_related_answer_says_what_it_rests_on(tiny_store: LocalStore) -> None:
    """`kg related` printed "(no rows)" for a skill only one role asks for, and nothing on why."""
    result = CliRunner().invoke(cli, ["--store", str(tiny_store.path), "related", "airflow"])
    assert result.exit_code == 0 and result.stdout == ""
    assert result.stderr.strip() == ("(no rows: no skill is asked for together with 'Apache Airflow' by 2 or more "
                                     "postings or roles; 1 posting(s) and role(s) ask for it in all)")


def test_similar_roles(tiny: Profiles) -> None:
    roles = analytics.similar_roles(tiny, ROLE + "data-engineer")
    assert [r.label for r in roles] == ["Data scientist", "Machine learning engineer"]
    assert roles[0].shared == ["Apache Spark", "Python", "SQL"]


def test_data_engineering_profile_ranks_a_data_role_first(built: tuple[LocalStore, Path]) -> None:
    profiles = Profiles.of(built[0].reader())
    have = profiles.resolve_skills(["Python", "SQL", "Spark", "Kafka", "Airflow"])
    roles = analytics.match(profiles, have, top=5)
    data_roles = {"Data engineer", "Analytics engineer", "DataOps engineer", "Data architect"}
    assert roles[0].role in data_roles
    assert "Data engineer" in [r.role for r in roles[:3]]


def test_cli_json_contracts(built: tuple[LocalStore, Path], tmp_path: Path) -> None:
    runner = CliRunner()
    store = ["--store", str(built[0].path)]
    result = runner.invoke(cli, [*store, "gap", "--have", "python, sql", "--role", "data scientist", "-f", "json",
                                 "--html", str(tmp_path / "gap.html")])
    assert result.exit_code == 0, result.stderr
    gap = json.loads(result.stdout)
    assert gap["role"] == "Data scientist" and 0 < gap["coverage"] < 1
    assert {"label", "level", "support"} <= set(gap["missing"][0])
    assert "Python" in [m["label"] for m in gap["matched"]]
    html = (tmp_path / "gap.html").read_text()
    assert 'fill="url(#hatch)"' in html and "Data scientist" in html  # missing skills: hatched circles
    result = runner.invoke(cli, [*store, "match", "--have", "python,sql", "--top", "3", "-f", "json"])
    assert [set(r) >= {"role", "score", "matched", "missing"} for r in json.loads(result.stdout)["roles"]] == [True] * 3
    result = runner.invoke(cli, [*store, "related", "pytorch", "-f", "json"])
    related = json.loads(result.stdout)["skills"]
    assert related and {"label", "score"} <= set(related[0])
    result = runner.invoke(cli, [*store, "next", "--have", "python", "-f", "json"])
    assert json.loads(result.stdout)["skills"]
    result = runner.invoke(cli, [*store, "similar-roles", "data engineer", "-f", "json"])
    assert json.loads(result.stdout)["roles"]


def test_cli_unknown_skill_is_one_line(built: tuple[LocalStore, Path]) -> None:
    result = CliRunner().invoke(cli, ["--store", str(built[0].path), "gap", "--have", "pytorh",
                                      "--role", "ML engineer"])
    assert result.exit_code == 5
    assert result.stderr.strip() == "kg: error: no skill called 'pytorh'; did you mean 'PyTorch', 'TorchScript'?"


def test_a_narrower_skill_covers_its_broader_one(built: tuple[LocalStore, Path]) -> None:
    profiles = Profiles.of(built[0].reader())
    result = analytics.gap(profiles, profiles.resolve_skills(["PyTorch Lightning"]),
                           profiles.resolve_role("ML engineer"))
    pytorch = next(m for m in result.matched if m.iri == SKILL + "pytorch")
    assert pytorch.via == "PyTorch Lightning"
    assert result.to_json()["matched"][result.matched.index(pytorch)]["via"] == "PyTorch Lightning"
    assert all("via" not in m.to_json() for m in result.missing)


HAVES = [["python", "sql", "spark", "kafka", "airflow"], ["pytorch"], ["python", "sql", "pandas", "statistics"],
         ["verilog"], ["docker", "kubernetes", "terraform"]]


@pytest.mark.parametrize("top", [1, 5, 10, 30])
def test_match_from_the_roles_asking_is_the_whole_computation(top: int, built: tuple[LocalStore, Path]) -> None:
    """``match`` reads only the roles that ask for the skills and the roles it shows (the weights of the other
    profiles are kept with the data) and gives what ranking every role gives, to the last bit."""
    from kg import career_index

    db = built[0].reader()
    whole = Profiles.of(db)
    for have in HAVES:
        expected = analytics.match(whole, whole.resolve_skills(have), top)
        covered = [r for r in analytics.match(whole, whole.resolve_skills(have), 500) if r.score > 0]
        lazy = Profiles.of(db, only_named=True)
        fast = career_index.match(lazy, lazy.resolve_skills(have), top)
        if len(covered) >= top:  # answered from the index, the profiles of the roles shown read
            assert fast == expected and len(lazy.roles) == top
        else:  # roles that none of the skills covers are shown too: every role is read
            assert fast is None
        assert analytics.match(lazy, lazy.resolve_skills(have), top) == expected


def test_match_of_a_rare_skill_falls_back_to_every_role(built: tuple[LocalStore, Path]) -> None:
    from kg import career_index

    db = built[0].reader()
    lazy = Profiles.of(db, only_named=True)
    have = lazy.resolve_skills(["verilog"])
    assert career_index.match(lazy, have, 50) is None  # fewer roles ask for it than are shown
    whole = Profiles.of(db)
    assert analytics.match(lazy, have, 50) == analytics.match(whole, whole.resolve_skills(["verilog"]), 50)
    assert lazy.complete


def test_gap_reads_the_named_role_only(built: tuple[LocalStore, Path]) -> None:
    db = built[0].reader()
    lazy = Profiles.of(db, roles=["data scientist"], only_named=True)
    role = lazy.resolve_role("data scientist")
    assert set(lazy.roles) == {role}
    whole = Profiles.of(db)
    have = ["python", "sql", "pytorch lightning"]  # a narrower skill: its broader ones are read for it alone
    assert analytics.gap(lazy, lazy.resolve_skills(have), role) == analytics.gap(whole, whole.resolve_skills(have),
                                                                                  role)


def _vectors(db: object, vocabulary: str) -> dict[str, tuple[str, dict[str, float]]]:
    """The profile vectors kept for ``vocabulary``: role -> (label, skill -> weight), in the order kept."""
    import json

    import pyoxigraph as ox

    from kg import summaries
    from kg.namespaces import KG, PROFILES

    assert isinstance(db, ox.Store)
    found = list(db.quads_for_pattern(ox.NamedNode(PROFILES + vocabulary), ox.NamedNode(KG + "profileVectors"),
                                      None, summaries.graph_of(vocabulary)))
    assert len(found) == 1
    data = json.loads(found[0].object.value)
    return {role: (label, {data["skills"][n]: w for n, w in pairs}) for role, label, pairs in data["roles"]}


def test_the_profile_vectors_are_kept_as_similar_roles_computes_them(built: tuple[LocalStore, Path]) -> None:
    db = built[0].reader()
    whole = Profiles.of(db)
    kept = _vectors(db, "kg")
    assert list(kept) == list(whole.roles) and len(kept) > 40  # in the order the profiles are read
    for role, skills in whole.roles.items():
        label, vector = kept[role]
        assert label == whole.role_labels[role]
        assert list(vector.items()) == list(analytics.profile_vector(skills).items())  # weights to the bit


@pytest.mark.parametrize("top", [1, 5, 10, 100])
def test_similar_roles_from_the_roles_sharing_a_skill_is_the_whole_computation(
        top: int, built: tuple[LocalStore, Path]) -> None:
    """``similar-roles`` reads the role's profile and the profile vectors kept with the data, and gives what
    comparing every profile read from the store gives, to the last bit."""
    from kg import career_index

    db = built[0].reader()
    whole = Profiles.of(db)
    for name in ("data scientist", "ML engineer", "data engineer", "DFT engineer"):
        expected = analytics.similar_roles(whole, whole.resolve_role(name), top)
        lazy = Profiles.of(db, roles=[name], only_named=True)
        fast = career_index.similar_roles(lazy, lazy.resolve_role(name), top)
        assert fast == expected and expected
        assert not lazy.complete  # the other profiles were never read whole


def test_similar_roles_of_an_imported_vocabulary_from_the_index(taxonomy_sample_store: LocalStore) -> None:
    db = taxonomy_sample_store.reader()
    for vocabulary, name in (("esco", "data scientist"), ("onet", "data scientists")):
        assert _vectors(db, vocabulary)
        whole = Profiles.of(db, vocabulary=vocabulary)
        lazy = Profiles.of(db, vocabulary=vocabulary, roles=[name], only_named=True)
        expected = analytics.similar_roles(whole, whole.resolve_role(name), 10)
        assert analytics.similar_roles(lazy, lazy.resolve_role(name), 10) == expected
        assert not lazy.complete


def test_similar_roles_without_kept_vectors_reads_every_profile(copy_built) -> None:  # noqa: ANN001
    """A store an older kg wrote keeps no vectors: every profile is read, and the answer is the same."""
    import pyoxigraph as ox

    from kg import summaries
    from kg.namespaces import KG

    store = copy_built("no-vectors")
    db = store.reader()
    expected = analytics.similar_roles(Profiles.of(db), Profiles.of(db).resolve_role("data scientist"), 10)
    del db
    kept = ox.NamedNode(KG + "profileVectors")
    store.write(lambda w: [w.remove(q) for q in list(w.quads_for_pattern(None, kept, None, summaries.graph_of("kg")))])
    db = store.reader()
    lazy = Profiles.of(db, roles=["data scientist"], only_named=True)
    assert analytics.similar_roles(lazy, lazy.resolve_role("data scientist"), 10) == expected
    assert lazy.complete
