"""Tables in the terminal: plain off a terminal, IRI columns only when asked, one number format, escapes."""

from __future__ import annotations

import io

from kg.cli.table import cell, clean, write_table
from kg.namespaces import Iri

ROWS = [{"skill": Iri("skill:python"), "label": "Python", "postings": 3, "share": 1.0},
        {"skill": Iri("skill:sql"), "label": "SQL", "postings": 1, "share": 0.3333},
        {"skill": Iri("skill:r"), "label": "R", "postings": 3, "share": 0.0968}]


def table(rows: list[dict], **options: object) -> str:
    out = io.StringIO()
    write_table(rows, stream=out, **options)  # type: ignore[arg-type]
    return out.getvalue()


def test_plain_text_off_a_terminal_without_iris() -> None:
    assert table(ROWS).splitlines() == [
        "label   postings          share",
        "Python         3  100% (3 of 3)",
        "SQL            1   33% (1 of 3)",
        "R              3  10% (3 of 31)",
    ]


def test_iri_columns_on_request() -> None:
    assert table(ROWS, iris=True).splitlines()[0].split() == ["skill", "label", "postings", "share"]


def test_iri_columns_stay_where_no_text_says_which_row_is_which() -> None:
    """`kg query graphs` printed a column of triple counts and no graphs: its IRIs were left out with no label
    column to stand for them."""
    rows = [{"graph": Iri("https://example.org/graph/core"), "triples": 101_450},
            {"graph": Iri("https://example.org/graph/postings"), "triples": 208}]
    assert table(rows).splitlines() == ["graph                               triples",
                                        "https://example.org/graph/core      101,450",
                                        "https://example.org/graph/postings      208"]


def test_a_query_the_user_wrote_keeps_its_iri_columns(built) -> None:  # noqa: ANN001 - conftest's built store
    from click.testing import CliRunner

    from kg.cli import cli

    query = "SELECT ?s ?label WHERE { VALUES (?s ?label) { (<https://example.org/a> 'A') } }"
    shown = CliRunner().invoke(cli, ["--store", str(built[0].path), "query", query])
    assert shown.output.splitlines() == ["s                      label", "https://example.org/a  A"], shown.output


def test_on_a_terminal_a_box() -> None:
    drawn = table(ROWS, terminal=True)
    assert "┏" in drawn and "100% (3 of 3)" in drawn and "skill:python" not in drawn


def test_one_number_format() -> None:
    assert cell(0.333, "share") == "33%"
    assert cell(0.333, "share", {"support": 1}) == "33% (1 of 3)"
    assert cell(0.004, "coverage") == "<1%"
    assert cell(0.0968, "score") == "0.10"
    assert cell(12345) == "12,345"
    assert cell(None) == ""


def test_control_and_escape_characters_are_shown_escaped() -> None:
    hostile = "Senior \x1b[31mDev\x1b]0;owned\x07\r\nnext\u202eevil\u200b"
    assert clean(hostile) == "Senior \\x1b[31mDev\\x1b]0;owned\\x07\\r\\nnext\\u202eevil\\u200b"
    for terminal in (False, True):
        drawn = table([{"title": hostile}], terminal=terminal)
        assert "\x1b" not in drawn and "\x07" not in drawn and "\r" not in drawn and "\u202e" not in drawn
        assert "\\x1b[31mDev" in drawn
    assert clean("Zürich 中文 café") == "Zürich 中文 café"


def test_rows_stream_past_the_head() -> None:
    rows = ({"n": i, "label": f"row {i}"} for i in range(5000))
    lines = table(rows).splitlines()  # type: ignore[arg-type]
    assert len(lines) == 5001 and lines[-1] == "4,999  row 4999"
