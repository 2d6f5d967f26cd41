"""Every IRI kg uses, defined once.

Plain strings, so that the query path imports neither rdflib nor pyoxigraph;
:mod:`kg.terms` makes pyoxigraph terms of them.
"""

from __future__ import annotations

BASE = "https://w3id.org/jobkg/"
KG = BASE + "ontology#"
ID = BASE + "id/"
SKILL = ID + "skill/"
ROLE = ID + "role/"
COMPANY = ID + "company/"
DOMAIN = ID + "domain/"
POSTING = ID + "posting/"
SOURCE = ID + "source/"
PLACE = ID + "place/"
SCHEME = ID + "scheme/"
GRAPH = BASE + "graph/"

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
OWL = "http://www.w3.org/2002/07/owl#"
XSD = "http://www.w3.org/2001/XMLSchema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
SCHEMA = "https://schema.org/"
PROV = "http://www.w3.org/ns/prov#"
DCTERMS = "http://purl.org/dc/terms/"
SH = "http://www.w3.org/ns/shacl#"
ESCO = "http://data.europa.eu/esco/model#"

#: Named graphs in the store. Queries see their union.
CORE_GRAPH = GRAPH + "core"
POSTINGS_GRAPH = GRAPH + "postings"
LOADED_GRAPH = GRAPH + "loaded"
DERIVED_GRAPH = GRAPH + "derived"
#: Derived, like ``DERIVED_GRAPH``: the lookup key of every label (:mod:`kg.lookup_keys`), in
#: ``LOOKUP_GRAPH/<graph of the label>``. An index kept in step with the data; exports leave it out.
LOOKUP_GRAPH = GRAPH + "lookup"
#: Derived, like ``DERIVED_GRAPH``: counts and rankings kept for the answers that need them
#: (:mod:`kg.summaries`), in ``SUMMARY_GRAPH/<vocabulary>``.
SUMMARY_GRAPH = GRAPH + "summaries"
#: Derived, in the summaries: every role, skill and domain ranked by its label (:mod:`kg.label_order`).
LABEL_ORDER_GRAPH = SUMMARY_GRAPH + "/order"
#: Derived, in the summaries: per company and skill, the roles it hires that ask for the skill
#: (:mod:`kg.company_skills`).
COMPANY_SKILLS_GRAPH = SUMMARY_GRAPH + "/company-skills"
#: + a hash: the node that ranks one label of a concept with several (:mod:`kg.label_order`).
LABEL_ORDER = ID + "order/"
#: + a vocabulary: the node the summaries keep that vocabulary's profile vectors on (:mod:`kg.career_index`).
PROFILES = ID + "profiles/"
#: Derived: each stored posting's MinHash signature and LSH band keys (:mod:`kg.neardup_index`), so that a
#: later ingest recognises a repost of it. An index kept in step with the postings.
NEAR_DUPLICATES_GRAPH = GRAPH + "near-duplicates"
#: Derived with ``DERIVED_GRAPH``: how many postings ask for each pair of skills (:mod:`kg.posting_tallies`), for
#: ``related-skills``. An index kept in step with the postings (tens of thousands of pairs on a few hundred).
PAIRS_GRAPH = GRAPH + "skill-pairs"
#: Derived at every write: how many triples each graph holds, and the version of kg's derived data
#: (:mod:`kg.graph_sizes`). Read on the local store only: a server counts its own graphs.
SIZES_GRAPH = GRAPH + "sizes"


def is_index_graph(graph: str) -> bool:
    """Whether ``graph`` holds what kg derives to answer fast (lookup keys, summaries, the near-duplicate
    index, the pairs of skills, the graphs' sizes): exports leave it out."""
    return (graph in (NEAR_DUPLICATES_GRAPH, PAIRS_GRAPH, SIZES_GRAPH)
            or graph.startswith((SUMMARY_GRAPH + "/", LOOKUP_GRAPH + "/")))


