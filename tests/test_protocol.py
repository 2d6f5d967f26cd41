"""The SPARQL protocol as servers speak it, against loopback servers that behave as odd real ones do.

Each server here is a few lines of ``http.server`` that answers as a real one
was seen to: Virtuoso's endpoint that never answers ``application/sparql-query``,
its Digest-only Graph Store that closes the connection on an unauthenticated
upload, row limits announced in ``X-SPARQL-MaxRows``, redirects, a server that
trickles, an error body holding terminal escapes.
"""

from __future__ import annotations

import base64
import hashlib
import http.server
import json
import re
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from kg.cli import cli
from kg.store import LocalStore

DATA = Path(__file__).parent / "data"
JSON_RESULTS = "application/sparql-results+json"
SECRET = "s3cret-Pa55word"


@dataclass
class Seen:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes

    @property
    def params(self) -> dict[str, list[str]]:
        query = urllib.parse.urlsplit(self.path).query
        form = self.body.decode() if self.headers.get("Content-Type", "").startswith("application/x-www-form") else ""
        return urllib.parse.parse_qs(query + "&" + form)


@dataclass
class Answer:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    trickle: float = 0.0  # seconds between bytes of the body
    close: bool = False  # close without reading the request body


class Fake(http.server.ThreadingHTTPServer):
    """A loopback server whose answers come from ``respond(seen) -> Answer``; it records every request."""

    daemon_threads = True

    def __init__(self, respond: Callable[[Seen], Answer]) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.respond = respond
        self.seen: list[Seen] = []

    def url(self, path: str = "/sparql") -> str:
        return f"http://127.0.0.1:{self.server_address[1]}{path}"


class _Handler(http.server.BaseHTTPRequestHandler):
    server: Fake
    protocol_version = "HTTP/1.1"

    def _any(self) -> None:
        headers = dict(self.headers.items())
        length = int(self.headers.get("Content-Length") or 0)
        peek = Seen(self.command, self.path, headers, b"")
        upload = length > 1000 and not headers.get("Authorization") and "form" not in headers.get("Content-Type", "")
        answer = self.server.respond(peek) if upload else None  # a server may answer before reading
        if answer is not None and answer.close:
            self.server.seen.append(peek)
            self._send(answer)
            self.close_connection = True
            return
        seen = Seen(self.command, self.path, headers, self.rfile.read(length))
        self.server.seen.append(seen)
        self._send(self.server.respond(seen))

    def _send(self, answer: Answer) -> None:
        self.send_response(answer.status)
        for name, value in answer.headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(answer.body)))
        if answer.close:
            self.send_header("Connection", "close")
        self.end_headers()
        if not answer.trickle:
            self.wfile.write(answer.body)
            return
        for byte in answer.body:  # bounded: the body is short
            try:
                self.wfile.write(bytes([byte]))
                self.wfile.flush()
            except OSError:
                return
            time.sleep(answer.trickle)

    def do_GET(self) -> None:
        self._any()

    def do_POST(self) -> None:
        self._any()

    def do_PUT(self) -> None:
        self._any()

    def log_message(self, *args: object) -> None:
        pass


Start = Callable[[Callable[[Seen], Answer]], Fake]


@pytest.fixture
def fake() -> Iterator[Start]:
    started: list[Fake] = []

    def start(respond: Callable[[Seen], Answer]) -> Fake:
        server = Fake(respond)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        started.append(server)
        return server

    yield start
    for server in started:
        server.shutdown()
        server.server_close()


def results(*values: str) -> Answer:
    rows = [{"x": {"type": "literal", "value": v}} for v in values]
    return Answer(200, json.dumps({"head": {"vars": ["x"]}, "results": {"bindings": rows}}).encode(),
                  {"Content-Type": JSON_RESULTS})


def boolean(value: bool) -> Answer:
    return Answer(200, json.dumps({"head": {}, "boolean": value}).encode(), {"Content-Type": JSON_RESULTS})


