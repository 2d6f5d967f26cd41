"""Import, replace and drop a taxonomy's named graph in the store; read its labels back."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import NamedTuple

import pyoxigraph as ox

from kg import company_skills, graph_sizes, lookup_keys, summaries
from kg.errors import UsageError
from kg.namespaces import ESCO, ESCO_GRAPH, KG, NEAR_DUPLICATES_GRAPH, ONET_GRAPH, POSTINGS_GRAPH, SKOS
from kg.store import LocalStore
from kg.taxonomies import esco, onet
from kg.taxonomies.base import Source
from kg.taxonomies.sources import Progress
from kg.terms import TYPE, value

#: The taxonomies kg imports: name -> (display name, named graph).
TAXONOMIES: dict[str, tuple[str, str]] = {"esco": ("ESCO", ESCO_GRAPH), "onet": ("O*NET", ONET_GRAPH)}
_OPENERS = {"esco": esco.open_source, "onet": onet.open_source}

#: Concepts that group others (ESCO's ISCO and skill groups); left out of labels unless asked for.
GROUP_CLASSES = (ESCO + "ISCOGroup", ESCO + "SkillGroup")
LABEL_PREDICATES = ((SKOS + "prefLabel", True), (SKOS + "altLabel", False), (SKOS + "hiddenLabel", False))
#: Quads per call of the bulk loader. One call buffers its whole input (about 0.8 kB a quad),
#: so feeding it in slices keeps memory flat however large the release is.
BULK_BATCH = 100_000


@dataclass(frozen=True)
class ImportResult:
    """What an import put into the store."""

    taxonomy: str
    graph: str
    triples: int
    counts: dict[str, int]


class Label(NamedTuple):
    """One label of an imported concept."""

    iri: str
    label: str
    is_pref: bool


def check_name(taxonomy: str) -> tuple[str, str]:
    """``(display name, graph IRI)`` of a taxonomy.

    Raises:
        UsageError: kg does not import a taxonomy of that name.
    """
    try:
        return TAXONOMIES[taxonomy]
    except KeyError:
        raise UsageError(f"unknown taxonomy {taxonomy!r}: choose {' or '.join(TAXONOMIES)}") from None


def open_source(taxonomy: str, paths: Sequence[Path]) -> Source:
    """Find and check a taxonomy release on disk (its size sets the progress total).

    Raises:
        UsageError: unknown taxonomy.
        InputError: files missing, unreadable or of the wrong language.
    """
    check_name(taxonomy)
    return _OPENERS[taxonomy](paths)


def import_source(
    store: LocalStore, source: Source, *, replace: bool = False, on_progress: Progress | None = None
) -> ImportResult:
    """Stream a release into its named graph with the bulk loader, all or nothing.

    Raises:
        UsageError: the store already holds this taxonomy and ``replace`` is false.
        InputError: a file is malformed (names file and line); the store is unchanged.
    """
    name, graph_iri = check_name(source.taxonomy)
    if not replace and store.exists and has_graph(store.reader(), graph_iri):
        raise UsageError(f"the store already holds {name}; add --replace to import it again in its place")
    counts: Counter[str] = Counter()
    def fill(db: ox.Store) -> int:
        if has_graph(db, graph_iri):
            if not replace:
                raise UsageError(f"the store already holds {name}; add --replace to import it again in its place")
            lookup_keys.remove_graph(db, graph_iri)
        lookup_keys.ensure(db)
        bulk_extend(db, lookup_keys.with_keys(source.quads(on_progress, counts)))
        if graph_sizes.is_current(db):  # else finish derives it all again, once
            summaries.refresh(db, vocabularies=[source.taxonomy])
        graph_sizes.finish(db, kept=[POSTINGS_GRAPH, NEAR_DUPLICATES_GRAPH, *graph_sizes.imports_kept(but=graph_iri)])
        return graph_size(db, graph_iri)

    triples = store.write(fill)
    return ImportResult(source.taxonomy, graph_iri, triples, dict(sorted(counts.items())))


def import_taxonomy(
    store: LocalStore, taxonomy: str, paths: Sequence[Path], *, replace: bool = False,
    on_progress: Progress | None = None,
) -> ImportResult:
    """Find a release in ``paths`` and import it (:func:`open_source` then :func:`import_source`)."""
    return import_source(store, open_source(taxonomy, paths), replace=replace, on_progress=on_progress)


def drop(store: LocalStore, taxonomy: str) -> int:
    """Remove a taxonomy's named graph, and nothing else; the number of triples removed (0 if absent).

    Raises:
        UsageError: unknown taxonomy.
        StoreError: there is no store.
    """
    _, graph_iri = check_name(taxonomy)
    if not has_graph(store.reader(), graph_iri):
        return 0
    def fill(db: ox.Store) -> int:
        removed = graph_size(db, graph_iri)
        lookup_keys.remove_graph(db, graph_iri)
        db.remove_graph(summaries.graph_of(taxonomy))
        if graph_sizes.is_current(db):  # else finish derives it all again, once
            summaries.refresh_ranks(db)  # the ranks by label span every vocabulary
            summaries.refresh_broader(db)  # kg's skills may have run up through the taxonomy's
            company_skills.refresh(db)  # the roles a company hires may be the taxonomy's
        graph_sizes.finish(db, kept=[POSTINGS_GRAPH, NEAR_DUPLICATES_GRAPH, *graph_sizes.imports_kept(but=graph_iri)])
        return removed

    return store.write(fill)


def bulk_extend(db: ox.Store, quads: Iterable[ox.Quad], batch: int = BULK_BATCH) -> None:
    """Stream ``quads`` into the store's bulk loader, ``batch`` at a time."""
    stream = iter(quads)
    while chunk := list(islice(stream, batch)):
        db.bulk_extend(chunk)


