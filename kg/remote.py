"""Remote SPARQL servers: ask them over the SPARQL 1.1 Protocol, fill them over the Graph Store Protocol.

An :class:`Endpoint` is a query URL (``http://localhost:7878/query``), the
Graph Store Protocol URL of the same server (given, or guessed for Oxigraph,
Fuseki, GraphDB and Virtuoso) and settings read from the environment only:

    KG_ENDPOINT_USER, KG_ENDPOINT_PASSWORD   answered as the server asks: Digest or Basic
    KG_ENDPOINT_TOKEN                        a bearer token
    KG_ENDPOINT_TIMEOUT                      seconds a query may take in all: its pages, retries and answers
                                             included; for an upload, each request (default 300)
    KG_ENDPOINT_RETRIES                      retries on connection errors and 5xx (default 3)

Queries travel form-encoded in a POST (by GET when the URL stays short), as
the SPARQL 1.1 Protocol allows and every server takes. An answer the server
cut (an ``X-SPARQL-MaxRows`` header, or exactly as many rows as a common
server limit) is fetched again page by page until it is whole; a partial
answer the server marks as timed out is an error. Results are parsed with
Oxigraph's own parsers, so a remote query gives the same result objects, and
so the same output, as the embedded store.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import logging
import os
import re
import socket
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

import pyoxigraph as ox

from kg import sparql
from kg.errors import EndpointError, QueryError, UsageError
from kg.httpclient import (
    ENV_PASSWORD,
    ENV_TOKEN,
    ENV_USER,
    Client,
    Credentials,
    DeadlinePassedError,
    Response,
    origin_of,
    printable,
    safe_url,
)

log = logging.getLogger(__name__)

ENV_TIMEOUT = "KG_ENDPOINT_TIMEOUT"
ENV_RETRIES = "KG_ENDPOINT_RETRIES"
DEFAULT_TIMEOUT = 300.0
DEFAULT_RETRIES = 3
#: Longest URL sent by GET; longer queries are POSTed.
GET_LIMIT = 2000
#: Row limits servers are commonly configured with (Virtuoso's ResultSetMaxRows): an answer of exactly
#: this many rows may have been cut, so the next page is asked for.
KNOWN_ROW_LIMITS = frozenset({10_000, 50_000, 100_000, 1_000_000})

_JSON_RESULTS = "application/sparql-results+json"
_ACCEPT_RESULTS = f"{_JSON_RESULTS}, application/sparql-results+xml;q=0.8, text/tab-separated-values;q=0.5"
_ACCEPT_GRAPH = "application/n-triples, text/turtle;q=0.8, application/rdf+xml;q=0.5"
_N_TRIPLES = "application/n-triples"
_FORM = "application/x-www-form-urlencoded"
_RETRY_STATUS = {429, 500, 502, 503, 504}
_BLANK_LABEL = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]*")

Result = ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples
T = TypeVar("T")

__all__ = ["ENV_PASSWORD", "ENV_TOKEN", "ENV_USER", "Credentials", "Endpoint", "safe_url"]


@dataclass(frozen=True)
class Endpoint:
    """A SPARQL 1.1 server: its query URL, its Graph Store Protocol URL and how to log in."""

    url: str
    store_url: str | None = None
    credentials: Credentials = field(default_factory=Credentials, repr=False)
    timeout: float = DEFAULT_TIMEOUT
    retries: int = DEFAULT_RETRIES
    backoff: float = 0.25
    client: Client = field(init=False, repr=False, compare=False)
    _checked: dict[str, bool] = field(default_factory=dict, init=False, repr=False, compare=False)
    _deadline: threading.local = field(default_factory=threading.local, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        origins = {origin_of(u) for u in (self.url, self.store_url) if u}
        object.__setattr__(self, "client", Client(self.credentials, origins))

    @classmethod
    def from_env(cls, url: str, *, store_url: str | None = None, environ: Mapping[str, str] | None = None) -> Endpoint:
        """An endpoint at ``url`` with credentials and limits from the environment.

        Raises:
            UsageError: a URL is not http(s), or carries credentials, or a setting is not a number.
        """
        env = os.environ if environ is None else environ
        try:
            timeout = float(env.get(ENV_TIMEOUT) or DEFAULT_TIMEOUT)
            retries = int(env.get(ENV_RETRIES) or DEFAULT_RETRIES)
        except ValueError:
            raise UsageError(f"{ENV_TIMEOUT} and {ENV_RETRIES} must be numbers") from None
        if not timeout > 0:
            raise UsageError(f"{ENV_TIMEOUT} must be a positive number of seconds")
        return cls(_checked_url(url), _checked_url(store_url) if store_url else None,
                   Credentials.from_env(env), timeout, max(retries, 0))

    @property
    def shown(self) -> str:
        """The query URL, fit to show."""
        return safe_url(self.url)

    def graph_store_url(self) -> str:
        """The Graph Store Protocol URL: the one given, or the usual one for the server at ``url``.

        Raises:
            UsageError: it was not given and the query URL does not say which server this is.
        """
        if self.store_url:
            return self.store_url
        guessed = guess_graph_store_url(self.url)
        if guessed is None:
            raise UsageError(f"cannot tell the Graph Store Protocol URL of {self.shown}; pass --store-endpoint URL")
        return guessed

    # ------------------------------------------------------------- queries

    def query(self, text: str, bindings: Mapping[str, ox.NamedNode | ox.Literal] | None = None) -> Result:
        """Run a read-only query over the SPARQL 1.1 Protocol; the whole result as pyoxigraph objects.

        ``bindings`` become inline ``VALUES`` blocks (see :func:`kg.sparql.bind_values`),
        and kg's prefixes are declared for the server unless the query declares them.

        Raises:
            QueryError: the server refused the query as malformed.
            EndpointError: the server is unreachable, refused the request, sent unreadable
                results, or cut the answer in a way kg cannot page around.
        """
        with self._total_deadline():
            return self._query(text, bindings)

    @contextlib.contextmanager
    def _total_deadline(self) -> Iterator[None]:
        """Every request in the block (a query, the pages of its answer, the retries) within ``timeout`` s in all."""
        outer = getattr(self._deadline, "at", None)
        if outer is None:
            self._deadline.at = time.monotonic() + self.timeout
        try:
            yield
        finally:
            self._deadline.at = outer

    def _query(self, text: str, bindings: Mapping[str, ox.NamedNode | ox.Literal] | None) -> Result:
        form = sparql.query_form(text)
        body = sparql.with_prefixes(sparql.bind_values(text, bindings or {}))
        if form == "SELECT":
            document = self._select(body)
            return ox.parse_query_results(json.dumps(document).encode(), format=ox.QueryResultsFormat.JSON)
        graph_result = form in {"CONSTRUCT", "DESCRIBE"}
        response = self._ask(body, _ACCEPT_GRAPH if graph_result else _ACCEPT_RESULTS)
        content_type = response.header("Content-Type")
        try:
            if graph_result:
                fmt = ox.RdfFormat.from_media_type(content_type) or ox.RdfFormat.N_TRIPLES
                triples = list(ox.parse(response.body, format=fmt))
                if len(triples) in KNOWN_ROW_LIMITS or response.header("X-SPARQL-MaxRows"):
                    raise EndpointError(f"{self.shown} sent {len(triples):,} triples, a common server limit, so "
                                        "the graph is likely cut; ask for it with SELECT (kg pages those) or raise "
                                        "the limit")
                return _as_query_triples(triples)
            fmt_results = ox.QueryResultsFormat.from_media_type(content_type) or ox.QueryResultsFormat.JSON
            return ox.parse_query_results(response.body, format=fmt_results)
        except (SyntaxError, ValueError) as exc:
            raise self._unreadable(content_type, exc) from None

    def select_pages(self, text: str, bindings: Mapping[str, ox.NamedNode | ox.Literal] | None = None, *,
                     page: int = 100_000) -> Iterator[list[ox.QuerySolution]]:
        """A SELECT's solutions in pages of at most ``page`` rows, asked for one by one.

        For answers too large for one response. Each page is the query as a
        sub-select with LIMIT and OFFSET outside (:func:`kg.sparql.paged`);
        pages after the first rely on the server evaluating the same query the
        same way, as servers do on unchanged data. A server that cuts pages
        shorter (``X-SPARQL-MaxRows``, or a common limit) gets shorter pages.
        """
        body = sparql.with_prefixes(sparql.bind_values(text, bindings or {}))
        yield from self._pages(body, page, self._solutions)

    def _pages(self, body: str, page: int, parse: Callable[[Response], tuple[T, int]]) -> Iterator[T]:
        variables = sparql.projection(body)
        offset = 0
        while True:
            response = self._ask(sparql.paged(body, variables, page, offset), _JSON_RESULTS)
            parsed, count = parse(response)
            if count:
                yield parsed
            offset += count
            cut = bool(response.header("X-SPARQL-MaxRows")) or count in KNOWN_ROW_LIMITS
            if count == 0 or (count < page and not cut):
                return
            page = min(page, count)

    def _select(self, body: str) -> dict[str, Any]:
        """A SELECT's whole answer as a SPARQL JSON document, paged if the server cut it."""
        response = self._ask(body, _ACCEPT_RESULTS)
        first = self._json(response)
        count = len(first["results"]["bindings"])
        if count == 0:
            self._warn_without_union()
        if not (response.header("X-SPARQL-MaxRows") or count in KNOWN_ROW_LIMITS):
            return first
        log.info("%s sent %d rows, maybe a server limit; asking again page by page", self.shown, count)
        rows: list[Any] = []
        for document in self._pages(body, count, lambda r: (d := self._json(r), len(d["results"]["bindings"]))):
            rows.extend(document["results"]["bindings"])
        return {"head": first["head"], "results": {"bindings": rows}}

    def _solutions(self, response: Response) -> tuple[list[ox.QuerySolution], int]:
        content_type = response.header("Content-Type")
        try:
            fmt = ox.QueryResultsFormat.from_media_type(content_type) or ox.QueryResultsFormat.JSON
            body = response.body
            if fmt == ox.QueryResultsFormat.JSON and b'"bnode"' in body:
                body = json.dumps(_blank_nodes_fixed(json.loads(body))).encode()
            parsed = ox.parse_query_results(body, format=fmt)
            solutions = list(parsed) if isinstance(parsed, ox.QuerySolutions) else None
        except (SyntaxError, ValueError) as exc:
            raise self._unreadable(content_type, exc) from None
        if solutions is None:
            raise self._unreadable(content_type, ValueError("expected the solutions of a SELECT"))
        return solutions, len(solutions)

    def _warn_without_union(self) -> None:
        """After an empty answer, once: warn if the server's default graph hides its named graphs."""
        if "union" in self._checked:
            return
        from kg.queries import resolve

        self._checked["union"] = True
        union = self._ask(sparql.with_prefixes(resolve("union-default-graph").text), _ACCEPT_RESULTS)
        try:
            fmt = ox.QueryResultsFormat.from_media_type(union.header("Content-Type")) or ox.QueryResultsFormat.JSON
            shows = bool(ox.parse_query_results(union.body, format=fmt))
        except (SyntaxError, ValueError):
            return
        self._checked["union"] = shows
        if not shows:
            log.warning("%s answers queries from a default graph that shows none of its named graphs, so kg's "
                        "queries find nothing there: give the server a union default graph (docs/scale-out.md), "
                        "or push with --graph default", self.shown)

    def _ask(self, body: str, accept: str) -> Response:
        encoded = urllib.parse.urlencode({"query": body})
        headers = {"Accept": accept}
        if len(self.url) + 1 + len(encoded) <= GET_LIMIT:
            url = self.url + ("&" if "?" in self.url else "?") + encoded
            response = self._send("GET", url, b"", headers, what="query")
        else:
            headers["Content-Type"] = _FORM
            response = self._send("POST", self.url, encoded.encode("ascii"), headers, what="query")
        if response.header("X-SQL-State"):  # Virtuoso's "anytime" answers: cut at its time limit, and marked so
            message = printable(response.header("X-SQL-Message"))[:200]
            raise EndpointError(f"{self.shown} stopped the query at its time limit and sent a partial answer "
                                f"({message}); kg does not use partial answers")
        return response

    def _json(self, response: Response) -> dict[str, Any]:
        """The answer as a SPARQL JSON results document, whatever results format the server chose."""
        content_type = response.header("Content-Type")
        try:
            if content_type.split(";")[0].strip() != _JSON_RESULTS:
                fmt = ox.QueryResultsFormat.from_media_type(content_type) or ox.QueryResultsFormat.JSON
                parsed = ox.parse_query_results(response.body, format=fmt)
                if not isinstance(parsed, ox.QuerySolutions):
                    raise ValueError("expected SELECT results")
                document: dict[str, Any] = json.loads(parsed.serialize(format=ox.QueryResultsFormat.JSON) or b"{}")
            else:
                document = _blank_nodes_fixed(json.loads(response.body))
            document["results"]["bindings"]
            return document
        except (SyntaxError, ValueError, KeyError, TypeError) as exc:
            raise self._unreadable(content_type, exc) from None

    def _unreadable(self, content_type: str, exc: BaseException) -> EndpointError:
        kind = printable(content_type) or "no content type"
        return EndpointError(f"{self.shown} sent results kg cannot read ({kind}): "
                             f"{_first_line(self.credentials.redact(printable(str(exc))))}")

    # ------------------------------------------------------- graph store

    def send_triples(self, ntriples: bytes, graph: str | None, *, replace: bool) -> None:
        """PUT (replace) or POST (add) N-Triples to ``graph`` (the default graph if ``None``).

        Raises:
            EndpointError: the server is unreachable, refused the request or redirected it.
        """
        self._send("PUT" if replace else "POST", self._graph_url(graph), ntriples, {"Content-Type": _N_TRIPLES},
                   what="upload")

    def _graph_url(self, graph: str | None) -> str:
        target = self.graph_store_url()
        parameter = urllib.parse.urlencode({"graph": graph}) if graph else "default"
        return target + ("&" if "?" in target else "?") + parameter

    # ------------------------------------------------------------ HTTP

    def _send(self, method: str, url: str, body: bytes, headers: dict[str, str], *, what: str) -> Response:
        """One request with retries on connection errors and 5xx; the answer if it is a success."""
        shown = safe_url(url.split("?", 1)[0]) if what == "query" else safe_url(url)
        late = EndpointError(f"no complete answer from {shown} within {self.timeout:g} s; "
                             f"set {ENV_TIMEOUT} to wait longer")
        at = getattr(self._deadline, "at", None)
        for attempt in range(self.retries + 1):
            log.debug("%s %s (%d bytes, attempt %d)", method, shown, len(body), attempt + 1)
            left = self.timeout if at is None else at - time.monotonic()
            if left <= 0:
                raise late
            try:
                response = self.client.exchange(method, url, body, headers, timeout=left,
                                                follow_redirects=what == "query")
            except DeadlinePassedError:
                raise late from None
            except (OSError, http.client.HTTPException) as exc:
                problem = _connection_problem(exc)
                if attempt == self.retries:
                    raise EndpointError(f"cannot reach {shown}: {problem}") from None
            else:
                if 200 <= response.status < 300:
                    return response
                if response.status not in _RETRY_STATUS or attempt == self.retries:
                    raise self._http_error(shown, response, what)
                problem = f"{response.status} {response.reason}"
            delay = self.backoff * 2**attempt
            if at is not None and time.monotonic() + delay >= at:
                raise late
            log.info("%s %s failed (%s); retrying in %.2g s", method, shown, problem, delay)
            time.sleep(delay)
        raise AssertionError("unreachable")  # pragma: no cover

    def _http_error(self, url: str, response: Response, what: str) -> Exception:
        detail = _first_line(self.credentials.redact(printable(" ".join(
            response.body[:2000].decode("utf-8", "replace").split()))))[:300]
        code, reason = response.status, printable(response.reason)
        suffix = f": {detail}" if detail else ""
        if code == 400 and what == "query":
            return QueryError(f"{url} refused the query (400 Bad Request){suffix}")
        if code in (401, 403):
            asked = response.header("WWW-Authenticate").split(" ", 1)[0]
            hint = f" (it asks for {printable(asked)} authentication)" if asked else ""
            return EndpointError(f"{url} refused the {what}: {code} {reason}{hint}; "
                                 f"set {ENV_USER} and {ENV_PASSWORD}, or {ENV_TOKEN}")
        if code == 404:
            kind = "SPARQL query" if what == "query" else "Graph Store Protocol"
            return EndpointError(f"{url} answered 404 Not Found: is it the {kind} URL of the server?")
        if code == 413:
            return EndpointError(f"{url} refused the {what}: 413 Payload Too Large; try a smaller --batch-size")
        if 300 <= code < 400:
            return EndpointError(f"{url} answered {code} {reason} without a place to go")
        return EndpointError(f"{url} refused the {what}: {code} {reason}{suffix}")