def count_answer(triples: int) -> Answer:
    """The answer to kg's count of a graph's triples."""
    value = {"type": "literal", "datatype": "http://www.w3.org/2001/XMLSchema#integer", "value": str(triples)}
    body = {"head": {"vars": ["triples"]}, "results": {"bindings": [{"triples": value}]}}
    return Answer(200, json.dumps(body).encode(), {"Content-Type": JSON_RESULTS})


def invoke(runner: CliRunner, *args: str, env: dict[str, str] | None = None) -> Result:
    return runner.invoke(cli, list(args), env={"KG_ENDPOINT_RETRIES": "0", **(env or {})})


# ------------------------------------------------------------------ queries


def test_queries_are_form_encoded_never_sparql_query_posts(fake: Start, runner: CliRunner) -> None:
    """Virtuoso 7.2 never answers a POST of application/sparql-query; a form (or GET) it answers at once."""
    def respond(seen: Seen) -> Answer:
        if seen.headers.get("Content-Type", "").startswith("application/sparql-query"):
            return Answer(200, b" " * 40, {"Content-Type": JSON_RESULTS}, trickle=0.5)  # never whole in time
        return results("a") if "query" in seen.params else Answer(400)

    server = fake(respond)
    short = invoke(runner, "query", "SELECT ?x WHERE { ?x ?p ?o }", "--endpoint", server.url(), "-f", "csv",
                   env={"KG_ENDPOINT_TIMEOUT": "5"})
    optionals = " ".join(f"OPTIONAL {{ ?x <urn:p{i}> ?v{i} }}" for i in range(80))
    long_query = "SELECT ?x WHERE { ?x ?p ?o " + optionals + " }"
    long = invoke(runner, "query", long_query, "--endpoint", server.url(), "-f", "csv",
                  env={"KG_ENDPOINT_TIMEOUT": "5"})
    assert short.exit_code == 0 and long.exit_code == 0, short.output + long.output
    assert short.stdout.split() == long.stdout.split() == ["x", "a"]
    assert [s.method for s in server.seen] == ["GET", "POST"]
    assert server.seen[1].headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert server.seen[1].params["query"][0].endswith(long_query)


def test_a_cut_answer_is_paged_until_whole(fake: Start, runner: CliRunner) -> None:
    """A server that sends at most 3 rows and says so in X-SPARQL-MaxRows: kg asks page by page."""
    rows = [f"r{i:02d}" for i in range(8)]

    def respond(seen: Seen) -> Answer:
        query = seen.params["query"][0]
        match = re.search(r"LIMIT (\d+) OFFSET (\d+)\s*$", query)
        limit, offset = (int(match[1]), int(match[2])) if match else (len(rows), 0)
        page = rows[offset: offset + min(limit, 3)]
        answer = results(*page)
        if len(page) == 3:
            answer.headers["X-SPARQL-MaxRows"] = "3"
        return answer

    server = fake(respond)
    done = invoke(runner, "query", "SELECT ?x WHERE { ?x ?p ?o } ORDER BY ?x", "--endpoint", server.url(), "-f", "csv")
    assert done.exit_code == 0, done.output
    assert done.stdout.split() == ["x", *rows]


def test_an_answer_of_exactly_a_known_limit_is_checked_for_more(fake: Start, runner: CliRunner) -> None:
    """No header, but exactly 10,000 rows, Virtuoso's default limit: kg asks for the next page."""
    rows = [f"r{i:05d}" for i in range(10_007)]

    def respond(seen: Seen) -> Answer:
        query = seen.params["query"][0]
        match = re.search(r"LIMIT (\d+) OFFSET (\d+)\s*$", query)
        limit, offset = (int(match[1]), int(match[2])) if match else (10_000, 0)
        return results(*rows[offset: offset + min(limit, 10_000)])

    server = fake(respond)
    done = invoke(runner, "query", "SELECT ?x WHERE { ?x ?p ?o }", "--endpoint", server.url(), "-f", "csv",
                  "--limit", "0")  # every row: the default page is 10,000 rows
    assert done.exit_code == 0, done.output
    assert len(done.stdout.split()) == 1 + 10_007


