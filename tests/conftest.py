"""Shared fixtures: a tiny hand-made graph, stores in tmp_path, the default build, a CLI runner."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.store import LocalStore

DATA = Path(__file__).parent / "data"
REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


def need_shared(folder: str) -> Path:
    """``../shared/<folder>``, or skip the test; under CI a missing folder fails instead."""
    path = SHARED / folder
    if not path.is_dir():
        if os.environ.get("CI"):
            pytest.fail(f"{path} is missing, and CI must not skip tests that need it")
        pytest.skip(f"{path} is not here")
    return path


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    """``../shared/seeds``: the seed documents (skips when absent, fails under CI)."""
    return need_shared("seeds")


@pytest.fixture(scope="session")
def shared_data_dir() -> Path:
    """``../shared/data``: the ESCO and O*NET releases (skips when absent, fails under CI)."""
    return need_shared("data")


#: The small hand-written vocabulary the extractor tests match against.
TEST_VOCAB = DATA / "vocab"


@pytest.fixture(scope="session")
def vocab():  # noqa: ANN201 - kg.extract is imported only by the tests that use it
    """The small hand-written test vocabulary (``tests/data/vocab``)."""
    from kg.extract import Vocabulary

    return Vocabulary.from_files(
        [TEST_VOCAB / "domains.ttl", TEST_VOCAB / "skills.ttl", TEST_VOCAB / "roles.ttl"], TEST_VOCAB / "companies.csv"
    )


@pytest.fixture(autouse=True)
def _isolated_store(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test ever touches the user's default store."""
    monkeypatch.setenv("KG_STORE", str(tmp_path_factory.mktemp("default-store") / "store"))
    monkeypatch.setenv("KG_BUSY_TIMEOUT", "5")


@pytest.fixture
def tiny_store(tmp_path: Path) -> LocalStore:
    """A store holding ``tests/data/tiny.ttl`` (three roles, seven skills, two companies)."""
    from kg.load import load_files

    store = LocalStore.at(tmp_path / "tiny-store")
    load_files(store, [DATA / "tiny.ttl"])
    return store


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[LocalStore, Path]:
    """The default dataset built once per session: ``(store, exports folder)``.

    Tests only read the store. The folder holds the committed exports (``COMMITTED_EXPORTS``);
    the other two are written by the tests that check them.
    """
    from kg.build import COMMITTED_EXPORTS, build

    root = tmp_path_factory.mktemp("built")
    store = LocalStore.at(root / "store")
    build(store, root / "exports", names=COMMITTED_EXPORTS)
    return store, root / "exports"


@pytest.fixture(scope="session")
def taxonomy_sample_store(tmp_path_factory: pytest.TempPathFactory) -> LocalStore:
    """A store holding the made-up ESCO and O*NET samples (``tests/taxonomy_samples.py``), nothing else."""
    from kg.taxonomies import import_taxonomy
    from taxonomy_samples import write_esco, write_onet

    root = tmp_path_factory.mktemp("taxonomy-samples")
    store = LocalStore.at(root / "store")
    import_taxonomy(store, "esco", write_esco(root / "esco"))
    import_taxonomy(store, "onet", write_onet(root / "onet"))
    return store


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()
