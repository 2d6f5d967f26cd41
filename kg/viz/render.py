"""Render a :class:`View` as one self-contained HTML page: sigma.js (WebGL) and graphology inlined, no external URLs.

The layout is computed here (:mod:`kg.viz.layout`), so the page draws at once
and the same view always gives the same bytes. The data travels as JSON in a
``<script type="application/json">`` block with ``<``, ``>`` and ``&`` escaped;
the page builds every label and panel with ``textContent``.
"""

from __future__ import annotations

import math
from typing import Any

from kg import palette
from kg.html import render, script_json
from kg.numbers import THIN_POSTINGS
from kg.viz import assets
from kg.viz.layout import Node, layout
from kg.viz.model import View

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
    """The complete HTML page for ``view``; the same view always gives the same text."""
    return render(
        "graph.html.j2",
        view=view,
        legend=_legend(view),
        palette=palette,
        data_json=script_json(page_data(view)),
        scripts=[assets.script(name) for name in assets.SCRIPTS],
        versions=assets.versions(),
    )


def _legend(view: View) -> list[dict[str, Any]]:
    items = [{"key": kind, "name": KIND_NAMES.get(kind, kind), "color": palette.KINDS.get(kind, palette.OTHER),
              "count": count}
             for kind, count in view.type_counts().items()]
    taxonomies = [name for name in palette.TAXONOMIES
                  if any(data.get("taxonomy") == name for _, data in view.graph.nodes(data=True))]
    for name in taxonomies:
        count = sum(1 for _, data in view.graph.nodes(data=True) if data.get("taxonomy") == name)
        items.append({"key": name, "name": f"{name} concept", "color": palette.TAXONOMIES[name], "count": count})
    if view.secondary:
        items.append({"key": "secondary", "name": "Role profile (not in its postings)", "color": palette.SECONDARY,
                      "count": len(view.secondary)})
    return items


def page_data(view: View) -> dict[str, Any]:
    """What the page's script draws: nodes as columns, edges as triples of indices, figures and sources."""
    graph = view.graph
    ids = sorted(graph.nodes)
    index = {iri: i for i, iri in enumerate(ids)}
    counted = any(view.postings.values())
    weight = {iri: float(view.postings.get(iri, 0) if counted else graph.degree(iri)) for iri in ids}
    edges = sorted({(index[s], index[t], rel) for s, t, rel in graph.edges(data="relation")})
    relations = sorted({rel for _, _, rel in edges}, key=lambda r: (list(RELATIONS).index(r) if r in RELATIONS
                                                                    else len(RELATIONS), r))
    rel_index = {rel: k for k, rel in enumerate(relations)}
    positions = layout([Node(iri, _kind(graph, iri), weight[iri], len(graph.nodes[iri].get("label", "")))
                        for iri in ids], [(ids[s], ids[t], rel) for s, t, rel in edges])
    top_domains = {iri for iri in ids if _kind(graph, iri) == "Domain" and not any(
        rel == "broader" and _kind(graph, v) == "Domain" for _, v, rel in graph.out_edges(iri, data="relation"))}
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
    return {
        "n": {
            "id": ids,
            "label": [graph.nodes[iri].get("label", iri) for iri in ids],
            "kind": [_kind(graph, iri) for iri in ids],
            "x": [positions[iri][0] for iri in ids],
            "y": [positions[iri][1] for iri in ids],
            "size": [_size(_kind(graph, iri), weight[iri], iri in top_domains) for iri in ids],
            "rank": [_rank(_kind(graph, iri), weight[iri], iri in top_domains, bool(graph.nodes[iri].get("taxonomy")))
                     for iri in ids],
            "postings": [view.postings.get(iri, 0) for iri in ids],
            "tax": [graph.nodes[iri].get("taxonomy", "") for iri in ids],
            "sec": [1 if iri in view.secondary else 0 for iri in ids],
        },
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
    }


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