def test_a_partial_answer_at_the_servers_time_limit_is_an_error(fake: Start, runner: CliRunner) -> None:
    headers = {"Content-Type": JSON_RESULTS, "X-SQL-State": "S1TAT", "X-SQL-Message": "Returning incomplete results"}
    server = fake(lambda seen: Answer(200, results("a").body, headers))
    done = invoke(runner, "query", "SELECT ?x WHERE { ?x ?p ?o }", "--endpoint", server.url())
    assert done.exit_code == 9
    assert "partial answer" in done.output and "a\n" not in done.stdout


def test_a_redirected_query_keeps_its_method_and_query(fake: Start, runner: CliRunner) -> None:
    """A 302 must not turn the query into a GET without it (which answered "(no rows)")."""
    def respond(seen: Seen) -> Answer:
        if seen.path.startswith("/old"):
            return Answer(302, b"", {"Location": "/new" + seen.path[4:]})
        return results("found") if "query" in seen.params else results()

    server = fake(respond)
    long_query = "SELECT ?x WHERE { ?x ?p ?o } #" + "pad " * 600
    for query in ("SELECT ?x WHERE { ?x ?p ?o }", long_query):
        done = invoke(runner, "query", query, "--endpoint", server.url("/old"), "-f", "csv")
        assert done.exit_code == 0, done.output
        assert done.stdout.split() == ["x", "found"]
    assert [s.method for s in server.seen] == ["GET", "GET", "POST", "POST"]


# ------------------------------------------------------------ deadlines


def test_a_trickling_server_cannot_hold_kg_past_the_deadline(fake: Start, runner: CliRunner) -> None:
    """One byte a second keeps every read short, so only a total deadline stops it."""
    server = fake(lambda seen: Answer(200, results("a").body, {"Content-Type": JSON_RESULTS}, trickle=0.5))
    start = time.monotonic()
    done = invoke(runner, "query", "SELECT ?x WHERE { ?x ?p ?o }", "--endpoint", server.url(),
                  env={"KG_ENDPOINT_TIMEOUT": "1.5"})
    took = time.monotonic() - start
    assert done.exit_code == 9, done.output
    assert "within 1.5 s" in done.output
    assert took < 4, f"kg waited {took:.1f} s"


def test_the_deadline_of_a_query_is_total_across_retries_and_pages(fake: Start, runner: CliRunner) -> None:
    """Each answer comes within the deadline, but not all of them: a 503 after a second, four times; then pages."""
    server = fake(lambda seen: Answer(503, b"busy", trickle=0.25))
    start = time.monotonic()
    done = invoke(runner, "query", "ASK {}", "--endpoint", server.url(),
                  env={"KG_ENDPOINT_TIMEOUT": "1.5", "KG_ENDPOINT_RETRIES": "3"})
    took = time.monotonic() - start
    assert done.exit_code == 9 and "within 1.5 s" in done.output, done.output
    assert took < 2.5 and len(server.seen) <= 2, (took, len(server.seen))
    row = {"x": {"type": "literal", "value": "a"}}
    paged = fake(lambda seen: Answer(200, json.dumps({"head": {"vars": ["x"]}, "results": {"bindings": [row] * 4}})
                                     .encode(), {"Content-Type": JSON_RESULTS, "X-SPARQL-MaxRows": "4"},
                                     trickle=0.003))
    start = time.monotonic()
    done = invoke(runner, "query", "SELECT ?x WHERE { ?x ?p ?o }", "--endpoint", paged.url(),
                  env={"KG_ENDPOINT_TIMEOUT": "1.5"})
    assert done.exit_code == 9 and "within 1.5 s" in done.output, done.output
    assert time.monotonic() - start < 2.5 and len(paged.seen) >= 2  # the answer, then pages: all within 1.5 s


# ------------------------------------------------------------ credentials


