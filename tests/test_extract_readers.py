"""Reading sources: decoding, limits, plain text, markdown blocks, JSON-LD, duplicates."""

from __future__ import annotations

import io
import json
import logging
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from kg.errors import InputError, ParseError
from kg.extract import Vocabulary, extract_files, extract_text
from kg.extract.blocks import Line
from kg.extract.markdown import is_placeholder, normalise_heading
from kg.models import Posting

DATA = Path(__file__).parent / "data"
POSTINGS = DATA / "postings"
CONTRACT = {
    "id", "source", "line", "end_line", "title", "role", "company", "domain", "skills", "min_years",
    "degrees", "languages", "salary", "duplicate_of", "date_posted", "location", "row",
}


def skills_of(posting: Posting) -> dict[str, str]:
    return {m.iri.rsplit("/", 1)[-1]: m.level for m in posting.skills}


def test_plain_text_is_one_posting(vocab: Vocabulary) -> None:
    [posting] = extract_files([str(POSTINGS / "plain.txt")], vocab=vocab)
    assert (posting.line, posting.end_line) == (1, 18)
    assert posting.source == str(POSTINGS / "plain.txt")
    assert posting.title == "Senior Data Scientist"
    assert posting.company == "Acme Analytics"
    assert posting.role == "Data scientist"
    assert posting.domain is None


def test_json_contract_has_exactly_the_documented_keys(vocab: Vocabulary) -> None:
    extraction = extract_files([str(POSTINGS / "plain.txt")], vocab=vocab)
    document = extraction.to_json()
    assert set(document) == {"postings"}
    [item] = document["postings"]
    assert set(item) == CONTRACT
    assert set(item["skills"][0]) == {"label", "iri", "level", "line", "years", "mentions"}
    assert set(item["skills"][0]["mentions"][0]) == {"line", "start", "end", "text"}
    assert item["salary"] == {"min": 120000, "max": 150000, "currency": "USD", "period": "year"}


def test_every_mention_points_at_its_text_in_the_file(vocab: Vocabulary) -> None:
    """Each mention's line and columns cut its text out of the file as written, list markers and all."""
    lines = (POSTINGS / "plain.txt").read_text(encoding="utf-8").split("\n")
    [posting] = extract_files([str(POSTINGS / "plain.txt")], vocab=vocab)
    spans = {m.iri.rsplit("/", 1)[-1]: [(s.line, s.start, s.end, s.text) for s in m.mentions] for m in posting.skills}
    assert spans["python"] == [(6, 47, 53, "Python")]
    assert spans["docker"] == [(8, 15, 21, "Docker")]
    assert spans["spark"] == [(12, 14, 26, "Apache Spark")]
    for mention in posting.skills:
        assert mention.mentions and mention.line == min(s.line for s in mention.mentions)
        for span in mention.mentions:
            assert lines[span.line - 1][span.start : span.end] == span.text


def test_mentions_keep_their_place_through_markdown_markup(vocab: Vocabulary) -> None:
    """Emphasis, links and entities are read without their markup, and mentions still point at the line as written."""
    text = "Data Engineer\n\nRequirements:\n- **Python** and [Kafka](https://kafka.apache.org) &amp; `Docker`\n"
    [posting] = extract_text(text, "p.txt", vocab=vocab)
    line = text.split("\n")[3]
    got = {m.label: [(s.line, line[s.start : s.end], s.text) for s in m.mentions] for m in posting.skills}
    assert got == {"Python": [(4, "Python", "Python")], "Apache Kafka": [(4, "Kafka", "Kafka")],
                   "Docker": [(4, "Docker", "Docker")]}


def test_a_skill_named_twice_has_two_mentions(vocab: Vocabulary) -> None:
    [posting] = extract_text("Data Engineer\nWe use Python daily.\nRequirements: Python, SQL\n", "p.txt", vocab=vocab)
    [python] = [m for m in posting.skills if m.label == "Python"]
    assert [(s.line, s.start, s.end) for s in python.mentions] == [(2, 7, 13), (3, 14, 20)]


