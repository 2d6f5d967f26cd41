"""What a drawing shows: the :class:`View` that the selections make and the page renders."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kg.property_graph import PropertyGraph
    from kg.viz.details import Link

#: Node types in the order legends, filters and tie-breaks use.
TYPE_ORDER = ("Role", "Skill", "Company", "Domain", "JobPosting")


@dataclass(frozen=True)
class View:
    """A part of the graph, ready to draw.

    Attributes:
        graph: the nodes and edges to draw (attributes as in :mod:`kg.property_graph`; imported
            concepts also carry ``taxonomy``, such as ``ESCO``).
        title: the heading of the page.
        subtitle: one line under the heading saying what is shown.
        total_nodes: how many nodes the selection had before pruning.
        postings: node → how many job postings stand behind it (drives the node size).
        links: (source, target) → the figures on that link: level, postings, share.
        sources: node → every ``file:line`` of the postings behind it.
        aliases: node → its other names (search matches them).
        focus: the nodes the view is centred on; they are never pruned.
        secondary: nodes drawn as a second, fainter layer (a company's role profiles).
        postings_not_drawn: job postings of the graph that are only counted in the details.
        extra_note: a sentence the page adds under the title (what was left out, and how to see it).
        scope: the company a company view is about: its figures come first in the details.
    """

    graph: PropertyGraph = field(repr=False)
    title: str
    subtitle: str = ""
    total_nodes: int = 0
    postings: Mapping[str, int] = field(default_factory=dict, repr=False)
    links: Mapping[tuple[str, str], Link] = field(default_factory=dict, repr=False)
    sources: Mapping[str, tuple[str, ...]] = field(default_factory=dict, repr=False)
    aliases: Mapping[str, tuple[str, ...]] = field(default_factory=dict, repr=False)
    focus: tuple[str, ...] = ()
    secondary: frozenset[str] = frozenset()
    postings_not_drawn: int = 0
    extra_note: str = ""
    scope: str = ""

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
        """The sentence the page shows when nodes were pruned or left out, else ``""``."""
        pruned = (f"showing {self.shown_nodes:,} of {self.total_nodes:,} nodes, the most connected"
                  if self.pruned else "")
        return "; ".join(text for text in (pruned, self.extra_note) if text)

    def summary(self) -> str:
        """One line for the CLI: what was drawn, and whether it was pruned."""
        kinds = ", ".join(f"{n:,} {kind}" for kind, n in self.type_counts().items())
        text = f"{self.shown_nodes:,} nodes ({kinds or 'none'}), {self.graph.number_of_edges():,} edges"
        if self.pruned:
            text += f"; {self.note()}"
        return text
