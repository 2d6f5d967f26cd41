"""The whole-graph drawing in headless Chromium: time until it can be used, and frames per second while panning.

Measures, on this machine's Chromium (software WebGL, as on a machine without a GPU):

- the default graph (``kg build``), drawn by ``kg viz``;
- two focused views of it, drawn by vis-network from pyvis: ``kg viz --company NVIDIA`` and
  ``kg viz --domain ml``;
- the default graph plus ESCO and O*NET from ``../shared/data``: ``kg viz`` (kg's graph and the
  concepts aligned to it) and ``kg viz --all`` (every imported concept, about 30,000 nodes);
- as the baseline, in the same run, the previous renderer's page (vis-network, ``exports/kg.html``
  at ``--baseline-rev``, default the commit before sigma.js came in), read from git.

*Usable* is the moment the page has drawn the graph and placed its labels (``window.kgReadyAt``,
from navigation start); for the baseline, the moment its physics settled. Panning drags the
drawing as a person does (pointer down, a move on every animation frame for ``--seconds``, pointer up),
a second after the page became usable, and counts the frames.

    python benchmarks/bench_viz.py [--data ../shared/data] [--repeat 3] [--seconds 3] [--no-taxonomies]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))

from browser_support import chromium, open_offline  # noqa: E402 - the browser tests' helper, on sys.path above

TARGETS = {"default": 3.0, "company NVIDIA (pyvis)": 3.0, "domain ml (pyvis)": 3.0, "aligned": 3.0, "all": 5.0}
#: Milliseconds between "usable" and the start of a drag.
SETTLE_MS = 1000
FPS_TARGET = 30.0

PAN = """async (seconds) => {
  // drag the drawing as a person does: pointer down in the middle, a move on every frame, pointer up
  const sigma = !!(window.kg && window.kg.renderer);
  const target = sigma ? document.getElementById("graph") : document.querySelector("#graph canvas");
  const box = target.getBoundingClientRect();
  const x0 = box.left + box.width / 2, y0 = box.top + box.height / 2;
  const fire = (type, x, y) => (type === "pointerdown" ? target : window).dispatchEvent(new PointerEvent(type, {
    clientX: x, clientY: y, pointerId: 1, isPrimary: true, button: 0, buttons: type === "pointerup" ? 0 : 1,
    bubbles: true, pointerType: "mouse" }));
  const mouse = (type, x, y) => target.dispatchEvent(new MouseEvent(type, { clientX: x, clientY: y, button: 0,
    buttons: type === "mouseup" ? 0 : 1, bubbles: true }));
  let frames = 0;
  const start = performance.now();
  fire("pointerdown", x0, y0); mouse("mousedown", x0, y0);
  let x = x0, y = y0;
  await new Promise((done) => {
    function step(now) {
      frames += 1;
      x = x0 + 150 * Math.sin(frames / 15); y = y0 + 100 * Math.cos(frames / 20);
      fire("pointermove", x, y); mouse("mousemove", x, y);
      if (now - start < seconds * 1000) { requestAnimationFrame(step); } else { done(); }
    }
    requestAnimationFrame(step);
  });
  const fps = frames / ((performance.now() - start) / 1000);
  fire("pointerup", x, y); mouse("mouseup", x, y);
  return fps;
}"""


def kg(store: Path, *args: str) -> None:
    subprocess.run([sys.executable, "-m", "kg", "--quiet", "--store", str(store), *args], check=True, cwd=REPO,
                   capture_output=True)


def measure(browser: object, path: Path, seconds: float, ready: str) -> tuple[float, float]:
    """Seconds from navigation start until usable, and frames per second while panning."""
    with open_offline(browser, path) as opened:
        page = opened.page
        page.wait_for_function(ready, timeout=300_000)
        usable = page.evaluate("window.kgReadyAt || performance.now()") / 1000
        page.wait_for_timeout(SETTLE_MS)  # a person looks before dragging; the page settles meanwhile
        fps = page.evaluate(PAN, seconds)
        opened.assert_clean()
    return usable, fps


def baseline_page(rev: str, folder: Path) -> Path | None:
    """The previous renderer's whole-graph page, from git, or None outside a checkout."""
    shown = subprocess.run(["git", "show", f"{rev}:exports/kg.html"], cwd=REPO, capture_output=True, check=False)
    if shown.returncode != 0:
        return None
    path = folder / "baseline-vis.html"
    path.write_bytes(shown.stdout)
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=REPO.parent / "shared" / "data")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--baseline-rev", default="9f36782")
    parser.add_argument("--no-taxonomies", action="store_true", help="Only the default graph.")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        store = folder / "store"
        kg(store, "build", "--no-exports")
        pages = {"default": folder / "default.html"}
        kg(store, "viz", "-o", str(pages["default"]))
        for name, option, value in (("company NVIDIA (pyvis)", "--company", "NVIDIA"),
                                    ("domain ml (pyvis)", "--domain", "ml")):
            pages[name] = folder / f"{option[2:]}.html"
            kg(store, "viz", option, value, "-o", str(pages[name]))
        if not args.no_taxonomies:
            kg(store, "import", "esco", str(args.data / "esco-v1.1.1"))
            kg(store, "import", "onet", str(args.data / "onet-29.2"))
            pages["aligned"] = folder / "aligned.html"
            pages["all"] = folder / "all.html"
            kg(store, "viz", "-o", str(pages["aligned"]))
            kg(store, "viz", "--all", "-o", str(pages["all"]))
        nodes = {name: _nodes(path) for name, path in pages.items()}
        baseline = baseline_page(args.baseline_rev, folder)
        results: dict[str, tuple[float, float]] = {}
        with chromium() as browser:
            runs = [(name, path, "window.kgReady === true") for name, path in pages.items()]
            if baseline:
                runs.insert(0, ("baseline (vis-network)", baseline, "window.kgReady === true"))
            for name, path, ready in runs:
                measured = [measure(browser, path, args.seconds, ready) for _ in range(args.repeat)]
                results[name] = (statistics.median(m[0] for m in measured), statistics.median(m[1] for m in measured))
                print(f"measured {name}: {measured}", file=sys.stderr)
    base = results.get("baseline (vis-network)")
    print(f"\n| page | nodes | usable after | target | frames/s panning (target {FPS_TARGET:.0f}) | vs baseline |")
    print("|---|---|---|---|---|---|")
    for name, (usable, fps) in results.items():
        target = TARGETS.get(name)
        verdict = f"{target:.0f} s: {'met' if usable <= target else 'missed'}" if target else ""
        ratio = f"{base[0] / usable:.1f}x sooner, {fps / base[1]:.1f}x the frames" if base and name in TARGETS else ""
        print(f"| {name} | {nodes.get(name, '1,500')} | {usable:.2f} s | {verdict} | {fps:.0f} | {ratio} |")
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"\n{time.strftime('%Y-%m-%d')}, median of {args.repeat}, Chromium headless (software WebGL), "
          f"{os.cpu_count()} cores, load average {load} at the end")


def _nodes(path: Path) -> str:
    text = path.read_text(encoding="utf-8")
    start = text.index('<p class="counts">') + len('<p class="counts">')
    return text[start:text.index(" nodes", start)].strip()


if __name__ == "__main__":
    main()
