"""What a drawing shows: the :class:`View` that the selections make and the page renders."""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kg.property_graph import PropertyGraph

#: Node types in the order legends, filters and tie-breaks use.
TYPE_ORDER = ("Role", "Skill", "Company", "Domain", "JobPosting")

#: Colours for a ``gap`` view: :meth:`View.with_marks` (``{skill: "have"|"missing"}``, GAP_COLOURS).
GAP_COLOURS = {"have": "#2f9e44", "missing": "#e03131"}

#: One line of a tooltip: a heading and its text.
Fact = tuple[str, str]


@dataclass(frozen=True)
class View:
    """A part of the graph, ready to draw.

    Attributes:
        graph: the nodes and edges to draw (attributes as in :mod:`kg.property_graph`).
        title: the heading of the page.
        subtitle: one line under the heading saying what is shown.
        total_nodes: how many nodes the selection had before pruning.
        degrees: node → degree in the drawing (drives the node size).
        facts: node → tooltip lines (domains, posting counts, sources...).
        focus: the nodes the view is centred on; they are never pruned.
        marks: node → mark name (for example ``have``/``missing``); a marked
            node takes the mark's colour instead of its type's.
        mark_colours: mark name → CSS colour, in legend order.
        postings_not_drawn: job postings of the graph that are only counted in the tooltips.
    """

    graph: PropertyGraph = field(repr=False)
    title: str
    subtitle: str = ""
    total_nodes: int = 0
    degrees: Mapping[str, int] = field(default_factory=dict, repr=False)
    facts: Mapping[str, tuple[Fact, ...]] = field(default_factory=dict, repr=False)
    focus: tuple[str, ...] = ()
    marks: Mapping[str, str] = field(default_factory=dict)
    mark_colours: Mapping[str, str] = field(default_factory=dict)
    postings_not_drawn: int = 0

    @property
    def shown_nodes(self) -> int:
        """How many nodes are drawn."""
        return int(self.graph.number_of_nodes())

    @property
    def pruned(self) -> bool:
        """Whether nodes were left out to keep the drawing readable."""
        return self.total_nodes > self.shown_nodes

    def type_counts(self) -> dict[str, int]:
        """Drawn nodes per type, in :data:`TYPE_ORDER`."""
        counts = Counter(data.get("type", "") for _, data in self.graph.nodes(data=True))
        ordered = {kind: counts[kind] for kind in TYPE_ORDER if counts[kind]}
        ordered.update({kind: n for kind, n in sorted(counts.items()) if kind not in ordered})
        return ordered

    def note(self) -> str:
        """The sentence the page shows when nodes were pruned, else ``""``."""
        if not self.pruned:
            return ""
        return f"showing {self.shown_nodes:,} of {self.total_nodes:,} nodes, the most connected"

    def summary(self) -> str:
        """One line for the CLI: what was drawn, and whether it was pruned."""
        kinds = ", ".join(f"{n:,} {kind}" for kind, n in self.type_counts().items())
        text = f"{self.shown_nodes:,} nodes ({kinds or 'none'}), {self.graph.number_of_edges():,} edges"
        if self.pruned:
            text += f"; {self.note()}"
        return text

    def with_marks(self, marks: Mapping[str, str], colours: Mapping[str, str]) -> View:
        """This view with some nodes coloured by a mark (``gap``: have/missing) instead of by type.

        ``marks`` maps a node IRI to a mark name, ``colours`` a mark name to a CSS colour;
        marks of nodes that are not drawn are ignored.
        """
        unknown = sorted(set(marks.values()) - set(colours))
        if unknown:
            raise ValueError(f"no colour for the mark(s) {', '.join(unknown)}")
        kept = {iri: mark for iri, mark in sorted(marks.items()) if iri in self.graph}
        return dataclasses.replace(self, marks=kept, mark_colours=dict(colours))
