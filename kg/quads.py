"""Postings as quads: JobPosting nodes with their provenance (the demand they show is ``kg.derive``'s).

Every IRI is minted from a stable key (the posting's content key, the source
name, the role and skill), and every list of quads comes back sorted, so the
same postings always give the same bytes.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox

from kg import posting_tallies
from kg.derive import PostingFacts
from kg.errors import InputError, ParseError
from kg.models import Location, Posting, TextSpan
from kg.namespaces import ESCO_DATA, ONET, PLACE, POSTING, PREFIXES, PROV, SCHEMA, SKILL, SOURCE, XSD, local_name
from kg.terms import (
    ALT_LABEL,
    ASKS,
    COMPANY_CLASS,
    DATE_POSTED,
    FOR_ROLE,
    JOB_LOCATION,
    JOB_POSTING_CLASS,
    LEVEL,
    LEVELS,
    OF_SKILL,
    POSTED_BY,
    PREF_LABEL,
    SCHEMA_BASE_SALARY,
    SCHEMA_CURRENCY,
    SCHEMA_MAX_VALUE,
    SCHEMA_MIN_VALUE,
    SCHEMA_UNIT_TEXT,
    SCHEMA_VALUE,
    SKILL_CLASS,
    TYPE,
    WORKPLACE,
    WORKPLACES,
    decimal,
    integer,
    kg,
    serialize,
    value,
)

_DATE = ox.NamedNode(XSD + "date")
_SLUG = re.compile(r"[^A-Za-z0-9._-]+")
#: Terms the per-posting functions write, made once (each NamedNode checks its IRI when made).
_DEGREE = kg("degree")
_END_COLUMN = kg("endColumn")
_END_LINE = kg("endLine")
_EXACT_TEXT = kg("exactText")
_HUMAN_LANGUAGE = kg("humanLanguage")
_IN_DOMAIN = kg("inDomain")
_MENTIONS = kg("mentions")
_MIN_YEARS = kg("minYears")
_PROV_WAS_DERIVED_FROM = ox.NamedNode(PROV + "wasDerivedFrom")
_SCHEMA_ADDRESS = ox.NamedNode(SCHEMA + "address")
_SCHEMA_JOB_LOCATION_TYPE = ox.NamedNode(SCHEMA + "jobLocationType")
_SCHEMA_MONETARY_AMOUNT = ox.NamedNode(SCHEMA + "MonetaryAmount")
_SCHEMA_NAME = ox.NamedNode(SCHEMA + "name")
_SCHEMA_PLACE = ox.NamedNode(SCHEMA + "Place")
_SCHEMA_POSTAL_ADDRESS = ox.NamedNode(SCHEMA + "PostalAddress")
_SCHEMA_QUANTITATIVE_VALUE = ox.NamedNode(SCHEMA + "QuantitativeValue")
_SCHEMA_TITLE = ox.NamedNode(SCHEMA + "title")
_SKILL_MENTION = kg("SkillMention")
_SOURCE_DOCUMENT = kg("SourceDocument")
_SOURCE_FILE = kg("sourceFile")
_SOURCE_ROW = kg("sourceRow")
_SPAN = kg("span")
_START_COLUMN = kg("startColumn")
_START_LINE = kg("startLine")
_TEXT_SPAN = kg("TextSpan")


def posting_iri(posting: Posting) -> ox.NamedNode:
    """``https://w3id.org/jobkg/id/posting/<content key>``."""
    return ox.NamedNode(POSTING + posting.id)


def source_iri(source: str) -> ox.NamedNode:
    """The SourceDocument IRI of a source name: its base name plus a short hash of the name as given."""
    base = _SLUG.sub("-", source.replace("\\", "/").rsplit("/", 1)[-1]).strip("-") or "source"
    digest = hashlib.sha256(source.encode("utf-8")).hexdigest()[:8]
    return ox.NamedNode(f"{SOURCE}{base}-{digest}")