#: Prefixes bound in every serialization, in a fixed order.
PREFIXES: dict[str, str] = {
    "kg": KG,
    "skill": SKILL,
    "role": ROLE,
    "company": COMPANY,
    "domain": DOMAIN,
    "posting": POSTING,
    "source": SOURCE,
    "place": PLACE,
    "scheme": SCHEME,
    "rdf": RDF,
    "rdfs": RDFS,
    "owl": OWL,
    "xsd": XSD,
    "skos": SKOS,
    "schema": SCHEMA,
    "prov": PROV,
    "dcterms": DCTERMS,
    "sh": SH,
    "esco": ESCO,
}

#: The classes whose instances are the nodes of the drawn and GraphML graph.
ENTITY_CLASSES: dict[str, str] = {
    KG + "Role": "Role",
    KG + "Skill": "Skill",
    KG + "Company": "Company",
    KG + "Domain": "Domain",
    KG + "JobPosting": "JobPosting",
}

#: The relations drawn as edges.
RELATIONS: dict[str, str] = {
    KG + "requiresSkill": "requiresSkill",
    KG + "prefersSkill": "prefersSkill",
    KG + "hires": "hires",
    KG + "partOfDomain": "partOfDomain",
    KG + "forRole": "forRole",
    KG + "postedBy": "postedBy",
    SKOS + "broader": "broader",
}


class Iri(str):
    """A value that is an IRI (or its compact form, ``skill:pytorch``), as query rows give it.

    It is a ``str`` in every way; tables use the type to leave IRI columns out.
    """

    __slots__ = ()


def local_name(iri: str) -> str:
    """The part of an IRI after its last ``#`` or ``/``."""
    return iri[max(iri.rfind("#"), iri.rfind("/")) + 1 :]


def is_reserved_graph(iri: str) -> bool:
    """Whether ``iri`` names one of kg's own graphs (core, postings, derived, taxonomies, lookup, summaries...).

    Every graph under :data:`GRAPH` is kg's, except :data:`LOADED_GRAPH`, where ``kg load`` puts data by default.
    """
    return iri.startswith(GRAPH) and iri != LOADED_GRAPH


def curie(iri: str) -> str:
    """Shorten an IRI with the known prefixes (``skill:pytorch``), or return it unchanged."""
    best = ""
    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns) and len(ns) > len(PREFIXES.get(best, "")):
            best = prefix
    return f"{best}:{iri[len(PREFIXES[best]):]}" if best else iri


# ---- posting facts (extraction) ----
#: Derived role-level skill demand records (kg:SkillDemand).
DEMAND = ID + "demand/"

# ---- imported taxonomies ----
#: Named graphs of the imported public taxonomies (``kg import esco|onet``).
ESCO_GRAPH = GRAPH + "esco"
ONET_GRAPH = GRAPH + "onet"
#: ESCO's own concept IRIs (kept as published): occupations, skills, ISCO groups, skill groups.
ESCO_DATA = "http://data.europa.eu/esco/"
ESCO_SKILL_TYPE = ESCO_DATA + "skill-type/"
ESCO_REUSE_LEVEL = ESCO_DATA + "skill-reuse-level/"
#: O*NET publishes no IRIs: kg mints them from the O*NET-SOC code, the commodity
#: (UNSPSC) code and the technology example's name (see kg.taxonomies.onet).
ONET = ID + "onet/"
ONET_OCCUPATION = ONET + "occupation/"
ONET_TECHNOLOGY = ONET + "technology/"
ONET_COMMODITY = ONET + "commodity/"
ONET_USE = ONET + "use/"
ONET_SCHEME = ONET + "scheme/"
#: Import graph -> the name of its vocabulary (``kg:vocabulary``); every other graph is kg's own ("kg").
IMPORT_GRAPHS: dict[str, str] = {ESCO_GRAPH: "esco", ONET_GRAPH: "onet"}
#: The vocabularies a name can resolve in, kg's own first.
VOCABULARIES: tuple[str, ...] = ("kg", "esco", "onet")
#: The classes whose instances are found by name, in the order a name that fits several is taken.
LOOKUP_CLASSES: dict[str, str] = {KG + "Role": "Role", KG + "Skill": "Skill", KG + "Company": "Company",
                                  KG + "Domain": "Domain"}
