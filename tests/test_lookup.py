"""One lookup: the keys written with the data, kg's own concepts first, one answer to a name everywhere.

The facts of issue 14 on a small made-up taxonomy (``taxonomy_samples``) whose
names collide with kg's: importing it changes no answer unless ``--vocab``
asks for it, answers say which concept they used, and a name in odd spacing,
case or as an alias, or a typo, gets the same answer from every command.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from kg import queries
from kg.cli import cli
from kg.errors import NotFoundError
from kg.lookup import Names
from kg.lookup_keys import normalise
from kg.namespaces import COMPANY, KG, ROLE, SKILL
from kg.store import LocalStore
from kg.taxonomies import import_taxonomy
from taxonomy_samples import (
    ESCO_DATA_SCIENTIST,
    ESCO_PLUMBER,
    ESCO_PYTHON,
    ONET_DATA_SCIENTISTS,
    write_esco,
    write_onet,
)

DATA = Path(__file__).parent / "data"

#: For each class a name takes: its preferred label, odd spellings of it, and an alias.
NAMES = {
    "Role": ("Machine learning engineer", ["  machine   LEARNING engineer ", "MACHINE\tlearning engineer"],
             "ML engineer"),
    "Skill": ("Kubernetes", ["kubernetes", " KUBERNETES  "], "k8s"),
    "Company": ("NVIDIA", ["nvidia", "  Nvidia  "], "NVIDIA Corporation"),
    "Domain": ("ML operations and platforms", ["ml  operations and  PLATFORMS"], "MLOps"),
}
#: The other role of queries that take two.
SECOND_ROLE = "data engineer"

CAREER = {
    "gap": lambda role, skill: ["gap", "--role", role, "--have", f"{skill}, python"],
    "match": lambda role, skill: ["match", "--have", f"{skill}, python", "--top", "5"],
    "next": lambda role, skill: ["next", "--roles", role, "--have", skill],
    "related": lambda role, skill: ["related", skill],
    "similar-roles": lambda role, skill: ["similar-roles", role],
}


def name_queries() -> list[str]:
    """Every named query with a parameter that takes a concept by name."""
    return [q.name for q in queries.list_queries() if any(p.kind in queries.NAME_KINDS for p in q.params)]


def params_for(query: queries.NamedQuery, pick: int | str) -> dict[str, str]:
    """The parameters of ``query``: for each name parameter, the preferred label (``"label"``), the
    ``pick``-th odd spelling, or the alias (``"alias"``); other parameters as in the examples."""
    out = {}
    for param in query.params:
        if param.kind in NAMES:
            label, odd, alias = NAMES[param.kind]
            out[param.name] = label if pick == "label" else alias if pick == "alias" else odd[int(pick) % len(odd)]
            if param.name == "role2":
                out[param.name] = SECOND_ROLE
        elif not param.optional:
            out[param.name] = {"top": "3", "vocabulary": "kg"}[param.name]
    return out


def run(store: LocalStore, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["--store", str(store.path), *args])
    return result.exit_code, result.stdout, result.stderr


def answer(store: LocalStore, *args: str) -> object:
    """The JSON answer of a command, without what it says about the names it was given."""
    code, out, err = run(store, *args, "-f", "json")
    assert code == 0, err
    data = json.loads(out)
    if isinstance(data, dict):
        data.pop("names", None)
    return data


# ------------------------------------------------------------------------ keys


def test_normalise_is_nfkc_casefolded_and_collapses_whitespace() -> None:
    assert normalise("  Data \t Scientist\n") == "data scientist"
    assert normalise("ＳＱＬ") == "sql"  # full-width letters (NFKC)
    assert normalise("STRASSE") == normalise("straße") == "strasse"  # case folding, not just lower case
    assert normalise("Data\u00a0Scientist") == "data scientist"  # a no-break space is a space
    assert normalise("ﬁnance") == "finance"  # a ligature


@pytest.mark.slow
def test_keys_follow_every_write(tmp_path: Path, runner: CliRunner, copy_built: Callable[[str], LocalStore]) -> None:
    store = copy_built("store")  # as `kg build` leaves it (a build over a loaded graph: test_build.py)

    def means(name: str, kind: str) -> str | None:
        found = Names(store.reader()).find(name, kind)
        return found.iri if found else None

    def kg(*args: str) -> None:
        result = runner.invoke(cli, ["--store", str(store.path), "--quiet", *args])
        assert result.exit_code == 0, result.output

    assert means("DATA  scientist", "Role") == ROLE + "data-scientist"
    alias = tmp_path / "alias.ttl"
    alias.write_text(f'<{ROLE}data-scientist> <http://www.w3.org/2004/02/skos/core#altLabel> "Number  Wrangler"@en .\n')
    kg("load", str(alias))
    assert means("number wrangler", "Role") == ROLE + "data-scientist"
    other = tmp_path / "other.ttl"
    other.write_text(f'<{ROLE}data-analyst> <http://www.w3.org/2004/02/skos/core#altLabel> "Chart Maker"@en .\n')
    kg("load", str(other), "--replace")
    assert means("number wrangler", "Role") is None and means("chart maker", "Role") == ROLE + "data-analyst"
    kg("update", "INSERT DATA { GRAPH <https://w3id.org/jobkg/graph/loaded> { "
       f'<{ROLE}data-engineer> <http://www.w3.org/2004/02/skos/core#altLabel> "Pipe Dreamer" }} }}', "--yes")
    assert means("pipe dreamer", "Role") == ROLE + "data-engineer"
    kg("update", "DELETE WHERE { GRAPH ?g { ?s <http://www.w3.org/2004/02/skos/core#altLabel> \"Pipe Dreamer\" } }",
       "--yes")
    assert means("pipe dreamer", "Role") is None
    kg("ingest", str(DATA / "postings" / "plain.txt"))
    assert means("acme  ANALYTICS", "Company") == COMPANY + "acme-analytics"
    kg("import", "esco", *map(str, write_esco(tmp_path / "esco")))
    assert means("Plumber", "Role") == ESCO_PLUMBER
    assert means("data scientist", "Role") == ROLE + "data-scientist"
    kg("drop", "esco")
    assert means("plumber", "Role") is None
    assert means("chart maker", "Role") == ROLE + "data-analyst"  # the loaded graph keeps its keys


def test_a_store_without_keys_gets_them_on_its_next_write(tmp_path: Path,
                                                          copy_built: Callable[[str], LocalStore]) -> None:
    from kg.lookup_keys import is_lookup_graph

    def forget_keys(db: ox.Store) -> None:  # what a kg before the keys left
        for graph in list(db.named_graphs()):
            if is_lookup_graph(graph.value):
                db.remove_graph(graph)

    store = copy_built("store")
    store.write(forget_keys)
    with pytest.raises(NotFoundError, match="no role called 'data scientist': the store has no lookup keys yet"):
        Names(store.reader()).resolve("data scientist", "Role")
    import_taxonomy(store, "esco", write_esco(tmp_path / "esco"))
    assert Names(store.reader()).resolve("data scientist", "Role").iri == ROLE + "data-scientist"


def test_exports_leave_the_keys_and_summaries_out(built: tuple[LocalStore, Path], built_exports: Path,
                                                  runner: CliRunner) -> None:
    result = runner.invoke(cli, ["--store", str(built[0].path), "export", "-f", "turtle"])
    assert result.exit_code == 0
    predicates = {t.predicate.value for t in ox.parse(result.stdout_bytes, format=ox.RdfFormat.TURTLE)}
    assert not predicates & {KG + name for name in ("prefKey", "altKey", "vocabulary", "askedBy", "withinDomain")}
    assert (built_exports / "kg.ttl").read_bytes() == result.stdout_bytes


# ------------------------------------------------------------- one answer to a name


#: Queries that answer from dated postings with places, which the seed postings are not.
DATED = {"skill-trend", "skills-by-location"}


@pytest.fixture(scope="module")
def dated(tmp_path_factory: pytest.TempPathFactory, built: tuple[LocalStore, Path]) -> LocalStore:
    """The default dataset and three dated postings with a place, which ask for Kubernetes."""
    from kg.ingest import ingest

    root = tmp_path_factory.mktemp("dated")
    path = root / "dated.jsonl"
    path.write_text("".join(json.dumps({"title": "Platform engineer", "company": "Acme", "location": "Berlin, Germany",
                                        "description": f"Opening {n}. You run Kubernetes and Python.",
                                        "date_posted": f"2024-0{n}-10"}) + "\n" for n in (1, 2, 3)))
    shutil.copytree(built[0].path, root / "store")  # a copy of the session's build, which others only read
    store = LocalStore.at(root / "store")
    ingest(store, [str(path)])
    return store


@pytest.mark.parametrize("name", name_queries())
def test_every_named_query_takes_odd_spellings_and_aliases(name: str, built: tuple[LocalStore, Path],
                                                           dated: LocalStore) -> None:
    query = queries.resolve(name)
    db = dated.reader() if name in DATED else built[0].reader()
    expected = queries.rows(queries.run(db, query, params_for(query, "label")))
    for pick in (0, 1, "alias"):
        assert queries.rows(queries.run(db, query, params_for(query, pick))) == expected, pick
    if name not in {"esco-skills-for-role", "taxonomy-coverage"}:  # these need an imported taxonomy
        assert expected, f"{name} answers nothing, so the comparison proves nothing"


@pytest.mark.parametrize("command", sorted(CAREER))
def test_every_career_command_takes_odd_spellings_and_aliases(command: str, built: tuple[LocalStore, Path]) -> None:
    store = built[0]
    role, skill = NAMES["Role"], NAMES["Skill"]
    expected = answer(store, *CAREER[command](role[0], skill[0]))
    for spelling in (*zip(role[1], skill[1]), (role[2], skill[2])):
        assert answer(store, *CAREER[command](*spelling)) == expected, spelling


ROLE_HINT = "no role called 'data scientst'; did you mean 'Data scientist'"
SKILL_HINT = "no skill called 'kubernets'; did you mean 'Kubernetes'"

TYPOS = [
    (["query", "skills-for-role", "-p", "role=data scientst"], ROLE_HINT),
    (["query", "shared-skills", "-p", "role1=data scientst", "-p", "role2=data engineer"],
     ROLE_HINT),
    (["query", "evidence", "-p", "role=data scientst", "-p", "skill=python"],
     ROLE_HINT),
    (["gap", "--role", "data scientst", "--have", "python"], ROLE_HINT),
    (["next", "--roles", "data scientst", "--have", "python"], ROLE_HINT),
    (["similar-roles", "data scientst"], ROLE_HINT),
    (["query", "roles-for-skill", "-p", "skill=kubernets"], SKILL_HINT),
    (["gap", "--role", "data scientist", "--have", "kubernets"], SKILL_HINT),
    (["match", "--have", "kubernets"], SKILL_HINT),
    (["related", "kubernets"], SKILL_HINT),
    (["query", "roles-at-company", "-p", "company=nvidai"], "no company called 'nvidai'; did you mean 'NVIDIA'"),
    (["query", "skills-in-domain", "-p", "domain=mlopz"], "no domain called 'mlopz'; did you mean"),
    (["viz", "--domain", "mlopz", "-o", "-"], "no domain called 'mlopz'; did you mean"),
    (["viz", "--focus", "kubernets", "-o", "-"],
     "no role, skill, company or domain called 'kubernets'; did you mean 'Kubernetes'"),
]


@pytest.mark.parametrize(("args", "message"), TYPOS, ids=[" ".join(a[:2]) for a, _ in TYPOS])
def test_a_miss_is_not_found_and_did_you_mean_everywhere(args: list[str], message: str,
                                                          built: tuple[LocalStore, Path]) -> None:
    code, out, err = run(built[0], *args)
    assert code == 5
    assert err.startswith(f"kg: error: {message}") and err.count("\n") == 1
    assert out == ""


# ------------------------------------------------------------------ ours first


@pytest.fixture(scope="module")
def with_taxonomies(built: tuple[LocalStore, Path], tmp_path_factory: pytest.TempPathFactory) -> LocalStore:
    """The default build with the made-up ESCO and O*NET imported beside it."""
    root = tmp_path_factory.mktemp("with-taxonomies")
    shutil.copytree(built[0].path, root / "store")
    store = LocalStore.at(root / "store")
    import_taxonomy(store, "esco", write_esco(root / "esco"))
    import_taxonomy(store, "onet", write_onet(root / "onet"))
    return store


def test_the_sample_collides_with_kgs_names(with_taxonomies: LocalStore) -> None:
    names = Names(with_taxonomies.reader())
    for name, kind in [("data scientist", "Role"), ("sql", "Skill"), ("python", "Skill"), ("pytorch", "Skill")]:
        vocabularies = {row["vocabulary"] for row in names.candidates(name, kind)}
        assert vocabularies >= {"kg", "esco"} or vocabularies >= {"kg", "onet"}, name


@pytest.mark.parametrize("name", name_queries())
def test_importing_changes_no_named_query_answer(name: str, built: tuple[LocalStore, Path],
                                                 with_taxonomies: LocalStore) -> None:
    query = queries.resolve(name)
    for pick in ("label", "alias"):
        params = params_for(query, pick)
        if name in {"esco-skills-for-role", "taxonomy-coverage"}:
            params = dict.fromkeys(params, "data scientist")
        before = queries.serialize(queries.run(built[0].reader(), query, params), "json")
        after = queries.serialize(queries.run(with_taxonomies.reader(), query, params), "json")
        if name in {"esco-skills-for-role", "taxonomy-coverage"}:  # they show the imported side: it must show
            assert before != after
        else:
            assert after == before, (name, pick)


@pytest.mark.parametrize("command", sorted(CAREER))
@pytest.mark.parametrize("names", [("data scientist", "sql"), ("ML engineer", "python")])
def test_importing_changes_no_career_answer(command: str, names: tuple[str, str], built: tuple[LocalStore, Path],
                                            with_taxonomies: LocalStore) -> None:
    args = CAREER[command](*names)
    assert answer(with_taxonomies, *args) == answer(built[0], *args)


def test_answers_say_which_concept_they_used(with_taxonomies: LocalStore) -> None:
    code, out, err = run(with_taxonomies, "gap", "--role", "data  scientist", "--have", "python", "-f", "json")
    assert code == 0
    assert ("'data  scientist' is kg's role 'Data scientist'; also: ESCO's role 'data scientist', its exact match "
            "(--vocab esco); O*NET's role 'Data Scientists', its exact match (--vocab onet)") in err
    found = json.loads(out)["names"]
    assert found[0]["iri"] == ROLE + "data-scientist" and found[0]["vocabulary"] == "kg"
    assert {(o["iri"], o["mapping"]) for o in found[0]["others"]} == {
        (ESCO_DATA_SCIENTIST, "exactMatch"), (ONET_DATA_SCIENTISTS, "exactMatch")}
    code, out, err = run(with_taxonomies, "query", "skills-for-role", "-p", "role=data scientist", "-f", "json")
    assert code == 0 and "'data scientist' is kg's role 'Data scientist'; also: ESCO's" in err
    assert {b["role"]["value"] for b in json.loads(out)["results"]["bindings"]} == {ROLE + "data-scientist"}


def test_vocab_takes_the_imported_concept(with_taxonomies: LocalStore) -> None:
    gap = answer(with_taxonomies, "gap", "--vocab", "esco", "--role", "data scientist", "--have", "sql, python")
    assert gap["iri"] == ESCO_DATA_SCIENTIST
    assert {m["label"] for m in gap["matched"]} == {"SQL", "Python (computer programming)"}
    assert {m["label"] for m in gap["missing"]} == {"write grant proposals", "statistics"}
    rows = answer(with_taxonomies, "query", "skills-for-role", "--vocab", "onet", "-p", "role=data scientist")
    assert {b["label"]["value"] for b in rows["results"]["bindings"]} == {"Python", "Structured query language SQL",
                                                                           "PyTorch"}
    assert answer(with_taxonomies, "gap", "--vocab", "onet", "--role", "plumbers", "--have", "pipe layout software")[
        "coverage"] == 1.0
    code, _, err = run(with_taxonomies, "gap", "--vocab", "esco", "--role", "ML engineer", "--have", "sql")
    assert code == 5 and "no role called 'ML engineer' in ESCO" in err


def test_an_imported_concept_when_none_of_ours_has_the_name(with_taxonomies: LocalStore) -> None:
    code, out, err = run(with_taxonomies, "gap", "--role", "plumber", "--have", "pipework, python", "-f", "json")
    assert code == 0, err
    gap = json.loads(out)
    assert gap["iri"] == ESCO_PLUMBER and gap["coverage"] == 1.0
    assert [n["iri"] for n in gap["names"][1:]] == [ESCO_PLUMBER.replace("occupation/t-plumber", "skill/t-pipes"),
                                                    ESCO_PYTHON]  # the role's vocabulary first, for its skills too
    assert "'plumber' is ESCO's role 'plumber': kg has none of that name" in err
    assert "'pipework' is ESCO's skill 'install pipes': kg has none of that name" in err


def test_the_lookup_query_shows_the_order_kg_takes(with_taxonomies: LocalStore) -> None:
    rows = queries.rows(queries.run(with_taxonomies.reader(), queries.resolve("lookup"), {"name": " PYTHON "}))
    assert [(r["entity"], r["vocabulary"], r["matched"]) for r in rows] == [
        (SKILL + "python", "kg", "label"), ("https://w3id.org/jobkg/id/onet/technology/python", "onet", "label"),
        (ESCO_PYTHON, "esco", "alias")]
    assert rows[1]["alignedWith"] == rows[2]["alignedWith"] == SKILL + "python"


def test_named_query_headers_say_what_a_parameter_takes() -> None:
    query = queries.NamedQuery.parse("# param: root  (optional, Domain) The root\n"
                                     "# param: name  (key) A name\n"
                                     "# param: note  (see the docs) Free text\nSELECT * {}", "q")
    assert [(p.name, p.optional, p.kind, p.help) for p in query.params] == [
        ("root", True, "Domain", "The root"), ("name", False, "key", "A name"),
        ("note", False, None, "(see the docs) Free text")]
    binding = queries.bind(ox.Store(), query, {"name": "  Data  SCIENTIST ", "note": "x"})
    assert binding.values["name"] == ox.Literal("data scientist")
