"""Derive the wide skill vocabulary from ESCO and O*NET: ``python -m kg.extract.wide_build``.

What is kept of the public taxonomies is their IRIs and labels, which their licences let
anyone reuse with attribution (see the README); descriptions and definitions stay in the
files. ESCO skills and knowledge concepts and O*NET Technology Skills examples become
skills of kg's extractor, each under its own IRI (ESCO's as published, O*NET's as kg mints
them on import), unless ``ontology/alignments`` says a kg skill is the same concept
(``skos:exactMatch``): then its labels join that kg skill.

Which labels are everyday words is decided from evidence, the frequency of the word in
English text (the ``wordfreq`` package, which ships its data): a label as common as "design"
or "English" counts only in a skill context, as kg's ``kg:ambiguousLabel`` does. A word more
common than any skill name ("work", "use") is left out.

Needs the ``build`` extra (``pip install -e '.[build]'``) and the releases in ``../shared/data``.
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from collections.abc import Iterable, Iterator
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from kg import resources
from kg.namespaces import SKOS
from kg.taxonomies import imports
from kg.taxonomies.onet import technology_iri
from kg.taxonomies.sources import csv_rows, xlsx_rows

#: Labels longer than this many words are left out: postings never write them out ("apply health and safety ...").
MAX_WORDS = 3
#: ESCO's skills and competences are phrases ("manage a team", "apply health and safety standards"): shorter still.
MAX_SKILL_WORDS = 2
#: A one-word label at least this frequent (Zipf scale: 6 is "use", 5 "design", 4 "spring") needs a skill context.
EVERYDAY = 4.0
#: A label of several words at least this frequent ("customer service") needs a skill context too.
EVERYDAY_PHRASE = 4.5
#: A one-word product name without "software" must be at most this frequent: "Alteryx", not "Analytical".
RARE = 2.5
#: A one-word label more frequent than this is no name of a skill at all ("work", "use", "make").
TOO_COMMON = 5.6
#: A first word of this many names of products, or more, names their maker ("Autodesk", "Oracle", "Cerner")...
MAKER_PRODUCTS = 3
#: ... when at least this share of the names it begins are products' (every word capitalised), not kinds of software.
MAKER_SHARE = 0.8
_PARENTHESIS = re.compile(r"\s*\([^()]*\)")
_SOFTWARE = re.compile(r"\s+software$", re.IGNORECASE)
_EXACT = SKOS + "exactMatch"
DEFAULT_OUT = Path("vocabulary") / "wide-skills.tsv"
ATTRIBUTION = (
    "# Derived by kg.extract.wide_build from ESCO v1.1.1 and O*NET 29.2: IRIs and labels only.\n"
    "# This service uses the ESCO classification of the European Commission.\n"
    "# O*NET 29.2 Database by the U.S. Department of Labor, Employment and Training Administration (USDOL/ETA),\n"
    "# used under the CC BY 4.0 licence; kg modified it (labels cleaned, everyday words flagged).\n"
    "# Columns: iri, source (esco, onet, or kg for labels joining an aligned kg skill), kind (knowledge or skill),\n"
    "# labels (the first is the preferred one), labels that are everyday words (they need a skill context).\n"
)


@dataclass(frozen=True)
class Row:
    """One concept of the wide vocabulary."""

    iri: str
    source: str
    kind: str
    labels: tuple[str, ...]
    everyday: tuple[str, ...]

    def line(self) -> str:
        return "\t".join((self.iri, self.source, self.kind, "|".join(self.labels), "|".join(self.everyday)))


def clean_label(label: str) -> str:
    """A label as postings write it: no parenthesised qualifier ("Python (computer programming)"), one space."""
    return " ".join(_PARENTHESIS.sub("", label).replace("|", " ").split()).strip(" .,;:")


#: A concept of a taxonomy: IRI, kind, labels, and the labels that are everyday words whatever their frequency.
Concept = tuple[str, str, list[str], tuple[str, ...]]


def esco_concepts(paths: Iterable[Path]) -> Iterator[Concept]:
    """(IRI, kind, labels, ()) of every ESCO skill and knowledge concept: its preferred and alternative labels."""
    source = imports.open_source("esco", list(paths))
    columns = ["conceptUri", "preferredLabel", "altLabels", "skillType"]
    for _, values in csv_rows(source.files["skills"], columns, None):
        iri, pref, alts, skill_type = values
        kind = "knowledge" if skill_type.strip() == "knowledge" else "skill"
        yield iri.strip(), kind, [pref, *alts.split("\n")], ()  # hidden labels are for search: misspellings, odd forms


def zipf_of(label: str) -> float:
    """How frequent a word or phrase is in English text, on the Zipf scale (``wordfreq``)."""
    from wordfreq import zipf_frequency  # a build-time dependency only

    return float(zipf_frequency(label, "en"))


def onet_technologies(
    paths: Iterable[Path], taken: AbstractSet[str] = frozenset(), words: AbstractSet[str] = frozenset()
) -> Iterator[Concept]:
    """(IRI, kind, labels, everyday labels) of every O*NET Technology Skills example: its name, the name without
    "software", and the name without its maker's (:func:`unmade`: ``taken`` are other labels, ``words`` words of
    labels), an everyday label when it is one word: even a rare one may be a word as well ("NetWorker",
    "Distiller"), so it is read in a skill context only."""
    source = imports.open_source("onet", list(paths))
    names: dict[str, bool] = {}  # name -> whether O*NET finds it asked for in postings (a hot or in-demand one)
    columns = ["Example", "Hot Technology", "In Demand"]
    for _, (example, hot, demand) in xlsx_rows(source.files["technology"], columns, None):
        name = " ".join(str(example or "").split())
        if name:
            names[name] = names.get(name, False) or "Y" in (hot, demand)
    products = unmade(list(names), taken, words, {name for name, asked in names.items() if asked})
    for name in names:
        # "Microsoft Office software" is Microsoft Office; "Analytical software" is no "Analytical"
        short = _SOFTWARE.sub("", name)
        named = short != name and _proper(short) and zipf_of(short) < (RARE if " " not in short else EVERYDAY)
        labels = [name, short] if named else [name]
        unmaker = products.get(name)
        if unmaker:
            labels.append(unmaker)
        yield technology_iri(name), "knowledge", labels, (unmaker,) if unmaker and " " not in unmaker else ()


def makers(names: Iterable[str]) -> set[str]:
    """The first words (one or two) of product names that name a maker ("Autodesk", "Oracle", "Dassault Systemes"):
    each begins at least ``MAKER_PRODUCTS`` names of products (every word capitalised) with a word after it, and
    nearly only those, not names of kinds of software ("Computer aided design software" makes "Computer" none)."""
    products: Counter[str] = Counter()
    kinds: Counter[str] = Counter()
    for name in names:
        words = _SOFTWARE.sub("", name).split()
        for size in (1, 2):
            if len(words) > size:
                (products if _proper(" ".join(words)) else kinds)[" ".join(words[:size])] += 1
    return {words for words, count in products.items()
            if count >= MAKER_PRODUCTS and kinds[words] <= count * (1 - MAKER_SHARE)}


def unmade(
    names: list[str],
    taken: AbstractSet[str] = frozenset(),
    words: AbstractSet[str] = frozenset(),
    asked: AbstractSet[str] = frozenset(),
) -> dict[str, str]:
    """Product name -> the name postings write without its maker's: "Autodesk AutoCAD" is AutoCAD, "Oracle
    PeopleSoft" PeopleSoft, "SAP Concur" Concur.

    Kept only where it names that product alone: one product of the list gives it, and no product or label of
    ``taken`` (lower case) is called so ("Allscripts EHR" gives no "EHR"); and where it reads as a name, not as
    words ("Adobe After Effects" gives no "After Effects"): one rare word written as no word is, with a capital or
    a figure inside it ("NetSuite", "PeopleSoft"), or several words whose first is no everyday word and that are no
    frequent phrase. Another word is a word as much as a name ("Photoshop", "Tomcat", but "Compiler", "Slides",
    "Canape"): it is kept only for a product O*NET finds ``asked`` for in postings (its hot or in-demand
    technologies), not in capitals ("IQ"), not among the lower-case ``words`` of the taxonomies' labels.
    """
    first = makers(names)
    whole = {name.casefold() for name in names} | taken
    found: dict[str, list[tuple[str, str]]] = {}  # the name without its maker's, in lower case -> (product, name)
    for name in names:
        parts = _SOFTWARE.sub("", name).split()
        size = 2 if " ".join(parts[:2]) in first and len(parts) > 2 else 1
        if len(parts) < 2 or " ".join(parts[:size]) not in first or not _proper(" ".join(parts)):
            continue
        parts = parts[size - 1:]  # the last word of the maker's name, then the product's
        rest = " ".join(parts[1:])
        if rest.casefold() in whole or not rest[:1].isupper():
            continue
        if len(parts) == 2:
            frequency = zipf_of(rest)
            written = any(c.isupper() or c.isdigit() for c in rest[1:])  # "NetSuite", "SAP IQ", "A.I.med"
            named = (frequency < RARE and written) or (frequency < EVERYDAY and name in asked and not rest.isupper()
                                                       and rest.lower() not in words)
        else:
            named = zipf_of(rest) < EVERYDAY_PHRASE and zipf_of(parts[1]) < EVERYDAY
        if named:
            found.setdefault(rest.casefold(), []).append((name, rest))
    return dict(pairs[0] for pairs in found.values() if len(pairs) == 1)


def _proper(name: str) -> bool:
    """True for a product's name ("Microsoft Office", "SAP ERP"), not a kind of software ("Data mining")."""
    words = name.split()
    return all(word[:1].isupper() or not word[:1].isalpha() for word in words)


