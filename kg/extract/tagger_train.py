"""Train the tagger on SkillSpan's train splits: ``python -m kg.extract.tagger_train [FOLDER]``.

SkillSpan (Zhang, Jensen, Sonniks and Plank, NAACL 2022; MIT licence, copyright Mike Zhang) labels
knowledge spans (technologies, fields: "Java", "computer science") and skill spans (phrases) in job
postings. Each train split (TECH and HOUSE) is read exactly as ``kg eval`` reads a CoNLL file: one
plain-text posting, a sentence a line, through the pipeline, which hands over the lines as the tagger
sees them at run time (clean text, the vocabulary's matches, the section). Each token's tag comes from
the gold spans its characters fall in (knowledge wins where a knowledge span sits inside a skill span).

The CRF is fitted by CRFsuite (``python-crfsuite``, needed only here) with L-BFGS, L1 and L2 penalties,
from the same data in the same order, so the same weights come out every run; the weights file is
written with its features sorted and no time stamp. The dev splits only measure the result
(``kg eval``); the test splits are not used, nor on this machine.
"""

from __future__ import annotations

import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path

import numpy as np

from kg import resources
from kg.evaluation.conll import Document, read_conll
from kg.extract.clean import Cleaned
from kg.extract.tagger import LABELS, MODEL, Row, render, token_features, tokens
from kg.extract.vocabulary import Vocabulary, load_vocabulary
from kg.fileio import write_bytes_atomic

#: CRFsuite's settings, chosen on the dev splits.
PARAMETERS = {"c1": 0.2, "c2": 0.05, "max_iterations": 300, "feature.possible_transitions": True}
SPLITS = ("skillspan_tech_train.conll", "skillspan_house_train.conll")
ABOUT = ("kg's CRF tagger, fitted by kg.extract.tagger_train on the train splits of SkillSpan "
         "(Zhang et al., NAACL 2022; MIT licence, copyright (c) 2023 Mike Zhang).")


def document_rows(document: Document, vocab: Vocabulary) -> list[tuple[int, Cleaned, Row]]:
    """The lines of a document as the pipeline hands them to the tagger: (sentence number, clean form, row)."""
    from kg.extract.pipeline import analyse_block
    from kg.extract.readers import whole_text_block

    trace: list[tuple[int, Cleaned, Row]] = []
    analyse_block(whole_text_block(document.name, [s.text for s in document.sentences]), vocab, trace=trace)
    return trace


def gold_tags(document: Document, number: int, cleaned: Cleaned, row: Row) -> list[str]:
    """The tag of each token of a row, from the gold spans of its sentence."""
    sentence = document.sentences[number - 1]
    offsets = sentence.offsets()
    spans = sorted(sentence.spans, key=lambda s: s.label != "Knowledge")  # knowledge first: it wins
    tags = []
    for start, end, _ in tokens(row.text):
        first, last = cleaned.span(start, end)
        tag = "O"
        for span in spans:
            begin, finish = offsets[span.start][0], offsets[span.end - 1][1]
            if begin <= first and last <= finish:
                kind = "K" if span.label == "Knowledge" else "S"
                tag = ("B-" if first == begin else "I-") + kind
                break
        tags.append(tag)
    return _repaired(tags)


def _repaired(tags: list[str]) -> list[str]:
    """BIO tags where an ``I`` never follows ``O`` or another kind (a token split off a gold token starts a span)."""
    out: list[str] = []
    for index, tag in enumerate(tags):
        if tag.startswith("I-") and (index == 0 or out[-1][2:] != tag[2:]):
            tag = "B-" + tag[2:]
        out.append(tag)
    return out


def examples(paths: Iterable[Path], vocab: Vocabulary) -> list[tuple[list[list[str]], list[str]]]:
    """(token features, tags) of every non-empty line of the files."""
    out: list[tuple[list[list[str]], list[str]]] = []
    for path in paths:
        for document in read_conll(path):
            traced = document_rows(document, vocab)
            rows = [row for _, _, row in traced]
            for (number, cleaned, row), features in zip(traced, token_features(rows, vocab.skills)):
                if features:
                    out.append((features, gold_tags(document, number, cleaned, row)))
    return out


def train(data: list[tuple[list[list[str]], list[str]]]) -> bytes:
    """The weights file of a CRF fitted on ``data``."""
    with tempfile.TemporaryDirectory() as folder:
        model = Path(folder) / "model.crfsuite"
        fit(data, model)
        return weights_file(model)


def fit(data: list[tuple[list[list[str]], list[str]]], model: Path) -> None:
    """Fit a CRF on ``data`` with CRFsuite (:data:`PARAMETERS`) and write CRFsuite's model file ``model``."""
    import pycrfsuite  # type: ignore[import-untyped]

    trainer = pycrfsuite.Trainer(verbose=False)
    for features, tags in data:
        trainer.append(features, tags)
    trainer.set_params(PARAMETERS)
    trainer.train(str(model))


def weights_file(model: Path) -> bytes:
    """kg's weights file (:func:`kg.extract.tagger.render`) of CRFsuite's model file ``model``."""
    import pycrfsuite

    tagger = pycrfsuite.Tagger()
    tagger.open(str(model))
    info = tagger.info()
    tagger.close()
    column = {label: number for number, label in enumerate(LABELS)}
    by_name: dict[str, np.ndarray] = {}
    for (name, label), weight in info.state_features.items():
        by_name.setdefault(name, np.zeros(len(LABELS)))[column[label]] = weight
    names = sorted(name for name, row in by_name.items() if np.any(np.abs(row) >= 1e-6))
    weights = np.array([by_name[name] for name in names]).reshape(len(names), len(LABELS))
    transitions = np.zeros((len(LABELS), len(LABELS)))
    for (before, after), weight in info.transitions.items():
        transitions[column[before], column[after]] = weight
    return render(names, weights, transitions, ABOUT)


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    folder = Path(args[0]) if args else Path("..") / "shared" / "data" / "skillspan"
    data = examples([folder / name for name in SPLITS], load_vocabulary())
    target = resources.data_file(*MODEL)
    write_bytes_atomic(target, train(data))
    sys.stdout.write(f"{target}: fitted on {len(data):,} lines of {', '.join(SPLITS)}\n")


if __name__ == "__main__":
    main()
