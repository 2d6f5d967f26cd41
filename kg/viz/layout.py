"""Where each node of a drawing goes, computed once in Python so that the page is usable at once.

The layout is a map, not a hairball:

1. *Landmarks* — domains, roles and companies (the most connected ones, up to
   :data:`MAX_LANDMARKS`) — are placed by a force layout (ForceAtlas2-style
   repulsion, attraction along links, gravity), in which each landmark is as
   big as the cluster it carries, so that clusters do not overlap.
2. Every other node *follows* a landmark: a skill its domain, an imported
   concept the kg concept it is aligned to, anything else the landmark it is
   closest to by links. Followers sit around their landmark on a sunflower
   spiral, the most asked-for closest to it.

Small drawings (up to :data:`ALL_FORCES` nodes) put every node in the force
layout. The result depends only on the graph: same graph, same positions.
"""

from __future__ import annotations

import math
from collections import defaultdict, deque
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

#: Nodes that take part in the force layout at most; the rest follow one of them.
MAX_LANDMARKS = 320
#: Below this many nodes, every node takes part in the force layout.
ALL_FORCES = 250
#: Kinds that are landmarks, most important first.
LANDMARK_KINDS = ("Domain", "Role", "Company")
#: Distance between neighbouring followers on a spiral, in layout units (about a pixel at the opening zoom).
SPACING = 11.0
#: Relations a follower is anchored by, most telling first.
ANCHOR_RELATIONS = ("partOfDomain", "exactMatch", "closeMatch", "broadMatch", "broader", "forRole", "postedBy",
                    "requiresSkill", "prefersSkill", "asksFor", "hires")

_GOLDEN = math.pi * (3 - math.sqrt(5))


@dataclass(frozen=True)
class Node:
    """What the layout needs to know of a node: its kind, its weight (demand) and its label length."""

    id: str
    kind: str
    weight: float = 1.0
    label_chars: int = 8


def layout(nodes: Sequence[Node], edges: Sequence[tuple[str, str, str]],
           seed: int = 7) -> dict[str, tuple[float, float]]:
    """Positions for ``nodes`` given ``edges`` (source, target, relation); deterministic for a given input."""
    if not nodes:
        return {}
    order = sorted(nodes, key=lambda n: n.id)
    index = {n.id: i for i, n in enumerate(order)}
    links = sorted({(index[s], index[t], r) for s, t, r in edges if s in index and t in index and s != t})
    landmarks = _landmarks(order, links)
    anchor = _anchors(order, links, landmarks)
    followers: dict[int, list[int]] = defaultdict(list)
    for node, target in sorted(anchor.items()):
        if node != target:
            followers[target].append(node)
    for members in followers.values():
        members.sort(key=lambda i: (-order[i].weight, order[i].id))
    radius = {i: _cluster_radius(len(followers.get(i, ())), order[i]) for i in landmarks}
    centre = _force_layout(landmarks, links, radius, order, seed)
    positions: dict[str, tuple[float, float]] = {}
    for i, (x, y) in centre.items():
        positions[order[i].id] = (x, y)
        for k, member in enumerate(followers.get(i, ()), start=1):
            r = SPACING * 0.62 * math.sqrt(k) + _own_radius(order[i])
            angle = k * _GOLDEN
            positions[order[member].id] = (x + r * math.cos(angle), y + r * math.sin(angle))
    orphans = [n for n in order if n.id not in positions]
    positions.update(_ring(orphans, positions))
    return {key: (round(x, 2), round(y, 2)) for key, (x, y) in sorted(positions.items())}


