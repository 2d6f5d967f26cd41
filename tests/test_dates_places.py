"""Dates and places: reading them as data sets write them, and storing them as schema.org facts the shapes accept."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pyshacl
import pytest
import rdflib

from kg import quads as evidence
from kg.extract import extract_text
from kg.extract.dates import find_date_line, parse_date
from kg.extract.places import job_location, location_of, names_city, parse_location, read_place
from kg.models import Location, Posting
from kg.namespaces import KG, PLACE, POSTINGS_GRAPH, SCHEMA, XSD
from kg.resources import ontology_file

GRAPH = ox.NamedNode(POSTINGS_GRAPH)


@pytest.mark.parametrize(("value", "expected"), [
    ("2024-03-01", "2024-03-01"), ("2024-03-01T10:00:00Z", "2024-03-01"), ("2024-03-01 12:30:00", "2024-03-01"),
    (1709251200000, "2024-03-01"), (1709251200000.0, "2024-03-01"), ("1709251200", "2024-03-01"),
    ("03/15/2024", "2024-03-15"), ("15/03/2024", "2024-03-15"), ("15.03.2024", "2024-03-15"),
    ("March 1, 2024", "2024-03-01"), ("1 Mar 2024", "2024-03-01"), ("2024/3/1", "2024-03-01"),
    ("yesterday", None), ("13/13/2024", None), (12, None), ("1850-01-01", None), (True, None), ("", None),
])
def test_dates_as_data_sets_write_them(value: object, expected: str | None) -> None:
    assert parse_date(value) == expected


def test_a_date_posted_line() -> None:
    assert find_date_line([(1, "Senior Engineer"), (2, "Date posted: Jan 5, 2025")]) == ("2025-01-05", 2)
    assert find_date_line([(1, "Posted on - 2024-07-01")]) == ("2024-07-01", 1)
    assert find_date_line([(1, "We posted our results in 2024-07-01 reports")]) is None
    assert find_date_line([(1, "Posted on Nov 20, 2026"), (2, "| Date posted | 2026-11-20 |")]) == ("2026-11-20", 1)
    assert find_date_line([(1, "Posted 3 days ago"), (2, "Published in 2024-07-01 reports")]) is None


@pytest.mark.parametrize(("text", "expected"), [
    ("Berlin, Germany", ("Berlin", "BE", "DE", None)),
    ("Austin, TX (Hybrid)", ("Austin", "TX", "US", "hybrid")),
    ("Toronto, ON", ("Toronto", "ON", "CA", None)),
    ("Frankfurt am Main, Germany", ("Frankfurt am Main", None, "DE", None)),
    ("Remote", (None, None, None, "remote")),
    ("USA", (None, None, "US", None)),
    ("Full-time", None), ("Paris", None), ("Lumen Ledger", None), ("IT", None), ("Technical Lead (ML)", None),
    ("Join us in Berlin, Germany", None), ("Python, Java, Germany", None), ("Remote Position", None),
    # a region outside the US, Canada and Australia, named without its country: one country has it
    ("Gurugram, Haryana", ("Gurugram", "HR", "IN", None)),
    ("Pune, Maharashtra", ("Pune", "MH", "IN", None)),
    ("Munich, Bayern", ("Munich", "BY", "DE", None)),
    ("Senior Engineer, Georgia", None), ("Leadership, Communication", None),
])
def test_a_part_of_a_line_reads_as_a_place_only_when_all_of_it_is_one(text: str, expected: tuple | None) -> None:
    place = read_place(text)
    assert (place and (place.city, place.region, place.country, place.workplace)) == expected


@pytest.mark.parametrize(("text", "term", "expected"), [
    ("Cupertino, California or Belgium", "Cupertino", True),
    ("Offices in Austin, TX and Leeds", "Austin", True),
    ("Berlin, Germany", "Berlin", True),
    ("React, TypeScript and Zorblax UI, Kafka", "Zorblax UI", False),
    ("Portainer, Helm and Argo CD", "Portainer", False),
    ("Snowflake, Georgia Tech alumni", "Snowflake", False),
    ("Cupertino", "Cupertino", False),
])
def test_a_city_is_told_by_the_region_or_country_after_it(text: str, term: str, expected: bool) -> None:
    """A term the tagger reads as an unknown name is a city when, with the next part of its list, it is a place."""
    start = text.index(term)
    assert names_city(text, start, start + len(term)) is expected


@pytest.mark.parametrize(("text", "expected"), [
    ("San Francisco, CA", ("San Francisco", "CA", "US", None)),
    ("Austin, Texas", ("Austin", "TX", "US", None)),
    ("New York, NY, United States", ("New York", "NY", "US", None)),
    ("Berlin, BE, DE", ("Berlin", "BE", "DE", None)),
    ("Berlin, Germany", ("Berlin", "BE", "DE", None)),
    ("Toronto, ON, Canada", ("Toronto", "ON", "CA", None)),
    ("Bangalore, Karnataka, India", ("Bangalore", "KA", "IN", None)),
    ("London, United Kingdom", ("London", None, "GB", None)),
    ("Remote", (None, None, None, "remote")),
    ("Remote - US", (None, None, "US", "remote")),
    ("Hybrid (London, UK)", ("London", None, "GB", "hybrid")),
    ("Greater Seattle Area", ("Seattle", None, None, None)),
    ("PARIS", ("Paris", None, None, None)),
])
def test_places_as_data_sets_write_them(text: str, expected: tuple) -> None:
    place = parse_location(text)
    assert place is not None and (place.city, place.region, place.country, place.workplace) == expected
    assert place.text == text


def test_places_from_columns_and_json_ld() -> None:
    assert location_of({"city": "Berlin", "country": "DE"}) == Location("Berlin, DE", "Berlin", None, "DE")
    assert location_of({"location": "Remote", "country": "USA"}).country == "US"  # type: ignore[union-attr]
    assert location_of({"location": "Austin, TX", "remote": "1.0"}).workplace == "remote"  # type: ignore[union-attr]
    assert location_of({}) is None
    remote = job_location({"jobLocationType": "TELECOMMUTE",
                           "applicantLocationRequirements": {"@type": "Country", "name": "USA"}})
    assert remote is not None and (remote.workplace, remote.country) == ("remote", "US")
    lyon = job_location({"jobLocation": [{"@type": "Place", "address": {"addressLocality": "Lyon",
                                                                        "addressCountry": {"name": "FR"}}}]})
    assert lyon is not None and (lyon.city, lyon.country) == ("Lyon", "FR")


def test_lines_of_plain_text_give_date_and_place() -> None:
    [posting] = extract_text("Senior Data Engineer\nLocation: Austin, TX (hybrid)\nDate posted: 2024-05-02\n"
                             "We need Python and SQL.\n")
    assert posting.date_posted == "2024-05-02"
    assert posting.location == Location("Austin, TX (hybrid)", "Austin", "TX", "US", "hybrid")


def dated(**changes: object) -> Posting:
    posting = Posting(id="abc", source="jobs.csv", line=2, end_line=2, title="Data Engineer", row=1,
                      date_posted="2024-03-01", location=Location("Austin, TX", "Austin", "TX", "US", "remote"))
    for name, value in changes.items():
        setattr(posting, name, value)
    return posting


def test_dates_and_places_are_schema_org_quads() -> None:
    quads = set(evidence.posting_quads([dated()], GRAPH, known_companies=()))
    node = evidence.posting_iri(dated())
    place = ox.NamedNode(PLACE + "us--tx--austin")
    address = ox.NamedNode(place.value + ".address")
    assert ox.Quad(node, ox.NamedNode(SCHEMA + "datePosted"),
                   ox.Literal("2024-03-01", datatype=ox.NamedNode(XSD + "date")), GRAPH) in quads
    assert ox.Quad(node, ox.NamedNode(SCHEMA + "jobLocation"), place, GRAPH) in quads
    assert ox.Quad(place, ox.NamedNode(SCHEMA + "name"), ox.Literal("Austin, TX, US"), GRAPH) in quads
    assert ox.Quad(address, ox.NamedNode(SCHEMA + "addressCountry"), ox.Literal("US"), GRAPH) in quads
    assert ox.Quad(node, ox.NamedNode(SCHEMA + "jobLocationType"), ox.Literal("TELECOMMUTE"), GRAPH) in quads
    assert ox.Quad(node, ox.NamedNode(KG + "workplace"), ox.NamedNode(KG + "Remote"), GRAPH) in quads
    assert ox.Quad(node, ox.NamedNode(KG + "sourceRow"),
                   ox.Literal("1", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")), GRAPH) in quads


def conforms(postings: list[Posting]) -> tuple[bool, str]:
    data = rdflib.Graph()
    triples = [q.triple for q in evidence.posting_quads(postings, GRAPH, known_companies=())]
    data.parse(data=ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES), format="nt")
    data.parse(ontology_file("kg.ttl"))
    ok, _, text = pyshacl.validate(data, shacl_graph=rdflib.Graph().parse(ontology_file("shapes.ttl")), advanced=True)
    return bool(ok), text


def test_the_shapes_accept_dates_and_places_and_catch_broken_ones(tmp_path: Path) -> None:
    ok, text = conforms([dated()])
    assert ok, text
    ok, text = conforms([dated(location=Location("x", "Austin", None, "USA"), row=0)])
    assert not ok
    assert "ISO 3166-1 alpha-2" in text and "kg:sourceRow" in text
