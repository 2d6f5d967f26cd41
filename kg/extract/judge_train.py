"""Train the mention judge on SkillSpan's train splits: ``python -m kg.extract.judge_train``.

Every mention the rules accept in a train posting is an example: positive when it overlaps a
labelled span (skill or knowledge), negative otherwise. The model is a logistic regression with
an L2 penalty, fitted by full-batch gradient descent from zero weights (so the same data gives the
same weights, byte for byte); the threshold is the model's decision boundary, 0.5. The dev splits
only measure it (``kg eval``); nothing of the test splits is used.
"""

from __future__ import annotations

import json
import math
import sys
from collections.abc import Iterable
from pathlib import Path

from kg import resources
from kg.evaluation.conll import read_conll
from kg.evaluation.score import token_range
from kg.extract.clean import clean
from kg.extract.judge import MODEL
from kg.extract.pipeline import analyse_block
from kg.extract.readers import whole_text_block
from kg.extract.vocabulary import Vocabulary, load_vocabulary

#: Below this probability a taxonomy's mention is dropped (the model's own decision boundary, not tuned).
THRESHOLD = 0.5
L2 = 1.0
ROUNDS = 300
RATE = 0.5
MIN_COUNT = 2  # a feature seen fewer times in train gets no weight


def examples(paths: Iterable[Path], vocab: Vocabulary) -> list[tuple[list[str], bool]]:
    """(features, overlaps a labelled span) of every mention the rules accept in the files."""
    out: list[tuple[list[str], bool]] = []
    for path in paths:
        for document in read_conll(path):
            lines = [sentence.text for sentence in document.sentences]
            trace: list[tuple[list[str], int, int, int]] = []
            analyse_block(whole_text_block(document.name, lines), vocab, trace=trace)
            for names, line, start, end in trace:
                sentence = document.sentences[line - 1]
                first, last = clean(sentence.text).span(start, end)
                tokens = token_range(sentence.offsets(), first, last)
                hit = tokens is not None and any(s.start < tokens[1] and tokens[0] < s.end for s in sentence.spans)
                out.append((names, hit))
    return out


def fit(data: list[tuple[list[str], bool]]) -> dict[str, float]:
    """Logistic regression weights (L2-penalised, full-batch gradient descent from zero)."""
    counts: dict[str, int] = {}
    for names, _ in data:
        for name in names:
            counts[name] = counts.get(name, 0) + 1
    kept = sorted(name for name, count in counts.items() if count >= MIN_COUNT or name == "bias")
    index = {name: number for number, name in enumerate(kept)}
    rows = [([index[n] for n in names if n in index], 1.0 if hit else 0.0) for names, hit in data]
    weights = [0.0] * len(kept)
    size = len(rows)
    for _ in range(ROUNDS):
        gradient = [0.0] * len(kept)
        for features, target in rows:
            score = sum(weights[f] for f in features)
            error = 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, score)))) - target
            for f in features:
                gradient[f] += error
        for f in range(len(kept)):
            weights[f] -= RATE * (gradient[f] / size + L2 * weights[f] / size)
    return {name: round(weights[number], 5) for name, number in index.items() if abs(weights[number]) > 1e-5}


def main() -> None:
    train = train_examples(Path("..") / "shared" / "data" / "skillspan")
    target = resources.data_file(*MODEL)
    target.write_text(render(train), encoding="utf-8")
    sys.stdout.write(f"{target}: {len(train)} train examples\n")


def render(train: list[tuple[list[str], bool]]) -> str:
    """The model file: the weights fitted on ``train`` and the threshold."""
    document = {"about": "Mention judge fitted by kg.extract.judge_train on SkillSpan's train splits (MIT licence).",
                "threshold": THRESHOLD, "weights": dict(sorted(fit(train).items()))}
    return json.dumps(document, ensure_ascii=False, indent=0) + "\n"


def train_examples(folder: Path) -> list[tuple[list[str], bool]]:
    """The examples of SkillSpan's TECH and HOUSE train splits in ``folder``."""
    return examples([folder / "skillspan_tech_train.conll", folder / "skillspan_house_train.conll"], load_vocabulary())


if __name__ == "__main__":
    main()
