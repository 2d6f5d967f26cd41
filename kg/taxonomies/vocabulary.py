"""An imported taxonomy as the extractor's skill vocabulary (``kg extract --vocab esco|onet``)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace

import pyoxigraph as ox

from kg.errors import UsageError
from kg.extract.vocabulary import Concept, Vocabulary, load_vocabulary
from kg.taxonomies.imports import imported, taxonomy_labels

#: Labels this short are everyday tokens too (ESCO's "Go", O*NET's "R"): they count only in a skill context.
SHORT = 3


def taxonomy_vocabulary(db: ox.Store, taxonomy: str) -> Vocabulary:
    """kg's vocabulary with the skills replaced by the imported taxonomy's skills and their labels.

    Roles, domains and companies stay kg's, so titles still normalise to kg's roles. A
    taxonomy label that kg marks ambiguous (Go, Spark) or that is very short needs a
    skill context, as kg's own ambiguous labels do.

    Raises:
        UsageError: the taxonomy is unknown or not imported in this store.
    """
    if taxonomy not in imported(db):
        raise UsageError(f"{taxonomy} is not imported in this store: run `kg import {taxonomy} PATH` first")
    ours = load_vocabulary()
    everyday = {label.casefold() for concept in ours.skills.values() for label in concept.ambiguous}
    preferred: dict[str, str] = {}
    others: dict[str, list[str]] = defaultdict(list)
    for label in taxonomy_labels(db, taxonomy, kind="Skill"):
        if label.is_pref:
            preferred[label.iri] = label.label
        else:
            others[label.iri].append(label.label)
    skills = {}
    for iri in sorted(preferred):
        alts = tuple(sorted(set(others[iri]) - {preferred[iri]}))
        ambiguous = frozenset(label for label in (preferred[iri], *alts)
                              if label.casefold() in everyday or len(label) <= SHORT)
        skills[iri] = Concept(iri, preferred[iri], alts, ambiguous)
    return replace(ours, skills=skills, cache={}, chosen=True)
