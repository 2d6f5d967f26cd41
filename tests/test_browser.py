"""The pages as a person sees them: opened offline in headless Chromium at desktop and phone size, checked,
measured and photographed.

Skipped without Chromium and playwright, unless ``KG_REQUIRE_BROWSER=1`` (then they fail).
Screenshots go to ``$KG_SCREENSHOTS`` or to the test's ``tmp_path``.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest

from browser_support import (
    XSS_IMG,
    XSS_SCRIPT,
    OfflineTab,
    OpenPage,
    chromium,
    indexed,
    iri,
    open_offline,
    screenshot_dir,
    synthetic_store,
    tiny_store,
    wait_ready,
    xss_store,
)
from kg import viz
from kg.analytics import Profiles, gap
from kg.report import report_data, report_page

pytestmark = pytest.mark.browser

SIZES = {"desktop": (1400, 900), "phone": (390, 844)}

#: Every control a keyboard must reach.
CONTROLS = "input:not([type=hidden]), button, select, textarea, a[href], summary, [tabindex='0']"


@pytest.fixture(scope="module")
def browser() -> Iterator[OfflineTab]:
    """One offline tab of a headless Chromium for the module's pages (:func:`open_offline` loads each)."""
    with chromium() as running:
        tab = OfflineTab(running)
        yield tab
        tab.close()


@pytest.fixture(scope="module")
def tiny() -> ox.Store:
    return tiny_store()


def write_page(tmp_path: Path, name: str, html: str) -> Path:
    path = tmp_path / name
    path.write_text(html, encoding="utf-8")
    return path


def label_boxes(page: Any) -> list[dict[str, Any]]:
    """The drawn labels as the browser laid them out: text, box and font size. On the whole graph, the HTML
    labels; on a focused view (vis-network draws on a canvas), each labelled node's box (dot and label) as
    vis-network measured it.
    """
    return page.evaluate("""() => document.getElementById('labels')
        ? Array.from(document.querySelectorAll('#labels .lbl')).map(el => {
            const r = el.getBoundingClientRect();
            return { text: el.textContent, x: r.left, y: r.top, w: r.width, h: r.height,
                     font: parseFloat(getComputedStyle(el).fontSize) };
          })
        : window.kg.labels()""")


def assert_labels_apart(page: Any) -> list[dict[str, Any]]:
    """No two labels overlap (measured on their bounding boxes), and every label is readable."""
    boxes = label_boxes(page)
    for i, a in enumerate(boxes):
        assert a["font"] >= 12, a
        for b in boxes[i + 1:]:
            apart = a["x"] + a["w"] <= b["x"] + 0.5 or b["x"] + b["w"] <= a["x"] + 0.5 \
                or a["y"] + a["h"] <= b["y"] + 0.5 or b["y"] + b["h"] <= a["y"] + 0.5
            assert apart, f"labels overlap: {a} and {b}"
    return boxes


def check_drawing(browser: Any, tmp_path: Path, name: str, view: viz.View, min_labels: int = 1) -> None:
    """Open the page of ``view`` at desktop and phone size; check it and its labels; save screenshots."""
    path = write_page(tmp_path, f"{name}.html", viz.page(view))
    for size, (width, height) in SIZES.items():
        with open_offline(browser, path, width, height) as opened:
            page = opened.page
            wait_ready(page)
            assert page.evaluate("window.kg.order") == view.shown_nodes
            assert page.locator("#legend li").count() >= len(view.type_counts())
            assert page.locator("#search").is_visible()
            boxes = assert_labels_apart(page)
            assert len(boxes) >= min(min_labels, view.shown_nodes)
            stage = page.locator("#stage").bounding_box()
            assert stage and stage["height"] >= 0.5 * height  # the panel leaves the drawing room, on a phone too
            assert page.evaluate("document.documentElement.scrollWidth") <= width
            if view.pruned:
                assert page.locator("#pruned-note").inner_text().startswith(f"Showing {view.shown_nodes:,} of")
            page.screenshot(path=str(screenshot_dir(tmp_path) / f"{name}-{size}.png"))
            opened.assert_clean()


def test_whole_graph(browser: Any, tiny: ox.Store, tmp_path: Path) -> None:
    check_drawing(browser, tmp_path, "tiny-whole", viz.view(tiny), min_labels=10)


