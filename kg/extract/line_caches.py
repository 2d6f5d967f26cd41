"""The bounded caches of what extraction computes per line, emptied at once.

Extraction keeps, per text of a line or segment, what it computed (matches, clean form, headers,
the scan's mentions, the tagger's reading), so that a line read again (a company's boilerplate,
a large text's repeated lines) costs a look-up. Each cache is bounded, so memory stays flat.
Emptying them changes no output: benchmarks do, so as to time reading text for the first time.
"""

from __future__ import annotations

from kg.extract import clean as clean_module
from kg.extract import pipeline, scan, sections
from kg.extract import tagger as tagger_module
from kg.extract.matcher import LabelMatcher
from kg.extract.tagger import bundled_tagger
from kg.extract.vocabulary import Vocabulary


def clear_line_caches(vocab: Vocabulary | None = None) -> None:
    """Empty every per-line cache of extraction (those of ``vocab``'s matchers too)."""
    for value in (vocab.cache.values() if vocab is not None else ()):
        if isinstance(value, LabelMatcher):
            value.forget()
    tagger_module.forget_line_facts()
    tagger = bundled_tagger()
    if tagger is not None:
        tagger.forget_lines()
    scan.forget_segments()
    clean_module._kept_clean.cache_clear()
    sections._kept_split.cache_clear()
    pipeline.forget_titles()
