"""The report: the numbers behind it, and a page of SVG charts that is safe and works offline."""

from __future__ import annotations

import re

import pyoxigraph as ox
import pytest

from browser_support import EXTERNAL, XSS_IMG, XSS_SCRIPT, iri, tiny_store, xss_store
from kg.charts import Bar, Series, bar_chart
from kg.report import report_data, report_page


@pytest.fixture(scope="module")
def data() -> dict:
    return report_data(tiny_store())


@pytest.fixture(scope="module")
def data_without_postings() -> dict:
    db = ox.Store()
    db.extend(q for q in tiny_store() if not q.subject.value.startswith(iri("posting", "")))
    return report_data(db)


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
    charts = len(re.findall(r'<svg class="chart"', html))
    assert charts == len(data["domains"]) + len(data["companies"]) + 1 + 2  # + roles per company, 2 level charts
    assert not EXTERNAL.search(html)
    assert "<script" not in html
    assert "64%" in html  # 7 required of 11 asked-for skills in the role profiles


def test_page_is_deterministic() -> None:
    assert report_page(report_data(tiny_store())) == report_page(report_data(tiny_store()))


def test_page_escapes_labels() -> None:
    db = ox.Store()
    db.extend(q for q in xss_store() if not q.subject.value.startswith(iri("posting", "")))
    html = report_page(report_data(db))
    assert XSS_IMG not in html and XSS_SCRIPT not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "&lt;/script&gt;&lt;script&gt;window.pwned=1&lt;/script&gt;" in html


def test_empty_graph_gives_a_page() -> None:
    data = report_data(ox.Store())
    assert data["domains"] == [] and data["levels"] == []
    assert "nothing to show" in report_page(data)


def test_bar_chart_scales_stacks_and_explains() -> None:
    svg = bar_chart("Demand", [Bar("Python", (3, 1)), Bar("SQL", (1, 0), "new")],
                    [Series("required", "#111111"), Series("preferred", "#eeeeee")], unit="postings",
                    width=400, label_width=100)
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert "4 postings" in svg and "1 posting · new" in svg
    assert "<title>Python: required 3, preferred 1</title>" in svg
    widths = [float(w) for w in re.findall(r'<rect x="[\d.]+" y="\d+" width="([\d.]+)"', svg)]
    assert widths[0] == pytest.approx(3 * widths[2], rel=0.01)  # Python's required is 3x SQL's


def test_bar_chart_percent_and_long_labels() -> None:
    svg = bar_chart("Shares", [Bar("A role with a really quite long name indeed", (3, 1))],
                    [Series("required", "#111"), Series("preferred", "#eee")], percent=True, unit="required",
                    label_width=100)
    assert "75% required" in svg
    assert "A role with…" in svg
    assert "A role with a really quite long name indeed: required 3 (75%), preferred 1 (25%)" in svg
