"""Interactive drawings of the graph: self-contained HTML pages that work offline.

- :func:`view` picks what to draw from a store: the whole graph, the
  neighbourhood of a node, a domain or a company.
- :func:`whole_graph` and :func:`subgraph_view` do the same from a property
  graph (:func:`kg.property_graph.property_graph`).
- :func:`page` renders a :class:`View` as one HTML page with vis-network inlined.
"""

from kg.viz.gap import gap_view
from kg.viz.model import GAP_COLOURS, TYPE_ORDER, View
from kg.viz.render import page
from kg.viz.select import company_nodes, domain_nodes, neighbourhood, prune, subgraph_view, view, whole_graph

__all__ = [
    "GAP_COLOURS",
    "TYPE_ORDER",
    "View",
    "company_nodes",
    "domain_nodes",
    "gap_view",
    "neighbourhood",
    "page",
    "prune",
    "subgraph_view",
    "view",
    "whole_graph",
]