def posting_quads(
    postings: Iterable[Posting],
    graph: ox.NamedNode | str,
    *,
    known_companies: Iterable[str] | None = None,
) -> list[ox.Quad]:
    """The quads of postings in ``graph``; duplicates are left out, so each posting counts once.

    Args:
        postings: extracted postings.
        graph: the named graph to put the quads in.
        known_companies: company IRIs typed elsewhere; other companies get a type and a label
            here. By default, the companies of the bundled vocabulary.

    Skills outside kg's own vocabulary (ESCO's, O*NET's, read with the wide vocabulary) get a
    type and their label here, so the graph stays valid without a taxonomy imported.
    """
    g = ox.NamedNode(graph) if isinstance(graph, str) else graph
    if known_companies is None:
        known_companies = _bundled_companies()
    known = set(known_companies)
    quads: set[ox.Quad] = set()
    for posting in distinct(postings):
        quads.update(_one_posting(posting, g, known))
        for _, skill in taxonomy_skill_quads(posting, g):
            quads.update(skill)
    return sorted(quads, key=str)


def taxonomy_skill_quads(posting: Posting, g: ox.NamedNode) -> list[tuple[str, list[ox.Quad]]]:
    """(IRI, type and labels) of each skill of a posting outside kg's own vocabulary (ESCO's, O*NET's, read with
    the wide vocabulary): what the store needs of it, unless a taxonomy imported into it types it already. Its
    other labels too, so that "AutoCAD" finds O*NET's "Autodesk AutoCAD"."""
    from kg.extract.vocabulary import load_vocabulary

    known = load_vocabulary().skills  # the bundled vocabulary, loaded once a process (the one extraction reads)
    out = []
    for mention in posting.skills:
        if mention.iri.startswith(SKILL):
            continue
        node = ox.NamedNode(mention.iri)
        found = [ox.Quad(node, TYPE, SKILL_CLASS, g),
                 ox.Quad(node, PREF_LABEL, ox.Literal(mention.label, language="en"), g)]
        concept = known.get(mention.iri)
        found.extend(ox.Quad(node, ALT_LABEL, ox.Literal(label, language="en"), g)
                     for label in (concept.alt_labels if concept else ()))
        out.append((mention.iri, found))
    return out


def company_quads(posting: Posting, g: ox.NamedNode) -> list[ox.Quad]:
    """The type and label of a posting's company, for a company the vocabulary does not know."""
    if not posting.company_iri or not posting.company:
        return []
    company = ox.NamedNode(posting.company_iri)
    return [ox.Quad(company, TYPE, COMPANY_CLASS, g),
            ox.Quad(company, PREF_LABEL, ox.Literal(posting.company, language="en"), g)]


def posting_nquads(posting: Posting, g: ox.NamedNode) -> tuple[bytes, bytes, tuple[tuple[str, bytes], ...]]:
    """One posting's quads as N-Quads; its company's type and label apart, and those of each of its skills outside
    kg's vocabulary, with their IRIs (each to write if the store lacks it: once, not once a posting).

    A pure function of the posting: worker processes and Dask workers run it.
    """
    own = _one_posting(posting, g, {posting.company_iri} if posting.company_iri else set())
    skills = tuple((iri, serialize(found, ox.RdfFormat.N_QUADS)) for iri, found in taxonomy_skill_quads(posting, g))
    return (serialize(own, ox.RdfFormat.N_QUADS), serialize(company_quads(posting, g), ox.RdfFormat.N_QUADS), skills)


def distinct(postings: Iterable[Posting]) -> list[Posting]:
    """The postings that count: not flagged ``duplicate_of``, and the first of any that share an id."""
    seen: set[str] = set()
    out = []
    for posting in postings:
        if posting.duplicate_of is None and posting.id not in seen:
            seen.add(posting.id)
            out.append(posting)
    return out


