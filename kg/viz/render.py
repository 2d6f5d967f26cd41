"""Render a :class:`View` as one self-contained HTML page (vis-network inlined, no external URLs).

pyvis builds the network (nodes, edges, options); the page is our own Jinja2
template, ``kg/templates/graph.html.j2``, because pyvis's stock template links
a CDN even "in line" and pastes labels into a script unescaped. Here the data
travels as JSON in a ``<script type="application/json">`` block with ``<``,
``>`` and ``&`` escaped, and every tooltip is built in the browser with
``textContent``.
"""

from __future__ import annotations

import json
import math
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

from kg.html import render, script_json
from kg.viz.model import View

if TYPE_CHECKING:
    from pyvis.network import Network

VIS_VERSION = "9.1.2"

#: From this many nodes on a drawing is crowded: short springs, thin edges, big landmark labels.
BIG = 400

#: Node types whose labels stay readable at any zoom: the landmarks of the map.
LANDMARKS = ("Role", "Domain")

#: Colour and shape of each node type.
TYPE_STYLES: dict[str, dict[str, str]] = {
    "Role": {"color": "#e8590c", "shape": "dot", "name": "Role"},
    "Skill": {"color": "#1c7ed6", "shape": "dot", "name": "Skill"},
    "Company": {"color": "#7048e8", "shape": "diamond", "name": "Company"},
    "Domain": {"color": "#2b8a3e", "shape": "hexagon", "name": "Domain"},
    "JobPosting": {"color": "#868e96", "shape": "square", "name": "Job posting"},
}
_OTHER = {"color": "#adb5bd", "shape": "dot", "name": "Other"}

#: How each relation is drawn, and what its tooltip says.
EDGE_STYLES: dict[str, dict[str, Any]] = {
    "requiresSkill": {"color": "#5c677d", "dashes": False, "text": "requires"},
    "prefersSkill": {"color": "#8d99ae", "dashes": True, "text": "prefers"},
    "hires": {"color": "#9775fa", "dashes": False, "text": "hires"},
    "partOfDomain": {"color": "#69db7c", "dashes": False, "text": "is part of the domain"},
    "broader": {"color": "#2b8a3e", "dashes": False, "text": "falls under"},
    "forRole": {"color": "#ced4da", "dashes": False, "text": "is a posting for"},
    "postedBy": {"color": "#ced4da", "dashes": False, "text": "was posted by"},
}


def page(view: View) -> str:
    """The complete HTML page for ``view``; the same view always gives the same text."""
    network = build_network(view)
    nodes, edges, _heading, _height, _width, options = network.get_network_data()
    legend = [{"type": kind, "name": _style(kind)["name"], "color": _style(kind)["color"],
               "shape": _style(kind)["shape"], "count": count} for kind, count in view.type_counts().items()]
    marks = [{"name": name, "color": colour,
              "count": sum(1 for mark in view.marks.values() if mark == name)}
             for name, colour in view.mark_colours.items()]
    relations = sorted({rel for _, _, rel in view.graph.edges(data="relation")},
                       key=lambda r: list(EDGE_STYLES).index(r) if r in EDGE_STYLES else len(EDGE_STYLES))
    edge_styles = {r: _edge_style(r) for r in relations}
    data = {"nodes": nodes, "edges": edges, "options": json.loads(options), "focus": list(view.focus),
            "kinds": {kind: _style(kind)["name"] for kind in view.type_counts()}, "edgeStyles": edge_styles}
    return render(
        "graph.html.j2",
        view=view,
        legend=legend,
        marks=marks,
        edge_legend=[{"relation": r, **style} for r, style in edge_styles.items()],
        data_json=script_json(data),
        vis_js=_vis_asset("vis-network.min.js"),
        vis_css=_vis_asset("vis-network.css"),
    )


def build_network(view: View) -> Network:
    """The pyvis network of ``view``: nodes grouped by type, edges by relation, physics that settles.

    Colours and shapes come from the vis ``groups`` option (one per type) and,
    in the page, from the relation of each edge; only focused and marked nodes
    carry their own colour. That keeps a 1,500-node page small.
    """
    from pyvis.network import Network

    network = Network(directed=True)
    focus = set(view.focus)
    for iri, data in sorted(view.graph.nodes(data=True)):
        kind = data.get("type", "")
        landmark = kind in LANDMARKS or iri in focus
        extra: dict[str, Any] = _landmark_label(view.shown_nodes, kind == "Domain" or iri in focus) if landmark else {}
        if iri in view.marks:
            extra["mark"] = view.marks[iri]
        network.add_node(iri, label=data.get("label", iri), shape=_style(kind)["shape"], group=kind,
                         value=max(1, view.degrees.get(iri, 1)), kind=kind,
                         facts=[list(fact) for fact in view.facts.get(iri, ())], **extra)
        if iri in view.marks or iri in focus:
            colour = view.mark_colours[view.marks[iri]] if iri in view.marks else _style(kind)["color"]
            network.node_map[iri]["color"] = _node_colour(colour, "#212529" if iri in focus else _darker(colour))
            if iri in focus:
                network.node_map[iri]["borderWidth"] = 3
    for source, target, relation in sorted(view.graph.edges(data="relation")):
        network.add_edge(source, target, relation=relation)
    options = vis_options(view.shown_nodes)
    options["groups"] = {kind: {"color": _node_colour(_style(kind)["color"], _darker(_style(kind)["color"])),
                                "shape": _style(kind)["shape"]} for kind in view.type_counts()}
    network.options = options
    return network


