"""Score predicted spans against gold spans: precision, loose recall by overlap, strict span-F1.

Loose recall counts a gold span as found when any prediction overlaps it (the
measure of "did the extractor read this skill at all"); strict scores count a
prediction only when its tokens are exactly a gold span's, as span-F1 does in
the SkillSpan paper. Precision is the share of predictions that overlap a gold
span of any label.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from kg.evaluation.conll import Sentence, Span


@dataclass(frozen=True, slots=True)
class Prediction:
    """A predicted span of one sentence, with what it links to and the label its kind names (None: any label)."""

    sentence: int
    start: int
    end: int
    skill: str
    label: str | None = None


@dataclass(frozen=True, slots=True)
class Count:
    """A text (lower case), a label or skill, and how often it occurred."""

    text: str
    label: str
    count: int


def _ratio(part: int, whole: int) -> float:
    return part / whole if whole else 0.0


@dataclass
class LabelScore:
    """The scores of one label (a tag's type, such as Skill or Knowledge)."""

    label: str
    gold: int = 0
    found: int = 0
    one_token_gold: int = 0
    one_token_found: int = 0
    predicted: int = 0
    exact: int = 0

    @property
    def loose_recall(self) -> float:
        """The share of gold spans that a prediction overlaps."""
        return _ratio(self.found, self.gold)

    @property
    def one_token_recall(self) -> float:
        """Loose recall over the gold spans of one token (a single technology: "Java", "Kubernetes")."""
        return _ratio(self.one_token_found, self.one_token_gold)

    @property
    def precision(self) -> float:
        """Strict precision: the share of the predictions of this label that are exactly a gold span."""
        return _ratio(self.exact, self.predicted)

    @property
    def recall(self) -> float:
        """Strict recall: the share of gold spans predicted exactly."""
        return _ratio(self.exact, self.gold)

    @property
    def f1(self) -> float:
        """Strict span-F1."""
        return _ratio(2 * self.exact, self.predicted + self.gold)


@dataclass
class Score:
    """Everything one evaluation counted."""

    documents: int = 0
    sentences: int = 0
    tokens: int = 0
    predicted: int = 0
    overlapping: int = 0
    labels: dict[str, LabelScore] = field(default_factory=dict)
    misses: Counter[tuple[str, str]] = field(default_factory=Counter)
    false_positives: Counter[tuple[str, str]] = field(default_factory=Counter)
    candidates: int = 0
    candidates_overlapping: int = 0

    @property
    def candidate_precision(self) -> float:
        """The share of unknown-term candidates (``kg extract --unknown``) that overlap a gold span."""
        return _ratio(self.candidates_overlapping, self.candidates)

    def add_candidates(self, sentence: Sentence, spans: Sequence[tuple[int, int]]) -> None:
        """Count the unknown-term candidates (token spans) read in one sentence."""
        for start, end in spans:
            self.candidates += 1
            self.candidates_overlapping += any(g.start < end and start < g.end for g in sentence.spans)

    @property
    def precision(self) -> float:
        """The share of predictions that overlap a gold span of any label."""
        return _ratio(self.overlapping, self.predicted)

    def top_misses(self, top: int) -> list[Count]:
        """The most frequent gold spans that no prediction overlaps."""
        return _top(self.misses, top)

    def top_false_positives(self, top: int) -> list[Count]:
        """The most frequent predictions that overlap no gold span, with the skill they linked to."""
        return _top(self.false_positives, top)

    def add(self, sentence: Sentence, predictions: Sequence[Prediction], labels: Iterable[str]) -> None:
        """Count one sentence: its gold spans (of ``labels``) against the predictions made in it."""
        chosen = set(labels)
        gold = [span for span in sentence.spans if span.label in chosen]
        self.sentences += 1
        self.tokens += len(sentence.tokens)
        unique = {(p.start, p.end): p for p in reversed(predictions)}  # one prediction per span: the first
        exact = {(span.start, span.end, span.label) for span in gold}
        for span in gold:
            score = self.labels.setdefault(span.label, LabelScore(span.label))
            found = any(p.start < span.end and span.start < p.end for p in unique.values())
            score.gold += 1
            score.found += found
            if span.end - span.start == 1:
                score.one_token_gold += 1
                score.one_token_found += found
            if not found:
                self.misses[(_text(sentence, span.start, span.end), span.label)] += 1
        for (start, end), prediction in sorted(unique.items()):
            self.predicted += 1
            if any(span.start < end and start < span.end for span in gold):
                self.overlapping += 1
            else:
                self.false_positives[(_text(sentence, start, end), prediction.skill)] += 1
            named = [label for label in chosen if prediction.label and label.casefold() == prediction.label.casefold()]
            for label in named or sorted(chosen):  # a prediction of no known kind counts for every label
                score = self.labels.setdefault(label, LabelScore(label))
                score.predicted += 1
                score.exact += (start, end, label) in exact


def _text(sentence: Sentence, start: int, end: int) -> str:
    return " ".join(sentence.tokens[start:end]).casefold()


def _top(counts: Counter[tuple[str, str]], top: int) -> list[Count]:
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return [Count(text, label, count) for (text, label), count in ranked[:top]]


def spans_of(sentences: Sequence[Sentence]) -> dict[str, int]:
    """The number of gold spans of each label."""
    counts: dict[str, int] = defaultdict(int)
    for sentence in sentences:
        for span in sentence.spans:
            counts[span.label] += 1
    return dict(counts)


def token_range(offsets: Sequence[tuple[int, int]], start: int, end: int) -> tuple[int, int] | None:
    """The tokens (``start``, ``end`` exclusive) that the character span ``start:end`` of a sentence covers."""
    covered = [index for index, (a, b) in enumerate(offsets) if a < end and start < b]
    return (covered[0], covered[-1] + 1) if covered else None


__all__ = ["Count", "LabelScore", "Prediction", "Score", "Span", "spans_of", "token_range"]
