"""Hostile input: random and mutated postings, random bytes and JSON, pathological long lines.

Whatever comes in, only a KgError may come out, and what does come out is valid.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import pyoxigraph as ox
import pyshacl
import pytest
import rdflib
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg import derive
from kg.errors import KgError
from kg.extract import Vocabulary, extract_text
from kg.extract.matcher import skill_matcher
from kg.extract.readers import decode
from kg.namespaces import COMPANY, DERIVED_GRAPH, KG, POSTINGS_GRAPH, RDF, SKOS
from kg.quads import posting_quads
from kg.resources import ontology_file
from kg.shacl_sparql import parsed_once

DATA = Path(__file__).parent / "data"
VOCAB = DATA / "vocab"
SAMPLES = [(DATA / "postings" / name).read_text(encoding="utf-8") for name in ("plain.txt", "notes.md")]
PIECES = [
    "+ skill set:\n", "\t- ", "```\n", "```txt\n", "# ", "### Notes about ", "Requirements:\n", "Nice to have:",
    "is a plus", "; ", "C/C++", "$120,000 - $90,000", "5+ years of ", "BLAH.", "\x00", "\ufeff", "R&D", "Go",
    "(", ")", "é", "\u2019", " at ", "About ", "[x](http://e.x/y)", "***", "\n\n", "1) ", "Ph.D.", "Mandarin",
]
FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def mutated_postings(draw: st.DrawFn) -> str:
    """A sample posting with random cuts, insertions and repeated lines."""
    text = draw(st.sampled_from(SAMPLES))
    for _ in range(draw(st.integers(0, 8))):
        at = draw(st.integers(0, len(text)))
        action = draw(st.sampled_from(["insert", "delete", "repeat"]))
        if action == "insert":
            text = text[:at] + draw(st.sampled_from(PIECES) | st.text(max_size=12)) + text[at:]
        elif action == "delete":
            text = text[:at] + text[at + draw(st.integers(1, 40)) :]
        else:
            line = text[:at].rsplit("\n", 1)[-1]
            text = text[:at] + "\n" + line * draw(st.integers(1, 3)) + text[at:]
    return text


def extract_or_error(text: str, source: str, vocab: Vocabulary) -> list:
    try:
        return extract_text(text, source, vocab=vocab)
    except KgError as exc:
        assert str(exc) and "\n" not in str(exc)
        return []


@FAST
@given(text=st.text(max_size=400), source=st.sampled_from(["a.txt", "b.md", "c.json", "d.jsonld", "-"]))
def test_random_text_raises_only_kg_errors(text: str, source: str, vocab: Vocabulary) -> None:
    for posting in extract_or_error(text, source, vocab):
        json.dumps(posting.to_json())


@FAST
@given(data=st.binary(max_size=300))
def test_random_bytes_raise_only_kg_errors(data: bytes, vocab: Vocabulary) -> None:
    try:
        source = decode(data, "bytes.txt")
    except KgError:
        return
    extract_or_error(source.text, "bytes.txt", vocab)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.sampled_from(
        ["@type", "title", "description", "skills", "baseSalary", "value", "minValue", "maxValue", "currency",
         "unitText", "hiringOrganization", "name", "@graph", "qualifications"]), inner, max_size=5),
    max_leaves=20,
)


@FAST
@given(value=json_values, typed=st.booleans())
def test_random_json_ld_raises_only_kg_errors(value: object, typed: bool, vocab: Vocabulary) -> None:
    if typed and isinstance(value, dict):
        value = {**value, "@type": "JobPosting"}
    for posting in extract_or_error(json.dumps(value), "random.jsonld", vocab):
        json.dumps(posting.to_json())


@FAST
@given(text=mutated_postings())
def test_mutated_postings_give_sane_postings(text: str, vocab: Vocabulary) -> None:
    for posting in extract_or_error(text, "mutated.md", vocab):
        assert 1 <= posting.line <= posting.end_line
        assert all(posting.line <= m.line <= posting.end_line for m in posting.skills)
        assert len({m.iri for m in posting.skills}) == len(posting.skills)
        if posting.salary:
            assert 0 < posting.salary.min <= posting.salary.max


def vocabulary_graph(vocab: Vocabulary) -> rdflib.Graph:
    """The test vocabulary, kg.ttl and the companies, as an rdflib graph for pyshacl."""
    graph = rdflib.Graph()
    for name in ("domains.ttl", "skills.ttl", "roles.ttl"):
        graph.parse(VOCAB / name)
    graph.parse(ontology_file("kg.ttl"))
    for iri, company in vocab.companies.items():
        graph.add((rdflib.URIRef(iri), rdflib.URIRef(RDF + "type"), rdflib.URIRef(KG + "Company")))
        graph.add((rdflib.URIRef(iri), rdflib.URIRef(SKOS + "prefLabel"), rdflib.Literal(company.label, lang="en")))
    return graph


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts=st.lists(mutated_postings(), min_size=1, max_size=3))
def test_mutated_postings_validate_against_the_shapes(texts: list[str], vocab: Vocabulary) -> None:
    postings = [p for i, text in enumerate(texts) for p in extract_or_error(text, f"m{i}.md", vocab)]
    quads = posting_quads(postings, POSTINGS_GRAPH, known_companies=set(vocab.companies))
    db = ox.Store()
    db.extend(quads)
    quads += derive.derived_quads(db, DERIVED_GRAPH)
    data = vocabulary_graph(vocab)
    triples = [ox.Triple(q.subject, q.predicate, q.object) for q in quads]
    data.parse(data=ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES), format="nt")
    shapes = rdflib.Graph().parse(ontology_file("shapes.ttl"))
    with parsed_once():  # as kg validate does: each SPARQL constraint parsed once, not once per node
        _, _, report = pyshacl.validate(data, shacl_graph=shapes, advanced=True)
    problems = [line for line in report.splitlines() if "Message:" in line and "at least 3 skills" not in line]
    assert not problems, "\n".join(problems)
    assert all(q.subject.value.startswith(("https://w3id.org/jobkg/", COMPANY)) for q in quads)


PATHOLOGICAL = {
    "letters": "a" * 1_000_000,
    "spaces": "x" + " " * 999_999,
    "separators": "C/" * 500_000,
    "cues": "experience with " * 62_500,
    "digits": "1" * 1_000_000,
    "money": "$1,000 - " * 111_111,
    "years": "5+ years of " * 83_333,
    "parentheses": "(" * 1_000_000,
    "dots": "e.g. " * 200_000,
    "headers": "Requirements: " * 71_428,
    "skills": "Python, Go and R; " * 55_555,
    "lists before a noun": "Python, Java and Go teams " * 38_461,
    "shorthands": "machine and deep learning, " * 37_037,
    "shared heads": "statistical and/or ML modeling " * 32_258,
    "list heads": "strong interpersonal and excellent written communication skills " * 15_625,
    "company sentences": "Northwind builds robots. We ship Python. " * 24_390,
    "degrees": "BS in CS and MS in EE, " * 43_478,
    "non-ascii": "é–’ Python • " * 83_333,
}


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(PATHOLOGICAL))
def test_a_pathological_megabyte_line_is_linear(name: str, vocab: Vocabulary) -> None:
    """No regular expression backtracks catastrophically: 1 MB takes about twice as long as 0.5 MB.

    Timed in CPU time, which other work on the machine (another test worker, say) does not stretch.
    """
    line = PATHOLOGICAL[name]
    timings = []
    for size in (len(line) // 2, len(line)):
        started = time.process_time()
        extract_text(line[:size], "long.txt", vocab=vocab, max_line=None)
        timings.append(time.process_time() - started)
    assert timings[1] < 20, f"{name}: {timings[1]:.1f} s for 1 MB"
    assert timings[1] < 3 * timings[0] + 0.5, f"{name}: {timings} is not linear"


def test_long_lines_are_refused_by_default(vocab: Vocabulary) -> None:
    with pytest.raises(KgError, match="line longer than the limit of 100,000 characters"):
        extract_text("x" * 100_001, "long.txt", vocab=vocab)


def test_matcher_is_linear_on_many_hits() -> None:
    from kg.extract.vocabulary import Concept

    matcher = skill_matcher([Concept("https://w3id.org/jobkg/id/skill/a", "aa a", ("a",))])
    started = time.perf_counter()
    matcher.find("aa a " * 100_000)
    assert time.perf_counter() - started < 10