def digest_server(user: str, password: str, *, close_unauthenticated: bool = True) -> Callable[[Seen], Answer]:
    """A Graph Store that, like Virtuoso's /sparql-graph-crud-auth, only knows Digest.

    It answers Basic with a bare 401 (no challenge), challenges a request with no Authorization,
    and closes the connection at once on an unauthenticated large upload.
    """
    nonce = "5c8f42966bed249ec5f33646e3696fc3"
    challenge = f'Digest realm="SPARQL", nonce="{nonce}", qop="auth", algorithm="MD5", opaque="x"'
    triples: list[bytes] = []

    def valid(header: str, seen: Seen) -> bool:
        fields = dict(re.findall(r'(\w+)="?([^",]*)"?', header))
        ha1 = hashlib.md5(f"{user}:SPARQL:{password}".encode()).hexdigest()
        ha2 = hashlib.md5(f"{seen.method}:{fields.get('uri')}".encode()).hexdigest()
        answer = f"{ha1}:{nonce}:{fields.get('nc')}:{fields.get('cnonce')}:auth:{ha2}"
        expected = hashlib.md5(answer.encode()).hexdigest()
        return fields.get("response") == expected and fields.get("username") == user

    def respond(seen: Seen) -> Answer:
        if seen.path.startswith("/sparql-graph-crud-auth"):
            authorization = seen.headers.get("Authorization", "")
            if authorization.startswith("Digest ") and valid(authorization[7:], seen):
                triples.extend(line for line in seen.body.splitlines() if line)
                return Answer(201)
            if authorization:
                return Answer(401, close=True)  # Basic, or a wrong Digest: no challenge
            return Answer(401, headers={"WWW-Authenticate": challenge}, close=close_unauthenticated)
        query = seen.params.get("query", [""])[0]
        if "AS ?triples" in query:
            return count_answer(len(triples))
        return boolean(True)

    return respond


def test_digest_is_answered_and_basic_never_sent(fake: Start, runner: CliRunner, tiny_store: LocalStore) -> None:
    server = fake(digest_server("kg", SECRET))
    done = invoke(runner, "--store", str(tiny_store.path), "push", "--endpoint", server.url(), "--batch-size", "0.001",
                  env={"KG_ENDPOINT_USER": "kg", "KG_ENDPOINT_PASSWORD": SECRET})
    assert done.exit_code == 0, done.output
    uploads = [s for s in server.seen if s.path.startswith("/sparql-graph-crud-auth")]
    sent = [s.headers.get("Authorization", "") for s in uploads]
    assert not any(a.startswith("Basic") for a in sent)
    assert sent[0] == "" and len(uploads[0].body) < 1000  # a small first request took the challenge
    assert all(a.startswith("Digest ") for a in sent[1:]) and len(sent) > 3
    assert sum(len(s.body) for s in uploads) > 2_000  # the batches were bytes-sized, several of them
    assert SECRET not in done.output


def test_a_wrong_password_is_one_line_without_it(fake: Start, runner: CliRunner, tiny_store: LocalStore) -> None:
    server = fake(digest_server("kg", "right"))
    done = invoke(runner, "--store", str(tiny_store.path), "push", "--endpoint", server.url(),
                  env={"KG_ENDPOINT_USER": "kg", "KG_ENDPOINT_PASSWORD": SECRET})
    assert done.exit_code == 9
    assert "401" in done.output and SECRET not in done.output
    assert len(done.output.strip().splitlines()) == 1


@pytest.mark.parametrize("password", [f"pa{c}ss-{SECRET}" for c in "#/?"] + [SECRET, "p%40ss" + SECRET])
@pytest.mark.parametrize("option", ["--endpoint", "--store-endpoint"])
def test_a_password_in_the_url_never_shows(runner: CliRunner, tiny_store: LocalStore, password: str,
                                           option: str) -> None:
    url = f"http://alice:{password}@127.0.0.1:1/sparql"
    args = ["--debug", "--store", str(tiny_store.path), "push", "--endpoint", "http://127.0.0.1:1/sparql", option, url]
    for command in (args, ["--debug", "query", "ASK {}", "--endpoint", url]):
        if option == "--store-endpoint" and command[1] == "query":
            continue
        done = invoke(runner, *command)
        assert done.exit_code == 2, done.output
        shown = done.output + repr(done.exception or "")
        assert SECRET not in shown and urllib.parse.quote(SECRET) not in shown
        assert "KG_ENDPOINT_USER" in done.output


