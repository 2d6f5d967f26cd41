"""Choose the reading thresholds by cross-validation on SkillSpan's train splits, never on dev.

The tagger's probabilities on the text it was fitted on are too sure of themselves, so thresholds chosen
there would be too; and the dev splits only measure. So each train split (TECH and HOUSE) is cut into runs
of :data:`CHUNK` sentences, numbered alternately into two folds; a tagger is fitted (as
``python -m kg.extract.tagger_train`` fits the shipped one) on one fold and reads the other, read as
``kg eval`` reads a file (the fold's sentences, one plain-text posting). The scores of both folds are
pooled, for each pair of :data:`kg.extract.reading.UNKNOWN` (how likely a token must be in a span to be
read as an unknown term) and :data:`kg.extract.reading.DOUBT` (below which a mention of a skill read with
more confidence elsewhere in the posting is dropped) in the grid.

The rule that picks: the most precision on TECH, with no recall lost against the settings of before
(UNKNOWN 0.25, DOUBT 0): neither TECH's one-token knowledge recall nor HOUSE's knowledge loose recall
may fall below theirs.

    python scripts/tagger_cv.py [SKILLSPAN-FOLDER]     # a few minutes: two taggers fitted, then the grid
    python scripts/tagger_cv.py --current [FOLDER]     # the figures of the shipped thresholds only (train's figures)
"""

from __future__ import annotations

import itertools
import sys
import tempfile
from pathlib import Path
from unittest import mock

from kg.evaluation import predict
from kg.evaluation.conll import Document, read_conll
from kg.evaluation.score import Score
from kg.extract import reading
from kg.extract import tagger as tagging
from kg.extract.tagger_train import SPLITS, document_rows, gold_tags, train
from kg.extract.vocabulary import Vocabulary, load_vocabulary

#: Sentences in a run; runs alternate between the folds (SkillSpan's postings are 20 to 60 sentences).
CHUNK = 40
#: The thresholds tried.
UNKNOWNS = (0.1, 0.15, 0.2, 0.25, 0.3)
DOUBTS = (0.0, 0.02, 0.03, 0.05, 0.1)
BEFORE = (0.25, 0.0)


def fold(document: Document, number: int) -> Document:
    """The sentences of fold ``number`` (0 or 1) of a document."""
    return Document(document.name, [s for i, s in enumerate(document.sentences) if (i // CHUNK) % 2 == number])


def fitted(documents: list[Document], vocab: Vocabulary) -> tagging.Tagger:
    """A tagger fitted on ``documents`` with the shipped tagger's features and settings."""
    data = []
    for document in documents:
        traced = document_rows(document, vocab)
        rows = [row for _, _, row in traced]
        for (number, cleaned, row), features in zip(traced, tagging.token_features(rows, vocab.skills)):
            if features:
                data.append((features, gold_tags(document, number, cleaned, row)))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "tagger.bin.gz"
        path.write_bytes(train(data))
        return tagging.load(path)


def scores(splits: dict[str, Document], taggers: list[tagging.Tagger], vocab: Vocabulary) -> dict[str, Score]:
    """Each split's pooled score: fold ``n`` read by the tagger fitted on the other fold."""
    out = {}
    for name, document in splits.items():
        score = Score()
        for number, tagger in enumerate(taggers):
            part = fold(document, number)
            with mock.patch("kg.extract.pipeline.bundled_tagger", return_value=tagger):
                predicted = predict(part, vocab)
            for sentence, predictions in zip(part.sentences, predicted):
                score.add(sentence, predictions, ["Knowledge", "Skill"])
        out[name] = score
    return out


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    current = "--current" in args
    args = [arg for arg in args if arg != "--current"]
    folder = Path(args[0]) if args else Path("..") / "shared" / "data" / "skillspan"
    vocab = load_vocabulary()
    splits = {name.split("_")[1]: read_conll(folder / name)[0] for name in SPLITS}
    taggers = [fitted([fold(d, 1 - number) for d in splits.values()], vocab) for number in (0, 1)]
    rows = {}
    for unknown, doubt in [(reading.UNKNOWN, reading.DOUBT)] if current else itertools.product(UNKNOWNS, DOUBTS):
        with mock.patch.object(reading, "UNKNOWN", unknown), mock.patch.object(reading, "DOUBT", doubt):
            result = scores(splits, taggers, vocab)
        tech, house = result["tech"], result["house"]
        knowledge, house_knowledge = tech.labels["Knowledge"], house.labels["Knowledge"]
        rows[(unknown, doubt)] = (tech.precision, knowledge.loose_recall, knowledge.one_token_recall, knowledge.f1,
                                  house.precision, house_knowledge.loose_recall)
        sys.stdout.write(f"UNKNOWN {unknown:.2f} DOUBT {doubt:.2f}: TECH P {tech.precision:.3f} loose R "
                         f"{knowledge.loose_recall:.3f} one-token R {knowledge.one_token_recall:.3f} strict F1 "
                         f"{knowledge.f1:.3f} | HOUSE P {house.precision:.3f} loose R "
                         f"{house_knowledge.loose_recall:.3f} strict F1 {house_knowledge.f1:.3f}\n")
    if current:
        return
    before = rows[BEFORE]
    allowed = [key for key, row in rows.items() if row[2] >= before[2] and row[5] >= before[5]]
    unknown, doubt = max(allowed, key=lambda key: (rows[key][0], key))
    sys.stdout.write(f"chosen: UNKNOWN {unknown} DOUBT {doubt}\n")


if __name__ == "__main__":
    main()
