"""The property graph as GraphML, for Gephi, Cytoscape, igraph and networkx."""

from __future__ import annotations

import io
from typing import Any


def graphml_bytes(graph: Any) -> bytes:
    """A networkx graph as GraphML, readable by Gephi, Cytoscape, igraph and networkx."""
    import networkx as nx

    from kg.xmlchars import xml_safe

    buffer = io.BytesIO()
    nx.write_graphml_xml(graph, buffer, named_key_ids=True)
    return xml_safe(buffer.getvalue())
