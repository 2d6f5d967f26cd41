"""pyoxigraph terms kg writes and reads: the nodes it names often, literals in one form, typed helpers.

Every module that builds quads takes its terms from here (IRIs come from
:mod:`kg.namespaces`), so that a number is written the same way wherever it
is written, and the same way the store gives it back:

- :data:`TYPE` is ``rdf:type``; :func:`kg` names a term of kg's ontology;
- a term that more than one module writes or reads (``kg:forRole``, ``skos:prefLabel``,
  ``schema:datePosted``, ...) is named here once; a module keeps to itself only the
  terms no other module uses;
- :func:`integer`, :func:`decimal` and :func:`boolean` are literals in their
  canonical XSD form (a decimal always has a point: ``3.0``, ``0.6667``);
- :func:`value` is the string of a subject or object (an IRI, a blank node
  label or a literal's text), and :func:`serialize` is ``pyoxigraph.serialize``
  into memory, both typed for mypy.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import ROUND_HALF_EVEN, Decimal

import pyoxigraph as ox

from kg.namespaces import KG, RDF, SCHEMA, SKOS, XSD

TYPE = ox.NamedNode(RDF + "type")
XSD_INTEGER = ox.NamedNode(XSD + "integer")
XSD_DECIMAL = ox.NamedNode(XSD + "decimal")
XSD_BOOLEAN = ox.NamedNode(XSD + "boolean")
XSD_STRING = ox.NamedNode(XSD + "string")
RDF_LANG_STRING = ox.NamedNode(RDF + "langString")

#: Places after the point that :func:`decimal` keeps (shares and amounts: 0.6667).
DECIMAL_PLACES = 4

Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple


def kg(name: str) -> ox.NamedNode:
    """A class or property of kg's ontology: ``kg("Skill")`` is ``kg:Skill``."""
    return ox.NamedNode(KG + name)


# kg's classes (the bare names, ``SKILL`` and so on, are the namespaces of their instances in kg.namespaces)
ROLE_CLASS, SKILL_CLASS, DOMAIN_CLASS = kg("Role"), kg("Skill"), kg("Domain")
COMPANY_CLASS, JOB_POSTING_CLASS = kg("Company"), kg("JobPosting")
# what roles and postings ask for, and at which level
REQUIRES_SKILL, PREFERS_SKILL = kg("requiresSkill"), kg("prefersSkill")
#: The relation of a role or a posting to a skill, by level (``required``, ``preferred``).
ASKS = {"required": REQUIRES_SKILL, "preferred": PREFERS_SKILL}
#: The ``kg:level`` of a skill mention or a demand record, by level.
LEVELS = {"required": kg("Required"), "preferred": kg("Preferred")}
LEVEL = kg("level")
# a posting, and the records hung off it
FOR_ROLE, POSTED_BY, HIRES, PART_OF_DOMAIN = kg("forRole"), kg("postedBy"), kg("hires"), kg("partOfDomain")
#: ``kg:skill``: the skill of a mention, a demand record or a technology use.
OF_SKILL = kg("skill")
WORKPLACE = kg("workplace")
#: The ``kg:workplace`` of a posting, by the name :class:`kg.models.Location` gives it.
WORKPLACES = {"remote": kg("Remote"), "hybrid": kg("Hybrid"), "onsite": kg("OnSite")}
DATE_POSTED, JOB_LOCATION = ox.NamedNode(SCHEMA + "datePosted"), ox.NamedNode(SCHEMA + "jobLocation")
# a posting's pay (schema:MonetaryAmount), as quads write it and the salary tallies read it
SCHEMA_BASE_SALARY, SCHEMA_VALUE = ox.NamedNode(SCHEMA + "baseSalary"), ox.NamedNode(SCHEMA + "value")
SCHEMA_CURRENCY, SCHEMA_UNIT_TEXT = ox.NamedNode(SCHEMA + "currency"), ox.NamedNode(SCHEMA + "unitText")
SCHEMA_MIN_VALUE, SCHEMA_MAX_VALUE = ox.NamedNode(SCHEMA + "minValue"), ox.NamedNode(SCHEMA + "maxValue")
#: ``kg:role`` and ``kg:postingCount``: the role of a derived tally, and how many postings it counts.
OF_ROLE, POSTING_COUNT = kg("role"), kg("postingCount")
# labels and the hierarchy
PREF_LABEL, ALT_LABEL = ox.NamedNode(SKOS + "prefLabel"), ox.NamedNode(SKOS + "altLabel")
IN_SCHEME = ox.NamedNode(SKOS + "inScheme")


def integer(number: int) -> ox.Literal:
    """``"3"^^xsd:integer``."""
    return ox.Literal(str(int(number)), datatype=XSD_INTEGER)


def decimal(number: float | Decimal, places: int = DECIMAL_PLACES) -> ox.Literal:
    """An ``xsd:decimal`` rounded half-even to ``places`` places, without trailing zeros but with a point (``3.0``)."""
    rounded = Decimal(str(number)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_EVEN).normalize()
    text = format(rounded, "f")
    return ox.Literal(text if "." in text else text + ".0", datatype=XSD_DECIMAL)


def boolean(flag: bool) -> ox.Literal:
    """``"true"^^xsd:boolean`` or ``"false"^^xsd:boolean``."""
    return ox.Literal("true" if flag else "false", datatype=XSD_BOOLEAN)


def value(term: Term) -> str:
    """The IRI of a named node, the label of a blank node, the text of a literal (a triple term: its N-Triples form)."""
    return str(term) if isinstance(term, ox.Triple) else term.value


def serialize(data: Iterable[ox.Triple] | Iterable[ox.Quad], format: ox.RdfFormat,
              prefixes: Mapping[str, str] | None = None) -> bytes:
    """``pyoxigraph.serialize`` into memory: the bytes (its stub also allows ``None``, for when it writes a file)."""
    out = ox.serialize(data, format=format, prefixes=dict(prefixes) if prefixes else None)
    if out is None:  # pragma: no cover - only with an output file
        raise AssertionError("pyoxigraph.serialize returned nothing")
    return out
