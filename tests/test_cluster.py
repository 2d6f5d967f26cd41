"""The Dask path: shards written by workers load into the graph `kg ingest` builds, quad for quad."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.load import load_files
from kg.store import LocalStore

# dask is imported by the tests that use it, not when the tests are collected (each worker collects them all)
pytestmark = pytest.mark.skipif(importlib.util.find_spec("distributed") is None, reason="no dask.distributed")
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

TABLES = Path(__file__).parent / "data" / "tables"
POSTINGS = Path(__file__).parent / "data" / "postings"


def canonical(store: LocalStore) -> bytes:
    """Every quad of a store as sorted N-Quads, blank nodes labelled canonically (RDFC-1.0)."""
    dataset = ox.Dataset(store.reader())
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return b"".join(sorted(ox.serialize([q], format=ox.RdfFormat.N_QUADS) for q in dataset))


@pytest.mark.slow
def test_shards_from_a_local_cluster_load_into_the_ingested_graph(tmp_path: Path) -> None:
    from dask.distributed import Client, LocalCluster

    from corpus import corpus, write
    from kg.cluster import extract_to_shards
    from kg.ingest import ingest

    postings, truth = corpus(400, near=0.1, seed=3)
    files = [str(p) for p in write(tmp_path / "corpus", postings)]
    files += [str(TABLES / name) for name in ("linkedin.csv", "jobspy.csv", "schema.jsonl", "page.html")]
    files += [str(POSTINGS / "notes.md")]
    for name in ("cad-1.txt", "cad-2.txt"):  # skills of the wide vocabulary: typed and labelled once, by the first
        (tmp_path / name).write_text(f"CAD Technician - {name}\nRequirements:\n- AutoCAD, Revit and SQL\n",
                                     encoding="utf-8")
        files.append(str(tmp_path / name))
    ingested = LocalStore.at(tmp_path / "ingested")
    result = ingest(ingested, files)
    assert result.near_duplicates >= len(truth) // 2

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
            Client(cluster) as client:
        assert len(client.scheduler_info()["workers"]) == 2
        shards = extract_to_shards(client, files, tmp_path / "shards", partition=60)
    assert (shards.postings, shards.kept, shards.duplicates, shards.near_duplicates) == \
        (result.postings, result.new, result.duplicates, result.near_duplicates)
    assert len([p for p in shards.shards if p.name.startswith("postings-")]) == 7  # 4xx blocks in partitions of 60
    loaded = LocalStore.at(tmp_path / "loaded")
    load_files(loaded, shards.shards, force=True)  # the shards write kg's own graphs
    assert canonical(loaded) == canonical(ingested)


def test_shard_cli_needs_its_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import dask.distributed
    from click.testing import CliRunner

    from kg.cli import cli

    def no_cluster(*args: object, **kwargs: object) -> None:
        raise AssertionError("a cluster started before the files were checked")

    monkeypatch.setattr(dask.distributed, "LocalCluster", no_cluster)
    (tmp_path / "there.txt").write_text("Data Engineer at Acme\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["shard", str(tmp_path / "there.txt"), str(tmp_path / "missing.csv"),
                                      "-o", str(tmp_path / "out"), "--workers", "1"])
    assert result.exit_code == 3 and "missing.csv: no such file" in result.stderr


def test_extraction_is_a_pure_function_of_the_block() -> None:
    from kg.extract import load_vocabulary
    from kg.extract.sources import source_blocks
    from kg.ingest import extract_block

    vocab = load_vocabulary()
    blocks = list(source_blocks(str(TABLES / "linkedin.csv")))
    first = [extract_block(b, vocab) for b in blocks]
    again = [extract_block(b, vocab) for b in reversed(blocks)][::-1]
    assert [(e.posting.to_json(), e.quads, e.company, e.signature) for e in first] == \
        [(e.posting.to_json(), e.quads, e.company, e.signature) for e in again]
    assert all(json.dumps(e.posting.to_json()) for e in first)