def _blank_nodes_fixed(document: dict[str, Any]) -> dict[str, Any]:
    """A SPARQL JSON document whose blank node labels are valid ones (Virtuoso sends ``nodeID://b10007``).

    Each label that is not a valid one becomes ``b`` and its UTF-8 in hex: the same label always
    gives the same node, across the pages of an answer too, and two labels never merge.
    """
    for row in document["results"]["bindings"]:
        for term in row.values():
            if term.get("type") == "bnode" and not _BLANK_LABEL.fullmatch(term.get("value", "")):
                term["value"] = "b" + term["value"].encode().hex()
    return document


def _checked_url(url: str) -> str:
    """``url`` if it is http(s) with a host and no credentials; the error never repeats a URL with an ``@``."""
    if "@" in url.partition("://")[2]:
        raise UsageError(f"put credentials in {ENV_USER} and {ENV_PASSWORD} (or {ENV_TOKEN}), "
                         "not in the endpoint URL (it is not repeated here)")
    try:
        parts = urllib.parse.urlsplit(url)
        port = parts.port
    except ValueError:
        raise UsageError(f"not an http(s) endpoint URL: {safe_url(url)}") from None
    if parts.scheme not in ("http", "https") or not parts.hostname or port == 0:
        raise UsageError(f"not an http(s) endpoint URL: {safe_url(url)}")
    return url


