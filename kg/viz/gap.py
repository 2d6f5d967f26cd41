"""The drawing of a gap: a role and its skills, coloured by whether you have them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kg.viz.model import GAP_COLOURS, View
from kg.viz.select import add_role_domains, subgraph_view

if TYPE_CHECKING:
    from kg.analytics import Gap
    from kg.source import GraphSource


def gap_view(db: GraphSource, result: Gap) -> View:
    """The role, its skills and the skills you named, green for have and red for missing."""
    from kg.property_graph import property_graph

    graph = property_graph(db)
    add_role_domains(db, graph)
    marks = {m.iri: "have" for m in result.matched}
    marks.update({m.iri: "missing" for m in result.missing})
    nodes = [result.role, *marks]
    title = f"{result.label}: {result.coverage:.0%} covered"
    subtitle = f"{len(result.matched)} of {len(marks)} skills matched; red ones are missing"
    view = subgraph_view(graph, nodes, title=title, subtitle=subtitle, focus=(result.role,))
    return view.with_marks(marks, GAP_COLOURS)