def test_focus_view(browser: Any, tiny: ox.Store, tmp_path: Path) -> None:
    check_drawing(browser, tmp_path, "tiny-focus-python", viz.view(tiny, focus="python", depth=2), min_labels=5)


def test_company_view(browser: Any, tiny: ox.Store, tmp_path: Path) -> None:
    check_drawing(browser, tmp_path, "tiny-company-nvidia", viz.view(tiny, company="NVIDIA"), min_labels=5)


def test_big_graph_opens_on_readable_landmarks(browser: Any, tmp_path: Path) -> None:
    view = viz.view(synthetic_store())
    assert view.shown_nodes == 1030 and not view.pruned
    check_drawing(browser, tmp_path, "synthetic-whole", view, min_labels=40)
    path = tmp_path / "synthetic-whole.html"
    with open_offline(browser, path) as opened:
        page = opened.page
        wait_ready(page)
        texts = {box["text"] for box in label_boxes(page)}
        roles = {f"Role {i:02d}" for i in range(40)}
        assert len(texts & roles) >= 20, "the overview labels the roles"


#: On a focused view: each drawn label's text box and the roles, companies and domains (6 px across or more) it
#: covers, other than its own node.
LABELS_OVER_NODES = """() => {
    const net = window.kg.network, scale = net.getScale(), at = net.getPositions(), covered = [];
    const nodes = window.kg.nodes.get().filter(n => !n.hidden);
    const landmark = (id) => ["Role", "Company", "Domain"].includes(window.kg.kinds[id]);
    for (const n of nodes.filter(n => n.label)) {
        const box = net.getBoundingBox(n.id), top = at[n.id].y + n.size;  // the label: below its node
        for (const other of nodes) {
            const r = other.size, p = at[other.id];
            if (other.id === n.id || r * scale < 3 || !landmark(other.id)) { continue; }
            if (p.x + r > box.left && p.x - r < box.right && p.y + r > top && p.y - r < box.bottom) {
                covered.push([n.label, other.id]);
            }
        }
    }
    return covered;
}"""


def test_big_focused_view_opens_on_readable_labels_clear_of_the_nodes(browser: Any, tmp_path: Path) -> None:
    view = viz.view(synthetic_store(), domain="Domain 03")
    assert view.shown_nodes > 100
    check_drawing(browser, tmp_path, "synthetic-domain", view, min_labels=15)
    for width, height in SIZES.values():
        with open_offline(browser, tmp_path / "synthetic-domain.html", width, height) as opened:
            wait_ready(opened.page)
            assert opened.page.evaluate(LABELS_OVER_NODES) == []
            opened.assert_clean()


def network_point(page: Any, label: str) -> list[float]:
    """Where the node called ``label`` is on the page of a focused view."""
    return page.evaluate("""(label) => {
        const net = window.kg.network, id = window.kg.find(label)[0].node;
        const p = net.canvasToDOM(net.getPositions([id])[id]);
        const box = document.getElementById('graph').getBoundingClientRect();
        return [box.left + p.x, box.top + p.y];
    }""", label)


def test_a_click_on_a_node_of_a_focused_view_drills_down(browser: Any, tiny: ox.Store, tmp_path: Path) -> None:
    path = write_page(tmp_path, "network-click.html", viz.page(viz.view(tiny, company="NVIDIA")))
    with open_offline(browser, path) as opened:
        page = opened.page
        wait_ready(page)
        x, y = network_point(page, "UVM")
        page.mouse.click(x, y)
        page.wait_for_timeout(800)
        assert page.locator("#details h3").inner_text() == "UVM"
        assert page.evaluate("window.kg.network.getSelectedNodes().length") == 1
        assert_labels_apart(page)
        opened.assert_clean()


def test_zooming_a_focused_view_draws_more_labels_all_apart(browser: Any, tmp_path: Path) -> None:
    path = write_page(tmp_path, "network-zoom.html", viz.page(viz.view(synthetic_store(), domain="Domain 03")))
    with open_offline(browser, path) as opened:
        page = opened.page
        wait_ready(page)
        before = assert_labels_apart(page)
        scale = page.evaluate("window.kg.network.getScale()")
        for _ in range(3):
            page.click("#zoom-in")
            page.wait_for_timeout(500)
        page.wait_for_timeout(500)
        after = assert_labels_apart(page)
        assert page.evaluate("window.kg.network.getScale()") > 3.5 * scale
        # zoomed in, the labels left out of the overview show (the view is denser than the screen)
        assert {box["text"] for box in after} - {box["text"] for box in before}
        opened.assert_clean()


