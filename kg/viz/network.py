"""Focused views as a pyvis network: a neighbourhood, a domain or a company, drawn by vis-network.

pyvis builds the network — a node per entity with its label, colour, shape, size
and position, an edge per link styled by its relation — and
:func:`kg.viz.render.page` draws it with vis-network (vendored in
``kg/viz/vendor/``) next to the details panel the whole graph has too.

Positions are computed here, not by physics in the browser: the force layout of
:mod:`kg.viz.layout`, then :func:`kg.viz.spread.spread` until no two nodes with
their labels overlap at each kind's font size. The page then chooses, at each
zoom, which labels to draw and how big (never under :data:`LABEL_PX` pixels),
most important first, so that none overlaps; physics is off, and nodes cannot
be dragged onto each other. The same view always gives the same network.
"""

from __future__ import annotations

import math
import statistics
from typing import TYPE_CHECKING, Any

from kg import palette
from kg.viz.layout import Node, layout
from kg.viz.spread import LINE_HEIGHT, Box, spread, text_width

if TYPE_CHECKING:
    from pyvis.network import Network

    from kg.viz.model import View

#: Focused views up to this many nodes are drawn by vis-network; larger ones by the WebGL renderer.
NETWORK_UP_TO = 1_500
#: The face labels are drawn in: DejaVu Sans where it is installed, else faces no wider (see :mod:`kg.viz.spread`).
FONT_FACE = "DejaVu Sans, Verdana, Arial, sans-serif"
#: Labels longer than this are cut with an ellipsis in the drawing; the details panel gives them whole.
LABEL_CHARS = 40
#: Font size (drawing units) of each kind's labels; the focus is larger.
FONT_SIZES = {"Domain": 16.0, "Role": 16.0, "Company": 16.0, "Skill": 14.0, "JobPosting": 12.0}
FOCUS_FONT = 22.0
#: Labels are drawn no smaller than this many pixels on screen: the page picks, at each zoom, the labels that
#: fit without overlapping, most important first, and leaves the others out until one zooms in.
LABEL_PX = 12
#: Dot radius: base and growth with the square root of postings (or links), by kind.
RADII = {"Domain": (9.0, 1.1), "Role": (9.0, 1.1), "Company": (8.0, 1.0), "Skill": (6.0, 0.8), "JobPosting": (5.0, 0.0)}
MAX_RADIUS = 34.0
#: Shapes tell the kinds apart without colour.
SHAPES = {"Role": "dot", "Skill": "dot", "Company": "diamond", "Domain": "hexagon", "JobPosting": "square"}
#: How each relation's lines look: colour, dashes.
EDGE_STYLES: dict[str, tuple[str, bool | list[int]]] = {
    "requiresSkill": ("#5c677d", False),
    "prefersSkill": ("#5c677d", [6, 5]),
    "asksFor": (palette.KINDS["Company"], False),
    "hires": (palette.KINDS["Company"], [2, 4]),
    "partOfDomain": (palette.KINDS["Domain"], [2, 4]),
    "broader": (palette.KINDS["Domain"], False),
    "exactMatch": (palette.TAXONOMIES["ESCO"], [6, 5]),
    "closeMatch": (palette.TAXONOMIES["ESCO"], [6, 5]),
    "broadMatch": (palette.TAXONOMIES["ESCO"], [6, 5]),
    "forRole": (palette.KINDS["JobPosting"], False),
    "postedBy": (palette.KINDS["JobPosting"], False),
}
#: Views with more lines than this hide them while the drawing moves.
LINES_WHILE_MOVING = 300
#: How much wider than high the layout is stretched at most: as wide as a label is too wide for a screen.
MAX_STRETCH = 1.2
#: How much more room than their boxes the nodes get before they are spread apart.
PACKING = 1.6
#: Opacity of a line at rest, in a view of up to 300 lines (more lines, fainter; a selected node's are solid).
EDGE_OPACITY = 0.45


def fits(view: View) -> bool:
    """Whether ``view`` is drawn as a network: a focused view of at most :data:`NETWORK_UP_TO` nodes."""
    return bool(view.focus) and view.shown_nodes <= NETWORK_UP_TO


