"""Find roles, skills, companies and domains by what people call them.

A name matches a ``skos:prefLabel`` or ``skos:altLabel`` without regard to
case (``pytorch``, ``K8s``); failing that, the error suggests the closest
labels ("did you mean").
"""

from __future__ import annotations

import difflib
from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pyoxigraph as ox

from kg.errors import NotFoundError
from kg.namespaces import SKOS
from kg.property_graph import entity_types, labels

if TYPE_CHECKING:
    from kg.source import GraphSource


def normalise(name: str) -> str:
    """The key a label is matched on: case-folded, inner whitespace collapsed."""
    return " ".join(name.casefold().split())


@dataclass
class LabelIndex:
    """Every entity label of a store, for lookups by name."""

    by_key: dict[str, set[str]]
    types: dict[str, str]
    names: dict[str, str]

    @classmethod
    def of(cls, db: GraphSource) -> LabelIndex:
        types = entity_types(db)
        by_key: dict[str, set[str]] = defaultdict(set)
        for predicate in (SKOS + "prefLabel", SKOS + "altLabel"):
            for quad in db.quads_for_pattern(None, ox.NamedNode(predicate), None, None):
                subject = quad.subject
                if isinstance(subject, ox.NamedNode) and subject.value in types and isinstance(quad.object, ox.Literal):
                    by_key[normalise(quad.object.value)].add(subject.value)
        return cls(dict(by_key), types, labels(db, types))

    def find(self, name: str, kind: str | None = None) -> list[str]:
        """The IRIs whose label is ``name`` (of type ``kind`` if given), sorted."""
        found = self.by_key.get(normalise(name), set())
        return sorted(iri for iri in found if kind is None or self.types.get(iri) == kind)

    def resolve(self, name: str, kind: str | None = None) -> str:
        """The one IRI called ``name``; the preferred label wins over aliases.

        Raises:
            NotFoundError: nothing is called ``name``; suggests close labels.
        """
        found = self.find(name, kind)
        if not found:
            raise NotFoundError(f"no {(kind or 'node').lower()} called {name!r}", self.suggest(name, kind))
        exact = [iri for iri in found if normalise(self.names.get(iri, "")) == normalise(name)]
        return (exact or found)[0]

    def suggest(self, name: str, kind: str | None = None, n: int = 3) -> list[str]:
        """Up to ``n`` labels close to ``name``: prefix matches first, then by similarity."""
        candidates: dict[str, str] = {}
        for key, iris in self.by_key.items():
            for iri in iris:
                if kind is None or self.types.get(iri) == kind:
                    candidates.setdefault(key, self.names.get(iri, key))
        wanted = normalise(name)
        close = difflib.get_close_matches(wanted, list(candidates), n=n, cutoff=0.6)
        if len(close) < n:
            close += sorted(k for k in candidates if k.startswith(wanted) and k not in close)[: n - len(close)]
        suggestions: list[str] = []
        for key in close:
            label = candidates[key]
            if label not in suggestions:
                suggestions.append(label)
        return suggestions

    def label(self, iri: str) -> str:
        """The display label of an IRI."""
        return self.names.get(iri, iri)