def exact_matches() -> dict[str, str]:
    """Taxonomy IRI -> the kg skill it is the same concept as, from ``ontology/alignments``."""
    out: dict[str, str] = {}
    for name in ("esco.ttl", "onet.ttl"):
        path = resources.ontology_file("alignments") / name
        for quad in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE):
            if quad.predicate.value == _EXACT and "/skill/" in quad.subject.value:
                out.setdefault(quad.object.value, quad.subject.value)
    return out


def build_rows(esco: Iterable[Path], onet: Iterable[Path]) -> list[Row]:
    """The rows of the wide vocabulary, sorted: taxonomy concepts, and labels joining aligned kg skills."""
    frequency = zipf_of
    same = exact_matches()
    kg_labels = _kg_labels()
    rows: dict[str, Row] = {}
    skills = list(esco_concepts(esco))
    written = [clean_label(label) for _, _, raw, _ in skills for label in raw]
    taken = kg_labels | {label.casefold() for label in written}
    words = {word for label in written for word in label.split() if word.islower()}
    for source, concepts in (("esco", skills), ("onet", list(onet_technologies(onet, taken, words)))):
        for iri, kind, raw, always in concepts:
            labels: list[str] = []
            longest = MAX_WORDS if kind == "knowledge" else MAX_SKILL_WORDS
            for index, label in enumerate(map(clean_label, raw)):
                seen = (name.casefold() for name in labels)
                if not label or len(label.split()) > longest or label.casefold() in seen:
                    continue
                one_word = " " not in label
                if len(label) < 2 or (one_word and frequency(label) >= (TOO_COMMON if index == 0 else EVERYDAY)):
                    continue  # "work"; an everyday word as another name of a wider concept ("data" for "use of data")
                labels.append(label)
            target = same.get(iri)
            if target is not None:  # the same concept as a kg skill: its name joins it (not its looser alternatives)
                names = labels[:1] + labels[1:] * (source == "onet")
                labels = [name for name in names if name.casefold() not in kg_labels]
                iri, source_name = target, "kg"
            else:
                source_name = source
            if not labels:
                continue
            everyday = [n for n in labels
                        if n in always or frequency(n) >= (EVERYDAY if " " not in n else EVERYDAY_PHRASE)]
            old = rows.get(iri)
            if old is not None:  # two taxonomy concepts aligned to one kg skill
                labels = [*old.labels, *(name for name in labels if name not in old.labels)]
                everyday = [*old.everyday, *(name for name in everyday if name not in old.everyday)]
            rows[iri] = Row(iri, source_name, kind if old is None else old.kind, tuple(labels), tuple(everyday))
    return sorted(rows.values(), key=lambda row: row.iri)