@contextmanager
def open_tiny(browser: Any, tiny: ox.Store, path: Path) -> Iterator[OpenPage]:
    """The whole-graph page of the tiny graph, written to ``path``, opened offline and drawn."""
    with open_offline(browser, write_page(path.parent, path.name, viz.page(viz.view(tiny)))) as opened:
        wait_ready(opened.page)
        yield opened


def test_search_matches_aliases_selects_and_zooms(browser: Any, tiny: ox.Store, tmp_path: Path) -> None:
    with open_tiny(browser, tiny, tmp_path / "search.html") as opened:
        page = opened.page
        page.fill("#search", "k8s")
        page.press("#search", "Enter")
        page.wait_for_timeout(700)
        assert page.locator("#search-status").inner_text() == "Kubernetes (also called K8s)"
        details = page.locator("#details")
        assert details.locator("h3").inner_text() == "Kubernetes"
        assert "Also called K8s" in details.inner_text()
        assert_labels_apart(page)
        drawn = {box["text"] for box in label_boxes(page)}
        assert {"Kubernetes", "Machine learning engineer", "Machine learning", "NVIDIA"} <= drawn
        page.fill("#search", "cobol")
        page.press("#search", "Enter")
        assert "cobol" in page.locator("#search-status").inner_text()
        opened.assert_clean()


def test_details_list_neighbours_by_relation_with_figures_and_every_source(browser: Any, tiny: ox.Store,
                                                                           tmp_path: Path) -> None:
    with open_tiny(browser, tiny, tmp_path / "details.html") as opened:
        page = opened.page
        page.fill("#search", "nvidia")
        page.press("#search", "Enter")
        details = page.locator("#details")
        headings = details.locator("h4").all_inner_texts()
        assert headings == ["Its postings ask for (5)", "Hires (2)"]
        items = details.locator("li").all_inner_texts()
        # NVIDIA's own figures: both of its postings require Python
        assert "Python required · 100% (2 of 2)" in items
        assert "PyTorch required · 50% (1 of 2)" in items
        assert "2 postings by it" in details.inner_text()
        sources = details.locator("details.sources")
        assert sources.locator("summary").inner_text() == "Sources: 2 postings"
        sources.locator("summary").click()
        assert sources.locator("li").all_inner_texts() == ["postings/nvidia.txt, line 12",
                                                           "postings/nvidia.txt, line 58"]
        # a neighbour is a link that focuses it
        details.get_by_role("button", name="UVM").click()
        assert details.locator("h3").inner_text() == "UVM"
        assert "Required by (1)" in details.locator("h4").all_inner_texts()
        page.screenshot(path=str(screenshot_dir(tmp_path) / "tiny-details.png"))
        opened.assert_clean()


def test_a_click_on_a_node_drills_down(browser: Any, tiny: ox.Store, tmp_path: Path) -> None:
    with open_tiny(browser, tiny, tmp_path / "click.html") as opened:
        page = opened.page
        point = page.evaluate("""() => {
            const R = window.kg.renderer, key = String(window.kg.find('Data engineer')[0].node);
            const p = R.framedGraphToViewport(R.getNodeDisplayData(key));
            const box = document.getElementById('graph').getBoundingClientRect();
            return [box.left + p.x, box.top + p.y];
        }""")
        before = page.evaluate("window.kg.renderer.getCamera().getState().ratio")
        page.mouse.click(point[0], point[1])
        page.wait_for_timeout(700)
        assert page.locator("#details h3").inner_text() == "Data engineer"
        assert page.evaluate("window.kg.renderer.getCamera().getState().ratio") != before
        assert_labels_apart(page)
        opened.assert_clean()


def test_dragging_pans_the_drawing(browser: Any, tiny: ox.Store, tmp_path: Path) -> None:
    with open_tiny(browser, tiny, tmp_path / "drag.html") as opened:
        page = opened.page
        before = page.evaluate("window.kg.renderer.getCamera().getState()")
        page.mouse.move(900, 450)
        page.mouse.down()
        page.mouse.move(700, 350, steps=8)
        page.mouse.up()
        page.wait_for_timeout(400)
        after = page.evaluate("window.kg.renderer.getCamera().getState()")
        assert after["x"] > before["x"] and after["ratio"] == before["ratio"]
        assert page.locator("#details .hint").count() == 1  # a drag is not a click
        assert_labels_apart(page)
        opened.assert_clean()


