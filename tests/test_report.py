"""The report: the numbers behind it, and a page of SVG charts that is safe and works offline."""

from __future__ import annotations

import re

import pyoxigraph as ox
import pytest

from browser_support import (
    EXTERNAL,
    XSS_IMG,
    XSS_SCRIPT,
    indexed,
    iri,
    synthetic_store,
    tiny_store,
    xss_store,
)
from kg.charts import Bar, Series, bar_chart, largest
from kg.numbers import THIN_POSTINGS
from kg.report import report_data, report_page


@pytest.fixture(scope="module")
def data() -> dict:
    return report_data(tiny_store())


@pytest.fixture(scope="module")
def data_without_postings() -> dict:
    db = ox.Store()
    db.extend(q for q in tiny_store() if not q.subject.value.startswith(iri("posting", "")))
    return report_data(indexed(db))  # the summaries counted again, without the postings


def skills_of(groups: list[dict], label: str) -> list[tuple[str, int, int]]:
    group = next(g for g in groups if g["label"] == label)
    return [(s["label"], s["required"], s["preferred"]) for s in group["skills"]]


def test_totals_count_each_class(data: dict) -> None:
    assert data["totals"] == {"Role": 3, "Skill": 9, "Company": 2, "Domain": 6, "JobPosting": 3}
    assert data["evidence"] == "postings"


def test_top_skills_per_top_level_domain_count_postings(data: dict) -> None:
    assert [g["label"] for g in data["domains"]] == ["Data engineering", "EDA", "Machine learning",
                                                     "Programming languages"]
    assert skills_of(data["domains"], "Programming languages") == [("Python", 2, 1), ("SQL", 1, 0)]
    # PyTorch sits two levels below Machine learning; TensorFlow is in no posting
    assert skills_of(data["domains"], "Machine learning") == [("PyTorch", 1, 0), ("Kubernetes", 0, 1)]


def test_without_postings_counts_roles(data_without_postings: dict) -> None:
    assert data_without_postings["evidence"] == "roles"
    assert skills_of(data_without_postings["domains"], "Programming languages") == [("Python", 2, 1), ("SQL", 1, 0)]
    assert skills_of(data_without_postings["domains"], "Machine learning") == [
        ("PyTorch", 1, 0), ("Kubernetes", 0, 1), ("TensorFlow", 0, 1)]
    assert data_without_postings["posting_levels"] == []


def test_top_is_a_limit() -> None:
    data = report_data(tiny_store(), top=1)
    assert all(len(group["skills"]) <= 1 for group in data["domains"] + data["companies"])


def test_companies_with_roles_postings_and_skills(data: dict) -> None:
    assert [(c["label"], c["roles"], c["postings"]) for c in data["roles_per_company"]] == [
        ("NVIDIA", 2, 2), ("Acme Analytics", 2, 1)]
    assert skills_of(data["companies"], "NVIDIA")[0] == ("Python", 2, 0)
    # ties in postings go to the skill more roles ask for: Python (required by Acme's data engineer)
    assert skills_of(data["companies"], "Acme Analytics") == [
        ("Apache Spark", 1, 0), ("SQL", 1, 0), ("Python", 0, 1), ("Apache Airflow", 0, 1)]


def test_required_and_preferred_per_role(data: dict) -> None:
    profiles = {row["label"]: (row["required"], row["preferred"]) for row in data["levels"]}
    assert profiles == {"Data engineer": (3, 1), "Machine learning engineer": (2, 2), "Verification engineer": (2, 1)}
    postings = {row["label"]: (row["required"], row["preferred"]) for row in data["posting_levels"]}
    assert postings == {"Data engineer": (2, 2), "Machine learning engineer": (2, 1), "Verification engineer": (3, 0)}


def test_page_has_a_chart_per_group_and_no_external_urls(data: dict) -> None:
    html = report_page(data)
    charts = len(re.findall(r'<table class="bars"', html))
    assert charts == len(data["domains"]) + len(data["companies"]) + 1 + 2  # + roles per company, 2 level charts
    assert not EXTERNAL.search(html)
    assert "<script" not in html
    # 7 required of 11 asked-for skills in the role profiles
    assert "<strong>64%</strong><span>of asked skills are required (7 of 11)</span>" in html


