"""Extraction keeps what it computed per line (issue 13 point 9, issue 18 point 7): a line read again, under
the same state, gives what it gave; under another state (section, company), what that state gives; the caches
stay bounded. What `kg extract` prints is checked byte for byte by ``test_extract_golden.py`` (slow)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.extract import Vocabulary, extract_text, load_vocabulary
from kg.extract import scan as scan_module
from kg.extract.line_caches import clear_line_caches
from kg.extract.matcher import LabelMatcher
from kg.extract.scan import Hints, _flags
from kg.extract.tagger import bundled_tagger
from kg.models import postings_to_json

#: Made-up postings: the same lines under other headers, in other companies' postings, written twice.
LINE = "Experience with Python, Kafka and Terraform in production."
POSTINGS = [
    f"Data Engineer (Acme Analytics)\nRequirements:\n{LINE}\nNice to have:\n{LINE}\nHands-on work with dbt.",
    f"Platform Engineer (Terraform)\nNice to have:\n{LINE}\nTerraform builds tools for teams.\n{LINE}",
    f"Backend Developer (Blue Labs)\n{LINE}\nBlue Labs is a small company that uses Kafka.\nRequirements:\n{LINE}",
    "Site Reliability Engineer (Northwind)\nBlue Labs is a small company that uses Kafka.",
]


@pytest.fixture(scope="module")
def vocab() -> Vocabulary:
    return load_vocabulary()


def _read(text: str, vocab: Vocabulary) -> dict[str, object]:
    return postings_to_json(extract_text(text, "p.txt", vocab=vocab))


def test_a_line_read_again_reads_as_read_anew(vocab: Vocabulary) -> None:
    """Each posting alone with empty caches, then all of them together with the caches full, twice."""
    alone = []
    for text in POSTINGS:
        clear_line_caches(vocab)
        alone.append(_read(text, vocab))
    for _ in range(2):
        assert [_read(text, vocab) for text in POSTINGS] == alone


def test_the_same_line_takes_the_level_of_its_section(vocab: Vocabulary) -> None:
    """"Python" in the same line is required under "Requirements" and preferred under "Nice to have", the line
    read from the cache the second time."""
    clear_line_caches(vocab)
    required = extract_text(f"Data Engineer\nRequirements:\n{LINE}", "p.txt", vocab=vocab)[0]
    preferred = extract_text(f"Data Engineer\nNice to have:\n{LINE}", "p.txt", vocab=vocab)[0]
    assert {m.label: m.level for m in required.skills}["Python"] == "required"
    assert {m.label: m.level for m in preferred.skills}["Python"] == "preferred"


def test_the_caches_stay_bounded(vocab: Vocabulary, monkeypatch: pytest.MonkeyPatch) -> None:
    """However many lines are read, each cache holds at most its bound."""
    from kg.extract import matcher, tagger

    monkeypatch.setattr(matcher, "_CACHED", 5)
    monkeypatch.setattr(tagger, "_LINE_CACHE", 5)
    monkeypatch.setattr(scan_module, "_SCANNED_MOST", 5)
    clear_line_caches(vocab)
    text = "Data Engineer\nRequirements:\n" + "\n".join(f"{n} years of Python and Kafka, team {n}." for n in range(40))
    extract_text(text, "p.txt", vocab=vocab)
    skills = vocab.matcher("skills")
    assert isinstance(skills, LabelMatcher)
    assert 0 < len(skills._found) <= 5
    assert 0 < len(scan_module._SCANNED) <= 5
    read = bundled_tagger()
    assert read is not None
    extract_text("Data Engineer\nRequirements:\nKafka.", "q.txt", vocab=vocab)  # the next batch finds it full
    assert 0 < len(read._read_lines) <= 5
    long = "Experience with Kafka, " + "and more " * 300  # a line longer than LONGEST_KEPT is analysed, not kept
    extract_text(f"Data Engineer\nRequirements:\n{long}", "r.txt", vocab=vocab)
    assert long not in skills._found and long not in {key[0] for key in read._read_lines}


LINES = ["5 years of Python", "BS in CS", "Salary $120k", "İstanbul office, English", "Equal opportunity employer",
         "ideally Kafka", "our teams", "", "yrs", "Master's degree"]


@given(st.lists(st.sampled_from(LINES), max_size=8))
@settings(max_examples=200, deadline=None)
def test_the_hints_of_lines_read_before_are_the_postings_own(lines: list[str]) -> None:
    """A line's bits, kept per text, are what one pass over the whole posting gives, and what the line alone gives
    (with "İ" too, whose lower case is two characters)."""
    assert Hints.of(lines).flags == (_flags(lines, "\n".join(lines)) if lines else [])
    assert Hints.of(lines).flags == [_flags([line], line)[0] for line in lines]


def test_turkish_capitals_leave_the_next_lines_their_facts() -> None:
    """Many "İ" in one line (each two characters lower-cased) moved the anchors found after it to later lines: the
    years of "5+ years of Python" three lines below were not read."""
    offices = ", ".join(["İSTANBUL", "İZMİR", "DİYARBAKIR", "BİLECİK", "KİLİS"] * 4)
    text = f"Data Engineer - Acme\nOffices: {offices}\nRequirements:\n- 5+ years of Python\n- SQL\n"
    [posting] = extract_text(text, "turkish.txt")
    assert posting.min_years == 5
    assert {s.label: s.years for s in posting.skills} == {"Python": 5, "SQL": None}
