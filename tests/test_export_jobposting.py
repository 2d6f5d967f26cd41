"""schema.org JobPosting export: the fields job boards read, and a round trip through `kg extract`."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox

from kg.export.jobposting import jobposting_bytes
from kg.extract import extract_files
from kg.ingest import ingest
from kg.namespaces import KG, POSTING, RDF, SCHEMA, SKILL, XSD
from kg.store import LocalStore

POSTINGS = Path(__file__).parent / "data" / "postings"


def facts(posting) -> dict:  # noqa: ANN001 - a kg.models.Posting
    data = posting.to_json()
    return {
        "role": data["role"], "company": data["company"], "min_years": data["min_years"],
        "degrees": sorted(data["degrees"]), "languages": sorted(data["languages"]), "salary": data["salary"],
        "skills": sorted((s["iri"], s["level"]) for s in data["skills"]),
    }


def test_export_and_read_back_give_the_same_facts(tmp_path: Path, copy_built: Callable[[str], LocalStore]) -> None:
    files = [str(POSTINGS / "plain.txt"), str(POSTINGS / "postings.jsonld"), str(POSTINGS / "notes.md")]
    originals = [p for p in extract_files(files).postings if p.duplicate_of is None]
    store = copy_built("s")
    ingest(store, files)
    exported = tmp_path / "jobs.jsonld"
    exported.write_bytes(jobposting_bytes(store.reader()))
    document = json.loads(exported.read_text())
    assert document["@context"] == "https://schema.org/"
    mine = {p["@id"].rsplit("/", 1)[1]: p for p in document["@graph"]}
    read_back = extract_files([str(exported)]).postings
    by_id = {p["@id"].rsplit("/", 1)[1]: back for p, back in zip(document["@graph"], read_back)}
    compared = 0
    for original in originals:
        if not original.skills:
            continue
        assert original.id in mine, original.id
        assert facts(by_id[original.id]) == facts(original)
        compared += 1
    assert compared >= 3


def test_skills_are_defined_terms_with_taxonomy_iris(copy_built: Callable[[str], LocalStore]) -> None:
    store = copy_built("s")
    ingest(store, [str(POSTINGS / "plain.txt")])
    postings = json.loads(jobposting_bytes(store.reader()))["@graph"]
    python = next(s for p in postings for s in p.get("skills", []) if s["@id"] == SKILL + "python")
    assert python["@type"] == "DefinedTerm" and python["name"] == "Python"
    assert any(iri.startswith("http://data.europa.eu/esco/skill/") for iri in python["sameAs"])
    for posting in postings:
        assert posting["@type"] == "JobPosting" and posting["title"]
        if "baseSalary" in posting:
            assert posting["baseSalary"]["@type"] == "MonetaryAmount"
            assert {"minValue", "maxValue", "unitText"} <= set(posting["baseSalary"]["value"])


def test_an_unknown_currency_stays_unknown() -> None:
    """A salary the store gives no currency for is exported without one, not as US dollars."""
    posting, amount, quantity = (ox.NamedNode(POSTING + "p1" + suffix) for suffix in ("", "/salary", "/salary/value"))
    db = ox.Store()
    db.extend(ox.Quad(s, ox.NamedNode(p), o) for s, p, o in [
        (posting, RDF + "type", ox.NamedNode(KG + "JobPosting")),
        (posting, SCHEMA + "baseSalary", amount),
        (amount, SCHEMA + "value", quantity),
        (quantity, SCHEMA + "minValue", ox.Literal("50000.0", datatype=ox.NamedNode(XSD + "decimal"))),
        (quantity, SCHEMA + "unitText", ox.Literal("YEAR")),
    ])
    [exported] = json.loads(jobposting_bytes(db))["@graph"]
    assert exported["baseSalary"] == {"@type": "MonetaryAmount",
                                      "value": {"@type": "QuantitativeValue", "minValue": 50000, "unitText": "YEAR"}}
    db.add(ox.Quad(amount, ox.NamedNode(SCHEMA + "currency"), ox.Literal("EUR")))
    [exported] = json.loads(jobposting_bytes(db))["@graph"]
    assert exported["baseSalary"]["currency"] == "EUR"
