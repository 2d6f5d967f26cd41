"""What ranking and counting answers need, derived when the data changes and kept in ``graph/summaries``.

Ranking the skills of a domain at query time compares every skill with every
other (``top-skills-by-domain`` took 129 s on a graph ten times ESCO's size),
and counting who asks for each skill walks every requirement. kg does it once,
when the data changes, and keeps::

    domain:mlops  kg:withinDomain domain:mlops, domain:ml ;   # itself and every domain above it
                  kg:topDomain domain:ml .                     # the top-level ones among them
    skill:python  kg:rolesRequiring 41 ; kg:rolesAsking 44 ;          # roles that require it, that ask for it,
                  kg:postingsRequiring 120 ; kg:postingsAsking 129 ;   # the same of postings,
                  kg:askedBy 173 ;                                     # and all that ask for it
                  kg:topSkillRank 0 .                                  # among its vocabulary's skills (top 50)
    [ a kg:DomainRanking ; kg:domain domain:ml ; kg:skill skill:pytorch ; kg:rank 2 ; kg:askedBy 55 ]

The counts of a skill depend only on who asks for it, so a write that only adds
postings derives again the counts of the skills they ask for and the rankings
those skills are in (:func:`refresh` with ``skills``); any other write derives
all. The queries are in ``queries/derive/``.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox

from kg import queries
from kg.namespaces import ID, KG, RDF, SKOS, SUMMARY_GRAPH, VOCABULARIES, XSD
from kg.resources import queries_dir

#: How many skills each ranking keeps: the most any answer shows (the report's ``--top`` goes to 50).
MAX_RANK = 50

_GRAPH = ox.NamedNode(SUMMARY_GRAPH)
_INTEGER = ox.NamedNode(XSD + "integer")
_COUNTS = ("rolesRequiring", "rolesAsking", "postingsRequiring", "postingsAsking", "askedBy")
_P = {name: ox.NamedNode(KG + name) for name in
      (*_COUNTS, "withinDomain", "topDomain", "topSkillRank", "domain", "skill", "rank")}
_TYPE = ox.NamedNode(RDF + "type")
_RANKING = ox.NamedNode(KG + "DomainRanking")
_LABEL = ox.NamedNode(SKOS + "prefLabel")


def refresh(db: ox.Store, skills: Iterable[str] | None = None) -> int:
    """Derive the summaries again: all of them, or (``skills``, after postings were added) the counts of
    these skills and the rankings they are in. The number of quads written."""
    if skills is not None and next(iter(db.quads_for_pattern(None, None, None, _GRAPH)), None) is None:
        skills = None  # a store without summaries (a kg before them wrote it) gets all of them
    if skills is None:
        db.remove_graph(_GRAPH)
        closure = _closure(db)
        db.extend(closure)
        rows = queries.rows(queries.run(db, _query("skill-counts"), queries.Binding({})))
        counted = [quad for row in rows for quad in _count_quads(row)]
        db.bulk_extend(counted)
        tops = _tops(db, None)
        domains = defaultdict(list)
        for skill, top in tops:
            domains[top].append(skill)
        asked = {row["skill"]: row["askedBy"] for row in rows}
        by_vocabulary = defaultdict(list)
        for row in rows:
            by_vocabulary[row["vocabulary"] or "kg"].append(row)
        ranked = _domain_rankings(db, {top: [(s, asked[s]) for s in skills if s in asked]
                                       for top, skills in domains.items()})
        ranked += _vocabulary_rankings(db, by_vocabulary)
        db.extend(ranked)
        return len(closure) + len(counted) + len(ranked)
    wanted = sorted(set(skills))
    if not wanted:
        return 0
    counted = []
    for skill in wanted:
        node = ox.NamedNode(skill)
        for name in _COUNTS:
            for quad in list(db.quads_for_pattern(node, _P[name], None, _GRAPH)):
                db.remove(quad)
        binding = queries.Binding({"skill": node})
        counted += [quad for row in queries.rows(queries.run(db, _query("skill-count"), binding))
                    for quad in _count_quads(row)]
    db.extend(counted)
    tops = {top for _, top in _tops(db, wanted)}
    vocabularies = {q.object.value for skill in wanted
                    for q in db.quads_for_pattern(ox.NamedNode(skill), ox.NamedNode(KG + "vocabulary"), None, None)}
    domain_counts = {top: [(row["skill"], row["askedBy"]) for row in queries.rows(queries.run(
        db, _query("domain-counts"), queries.Binding({"top": ox.NamedNode(top)})))] for top in tops}
    vocabulary_counts = {v: queries.rows(queries.run(db, _query("vocabulary-counts"),
                                                     queries.Binding({"vocabulary": ox.Literal(v)})))
                         for v in vocabularies}
    ranked = _domain_rankings(db, domain_counts) + _vocabulary_rankings(db, vocabulary_counts)
    db.extend(ranked)
    return len(counted) + len(ranked)


def asks_in(db: ox.Store, graph: str) -> set[tuple[str, str]]:
    """(asker, skill) of every requirement in one graph (a small one: see :func:`refresh`)."""
    return {(q.subject.value, q.object.value) for predicate in (KG + "requiresSkill", KG + "prefersSkill")
            for q in db.quads_for_pattern(None, ox.NamedNode(predicate), None, ox.NamedNode(graph))}


def _query(name: str) -> queries.NamedQuery:
    return queries.load_file(Path(queries_dir()) / "derive" / f"{name}.rq")


def _int(value: int) -> ox.Literal:
    return ox.Literal(str(value), datatype=_INTEGER)


def _closure(db: ox.Store) -> list[ox.Quad]:
    """Each domain within itself and the domains above it; the top-level ones among them."""
    out = []
    for row in queries.rows(queries.run(db, _query("domain-closure"), queries.Binding({}))):
        domain, within = ox.NamedNode(row["domain"]), ox.NamedNode(row["within"])
        out.append(ox.Quad(domain, _P["withinDomain"], within, _GRAPH))
        if row["top"]:
            out.append(ox.Quad(domain, _P["topDomain"], within, _GRAPH))
    return out


def _count_quads(row: dict[str, object]) -> list[ox.Quad]:
    node = ox.NamedNode(str(row["skill"]))
    return [ox.Quad(node, _P[name], _int(int(row[name] or 0)), _GRAPH) for name in _COUNTS]  # type: ignore[call-overload]


def _tops(db: ox.Store, skills: list[str] | None) -> list[tuple[str, str]]:
    """(skill, top-level domain) for every skill in a domain, or for ``skills``."""
    query = _query("skill-domains")
    bindings = [queries.Binding({})] if skills is None else [queries.Binding({"skill": ox.NamedNode(s)}) for s in skills]
    return [(row["skill"], row["top"]) for binding in bindings for row in queries.rows(queries.run(db, query, binding))]


def _domain_rankings(db: ox.Store, counts: dict[str, list[tuple[str, int]]]) -> list[ox.Quad]:
    """The ``MAX_RANK`` skills most asked for in each of these top-level domains (ties by IRI), replacing
    the rankings they had."""
    out: list[ox.Quad] = []
    for top in sorted(counts):
        node = ox.NamedNode(top)
        for entry in {q.subject for q in db.quads_for_pattern(None, _P["domain"], node, _GRAPH)}:
            for quad in list(db.quads_for_pattern(entry, None, None, _GRAPH)):
                db.remove(quad)
        ranked = sorted(((asked, skill) for skill, asked in set(counts[top]) if asked), key=lambda x: (-x[0], x[1]))
        for rank, (asked, skill) in enumerate(ranked[:MAX_RANK]):
            entry = ox.NamedNode(f"{ID}ranking/{hashlib.sha256(f'{top} {skill}'.encode()).hexdigest()[:24]}")
            out += [ox.Quad(entry, _TYPE, _RANKING, _GRAPH), ox.Quad(entry, _P["domain"], node, _GRAPH),
                    ox.Quad(entry, _P["skill"], ox.NamedNode(skill), _GRAPH),
                    ox.Quad(entry, _P["rank"], _int(rank), _GRAPH), ox.Quad(entry, _P["askedBy"], _int(asked), _GRAPH)]
    return out


def _vocabulary_rankings(db: ox.Store, counts: dict[str, list[dict[str, object]]]) -> list[ox.Quad]:
    """The ``MAX_RANK`` skills of each of these vocabularies most asked for: by postings and roles that require
    them, then roles that require them, then roles that prefer them (and do not require them), ties by label;
    replacing the old ranks."""
    vocabulary_of = ox.NamedNode(KG + "vocabulary")
    for quad in list(db.quads_for_pattern(None, _P["topSkillRank"], None, _GRAPH)):
        if any(q.object.value in counts for q in db.quads_for_pattern(quad.subject, vocabulary_of, None, None)):
            db.remove(quad)
    out: list[ox.Quad] = []
    for vocabulary in sorted(set(counts) & set(VOCABULARIES)):
        score = {str(r["skill"]): _score(r) for r in counts[vocabulary]}
        kept: list[str] = []  # in score order, skills only, up to the cut and its ties (labels break them)
        for skill in sorted(score, key=score.__getitem__):
            if len(kept) >= MAX_RANK and score[skill] != score[kept[-1]]:
                break
            if _is_skill(db, skill):
                kept.append(skill)
        ranked = sorted(kept, key=lambda s: (score[s], _label(db, s).lower(), s))[:MAX_RANK]
        out += [ox.Quad(ox.NamedNode(s), _P["topSkillRank"], _int(rank), _GRAPH) for rank, s in enumerate(ranked)]
    return out


def _score(row: dict[str, object]) -> tuple[int, int, int]:
    """The order of the top skills, best first: postings and roles requiring, roles requiring, roles preferring."""
    requiring, asking, postings = (int(str(row[name])) for name in ("rolesRequiring", "rolesAsking", "postingsAsking"))
    return (-(postings + requiring), -requiring, -(asking - requiring))


def _is_skill(db: ox.Store, iri: str) -> bool:
    return next(iter(db.quads_for_pattern(ox.NamedNode(iri), _TYPE, ox.NamedNode(KG + "Skill"), None)), None) is not None


def _label(db: ox.Store, iri: str) -> str:
    labels = sorted(q.object.value for q in db.quads_for_pattern(ox.NamedNode(iri), _LABEL, None, None))
    return labels[0] if labels else ""
