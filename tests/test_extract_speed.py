"""The shortcuts taken for speed compute what the plain definitions compute (issue 13, point 9).

What `kg extract` prints is checked byte for byte by ``test_extract_golden.py`` (slow); here, the pieces: token
places found with ``str.find``, shingles joined as bytes, the tagger's per-line values cut lazily from one array.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.extract import Vocabulary, load_vocabulary
from kg.extract.neardup import _WORD, SHINGLE, shingles
from kg.extract.sections import DEFAULT
from kg.extract.tagger import _TOKEN, Row, bundled_tagger, tokens

#: Token characters, what lies between tokens (spaces, commas, double quotes) and what may join a token's parts.
TEXT = st.lists(st.sampled_from([*"aZ9_+#.-/&'’ \t,\"“”:;()é İß", "C++", "Node.js", "CI/CD"]), max_size=40).map("".join)


@given(TEXT)
@settings(max_examples=150, deadline=None)
def test_token_places_are_where_the_pattern_found_them(text: str) -> None:
    assert tokens(text) == [(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(text)]


@given(TEXT)
@settings(max_examples=100, deadline=None)
def test_shingles_are_the_joined_words_encoded(text: str) -> None:
    words = _WORD.findall(text.casefold())
    if len(words) < SHINGLE:
        expected = {" ".join(words).encode("utf-8")} if words else set()
    else:
        expected = {" ".join(words[i : i + SHINGLE]).encode("utf-8") for i in range(len(words) - SHINGLE + 1)}
    assert shingles(text) == expected


@pytest.fixture(scope="module")
def bundled() -> Vocabulary:
    return load_vocabulary()


def test_a_batch_reads_each_line_as_alone(bundled: Vocabulary) -> None:
    """Token places, probabilities and each line's highest probability: the same in a batch as alone, and the
    lazily cut lines are the lines of the arrays."""
    tagger = bundled_tagger()
    assert tagger is not None
    texts = [["Experience with Kubernetes Rancher and Helm charts", "", "Skills: java, spring, kafka"],
             ["We are a team", "Python Go Rust Terraform", "Python Go Rust Terraform"],
             ["!!!", "Data Engineer"]]
    matcher = bundled.matcher("skills")
    postings = [[Row(text, matcher.find(text), DEFAULT, False) for text in lines] for lines in texts]
    together = tagger.read_many(postings, bundled.skills)
    for rows, batch in zip(postings, together):
        alone = tagger.read(rows, bundled.skills)
        for reading in (batch, alone):
            assert len(reading.token_spans) == len(reading.inside) == len(rows)
            assert [list(t) for t in reading.token_spans] == [tokens(row.text) for row in rows]
            for row in range(len(rows)):
                assert reading.peak(row) == max(reading.inside[row], default=0.0)
                assert len(reading.inside[row]) == len(reading.knowledge[row]) == len(tokens(rows[row].text))
        assert batch.spans == alone.spans
        # probabilities to the last bits: the forward-backward pass runs on blocks as wide as the batch's
        # stretches, and numpy's vector loops may round the last bit of a sum otherwise in a wider block
        for name in ("inside", "begins"):
            for n in range(len(rows)):
                assert getattr(batch, name)[n] == pytest.approx(getattr(alone, name)[n], rel=1e-12, abs=1e-15), name
    assert together[1].inside[1] == together[1].inside[2]  # a line written twice reads the same
    assert together[0].inside[1] == [] and together[0].peak(1) == 0.0
