"""The store as a property graph: entities as nodes, kg relations as edges (networkx).

This is the view that GraphML, the drawings and the analytics share. Nodes are
the instances of the entity classes (Role, Skill, Company, Domain, JobPosting)
with a ``label``, a ``type`` and their ``iri``; edges carry a ``relation``, the
number of ``postings`` that show the link and a ``weight`` Gephi and Cytoscape
read as its strength.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import TYPE_CHECKING

import pyoxigraph as ox

from kg.namespaces import ENTITY_CLASSES, KG, PROV, RDFS, RELATIONS, SCHEMA, SKOS, local_name
from kg.terms import TYPE, Term, kg, value

if TYPE_CHECKING:
    from typing import TypeAlias

    import networkx as nx

    from kg.source import GraphSource

    #: Nodes are IRIs; node and edge attributes as :func:`property_graph` describes.
    PropertyGraph: TypeAlias = nx.MultiDiGraph

_LABELS = (SKOS + "prefLabel", RDFS + "label", SCHEMA + "name")
_TYPE_ORDER = list(ENTITY_CLASSES)


def _objects(store: GraphSource, predicate: str) -> Iterable[tuple[str, Term]]:
    for quad in store.quads_for_pattern(None, ox.NamedNode(predicate), None, None):
        if isinstance(quad.subject, ox.NamedNode):
            yield quad.subject.value, quad.object


def entity_types(store: GraphSource) -> dict[str, str]:
    """IRI → type name (``Skill``...) for every entity; the first class in ``ENTITY_CLASSES`` wins."""
    types: dict[str, str] = {}
    rank: dict[str, int] = {}
    for cls_index, cls in enumerate(_TYPE_ORDER):
        for quad in store.quads_for_pattern(None, TYPE, ox.NamedNode(cls), None):
            if isinstance(quad.subject, ox.NamedNode):
                iri = quad.subject.value
                if iri not in rank or cls_index < rank[iri]:
                    rank[iri] = cls_index
                    types[iri] = ENTITY_CLASSES[cls]
    return types


def labels(store: GraphSource, iris: Iterable[str] | None = None) -> dict[str, str]:
    """IRI → display label: English skos:prefLabel, else rdfs:label, else schema:name."""
    wanted = set(iris) if iris is not None else None
    found: dict[str, tuple[int, str]] = {}
    for priority, predicate in enumerate(_LABELS):
        for iri, obj in _objects(store, predicate):
            if (wanted is not None and iri not in wanted) or not isinstance(obj, ox.Literal):
                continue
            english = obj.language in (None, "en")
            key = (priority * 2 + (0 if english else 1), obj.value)
            if iri not in found or key < found[iri]:
                found[iri] = key
    return {iri: value for iri, (_, value) in found.items()}


def property_graph(store: GraphSource) -> PropertyGraph:
    """Entities and the relations between them, with typed attributes and no ``None``.

    Node attributes: ``label``, ``type``, ``iri`` (all strings), and for postings
    ``source`` (str) and ``line`` (int). Edge attributes: ``relation`` (str),
    ``postings`` (int: for a role's skill, how many of the role's postings ask for
    it; for ``hires``, how many postings the company posted for the role; 1 for a
    posting's own links; 0 for a link only the curated data or a hierarchy gives)
    and ``weight`` (float: ``postings``, and 1 where that is 0, so that every link
    counts). Nodes and edges are added in sorted order, so serializations are stable.
    """
    import networkx as nx

    types = entity_types(store)
    names = labels(store, types)
    graph: PropertyGraph = nx.MultiDiGraph()
    for iri in sorted(types):
        graph.add_node(iri, label=names.get(iri, local_name(iri)), type=types[iri], iri=iri)
    _add_posting_sources(store, graph)
    edges: set[tuple[str, str, str]] = set()
    for predicate, relation in RELATIONS.items():
        for subject, obj in _objects(store, predicate):
            if isinstance(obj, ox.NamedNode) and subject in types and obj.value in types:
                edges.add((subject, obj.value, relation))
    shown = _postings_per_link(store)
    for subject, target, relation in sorted(edges):
        postings = 1 if types[subject] == "JobPosting" else shown.get((subject, target, relation), 0)
        graph.add_edge(subject, target, key=relation, relation=relation, postings=postings,
                       weight=float(max(postings, 1)))
    return graph


def _postings_per_link(store: GraphSource) -> dict[tuple[str, str, str], int]:
    """(subject, object, relation) -> how many postings show the link: a role's skills, a company's hires.

    Reads whole predicates (a few pattern reads, also on a server), not one node at a time.
    """
    records = {value(q.subject) for q in store.quads_for_pattern(None, TYPE, kg("SkillDemand"), None)}

    def of_records(name: str) -> dict[str, str]:
        return {subject: value(obj) for subject, obj in _objects(store, KG + name) if subject in records}

    roles, skills, counts = of_records("role"), of_records("skill"), of_records("postingCount")
    found: dict[tuple[str, str, str], int] = {}
    for record in records & roles.keys() & skills.keys() & counts.keys():
        for relation in ("requiresSkill", "prefersSkill"):
            found[(roles[record], skills[record], relation)] = int(counts[record])
    companies = dict(_objects(store, KG + "postedBy"))
    hires: Counter[tuple[str, str, str]] = Counter()
    for posting, target in _objects(store, KG + "forRole"):
        if posting in companies:
            hires[(value(companies[posting]), value(target), "hires")] += 1
    found.update(hires)
    return found


def _add_posting_sources(store: GraphSource, graph: PropertyGraph) -> None:
    sources = {}
    for iri, doc in _objects(store, PROV + "wasDerivedFrom"):
        if iri in graph and isinstance(doc, ox.NamedNode):
            sources[iri] = doc.value
    files = {iri: obj.value for iri, obj in _objects(store, KG + "sourceFile") if isinstance(obj, ox.Literal)}
    for iri, line in _objects(store, KG + "startLine"):
        if iri in graph and graph.nodes[iri]["type"] == "JobPosting" and isinstance(line, ox.Literal):
            graph.nodes[iri]["line"] = int(line.value)
            graph.nodes[iri]["source"] = files.get(sources.get(iri, ""), files.get(iri, ""))


def type_counts(graph: PropertyGraph) -> Counter[str]:
    """How many nodes of each type."""
    return Counter(data["type"] for _, data in graph.nodes(data=True))
