"""Other spellings of a label that mean the same skill.

The plural or singular of its last word ("neural network(s)"), its last word as
a verb ("debugging" -> "debug"), and one-word altLabels that drop the
qualifier of their prefLabel ("optimization" for "Mathematical optimization"),
which are everyday words too and so need a skill context.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kg.extract.vocabulary import Concept

_NOT_VERBAL = {
    "engineering", "learning", "computing", "marketing", "processing", "programming", "networking", "mining",
    "manufacturing", "building", "routing", "tuning", "modeling", "modelling", "writing", "planning", "testing",
    "scheduling", "clustering", "streaming", "training", "housing", "pricing", "accounting", "banking", "presenting",
}
_UNCOUNTED = ("work", "ware", "ing", "ness", "ics", "ity", "ship")


def number_variants(label: str) -> list[str]:
    """The label with its last word in the other grammatical number ("neural network(s)")."""
    head, _, last = label.rpartition(" ")
    if not last.isalpha() or len(last) < 3 or last.lower().endswith(_UNCOUNTED):
        return []
    lower = last.lower()
    if len(last) >= 3 and last.endswith("s") and last[:-1].isupper():
        forms = [last[:-1]]
    elif last.isupper():
        forms = [last + "s"] if len(last) >= 2 else []
    elif lower.endswith("ies") and len(lower) > 4:
        forms = [last[:-3] + "y"]
    elif lower.endswith("s") and not lower.endswith(("ss", "us", "is")) and len(lower) > 4:
        forms = [last[:-1]]
    elif lower.endswith("y") and lower[-2:-1] not in "aeiou":
        forms = [last[:-1] + "ies"]
    elif lower.endswith(("s", "x", "ch", "sh")):
        forms = [last + "es"]
    else:
        forms = [last + "s"]
    return [f"{head} {form}" if head else form for form in forms]


def verb_variants(label: str) -> list[str]:
    """The label with its last word as a verb: "debugging" -> "debug", "communication" -> "communicate"."""
    head, _, last = label.rpartition(" ")
    lower = last.lower()
    if not last.isalpha() or not last[1:].islower() or lower in _NOT_VERBAL:
        return []
    if lower.endswith("ication") and len(lower) > 9:
        forms = [last[:-3] + "e", last[:-3] + "es", last[:-3] + "ing"]
    elif lower.endswith("ing") and len(lower) >= 7 and lower[-4] not in "aeiou":
        stem = last[:-3]
        if len(stem) > 3 and stem[-1] == stem[-2] and stem[-1] not in "ls":
            stem = stem[:-1]
        forms = [stem, stem + "s"]
    else:
        return []
    return [f"{head} {form}" if head else form for form in forms]


def generic_heads(concept: Concept) -> list[str]:
    """One-word lower-case altLabels that drop the qualifier of a longer prefLabel.

    "optimization" for "Mathematical optimization" is an everyday word too, so
    it is treated like an ambiguous label and needs a skill context.
    """
    words = concept.label.casefold().split()
    if len(words) < 2 or "and" in words:  # "Monitoring and observability" joins two names: no qualifier
        return []
    heads = (words[0], words[-1])
    return [a for a in concept.alt_labels if a.islower() and " " not in a and any(_same_word(a, h) for h in heads)]


def _same_word(word: str, head: str) -> bool:
    """The same word, or another spelling or form of it: "optimisation" for "optimization"."""
    return word == head or (len(word) >= 7 and len(head) >= 7 and word[:6] == head[:6])
