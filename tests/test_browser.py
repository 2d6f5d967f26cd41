"""The pages as a person sees them: opened offline in headless Chromium, checked, and photographed.

Skipped without Chromium and playwright, unless ``KG_REQUIRE_BROWSER=1`` (then they fail).
Screenshots go to ``$KG_SCREENSHOTS`` or to the test's ``tmp_path``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest

from browser_support import (
    XSS_IMG,
    XSS_SCRIPT,
    chromium,
    hover_node,
    iri,
    node_positions,
    open_offline,
    screenshot_dir,
    synthetic_store,
    tiny_store,
    wait_ready,
    xss_store,
)
from kg import viz
from kg.report import report_data, report_page

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as running:
        yield running


@pytest.fixture(scope="module")
def tiny() -> ox.Store:
    return tiny_store()


def write_page(tmp_path: Path, name: str, html: str) -> Path:
    path = tmp_path / name
    path.write_text(html, encoding="utf-8")
    return path


def drawn_nodes(page: Any) -> int:
    return page.evaluate("Object.keys(window.network.body.nodes).length")


def check_drawing(browser: Any, tmp_path: Path, name: str, view: viz.View) -> None:
    """Open the page of ``view`` offline and check it as a whole; save a screenshot."""
    path = write_page(tmp_path, f"{name}.html", viz.page(view))
    with open_offline(browser, path) as opened:
        page = opened.page
        wait_ready(page)
        assert drawn_nodes(page) == view.shown_nodes
        assert page.locator("#legend li").count() == len(view.type_counts())
        assert page.locator("#search").is_visible()
        assert page.locator("#loading").is_hidden()
        before = node_positions(page)
        page.wait_for_timeout(600)
        assert node_positions(page) == before, "the layout still moves after physics was switched off"
        assert page.evaluate("window.network.physics.options.enabled") is False
        if view.pruned:
            assert page.locator("#pruned-note").inner_text().startswith(f"Showing {view.shown_nodes:,} of")
        page.screenshot(path=str(screenshot_dir(tmp_path) / f"{name}.png"))
        opened.assert_clean()


def test_whole_graph(browser: Any, tiny: ox.Store, tmp_path: Path) -> None:
    check_drawing(browser, tmp_path, "tiny-whole", viz.view(tiny))


def test_focus_view(browser: Any, tiny: ox.Store, tmp_path: Path) -> None:
    check_drawing(browser, tmp_path, "tiny-focus-python", viz.view(tiny, focus="python", depth=2))


def test_company_view(browser: Any, tiny: ox.Store, tmp_path: Path) -> None:
    check_drawing(browser, tmp_path, "tiny-company-nvidia", viz.view(tiny, company="NVIDIA"))


@pytest.mark.slow
def test_big_graph_settles_and_says_it_was_pruned(browser: Any, tmp_path: Path) -> None:
    view = viz.view(synthetic_store(), max_nodes=1000)
    assert view.pruned
    check_drawing(browser, tmp_path, "synthetic-whole-1000", view)


def test_search_finds_and_selects_a_node(browser: Any, tiny: ox.Store, tmp_path: Path) -> None:
    path = write_page(tmp_path, "search.html", viz.page(viz.view(tiny)))
    with open_offline(browser, path) as opened:
        page = opened.page
        wait_ready(page)
        page.fill("#search", "pytor")
        page.press("#search", "Enter")
        assert page.evaluate("window.network.getSelectedNodes()") == [iri("skill", "pytorch")]
        assert "PyTorch" in page.locator("#details").inner_text()
        assert "Deep learning frameworks" in page.locator("#details").inner_text()
        page.fill("#search", "cobol")
        page.press("#search", "Enter")
        assert "cobol" in page.locator("#search-status").inner_text()
        opened.assert_clean()


def test_type_filters_hide_and_show_nodes(browser: Any, tiny: ox.Store, tmp_path: Path) -> None:
    view = viz.view(tiny)
    path = write_page(tmp_path, "filters.html", viz.page(view))
    with open_offline(browser, path) as opened:
        page = opened.page
        wait_ready(page)
        skills = page.locator("input.kg-filter[value=Skill]")
        skills.uncheck()
        assert drawn_nodes(page) == view.shown_nodes - view.type_counts()["Skill"]
        skills.check()
        assert drawn_nodes(page) == view.shown_nodes
        opened.assert_clean()


def test_tooltip_shows_type_domains_postings_and_sources(browser: Any, tiny: ox.Store, tmp_path: Path) -> None:
    path = write_page(tmp_path, "tooltip.html", viz.page(viz.view(tiny, focus="python", depth=1)))
    with open_offline(browser, path) as opened:
        page = opened.page
        wait_ready(page)
        hover_node(page, iri("skill", "python"))
        tip = page.locator("div.vis-tooltip").inner_text()
        for text in ("Python", "Skill", "Programming languages", "Postings", "3", "postings/nvidia.txt:58"):
            assert text in tip
        page.screenshot(path=str(screenshot_dir(tmp_path) / "tiny-tooltip.png"))
        opened.assert_clean()


def test_injected_labels_show_as_text(browser: Any, tmp_path: Path) -> None:
    view = viz.view(xss_store(), focus=XSS_SCRIPT, depth=1)
    path = write_page(tmp_path, "xss.html", viz.page(view))
    with open_offline(browser, path) as opened:
        page = opened.page
        wait_ready(page)
        assert page.evaluate("typeof window.pwned") == "undefined"
        assert page.title() == f"{XSS_SCRIPT} · kg"
        assert page.locator("#title").inner_text() == XSS_SCRIPT
        labels = page.evaluate("window.network.body.data.nodes.get().map(n => n.label)")
        assert {XSS_IMG, XSS_SCRIPT} <= set(labels)
        hover_node(page, iri("skill", "evil-img"))
        tip = page.locator("div.vis-tooltip")
        assert XSS_IMG in tip.inner_text()
        assert tip.locator("img").count() == 0
        assert page.locator("img").count() == 0
        page.wait_for_timeout(300)  # give an injected onerror handler the chance to run
        page.screenshot(path=str(screenshot_dir(tmp_path) / "xss.png"))
        opened.assert_clean()  # includes: no alert() dialog


def test_report_page(browser: Any, tmp_path: Path) -> None:
    data = report_data(synthetic_store())
    path = write_page(tmp_path, "report.html", report_page(data))
    with open_offline(browser, path) as opened:
        page = opened.page
        page.wait_for_load_state("load")
        assert page.locator("svg.chart").count() == len(data["domains"]) + len(data["companies"]) + 3
        assert page.locator("svg.chart rect").count() > 100
        box = page.locator("#domains svg.chart").first.bounding_box()
        assert box and box["width"] > 300 and box["height"] > 100
        page.screenshot(path=str(screenshot_dir(tmp_path) / "report.png"), full_page=True)
        opened.assert_clean()


def test_report_with_injected_labels(browser: Any, tmp_path: Path) -> None:
    db = ox.Store()
    db.extend(q for q in xss_store() if not q.subject.value.startswith(iri("posting", "")))
    path = write_page(tmp_path, "report-xss.html", report_page(report_data(db)))
    with open_offline(browser, path) as opened:
        page = opened.page
        page.wait_for_load_state("load")
        page.wait_for_timeout(300)
        assert page.evaluate("typeof window.pwned") == "undefined"
        assert page.locator("img").count() == 0
        bar_titles = page.locator("#domains g.bar > title").all_text_contents()
        assert any(title.startswith(f"{XSS_IMG}: required 1") for title in bar_titles)
        assert "<img src=x" in page.locator("#domains").inner_text()  # the label, cut short, as text
        opened.assert_clean()