def test_markdown_blocks_placeholders_and_duplicates(vocab: Vocabulary) -> None:
    postings = extract_files([str(POSTINGS / "notes.md")], vocab=vocab).postings
    assert [p.line for p in postings] == [9, 16, 21, 30]
    first, copy, bullet, fenced = postings
    assert copy.duplicate_of == first.id and copy.id != first.id
    assert first.duplicate_of is None and bullet.duplicate_of is None
    assert {p.domain for p in postings} == {"Data Engineering"}
    assert {p.domain_iri for p in postings} == {"https://w3id.org/jobkg/id/domain/data-engineering"}
    assert (bullet.title, bullet.company, bullet.role) == ("Senior Data Engineer", "Globex", "Data engineer")
    assert (fenced.company, fenced.role) == ("Initech", "Machine learning engineer")
    assert fenced.line == 30 and fenced.end_line == 35


def test_extraction_counts_duplicates_once(vocab: Vocabulary) -> None:
    extraction = extract_files([str(POSTINGS / "notes.md")], vocab=vocab)
    assert len(extraction) == 4 and len(extraction.distinct) == 3


def test_identical_postings_in_two_files_share_a_content_key(tmp_path: Path, vocab: Vocabulary) -> None:
    text = (POSTINGS / "plain.txt").read_text(encoding="utf-8")
    (tmp_path / "a.txt").write_text(text, encoding="utf-8")
    (tmp_path / "b.txt").write_text("\n\n" + text.replace("\n", "  \n"), encoding="utf-8")
    first, second = extract_files([str(tmp_path / "a.txt"), str(tmp_path / "b.txt")], vocab=vocab)
    assert second.duplicate_of == first.id
    again = extract_files([str(tmp_path / "a.txt")], vocab=vocab)
    assert again[0].id == first.id


@pytest.mark.parametrize(
    ("heading", "expected"),
    [
        ("Notes about Stream Processing", "Stream Processing"),
        ("Skill Sets for Stream Processing", "Stream Processing"),
        ("Skill sets for Stream Processing:", "Stream Processing"),
        ("Sets of Skills for about Stream Processing", "Stream Processing"),
        ("Skills about Stream Processing", "Stream Processing"),
        ("***Data Platforms***", "Data Platforms"),
        ("Generic Data Science Roles", "Data Science"),
        ("Sample JD", None),
        ("Potential Roles", None),
    ],
)
def test_headings_are_normalised_to_domains(heading: str, expected: str | None) -> None:
    assert normalise_heading(heading) == expected


def test_inconsistent_heading_levels_keep_the_topic(vocab: Vocabulary) -> None:
    text = "## Vision\n### Notes about Vision\n### Skill Sets for Vision\n+ skill set:\n\t- Python\n\t- SQL\n"
    [posting] = extract_text(text, "levels.md", vocab=vocab)
    assert posting.domain == "Vision"
    assert posting.domain_iri is None


@pytest.mark.parametrize("body", ["\t- BLAH.", "\t- TBD", "\t- ...", "\t- blah\n\t- BLAH."])
def test_placeholder_blocks_are_skipped(body: str, vocab: Vocabulary) -> None:
    text = f"+ skill set:\n{body}\n+ skill set:\n\t- Python and SQL\n"
    postings = extract_text(text, "p.md", vocab=vocab)
    assert [p.line for p in postings] == [len(body.splitlines()) + 2]
    assert is_placeholder([Line(1, line) for line in body.splitlines()])


def test_jsonld_list_reads_fields_and_lines(vocab: Vocabulary) -> None:
    first, second = extract_files([str(POSTINGS / "postings.jsonld")], vocab=vocab)
    assert (first.line, first.end_line, second.line, second.end_line) == (2, 15, 16, 22)
    assert (first.title, first.company, first.company_iri) == (
        "Data Engineer",
        "Globex",
        "https://w3id.org/jobkg/id/company/globex",
    )
    assert first.salary is not None and (first.salary.currency, first.salary.period) == ("EUR", "year")
    assert skills_of(first) == {
        "airflow": "preferred", "kafka": "required", "python": "required", "spark": "required", "sql": "required",
    }
    assert first.degrees == ["Bachelor"] and first.min_years == 5
    assert second.company == "Northwind Robotics" and skills_of(second) == {"docker": "required", "pytorch": "required"}


def test_jsonld_single_object_with_hourly_pay(vocab: Vocabulary) -> None:
    [posting] = extract_files([str(POSTINGS / "single.json")], vocab=vocab)
    assert posting.salary is not None
    assert (posting.salary.min, posting.salary.max, posting.salary.period) == (55, 55, "hour")
    assert posting.role == "Machine learning engineer"