def _one_posting(posting: Posting, g: ox.NamedNode, known: set[str]) -> list[ox.Quad]:
    node = posting_iri(posting)
    source = source_iri(posting.source)
    out = [
        ox.Quad(node, TYPE, JOB_POSTING_CLASS, g),
        ox.Quad(node, _START_LINE, integer(posting.line), g),
        ox.Quad(node, _END_LINE, integer(posting.end_line), g),
        ox.Quad(node, _PROV_WAS_DERIVED_FROM, source, g),
        ox.Quad(source, TYPE, _SOURCE_DOCUMENT, g),
        ox.Quad(source, _SOURCE_FILE, ox.Literal(posting.source), g),
    ]
    if posting.title:
        out.append(ox.Quad(node, _SCHEMA_TITLE, ox.Literal(posting.title), g))
    if posting.role_iri:
        out.append(ox.Quad(node, FOR_ROLE, ox.NamedNode(posting.role_iri), g))
    if posting.company_iri:
        out.append(ox.Quad(node, POSTED_BY, ox.NamedNode(posting.company_iri), g))
        if posting.company_iri not in known:
            out += company_quads(posting, g)
    if posting.domain_iri:
        out.append(ox.Quad(node, _IN_DOMAIN, ox.NamedNode(posting.domain_iri), g))
    if posting.min_years is not None:
        out.append(ox.Quad(node, _MIN_YEARS, integer(posting.min_years), g))
    for degree in posting.degrees:
        out.append(ox.Quad(node, _DEGREE, ox.Literal(degree), g))
    for language in posting.languages:
        out.append(ox.Quad(node, _HUMAN_LANGUAGE, ox.Literal(language), g))
    for mention in posting.skills:
        skill = ox.NamedNode(mention.iri)
        record = ox.NamedNode(f"{node.value}/mention/{_mention_key(mention.iri)}")
        out += [
            ox.Quad(node, ASKS[mention.level], skill, g),
            ox.Quad(node, _MENTIONS, record, g),
            ox.Quad(record, TYPE, _SKILL_MENTION, g),
            ox.Quad(record, OF_SKILL, skill, g),
            ox.Quad(record, LEVEL, LEVELS[mention.level], g),
            ox.Quad(record, _START_LINE, integer(mention.line), g),
            ox.Quad(record, _PROV_WAS_DERIVED_FROM, source, g),
        ]
        if mention.years is not None:
            out.append(ox.Quad(record, _MIN_YEARS, integer(mention.years), g))
        for span in mention.mentions:
            out += _span_quads(record, span, g)
    if posting.salary:
        out += _salary_quads(node, posting, g)
    if posting.row is not None:
        out.append(ox.Quad(node, _SOURCE_ROW, integer(posting.row), g))
    if posting.date_posted:
        day = ox.Literal(posting.date_posted, datatype=_DATE)
        out.append(ox.Quad(node, DATE_POSTED, day, g))
    if posting.location:
        out += _location_quads(node, posting.location, g)
    return out


def derivation_facts(posting: Posting) -> PostingFacts:
    """What :mod:`kg.derive` counts of a posting, as the store will hold it."""
    required = frozenset(m.iri for m in posting.required)
    place = place_iri(posting.location) if posting.location else None
    return PostingFacts(posting_iri(posting).value, posting.role_iri, posting.company_iri, required,
                        frozenset(m.iri for m in posting.preferred) - required,
                        posting.date_posted[:7] if posting.date_posted else None, place.value if place else None,
                        posting_tallies.pay(posting.salary))


def place_iri(location: Location) -> ox.NamedNode | None:
    """``place:COUNTRY--REGION--CITY`` (``x`` for a part not known), or ``None`` for a place with no part known."""
    parts = (location.country, location.region, location.city)
    if not any(parts):
        return None
    slugs = ((_SLUG.sub("-", p.casefold()).strip("-") or "x") if p else "x" for p in parts)
    return ox.NamedNode(PLACE + "--".join(slugs))


def _location_quads(node: ox.NamedNode, location: Location, g: ox.NamedNode) -> list[ox.Quad]:
    """``schema:jobLocation`` a ``schema:Place`` with its ``schema:PostalAddress``, and remote or hybrid work."""
    out = []
    if location.workplace:
        out.append(ox.Quad(node, WORKPLACE, WORKPLACES[location.workplace], g))
        if location.workplace == "remote":
            out.append(ox.Quad(node, _SCHEMA_JOB_LOCATION_TYPE, ox.Literal("TELECOMMUTE"), g))
    place = place_iri(location)
    if place is None:
        return out
    address = ox.NamedNode(place.value + ".address")
    name = ", ".join(p for p in (location.city, location.region, location.country) if p)
    out += [
        ox.Quad(node, JOB_LOCATION, place, g),
        ox.Quad(place, TYPE, _SCHEMA_PLACE, g),
        ox.Quad(place, _SCHEMA_NAME, ox.Literal(name), g),
        ox.Quad(place, _SCHEMA_ADDRESS, address, g),
        ox.Quad(address, TYPE, _SCHEMA_POSTAL_ADDRESS, g),
    ]
    for text, prop in ((location.city, "addressLocality"), (location.region, "addressRegion"),
                       (location.country, "addressCountry")):
        if text:
            out.append(ox.Quad(address, ox.NamedNode(SCHEMA + prop), ox.Literal(text), g))
    return out