def test_escapes_in_a_servers_error_are_shown_escaped(fake: Start, runner: CliRunner) -> None:
    body = "SQ200 bad \x1b]0;owned\x07\x1b[2J\x1b[31mred\x9b31m".encode()
    server = fake(lambda seen: Answer(500, body, {"Content-Type": "text/plain"}))
    done = invoke(runner, "query", "SELECT ?x WHERE { ?x ?p ?o }", "--endpoint", server.url())
    assert done.exit_code == 9
    assert "\x1b" not in done.output and "\x07" not in done.output and "\x9b" not in done.output
    assert "\\x1b]0;owned\\x07" in done.output


# ------------------------------------------------------------------ writes


def graph_store(*, redirect: bool = False, keep: bool = True) -> Callable[[Seen], Answer]:
    """A Graph Store that may redirect, or accept uploads and keep nothing."""
    held: list[bytes] = []

    def respond(seen: Seen) -> Answer:
        if seen.path.startswith("/store"):
            if redirect:
                return Answer(302, b"", {"Location": "/elsewhere" + seen.path[6:]})
            if keep:
                held.extend(line for line in seen.body.splitlines() if line)
            return Answer(204)
        if seen.path.startswith("/elsewhere"):
            return Answer(200, b"<html>welcome</html>", {"Content-Type": "text/html"})
        query = seen.params.get("query", [""])[0]
        if "AS ?triples" in query:
            return count_answer(len(held))
        return boolean(bool(held))

    return respond


@pytest.mark.parametrize("replace", [False, True])
def test_a_redirected_push_is_not_a_success(fake: Start, runner: CliRunner, tiny_store: LocalStore,
                                            replace: bool) -> None:
    server = fake(graph_store(redirect=True))
    done = invoke(runner, "--store", str(tiny_store.path), "push", "--endpoint", server.url("/query"),
                  *(["--replace"] if replace else []))
    assert done.exit_code == 9, done.output
    assert "pushed" not in done.output and "302" in done.output and "/elsewhere" in done.output
    assert not any(s.path.startswith("/elsewhere") for s in server.seen)


def test_a_push_the_server_did_not_keep_fails(fake: Start, runner: CliRunner, tiny_store: LocalStore) -> None:
    server = fake(graph_store(keep=False))
    done = invoke(runner, "--store", str(tiny_store.path), "push", "--endpoint", server.url("/query"))
    assert done.exit_code == 9, done.output
    assert "holds 0 triples" in done.output and "pushed" not in done.output


def test_a_push_the_server_kept_reports_the_count(fake: Start, runner: CliRunner, tiny_store: LocalStore) -> None:
    server = fake(graph_store())
    done = invoke(runner, "--store", str(tiny_store.path), "push", "--endpoint", server.url("/query"))
    assert done.exit_code == 0, done.output
    assert f"pushed {len(tiny_store.reader()):,} triples" in done.output


def test_without_a_union_default_graph_push_and_query_say_so(fake: Start, runner: CliRunner,
                                                              tiny_store: LocalStore) -> None:
    """A server whose default graph hides the named graphs: kg's queries would all find nothing."""
    held: list[bytes] = []

    def respond(seen: Seen) -> Answer:
        if seen.path.startswith("/store"):
            held.extend(line for line in seen.body.splitlines() if line)
            return Answer(204)
        query = seen.params["query"][0]
        if "AS ?triples" in query:
            return count_answer(len(held))
        if query.rstrip().endswith("}") and "ASK" in query:
            return boolean(False)
        return results()

    server = fake(respond)
    pushed = invoke(runner, "--store", str(tiny_store.path), "push", "--endpoint", server.url("/query"))
    assert pushed.exit_code == 0, pushed.output
    assert "union default graph" in pushed.output
    asked = invoke(runner, "query", "top-skills", "--endpoint", server.url("/query"))
    assert asked.exit_code == 0, asked.output
    assert "union default graph" in asked.output


# ------------------------------------------------------------ retries and tokens


def scripted(statuses: list[int]) -> Callable[[Seen], Answer]:
    """Answers with ``statuses`` in turn, then a result."""
    script = list(statuses)
    return lambda seen: Answer(script.pop(0), b"try again") if script else boolean(True)


