"""The README's pictures: the whole-graph overview, a company's view, a gap, the report and what kg read in a posting,
as a person sees them.

Builds the default graph into a temporary store (or reads ``--store``), draws the pages with kg itself, opens
each offline in headless Chromium (``/usr/bin/chromium``, driven by playwright) and writes
``docs/screenshots/*.png`` in 256 colours (Pillow, from the ``test`` extra), to keep them small. The pictures are
reproducible: the same kg, graph and Chromium give the same bytes (``tests/test_screenshots.py`` checks it).

    python scripts/screenshots.py [--out docs/screenshots] [--store STORE]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--hide-scrollbars"]
#: name → (kg command that writes the page, viewport, what to do before the picture)
PAGES = {
    "overview": (["viz", "-o", "{page}"], (1200, 760), "window.kgReady === true"),
    "company": (["viz", "--company", "NVIDIA", "-o", "{page}"], (1200, 760), "window.kgReady === true"),
    "gap": (["gap", "--have", "python, sql, pandas, statistics", "--role", "data scientist", "--html", "{page}"],
            (1200, 760), ""),
    "report": (["report", "-o", "{page}"], (1200, 900), ""),
    "reading": (["extract", "tests/data/postings/plain.txt", "--unknown", "-f", "html", "-o", "{page}"],
                (1200, 760), ""),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "screenshots")
    parser.add_argument("--store", type=Path, help="Draw this store's graph instead of building the default one.")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as playwright:
        store = args.store or Path(tmp) / "store"
        if not args.store:
            kg(store, "build", "--no-exports")
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for name, (command, (width, height), ready) in PAGES.items():
            page_path = Path(tmp) / f"{name}.html"
            kg(store, *(part.format(page=page_path) for part in command))
            context = browser.new_context(viewport={"width": width, "height": height}, device_scale_factor=1,
                                          reduced_motion="reduce")
            context.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file:")
                          else route.abort())
            context.set_offline(True)
            page = context.new_page()
            page.goto(page_path.as_uri())
            if ready:
                page.wait_for_function(ready, timeout=120_000)
            page.evaluate("document.fonts.ready.then(() => true)")
            page.wait_for_timeout(300)
            target = args.out / f"{name}.png"
            page.screenshot(path=str(target))
            _shrink(target)
            context.close()
            print(target.relative_to(REPO) if target.is_relative_to(REPO) else target)
        browser.close()


def _shrink(path: Path) -> None:
    """256 colours (an octree keeps each legend colour apart), text as sharp: half the bytes."""
    from PIL import Image

    with Image.open(path) as image:
        small = image.convert("RGB").quantize(colors=256, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE)
    small.save(path, optimize=True)


def kg(store: Path, *args: str) -> None:
    subprocess.run([sys.executable, "-m", "kg", "--quiet", "--store", str(store), *args], check=True, cwd=REPO,
                   capture_output=True)


if __name__ == "__main__":
    main()