def _mention_key(iri: str) -> str:
    """The last segment of a mention's IRI: the skill's local name, prefixed for a taxonomy's skill
    ("esco-<uuid>", "onet-python") so that it never meets one of kg's own."""
    if iri.startswith(SKILL):
        return local_name(iri)
    source = "onet" if iri.startswith(ONET) else "esco" if iri.startswith(ESCO_DATA) else "x"
    return f"{source}-{local_name(iri)}"


def _span_quads(record: ox.NamedNode, span: TextSpan, g: ox.NamedNode) -> list[ox.Quad]:
    """A place a skill was read: ``<mention>/at/<line>-<start>-<end>``, a ``kg:TextSpan``."""
    node = ox.NamedNode(f"{record.value}/at/{span.line}-{span.start}-{span.end}")
    out = [
        ox.Quad(record, _SPAN, node, g),
        ox.Quad(node, TYPE, _TEXT_SPAN, g),
        ox.Quad(node, _START_LINE, integer(span.line), g),
        ox.Quad(node, _START_COLUMN, integer(span.start), g),
        ox.Quad(node, _END_COLUMN, integer(span.end), g),
    ]
    if span.text is not None:
        out.append(ox.Quad(node, _EXACT_TEXT, ox.Literal(span.text), g))
    return out


def _salary_quads(node: ox.NamedNode, posting: Posting, g: ox.NamedNode) -> list[ox.Quad]:
    salary = posting.salary
    assert salary is not None
    amount = ox.NamedNode(node.value + "/salary")
    quantity = ox.NamedNode(node.value + "/salary/value")
    currency = [ox.Quad(amount, SCHEMA_CURRENCY, ox.Literal(salary.currency or ""), g)]
    return currency * bool(salary.currency) + [
        ox.Quad(node, SCHEMA_BASE_SALARY, amount, g),
        ox.Quad(amount, TYPE, _SCHEMA_MONETARY_AMOUNT, g),
        ox.Quad(amount, SCHEMA_VALUE, quantity, g),
        ox.Quad(quantity, TYPE, _SCHEMA_QUANTITATIVE_VALUE, g),
        ox.Quad(quantity, SCHEMA_MIN_VALUE, decimal(salary.min), g),
        ox.Quad(quantity, SCHEMA_MAX_VALUE, decimal(salary.max), g),
        ox.Quad(quantity, SCHEMA_UNIT_TEXT, ox.Literal(salary.period.upper()), g),
    ]


def load_postings(path: Path) -> list[Posting]:
    """Postings from a facts file such as ``data/seed-postings.json``.

    Raises:
        InputError: the file is missing or unreadable.
        ParseError: the file is not the expected JSON.
    """
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return [Posting.from_facts(item) for item in data["postings"]]
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from None
    except json.JSONDecodeError as exc:
        raise ParseError(f"{path}:{exc.lineno}: malformed JSON: {exc.msg}") from None
    except (KeyError, TypeError, ValueError) as exc:
        raise ParseError(f"{path}: not a postings file ({exc})") from None


def seed_quads(graph: ox.NamedNode | str, curated: Iterable[ox.Quad] = ()) -> list[ox.Quad]:
    """The seed-corpus postings (``data/seed-postings.json``) as quads, sorted.

    ``curated`` are the quads of the curated dataset: companies typed there are
    not typed again. Demand records are not here: the store derives them from
    all of its postings (``kg.derive``).
    """
    from kg.resources import data_file

    curated = list(curated)
    known = {value(q.subject) for q in curated if q.predicate == TYPE and q.object == COMPANY_CLASS}
    if not curated:
        known = _bundled_companies()
    postings = load_postings(data_file("seed-postings.json"))
    return posting_quads(postings, graph, known_companies=known)


def _bundled_companies() -> set[str]:
    """The IRIs of the companies in ``data/curated/companies.csv`` (none if it is missing)."""
    from kg.extract.vocabulary import read_companies
    from kg.resources import data_file

    path = data_file("curated", "companies.csv")
    return set(read_companies(path)) if path.is_file() else set()


def postings_turtle(postings: Iterable[Posting]) -> bytes:
    """Postings as Turtle, the way ``kg ingest`` would store them (for ``kg extract --format ttl``)."""
    from kg.namespaces import POSTINGS_GRAPH

    triples = sorted({ox.Triple(q.subject, q.predicate, q.object) for q in posting_quads(postings, POSTINGS_GRAPH)},
                     key=lambda t: (value(t.subject), t.predicate.value, str(t.object)))
    return serialize(triples, ox.RdfFormat.TURTLE, PREFIXES)
