"""The tagger: kg's own decoding of the weights reads as CRFsuite does, feature for feature."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.evaluation.conll import Document, Sentence, Span
from kg.extract import tagger, tagger_train
from kg.extract.sections import DEFAULT

#: Sentences written for this test: (text, [(first token, end token, label)]).
SENTENCES = [
    ("Backend Developer", []),
    ("Requirements", []),
    ("Solid experience with Java and Spring Boot", [(3, 4, "Knowledge"), (5, 7, "Knowledge")]),
    ("You know Kubernetes Helm Terraform and GitLab CI", [(2, 3, "Knowledge"), (3, 4, "Knowledge"),
                                                         (4, 5, "Knowledge"), (6, 8, "Knowledge")]),
    ("We build tools that help shops sell online", []),
    ("Our office has a great coffee machine", []),
    ("Nice to have: Rust or Go for systems programming", [(3, 4, "Knowledge"), (5, 6, "Knowledge"),
                                                          (7, 9, "Knowledge")]),
    ("Write clean tested code and review pull requests", [(0, 4, "Skill"), (5, 8, "Skill")]),
    ("A degree in computer science or physics", [(3, 5, "Knowledge"), (6, 7, "Knowledge")]),
    ("Familiarity with PostgreSQL Redis and message queues such as RabbitMQ",
     [(2, 3, "Knowledge"), (3, 4, "Knowledge"), (5, 7, "Knowledge"), (9, 10, "Knowledge")]),
    ("Experience in python and docker is a plus", [(2, 3, "Knowledge"), (4, 5, "Knowledge")]),
    ("We offer flexible hours and a yearly team trip", []),
]


def _document() -> Document:
    sentences = []
    for text, spans in SENTENCES:
        sentences.append(Sentence(text.split(), [Span(label, start, end) for start, end, label in spans]))
    return Document("written.conll", sentences)


def test_kg_decodes_the_weights_as_crfsuite_does(tmp_path: Path, vocab) -> None:  # noqa: ANN001
    """A CRF fitted on a few sentences: kg's numpy Viterbi gives CRFsuite's labels and its forward-backward
    CRFsuite's probabilities, on every token (so every feature the trainer sees, the decoder adds: words,
    neighbours, word pairs, the matcher's codes of the token and of its neighbours, the line's)."""
    pycrfsuite = pytest.importorskip("pycrfsuite")
    document = _document()
    traced = tagger_train.document_rows(document, vocab)
    rows = [row for _, _, row in traced]
    features = tagger.token_features(rows, vocab.skills)
    data = [(names, tagger_train.gold_tags(document, number, cleaned, row))
            for (number, cleaned, row), names in zip(traced, features) if names]
    model = tmp_path / "model.crfsuite"
    tagger_train.fit(data, model)
    weights = tmp_path / "tagger.bin.gz"
    weights.write_bytes(tagger_train.weights_file(model))
    ours = tagger.load(weights).read(rows, vocab.skills)
    theirs = pycrfsuite.Tagger()
    theirs.open(str(model))
    assert sum(map(len, features)) > 60
    assert any(ours.spans)  # the test fits something to read
    for line, names in enumerate(features):
        if not names:
            continue
        labels = [tagger.LABELS.index(label) for label in theirs.tag(names)]
        assert ours.spans[line] == tagger._spans(labels, 0, ours.token_spans[line]), rows[line].text
        inside = [1.0 - theirs.marginal("O", index) for index in range(len(names))]
        assert ours.inside[line] == pytest.approx(inside, abs=0.02), rows[line].text


def test_word_pairs_are_features() -> None:
    """The tagger reads a token with the word before and after it ("experience|with"), padded at the ends."""
    rows = [tagger.Row("experience with Java", (), DEFAULT, False)]
    [[first, _, last]] = tagger.token_features(rows, {})
    assert "b-=^|experience" in first and "b+=experience|with" in first
    assert "b-=with|java" in last and "b+=java|$" in last


def _reading(text: str, spans: list[tuple[int, int, str]]) -> tagger.Reading:
    words = tagger.tokens(text)
    inside = [1.0 if any(a < end and start < b for a, b, _ in spans) else 0.0 for start, end, _ in words]
    return tagger.Reading([spans], [words], [inside], [inside], [[0.0] * len(words)])


@pytest.mark.parametrize(("kind", "widened"), [("K", "Java EE 8"), ("S", "Java")])
def test_a_mention_widens_only_to_a_span_of_its_own_kind(vocab, kind: str, widened: str) -> None:  # noqa: ANN001
    """A technology's mention covers the knowledge span the tagger reads around it ("Java EE 8"), but not a
    skill phrase around it: the skill is the phrase, the technology stays the word."""
    from kg.extract.reading import read_with
    from kg.extract.scan import Findings, Mention
    from kg.namespaces import SKILL

    text = "build web services in Java EE 8"
    start = text.index("Java")
    around = (0, len(text)) if kind == "S" else (start, len(text))
    found = Findings(mentions={SKILL + "java": [Mention("required", 1, 1, None, 0, start, start + 4)]})
    read_with(_reading(text, [(*around, kind)]), {0}, found, vocab.skills)
    [mention] = found.mentions[SKILL + "java"]
    assert text[mention.start : mention.end] == widened


def _two_lines(first: float, second: float) -> tagger.Reading:
    """Two lines "We build Java tools" and "Experience with Java", each token of the first ``first`` likely in a
    span, of the second ``second``."""
    texts = ["We build Java tools", "Experience with Java"]
    words = [tagger.tokens(text) for text in texts]
    inside = [[first] * len(words[0]), [second] * len(words[1])]
    return tagger.Reading([[], []], words, inside, inside, [[0.0] * len(w) for w in words])


@pytest.mark.parametrize(("levels", "kept"), [(("required", "required"), [1]), (("preferred", "required"), [0, 1])])
def test_a_doubted_mention_falls_where_the_skill_stands_elsewhere(vocab, levels: tuple[str, str],  # noqa: ANN001
                                                                 kept: list[int]) -> None:
    """A mention the tagger doubts (below ``DOUBT``) is dropped when the posting names the skill, at the same level
    and as firmly, in a place it does not doubt: the skill and its level stay, only its doubtful place goes. At
    another level it stays (dropping it would change the level)."""
    from kg.extract.reading import DOUBT, read_with
    from kg.extract.scan import Findings, Mention
    from kg.namespaces import SKILL

    mentions = [Mention(levels[0], 1, 1, None, 0, 9, 13), Mention(levels[1], 1, 2, None, 1, 16, 20)]
    found = Findings(mentions={SKILL + "java": mentions})
    read_with(_two_lines(DOUBT / 2, 0.9), {0, 1}, found, vocab.skills)
    assert [m.row for m in found.mentions[SKILL + "java"]] == kept


def test_a_doubted_mention_stands_when_it_is_the_only_one(vocab) -> None:  # noqa: ANN001
    """Where the tagger doubts every place of a skill of kg's own, the skill stays (the seeds' annotators mark
    skills the tagger, fitted on SkillSpan, doubts): doubt only chooses among places."""
    from kg.extract.reading import DOUBT, read_with
    from kg.extract.scan import Findings, Mention
    from kg.namespaces import SKILL

    mentions = [Mention("required", 1, 1, None, 0, 9, 13), Mention("required", 1, 2, None, 1, 16, 20)]
    found = Findings(mentions={SKILL + "java": mentions})
    read_with(_two_lines(DOUBT / 2, DOUBT / 2), {0, 1}, found, vocab.skills)
    assert [m.row for m in found.mentions[SKILL + "java"]] == [0, 1]


@pytest.mark.parametrize(("text", "skill", "seam", "read", "unknown"), [
    ("Experience with Java frameworks daily", "Java", 0.05, "Java frameworks", []),
    ("Experience with Java frameworks daily", "Java", 0.5, "Java", ["frameworks"]),
    ("Experience with modern Java daily", "Java", 0.05, "modern Java", []),
    ("Experience with modern Java daily", "Java", 0.5, "Java", ["modern"]),
])
def test_a_likely_run_beside_a_mention_widens_it_where_the_span_goes_on(
    vocab, text: str, skill: str, seam: float, read: str, unknown: list[str]  # noqa: ANN001
) -> None:
    """Tokens beside a mention that the tagger finds likely in a span ("frameworks", "modern") are the rest of the
    mention's span where it reads the span going on across the seam (a span less likely begins there than goes
    on): the mention widens to them. Where a span more likely begins there, they stay a term of their own."""
    from kg.extract.reading import read_with
    from kg.extract.scan import Findings, Mention
    from kg.namespaces import SKILL

    words = tagger.tokens(text)
    start = text.index(skill)
    other = next(w for w in words if w[2] in ("frameworks", "modern"))
    inside = [0.9 if w[0] == start else 0.6 if w == other else 0.0 for w in words]
    later = other[0] if other[0] > start else start  # the token after the seam
    begins = [0.8 if w[0] == min(start, other[0]) else seam if w[0] == later else 0.0 for w in words]
    reading = tagger.Reading([[]], [words], [inside], [inside], [begins])
    found = Findings(mentions={SKILL + "java": [Mention("required", 1, 1, None, 0, start, start + len(skill))]})
    spans = read_with(reading, {0}, found, vocab.skills)
    [mention] = found.mentions[SKILL + "java"]
    assert text[mention.start : mention.end] == read
    assert [text[a:b] for _, a, b in spans] == unknown