def test_charts_are_tables_with_every_number_for_screen_readers(data: dict) -> None:
    html = report_page(data)
    table = html[html.index('<table class="bars" id="levels-chart">'):]
    table = table[: table.index("</table>")]
    assert '<caption class="sr-only">Required and preferred skills per role profile</caption>' in table
    rows = re.findall(r'<th scope="row">([^<]*)</th>\s*<td class="sr-only">(\d+)</td><td class="sr-only">(\d+)</td>',
                      table)
    assert rows == [("Data engineer", "3", "1"), ("Verification engineer", "2", "1"),
                    ("Machine learning engineer", "2", "2")]


def test_skill_charts_of_a_section_share_one_scale() -> None:
    data = report_data(synthetic_store())
    html = report_page(data)
    section = html[html.index('id="domains"'):html.index('id="companies"')]
    widths = [float(w) for w in re.findall(r'class="seg required" style="width: ([\d.]+)%"', section)]
    counts = [int(c) for c in re.findall(r'<th scope="row">[^<]*</th>\s*<td class="sr-only">(\d+)</td>', section)]
    largest = max(g["skills"][0]["required"] + g["skills"][0]["preferred"] for g in data["domains"] if g["skills"])
    # the required part of every bar is its count over the one largest bar of the whole section
    drawn = [c for c in counts if c]
    assert len(widths) == len(drawn) > 20
    for width, required in zip(widths, drawn, strict=True):
        assert width == pytest.approx(100 * required / largest, abs=0.01)


def test_thin_samples_are_flagged(data: dict) -> None:
    html = report_page(data)
    nvidia = html[html.index("<h3>NVIDIA"):]
    assert nvidia.startswith('<h3>NVIDIA <span class="sub">2 postings</span> <span class="thin"')
    assert f"fewer than {THIN_POSTINGS} postings" in html


def test_print_keeps_cards_whole_and_shows_every_company() -> None:
    html = report_page(report_data(synthetic_store()))
    style = html[html.index("<style>"):html.index("</style>")]
    printing = style[style.index("@media print"):]
    assert ".more-toggle ~ .more { display: block !important; }" in printing
    assert "break-inside: avoid" in style[style.index(".card {"):]
    assert 'id="more-companies"' in html and "Show 48 more companies" in html


def test_page_is_deterministic() -> None:
    assert report_page(report_data(tiny_store())) == report_page(report_data(tiny_store()))


def test_page_escapes_labels() -> None:
    db = ox.Store()
    db.extend(q for q in xss_store() if not q.subject.value.startswith(iri("posting", "")))
    html = report_page(report_data(indexed(db)))
    assert XSS_IMG not in html and XSS_SCRIPT not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "&lt;/script&gt;&lt;script&gt;window.pwned=1&lt;/script&gt;" in html


def test_empty_graph_gives_a_page() -> None:
    data = report_data(ox.Store())
    assert data["domains"] == [] and data["levels"] == []
    assert "nothing to show" in report_page(data)


def test_bar_chart_scales_stacks_and_explains() -> None:
    chart = bar_chart("Demand", [Bar("Python", (3, 1)), Bar("SQL", (1, 0), "new")],
                      [Series("required", "required"), Series("preferred", "preferred")], unit="postings")
    assert [row.value for row in chart.rows] == ["4 postings", "1 posting"]
    assert chart.rows[1].note == "new"
    assert chart.rows[0].tooltip == "Python: required 3, preferred 1"
    assert [s.width for s in chart.rows[0].segments] == [75.0, 25.0]
    assert [s.width for s in chart.rows[1].segments] == [25.0, 0.0]


def test_bar_chart_with_a_shared_scale() -> None:
    series = [Series("required", "required")]
    small = [Bar("a", (2,))]
    big = [Bar("b", (39,))]
    scale = largest([small, big])
    width = bar_chart("one", small, series, scale=scale).rows[0].segments[0].width
    assert width == pytest.approx(100 * 2 / 39, abs=0.01)
    assert bar_chart("two", big, series, scale=scale).rows[0].segments[0].width == 100.0


def test_bar_chart_percent_gives_shares_with_counts_and_flags_thin_ones() -> None:
    chart = bar_chart("Shares", [Bar("A role with a long name", (3, 1), postings=4), Bar("B", (30, 10), postings=40)],
                      [Series("required", "required"), Series("preferred", "preferred")], percent=True,
                      unit="required")
    assert [row.value for row in chart.rows] == ["75% (3 of 4) required", "75% (30 of 40) required"]
    assert [row.thin for row in chart.rows] == [True, False]
    assert [s.width for s in chart.rows[0].segments] == [75.0, 25.0]