def _landmarks(order: Sequence[Node], links: Sequence[tuple[int, int, str]]) -> list[int]:
    if len(order) <= ALL_FORCES:
        return list(range(len(order)))
    degree: dict[int, int] = defaultdict(int)
    for s, t, _ in links:
        degree[s] += 1
        degree[t] += 1
    rank = {kind: k for k, kind in enumerate(LANDMARK_KINDS)}
    candidates = [i for i, n in enumerate(order) if n.kind in rank]
    candidates.sort(key=lambda i: (rank[order[i].kind], -degree[i], order[i].id))
    chosen = candidates[:MAX_LANDMARKS]
    if not chosen:  # a graph of skills only: the most connected nodes lead
        chosen = sorted(range(len(order)), key=lambda i: (-degree[i], order[i].id))[: max(1, len(order) // 50)]
    return sorted(chosen)


def _anchors(order: Sequence[Node], links: Sequence[tuple[int, int, str]], landmarks: Sequence[int]) -> dict[int, int]:
    """Each node → the landmark it follows, found breadth-first, the most telling relations first."""
    anchor = {i: i for i in landmarks}
    by_relation: dict[str, dict[int, list[int]]] = defaultdict(lambda: defaultdict(list))
    for s, t, relation in links:
        by_relation[relation][s].append(t)
        by_relation[relation][t].append(s)
    relations = [r for r in ANCHOR_RELATIONS if r in by_relation] + sorted(set(by_relation) - set(ANCHOR_RELATIONS))
    for relation in relations:  # one breadth-first pass per relation, so that a domain beats a role
        neighbours = by_relation[relation]
        queue = deque(sorted(anchor))
        while queue:
            node = queue.popleft()
            for other in neighbours.get(node, ()):
                if other not in anchor:
                    anchor[other] = anchor[node]
                    queue.append(other)
    return anchor


def _own_radius(node: Node) -> float:
    return 6.0 + 2.0 * math.sqrt(node.weight)


def _cluster_radius(followers: int, node: Node) -> float:
    return _own_radius(node) + SPACING * 0.62 * math.sqrt(followers) + SPACING


def _force_layout(landmarks: Sequence[int], links: Sequence[tuple[int, int, str]], radius: Mapping[int, float],
                  order: Sequence[Node], seed: int, iterations: int = 300) -> dict[int, tuple[float, float]]:
    """ForceAtlas2-style layout of the landmarks, with overlap prevention by cluster radius."""
    import numpy as np

    n = len(landmarks)
    if n == 1:
        return {landmarks[0]: (0.0, 0.0)}
    local = {node: k for k, node in enumerate(landmarks)}
    weights: dict[tuple[int, int], float] = defaultdict(float)
    for s, t, _ in links:
        if s in local and t in local:
            a, b = sorted((local[s], local[t]))
            weights[a, b] += 1.0
    sizes = np.array([radius[i] for i in landmarks])
    # the label of a landmark is wider than its dot: count half of it as its size
    sizes += np.array([3.2 * min(order[i].label_chars, 28) for i in landmarks])
    rng = np.random.default_rng(seed)
    spread = math.sqrt(float((sizes ** 2).sum())) * 1.5
    pos = rng.uniform(-spread, spread, size=(n, 2))
    mass = 1.0 + np.zeros(n)
    if weights:
        pairs = np.array(list(weights), dtype=np.int64)
        strength = np.log1p(np.array(list(weights.values())))
        np.add.at(mass, pairs[:, 0], strength)
        np.add.at(mass, pairs[:, 1], strength)
    else:
        pairs = np.zeros((0, 2), dtype=np.int64)
        strength = np.zeros(0)
    repulsion = float(sizes.mean()) * 2.0
    both = sizes[:, None] + sizes[None, :]
    masses = repulsion * mass[:, None] * mass[None, :]
    crowd = masses * 20.0
    gravity = 0.05
    step = spread / 10
    for iteration in range(iterations):
        dx = pos[:, 0, None] - pos[None, :, 0]
        dy = pos[:, 1, None] - pos[None, :, 1]
        distance = np.sqrt(dx * dx + dy * dy) + 1e-9
        gap = distance - both
        push = np.where(gap < 0, crowd, masses / np.maximum(gap, 1.0)) / distance
        np.fill_diagonal(push, 0.0)
        force = np.stack(((dx * push).sum(axis=1), (dy * push).sum(axis=1)), axis=1)
        if len(pairs):
            pull = pos[pairs[:, 1]] - pos[pairs[:, 0]]
            pulled = pull * strength[:, None] * 0.05
            np.add.at(force, pairs[:, 0], pulled)
            np.add.at(force, pairs[:, 1], -pulled)
        force -= gravity * mass[:, None] * pos
        length = np.sqrt((force ** 2).sum(axis=1)) + 1e-9
        cool = step * (1.0 - iteration / iterations) + 0.5
        pos += force / length[:, None] * np.minimum(length, cool)[:, None]
    pos -= pos.mean(axis=0)
    return {node: (float(pos[k, 0]), float(pos[k, 1])) for node, k in local.items()}


def _ring(nodes: Sequence[Node], placed: Mapping[str, tuple[float, float]]) -> dict[str, tuple[float, float]]:
    """Nodes linked to nothing that is drawn: a sunflower of their own beside the rest."""
    if not nodes:
        return {}
    right = max((x for x, _ in placed.values()), default=0.0)
    cx = right + SPACING * (4 + 0.62 * math.sqrt(len(nodes))) if placed else 0.0
    found = {}
    for k, node in enumerate(sorted(nodes, key=lambda n: (-n.weight, n.id))):
        r = SPACING * 0.62 * math.sqrt(k)
        found[node.id] = (cx + r * math.cos(k * _GOLDEN), r * math.sin(k * _GOLDEN))
    return found
