"""Render a :class:`View` as one self-contained HTML page, its scripts inlined, no external URLs.

The whole graph is drawn by sigma.js (WebGL) with graphology; focused views by
vis-network from a pyvis network (:mod:`kg.viz.network`). Both pages share the
details panel, search and filters (``kg/templates/drawing/``). Layouts are
computed here, so a page draws at once and the same view always gives the same
bytes. The data travels as JSON in ``<script type="application/json">`` blocks
with ``<``, ``>`` and ``&`` escaped; the page builds every label and panel with
``textContent``, and vis-network draws labels on a canvas.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from typing import Any

from kg import palette
from kg.html import render, script_json
from kg.numbers import THIN_POSTINGS
from kg.viz import assets
from kg.viz.layout import Node, layout
from kg.viz.model import TYPE_ORDER, View

#: How each relation reads from its source (``out``) and from its target (``in``), and whether the
#: whole drawing shows it as a line (the others show when a node is selected, and in the details).
RELATIONS: dict[str, dict[str, Any]] = {
    "requiresSkill": {"out": "Requires", "in": "Required by", "drawn": True},
    "prefersSkill": {"out": "Prefers", "in": "Preferred by", "drawn": True},
    "asksFor": {"out": "Its postings ask for", "in": "Asked for in the postings of", "drawn": False},
    "hires": {"out": "Hires", "in": "Hired by", "drawn": True},
    "partOfDomain": {"out": "In the domain", "in": "Skills in it", "drawn": False},
    "broader": {"out": "Falls under", "in": "Narrower", "drawn": True},
    "exactMatch": {"out": "Same as", "in": "Same as (kg)", "drawn": True},
    "closeMatch": {"out": "Close to", "in": "Close to (kg)", "drawn": True},
    "broadMatch": {"out": "Falls under", "in": "Broader than (kg)", "drawn": True},
    "forRole": {"out": "A posting for", "in": "Postings", "drawn": True},
    "postedBy": {"out": "Posted by", "in": "Postings", "drawn": True},
}
_OTHER_RELATION = {"out": "Linked to", "in": "Linked from", "drawn": False}

#: Names of the kinds in the legend.
KIND_NAMES = {"Role": "Role", "Skill": "Skill", "Company": "Company", "Domain": "Domain", "JobPosting": "Job posting"}

#: Whose label wins a place first when labels would overlap (higher first).
_LABEL_RANK = {"Domain": 5, "Role": 4, "Company": 3, "Skill": 2, "JobPosting": 1}
#: Node radius in pixels at the opening zoom: base and growth with the square root of postings (or links).
_SIZES = {"Domain": (6.0, 0.9), "Role": (5.0, 0.9), "Company": (4.0, 0.7), "Skill": (1.8, 0.4), "JobPosting": (2.5, 0)}
_MAX_SIZE = 22.0


def page(view: View) -> str:
    """The complete HTML page for ``view``; the same view always gives the same text.

    A focused view of up to :data:`kg.viz.network.NETWORK_UP_TO` nodes is drawn by vis-network from
    :func:`kg.viz.network.network` (pyvis); the whole graph, and larger views, by sigma.js in WebGL.
    """
    from kg.viz import network

    if network.fits(view):
        net = network.network(view)
        nodes, edges, _heading, _height, _width, options = net.get_network_data()
        return render(
            "network.html.j2",
            view=view,
            legend=_legend(view, network.SHAPES),
            palette=palette,
            data_json=script_json(details_data(view)),
            network_json=script_json({"nodes": nodes, "edges": edges, "options": json.loads(options)}),
            label_px=network.LABEL_PX,
            scripts=[assets.script(name) for name in assets.NETWORK_SCRIPTS],
            versions=assets.versions(assets.NETWORK_SCRIPTS),
        )
    return render(
        "graph.html.j2",
        view=view,
        legend=_legend(view, {}),
        palette=palette,
        data_json=script_json(page_data(view)),
        scripts=[assets.script(name) for name in assets.SCRIPTS],
        versions=assets.versions(assets.SCRIPTS),
    )


def _legend(view: View, shapes: dict[str, str]) -> list[dict[str, Any]]:
    items = [{"key": kind, "name": KIND_NAMES.get(kind, kind), "color": palette.KINDS.get(kind, palette.OTHER),
              "count": count, "shape": shapes.get(kind, "dot")}
             for kind, count in view.type_counts().items()]
    taxonomies = Counter(data.get("taxonomy") for _, data in view.graph.nodes(data=True) if data.get("taxonomy"))
    for name in palette.TAXONOMIES:
        if taxonomies[name]:
            items.append({"key": name, "name": f"{name} concept", "color": palette.TAXONOMIES[name],
                          "count": taxonomies[name], "shape": "dot"})
    if view.secondary:
        items.append({"key": "secondary", "name": "Role profile (not in its postings)", "color": palette.SECONDARY,
                      "count": len(view.secondary), "shape": "dot"})
    return items


def ordered(view: View) -> tuple[list[str], list[tuple[int, int, str]]]:
    """The nodes of ``view`` in the order the page numbers them (sorted IRIs), and its edges as
    (source index, target index, relation), sorted: edge ``k`` of the page is the ``k``-th.
    """
    ids = sorted(view.graph.nodes)
    index = {iri: i for i, iri in enumerate(ids)}
    edges = sorted({(index[s], index[t], rel) for s, t, rel in view.graph.edges(data="relation")})
    return ids, edges


def details_data(view: View) -> dict[str, Any]:
    """What the details panel, search, filters and labels read: nodes as columns, edges as triples of indices, figures,
    sources and aliases. Kinds and taxonomies are indices into ``kinds`` and ``taxa``; IRIs are split into a
    prefix (an index into ``prefixes``) and the rest, which keeps a 30,000-node page a third smaller.
    """
    graph = view.graph
    ids, edges = ordered(view)
    index = {iri: i for i, iri in enumerate(ids)}
    counted = any(view.postings.values())
    weight = _weights(view, ids)
    relations = sorted({rel for _, _, rel in edges}, key=lambda r: (list(RELATIONS).index(r) if r in RELATIONS
                                                                    else len(RELATIONS), r))
    rel_index = {rel: k for k, rel in enumerate(relations)}
    kinds = [_kind(graph, iri) for iri in ids]
    kind_list = [kind for kind in TYPE_ORDER if kind in set(kinds)] + sorted(set(kinds) - set(TYPE_ORDER))
    taxa = ["", *sorted({graph.nodes[iri].get("taxonomy", "") for iri in ids} - {""})]
    prefixes: dict[str, int] = {}
    split = [_split(iri) for iri in ids]
    for prefix, _ in split:
        prefixes.setdefault(prefix, len(prefixes))
    top = _top_domains(graph, ids)
    files: dict[str, int] = {}
    sources = {}
    for iri, places in view.sources.items():
        if iri in index:
            flat: list[int] = []
            for place in places:
                path, _, line = place.rpartition(":")
                if not line.isdigit():
                    path, line = place, "0"
                flat += [files.setdefault(path, len(files)), int(line)]
            sources[str(index[iri])] = flat
    links = {}
    for k, (s, t, _rel) in enumerate(edges):
        link = view.links.get((ids[s], ids[t]))
        if link is not None:
            links[str(k)] = [link.postings, link.share, link.level, link.of]
    rank = [_rank(kinds[i], weight[i], iri in top, bool(graph.nodes[iri].get("taxonomy"))) for i, iri in enumerate(ids)]
    return {
        "n": {
            "ns": [prefixes[prefix] for prefix, _ in split],
            "local": [local for _, local in split],
            "label": [graph.nodes[iri].get("label", iri) for iri in ids],
            "kind": [kind_list.index(kind) for kind in kinds],
            "rank": rank,
            "postings": [view.postings.get(iri, 0) for iri in ids],
            "tax": [taxa.index(graph.nodes[iri].get("taxonomy", "")) for iri in ids],
            "sec": [1 if iri in view.secondary else 0 for iri in ids],
        },
        "prefixes": sorted(prefixes, key=prefixes.__getitem__),
        "kinds": kind_list,
        "taxa": taxa,
        "counted": counted,
        "aliases": {str(index[iri]): list(names) for iri, names in view.aliases.items() if iri in index},
        "domains": {str(index[iri]): list(graph.nodes[iri]["domains"])
                    for iri in ids if graph.nodes[iri].get("domains")},
        "e": [value for s, t, rel in edges for value in (s, t, rel_index[rel])],
        # a company's view draws what its postings ask for as lines; the whole graph keeps them for the details
        "rel": [{"name": rel, **RELATIONS.get(rel, _OTHER_RELATION), **({"drawn": True} if view.scope and
                                                                         rel == "asksFor" else {})}
                for rel in relations],
        "links": links,
        "files": sorted(files, key=files.__getitem__),
        "src": sources,
        "focus": [index[iri] for iri in view.focus if iri in index],
        "scope": index.get(view.scope, -1),
        "thin": THIN_POSTINGS,
        "colours": {"kinds": {**palette.KINDS}, "taxonomies": {**palette.TAXONOMIES}, "other": palette.OTHER,
                    "secondary": palette.SECONDARY, "ink": palette.INK},
        "kindNames": KIND_NAMES,
        "byRank": sorted(range(len(ids)), key=lambda i: (-rank[i], i)),  # the order labels are tried in
    }


def page_data(view: View) -> dict[str, Any]:
    """:func:`details_data`, and what the WebGL renderer draws: positions (y up) and sizes."""
    data = details_data(view)
    graph = view.graph
    ids, edges = ordered(view)
    weight = _weights(view, ids)
    kinds = [_kind(graph, iri) for iri in ids]
    positions = layout([Node(iri, kinds[i], weight[i], len(graph.nodes[iri].get("label", "")))
                        for i, iri in enumerate(ids)], [(ids[s], ids[t], rel) for s, t, rel in edges])
    top = _top_domains(graph, ids)
    nodes = data["n"]
    nodes["x"] = [positions[iri][0] for iri in ids]
    nodes["y"] = [-positions[iri][1] for iri in ids]
    nodes["size"] = [_size(kinds[i], weight[i], iri in top) for i, iri in enumerate(ids)]
    return data


def _weights(view: View, ids: list[str]) -> list[float]:
    """What sizes a node: the postings behind it, or, in a graph without postings, its links."""
    if any(view.postings.values()):
        return [float(view.postings.get(iri, 0)) for iri in ids]
    return [float(view.graph.degree(iri)) for iri in ids]


def _top_domains(graph: Any, ids: list[str]) -> set[str]:
    return {iri for iri in ids if _kind(graph, iri) == "Domain" and not any(
        rel == "broader" and _kind(graph, v) == "Domain" for _, v, rel in graph.out_edges(iri, data="relation"))}


def _split(iri: str) -> tuple[str, str]:
    cut = max(iri.rfind("/"), iri.rfind("#")) + 1
    return iri[:cut], iri[cut:]


def _kind(graph: Any, iri: str) -> str:
    return str(graph.nodes[iri].get("type", ""))


def _size(kind: str, weight: float, top: bool) -> float:
    base, growth = _SIZES.get(kind, (2.5, 0.4))
    if top:
        base += 2
    return round(min(_MAX_SIZE, base + growth * math.sqrt(weight)), 2)


def _rank(kind: str, weight: float, top: bool, imported: bool) -> float:
    """Label priority: top-level domains, then roles, subdomains, companies, skills; the most asked-for first."""
    rank = 6.0 if top else float(_LABEL_RANK.get(kind, 0))
    if kind == "Domain" and not top:
        rank = 3.5
    if imported:
        rank -= 1.5
    return round(rank * 100_000 + min(weight, 99_999), 1)

