"""`kg ingest`: idempotent, all or nothing, the same with --jobs N, safe when two run at once."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg import queries
from kg.cli import cli
from kg.errors import InputError
from kg.ingest import extract_parallel, ingest
from kg.namespaces import CORE_GRAPH, DERIVED_GRAPH, POSTINGS_GRAPH
from kg.store import LocalStore

POSTINGS = Path(__file__).parent / "data" / "postings"
FILES = [str(POSTINGS / name) for name in ("plain.txt", "notes.md", "postings.jsonld", "single.json")]


def snapshot(store: LocalStore) -> list[str]:
    return sorted(map(str, store.reader()))


def graph_sizes(store: LocalStore) -> dict[str, int]:
    return {r["graph"]: r["triples"] for r in queries.rows(queries.run(store.reader(), queries.resolve("graphs")))}


def test_ingest_stores_postings_and_derives(copy_built: Callable[[str], LocalStore]) -> None:
    store = copy_built("s")
    result = ingest(store, FILES)
    assert result.postings > result.duplicates >= 1
    assert result.new == result.postings - result.duplicates
    sizes = graph_sizes(store)
    assert sizes[POSTINGS_GRAPH] > 50 and sizes[DERIVED_GRAPH] > 0
    rows = queries.rows(queries.run(store.reader(), queries.resolve("postings-for-skill"), {"skill": "airflow"}))
    mine = [r for r in rows if r["file"] in FILES]
    assert {(Path(r["file"]).name, r["level"]) for r in mine} == {
        ("notes.md", "required"), ("postings.jsonld", "preferred")}


def test_a_taxonomy_skill_postings_name_is_typed_once_and_found_by_its_names(
        tmp_path: Path, copy_built: Callable[[str], LocalStore]) -> None:
    """Skills of the wide vocabulary (O*NET's "Autodesk AutoCAD", read as "AutoCAD") were stored untyped and
    unlabelled by `kg ingest`: the store broke its SHACL shapes (a posting's skill must be a kg:Skill) and no name
    found them. Now the first posting that names one writes its type and labels."""
    import pyoxigraph as ox

    from kg.terms import SKILL_CLASS, TYPE

    for name, company in (("a.txt", "Brightline"), ("b.txt", "Keystone")):
        (tmp_path / name).write_text(f"CAD Technician - {company}\nRequirements:\n- Experience with AutoCAD and "
                                     "Revit\n", encoding="utf-8")
    store = copy_built("s")
    ingest(store, [str(tmp_path / "a.txt"), str(tmp_path / "b.txt")])
    autocad = ox.NamedNode("https://w3id.org/jobkg/id/onet/technology/autodesk_autocad")
    typed = list(store.reader().quads_for_pattern(autocad, TYPE, SKILL_CLASS, None))
    assert [q.graph_name.value for q in typed] == [POSTINGS_GRAPH]
    for name in ("AutoCAD", "autodesk autocad"):
        rows = queries.rows(queries.run(store.reader(), queries.resolve("postings-for-skill"), {"skill": name}))
        assert sorted(Path(r["file"]).name for r in rows) == ["a.txt", "b.txt"], name


@pytest.mark.slow  # the default dataset is built into the new store first: 10-15 s of CPU
def test_the_first_ingest_into_an_empty_store_puts_the_default_dataset_under_the_postings(
        tmp_path: Path, built: tuple[LocalStore, Path]) -> None:
    store = LocalStore.at(tmp_path / "s")
    result = ingest(store, FILES)
    assert result.new == result.postings - result.duplicates >= 1
    sizes, default = graph_sizes(store), graph_sizes(built[0])
    assert sizes[CORE_GRAPH] == default[CORE_GRAPH] > 10_000
    assert sizes[POSTINGS_GRAPH] > 50 and sizes[DERIVED_GRAPH] > default[DERIVED_GRAPH]
    mine = queries.rows(queries.run(store.reader(), queries.resolve("postings-for-skill"), {"skill": "airflow"}))
    assert {(Path(r["file"]).name, r["level"]) for r in mine if r["file"] in FILES} == {
        ("notes.md", "required"), ("postings.jsonld", "preferred")}


@pytest.mark.slow
def test_reingesting_changes_nothing(copy_built: Callable[[str], LocalStore]) -> None:
    store = copy_built("s")
    ingest(store, FILES)
    before = snapshot(store)
    again = ingest(store, FILES)
    assert again.new == 0
    assert again.quads_written == 0
    assert snapshot(store) == before


def test_jobs_give_the_same_postings(monkeypatch: pytest.MonkeyPatch) -> None:
    """With --jobs the batches are extracted in worker processes and come back in reading order, duplicates
    flagged as with one process (small batches, so that both workers get some)."""
    import kg.ingest

    one, _ = extract_parallel(FILES * 3, jobs=1)
    monkeypatch.setattr(kg.ingest, "BATCH", 4)
    many, _ = extract_parallel(FILES * 3, jobs=2)
    assert len(one) > 2 * 2 * 4 and any(p.duplicate_of for p in one)  # more batches than are in flight at once
    assert [p.to_json() for p in one] == [p.to_json() for p in many]


@pytest.mark.slow
def test_jobs_give_the_same_store(copy_built: Callable[[str], LocalStore]) -> None:
    serial, parallel = copy_built("a"), copy_built("b")
    ingest(serial, FILES * 3, jobs=1)
    ingest(parallel, FILES * 3, jobs=3)
    assert snapshot(serial) == snapshot(parallel)


def test_a_worker_extracts_its_batch_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """The tagger reads the lines of a whole batch in one call (half the CPU of a posting at a time), and the
    postings, quads and signatures are those of one block at a time."""
    from kg.extract import load_vocabulary
    from kg.extract.sources import source_blocks
    from kg.extract.tagger import Tagger
    from kg.ingest import Skipped, extract_batch, extract_block

    vocab = load_vocabulary()  # the whole one, with the tagger, as a worker process has it
    blocks = [b for path in FILES for b in source_blocks(path)]
    calls = []
    read_many = Tagger.read_many
    monkeypatch.setattr(Tagger, "read_many", lambda self, postings, kinds, only=None: calls.append(len(postings))
                        or read_many(self, postings, kinds, only))
    batch = extract_batch(blocks)
    assert calls == [len(blocks)]
    one = [extract_block(block, vocab) for block in blocks]
    assert not any(isinstance(item, Skipped) for item in batch)
    assert [(e.posting.to_json(), e.quads, e.company, e.signature, e.bands) for e in batch] == \
        [(e.posting.to_json(), e.quads, e.company, e.signature, e.bands) for e in one]


def test_workers_send_back_what_the_store_needs_not_the_postings() -> None:
    """A worker of `kg ingest` leaves the postings out of what it sends (the main process, which writes the
    store, would unpickle each one); the quads, facts, signature, id and company are those of the posting."""
    from kg.extract.sources import source_blocks
    from kg.ingest import Extracted, extract_batch, store_batch

    blocks = [b for path in FILES for b in source_blocks(path)]
    full, slim = extract_batch(blocks), store_batch(blocks)
    assert len(full) == len(slim) == len(blocks)
    for whole, sent in zip(full, slim):
        assert isinstance(whole, Extracted) and isinstance(sent, Extracted) and whole.posting is not None
        assert sent.posting is None
        assert (sent.id, sent.company_iri, sent.duplicate_of) == (
            whole.posting.id, whole.posting.company_iri, whole.posting.duplicate_of)
        assert (sent.quads, sent.company, sent.facts, sent.signature, sent.bands) == (
            whole.quads, whole.company, whole.facts, whole.signature, whole.bands)


def test_postings_stored_before_are_found_without_a_look_up_on_a_fresh_store(
        copy_built: Callable[[str], LocalStore]) -> None:
    """On a store whose only postings are the default graph's seed postings, whether a posting is stored is
    answered from a set of them; once an ingest has stored postings, from the store. The answers are the same."""
    import pyoxigraph as ox

    from kg.ingest import _stored_postings
    from kg.namespaces import CORE_GRAPH, POSTING
    from kg.terms import JOB_POSTING_CLASS, TYPE

    store = copy_built("s")
    seeds = [q.subject.value[len(POSTING):] for q in store.reader().quads_for_pattern(
        None, TYPE, JOB_POSTING_CLASS, ox.NamedNode(CORE_GRAPH))]
    assert seeds, "the default graph has seed postings"
    fresh = _stored_postings(store.reader())
    assert all(fresh(key) for key in seeds)
    assert not fresh("0000000000000000")
    ingested = [p.id for p in extract_parallel(FILES)[0] if p.duplicate_of is None]
    assert not any(fresh(key) for key in ingested)
    ingest(store, FILES)
    after = _stored_postings(store.reader())
    assert all(after(key) for key in [*seeds, *ingested])
    assert not after("0000000000000000")


def test_the_bar_moves_with_the_postings_done_not_with_the_bytes_read(tmp_path: Path) -> None:
    """Reading runs ahead of extraction (a batch at a time, more with --jobs): bytes are counted when their
    postings are done, so the time left is that of the work left, and all of a file's bytes are counted."""
    from kg.ingest import Progress, extract_stream

    table = tmp_path / "board.csv"
    table.write_text("title,company,description\n" + "".join(
        f"Data Engineer {n},Contoso,Airflow and SQL pipelines for team {n}\n" for n in range(600)), encoding="utf-8")
    events: list[tuple[str, int]] = []
    progress = Progress(on_bytes=lambda n: events.append(("bytes", n)),
                        on_postings=lambda n: events.append(("postings", n)))
    for _ in extract_stream([str(table)], progress=progress):
        pass
    done = 0
    for kind, n in events:
        if kind == "postings":
            done += n
        else:
            assert done > 0, "bytes counted before any posting was done"
    assert sum(n for kind, n in events if kind == "bytes") == table.stat().st_size
    assert done == 600


@pytest.mark.slow
def test_failed_ingest_leaves_the_store_as_it_was(tmp_path: Path, copy_built: Callable[[str], LocalStore]) -> None:
    store = copy_built("s")
    ingest(store, FILES[:1])
    before = snapshot(store)
    binary = tmp_path / "blob.txt"
    binary.write_bytes(b"\x00\x01\x02PNG" * 100)
    with pytest.raises(InputError):
        ingest(store, [FILES[1], str(binary)])
    assert snapshot(store) == before


def test_rows_made_into_postings_in_workers_still_report_what_was_skipped(
        tmp_path: Path, caplog: pytest.LogCaptureFixture, copy_built: Callable[[str], LocalStore]) -> None:
    """With --jobs, rows become postings in the worker processes; a row that is none is still one warning."""
    table = tmp_path / "board.csv"
    table.write_text("title,company,description\nData Engineer,Contoso,Airflow and SQL pipelines\n"
                     ",Contoso,\nML Engineer,Fabrikam,PyTorch models\n", encoding="utf-8")
    with caplog.at_level("WARNING"):
        result = ingest(copy_built("s"), [str(table)], jobs=2)
    assert (result.postings, result.new, result.skipped) == (2, 2, 1)
    assert f"{table}: row 2: skipped: no title and no description" in caplog.text


def test_cli_ingest_and_extract(tmp_path: Path, copy_built: Callable[[str], LocalStore]) -> None:
    runner = CliRunner()
    result = runner.invoke(cli, ["--store", str(copy_built("s").path), "ingest", *FILES], prog_name="kg")
    assert result.exit_code == 0, result.stderr
    assert "ingested" in result.stderr
    result = runner.invoke(cli, ["extract", FILES[0], "--format", "table"], prog_name="kg")
    assert result.exit_code == 0
    result = runner.invoke(cli, ["extract", str(tmp_path / "missing.txt")], prog_name="kg")
    assert result.exit_code == 3 and result.stderr.startswith("kg: error: ") and "missing.txt" in result.stderr


INGEST = [sys.executable, "-m", "kg", "--quiet"]


@pytest.mark.slow  # two processes writing one store at once, faster: test_store.py
def test_two_ingests_at_once_both_land(copy_built: Callable[[str], LocalStore]) -> None:
    """Two processes ingest different files into one store at the same time: one waits, nothing is lost."""
    store = copy_built("s").path
    env = {**os.environ, "KG_STORE": str(store), "KG_BUSY_TIMEOUT": "60"}
    first = subprocess.Popen([*INGEST, "ingest", FILES[0], FILES[1]], env=env, stderr=subprocess.PIPE, text=True)
    second = subprocess.Popen([*INGEST, "ingest", FILES[2], FILES[3]], env=env, stderr=subprocess.PIPE, text=True)
    assert first.wait(120) == 0, first.stderr.read() if first.stderr else ""
    assert second.wait(120) == 0, second.stderr.read() if second.stderr else ""
    both = LocalStore.at(store)
    expected = copy_built("expected")
    ingest(expected, FILES)
    assert snapshot(both) == snapshot(expected)


def test_a_busy_store_is_a_clear_error(tmp_path: Path) -> None:
    store = tmp_path / "s"
    env = {**os.environ, "KG_STORE": str(store)}
    holder = subprocess.Popen(  # holds the write lock until its stdin closes
        [sys.executable, "-c",
         ("import sys\nfrom kg.store import LocalStore\n"
          "LocalStore.at(sys.argv[1]).write(lambda db: (print('locked', flush=True), sys.stdin.read()))\n"),
         str(store)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env)
    assert holder.stdin is not None and holder.stdout is not None
    try:
        assert holder.stdout.readline().strip() == "locked"
        result = subprocess.run([*INGEST, "ingest", FILES[0]], env={**env, "KG_BUSY_TIMEOUT": "0.5"},
                                capture_output=True, text=True, timeout=60, check=False)
    finally:
        holder.stdin.close()
        holder.wait(30)
    assert result.returncode == 7
    assert result.stderr.strip().startswith("kg: error: store is busy")
    assert "Traceback" not in result.stderr
