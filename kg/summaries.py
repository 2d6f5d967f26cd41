"""What ranking and counting answers need, derived when the data changes and kept in ``graph/summaries``.

Ranking the skills of a domain at query time compares every skill with every
other (``top-skills-by-domain`` took 129 s on a graph ten times ESCO's size),
and counting who asks for each skill walks every requirement. kg does it once,
when the data changes, and keeps, in ``graph/summaries/<vocabulary>`` (``kg``, ``esco``, ``onet``: the
vocabulary of the skill or domain summed up)::

    domain:mlops  kg:withinDomain domain:mlops, domain:ml ;   # itself and every domain above it
                  kg:topDomain domain:ml .                     # the top-level ones among them
    skill:python  kg:rolesRequiring 41 ; kg:rolesAsking 44 ;          # roles that require it, that ask for it,
                  kg:postingsRequiring 120 ; kg:postingsAsking 129 ;   # the same of postings,
                  kg:askedBy 173 ;                                     # and all that ask for it
                  kg:topSkillRank 0 .                                  # among its vocabulary's skills (top 50)
    [ kg:domain domain:ml ; kg:skill skill:pytorch ; kg:rank 2 ; kg:askedBy 55 ]   # a kg:DomainRanking
    role:data-scientist kg:profileWeight 7.9 .   # the sum of its skills' weights (kg.career_index)
    profiles:kg kg:profileVectors "{...}" .      # every profile of the vocabulary as a vector (kg.career_index)

Per company and skill, how many of the roles the company hires ask for the skill, in ``graph/summaries/company-skills``
(:mod:`kg.company_skills`): counted whole at every derivation of all or of one vocabulary's summaries, and for the
companies of new postings (and those hiring a role whose links changed) after an ingest.

The counts of a skill depend only on who asks for it, so a write that only adds
postings derives again the counts of the skills they ask for, the rankings
those skills are in and the profile weights of kg's roles (:func:`refresh` with ``skills``); importing or dropping a
taxonomy derives that vocabulary's summaries only, and building kg's own
(``vocabularies``); any other write derives them all. Each writes only what
changed. The queries are in ``queries/internal/``.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable, Mapping
from pathlib import Path

import pyoxigraph as ox

from kg import company_skills, label_order, queries, report_index, skill_closure
from kg.namespaces import ID, KG, SUMMARY_GRAPH, VOCABULARIES
from kg.resources import queries_dir
from kg.terms import ASKS, PART_OF_DOMAIN, PREF_LABEL, ROLE_CLASS, SKILL_CLASS, TYPE, XSD_INTEGER, integer, value

#: How many skills each ranking keeps: the most any answer shows (the report's ``--top`` goes to 50).
MAX_RANK = 50

_OWN = "kg"
_COUNTS = ("rolesRequiring", "rolesAsking", "postingsRequiring", "postingsAsking", "askedBy")
_PROFILE = ("profileWeight", "profileVectors")
_P = {name: ox.NamedNode(KG + name) for name in
      (*_COUNTS, *_PROFILE, "withinDomain", "topDomain", "topSkillRank", "domain", "skill", "rank", "vocabulary")}

Row = dict[str, object]


def refresh(db: ox.Store, *, skills: Iterable[str] | None = None, vocabularies: Iterable[str] | None = None,
            added: Mapping[str, tuple[int, int]] | None = None, postings: report_index.Added | None = None,
            roles: Iterable[str] = ()) -> int:
    """Derive the summaries again: of every vocabulary, of ``vocabularies`` only, or (``skills``, after postings
    were added) the counts of these skills and the rankings they are in. The number of quads written or removed.

    ``added``: for skills whose askers changed only by new postings, how many of the new postings require each
    and ask for it at all; their counts are the stored ones plus these (counting a skill's askers again costs
    in proportion to the store: 1.7 s a skill on 100,000 postings). The other ``skills`` are counted again.
    ``postings`` (what the new postings add to their roles' skill mentions, :mod:`kg.report_index`) keeps those in
    step with ``skills``; ``roles``, those whose links to skills changed, have their numbers of skills counted
    again. The ranks by label (:mod:`kg.label_order`) span every vocabulary: derived again at every full or
    vocabulary's derivation, and after postings only when they bring a skill or a label the ranks do not hold.
    """
    if not any(is_summary_graph(g.value) for g in db.named_graphs() if isinstance(g, ox.NamedNode)):
        skills = vocabularies = None  # a store without summaries (a kg before them wrote it) gets all of them
    if skills is not None:
        skills = sorted(set(skills))
        ranked = any(True for _ in db.quads_for_pattern(None, None, None, label_order.GRAPH))
        return (_refresh_skills(db, [ox.NamedNode(skill) for skill in skills], added or {})
                + _refresh_report(db, postings or report_index.Added(), roles)
                + _swap(db, *skill_closure.changes(db, skills))
                + (0 if ranked and label_order.is_current(db, skills) else refresh_ranks(db)))
    scope = set(VOCABULARIES if vocabularies is None else vocabularies)
    rows = [row for row in _rows(db, "skill-counts", {}) if (row["vocabulary"] or _OWN) in scope]
    closure = [quad for quad in _closure(db) if _vocabulary(db, quad.subject) in scope]
    memory = ox.Store()  # the rankings read the closure, as the store will have it
    memory.extend(closure)
    domains: dict[str, list[tuple[str, int]]] = defaultdict(list)
    asked = {str(row["skill"]): int(str(row["askedBy"])) for row in rows}
    for skill, top in _tops(db, memory, None):
        if skill in asked:
            domains[top].append((skill, asked[skill]))
    by_vocabulary: dict[str, list[Row]] = defaultdict(list)
    for row in rows:
        by_vocabulary[str(row["vocabulary"] or _OWN)].append(row)
    broader = skill_closure.pairs(db)  # every vocabulary's: a hierarchy may run into another vocabulary's
    inside = {graph_of(v) for v in scope}
    changed = _swap(db, skill_closure.kept(db, set(map(graph_of, VOCABULARIES)) - inside),
                    {quad for quad in broader if quad.graph_name not in inside})
    quads = [*closure, *(quad for row in rows for quad in _count_quads(row)),
             *(quad for quad in broader if quad.graph_name in inside),
             *_domain_rankings(db, domains), *_vocabulary_rankings(db, by_vocabulary),
             *(quad for v in sorted(scope) for quad in _profile_quads(db, v)),
             *_report_quads(db, scope)]
    per_graph: dict[ox.NamedNode, set[ox.Quad]] = {graph_of(v): set() for v in scope}
    per_graph[label_order.GRAPH] = label_order.order_quads(db)  # ranks across vocabularies: all of them again
    for quad in quads:
        per_graph.setdefault(quad.graph_name, set()).add(quad)  # type: ignore[arg-type]
    changed += sum(_replace(db, graph, graph_quads) for graph, graph_quads in per_graph.items())
    return changed + company_skills.refresh(db)  # every company's roles' side: it spans the vocabularies


def refresh_ranks(db: ox.Store) -> int:
    """Rank every role, skill and domain by its label again (:mod:`kg.label_order`), writing only what changed."""
    return _replace(db, label_order.GRAPH, label_order.order_quads(db))


def refresh_broader(db: ox.Store) -> int:
    """Derive the broader skills of every vocabulary's skills again (:mod:`kg.skill_closure`), writing only what
    changed: after a write :func:`refresh` does not see, such as dropping a taxonomy."""
    return _swap(db, skill_closure.kept(db), skill_closure.pairs(db))


def _report_quads(db: ox.Store, scope: set[str]) -> list[ox.Quad]:
    """The skill mentions of the postings of each role of these vocabularies, and the numbers of skills of each
    (:mod:`kg.report_index`)."""
    graphs = _graph_of_concept(db)
    keep = lambda role: _vocabulary(db, ox.NamedNode(role)) in scope  # noqa: E731
    return [*report_index.mention_quads(db, graphs, scope, keep), *report_index.skill_count_quads(db, graphs, keep)]


def _refresh_report(db: ox.Store, postings: report_index.Added, roles: Iterable[str]) -> int:
    """The skill mentions of the roles of new postings; the numbers of skills of ``roles`` (of every role, where the
    store keeps none: an older kg wrote it); the roles' side of the companies of new postings and of those hiring
    ``roles`` (:mod:`kg.company_skills`)."""
    graphs = _graph_of_concept(db)
    roles = set(roles)
    old, new = report_index.refresh(db, postings, graphs)
    if next(iter(db.quads_for_pattern(None, report_index.SKILLS[0], None, None)), None) is None:
        roles = {role.value for role in _roles(db)}
    old_counts, new_counts = report_index.refresh_skill_counts(db, roles, graphs)
    return _swap(db, old | old_counts, new | new_counts) + company_skills.update(db, postings.hires, roles)


def _roles(db: ox.Store) -> list[ox.NamedNode]:
    """Every role of the store, in IRI order."""
    return sorted({q.subject for q in db.quads_for_pattern(None, TYPE, ROLE_CLASS, None)
                   if isinstance(q.subject, ox.NamedNode)}, key=lambda node: node.value)


def _graph_of_concept(db: ox.Store) -> report_index.Graphs:
    """The summaries graph of a concept's vocabulary."""
    return lambda iri: graph_of(_vocabulary(db, ox.NamedNode(iri)))


def graph_of(vocabulary: str) -> ox.NamedNode:
    """The summaries graph of a vocabulary."""
    return ox.NamedNode(f"{SUMMARY_GRAPH}/{vocabulary}")


def is_summary_graph(graph: str) -> bool:
    return graph.startswith(SUMMARY_GRAPH + "/")


def derives(graph: str) -> bool:
    """Whether :func:`refresh` derives ``graph`` (a vocabulary's summaries graph), replacing all it holds."""
    return graph in {graph_of(v).value for v in VOCABULARIES}


def _in_summaries(quad: ox.Quad) -> bool:
    return isinstance(quad.graph_name, ox.NamedNode) and is_summary_graph(quad.graph_name.value)


def _refresh_skills(db: ox.Store, wanted: list[ox.NamedNode], added: Mapping[str, tuple[int, int]]) -> int:
    """The counts of these skills, the rankings of their domains and vocabularies, and the profile weights of
    kg's roles, derived again."""
    old_counts = {q for node in wanted for name in _COUNTS for q in db.quads_for_pattern(node, _P[name], None, None)
                  if _in_summaries(q)}
    new_counts = {q for node in wanted for row in _skill_rows(db, node, old_counts, added.get(node.value))
                  for q in _count_quads(row, _vocabulary(db, node))}
    changed = _swap(db, old_counts, new_counts)
    tops = {top for _, top in _tops(db, db, [node.value for node in wanted])}
    vocabularies = {_vocabulary(db, node) for node in wanted}
    entries = {e.subject for top in tops for e in db.quads_for_pattern(None, _P["domain"], ox.NamedNode(top))}
    old = {q for entry in entries
           for q in db.quads_for_pattern(entry, None, None) if _in_summaries(q)}
    old |= {q for q in db.quads_for_pattern(None, _P["topSkillRank"], None, None)
            if _vocabulary(db, q.subject) in vocabularies}
    domain_counts = {top: [(str(row["skill"]), int(str(row["askedBy"])))
                           for row in _rows(db, "domain-counts", {"top": ox.NamedNode(top)})] for top in tops}
    vocabulary_counts = {v: _rows(db, "vocabulary-counts", {"vocabulary": ox.Literal(v)}) for v in vocabularies}
    new = set(_domain_rankings(db, domain_counts) + _vocabulary_rankings(db, vocabulary_counts))
    # postings change the weights of their roles' profiles: kg's own (imported roles have no postings)
    old |= {q for name in _PROFILE for q in db.quads_for_pattern(None, _P[name], None, graph_of(_OWN))}
    new |= set(_profile_quads(db, _OWN))
    return changed + _swap(db, old, new)


def _skill_rows(db: ox.Store, node: ox.NamedNode, old_counts: set[ox.Quad],
                added: tuple[int, int] | None) -> list[Row]:
    """The counts of one skill: its stored counts plus ``added`` (new postings requiring it, asking for it),
    or counted again from its askers (without ``added``, or when the store holds not exactly one of each count)."""
    stored: dict[str, list[int]] = defaultdict(list)
    for quad in old_counts:
        if quad.subject == node:
            stored[quad.predicate.value[len(KG):]].append(int(value(quad.object)))
    if added is None or any(len(stored.get(name, [])) != 1 for name in _COUNTS):
        return _rows(db, "skill-count", {"skill": node})  # a skill not counted before has few askers: cheap
    requiring, asking = added
    counts = {name: stored[name][0] for name in _COUNTS}
    counts["postingsRequiring"] += requiring
    counts["postingsAsking"] += asking
    counts["askedBy"] += asking  # new postings are new askers
    return [{"skill": node.value, **counts}]


def _swap(db: ox.Store, old: set[ox.Quad], new: set[ox.Quad]) -> int:
    """Replace the quads ``old`` by ``new`` in the store, touching only those that differ."""
    for quad in old - new:
        db.remove(quad)
    db.extend(new - old)
    return len(old ^ new)


def asks_in(db: ox.Store, graph: str) -> set[tuple[str, str, str]]:
    """(asker, skill, how: required or preferred) of every requirement in one graph (a small one, such as the derived
    graph): a role that comes to require a skill it preferred is a change, though it asks for the skill as before."""
    return {(value(q.subject), value(q.object), level) for level, predicate in ASKS.items()
            for q in db.quads_for_pattern(None, predicate, None, ox.NamedNode(graph))}


def _replace(db: ox.Store, graph: ox.NamedNode, quads: set[ox.Quad]) -> int:
    """Make one summaries graph hold ``quads``, removing and adding only what differs."""
    old = set(db.quads_for_pattern(None, None, None, graph))
    for quad in old - quads:
        db.remove(quad)
    db.bulk_extend(quads - old)
    return len(old ^ quads)


def _vocabulary(db: ox.Store, node: ox.NamedNode | ox.BlankNode | ox.Triple) -> str:
    """The vocabulary of a concept: kg's own if any of its lookup entries says so."""
    found = {value(q.object) for q in db.quads_for_pattern(node, _P["vocabulary"], None, None)}
    return _OWN if not found or _OWN in found else min(found)


def _profile_quads(db: ox.Store, vocabulary: str) -> list[ox.Quad]:
    """The total weight of each role's profile in ``vocabulary`` (:mod:`kg.career_index`)."""
    from kg.career_index import profile_quads  # it reads the profiles as the career answers do

    return profile_quads(db, vocabulary, graph_of(vocabulary))


def _query(name: str) -> queries.NamedQuery:
    return queries.load_file(Path(queries_dir()) / "internal" / f"{name}.rq")


def _rows(db: ox.Store, name: str, values: dict[str, ox.NamedNode | ox.Literal]) -> list[Row]:
    """The rows of a derivation query, terms as plain values, without the cost of :func:`queries.rows`."""
    result = queries.run(db, _query(name), queries.Binding(values))
    assert isinstance(result, ox.QuerySolutions)
    names = [v.value for v in result.variables]
    return [{n: (None if t is None else int(t.value) if isinstance(t, ox.Literal) and t.datatype == XSD_INTEGER
                 else t.value) for n, t in zip(names, solution)} for solution in result]


def _closure(db: ox.Store) -> list[ox.Quad]:
    """Each domain within itself and the domains above it; the top-level ones among them."""
    out = []
    graphs: dict[str, ox.NamedNode] = {}
    for row in _rows(db, "domain-closure", {}):
        domain, within = ox.NamedNode(str(row["domain"])), ox.NamedNode(str(row["within"]))
        if domain.value not in graphs:
            graphs[domain.value] = graph_of(_vocabulary(db, domain))
        out.append(ox.Quad(domain, _P["withinDomain"], within, graphs[domain.value]))
        if row["top"] == "true":
            out.append(ox.Quad(domain, _P["topDomain"], within, graphs[domain.value]))
    return out


def _count_quads(row: Row, vocabulary: str | None = None) -> list[ox.Quad]:
    node, graph = ox.NamedNode(str(row["skill"])), graph_of(vocabulary or str(row.get("vocabulary") or _OWN))
    return [ox.Quad(node, _P[name], integer(int(str(row[name] or 0))), graph) for name in _COUNTS]


def _tops(db: ox.Store, closure: ox.Store, skills: list[str] | None) -> list[tuple[str, str]]:
    """(skill, top-level domain) for every skill in a domain, or for ``skills``; the closure read from ``closure``."""
    tops: dict[str, list[str]] = defaultdict(list)
    for quad in closure.quads_for_pattern(None, _P["topDomain"], None, None):
        tops[value(quad.subject)].append(value(quad.object))
    pairs = (db.quads_for_pattern(None, PART_OF_DOMAIN, None, None) if skills is None else
             (q for skill in skills for q in db.quads_for_pattern(ox.NamedNode(skill), PART_OF_DOMAIN, None, None)))
    return sorted({(value(q.subject), top) for q in pairs for top in tops.get(value(q.object), ())})


def _domain_rankings(db: ox.Store, counts: dict[str, list[tuple[str, int]]]) -> list[ox.Quad]:
    """The ``MAX_RANK`` skills most asked for in each of these top-level domains, ties by IRI."""
    out: list[ox.Quad] = []
    for top in sorted(counts):
        node = ox.NamedNode(top)
        graph = graph_of(_vocabulary(db, node))
        ranked = sorted(((asked, skill) for skill, asked in set(counts[top]) if asked), key=lambda x: (-x[0], x[1]))
        for rank, (asked, skill) in enumerate(ranked[:MAX_RANK]):
            entry = ox.NamedNode(f"{ID}ranking/{hashlib.sha256(f'{top} {skill}'.encode()).hexdigest()[:24]}")
            # not typed (kg:rank says it is a kg:DomainRanking): kg stats counts the data's classes only
            out += [ox.Quad(entry, _P["domain"], node, graph),
                    ox.Quad(entry, _P["skill"], ox.NamedNode(skill), graph),
                    ox.Quad(entry, _P["rank"], integer(rank), graph),
                    ox.Quad(entry, _P["askedBy"], integer(asked), graph)]
    return out


def _vocabulary_rankings(db: ox.Store, counts: dict[str, list[Row]]) -> list[ox.Quad]:
    """The ``MAX_RANK`` skills of each of these vocabularies most asked for: by postings and roles that require
    them, then roles that require them, then roles that prefer them (and do not require them), ties by label."""
    out: list[ox.Quad] = []
    for vocabulary in sorted(set(counts) & set(VOCABULARIES)):
        score = {str(row["skill"]): _score(row) for row in counts[vocabulary]}
        kept: list[str] = []  # in score order, skills only, up to the cut and its ties (labels break them)
        for skill in sorted(score, key=score.__getitem__):
            if len(kept) >= MAX_RANK and score[skill] != score[kept[-1]]:
                break
            if next(iter(db.quads_for_pattern(ox.NamedNode(skill), TYPE, SKILL_CLASS, None)), None) is not None:
                kept.append(skill)
        ranked = sorted(kept, key=lambda s: (score[s], _label(db, s).lower(), s))[:MAX_RANK]
        out += [ox.Quad(ox.NamedNode(s), _P["topSkillRank"], integer(rank), graph_of(vocabulary))
                for rank, s in enumerate(ranked)]
    return out


def _score(row: Row) -> tuple[int, int, int]:
    """The order of the top skills, best first: postings and roles requiring, roles requiring, roles preferring."""
    requiring, asking, postings = (int(str(row[name])) for name in ("rolesRequiring", "rolesAsking", "postingsAsking"))
    return (-(postings + requiring), -requiring, -(asking - requiring))


def _label(db: ox.Store, iri: str) -> str:
    labels = sorted(value(q.object) for q in db.quads_for_pattern(ox.NamedNode(iri), PREF_LABEL, None, None))
    return labels[0] if labels else ""
