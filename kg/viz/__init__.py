"""Interactive drawings of the graph: self-contained HTML pages that work offline.

- :func:`view` picks what to draw from a store: the whole graph (with the
  imported concepts aligned to it), the neighbourhood of a node, a domain or a
  company.
- :func:`page` renders a :class:`View` as one HTML page, laid out ahead of time,
  with search and a details panel: the whole graph in WebGL (sigma.js, vendored),
  a focused view as a pyvis network drawn by vis-network (vendored;
  :mod:`kg.viz.network`).
- :func:`gap_page` draws a gap: what a role needs, what you have and what you miss.
"""

from kg.viz.gap import gap_page
from kg.viz.model import TYPE_ORDER, View
from kg.viz.render import page
from kg.viz.select import (
    company_nodes,
    domain_nodes,
    file_name,
    neighbourhood,
    prune,
    subgraph_view,
    view,
    whole_graph,
)

__all__ = [
    "TYPE_ORDER",
    "View",
    "company_nodes",
    "domain_nodes",
    "file_name",
    "gap_page",
    "neighbourhood",
    "page",
    "prune",
    "subgraph_view",
    "view",
    "whole_graph",
]