def test_jsonld_graph_and_html_are_read(vocab: Vocabulary) -> None:
    text = (
        '{"@graph": [{"@type": "schema:JobPosting", "title": "Data Engineer",'
        ' "description": "<div>Needs <em>SQL</em> &amp; Python</div>"}, {"@type": "Organization"}]}'
    )
    [posting] = extract_text(text, "graph.jsonld", vocab=vocab)
    assert skills_of(posting) == {"sql": "required", "python": "required"}


def test_jsonld_graph_postings_have_their_own_lines(vocab: Vocabulary) -> None:
    """Each posting of an ``@graph`` sits on its own lines, and a description repeated by two is found in each."""
    items = [{"@type": "JobPosting", "title": f"Data Engineer {i}", "description": "Needs SQL.\nAnd Python."}
             for i in range(3)]
    text = json.dumps({"@context": "https://schema.org/", "name": "a board", "@graph": [{"@type": "Organization"},
                                                                                         *items]}, indent=1)
    postings = extract_text(text, "graph.jsonld", vocab=vocab)
    lines = text.splitlines()
    for posting, item in zip(postings, items):
        assert lines[posting.line - 1].strip() == "{" and item["title"] in lines[posting.line + 1]
        assert lines[posting.end_line - 1].strip().startswith("}")
        assert {m.line for m in posting.skills} == {posting.line + 3}, posting.line  # its own description's line
    assert len({p.line for p in postings}) == 3


def test_malformed_json_names_file_and_line(vocab: Vocabulary) -> None:
    with pytest.raises(ParseError, match=r"^bad\.json:3: malformed JSON"):
        extract_text('{\n"title": "x",\n,}', "bad.json", vocab=vocab)


def test_json_without_job_posting_is_refused(vocab: Vocabulary) -> None:
    with pytest.raises(ParseError, match=r"no schema\.org JobPosting"):
        extract_text('{"@type": "Person"}', "person.json", vocab=vocab)


def test_text_that_only_looks_like_json_is_read_as_text(vocab: Vocabulary) -> None:
    [posting] = extract_text("[Python] and SQL wanted", "note.txt", vocab=vocab)
    assert skills_of(posting) == {"python": "required", "sql": "required"}


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p: p / "missing.txt", "no such file"),
        (lambda p: p, "is a directory"),
        (lambda p: _write(p / "empty.txt", b""), "is empty"),
        (lambda p: _write(p / "blank.txt", b" \n\t\n"), "is empty"),
        (lambda p: _write(p / "image.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00"), "binary"),
    ],
)
def test_unreadable_inputs_raise_input_error(tmp_path: Path, make: Callable[[Path], Path], message: str,
                                             vocab: Vocabulary) -> None:
    path = make(tmp_path)
    with pytest.raises(InputError, match=message) as caught:
        extract_files([str(path)], vocab=vocab)
    assert str(path) in str(caught.value) and "\n" not in str(caught.value)


def test_size_and_line_limits(tmp_path: Path, vocab: Vocabulary) -> None:
    path = _write(tmp_path / "big.txt", b"Python " * 100)
    with pytest.raises(InputError, match="larger than the limit"):
        extract_files([str(path)], vocab=vocab, max_bytes=100)
    with pytest.raises(InputError, match=r"big\.txt:1: line longer than the limit of 50 characters \(--max-line, "
                                         "KG_MAX_LINE"):
        extract_files([str(path)], vocab=vocab, max_line=50)


def test_invalid_utf8_falls_back_and_says_so(tmp_path: Path, caplog: pytest.LogCaptureFixture,
                                             vocab: Vocabulary) -> None:
    path = _write(tmp_path / "legacy.txt", "Python \u2013 SQL caf\u00e9".encode("cp1252"))
    with caplog.at_level(logging.WARNING):
        [posting] = extract_files([str(path)], vocab=vocab)
    assert "read as cp1252" in caplog.text
    assert skills_of(posting) == {"python": "required", "sql": "required"}
    latin = _write(tmp_path / "latin.txt", b"Python \x81 SQL")
    with caplog.at_level(logging.WARNING):
        extract_files([str(latin)], vocab=vocab)
    assert "read as latin-1" in caplog.text


def test_stdin_is_read_for_a_dash(monkeypatch: pytest.MonkeyPatch, vocab: Vocabulary) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"Needs Kafka and Scala")))
    [posting] = extract_files(["-"], vocab=vocab)
    assert posting.source == "-" and skills_of(posting) == {"kafka": "required", "scala": "required"}