def test_retries_on_5xx_then_succeeds(fake: Start, runner: CliRunner) -> None:
    server = fake(scripted([503, 502]))
    done = invoke(runner, "query", "ASK {}", "--endpoint", server.url(), "-f", "json", env={"KG_ENDPOINT_RETRIES": "2"})
    assert done.exit_code == 0, done.output
    assert len(server.seen) == 3


def test_gives_up_after_the_retries(fake: Start, runner: CliRunner) -> None:
    server = fake(scripted([503, 503, 503]))
    done = invoke(runner, "query", "ASK {}", "--endpoint", server.url(), env={"KG_ENDPOINT_RETRIES": "1"})
    assert done.exit_code == 9 and "503" in done.output
    assert len(server.seen) == 2


def test_a_token_is_sent_but_never_shown(fake: Start, runner: CliRunner) -> None:
    token = "tok-0123456789abcdef"
    server = fake(lambda seen: Answer(500, f"no access for {seen.headers.get('Authorization')}".encode()))
    done = invoke(runner, "query", "ASK {}", "--endpoint", server.url(), env={"KG_ENDPOINT_TOKEN": token})
    assert done.exit_code == 9
    assert server.seen[0].headers["Authorization"] == f"Bearer {token}"
    assert token not in done.output and "***" in done.output


def test_basic_only_after_a_basic_challenge_and_never_shown(fake: Start, runner: CliRunner) -> None:
    expected = "Basic " + base64.b64encode(f"alice:{SECRET}".encode()).decode()

    def respond(seen: Seen) -> Answer:
        if seen.headers.get("Authorization") == expected:
            return boolean(True)
        return Answer(401, f"who is {seen.headers.get('Authorization')}".encode(),
                      {"WWW-Authenticate": 'Basic realm="kg"'})

    server = fake(respond)
    done = invoke(runner, "query", "ASK {}", "--endpoint", server.url(), "-f", "json",
                  env={"KG_ENDPOINT_USER": "alice", "KG_ENDPOINT_PASSWORD": SECRET})
    assert done.exit_code == 0, done.output
    assert [s.headers.get("Authorization") for s in server.seen] == [None, expected]
    refused = invoke(runner, "query", "ASK {}", "--endpoint", server.url(),
                     env={"KG_ENDPOINT_USER": "alice", "KG_ENDPOINT_PASSWORD": "wrong-" + SECRET})
    assert refused.exit_code == 9 and SECRET not in refused.output and "KG_ENDPOINT_PASSWORD" in refused.output


# ------------------------------------------------------------------ pulls


def test_a_pull_that_comes_back_short_changes_nothing(fake: Start, runner: CliRunner, tiny_store: LocalStore) -> None:
    """The server says its graph holds 3 triples but sends 2: all or nothing, so the store stays as it was."""
    graph = "https://w3id.org/jobkg/graph/core"
    before = sorted(map(str, tiny_store.reader()))

    def respond(seen: Seen) -> Answer:
        query = seen.params["query"][0]
        if "?triples" in query:
            body = {"head": {"vars": ["graph", "triples"]}, "results": {"bindings": [{
                "graph": {"type": "uri", "value": graph},
                "triples": {"type": "literal", "datatype": "http://www.w3.org/2001/XMLSchema#integer", "value": "3"}}]}}
            return Answer(200, json.dumps(body).encode(), {"Content-Type": JSON_RESULTS})
        rows = [{"s": {"type": "uri", "value": f"urn:s{i}"}, "p": {"type": "uri", "value": "urn:p"},
                 "o": {"type": "literal", "value": str(i)}, "g": {"type": "uri", "value": graph}} for i in range(2)]
        body = {"head": {"vars": ["s", "p", "o", "g"]}, "results": {"bindings": rows}}
        return Answer(200, json.dumps(body).encode(), {"Content-Type": JSON_RESULTS})

    server = fake(respond)
    done = invoke(runner, "--store", str(tiny_store.path), "pull", "--endpoint", server.url())
    assert done.exit_code == 9, done.output
    assert "2 distinct triples" in done.output and "nothing was copied" in done.output
    assert sorted(map(str, tiny_store.reader())) == before
