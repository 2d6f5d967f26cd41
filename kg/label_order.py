"""Roles, skills and domains ranked by their labels, kept with the data in ``graph/summaries/order``.

A query that lists its rows by label compares the labels at every step of the
sort, and Oxigraph reads both strings from disk at each comparison:
``report-role-levels`` (30,000 roles) and ``report-domain-skills`` (128,000
rows) spent seconds sorting on the graph ten times ESCO's size. kg ranks every
role, skill and domain once, when the data changes, by each English or untagged
preferred label as those queries sort it (``LCASE(STR(label))``, then the IRI,
both computed by the store), and the queries sort by the rank, an integer::

    skill:python  kg:skillOrder 8123 .                   # a concept with one such label: its rank
    order:3f...  kg:orderOf esco-skill:e747... ;           # a concept with several: one node per label
                 kg:orderLabel "French"@en ; kg:skillOrder 4410 .

(``kg:roleOrder`` and ``kg:domainOrder`` the same: a concept has the rank of each of these classes it is in,
so the rank says its class too.) The ranks cover the whole store, every vocabulary, so that any two compare.
Every write that may change a label or a class ranks again (:func:`kg.summaries.refresh_ranks`);
an ingest only when its postings type a skill or give it a label that the ranks do not hold (:func:`is_current`).
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox

from kg import queries
from kg.namespaces import LABEL_ORDER, LABEL_ORDER_GRAPH
from kg.resources import queries_dir
from kg.terms import DOMAIN_CLASS, PREF_LABEL, ROLE_CLASS, SKILL_CLASS, TYPE, integer, kg

GRAPH = ox.NamedNode(LABEL_ORDER_GRAPH)
#: The rank of a concept (or of one label of it) among the concepts of its class, by class.
ORDERS = {ROLE_CLASS: kg("roleOrder"), SKILL_CLASS: kg("skillOrder"), DOMAIN_CLASS: kg("domainOrder")}
ORDER_OF, ORDER_LABEL = kg("orderOf"), kg("orderLabel")


def order_quads(db: ox.Store) -> set[ox.Quad]:
    """The ranks of every role, skill and domain of the store."""
    query = queries.load_file(Path(queries_dir()) / "internal" / "concept-labels.rq")
    result = queries.run(db, query, queries.Binding({}))
    assert isinstance(result, ox.QuerySolutions)
    labels: dict[ox.NamedNode, set[ox.Literal]] = defaultdict(set)
    classes: dict[ox.NamedNode, set[ox.NamedNode]] = defaultdict(set)
    keys: dict[tuple[ox.NamedNode, ox.Literal], str] = {}
    for concept, cls, label, key in result:
        if isinstance(concept, ox.NamedNode) and isinstance(cls, ox.NamedNode) and isinstance(label, ox.Literal):
            labels[concept].add(label)
            classes[concept].add(cls)
            keys[concept, label] = key.value
    # as the queries sorted: the label in lower case, then the IRI; then the label as written, where they tied (two
    # labels of one concept that differ only in case came in the order Oxigraph found them)
    ranked = sorted(keys, key=lambda pair: (keys[pair], pair[0].value, pair[1].value, pair[1].language or ""))
    out: set[ox.Quad] = set()
    for rank, (concept, label) in enumerate(ranked):
        subject = concept
        if len(labels[concept]) > 1:
            subject = ox.NamedNode(LABEL_ORDER + hashlib.sha256(f"{concept} {label}".encode()).hexdigest()[:24])
            out |= {ox.Quad(subject, ORDER_OF, concept, GRAPH), ox.Quad(subject, ORDER_LABEL, label, GRAPH)}
        out |= {ox.Quad(subject, ORDERS[cls], integer(rank), GRAPH) for cls in classes[concept]}
    return out


def is_current(db: ox.Store, skills: Iterable[str]) -> bool:
    """Whether the ranks hold each of these skills (typed ``kg:Skill``) with exactly its labels."""
    for iri in skills:
        node = ox.NamedNode(iri)
        if next(iter(db.quads_for_pattern(node, TYPE, SKILL_CLASS, None)), None) is None:
            continue  # ranked as a skill only if it is one (an ingest adds no other class)
        labels = {q.object for q in db.quads_for_pattern(node, PREF_LABEL, None, None)
                  if isinstance(q.object, ox.Literal) and is_english(q.object)}
        ranked = next(iter(db.quads_for_pattern(node, ORDERS[SKILL_CLASS], None, GRAPH)), None) is not None
        pairs = {q.subject for q in db.quads_for_pattern(None, ORDER_OF, node, GRAPH)}
        ranked_labels = {q.object for pair in pairs for q in db.quads_for_pattern(pair, ORDER_LABEL, None, GRAPH)}
        if (len(labels) == 1 and not ranked) or (len(labels) > 1 and labels != ranked_labels) or \
                (len(labels) < 2 and pairs) or (not labels and ranked):
            return False
    return True


def is_english(label: ox.Literal) -> bool:
    """``LANG(?label) = "" || LANGMATCHES(LANG(?label), "en")``, as the queries filter labels."""
    language = (label.language or "").lower()
    return language in ("", "en") or language.startswith("en-")
