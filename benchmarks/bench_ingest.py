"""Postings at volume: 100,000 generated postings through ``kg ingest --jobs 2``, then every named query.

Measures, each from a fresh ``kg`` process as a user runs it:

- throughput of ``kg ingest --jobs 2`` on the whole corpus (CSV + JSON Lines), end to end into the
  store (target: at least 300 postings/s), against ``--jobs 1`` on a 10,000-posting sample;
- peak memory of the whole process tree (target: under 2 GB) and the store's size on disk;
- adding 1,000 new postings to the 100,000-posting store, against adding the same 1,000 to a store
  holding only the default graph (target: about the same: the cost follows the 1,000, not the store),
  and against recounting the derived demand of the whole store (what an ingest did before);
- every named query from a cold command line on the 100,000-posting store (target: under 2 s each).

    python benchmarks/bench_ingest.py [--postings 100000] [--work DIR] [--keep]
    python benchmarks/bench_ingest.py --baseline OLD --sample-only   # OLD: git archive <commit> | tar -x -C OLD
    python benchmarks/bench_ingest.py --baseline OLD --corpus DIR --sample 0 --no-queries --no-recount

With ``--baseline``, the sample is ingested by the baseline's code and by this one in turns
(the machine may be shared: the ratio in one run is the figure to trust, not the rates); without
``--sample-only``, the whole corpus too (each version into a store of its own), and the 1,000 postings are added
by each version to its own big store and to a store of the default graph alone. ``--corpus DIR``: the corpus is
``DIR/postings.csv`` and ``DIR/postings.jsonl`` (``benchmarks/corpus.py``'s files for ``--postings``, not written
again). CPU is user + system of the whole process tree, which a busy machine inflates less than wall time.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import corpus, write

KG = [sys.executable, "-m", "kg", "--quiet"]
QUERY_TIMEOUT = 120.0
PARAMS = {"role": "data engineer", "role1": "data scientist", "role2": "data engineer", "skill": "python",
          "name": "python", "kind": "Skill",
          "company": "NVIDIA", "domain": "machine learning", "root": "EDA", "top": "3", "split": "2024-01"}


def cpu_of_children() -> float:
    """CPU seconds (user + system) of every child process waited for so far, and their children."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def is_worker(process: psutil.Process) -> bool:
    """Whether a process is a worker of a multiprocessing pool (started by ``spawn``)."""
    return any("multiprocessing" in part for part in process.cmdline())


def run(command: list[str], store: Path, timeout: float | None = None,
        code: Path | None = None, cpu: dict[int, tuple[bool, float]] | None = None) -> tuple[float, int]:
    """Wall seconds and peak resident memory (bytes, the process and its children together) of a command.

    A command still running after ``timeout`` seconds is stopped and counts as ``inf`` seconds.
    ``code``: run the kg found in that folder (a checkout of another version) instead of this one.
    ``cpu``: filled with each process's CPU seconds (user + system, as last sampled, every 0.2 s) and whether
    it is a worker process.
    """
    cpu = cpu if cpu is not None else {}
    env = {**os.environ, "KG_STORE": str(store)}
    if code is not None:
        env["PYTHONPATH"] = str(code)
    started = time.perf_counter()
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                               cwd=code)  # python -m puts the working folder first on the path
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        parent = psutil.Process(process.pid)
        while not done.is_set():
            try:
                tree = [parent, *parent.children(recursive=True)]
                peak = max(peak, sum(p.memory_info().rss for p in tree))
                for p in tree:  # asked each time: a process just forked has its parent's command line
                    times = p.cpu_times()
                    cpu[p.pid] = (is_worker(p), times.user + times.system)
            except psutil.Error:
                pass
            time.sleep(0.2)

    thread = threading.Thread(target=sample, daemon=True)
    thread.start()
    try:
        _, stderr = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()
        done.set()
        thread.join()
        return float("inf"), peak
    done.set()
    thread.join()
    seconds = time.perf_counter() - started
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed: {stderr.decode()[-2000:]}")
    return seconds, peak