def guess_graph_store_url(query_url: str) -> str | None:
    """The usual Graph Store Protocol URL next to a query URL, or ``None`` if the server is not one kg knows.

    Oxigraph ``/query`` → ``/store``; Fuseki ``/DATASET/sparql`` or ``/DATASET/query`` → ``/DATASET/data``;
    GraphDB and RDF4J ``/repositories/REPO`` → ``/repositories/REPO/rdf-graphs/service``;
    Virtuoso ``/sparql`` → ``/sparql-graph-crud-auth``.
    """
    parts = urllib.parse.urlsplit(query_url)
    path = parts.path.rstrip("/")
    segments = path.split("/")
    if path == "/query":
        new_path = "/store"
    elif path == "/sparql":
        new_path = "/sparql-graph-crud-auth"
    elif len(segments) >= 3 and segments[-2] == "repositories":
        new_path = path + "/rdf-graphs/service"
    elif len(segments) >= 3 and segments[-1] in ("sparql", "query"):
        new_path = "/".join(segments[:-1]) + "/data"
    else:
        return None
    return urllib.parse.urlunsplit(parts._replace(path=new_path, query="", fragment=""))


def _as_query_triples(triples: list[ox.Triple]) -> ox.QueryTriples:
    """Parsed triples as the ``QueryTriples`` an embedded CONSTRUCT gives."""
    graph = ox.Store()
    graph.extend(ox.Quad(t.subject, t.predicate, t.object) for t in triples)
    result = graph.query("CONSTRUCT WHERE { ?s ?p ?o }")
    assert isinstance(result, ox.QueryTriples)
    return result


def _connection_problem(exc: BaseException) -> str:
    if isinstance(exc, ConnectionRefusedError):
        return "connection refused"
    if isinstance(exc, socket.gaierror):
        return "unknown host"
    if isinstance(exc, (ConnectionResetError, BrokenPipeError, http.client.RemoteDisconnected,
                        http.client.IncompleteRead)):
        return "the connection was closed"
    return _first_line(printable(str(getattr(exc, "strerror", None) or exc))) or type(exc).__name__


def _first_line(text: str) -> str:
    return text.strip().splitlines()[0] if text.strip() else ""