def test_type_filters_hide_and_show_nodes(browser: Any, tiny: ox.Store, tmp_path: Path) -> None:
    view = viz.view(tiny)
    path = write_page(tmp_path, "filters.html", viz.page(view))
    with open_offline(browser, path) as opened:
        page = opened.page
        wait_ready(page)
        shown = "window.kg.graph.nodes().filter(k => !window.kg.renderer.getNodeDisplayData(k).hidden).length"
        page.locator("input.kg-filter[value=Skill]").uncheck()
        assert page.evaluate(shown) == view.shown_nodes - view.type_counts()["Skill"]
        assert "Python" not in {box["text"] for box in label_boxes(page)}
        page.locator("input.kg-filter[value=Skill]").check()
        assert page.evaluate(shown) == view.shown_nodes
        opened.assert_clean()


def reached_by_tab(page: Any, presses: int = 60) -> set[str]:
    """The ids (or texts) of the elements that Tab moves the focus to."""
    page.evaluate("document.activeElement && document.activeElement.blur()")
    reached = set()
    for _ in range(presses):
        page.keyboard.press("Tab")
        reached.add(page.evaluate("(() => { const e = document.activeElement; "
                                  "return e.id || e.getAttribute('value') || e.textContent.trim(); })()"))
    return reached


def controls(page: Any) -> set[str]:
    return set(page.evaluate(f"""() => Array.from(document.querySelectorAll("{CONTROLS}"))
        .filter(e => e.getClientRects().length || e.classList.contains('more-toggle'))
        .map(e => e.id || e.getAttribute('value') || e.textContent.trim())"""))


#: Where the drawing looks, as [x, zoom] (more zoom: closer), on either renderer.
CAMERA = """() => window.kg.renderer
    ? [window.kg.renderer.getCamera().getState().x, 1 / window.kg.renderer.getCamera().getState().ratio]
    : [window.kg.network.getViewPosition().x, window.kg.network.getScale()]"""


@pytest.mark.parametrize("options", [{}, {"focus": "python", "depth": 2}], ids=["whole", "focused"])
def test_keyboard_reaches_every_control_of_a_drawing(browser: Any, tiny: ox.Store, tmp_path: Path,
                                                     options: dict[str, Any]) -> None:
    path = write_page(tmp_path, "keys.html", viz.page(viz.view(tiny, **options)))
    with open_offline(browser, path) as opened:
        page = opened.page
        wait_ready(page)
        assert controls(page) - reached_by_tab(page) == set()
        page.focus("#graph")
        before = page.evaluate(CAMERA)
        page.keyboard.press("ArrowRight")
        page.keyboard.press("+")
        page.wait_for_timeout(400)
        after = page.evaluate(CAMERA)
        assert after[0] > before[0] and after[1] > before[1]
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
        assert XSS_IMG in {box["text"] for box in label_boxes(page)}
        page.fill("#search", "<img")
        page.press("#search", "Enter")
        assert page.locator("#details h3").inner_text() == XSS_IMG
        assert page.locator("img").count() == 0
        page.wait_for_timeout(300)  # give an injected onerror handler the chance to run
        opened.assert_clean()  # includes: no alert() dialog


def test_report_page(browser: Any, tmp_path: Path) -> None:
    data = report_data(synthetic_store())
    path = write_page(tmp_path, "report.html", report_page(data))
    for size, (width, height) in {**SIZES, "narrow": (360, 740)}.items():
        with open_offline(browser, path, width, height) as opened:
            page = opened.page
            page.wait_for_load_state("load")
            assert page.evaluate("document.documentElement.scrollWidth") <= width, "the page is wider than the screen"
            assert page.locator("table.bars").count() == len(data["domains"]) + len(data["companies"]) + 3
            bar = page.locator("#domains .seg").first.bounding_box()
            assert bar and bar["width"] > 2
            page.screenshot(path=str(screenshot_dir(tmp_path) / f"report-{size}.png"), full_page=True)
            opened.assert_clean()


def test_report_prints_whole_cards_and_every_company(browser: Any, tmp_path: Path) -> None:
    path = write_page(tmp_path, "report-print.html", report_page(report_data(synthetic_store())))
    with open_offline(browser, path) as opened:
        page = opened.page
        assert not page.locator("#more-companies").is_visible()
        assert controls(page) - reached_by_tab(page, 20) == set()
        page.emulate_media(media="print")
        assert page.locator("#more-companies").is_visible()
        assert page.evaluate("getComputedStyle(document.querySelector('.card')).breakInside") == "avoid"
        opened.assert_clean()


