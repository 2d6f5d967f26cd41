"""The shortcuts taken for speed compute what the plain definitions compute (issue 13, point 9).

What `kg extract` prints is checked byte for byte by ``test_extract_golden.py`` (slow); here, the pieces: token
places found with ``str.find`` in whitespace-separated chunks, the voice patterns that begin with a set of letters,
shingles joined as bytes, MinHash signatures computed in batches, the tagger's per-line values cut from one
array, its spans found for all lines at once, its word pairs looked up as numbers, the unknown runs and a span's
probability found from the likely tokens and the overlapping slice only.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.extract import Vocabulary, neardup
from kg.extract import tagger as tagger_module
from kg.extract.blocks import Block, Line
from kg.extract.neardup import _WORD, SHINGLE, shingles, signature, signatures
from kg.extract.reading import UNKNOWN, _filler, _joined, _likely_runs, _may_join
from kg.extract.scan import Mention
from kg.extract.sections import DEFAULT
from kg.extract.tagger import _TOKEN, Reading, Row, bundled_tagger, tokens
from kg.models import REQUIRED

#: Token characters, what lies between tokens (spaces, commas, double quotes) and what may join a token's parts.
TEXT = st.lists(st.sampled_from([*"aZ9_+#.-/&'’ \t,\"“”:;()é İß", "C++", "Node.js", "CI/CD"]), max_size=40).map("".join)


@given(TEXT)
@settings(max_examples=150, deadline=None)
def test_token_places_are_where_the_pattern_found_them(text: str) -> None:
    assert tokens(text) == [(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(text)]


@given(st.lists(st.sampled_from([*"aAzZ09_+#.-/é\nİß", "xxx", "AAAA", "111"]), max_size=12).map("".join))
@settings(max_examples=300, deadline=None)
def test_word_names_are_those_the_patterns_give(word: str) -> None:
    """A word's shape (its characters mapped by a table, runs cut by a function) and its names as the token and as
    each neighbour: those of the plain definitions."""
    plain_shape = re.sub(r"(.)\1+", r"\1\1", re.sub("[0-9]", "d", re.sub("[a-z]", "x", re.sub("[A-Z]", "X", word))))
    assert tagger_module.shape(word) == plain_shape
    low, common = word.lower(), "1" if word.lower() in tagger_module._common() else "0"
    own = ["w=" + low, "sh=" + plain_shape, "p3=" + low[:3], "s3=" + low[-3:], "s2=" + low[-2:], "c=" + common,
           "len=" + str(min(len(word), 8)), *(["punct"] if any(char in word for char in "+#./-") else [])]
    assert tagger_module._word_names(word) == [
        own, *([f"w{o:+d}={low}", f"sh{o:+d}={plain_shape}", f"c{o:+d}={common}"] if abs(o) == 1 else [f"w{o:+d}={low}"]
               for o in tagger_module._OFFSETS)]


#: Words of the company's and the reader's voice, and what may stand around them.
VOICE = st.lists(st.sampled_from(["we", "We", "WE", "our", "Our", "us", "Us", "you", "You", "your", "r", "s", "e", "o",
                                  "w", "y", "u", "x", "é", "_", "1", " ", "'", "-", "\n"]), max_size=12).map("".join)


@given(VOICE)
@settings(max_examples=300, deadline=None)
def test_voice_patterns_find_what_word_boundaries_find(text: str) -> None:
    assert bool(tagger_module._COMPANY_VOICE.search(text)) == bool(re.search(r"\b(?:[Ww]e|[Oo]ur|[Uu]s)\b", text))
    assert bool(tagger_module._READER.search(text)) == bool(re.search(r"\b(?:[Yy]ou|[Yy]our)\b", text))


@given(TEXT)
@settings(max_examples=100, deadline=None)
def test_shingles_are_the_joined_words_encoded(text: str) -> None:
    words = _WORD.findall(text.casefold())
    if len(words) < SHINGLE:
        expected = {" ".join(words).encode("utf-8")} if words else set()
    else:
        expected = {" ".join(words[i : i + SHINGLE]).encode("utf-8") for i in range(len(words) - SHINGLE + 1)}
    assert shingles(text) == expected


#: Characters outside ASCII that are not part of words (dashes, quotes, bullets), and some that are, or that case
#: folding makes part of one (the combining ypogegrammeni folds to iota).
OUTSIDE_ASCII = st.lists(st.sampled_from([*"ab_9 ,.-–—’“”•™é", "İ", "ß", "\u0345", "Python"]), max_size=30).map("".join)


@given(OUTSIDE_ASCII)
@settings(max_examples=300, deadline=None)
def test_words_cut_from_bytes_are_the_patterns(text: str) -> None:
    """Where no character outside ASCII is part of a word, the words cut from the bytes are the pattern's, made small
    as case folding makes them; elsewhere none are cut."""
    folded = text.casefold()
    found = neardup._ascii_words(folded)
    if re.search(r"[^\W\x00-\x7f]", folded):
        assert found is None
    else:
        assert found == [word.encode("utf-8") for word in _WORD.findall(folded)]
    assert neardup._ascii_words(text) in (None, [word.lower().encode("utf-8") for word in _WORD.findall(text)])
    assert shingles(text) == {" ".join(words).encode("utf-8") for words in _grams(_WORD.findall(folded))}


def _grams(words: list[str]) -> list[list[str]]:
    """The ``SHINGLE``-grams of words (the words themselves if fewer)."""
    if len(words) < SHINGLE:
        return [words] if words else []
    return [words[i : i + SHINGLE] for i in range(len(words) - SHINGLE + 1)]


WORDS = st.lists(st.sampled_from(["data", "Python", "pipelines", "İstanbul", "ß", "the", "of", "ML", "x1", "—", "“AI”",
                                  "\u0345x", "Go’s"]), max_size=60).map(" ".join)


def _datasketch(block: Block) -> bytes | None:
    """A block's signature as datasketch's MinHash computes it (the reference the stored signatures follow)."""
    import zlib

    from datasketch import MinHash

    text = neardup.block_text(block)
    words = _WORD.findall(text.casefold())
    if (len(words) if text.isascii() else len(_WORD.findall(text))) < neardup.MIN_WORDS:
        return None
    minhash = MinHash(num_perm=neardup.NUM_PERM, seed=1, hashfunc=zlib.crc32, scheme="affine32")
    minhash.update_batch(list(shingles(text)))
    return bytes(minhash.hashvalues.astype("<u4").tobytes())


@given(st.lists(WORDS, min_size=1, max_size=6), st.sampled_from([1, 7, 1 << 14]))
@settings(max_examples=60, deadline=None)
def test_signatures_in_a_batch_are_datasketchs_one_by_one(texts: list[str], chunk: int) -> None:
    """The batch's signatures are datasketch's MinHash values for each block (so stores written before keep
    matching), however the batch is cut into chunks, and a short block has none."""
    blocks = [Block("t.txt", [Line(n + 1, text)]) for n, text in enumerate(texts)]
    expected = [_datasketch(block) for block in blocks]
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(neardup, "_CHUNK", chunk)
        assert signatures(blocks) == expected
    assert [signature(block) for block in blocks] == expected


def test_the_bands_are_datasketchs_choice(tmp_path: Path) -> None:
    """The LSH bands written out are those datasketch chooses for the threshold and the number of values, and
    extracting postings (near-duplicates marked) does not import datasketch (SciPy comes with it)."""
    import subprocess
    import sys

    from datasketch import MinHashLSH

    assert list(neardup.BANDS) == MinHashLSH(threshold=neardup.THRESHOLD, num_perm=neardup.NUM_PERM).hashranges
    body = "".join(f"We build pipeline number {n} in Python and SQL on Spark and Kafka.\n" for n in range(20))
    paths = [tmp_path / "a.txt", tmp_path / "b.txt"]
    for path, ending in zip(paths, ("Apply now.", "Apply today.")):
        path.write_text(f"Data Engineer\n{body}{ending}\n")
    code = (f"import sys; from kg.extract import extract_files; found = extract_files({[str(p) for p in paths]!r});"
            "print(len(found.postings), found.postings[1].duplicate_of is not None, 'datasketch' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout == "2 True False\n"


def test_a_batch_reads_each_line_as_alone(bundled: Vocabulary) -> None:
    """Token places, probabilities and each line's highest probability: the same in a batch as alone, and the
    lines cut from the batch's arrays are the lines."""
    tagger = bundled_tagger()
    assert tagger is not None
    texts = [["Experience with Kubernetes Portainer and Helm charts", "", "Skills: java, spring, kafka"],
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


def _spans_line_by_line(path: list[int], counts: list[int], places: list[list[tuple[int, int, str]]]) -> list:
    out, start = [], 0
    for count, line in zip(counts, places):
        out.append(tagger_module._spans(path[start : start + count], 0, line))
        start += count
    return out


@given(st.lists(st.lists(st.integers(0, len(tagger_module.LABELS) - 1), max_size=8), min_size=1, max_size=6))
@settings(max_examples=80, deadline=None)
def test_spans_of_all_lines_at_once_are_the_spans_line_by_line(lines: list[list[int]]) -> None:
    """Any path of labels (``I-`` after ``O`` or after the other kind, lines that end inside a span, empty lines)."""
    counts = [len(line) for line in lines]
    places = [[(3 * n, 3 * n + 2, "w") for n in range(count)] for count in counts]
    path = np.asarray([label for line in lines for label in line], dtype=np.intp)
    line_of = np.repeat(np.arange(len(lines)), counts)
    bounds = np.cumsum([0, *counts]).tolist()
    found: list[list[tuple[int, int, str]]] = [[] for _ in lines]
    tagger_module.Tagger._place_spans(path, counts, line_of, bounds, places, found)
    assert found == _spans_line_by_line(path.tolist(), counts, places)


WORDS = st.sampled_from(["experience", "with", "java", "^", "$", "|", "a|b", "and", "sql", "Python", "ci/cd", "zzz"])
#: Weighted pairs, some of words holding ``|`` (read by name), one weighted as a left pair only.
PAIRS = ["b-=experience|with", "b+=experience|with", "b-=|||", "b+=|||", "b+=a|b|java", "b-=^|java", "b+=sql|$",
         "b-=java|a|b", "b-=with|java", "w=java"]


@given(st.lists(WORDS, min_size=1, max_size=12))
@settings(max_examples=100, deadline=None)
def test_word_pairs_looked_up_as_numbers_are_the_pairs_looked_up_by_name(words: list[str]) -> None:
    """Pairs of words found in the sorted table of numbers (or by name, for a word holding ``|``) are the rows of the
    features ``pair_features`` names."""
    tagger = tagger_module.Tagger(PAIRS, np.zeros((len(PAIRS), len(tagger_module.LABELS))),
                                  np.zeros((len(tagger_module.LABELS),) * 2))
    rows = tagger._word_numbers([[(0, 0, word) for word in words]])  # the words' rows in the tables of words
    as_right, as_left = tagger._pairs(np.asarray(rows))
    blank = len(tagger.weights)
    for at in range(len(words) - 1):
        before, after = tagger_module.pair_features(words[at], words[at + 1])
        assert as_right[at] == tagger.index.get(before, blank)
        assert as_left[at] == tagger.index.get(after, blank)


def test_the_table_of_pairs_holds_pairs_the_tagger_weighs() -> None:
    tagger = bundled_tagger()
    assert tagger is not None
    _, _, keys, rows = tagger._pair_table
    assert len(keys) > 1000 and (rows < len(tagger.weights)).any()
    assert (np.diff(keys) > 0).all()  # sorted, one row per pair


def _plain_runs(reading: Reading, row: int, taken: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The runs of :func:`kg.extract.reading._likely_runs`, walking every token."""
    runs: list[tuple[int, int]] = []
    run: list[tuple[int, int, str]] = []
    tokens = zip(reading.token_spans[row], reading.inside[row], reading.knowledge[row], reading.begins[row])
    for (first, last, word), chance, known, begins in [*tokens, ((0, 0, ""), 0.0, 0.0, 0.0)]:
        likely = chance >= UNKNOWN and known >= chance / 2 and not any(a < last and first < b for a, b in taken)
        if likely and not (run and begins > chance / 2):
            run.append((first, last, word))
            continue
        while run and _filler(run[0][2]):
            run.pop(0)
        while run and _filler(run[-1][2]):
            run.pop()
        if run:
            runs.append((run[0][0], run[-1][1]))
        run = [(first, last, word)] if likely else []
    return runs


def test_likely_runs_and_probabilities_are_those_of_every_token(bundled: Vocabulary) -> None:
    """Runs walked over the likely tokens only, and a span's probability from the slice of tokens it overlaps: the
    same as walking every token."""
    tagger = bundled_tagger()
    assert tagger is not None
    texts = ["Experience with Portainer, JMS and Nginx Hibernate monitoring in a Kubernetes and Helm setup",
             "Tools: Terraform Ansible Pulumi Vault Consul Nomad, plus Kafka Streams and Flink SQL",
             "You know PyTorch, JAX or TensorFlow and MLflow; Airflow DAGs and dbt models are a plus"]
    matcher = bundled.matcher("skills")
    rows = [Row(text, matcher.find(text), DEFAULT, False) for text in texts]
    reading = tagger.read(rows, bundled.skills)
    seen = 0
    for row, text in enumerate(texts):
        places = reading.token_spans[row]
        for taken in ([], [(0, 10)], [(places[3][0], places[5][1])], [(m.start, m.end) for m in rows[row].matches]):
            runs = _likely_runs(reading, row, taken)
            assert runs == _plain_runs(reading, row, taken)
            seen += len(runs)
        for start in range(0, len(text), 3):
            for end in range(start + 1, min(len(text), start + 30) + 1, 4):
                plain = max([0.0, *(chance for (first, last, _), chance in zip(places, reading.inside[row])
                                    if first < end and start < last)])
                assert reading.probability(row, start, end) == plain
    assert seen > 0  # the lines have runs to compare


#: A token's probabilities (in a span, of knowledge, that a span begins at it), chosen around the thresholds.
CHANCES = st.tuples(*[st.sampled_from([0.0, 0.05, 0.1, UNKNOWN, 0.3, 0.6, 1.0])] * 3)


@given(st.lists(st.tuples(st.sampled_from(["java", "and", ",", "ee", "the", "8"]), CHANCES), min_size=1, max_size=10),
       st.lists(st.tuples(st.integers(0, 9), st.integers(1, 3)), max_size=3))
@settings(max_examples=300, deadline=None)
def test_runs_are_not_needed_where_no_mention_can_be_widened(line: list[tuple[str, tuple[float, float, float]]],
                                                             placed: list[tuple[int, int]]) -> None:
    """Where :func:`_may_join` says no run may widen a mention, :func:`_joined` widens none, whatever the runs."""
    places = [(3 * n, 3 * n + 2, word) for n, (word, _) in enumerate(line)]
    inside, knowledge, begins = ([chances[i] for _, chances in line] for i in range(3))
    reading = Reading([[]], [places], [inside], [knowledge], [begins])
    mentions = [Mention(REQUIRED, 1, 1, None, 0, places[first][0], places[min(first + size, len(places)) - 1][1])
                for first, size in placed if first < len(places)]
    before = [(m.start, m.end) for m in mentions]
    runs = _likely_runs(reading, 0, before)
    if not _may_join(reading, 0, mentions):
        _joined(reading, 0, runs, mentions)
        assert [(m.start, m.end) for m in mentions] == before


def test_a_mention_widened_by_a_run_may_join() -> None:
    places = [(0, 4, "pair"), (5, 16, "programming"), (17, 25, "sessions")]
    reading = Reading([[]], [places], [[0.9, 0.9, 0.6]], [[0.0, 0.0, 0.5]], [[0.9, 0.0, 0.1]])
    mention = Mention(REQUIRED, 1, 1, None, 0, 0, 16)
    assert _may_join(reading, 0, [mention])
    assert _joined(reading, 0, _likely_runs(reading, 0, [(0, 16)]), [mention]) == []
    assert (mention.start, mention.end) == (0, 25)


#: Postings whose mentions the tagger widens ("Helm charts", "Spring Boot services"), beside lines with unknown
#: terms ("Portainer", "Java EE 8", "JMS") and lines with neither, for the lines-with-mentions shortcut.
MENTIONED = [
    ["Backend Engineer - Acme", "Requirements", "Experience with Kubernetes Portainer and Helm charts",
     "Java EE 8 and Spring Boot services", "You enjoy pair programming sessions and code reviews",
     "We value kindness", "Nice to have", "JMS, Nginx Hibernate monitoring, financial services"],
    ["Data Scientist", "About us: we build financial software in Python", "Skills: python sql, Go and R",
     "Tools Terraform Ansible Pulumi", "", "Benefits: a learning budget"],
]


def test_without_unknown_terms_the_tagger_reads_only_lines_with_mentions(bundled: Vocabulary) -> None:
    """Asked for no unknown terms, the tagger reads only the lines where a mention stands, and every posting is the
    one read with them, but for ``unknown``; a line left unread has no values to give."""
    from kg.extract.blocks import Block, Line
    from kg.extract.pipeline import analyse_blocks

    blocks = [Block(f"{n}.txt", [Line(i + 1, text) for i, text in enumerate(lines)])
              for n, lines in enumerate(MENTIONED)]
    whole = analyse_blocks(blocks, bundled, unknown=True)
    assert any(posting.unknown for posting in whole)
    widened = {span.text for m in whole[0].skills for span in m.mentions}
    assert {"Helm charts", "Spring Boot services"} <= widened  # mentions the tagger's spans widened
    for posting in whole:
        posting.unknown = []
    assert analyse_blocks(blocks, bundled, unknown=False) == whole

    tagger = bundled_tagger()
    assert tagger is not None
    matcher = bundled.matcher("skills")
    rows = [Row(text, matcher.find(text), DEFAULT, False) for text in MENTIONED[0]]
    every = tagger.read(rows, bundled.skills)
    shared = tagger_module.line_features(rows)
    assert tagger_module.line_features(rows, {2, 3}) == [
        names if row in (2, 3) else [] for row, names in enumerate(shared)]
    some = tagger.read_many([rows], bundled.skills, [{2, 3}])[0]
    for row in (2, 3):
        assert some.spans[row] == every.spans[row]
        assert some.inside[row] == every.inside[row] and some.begins[row] == every.begins[row]
    assert some.spans[5] == [] and some.peak(5) == 0.0
    for use in (lambda values: values[0], len, max):  # a line left unread has values that refuse any use
        with pytest.raises(IndexError):
            use(some.inside[5])


def test_skills_are_consolidated_as_the_plain_definition_says(bundled: Vocabulary) -> None:
    """A skill named once and a skill named several times (twice at one place, out of order, at two levels) give
    the mention the plain definition gives: its spans each once, in order of line, columns and text."""
    from kg.extract.clean import Cleaned
    from kg.extract.pipeline import _consolidate
    from kg.extract.scan import Findings
    from kg.models import PREFERRED, SkillMention, TextSpan

    places = [("- Python and SQL", Cleaned("Python and SQL", 2)), ("SQL, Python", Cleaned("SQL, Python", 0))]
    python, sql = "https://example.org/python", "https://example.org/sql"
    found = Findings(mentions={
        sql: [Mention(PREFERRED, 1, 2, 3, 1, 0, 3), Mention(REQUIRED, 1, 1, None, 0, 11, 14),
              Mention(PREFERRED, 1, 2, None, 1, 0, 3)],
        python: [Mention(PREFERRED, 1, 1, None, 0, 0, 6)],
    })
    assert _consolidate(found, bundled, set(), places, ("", Cleaned("", 0))) == [
        SkillMention(python, python, PREFERRED, 1, None, (TextSpan(1, 2, 8, "Python"),)),
        SkillMention(sql, sql, REQUIRED, 1, 3, (TextSpan(1, 13, 16, "SQL"), TextSpan(2, 0, 3, "SQL"))),
    ]
    assert _consolidate(found, bundled, {python}, places, ("", Cleaned("", 0)))[0].level == REQUIRED


#: Clauses with product-like items beside a known skill, with such items and no known skill, and with neither.
CLAUSES = ["Experience with Python, Scalding, Luigi and Hive", "Tools: Terraform, Terragrunt and Spacelift",
           "Spark or Flink; MLflow, Kubeflow", "Scalding and Luigi 2", "we value kindness and curiosity",
           "Python, SQL and the like", "build and run pipelines", "2024 PhD or MS in CS, 42,500 users"]


def test_unknown_candidates_match_the_vocabulary_only_in_clauses_with_product_like_items(bundled: Vocabulary) -> None:
    """The candidates of a clause are the plain definition's (the clause names a known skill; each item reads like
    a product and is no known skill); the vocabulary is matched only in clauses where an item reads like a product."""
    from kg.extract import unknown

    matcher = bundled.matcher("skills")
    for clause in CLAUSES:
        named = bool(matcher.find(clause))
        plain = {item for item in unknown._product_like(clause) if named and not matcher.find(item)}
        assert unknown.candidates(clause, matcher) == plain
    assert unknown.candidates(CLAUSES[1], matcher) == {"Terragrunt", "Spacelift"}
    looked: list[str] = []

    class Spy:
        def find(self, text: str) -> list[object]:
            looked.append(text)
            return matcher.find(text)

    for clause in CLAUSES[4:7]:
        unknown.candidates(clause, Spy())  # type: ignore[arg-type]
    assert looked == ["Python, SQL and the like", "SQL"]  # not the clauses without an item like "SQL"
