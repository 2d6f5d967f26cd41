"""``kg eval``: score extraction against BIO-tagged CoNLL files (SkillSpan's layout by default).

Each document (a file, or the part between ``-DOCSTART-`` lines) is read as one
plain-text posting, one sentence a line, exactly as ``kg extract`` reads a text
file. Every place a skill was read (its mentions, with line and columns) becomes a
predicted span of tokens, scored by :class:`~kg.evaluation.score.Score`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kg.errors import UsageError
from kg.evaluation.conll import Document, Layout, read_conll
from kg.evaluation.score import Count, LabelScore, Prediction, Score, token_range
from kg.extract.vocabulary import Vocabulary, load_vocabulary

__all__ = ["UNKNOWN", "Evaluation", "Layout", "evaluate", "predict"]

#: What a prediction of a span that links to no skill (an unknown term) names.
UNKNOWN = "(unknown term)"


@dataclass
class Evaluation:
    """What ``kg eval`` found: the files, the scores, and the top misses and false positives."""

    files: list[str]
    score: Score
    labels: list[str]
    top: int = 20
    unknown: bool = False

    @property
    def per_label(self) -> list[LabelScore]:
        """The scores of each evaluated label, in the order asked for."""
        return [self.score.labels.get(label) or LabelScore(label) for label in self.labels]

    @property
    def misses(self) -> list[Count]:
        return self.score.top_misses(self.top)

    @property
    def false_positives(self) -> list[Count]:
        return self.score.top_false_positives(self.top)

    def to_json(self) -> dict[str, Any]:
        """The evaluation as one JSON document (ratios rounded to 4 places)."""
        score = self.score
        return {
            "files": self.files,
            "documents": score.documents,
            "sentences": score.sentences,
            "tokens": score.tokens,
            "predicted": score.predicted,
            "precision": round(score.precision, 4),
            "labels": {
                s.label: {
                    "gold": s.gold,
                    "loose_recall": round(s.loose_recall, 4),
                    "one_token_gold": s.one_token_gold,
                    "one_token_recall": round(s.one_token_recall, 4),
                    "strict": {"predicted": s.predicted, "exact": s.exact, "precision": round(s.precision, 4),
                               "recall": round(s.recall, 4), "f1": round(s.f1, 4)},
                }
                for s in self.per_label
            },
            "misses": [{"text": c.text, "label": c.label, "count": c.count} for c in self.misses],
            "false_positives": [{"text": c.text, "skill": c.label, "count": c.count} for c in self.false_positives],
            **({"unknown": {"candidates": score.candidates, "precision": round(score.candidate_precision, 4)}}
               if self.unknown else {}),
        }


def evaluate(
    paths: Sequence[str | Path],
    *,
    layout: Layout | None = None,
    labels: Sequence[str] | None = None,
    vocab: Vocabulary | None = None,
    top: int = 20,
    unknown: bool = False,
) -> Evaluation:
    """Score extraction on CoNLL files.

    Args:
        paths: the CoNLL files.
        layout: which columns hold the token and the tags.
        labels: the labels to score (default: every label the files use), as in the tags (``Skill``).
        vocab: the vocabulary to extract with; the bundled one by default.
        top: how many misses and false positives to keep.
        unknown: also score the unknown-term candidates (``kg extract --unknown``): their precision.

    Raises:
        InputError: a file is missing, unreadable or malformed.
        UsageError: a label asked for does not occur in the files.
    """
    vocab = vocab or load_vocabulary()
    documents = [document for path in paths for document in read_conll(Path(path), layout or Layout())]
    present = sorted({span.label for d in documents for s in d.sentences for span in s.spans})
    chosen = list(labels) if labels else present
    missing = [label for label in chosen if label not in present]
    if missing:
        found = ", ".join(present) or "none"
        raise UsageError(f"no span in the files has the label {missing[0]!r}; they have: {found}")
    score = Score()
    for document in documents:
        score.documents += 1
        predicted = predict(document, vocab)
        for sentence, predictions in zip(document.sentences, predicted):
            score.add(sentence, predictions, chosen)
        if unknown:  # the candidates of the rules, and the unknown terms the tagger read
            for sentence, spans, predictions in zip(document.sentences, candidates(document, vocab), predicted):
                read = [(p.start, p.end) for p in predictions if p.skill == UNKNOWN]
                score.add_candidates(sentence, sorted(set(spans) | set(read)))
    return Evaluation([str(p) for p in paths], score, chosen, top, unknown)


def candidates(document: Document, vocab: Vocabulary) -> list[list[tuple[int, int]]]:
    """The token spans of the unknown-term candidates (``kg extract --unknown``) in each sentence."""
    from kg.extract.clean import clean
    from kg.extract.unknown import spans

    cleaned = [clean(sentence.text) for sentence in document.sentences]
    out: list[list[tuple[int, int]]] = [[] for _ in cleaned]
    for row, start, end, _ in spans([c.text for c in cleaned], vocab.matcher("skills")):
        first, last = cleaned[row].span(start, end)
        tokens = token_range(document.sentences[row].offsets(), first, last)
        if tokens is not None:
            out[row].append(tokens)
    return out


def predict(document: Document, vocab: Vocabulary) -> list[list[Prediction]]:
    """The spans extraction reads in each sentence of a document (read as one plain-text posting)."""
    from kg.extract.pipeline import analyse_block
    from kg.extract.readers import whole_text_block

    lines = [sentence.text for sentence in document.sentences]
    posting = analyse_block(whole_text_block(document.name, lines), vocab)
    out: list[list[Prediction]] = [[] for _ in lines]
    offsets: dict[int, list[tuple[int, int]]] = {}
    read = [(m.label, getattr(vocab.skills.get(m.iri), "kind", None), m.mentions) for m in posting.skills]
    read.append((UNKNOWN, "knowledge", tuple(posting.unknown)))
    for label, kind, spans in read:
        for span in spans:
            row = span.line - 1
            if not 0 <= row < len(lines):
                continue  # a title outside the text cannot happen in plain text; be safe
            if row not in offsets:
                offsets[row] = document.sentences[row].offsets()
            tokens = token_range(offsets[row], span.start, span.end)
            if tokens is not None:
                out[row].append(Prediction(row, tokens[0], tokens[1], label, kind))
    for predictions in out:
        predictions.sort(key=lambda p: (p.start, p.end))
    return out
