"""kg push throughput to a fresh Oxigraph server and a fresh Virtuoso, in triples per second.

For each server and each batch size / parallel-requests setting, a new empty
server is started on loopback (so no run pays for an earlier one's data), the
store is pushed with ``--replace``, and the time of the whole push is taken,
the server's count check included. The baseline in the same run is kg's old
way: batches of 50,000 triples (about 8 MB of N-Triples here), one at a time.

    python benchmarks/bench_push.py [--data ../shared/data] [--sets default,taxonomies]
        [--servers oxigraph,virtuoso] [--settings 4:1,4:2,16:2]

``--settings`` is a list of MEGABYTES:PARALLEL. ``taxonomies`` is the default
graph plus ESCO and O*NET (about 750,000 triples), imported into a temporary store.
"""

from __future__ import annotations

import argparse
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BASELINE = (8.0, 1)  # about 50,000 triples of this data per request, one request at a time
VIRTUOSO_INI = """[Database]
DatabaseFile = {dir}/virtuoso.db
ErrorLogFile = {dir}/virtuoso.log
LockFile = {dir}/virtuoso.lck
TransactionFile = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
TempStorage = TempDatabase
[TempDatabase]
DatabaseFile = {dir}/virtuoso-temp.db
TransactionFile = {dir}/virtuoso-temp.trx
[Parameters]
ServerPort = 127.0.0.1:{isql}
DisableUnixSocket = 1
DirsAllowed = ., {dir}
NumberOfBuffers = 170000
MaxDirtyBuffers = 130000
[HTTPServer]
ServerPort = 127.0.0.1:{http}
ServerRoot = {dir}
ServerThreads = 10
MaxClientConnections = 10
[SPARQL]
ResultSetMaxRows = 10000
MaxQueryExecutionTime = 600
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(url: str, process: subprocess.Popen[bytes], seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            urllib.request.urlopen(url + "?query=" + urllib.parse.quote("ASK {}"), timeout=2).close()
            return
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                raise SystemExit(f"the server at {url} did not start") from None
            time.sleep(0.2)


@contextmanager
def server(kind: str, folder: Path) -> Iterator[tuple[str, dict[str, str]]]:
    """A fresh, empty server of ``kind``: its query URL and the environment that logs in to it."""
    http_port = free_port()
    env: dict[str, str] = {}
    folder.mkdir(parents=True, exist_ok=True)
    if kind == "oxigraph":
        binary = str(Path(sys.executable).parent / "oxigraph")
        command = [binary, "serve", "--location", str(folder), "--bind", f"127.0.0.1:{http_port}",
                   "--union-default-graph"]
        url = f"http://127.0.0.1:{http_port}/query"
    else:
        isql_port = free_port()
        (folder / "virtuoso.ini").write_text(VIRTUOSO_INI.format(dir=folder, isql=isql_port, http=http_port))
        command = ["virtuoso-t", "+configfile", str(folder / "virtuoso.ini"), "+foreground"]
        url = f"http://127.0.0.1:{http_port}/sparql"
    process = subprocess.Popen(command, cwd=folder, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for(url, process)
        if kind == "virtuoso":
            grant = "DB.DBA.USER_CREATE('kg', 'kg-bench'); GRANT SPARQL_UPDATE TO \"kg\";"
            subprocess.run(["isql-vt", f"127.0.0.1:{isql_port}", "dba", "dba", f"exec={grant}"], check=True,
                           capture_output=True, timeout=60)
            env = {"KG_ENDPOINT_USER": "kg", "KG_ENDPOINT_PASSWORD": "kg-bench"}
        yield url, env
    finally:
        process.terminate()
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()


def build_store(kind: str, data: Path, folder: Path) -> Path:
    """A store with the default graph, and for ``taxonomies`` ESCO and O*NET too."""
    store = folder / f"store-{kind}"
    kg = [sys.executable, "-m", "kg", "--quiet", "--store", str(store)]
    subprocess.run([*kg, "build", "--no-exports"], check=True, cwd=REPO)
    if kind == "taxonomies":
        subprocess.run([*kg, "import", "esco", str(data / "esco-v1.1.1")], check=True, cwd=REPO)
        subprocess.run([*kg, "import", "onet", str(data / "onet-29.2")], check=True, cwd=REPO)
    return store


def push_once(store: Path, kind: str, megabytes: float, parallel: int, folder: Path) -> tuple[int, float]:
    """Triples pushed and seconds taken, to a fresh server."""
    from kg.push import push
    from kg.remote import Endpoint
    from kg.store import LocalStore

    shutil.rmtree(folder, ignore_errors=True)
    with server(kind, folder) as (url, env):
        endpoint = Endpoint.from_env(url, environ={**env, "KG_ENDPOINT_TIMEOUT": "900"})
        db = LocalStore.at(store).reader()
        started = time.perf_counter()
        result = push(db, endpoint, replace=True, batch_bytes=int(megabytes * 1_000_000), workers=parallel)
        return result.triples, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=REPO.parent / "shared" / "data")
    parser.add_argument("--sets", default="default,taxonomies")
    parser.add_argument("--servers", default="oxigraph,virtuoso")
    parser.add_argument("--settings", default="1:1,4:1,4:2,4:4,16:2")
    args = parser.parse_args()
    settings = [BASELINE] + [tuple(map(float, s.split(":"))) for s in args.settings.split(",")]
    with tempfile.TemporaryDirectory(prefix="kg-bench-push-") as tmp:
        root = Path(tmp)
        print("| data | server | MB per request | parallel | triples | seconds | triples/s | vs baseline |")
        print("|---|---|---|---|---|---|---|---|")
        for data_set in args.sets.split(","):
            store = build_store(data_set, args.data, root)
            for kind in args.servers.split(","):
                base_rate = None
                for megabytes, parallel in settings:
                    triples, seconds = push_once(store, kind, megabytes, int(parallel), root / f"server-{kind}")
                    rate = triples / seconds
                    base_rate = base_rate or rate
                    label = "baseline" if (megabytes, parallel) == BASELINE else f"{rate / base_rate:.2f}x"
                    print(f"| {data_set} | {kind} | {megabytes:g} | {int(parallel)} | {triples:,} | {seconds:.1f} | "
                          f"{rate:,.0f} | {label} |", flush=True)


if __name__ == "__main__":
    main()
