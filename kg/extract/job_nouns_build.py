"""Derive the nouns that name a job from ESCO and O*NET: ``python -m kg.extract.job_nouns_build``.

A job noun is the head of an occupation's title, its last word before a qualifier ("registered nurse",
"lecturer in physics", "Accountants and Auditors"), in the singular. A word is kept with evidence that it
names a job, not a thing a title speaks of: it ends at least ``MIN_TITLES`` distinct titles, titles of both
taxonomies; some title is that word alone ("Chemist", "nurse"); it is no everyday word (``wordfreq``: "man",
"member" end titles too); and fewer skill and technology names end in it than half as many as titles do
("server", "scanner" name machines more often than jobs). Only the words are kept, no title.

Needs the ``build`` extra (``pip install -e '.[build]'``) and the releases in ``../shared/data``.
"""

from __future__ import annotations

import re
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from pathlib import Path

from kg import resources
from kg.taxonomies import imports
from kg.taxonomies.sources import csv_rows, xlsx_rows

#: Where the list lives in ``data/``.
JOB_NOUNS_FILE = Path("vocabulary") / "job-nouns.txt"
#: A head word must end at least this many distinct titles.
MIN_TITLES = 3
#: A head word at least this frequent in English (Zipf scale: 5 is "director", "member") is an everyday word.
EVERYDAY = 5.0
#: Shorter head words are initials ("PA", "RN", "PM"), too often something else in a posting.
SHORTEST = 3
_PARENTHESIS = re.compile(r"\s*\([^()]*\)")
#: Where a title's head ends: a qualifier after a preposition, a conjunction, a dash or a comma follows it.
_QUALIFIER = re.compile(
    r"\s+(?:in|of|for|at|with|to|on|responsible|specialising|specialized|specializing|and|or|-|–)\s+.*$|\s*[,;:].*$",
    re.IGNORECASE,
)
HEADER = (
    "# Job nouns: the last words of occupation titles, derived by kg.extract.job_nouns_build from ESCO v1.1.1\n"
    "# and O*NET 29.2 (single words only). This service uses the ESCO classification of the European Commission.\n"
    "# O*NET 29.2 Database by the U.S. Department of Labor, Employment and Training Administration (USDOL/ETA),\n"
    "# used under the CC BY 4.0 licence; kg modified it (head words only, filtered).\n"
)


def titles(esco: Iterable[Path], onet: Iterable[Path]) -> Iterator[tuple[str, str]]:
    """(taxonomy, title) of every occupation title: ESCO's preferred and alternative labels, O*NET's
    occupation titles, alternate and short titles."""
    source = imports.open_source("esco", list(esco))
    for _, (pref, alts) in csv_rows(source.files["occupations"], ["preferredLabel", "altLabels"]):
        for label in (pref, *alts.split("\n")):
            yield "esco", label
    source = imports.open_source("onet", list(onet))
    for _, (title,) in xlsx_rows(source.files["occupations"], ["Title"]):
        yield "onet", str(title or "")
    for _, names in xlsx_rows(source.files["titles"], ["Alternate Title", "Short Title"]):
        for name in names:
            yield "onet", str(name or "")


def skill_names(esco: Iterable[Path], onet: Iterable[Path]) -> Iterator[str]:
    """Every ESCO skill label and O*NET technology example (an example once for each occupation that uses it)."""
    source = imports.open_source("esco", list(esco))
    for _, (pref, alts) in csv_rows(source.files["skills"], ["preferredLabel", "altLabels"]):
        yield from (pref, *alts.split("\n"))
    source = imports.open_source("onet", list(onet))
    for _, (example,) in xlsx_rows(source.files["technology"], ["Example"]):
        yield str(example or "")


def head(title: str) -> tuple[str, int] | None:
    """The head word of a title, lower case, and the number of words before its qualifier."""
    words = _QUALIFIER.sub("", _PARENTHESIS.sub("", title).replace("/", " ")).split()
    last = words[-1].casefold() if words else ""
    return (last, len(words)) if last.isalpha() else None


def derive(esco: Iterable[Path], onet: Iterable[Path]) -> list[str]:
    """The job nouns, sorted."""
    from wordfreq import zipf_frequency  # a build-time dependency only

    esco, onet = list(esco), list(onet)
    ended: defaultdict[str, set[str]] = defaultdict(set)  # head -> the titles it ends
    sources: defaultdict[str, set[str]] = defaultdict(set)
    alone: set[str] = set()
    for source, title in titles(esco, onet):
        found = head(title)
        if found is None:
            continue
        word, size = found
        ended[word].add(" ".join(title.casefold().split()))
        sources[word].add(source)
        if size == 1 and len(_PARENTHESIS.sub("", title).split()) == 1:
            alone.add(word)
    for word in [w for w in ended if w.endswith("s")]:  # O*NET's "Chemists" is "chemist", "Actuaries" "actuary"
        singular = next((s for s in _singulars(word) if s in ended), None)
        if singular is None:
            continue
        ended[singular] |= ended.pop(word)
        sources[singular] |= sources.pop(word)
        if word in alone:
            alone.add(singular)
    things: Counter[str] = Counter()  # head -> the distinct skill and technology names it ends
    for name in {" ".join(name.casefold().split()) for name in skill_names(esco, onet)}:
        found = head(name)
        if found is not None:
            things[found[0]] += 1
    return sorted(
        word for word, named in ended.items()
        if len(named) >= MIN_TITLES
        and len(word) >= SHORTEST
        and word in alone
        and len(sources[word]) == 2
        and 2 * things[word] < len(named)
        and zipf_frequency(word, "en") < EVERYDAY
    )


def _singulars(word: str) -> tuple[str, ...]:
    """The singulars a plural may have ("chemists", "actuaries"), none for a word that ends in no "s"."""
    if not word.endswith("s"):
        return ()
    return (word[:-1], word[:-3] + "y") if word.endswith("ies") else (word[:-1],)


def render(words: list[str]) -> str:
    """The text of the shipped list: the header, then one word a line."""
    return HEADER + "".join(f"{word}\n" for word in words)


def main(argv: list[str] | None = None) -> None:
    import argparse

    from kg.fileio import write_bytes_atomic

    parser = argparse.ArgumentParser(description="Derive data/vocabulary/job-nouns.txt from ESCO and O*NET.")
    shared = Path("..") / "shared" / "data"
    parser.add_argument("--esco", type=Path, default=shared / "esco-v1.1.1")
    parser.add_argument("--onet", type=Path, default=shared / "onet-29.2")
    args = parser.parse_args(argv)
    words = derive([args.esco], [args.onet])
    target = resources.data_dir() / JOB_NOUNS_FILE
    write_bytes_atomic(target, render(words).encode("utf-8"))
    sys.stdout.write(f"{target}: {len(words)} job nouns\n")


if __name__ == "__main__":
    main()