def _kg_labels() -> set[str]:
    from kg.extract.vocabulary import load_curated_vocabulary

    return {label.casefold() for c in load_curated_vocabulary().skills.values() for label in (*c.labels, *c.ambiguous)}


def render(rows: list[Row]) -> str:
    """The TSV text of the wide vocabulary."""
    return ATTRIBUTION + "".join(row.line() + "\n" for row in rows)


def summary(rows: list[Row]) -> dict[str, int]:
    """Counts by source and kind, and of labels, for the README."""
    counts: Counter[str] = Counter()
    for row in rows:
        counts[f"{row.source} {row.kind}"] += 1
        counts["labels"] += len(row.labels)
        counts["everyday labels"] += len(row.everyday)
    return dict(sorted(counts.items()))


def main(argv: list[str] | None = None) -> None:
    import argparse

    parser = argparse.ArgumentParser(description="Derive data/vocabulary/wide-skills.tsv from ESCO and O*NET.")
    shared = Path("..") / "shared" / "data"
    parser.add_argument("--esco", type=Path, default=shared / "esco-v1.1.1")
    parser.add_argument("--onet", type=Path, default=shared / "onet-29.2")
    parser.add_argument("--matcher", action="store_true", help="only rebuild the prebuilt skill matcher")
    args = parser.parse_args(argv)
    from kg.fileio import write_bytes_atomic

    if not args.matcher:
        rows = build_rows([args.esco], [args.onet])
        target = resources.data_dir() / DEFAULT_OUT
        target.parent.mkdir(parents=True, exist_ok=True)
        write_bytes_atomic(target, render(rows).encode("utf-8"))
        sys.stdout.write(f"{target} {summary(rows)}\n")
        words = resources.data_dir() / COMMON_WORDS
        write_bytes_atomic(words, common_words().encode("utf-8"))
        sys.stdout.write(f"{words}\n")
    sys.stdout.write(f"{write_matcher()}\n")


#: Where the list of common English words lives in ``data/`` (for telling skill names from everyday words).
COMMON_WORDS = Path("vocabulary") / "common-words.txt"
#: How many of the most frequent English words the list holds.
COMMON_COUNT = 25_000


def common_words() -> str:
    """The most frequent English words (``wordfreq``), one a line, lower case, in order of frequency."""
    from wordfreq import top_n_list  # a build-time dependency only

    words = [w for w in top_n_list("en", COMMON_COUNT) if w.isalpha()]
    return "# The most frequent English words, from wordfreq (Apache 2.0; its data sources are credited there).\n" + (
        "\n".join(words) + "\n")


def write_matcher() -> Path:
    """Rebuild ``data/vocabulary/skill-matcher.tsv.gz`` from the bundled vocabulary; returns its path."""
    from kg.extract import prebuilt
    from kg.extract.matcher import skill_matcher
    from kg.extract.vocabulary import load_vocabulary
    from kg.fileio import write_bytes_atomic

    vocab = load_vocabulary()
    target = resources.data_file(*prebuilt.TABLE)
    write_bytes_atomic(target, prebuilt.render(skill_matcher(vocab.skills.values()), vocab.cache["fingerprint"]))
    return target


if __name__ == "__main__":
    main()