def test_gap_page(browser: Any, tiny: ox.Store, tmp_path: Path) -> None:
    profiles = Profiles.of(tiny)
    result = gap(profiles, profiles.resolve_skills(["python"]), profiles.resolve_role("ML engineer"))
    path = write_page(tmp_path, "gap.html", viz.gap_page(tiny, result))
    for size, (width, height) in SIZES.items():
        with open_offline(browser, path, width, height) as opened:
            page = opened.page
            page.wait_for_load_state("load")
            assert page.evaluate("document.documentElement.scrollWidth") <= width
            # missing: hatched circles, biggest first; have: squares
            diameters = [float(d) * 2 for d in page.locator("#missing circle").evaluate_all(
                "els => els.map(e => e.getAttribute('r'))")]
            assert diameters == sorted(diameters, reverse=True) and len(diameters) == 3
            assert page.locator("#missing circle").first.get_attribute("fill") == "url(#hatch)"
            assert page.locator("#have rect").count() == 1
            assert page.locator("#ranked tbody tr").count() == 4
            assert page.locator("h1").inner_text() == f"Machine learning engineer: {result.coverage:.0%} covered"
            page.screenshot(path=str(screenshot_dir(tmp_path) / f"gap-{size}.png"), full_page=True)
            opened.assert_clean()


def test_reading_page(browser: Any, tmp_path: Path) -> None:
    """``kg extract -f html``: marks that differ in line style, not only colour; no sideways scroll on a phone."""
    from kg.extract import extract_text
    from kg.viz.reading import reading_page, view

    text = ("Data Engineer - Acme\n\nRequirements:\n- Python, SQL and " + "very " * 30 + "long lines\n"
            "Nice to have:\n- Kubernetes\n")
    [posting] = extract_text(text, "posting.txt")
    lines = list(enumerate(text.split("\n"), 1))
    path = write_page(tmp_path, "reading.html", reading_page([view(posting, lines, "posting-1")], ["posting.txt"]))
    for size, (width, height) in SIZES.items():
        with open_offline(browser, path, width, height) as opened:
            page = opened.page
            page.wait_for_load_state("load")
            assert page.evaluate("document.documentElement.scrollWidth") <= width
            styles = page.locator(".text mark").evaluate_all(
                "els => els.map(e => [e.textContent, e.className, getComputedStyle(e).borderBottomStyle])")
            assert styles == [["Python", "required", "solid"], ["SQL", "required", "solid"],
                              ["Kubernetes", "preferred", "dashed"]]
            assert page.locator(".text mark").first.get_attribute("title") == "Python: required"
            page.screenshot(path=str(screenshot_dir(tmp_path) / f"reading-{size}.png"), full_page=True)
            opened.assert_clean()


def test_report_with_injected_labels(browser: Any, tmp_path: Path) -> None:
    db = ox.Store()
    db.extend(q for q in xss_store() if not q.subject.value.startswith(iri("posting", "")))
    path = write_page(tmp_path, "report-xss.html", report_page(report_data(indexed(db))))
    with open_offline(browser, path) as opened:
        page = opened.page
        page.wait_for_load_state("load")
        page.wait_for_timeout(300)
        assert page.evaluate("typeof window.pwned") == "undefined"
        assert page.locator("img").count() == 0
        assert XSS_IMG in page.locator("#domains").inner_text()
        opened.assert_clean()


def test_a_company_page_gives_the_company_figures_first(browser: Any, tiny: ox.Store, tmp_path: Path) -> None:
    path = write_page(tmp_path, "company.html", viz.page(viz.view(tiny, company="NVIDIA")))
    with open_offline(browser, path) as opened:
        page = opened.page
        wait_ready(page)
        page.fill("#search", "pytorch")
        page.press("#search", "Enter")
        text = page.locator("#details").inner_text().splitlines()
        assert "NVIDIA: required in 50% (1 of 2) of its postings few postings" in text
        assert "In all: 1 posting asks for it few postings" in text
        page.fill("#search", "tensorflow")
        page.press("#search", "Enter")
        lines = page.locator("#details").inner_text().splitlines()
        assert any(line.startswith("No posting of NVIDIA asks for it") for line in lines)
        opened.assert_clean()