def graph_size(db: ox.Store, graph_iri: str) -> int:
    """The number of triples in one named graph (counted by the store: reading them back would decode each)."""
    return graph_sizes.count(db, ox.NamedNode(graph_iri))


def has_graph(db: ox.Store, graph_iri: str) -> bool:
    """Whether the named graph holds any triple."""
    return next(iter(db.quads_for_pattern(None, None, None, ox.NamedNode(graph_iri))), None) is not None


def taxonomy_labels(
    db: ox.Store, taxonomy: str, *, kind: str | None = None, include_groups: bool = False
) -> Iterator[Label]:
    """Every label of the imported skills and roles of a taxonomy: ``(iri, label, is_pref)``.

    ``kind`` is ``"Skill"`` or ``"Role"`` for one of them; ``include_groups`` adds
    ESCO's skill and ISCO groups and O*NET's commodities (``kg:Domain``).

    Raises:
        UsageError: unknown taxonomy or kind.
    """
    _, graph_iri = check_name(taxonomy)
    graph = ox.NamedNode(graph_iri)
    classes = {"Skill", "Role"} if kind is None else {kind}
    if not classes <= {"Skill", "Role"}:
        raise UsageError(f"kind must be Skill or Role, not {kind!r}")
    if include_groups and kind is None:
        classes.add("Domain")
    wanted: set[str] = set()
    groups: set[str] = set()
    for quad in db.quads_for_pattern(None, TYPE, None, graph):
        type_iri = value(quad.object)
        if type_iri.startswith(KG) and type_iri[len(KG):] in classes:
            wanted.add(value(quad.subject))
        elif type_iri in GROUP_CLASSES:
            groups.add(value(quad.subject))
    if not include_groups:
        wanted -= groups
    for predicate, is_pref in LABEL_PREDICATES:
        for quad in db.quads_for_pattern(None, ox.NamedNode(predicate), None, graph):
            subject = value(quad.subject)
            if subject in wanted and isinstance(quad.object, ox.Literal):
                yield Label(subject, quad.object.value, is_pref)


def imported(db: ox.Store) -> dict[str, int]:
    """The taxonomies the store holds, with the triples of each."""
    return {name: size for name, (_, graph) in TAXONOMIES.items() if (size := graph_size(db, graph))}