def _node_colour(colour: str, border: str) -> dict[str, Any]:
    return {"background": colour, "border": border, "highlight": {"background": colour, "border": "#212529"},
            "hover": {"background": colour, "border": "#212529"}}


def _edge_style(relation: str) -> dict[str, Any]:
    return EDGE_STYLES.get(relation, {"color": "#ced4da", "dashes": False, "text": relation})


def crowding(n_nodes: int) -> float:
    """0 for a drawing of a few dozen nodes, 1 from :data:`BIG` nodes on; styles blend between the two."""
    return min(1.0, max(0.0, (n_nodes - 40) / (BIG - 40)))


def _blend(small: float, big: float, t: float) -> float:
    return round(small + (big - small) * t, 3)


def _landmark_label(n_nodes: int, major: bool) -> dict[str, Any]:
    """A label that stays readable when the whole drawing is in view (roles, domains, the focus).

    The drawing spans about sqrt(nodes) x spring length, and is scaled to fit the
    window, so the font grows with that span to keep about the same size on screen.
    """
    spring = _blend(170, 60, crowding(n_nodes))
    size = min(38.0, max(17.0, round(0.017 * math.sqrt(n_nodes) * spring, 1))) + (2 if major else 0)
    return {"scaling": {"label": {"enabled": False}}, "font": {"size": size, "strokeWidth": 5}}


def vis_options(n_nodes: int) -> dict[str, Any]:
    """vis-network options: sizes by degree, labels that fade out when small, physics that stops.

    The more nodes, the shorter the springs, the thinner the edges and the larger the
    labels of big nodes, so that a crowded drawing still reads when zoomed out.
    """
    t = crowding(n_nodes)
    return {
        "autoResize": True,
        "layout": {"randomSeed": 7, "improvedLayout": n_nodes <= 150},
        "nodes": {
            "borderWidth": 1,
            "font": {"face": "system-ui, -apple-system, Segoe UI, Roboto, sans-serif", "size": 14,
                     "color": "#212529", "strokeWidth": 4, "strokeColor": "#ffffff"},
            "scaling": {"min": _blend(10, 6, t), "max": _blend(36, 48, t),
                        "label": {"enabled": True, "min": _blend(14, 12, t), "max": _blend(26, 64, t),
                                  "maxVisible": 26, "drawThreshold": _blend(5, 8, t)}},
        },
        "edges": {
            "smooth": False,
            "width": _blend(1.2, 0.6, t),
            "selectionWidth": 2,
            "color": {"inherit": False, "opacity": _blend(0.7, 0.35, t)},
            "arrows": {"to": {"enabled": True, "scaleFactor": _blend(0.5, 0.35, t)}},
        },
        "interaction": {"hover": True, "tooltipDelay": 150, "hideEdgesOnDrag": n_nodes > BIG,
                        "multiselect": False, "navigationButtons": False},
        "physics": {
            "enabled": True,
            "solver": "forceAtlas2Based",
            "forceAtlas2Based": {"gravitationalConstant": _blend(-160, -45, t), "centralGravity": 0.02,
                                 "springLength": _blend(170, 60, t), "springConstant": 0.08,
                                 "damping": 0.5, "avoidOverlap": _blend(0.9, 0.5, t)},
            "minVelocity": 1.5,
            "maxVelocity": 60,
            "timestep": 0.45,
            "stabilization": {"enabled": True, "iterations": 300, "updateInterval": 20, "fit": True},
        },
    }


def _style(kind: str) -> dict[str, str]:
    return TYPE_STYLES.get(kind, _OTHER)


def _darker(colour: str) -> str:
    if len(colour) != 7 or not colour.startswith("#"):
        return colour
    channels = [int(colour[i:i + 2], 16) * 7 // 10 for i in (1, 3, 5)]
    return "#" + "".join(f"{c:02x}" for c in channels)


@cache
def _vis_asset(name: str) -> str:
    """A file of the vis-network build that ships inside pyvis."""
    path = resources.files("pyvis").joinpath("templates", "lib", f"vis-{VIS_VERSION}", name)
    text = path.read_text(encoding="utf-8")
    if "</script" in text.lower() or "</style" in text.lower() or "<!--" in text:
        raise RuntimeError(f"{name} cannot be inlined: it contains a closing tag")
    return text