def network(view: View) -> Network:
    """The pyvis network of ``view``: node ``i`` is the ``i``-th IRI in sorted order, edge ``k`` the ``k``-th link
    in (source, target, relation) order, as in the page's details data.
    """
    from pyvis.network import Network

    graph = view.graph
    ids = sorted(graph.nodes)
    index = {iri: i for i, iri in enumerate(ids)}
    focus = set(view.focus)
    counted = any(view.postings.values())
    net = Network(directed=True)
    shown = [_shown_label(graph.nodes[iri].get("label", iri)) for iri in ids]
    radii = [_radius(_kind(graph, iri), float(view.postings.get(iri, 0) if counted else graph.degree(iri)),
                     iri in focus) for iri in ids]
    edges = sorted({(s, t, rel) for s, t, rel in graph.edges(data="relation")})
    kinds = [_kind(graph, iri) for iri in ids]
    fonts = [FOCUS_FONT if iri in focus else FONT_SIZES.get(kind, 14.0) for iri, kind in zip(ids, kinds)]
    boxes = [Box(r, text_width(label, size), size * LINE_HEIGHT) for r, label, size in zip(radii, shown, fonts)]
    positions = _positions(view, ids, edges, boxes)
    for i, iri in enumerate(ids):
        colour = _colour(view, iri)
        font: dict[str, Any] = {"size": fonts[i], "face": FONT_FACE, "color": palette.INK, "strokeWidth": 3,
                                "strokeColor": "#ffffff"}
        net.add_node(i, label=shown[i], shape=SHAPES.get(kinds[i], "dot"),
                     color={"background": colour, "border": palette.INK if iri in focus else colour,
                            "highlight": {"background": colour, "border": palette.INK},
                            "hover": {"background": colour, "border": palette.INK}},
                     size=radii[i], x=positions[i][0], y=positions[i][1], font=font,
                     borderWidth=3 if iri in focus else 1)
    opacity = round(max(0.15, min(EDGE_OPACITY, EDGE_OPACITY * math.sqrt(300 / max(len(edges), 1)))), 2)
    for k, (source, target, relation) in enumerate(edges):
        colour, dashes = EDGE_STYLES.get(relation, ("#868e96", False))
        if target in view.secondary or source in view.secondary:
            colour, dashes = palette.SECONDARY, [3, 4]
        net.add_edge(index[source], index[target], id=k, color={"color": colour, "opacity": opacity},
                     dashes=dashes, width=1)
    net.options = options(len(edges))
    return net


def options(edges: int) -> dict[str, Any]:
    """vis-network's options: no physics (positions come from Python), no dragging nodes; the page sizes labels.

    With more than :data:`LINES_WHILE_MOVING` lines, lines hide while the drawing is dragged or zoomed: a canvas
    redrawing hundreds of dashed lines and arrows on every frame pans at 20 frames per second without a GPU.
    """
    return {
        "autoResize": True,
        "physics": {"enabled": False},
        "layout": {"improvedLayout": False, "randomSeed": 7},
        "nodes": {"scaling": {"label": {"enabled": False, "drawThreshold": 1, "maxVisible": 400}}},
        "edges": {"smooth": False, "arrows": {"to": {"enabled": True, "scaleFactor": 0.45}},
                  "selectionWidth": 1.5, "hoverWidth": 0.5},
        "interaction": {"dragNodes": False, "hideEdgesOnDrag": edges > LINES_WHILE_MOVING,
                        "hideEdgesOnZoom": edges > LINES_WHILE_MOVING, "hover": True, "keyboard": False,
                        "multiselect": False, "navigationButtons": False, "selectConnectedEdges": False,
                        "tooltipDelay": 300, "zoomSpeed": 0.6},
    }


def _kind(graph: Any, iri: str) -> str:
    return str(graph.nodes[iri].get("type", ""))


def _shown_label(label: str) -> str:
    return label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1].rstrip() + "…"


def _radius(kind: str, weight: float, focus: bool) -> float:
    base, growth = RADII.get(kind, (6.0, 0.8))
    return round(min(MAX_RADIUS, base + growth * math.sqrt(weight) + (6.0 if focus else 0.0)), 1)


def _colour(view: View, iri: str) -> str:
    if iri in view.secondary:
        return palette.SECONDARY
    taxonomy = view.graph.nodes[iri].get("taxonomy")
    if taxonomy:
        return palette.TAXONOMIES.get(taxonomy, palette.OTHER)
    return palette.KINDS.get(_kind(view.graph, iri), palette.OTHER)


def _positions(view: View, ids: list[str], edges: list[tuple[str, str, str]],
               boxes: list[Box]) -> list[tuple[float, float]]:
    """The force layout, scaled to the area its boxes need, then spread until no box overlaps.

    Labels are wider than high: the layout is stretched across and squeezed down by the ratio of a typical
    box's sides (up to :data:`MAX_STRETCH`), so that spreading has less to do and the view still fits a screen.
    """
    graph = view.graph
    counted = any(view.postings.values())
    nodes = [Node(iri, _kind(graph, iri), float(view.postings.get(iri, 0) if counted else graph.degree(iri)),
                  len(graph.nodes[iri].get("label", ""))) for iri in ids]
    if not boxes:
        return []
    where = layout(nodes, edges)
    start = [where[iri] for iri in ids]
    if len(start) > 1:
        # grow (or shrink) the layout until it covers about the area its boxes need, stretched as a typical box
        xs, ys = [x for x, _ in start], [y for _, y in start]
        extent = max(max(xs) - min(xs), 1.0) * max(max(ys) - min(ys), 1.0)
        needed = sum((2 * b.half_width) * (b.above + b.below) for b in boxes) * PACKING
        scale = math.sqrt(needed / extent)
        stretch = math.sqrt(statistics.median(2 * b.half_width for b in boxes)
                            / statistics.median(b.above + b.below for b in boxes))
        stretch = min(stretch, MAX_STRETCH)
        start = [(x * scale * stretch, y * scale / stretch) for x, y in start]
    return spread(start, boxes)