def test_extract_files_reports_unknown_terms(tmp_path: Path, vocab: Vocabulary) -> None:
    path = tmp_path / "u.md"
    path.write_text("+ skill set:\n\t- Python, Polars and DuckDB\n+ skill set:\n\t- SQL with DuckDB, Kafka\n")
    extraction = extract_files([str(path)], vocab=vocab, unknown=True)
    assert [(c.term, c.count) for c in extraction.unknown or []] == [("DuckDB", 2), ("Polars", 1)]
    assert extraction.to_json()["unknown"] == [
        {"term": "DuckDB", "count": 2, "sources": [f"{path}:2", f"{path}:4"]},
        {"term": "Polars", "count": 1, "sources": [f"{path}:2"]},
    ]


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def test_vocabulary_files_are_read_and_checked(tmp_path: Path, vocab: Vocabulary) -> None:
    python = vocab.skills["https://w3id.org/jobkg/id/skill/python"]
    assert python.label == "Python" and "https://w3id.org/jobkg/id/domain/programming-languages" in python.broader
    assert vocab.skills["https://w3id.org/jobkg/id/skill/go"].ambiguous == {"Go"}
    assert vocab.companies["https://w3id.org/jobkg/id/company/acme"].alt_labels == ("Acme", "Acme Analytics Inc.")
    broken = _write(tmp_path / "broken.ttl", b"@prefix s: <http://x/> .\ns:a s:b .\n")
    with pytest.raises(ParseError, match=r"broken\.ttl: .*line 2"):
        Vocabulary.from_files([broken])
    with pytest.raises(InputError, match="no such vocabulary file"):
        Vocabulary.from_files([tmp_path / "none.ttl"])
    with pytest.raises(InputError, match="no such company list"):
        Vocabulary.from_files([], tmp_path / "none.csv")


def test_a_grow_list_adds_labels_and_skills(tmp_path: Path, vocab: Vocabulary) -> None:
    grow = tmp_path / "GROW.tsv"
    grow.write_text(
        "id\tprefLabel\taltLabels\tdomain\tcount\n"
        "python\tPython\tPython 3\tprogramming-languages\t4\n"
        "duckdb\tDuckDB\tduck db\tdatabases\t2\n",
        encoding="utf-8",
    )
    grown = vocab.grown(grow)
    assert grown.skills["https://w3id.org/jobkg/id/skill/python"].alt_labels == ("Python 3",)
    assert grown.skills["https://w3id.org/jobkg/id/skill/duckdb"].broader == ("https://w3id.org/jobkg/id/domain/databases",)
    assert "https://w3id.org/jobkg/id/skill/duckdb" not in vocab.skills
    [posting] = extract_text("Needs duck db and Python 3.", "g.txt", vocab=grown)
    assert [m.label for m in posting.skills] == ["DuckDB", "Python"]


def test_progress_is_reported_per_file(vocab: Vocabulary) -> None:
    seen: list[tuple[str, int]] = []
    paths = [str(POSTINGS / "notes.md"), str(POSTINGS / "single.json")]
    extract_files(paths, vocab=vocab, on_file=lambda path, count: seen.append((Path(path).name, count)))
    assert seen == [("notes.md", 4), ("single.json", 1)]


def test_a_bullet_starting_with_a_lower_case_word_is_no_titled_posting(vocab: Vocabulary) -> None:
    text = "# Notes\n\n+ enabling developers to plug in life cycle tools\n\t- one\n\t- two\n\t- three\n"
    [posting] = extract_text(text, "n.md", vocab=vocab)  # the whole file, as it holds no posting shape
    assert posting.title is None and posting.line == 1
    titled = text.replace("+ enabling developers", "+ Enabling Developer")
    titles = [p.title for p in extract_text(titled, "n.md", vocab=vocab)]
    assert titles == ["Enabling Developer to plug in life cycle tools"]


def test_jsonld_salary_without_currency_leaves_it_unset(vocab: Vocabulary) -> None:
    """A baseSalary that names no currency is not a US dollar amount: the currency stays unknown."""
    text = json.dumps({"@type": "JobPosting", "title": "Data Engineer", "description": "Python",
                       "baseSalary": {"@type": "MonetaryAmount",
                                      "value": {"minValue": 50000, "maxValue": 60000, "unitText": "YEAR"}}})
    (posting,) = extract_text(text, "p.json", vocab=vocab)
    assert posting.salary is not None and posting.salary.currency is None
    assert posting.to_json()["salary"] == {"min": 50000, "max": 60000, "currency": None, "period": "year"}
    assert posting.to_row()["salary"] == "50000-60000/year"
