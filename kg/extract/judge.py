"""Does a vocabulary label read in a posting name a skill it asks for? A small linear model decides.

Each mention of a taxonomy's skill (ESCO's, O*NET's) that the rules accept is described by a few
features (where its label comes from, how it is written, the words around it, the kind of sentence
it sits in) and scored by a logistic model trained on SkillSpan's train splits (``python -m
kg.extract.judge_train``); mentions that score below the threshold are dropped. kg's own skills
stay with the rules, which the seed annotations measure. The weights ship in ``data/vocabulary/mention-model.json``
(a few hundred kilobytes, derived from MIT-licensed data); scoring is a dictionary lookup per
feature, so it costs little next to matching.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from functools import cache, lru_cache

from kg import resources
from kg.extract.context import Match
from kg.namespaces import ESCO_DATA, ONET, SKILL

MODEL = ("vocabulary", "mention-model.json")
_COMPANY_VOICE = re.compile(r"\b(?:we|our|us)\b", re.IGNORECASE)
_READER = re.compile(r"\b(?:you|your)\b", re.IGNORECASE)


def _shape(written: str) -> str:
    if written.islower():
        return "lower"
    if written.isupper():
        return "upper"
    if written.istitle():
        return "title"
    return "mixed"


def _source(iri: str, kind: str | None) -> str:
    if iri.startswith(SKILL):
        return "kg"
    if iri.startswith(ONET):
        return "onet"
    return f"esco-{kind}" if iri.startswith(ESCO_DATA) else "other"


def features(text: str, match: Match, kind: str | None, explicit: bool) -> list[str]:
    """The features of a mention: ``text`` is its clause's line, ``explicit`` whether a header or cue set its level."""
    written = text[match.start : match.end]
    before = text[max(0, match.start - 30) : match.start].split()
    after = text[match.end : match.end + 30].split()
    previous = before[-1].strip(_PUNCTUATION).casefold() if before else "^"
    following = after[0].strip(_PUNCTUATION).casefold() if after else "$"
    return [
        "bias",
        "src=" + _source(match.iri, kind),
        "shape=" + _shape(written),
        "n=" + str(min(3, written.count(" ") + 1)),
        "amb=" + str(int(match.ambiguous)),
        "label=" + written.casefold(),
        "w-1=" + (previous or "^"),
        "w+1=" + (following or "$"),
        "explicit=" + str(int(explicit)),
        *_line(text),
        "first=" + str(int(not text[: match.start].strip(" \t-*•:"))),
    ]


_PUNCTUATION = ".,;:!?()[]{}\"'"


@lru_cache(maxsize=64)
def _line(text: str) -> tuple[str, str, str]:
    """The features of a mention's line: company voice, words to the reader, length."""
    words = text.count(" ") + 1
    return (
        "we=" + str(int(_COMPANY_VOICE.search(text) is not None)),
        "you=" + str(int(_READER.search(text) is not None)),
        "len=" + ("short" if words <= 6 else "medium" if words <= 20 else "long"),
    )


@dataclass(frozen=True)
class Judge:
    """A logistic model over mention features, and the threshold below which a mention is dropped."""

    weights: dict[str, float]
    threshold: float

    def probability(self, names: list[str]) -> float:
        score = sum(self.weights.get(name, 0.0) for name in names)
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, score))))

    def keep(self, text: str, match: Match, kind: str | None, explicit: bool) -> bool:
        return self.probability(features(text, match, kind, explicit)) >= self.threshold


@cache
def bundled_judge() -> Judge | None:
    """The shipped model (None when the file is missing: every mention the rules accept is kept)."""
    path = resources.data_file(*MODEL)
    if not path.is_file():
        return None
    document = json.loads(path.read_text(encoding="utf-8"))
    return Judge(document["weights"], document["threshold"])
