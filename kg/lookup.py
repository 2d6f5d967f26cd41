"""Find roles, skills, companies and domains by what people call them: the one lookup of kg.

A name is normalised (:func:`normalise`: NFKC, case-folded, whitespace
collapsed) and matched against the lookup keys written with the data
(:mod:`kg.lookup_keys`) by the named query ``lookup``, on the local store or on
a SPARQL endpoint alike. When several concepts of the class asked for share
the name, kg's own concept comes first, then imported ones (ESCO, O*NET); a
preferred label comes before an alias. ``vocabulary`` ("esco", "onet", or
"kg") takes only that vocabulary's concepts. A name that matches nothing
raises :class:`~kg.errors.NotFoundError` with the closest names ("did you
mean"), from the same vocabulary first.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pyoxigraph as ox

from kg.errors import NotFoundError, UsageError
from kg.lookup_keys import normalise
from kg.namespaces import LOOKUP_CLASSES, LOOKUP_GRAPH, VOCABULARIES

if TYPE_CHECKING:
    from kg.source import GraphSource

__all__ = ["KINDS", "Concept", "Names", "Other", "Resolution", "check_vocabulary", "normalise"]

#: The classes a name can be looked up in.
KINDS: tuple[str, ...] = tuple(LOOKUP_CLASSES.values())
_DISPLAY = {"kg": "kg", "esco": "ESCO", "onet": "O*NET"}
_MAPPINGS = {"exactMatch": "exact match", "closeMatch": "close match", "broadMatch": "broad match"}


def check_vocabulary(vocabulary: str | None) -> str | None:
    """``vocabulary`` if kg knows it (kg, esco, onet), else a usage error.

    Raises:
        UsageError: an unknown vocabulary.
    """
    if vocabulary is not None and vocabulary not in VOCABULARIES:
        raise UsageError(f"unknown vocabulary {vocabulary!r}: choose {', '.join(VOCABULARIES)}")
    return vocabulary


@dataclass(frozen=True)
class Concept:
    """A role, skill, company or domain: its IRI, preferred label, class and vocabulary."""

    iri: str
    label: str
    kind: str
    vocabulary: str

    def describe(self) -> str:
        """``kg's role "Data scientist"`` or ``ESCO's occupation "data scientist"``."""
        return f"{_DISPLAY.get(self.vocabulary, self.vocabulary)}'s {self.kind.lower()} {self.label!r}"


@dataclass(frozen=True)
class Other:
    """A concept of another vocabulary called by the same name; ``mapping`` if it is aligned with the one used."""

    concept: Concept
    mapping: str | None = None


@dataclass(frozen=True)
class Resolution:
    """What a name was taken to mean, how it matched, and what else is called so."""

    name: str
    concept: Concept
    matched: str
    others: tuple[Other, ...] = ()
    imported: bool = False  # an imported concept, taken without --vocab: none of kg's has the name

    @property
    def iri(self) -> str:
        return self.concept.iri

    @property
    def label(self) -> str:
        return self.concept.label

    def note(self) -> str | None:
        """One line saying which concept was used, when another vocabulary has one of the same name."""
        if not self.others:
            return f"{self.name!r} is {self.concept.describe()}: kg has none of that name" if self.imported else None
        alternatives = []
        for other in self.others:
            aligned = f", its {_MAPPINGS.get(other.mapping, other.mapping)}" if other.mapping else ""
            alternatives.append(f"{other.concept.describe()}{aligned} (--vocab {other.concept.vocabulary})")
        return f"{self.name!r} is {self.concept.describe()}; also: {'; '.join(alternatives)}"

    def to_json(self) -> dict[str, object]:
        return {"name": self.name, "iri": self.iri, "label": self.label, "kind": self.concept.kind,
                "vocabulary": self.concept.vocabulary, "matched": self.matched,
                "others": [{"iri": o.concept.iri, "label": o.concept.label, "vocabulary": o.concept.vocabulary,
                            "mapping": o.mapping} for o in self.others]}


@dataclass
class Names:
    """Looks names up in a store or on an endpoint, remembering what it found.

    ``vocabulary`` (kg, esco, onet) takes only that vocabulary's concepts; by
    default kg's own come first and imported ones are used when none of ours
    has the name.
    """

    source: GraphSource
    vocabulary: str | None = None
    first: str = "kg"
    _found: dict[str, list[dict[str, object]]] = field(default_factory=dict, repr=False)
    _names: dict[tuple[str | None, str | None], dict[str, str]] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        check_vocabulary(self.vocabulary)
        check_vocabulary(self.first)

    def preferring(self, vocabulary: str) -> Names:
        """The same lookup, trying ``vocabulary``'s concepts first (where a role was found, for its skills)."""
        return Names(self.source, self.vocabulary, vocabulary, self._found, self._names)

    def candidates(self, name: str, kind: str | None = None) -> list[dict[str, object]]:
        """The rows of ``lookup`` for ``name`` of class ``kind`` (any if ``None``) in this vocabulary, best first."""
        from kg import queries

        key = normalise(name)
        if key not in self._found:
            self._found[key] = queries.rows(queries.run(self.source, queries.resolve("lookup"), {"name": key}))
        rows = [row for row in self._found[key] if (kind is None or row["kind"] == kind)
                and (self.vocabulary is None or row["vocabulary"] == self.vocabulary)]
        return sorted(rows, key=lambda row: row["vocabulary"] != self.first)  # stable: the query's order after

    def find(self, name: str, kind: str | None = None) -> Resolution | None:
        """What ``name`` means (of class ``kind`` if given), or ``None``."""
        rows = self.candidates(name, kind)
        if not rows:
            return None
        best = rows[0]
        chosen = _concept(best)
        # per other vocabulary, the concept --vocab would take, and how it is aligned with the one used
        others: dict[str, Other] = {}
        for row in rows:
            concept = _concept(row)
            if concept.vocabulary == chosen.vocabulary or concept.kind != chosen.kind:
                continue
            if concept.vocabulary in others and others[concept.vocabulary].concept.iri != concept.iri:
                continue
            aligned = str(row["mapping"]).rsplit("#", 1)[-1] if row.get("alignedWith") == chosen.iri else None
            if concept.vocabulary not in others or (aligned and not others[concept.vocabulary].mapping):
                others[concept.vocabulary] = Other(concept, aligned)
        imported = self.vocabulary is None and chosen.vocabulary != "kg"
        return Resolution(name, chosen, str(best["matched"]), tuple(others.values()), imported)

    def resolve(self, name: str, kind: str | None = None) -> Resolution:
        """What ``name`` means (of class ``kind`` if given).

        Raises:
            NotFoundError: nothing is called ``name``; suggests the closest names.
        """
        found = self.find(name, kind)
        if found is None:
            if not self._indexed():
                raise NotFoundError(f"{self._missing(name, kind)}: the store has no lookup keys yet (an older kg "
                                    "wrote it); any write adds them, such as `kg build`")
            raise NotFoundError(self._missing(name, kind), self.suggest(name, kind))
        return found

    def _indexed(self) -> bool:
        """Whether the source has lookup keys (a store an older kg wrote has none until its next write)."""
        if not isinstance(self.source, ox.Store):
            return True
        return any(g.value.startswith(LOOKUP_GRAPH + "/") for g in self.source.named_graphs()
                   if isinstance(g, ox.NamedNode))

    def resolve_all(self, names: Sequence[str], kind: str) -> list[Resolution]:
        """What each of ``names`` means, in order.

        Raises:
            NotFoundError: one or more names match nothing; all of them are named, each with suggestions.
        """
        found = [(name, self.find(name, kind)) for name in names]
        missing = [name for name, hit in found if hit is None]
        if len(missing) == 1:
            raise NotFoundError(self._missing(missing[0], kind), self.suggest(missing[0], kind))
        if missing:
            parts = []
            for name in missing:
                hints = self.suggest(name, kind)
                parts.append(f"{name!r}" + (f" (did you mean {', '.join(map(repr, hints))}?)" if hints else ""))
            raise NotFoundError(f"no {kind.lower()}s called {'; '.join(parts)}{self._where()}")
        return [hit for _, hit in found if hit is not None]

    def suggest(self, name: str, kind: str | None = None, n: int = 3) -> list[str]:
        """Up to ``n`` labels close to ``name``: from this vocabulary (kg's own first), then the others."""
        wanted = normalise(name)
        scopes = [self.vocabulary] if self.vocabulary else [self.first, None]
        suggestions: list[str] = []
        for scope in scopes:
            names = self._known(kind, scope)
            close = difflib.get_close_matches(wanted, list(names), n=n, cutoff=0.6)
            close += sorted(k for k in names if k.startswith(wanted) and k not in close)[: max(0, n - len(close))]
            for key in close:
                if names[key] not in suggestions and len(suggestions) < n:
                    suggestions.append(names[key])
            if suggestions:
                break
        return suggestions

    def _known(self, kind: str | None, vocabulary: str | None) -> dict[str, str]:
        """Every key of class ``kind`` in ``vocabulary`` (all if ``None``), with the label to show for it."""
        from kg import queries

        if (kind, vocabulary) not in self._names:
            names: dict[str, str] = {}
            for one in [kind] if kind else KINDS:  # a key of several classes shows the first class's label
                first: dict[str, tuple[str, str]] = {}  # key -> (entity, label) of its first entity by IRI
                values: dict[str, ox.NamedNode | ox.Literal] = {"kind": ox.Literal(one)}
                if vocabulary:
                    values["vocabulary"] = ox.Literal(vocabulary)
                binding = queries.Binding(values)  # every vocabulary when none is given
                # in the store's order (``names`` is not sorted): the same label whatever order the rows come in
                for row in queries.iter_rows(queries.run(self.source, queries.resolve("names"), binding)):
                    key, entity = str(row["key"]), str(row["entity"])
                    if key not in first or entity < first[key][0]:
                        first[key] = (entity, str(row["label"] or key))
                for key in sorted(first):
                    names.setdefault(key, first[key][1])
            self._names[(kind, vocabulary)] = names
        return self._names[(kind, vocabulary)]

    def _missing(self, name: str, kind: str | None) -> str:
        return f"no {(kind or 'role, skill, company or domain').lower()} called {name!r}{self._where()}"

    def _where(self) -> str:
        return f" in {_DISPLAY[self.vocabulary]}" if self.vocabulary else ""


def _concept(row: dict[str, object]) -> Concept:
    iri = str(row["entity"])
    return Concept(iri, str(row["label"] or iri), str(row["kind"]), str(row["vocabulary"]))

