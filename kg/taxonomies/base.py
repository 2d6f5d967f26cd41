"""What the importers share: a release found on disk, and small quad builders."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

import pyoxigraph as ox

from kg.errors import InputError
from kg.namespaces import SKOS
from kg.taxonomies.sources import Member, Progress
from kg.terms import ALT_LABEL, PREF_LABEL

#: Streams the quads of a release into ``graph``, counting what it makes in ``counts``.
Reader = Callable[["Source", ox.NamedNode, "Progress | None", Counter[str]], Iterator[ox.Quad]]

HIDDEN_LABEL = ox.NamedNode(SKOS + "hiddenLabel")
BROADER = ox.NamedNode(SKOS + "broader")
NOTATION = ox.NamedNode(SKOS + "notation")
CONCEPT_SCHEME = ox.NamedNode(SKOS + "ConceptScheme")


@dataclass(frozen=True)
class Source:
    """A taxonomy release found on disk, checked and ready to stream into a store."""

    taxonomy: str
    graph: str
    files: dict[str, Member]
    total: int
    unit: str
    reader: Reader = field(repr=False, compare=False)

    def quads(self, on_progress: Progress | None = None, counts: Counter[str] | None = None) -> Iterator[ox.Quad]:
        """Every quad of the release, in its named graph, made as the files are read."""
        return self.reader(self, ox.NamedNode(self.graph), on_progress, counts if counts is not None else Counter())


def pick_files(found: dict[str, Member], wanted: dict[str, tuple[str, ...]], what: str) -> dict[str, Member]:
    """The files of ``wanted`` (key -> accepted base names, first found wins) among ``found``.

    Raises:
        InputError: some are missing; the message lists them.
    """
    picked: dict[str, Member] = {}
    missing = []
    lowered = {name.lower(): member for name, member in found.items()}
    for key, names in wanted.items():
        member = next((lowered[n.lower()] for n in names if n.lower() in lowered), None)
        if member is None:
            missing.append(names[0])
        else:
            picked[key] = member
    if missing:
        raise InputError(f"not a complete {what} release: missing {', '.join(missing)}")
    return picked


def named_node(iri: str, member: Member, line: int) -> ox.NamedNode:
    """An IRI from a data file.

    Raises:
        InputError: it is not a valid IRI (names the file and line).
    """
    try:
        return ox.NamedNode(iri.strip())
    except ValueError:
        raise InputError(f"{member.where()} line {line}: not an IRI: {iri!r}") from None


def label_quads(
    subject: ox.NamedNode, pref: str, alternatives: Iterable[str], hidden: Iterable[str], graph: ox.NamedNode
) -> Iterator[ox.Quad]:
    """``skos:prefLabel``, ``skos:altLabel`` and ``skos:hiddenLabel`` in English.

    Labels are trimmed; empty ones and alternatives equal to the preferred label
    are left out (SKOS keeps the three label kinds disjoint).
    """
    pref = " ".join(pref.split())
    if pref:
        yield ox.Quad(subject, PREF_LABEL, ox.Literal(pref, language="en"), graph)
    seen = {pref}
    for predicate, labels in ((ALT_LABEL, alternatives), (HIDDEN_LABEL, hidden)):
        for label in labels:
            label = " ".join(label.split())
            if label and label not in seen:
                seen.add(label)
                yield ox.Quad(subject, predicate, ox.Literal(label, language="en"), graph)


def split_cell(cell: str, separators: str = "\n") -> list[str]:
    """The items of a multi-valued CSV cell (ESCO puts one label per line)."""
    items = [cell]
    for separator in separators:
        items = [part for item in items for part in item.split(separator)]
    return [item.strip() for item in items if item.strip()]
