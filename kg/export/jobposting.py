"""Postings out as schema.org ``JobPosting`` JSON-LD, for job boards and search engines.

Each stored ``kg:JobPosting`` becomes one JobPosting: ``title``,
``occupationalCategory`` (the role, with the ESCO or O*NET occupation it is
the same as), ``hiringOrganization``, ``skills`` (required skills as
``DefinedTerm``s whose ``sameAs`` lists the ESCO or O*NET concepts they are
the same as, by the reviewed ``skos:exactMatch`` alignments), a
``description`` (HTML: the preferred skills under "Nice to have", the
languages under "Requirements"), ``baseSalary``,
``experienceRequirements`` and ``educationRequirements``. ``kg extract``
reads the file back to the same facts.
"""

from __future__ import annotations

import html
import json
from collections import defaultdict
from typing import Any

import pyoxigraph as ox

from kg.namespaces import KG, SCHEMA, SCHEME, SKOS
from kg.property_graph import labels
from kg.terms import TYPE, Term, kg, value

_SAME = SKOS + "exactMatch"
_DEGREES = {"Bachelor": "bachelor degree", "Master": "master degree", "MBA": "MBA", "PhD": "doctoral degree"}


def _values(db: ox.Store, subject: ox.NamedNode, predicate: str) -> list[Term]:
    found = {q.object for q in db.quads_for_pattern(subject, ox.NamedNode(predicate), None, None)}
    return sorted(found, key=str)


def _one(db: ox.Store, subject: ox.NamedNode, predicate: str) -> Term | None:
    values = _values(db, subject, predicate)
    return values[0] if values else None


def _matches(db: ox.Store) -> dict[str, list[str]]:
    """kg IRI → the ESCO and O*NET concepts it is the same as (``skos:exactMatch``), sorted."""
    found: dict[str, set[str]] = defaultdict(set)
    for quad in db.quads_for_pattern(None, ox.NamedNode(_SAME), None, None):
        found[value(quad.subject)].add(value(quad.object))
    return {iri: sorted(same) for iri, same in found.items()}


def _term(iri: str, name: str, matches: dict[str, list[str]], scheme: str) -> dict[str, Any]:
    term: dict[str, Any] = {"@type": "DefinedTerm", "@id": iri, "name": name, "inDefinedTermSet": SCHEME + scheme}
    if matches.get(iri):
        term["sameAs"] = matches[iri]
    return term


def jobpostings(db: ox.Store) -> list[dict[str, Any]]:
    """Every posting of the store as a schema.org JobPosting object, sorted by IRI."""
    postings = sorted({value(q.subject) for q in db.quads_for_pattern(None, TYPE, kg("JobPosting"), None)})
    names = labels(db)
    matches = _matches(db)
    return [_posting(db, ox.NamedNode(iri), names, matches) for iri in postings]


def _posting(db: ox.Store, node: ox.NamedNode, names: dict[str, str], matches: dict[str, list[str]]) -> dict[str, Any]:
    role = _one(db, node, KG + "forRole")
    company = _one(db, node, KG + "postedBy")
    title = _one(db, node, SCHEMA + "title")
    out: dict[str, Any] = {"@type": "JobPosting", "@id": node.value}
    out["title"] = value(title) if title else names.get(value(role), "Job posting") if role else "Job posting"
    if role:
        out["occupationalCategory"] = _term(value(role), names.get(value(role), value(role)), matches, "roles")
    if company:
        out["hiringOrganization"] = {"@type": "Organization", "@id": value(company),
                                     "name": names.get(value(company), value(company))}
    required = [value(s) for s in _values(db, node, KG + "requiresSkill")]
    preferred = [value(s) for s in _values(db, node, KG + "prefersSkill") if value(s) not in required]
    out["skills"] = [_term(s, names.get(s, s), matches, "skills")
                     for s in sorted(required, key=lambda s: names.get(s, s))]
    description = []
    if preferred:
        items = "".join(f"<li>{html.escape(names.get(s, s))}</li>"
                        for s in sorted(preferred, key=lambda s: names.get(s, s)))
        description.append(f"<p>Nice to have:</p><ul>{items}</ul>")
    languages = sorted(value(v) for v in _values(db, node, KG + "humanLanguage"))
    if languages:
        description.append(f"<p>Requirements:</p><ul><li>Fluent {html.escape(' and '.join(languages))}</li></ul>")
    if description:
        out["description"] = "".join(description)
    years = _one(db, node, KG + "minYears")
    if years:
        out["experienceRequirements"] = {"@type": "OccupationalExperienceRequirements",
                                         "monthsOfExperience": int(value(years)) * 12,
                                         "description": f"{value(years)}+ years of experience"}
    degrees = [value(d) for d in _values(db, node, KG + "degree")]
    if degrees:
        out["educationRequirements"] = [{"@type": "EducationalOccupationalCredential",
                                         "credentialCategory": _DEGREES.get(d, d)} for d in degrees]
    salary = _one(db, node, SCHEMA + "baseSalary")
    if isinstance(salary, ox.NamedNode):
        out["baseSalary"] = _salary(db, salary)
    return out


def _salary(db: ox.Store, amount: ox.NamedNode) -> dict[str, Any]:
    """A MonetaryAmount; its currency only if the store says which (a wrong one is worse than none)."""
    amount_value = _one(db, amount, SCHEMA + "value")
    currency = _one(db, amount, SCHEMA + "currency")
    quantity: dict[str, Any] = {"@type": "QuantitativeValue"}
    if isinstance(amount_value, ox.NamedNode):
        for key in ("minValue", "maxValue", "unitText"):
            found = _one(db, amount_value, SCHEMA + key)
            if found is not None:
                quantity[key] = _number(value(found)) if key != "unitText" else value(found)
    salary: dict[str, Any] = {"@type": "MonetaryAmount"}
    if currency is not None:
        salary["currency"] = value(currency)
    salary["value"] = quantity
    return salary


def _number(text: str) -> int | float:
    number = float(text)
    return int(number) if number.is_integer() else number


def jobposting_bytes(db: ox.Store) -> bytes:
    """All postings as one JSON-LD document with the schema.org context."""
    document = {"@context": SCHEMA, "@graph": jobpostings(db)}
    return (json.dumps(document, indent=1, ensure_ascii=False) + "\n").encode("utf-8")