def disk(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def recount_seconds(store: Path) -> float:
    """Seconds to recount the derived demand of the whole store (in a write that is then thrown away)."""
    script = (
        "import sys, time\nfrom kg import derive\nfrom kg.store import LocalStore\n"
        "class Undo(Exception): pass\n"
        "def recount(db):\n    t = time.perf_counter()\n    derive.refresh(db)\n"
        "    print(time.perf_counter() - t)\n    raise Undo\n"
        "try:\n    LocalStore.at(sys.argv[1]).write(recount)\nexcept Undo:\n    pass\n"
    )
    out = subprocess.run([sys.executable, "-c", script, str(store)], capture_output=True, text=True, check=True)
    return float(out.stdout.strip())


def query_times(store: Path, timeout: float = QUERY_TIMEOUT) -> list[tuple[str, float]]:
    from kg import queries

    times = []
    for named in queries.list_queries():
        params = [f"{p.name}={PARAMS[p.name]}" for p in named.params if not p.optional]
        command = [*KG, "query", named.name, *(a for p in params for a in ("--param", p)), "--format", "json"]
        seconds, _ = run(command, store, timeout=timeout)
        times.append((named.name, seconds))
    return times


def split(cpu: dict[int, tuple[bool, float]]) -> tuple[float, float]:
    """CPU seconds of the main processes (the command, its watchdog) and of the worker processes."""
    return (sum(s for worker, s in cpu.values() if not worker), sum(s for worker, s in cpu.values() if worker))


def timed(command: list[str], store: Path, code: Path | None = None) -> tuple[float, float, int]:
    """Wall seconds, CPU seconds (user + system of the process tree) and peak memory (bytes) of a command."""
    cpu = cpu_of_children()
    seconds, peak = run(command, store, code=code)
    return seconds, cpu_of_children() - cpu, peak


def whole_against_baseline(baseline: Path, files: list[str], extra: list[str], count: int, work: Path) -> None:
    """``kg ingest --jobs 2`` of the whole corpus by the baseline's code and by this one, each into a store of its
    own; then the 1,000 extra postings added by each to its big store and to a store of the default graph alone."""
    figures: dict[str, tuple[float, float, int]] = {}
    for name, code in (("baseline", baseline), ("this", None)):
        seconds, cpu, peak = timed([*KG, "ingest", "--jobs", "2", *files], work / f"store-{name}", code)
        figures[name] = (seconds, cpu, peak)
        print(f"  {name:<8} kg ingest --jobs 2, {count:,} postings: {seconds:.1f} s wall, {count / seconds:,.0f} "
              f"postings/s (target 300: {'met' if count / seconds >= 300 else 'NOT met'}), CPU {cpu:.0f} s "
              f"({cpu / count * 1000:.2f} ms a posting), peak {peak / 2**30:.2f} GB (target 2 GB: "
              f"{'met' if peak < 2**31 else 'NOT met'}), store {disk(work / f'store-{name}') / 2**30:.2f} GB "
              f"(load {os.getloadavg()[0]:.1f})")
    (bs, bc, bp), (ts, tc, tp) = figures["baseline"], figures["this"]
    print(f"whole corpus: this {ts:.1f} s / {tc:.0f} s CPU / {tp / 2**30:.2f} GB against baseline {bs:.1f} s / "
          f"{bc:.0f} s CPU / {bp / 2**30:.2f} GB: {bs / ts:.2f}x the throughput, {bc / tc:.2f}x less CPU")
    added: dict[str, dict[str, tuple[float, float, int]]] = {}
    for name, code in (("baseline", baseline), ("this", None)):
        small = work / f"small-{name}"
        run([*KG, "build", "--no-exports"], small, code=code)
        added[name] = {"small": timed([*KG, "ingest", "--jobs", "2", *extra], small, code),
                       "big": timed([*KG, "ingest", "--jobs", "2", *extra], work / f"store-{name}", code)}
        into = added[name]
        print(f"  {name:<8} adding 1,000 postings: {into['big'][0]:.1f} s wall / {into['big'][1]:.1f} s CPU to its "
              f"{count:,}-posting store, {into['small'][0]:.1f} s / {into['small'][1]:.1f} s CPU to the default graph "
              f"alone: {into['big'][1] / into['small'][1]:.2f}x the CPU (load {os.getloadavg()[0]:.1f})")
    print(f"adding 1,000 postings to the big store, CPU: baseline {added['baseline']['big'][1]:.1f} s, this "
          f"{added['this']['big'][1]:.1f} s ({added['baseline']['big'][1] / added['this']['big'][1]:.2f}x less); "
          f"big over small: baseline {added['baseline']['big'][1] / added['baseline']['small'][1]:.2f}x, this "
          f"{added['this']['big'][1] / added['this']['small'][1]:.2f}x")


def against_baseline(baseline: Path, sample: list[str], count: int, work: Path, rounds: int) -> None:
    """``kg ingest --jobs 2`` of the sample by the baseline's code and by this one, in turns; the median of each.

    CPU is split between the main process (reading, duplicates, the store's writes: bulk loads, derived
    demand, summaries, compaction) and the worker processes (extraction).
    """
    runs: dict[str, list[tuple[float, float, float, float]]] = {"baseline": [], "this": []}
    for turn in range(rounds):
        for name, code in (("baseline", baseline), ("this", None)):
            store = work / f"sample-{name}-{turn}"
            cpu = cpu_of_children()
            per_process: dict[int, tuple[bool, float]] = {}
            seconds, _ = run([*KG, "ingest", "--jobs", "2", *sample], store, code=code, cpu=per_process)
            cpu = cpu_of_children() - cpu
            main, workers = split(per_process)
            shutil.rmtree(store, ignore_errors=True)
            print(f"  {name:<8} turn {turn + 1}: {seconds:6.1f} s, {count / seconds:5.0f} postings/s, "
                  f"CPU {cpu / count * 1000:.2f} ms a posting: main {main / count * 1000:.2f} ms, workers "
                  f"{workers / count * 1000:.2f} ms (load {os.getloadavg()[0]:.1f})")
            runs[name].append((seconds, cpu, main, workers))
    base, this = ([statistics.median(column) for column in zip(*runs[name])] for name in ("baseline", "this"))
    ms = [f"{value / count * 1000:.2f}" for value in (*base[1:], *this[1:])]
    print(f"{count:,}-posting sample, --jobs 2, median of {rounds}: baseline {base[0]:.1f} s, this {this[0]:.1f} s: "
          f"{base[0] / this[0]:.2f}x the throughput; CPU a posting {ms[0]} ms -> {ms[3]} ms "
          f"({base[1] / this[1]:.2f}x less); main process {ms[1]} -> {ms[4]} ms ({base[2] / this[2]:.2f}x less), "
          f"workers {ms[2]} -> {ms[5]} ms ({base[3] / this[3]:.2f}x less)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--postings", type=int, default=100_000)
    parser.add_argument("--sample", type=int, default=10_000, help="0: no sample runs.")
    parser.add_argument("--work", type=Path, help="Folder for the corpus and the stores (default: a temporary one).")
    parser.add_argument("--keep", action="store_true", help="Keep the work folder.")
    parser.add_argument("--baseline", type=Path,
                        help="A checkout of another kg version (git worktree or git archive): its ingest of the sample "
                             "runs in turn with this one's, and the ratio is printed.")
    parser.add_argument("--rounds", type=int, default=3, help="Turns of baseline and this version on the sample.")
    parser.add_argument("--no-recount", dest="recount", action="store_false",
                        help="Do not time a recount of the whole derived demand (minutes on 100,000 postings).")
    parser.add_argument("--query-timeout", type=float, default=QUERY_TIMEOUT, help="Seconds before a query is stopped.")
    parser.add_argument("--sample-only", action="store_true", help="Measure the sample only (not the whole corpus).")
    parser.add_argument("--corpus", type=Path, help="Read the corpus from DIR/postings.csv and DIR/postings.jsonl.")
    parser.add_argument("--no-queries", dest="queries", action="store_false",
                        help="Do not time the named queries on the big store.")
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="kg-bench-ingest-"))
    work.mkdir(parents=True, exist_ok=True)
    print(f"load before: {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} {os.getloadavg()[2]:.2f} "
          f"on {os.cpu_count()} cores")
    try:
        postings, truth = corpus(args.postings + 1_000, seed=7)
        if args.corpus is not None:
            files = [str(args.corpus / "postings.csv"), str(args.corpus / "postings.jsonl")]
        else:
            files = [str(p) for p in write(work / "corpus", postings[: args.postings])]
        extra = [str(p) for p in write(work / "extra", postings[args.postings:])]
        sample = [str(p) for p in write(work / "sample", postings[: args.sample])] if args.sample else []
        size = sum(Path(f).stat().st_size for f in files)
        print(f"corpus: {args.postings:,} postings ({len([k for k in truth if k < args.postings]):,} planted "
              f"reposts), {size / 1e6:.0f} MB in {', '.join(Path(f).name for f in files)}")

        if args.baseline is not None and args.sample:
            against_baseline(args.baseline, sample, args.sample, work, args.rounds)
        if args.sample:
            one, _ = run([*KG, "ingest", "--jobs", "1", *sample], work / "sample-1")
            two, _ = run([*KG, "ingest", "--jobs", "2", *sample], work / "sample-2")
            print(f"{args.sample:,}-posting sample: --jobs 1 {one:.1f} s ({args.sample / one:,.0f}/s), "
                  f"--jobs 2 {two:.1f} s ({args.sample / two:,.0f}/s): {one / two:.2f}x")
        if args.sample_only:
            return
        if args.baseline is not None:
            whole_against_baseline(args.baseline, files, extra, args.postings, work)
            return

        big = work / "store"
        cpu = cpu_of_children()
        per_process: dict[int, tuple[bool, float]] = {}
        seconds, peak = run([*KG, "ingest", "--jobs", "2", *files], big, cpu=per_process)
        cpu = cpu_of_children() - cpu
        main, workers = split(per_process)
        rate = args.postings / seconds
        print(f"CPU time of kg ingest --jobs 2 (all its processes): {cpu:.0f} s, {cpu / args.postings * 1000:.2f} ms "
              f"a posting (main process {main / args.postings * 1000:.2f} ms, workers "
              f"{workers / args.postings * 1000:.2f} ms); on two cores of its own that is at most "
              f"{args.postings / (cpu / 2):,.0f} postings/s")
        print(f"kg ingest --jobs 2, {args.postings:,} postings: {seconds:.1f} s, {rate:,.0f} postings/s "
              f"(target 300: {'met' if rate >= 300 else 'NOT met'}); peak memory {peak / 2**30:.2f} GB "
              f"(target 2 GB: {'met' if peak < 2**31 else 'NOT met'}); store {disk(big) / 2**30:.2f} GB on disk")

        small = work / "small"
        run([*KG, "build", "--no-exports"], small)
        into_small, _ = run([*KG, "ingest", "--jobs", "2", *extra], small)
        into_big, _ = run([*KG, "ingest", "--jobs", "2", *extra], big)
        recount = f"; recounting all derived demand alone takes {recount_seconds(big):.1f} s" if args.recount else ""
        print(f"adding 1,000 postings: {into_big:.1f} s to the {args.postings:,}-posting store, {into_small:.1f} s to "
              f"the default graph alone: {into_big / into_small:.2f}x{recount}")

        if not args.queries:
            return
        times = query_times(big, args.query_timeout)
        slow = [(n, s) for n, s in times if s >= 2.0]
        for name, secs in sorted(times, key=lambda item: -item[1]):
            shown = f"{secs:6.2f} s" if secs != float("inf") else f"over {args.query_timeout:.0f} s"
            print(f"  {name:<24} {shown}")
        print(f"named queries from a cold CLI: {len(times) - len(slow)} of {len(times)} under 2 s; slowest "
              f"{max(s for _, s in times):.2f} s")
    finally:
        print(f"load after: {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} {os.getloadavg()[2]:.2f}")
        if not args.keep and not args.work:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
