"""Shared fixtures: a tiny hand-made graph, stores in tmp_path, the default build, a CLI runner, SPARQL servers."""

from __future__ import annotations

import fcntl
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
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


def summary_quads(db: ox.Store) -> set[str]:
    """Every quad of the store's summaries graphs (``graph/summaries/...``), as text."""
    from kg import summaries

    graphs = [g for g in db.named_graphs() if isinstance(g, ox.NamedNode) and summaries.is_summary_graph(g.value)]
    return {str(q) for graph in graphs for q in db.quads_for_pattern(None, None, None, graph)}


#: About the seconds the heaviest test files take (`pytest -q`, wall time per file, 7 December 2026; test_lookup.py
#: holds the session's build), to hand them out first: xdist gives a
#: worker a whole file at a time (``--dist loadfile``), in collection order (``--no-loadscope-reorder``), so the
#: longest go first and the short ones even the workers out at the end. Only the order depends on these figures;
#: a file not listed counts a tenth of a second a test.
FILE_WEIGHTS = {
    "test_lookup.py": 40,
    "test_browser.py": 18,
    "test_ingest.py": 16,
    "test_bombs.py": 15,
    "test_remote.py": 12,
    "test_store.py": 11,
    "test_queries.py": 10,
    "test_docs.py": 9,
    "test_hostile_cli.py": 9,
    "test_protocol.py": 9,
    "test_extract_properties.py": 8,
    "test_analytics.py": 7,
    "test_cli.py": 7,
    "test_posting_tallies.py": 5.5,
    "test_exports.py": 5,
    "test_viz.py": 5,
    "test_load.py": 5,
    "test_taxonomies.py": 4.5,
    "test_derive_incremental.py": 4,
    "test_packaging.py": 3,
    "test_interrupt.py": 3,
    "test_export_jobposting.py": 2.5,
    "test_tables.py": 2.5,
    "test_extract_seeds.py": 2,
    "test_quads.py": 2,
    "test_trends.py": 2,
    "test_network_guards.py": 1.6,
}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Order the test files for the workers: the heaviest that needs the session's build first (its worker builds
    it), then the heaviest that does not (so that the other worker has work while the build runs), then the
    rest, heaviest first. The tests of a file keep their order."""
    files: dict[str, list[pytest.Item]] = {}
    for item in items:
        files.setdefault(item.nodeid.split("::", 1)[0], []).append(item)

    def weight(name: str) -> float:
        return FILE_WEIGHTS.get(Path(name).name, 0.1 * len(files[name]))

    def builds(name: str) -> bool:
        return any("built" in item.fixturenames for item in files[name])

    order = sorted(files, key=lambda name: -weight(name))
    first = [next((name for name in order if builds(name)), None), next((n for n in order if not builds(n)), None)]
    first = [name for name in first if name is not None]
    items[:] = [item for name in first + [n for n in order if n not in first] for item in files[name]]


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
def bundled():  # noqa: ANN201 - kg.extract is imported only by the tests that use it
    """The bundled vocabulary (kg's skills with the wide one: the tagger reads with it)."""
    from kg.extract import load_vocabulary

    return load_vocabulary()


def posting_of(text: str, vocab, source: str = "p.txt"):  # noqa: ANN001, ANN201 - kg.extract imported lazily
    """The one posting of a text, read as a file named ``source``."""
    from kg.extract import extract_text

    [posting] = extract_text(text, source, vocab=vocab)
    return posting


def skill_levels(text: str, vocab) -> dict[str, str]:  # noqa: ANN001 - kg.extract imported lazily
    """Each skill read in one posting's text, by label, with its level."""
    return {m.label: m.level for m in posting_of(text, vocab).skills}


def skill_iris_under_heading(text: str, vocab) -> set[str]:  # noqa: ANN001 - kg.extract imported lazily
    """The IRIs of the skills read in one posting's text, under a title and a heading."""
    return {m.iri for m in posting_of(f"Staff Specialist\n\nAbout the job\n{text}\n", vocab).skills}


def at_levels(read: dict[str, str], required: tuple[str, ...], preferred: tuple[str, ...]) -> None:
    """``required`` and ``preferred`` (labels) were read, each at its level."""
    assert {label: read.get(label) for label in required} == dict.fromkeys(required, "required")
    assert {label: read.get(label) for label in preferred} == dict.fromkeys(preferred, "preferred")


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
    monkeypatch.setenv("KG_ADDED_SKILLS", str(tmp_path_factory.mktemp("added") / "added-skills.tsv"))
    monkeypatch.setenv("KG_BUSY_TIMEOUT", "5")


@pytest.fixture
def tiny_store(tmp_path: Path) -> LocalStore:
    """A store holding ``tests/data/tiny.ttl`` (three roles, seven skills, two companies)."""
    from kg.load import load_files

    store = LocalStore.at(tmp_path / "tiny-store")
    load_files(store, [DATA / "tiny.ttl"])
    return store


def _once(tmp_path_factory: pytest.TempPathFactory, worker_id: str, name: str,
          make: Callable[[Path], object]) -> Path:
    """A folder ``name`` that ``make`` fills once per test run, for every xdist worker: the first worker to ask
    makes it, in the folder they share, while the others wait for it."""
    if worker_id == "master":  # not under xdist
        root = tmp_path_factory.mktemp(name)
    else:
        root = tmp_path_factory.getbasetemp().parent / name
        root.mkdir(exist_ok=True)
    with open(root / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (root / "done").exists():
            make(root)
            (root / "done").touch()
    return root


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> tuple[LocalStore, Path]:
    """The default dataset built once per test run, for every xdist worker: ``(store, exports folder)``.

    Tests only read both (``copy_built`` makes a copy to write to). The exports folder holds the committed
    exports (``COMMITTED_EXPORTS``), written when a test first asks for it (``built_exports``): the store is
    what most tests wait for.
    """
    from kg.build import build

    root = _once(tmp_path_factory, worker_id, "built", lambda root: build(LocalStore.at(root / "store"), None))
    return LocalStore.at(root / "store"), root / "exports"


@pytest.fixture(scope="session")
def built_exports(built: tuple[LocalStore, Path], tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> Path:
    """The committed exports (``COMMITTED_EXPORTS``) as ``kg build`` writes them, once per test run: ``built[1]``."""
    from kg.build import COMMITTED_EXPORTS, write_default_exports

    _once(tmp_path_factory, worker_id, "built-exports",
          lambda _root: write_default_exports(built[1], names=COMMITTED_EXPORTS))
    return built[1]


@pytest.fixture
def copy_built(built: tuple[LocalStore, Path], tmp_path: Path) -> Callable[[str], LocalStore]:
    """Makes writable copies of the session's default build (``built``), for tests that write to a built store.

    A copy is what ``kg build`` (or the first ``kg ingest`` into an empty store) would leave, without building
    it again: ``copy_built("a")`` is a store at ``tmp_path / "a"``.
    """
    def copy(name: str) -> LocalStore:
        shutil.copytree(built[0].path, tmp_path / name)
        return LocalStore.at(tmp_path / name)

    return copy


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


# ------------------------------------------------------------------ SPARQL servers


@dataclass(frozen=True)
class Server:
    """A SPARQL server started for the tests: its name, query URL and the environment that logs in to it."""

    name: str
    url: str
    env: dict[str, str] = field(default_factory=dict)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def need_program(name: str, package: str) -> str:
    """The path of a server program; skips without it, and fails under CI, which must install it."""
    beside = Path(sys.executable).parent / name
    found = str(beside) if beside.is_file() else shutil.which(name)
    if found:
        return found
    if os.environ.get("CI"):
        pytest.fail(f"{name} is missing ({package}), and CI must not skip the server tests")
    pytest.skip(f"no {name} here: install {package}")


def _wait_for(url: str, process: subprocess.Popen[bytes], seconds: float, log: Path | None = None) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            urllib.request.urlopen(url + "?query=" + urllib.parse.quote("ASK {}"), timeout=2).close()
            return
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                detail = log.read_text(errors="replace")[-2000:] if log and log.exists() else ""
                pytest.fail(f"the server at {url} did not start: {detail}")
            time.sleep(0.2)


def _stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@contextmanager
def oxigraph_serving(location: Path) -> Iterator[str]:
    """``oxigraph serve --union-default-graph`` on ``location`` and a free loopback port: its query URL, until the
    block ends."""
    binary = need_program("oxigraph", "pip install oxigraph")
    port = free_port()
    process = subprocess.Popen([binary, "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}",
                                "--union-default-graph"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/query"
    try:
        _wait_for(url, process, 30)
        yield url
    finally:
        _stop(process)


@pytest.fixture(scope="session")
def oxigraph_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """An Oxigraph server (:func:`oxigraph_serving`) for the whole session."""
    with oxigraph_serving(tmp_path_factory.mktemp("oxigraph-server")) as url:
        yield Server("oxigraph", url)


#: Our own virtuoso.ini for the tests: Debian's limits (ResultSetMaxRows 10,000), loopback ports, a temp folder.
VIRTUOSO_INI = """\
[Database]
DatabaseFile = {dir}/virtuoso.db
ErrorLogFile = {dir}/virtuoso.log
LockFile = {dir}/virtuoso.lck
TransactionFile = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
FileExtend = 200
MaxCheckpointRemap = 2000
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {dir}/virtuoso-temp.db
TransactionFile = {dir}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{isql}
DisableUnixSocket = 1
MaxClientConnections = 10
CheckpointInterval = 60
CaseMode = 2
DirsAllowed = ., {dir}
NumberOfBuffers = 20000
MaxDirtyBuffers = 12000

[HTTPServer]
ServerPort = 127.0.0.1:{http}
ServerRoot = {dir}
MaxClientConnections = 10
ServerThreads = 10
Charset = UTF-8

[SPARQL]
ResultSetMaxRows = 10000
MaxQueryCostEstimationTime = 400
MaxQueryExecutionTime = 600
"""
#: The login kg uses on the test Virtuoso; its password holds characters that URLs and headers treat specially.
VIRTUOSO_USER = "kg"
VIRTUOSO_PASSWORD = "k#g/p?w:d@x"


@pytest.fixture(scope="session")
def virtuoso_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """Debian's Virtuoso (``virtuoso-t``) on free loopback ports with a virtuoso.ini of our own, for the session.

    A user ``kg`` with the SPARQL_UPDATE role writes through the Digest-protected Graph Store.
    """
    binary = need_program("virtuoso-t", "apt-get install virtuoso-opensource")
    isql = need_program("isql-vt", "apt-get install virtuoso-opensource")
    folder = tmp_path_factory.mktemp("virtuoso")
    http_port, isql_port = free_port(), free_port()
    ini = folder / "virtuoso.ini"
    ini.write_text(VIRTUOSO_INI.format(dir=folder, isql=isql_port, http=http_port), encoding="utf-8")
    process = subprocess.Popen([binary, "+configfile", str(ini), "+foreground"], cwd=folder,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{http_port}/sparql"
    try:
        _wait_for(url, process, 90, folder / "virtuoso.log")
        grant = (f"DB.DBA.USER_CREATE('{VIRTUOSO_USER}', '{VIRTUOSO_PASSWORD}'); "
                 f'GRANT SPARQL_UPDATE TO "{VIRTUOSO_USER}";')
        subprocess.run([isql, f"127.0.0.1:{isql_port}", "dba", "dba", f"exec={grant}"], check=True,
                       capture_output=True, timeout=60)
        yield Server("virtuoso", url, {"KG_ENDPOINT_USER": VIRTUOSO_USER, "KG_ENDPOINT_PASSWORD": VIRTUOSO_PASSWORD})
    finally:
        _stop(process)


@pytest.fixture(scope="session", params=["oxigraph", "virtuoso"])
def sparql_server(request: pytest.FixtureRequest) -> Server:
    """Each SPARQL server the tests run against, started once per session."""
    return request.getfixturevalue(f"{request.param}_server")
