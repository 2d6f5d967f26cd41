"""No way out to the network: SERVICE and LOAD are refused however the text hides them.

A loopback listener counts the HTTP requests that reach it. Each query or
update runs through the ``kg`` command twice: with ``--allow-service`` /
``--allow-remote`` it must reach the listener (so the hiding context is real
SPARQL that Oxigraph runs), and without it not one request may arrive.
"""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.cli import cli
from kg.errors import QueryError

EMPTY_RESULTS = b'{"head":{"vars":[]},"results":{"bindings":[{}]}}'
PREFIX = "PREFIX kg: <https://example.org/kg/> "
DATA = "INSERT DATA { GRAPH <https://example.org/g> { kg:a kg:p kg:b . kg:b kg:q kg:Skill . kg:a kg:p true } }"


@dataclass
class Listener:
    """A loopback HTTP server that answers every request with one empty solution, and counts them."""

    url: str
    hits: list[str]


@pytest.fixture(scope="module")
def listener() -> Iterator[Listener]:
    hits: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self._answer()

        def do_POST(self) -> None:
            self._answer()

        def _answer(self) -> None:
            hits.append(self.path)
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            self.send_response(200)
            self.send_header("Content-Type", "application/sparql-results+json")
            self.send_header("Content-Length", str(len(EMPTY_RESULTS)))
            self.end_headers()
            self.wfile.write(EMPTY_RESULTS)

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield Listener(f"http://127.0.0.1:{server.server_port}/sparql", hits)
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store with a few triples, so that the triple patterns in front of SERVICE match."""
    path = tmp_path_factory.mktemp("guards") / "store"
    result = CliRunner().invoke(cli, ["--store", str(path), "update", PREFIX + DATA, "--yes"])
    assert result.exit_code == 0, result.output
    return path


def _kg(store: Path, *args: str) -> int:
    return CliRunner().invoke(cli, ["--store", str(store), *args]).exit_code


def _requests(listener: Listener, store: Path, *args: str) -> int:
    before = len(listener.hits)
    _kg(store, *args)
    return len(listener.hits) - before


def _assert_refused_and_silent(listener: Listener, store: Path, allowing: str, *args: str) -> None:
    assert _requests(listener, store, *args, allowing) >= 1, "the hiding context must be SPARQL that Oxigraph runs"
    before = len(listener.hits)
    assert _kg(store, *args) == QueryError.exit_code
    assert len(listener.hits) == before


# The two cases, as they were found.
def test_service_after_a_comment_ending_in_a_carriage_return_is_refused(listener: Listener, store: Path) -> None:
    query = f"SELECT * WHERE {{ # a comment\rSERVICE <{listener.url}> {{ }} }}"
    _assert_refused_and_silent(listener, store, "--allow-service", "query", query, "-f", "json")


def test_service_glued_to_a_prefixed_name_and_bracket_is_refused(listener: Listener, store: Path) -> None:
    query = PREFIX + f"SELECT * WHERE {{ ?s ?p [ ?q kg:Skill]SERVICE <{listener.url}> {{ }} }}"
    _assert_refused_and_silent(listener, store, "--allow-service", "query", query, "-f", "json")


def test_load_after_a_comment_ending_in_a_carriage_return_is_refused(listener: Listener, store: Path) -> None:
    update = f"# a comment\rLOAD <{listener.url}>"
    _assert_refused_and_silent(listener, store, "--allow-remote", "update", update, "--yes")


def test_service_glued_to_true_is_refused(listener: Listener, store: Path) -> None:
    """Oxigraph reads ``trueSERVICE`` as ``true SERVICE``."""
    query = f"SELECT * WHERE {{ ?s ?p trueSERVICE <{listener.url}> {{ }} }}"
    _assert_refused_and_silent(listener, store, "--allow-service", "query", query, "-f", "json")


def test_names_holding_service_or_load_are_not_keywords(store: Path) -> None:
    query = PREFIX + ("SELECT ?service ?load WHERE { ?service kg:CustomerService ?load . "
                      "?load kg:loadBalancing 'SERVICE' }")
    assert _kg(store, "query", query, "-f", "json") == 0


# ------------------------------------------------------------ generated hiding places

LINE_ENDS = st.sampled_from(["\n", "\r", "\r\n"])
SPACE = st.text(alphabet=" \t\r\n", max_size=4)
COMMENT = st.builds(lambda text, end: "#" + text + end,
                    st.text(alphabet=st.characters(blacklist_characters="\r\n", blacklist_categories=["Cs"]),
                            max_size=12),
                    LINE_ENDS)
# Patterns that end in a prefixed name, a literal or a keyword glued to the next token.
GLUED = st.sampled_from([
    "?s ?p [ ?q kg:Skill]",
    "?s ?p [ ?q kg:Skill ]",
    "VALUES ?o {kg:Skill}",
    "?s ?p true",
    "?s ?p kg:b .",  # (glued, kg:b.SERVICE would be one prefixed name, for Oxigraph as for kg)
    "?s ?p kg:b;kg:p true.",
    "BIND(kg:Skill AS ?x)",
    "OPTIONAL{?s kg:q kg:Skill}",
])


def _cased(word: str, upper: list[bool]) -> str:
    return "".join(c.upper() if up else c.lower() for c, up in zip(word, upper, strict=False))


CASE = st.lists(st.booleans(), min_size=7, max_size=7)
AROUND = st.lists(st.one_of(SPACE, COMMENT), max_size=3).map("".join)
PRELUDE = st.tuples(AROUND, st.one_of(st.just(""), GLUED), AROUND).map("".join)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(prelude=PRELUDE, case=CASE, silent=st.booleans(), gap=SPACE)
def test_hidden_service_never_leaves_the_machine(listener: Listener, store: Path, prelude: str,
                                                 case: list[bool], silent: bool, gap: str) -> None:
    keyword = _cased("SERVICE", case) + (" SILENT" if silent else "")
    query = PREFIX + f"SELECT * WHERE {{ {prelude}{keyword}{gap}<{listener.url}> {{ }} }}"
    _assert_refused_and_silent(listener, store, "--allow-service", "query", query, "-f", "json")


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@pytest.mark.slow
@given(prelude=AROUND, case=CASE, silent=st.booleans(),
       gap=SPACE, glued=st.booleans())
def test_hidden_load_never_leaves_the_machine(listener: Listener, store: Path, prelude: str, case: list[bool],
                                              silent: bool, gap: str, glued: bool) -> None:
    first = "INSERT DATA{kg:a kg:p kg:Skill};" if glued else ""
    keyword = _cased("LOAD", case[:4]) + (" SILENT" if silent else "")
    update = PREFIX + f"{first}{prelude}{keyword}{gap}<{listener.url}>"
    _assert_refused_and_silent(listener, store, "--allow-remote", "update", update, "--yes")
