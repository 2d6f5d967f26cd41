"""``kg extract -f html``: each posting's text with what was read marked where it was read."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import need_shared
from kg.cli import cli
from kg.extract import extract_files, load_vocabulary
from kg.models import Posting
from kg.viz.reading import View, reading_page, view

TABLES = Path(__file__).parent / "data" / "tables"
POSTING = """Data Engineer - Acme Analytics

Requirements:
- Python and SQL
- Experience with Apache Airflow

Nice to have:
- Kubernetes
"""


class Marks(HTMLParser):
    """The marks of a page: (class, text, tooltip), in page order."""

    def __init__(self) -> None:
        super().__init__()
        self.marks: list[tuple[str, str, str]] = []
        self._open: list[tuple[str, str]] | None = None
        self._text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "mark":
            found = dict(attrs)
            self._open, self._text = [(found.get("class") or "", found.get("title") or "")], ""

    def handle_data(self, data: str) -> None:
        if self._open is not None:
            self._text += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "mark" and self._open is not None:
            kind, note = self._open[0]
            self.marks.append((kind, self._text, note))
            self._open = None


def marks(html: str) -> list[tuple[str, str, str]]:
    parser = Marks()
    parser.feed(html)
    return parser.marks


def views_of(paths: list[str], unknown: bool = False) -> tuple[list[Posting], list[View]]:
    lines: list[list[tuple[int, str]]] = []
    found = extract_files(paths, vocab=load_vocabulary(), unknown=unknown,
                          on_posting=lambda block, _: lines.append([(line.number, line.text) for line in block.lines]))
    views = [view(p, text, f"posting-{n}") for n, (p, text) in enumerate(zip(found.postings, lines), 1)]
    return found.postings, views


def test_each_mention_is_marked_where_it_was_read_with_its_level(tmp_path: Path) -> None:
    path = tmp_path / "posting.txt"
    path.write_text(POSTING, encoding="utf-8")
    [posting], [shown] = views_of([str(path)])
    text_marks = [(row.number, piece.text, piece.kind) for row in shown.rows for piece in row.pieces if piece.kind]
    assert text_marks == [(4, "Python", "required"), (4, "SQL", "required"), (5, "Apache Airflow", "required"),
                          (8, "Kubernetes", "preferred")]
    assert shown.unplaced == 0
    page = reading_page([shown], [str(path)])
    in_text = [m for m in marks(page) if m[1] in {"Python", "SQL", "Apache Airflow", "Kubernetes"}]
    assert in_text[:4] == [("required", "Python", "Python: required"), ("required", "SQL", "SQL: required"),
                           ("required", "Apache Airflow", "Apache Airflow: required"),
                           ("preferred", "Kubernetes", "Kubernetes: preferred")]
    assert "1 posting from" in page and "3 required and 1 preferred skill mentions" in page
    assert [(s.label, s.level, s.places) for s in shown.skills] == [
        ("Apache Airflow", "required", 1), ("Python", "required", 1), ("SQL", "required", 1),
        ("Kubernetes", "preferred", 1)]
    assert posting.company == "Acme Analytics" and ("company", "Acme Analytics") in shown.facts


def test_a_table_row_places_each_mention_on_the_line_that_holds_it(tmp_path: Path) -> None:
    """A row's lines all carry the row's line number: the columns and the text say which line a mention is on."""
    path = tmp_path / "jobs.jsonl"
    description = "About us\nWe pay well.\nRequirements:\n- Go and Rust\n- Python"
    path.write_text(json.dumps({"title": "Data Engineer", "company": "Acme", "description": description}) + "\n",
                    encoding="utf-8")
    _, [shown] = views_of([str(path)])
    placed = {piece.text: [p.text for p in row.pieces] for row in shown.rows for piece in row.pieces if piece.kind}
    assert placed == {"Go": ["- ", "Go", " and ", "Rust"], "Rust": ["- ", "Go", " and ", "Rust"],
                      "Python": ["- ", "Python"]}
    assert [row.number for row in shown.rows] == [1, None, None, None, None]
    assert shown.unplaced == 0


@pytest.mark.parametrize(("pay", "shown"), [
    ("Pay: $58,000 - $72,000 per year", "58,000–72,000 USD a year"),
    ("Pay: $24.50 - $31.75 per hour", "24.50–31.75 USD an hour"),
])
def test_the_salary_reads_as_a_person_writes_it(pay: str, shown: str, tmp_path: Path) -> None:
    """The page showed "58000-72000 USD/year", the table cell meant for programs."""
    path = tmp_path / "pay.txt"
    path.write_text(POSTING + pay + "\n", encoding="utf-8")
    postings, views = views_of([str(path)])
    assert dict(views[0].facts)["salary"] == shown, postings[0].salary


def test_labels_and_text_are_escaped(tmp_path: Path) -> None:
    path = tmp_path / "hostile.txt"
    path.write_text("<script>alert(1)</script> Engineer - <img src=x onerror=alert(2)>\n\n"
                    "Requirements:\n- Python </mark><script>alert(3)</script>\n", encoding="utf-8")
    _, views = views_of([str(path)])
    page = reading_page(views, [str(path)])
    assert "<script>" not in page and "<img" not in page and "</mark><script>" not in page
    assert "&lt;script&gt;alert(3)&lt;/script&gt;" in page


def test_every_mention_of_the_seed_postings_is_placed_and_the_page_is_the_same_each_run() -> None:
    seeds = need_shared("seeds")
    paths = [str(p) for p in sorted(seeds.iterdir())]
    postings, views = views_of(paths, unknown=True)
    spans = sum(len(m.mentions) for p in postings for m in p.skills) + sum(len(p.unknown) for p in postings)
    assert len(views) == len(postings) >= 330 and spans > 9000
    assert sum(v.unplaced for v in views) == 0
    assert sum(sum(v.marks.values()) for v in views) <= spans  # overlapping mentions show once
    page = reading_page(views, paths)
    assert page == reading_page(views_of(paths, unknown=True)[1], paths)


@pytest.mark.parametrize("source", [TABLES / "jobspy.csv", TABLES / "linkedin.csv", TABLES / "schema.jsonl"])
def test_the_tables_people_have_place_every_mention(source: Path) -> None:
    postings, views = views_of([str(source)])
    assert postings and sum(v.unplaced for v in views) == 0
    assert sum(sum(v.marks.values()) for v in views) == sum(len(m.mentions) for p in postings for m in p.skills)


def test_the_cli_writes_the_page(tmp_path: Path) -> None:
    path = tmp_path / "posting.txt"
    path.write_text(POSTING, encoding="utf-8")
    out = tmp_path / "read.html"
    result = CliRunner().invoke(cli, ["extract", str(path), "-f", "html", "-o", str(out)])
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and ("required", "Python", "Python: required") in marks(page)
    printed = CliRunner().invoke(cli, ["extract", str(path), "--format", "html"])
    assert printed.exit_code == 0 and printed.stdout == page
