"""Remote SPARQL servers: ask them over the SPARQL 1.1 Protocol, fill them over the Graph Store Protocol.

An :class:`Endpoint` is a query URL (``http://localhost:7878/query``), the
Graph Store Protocol URL of the same server (given, or guessed for Oxigraph,
Fuseki, GraphDB and Virtuoso) and credentials read from the environment only:

    KG_ENDPOINT_USER, KG_ENDPOINT_PASSWORD   HTTP Basic (or Digest, if the server asks for it)
    KG_ENDPOINT_TOKEN                        a bearer token
    KG_ENDPOINT_TIMEOUT                      seconds per request (default 300)
    KG_ENDPOINT_RETRIES                      retries on connection errors and 5xx (default 3)

Credentials are never taken from a URL, never logged and never shown in an
error. Results are parsed with Oxigraph's own parsers, so a remote query gives
the same result objects, and so the same output, as the embedded store.
:mod:`kg.push` uploads a store through :meth:`Endpoint.send_triples`.
"""

from __future__ import annotations

import base64
import http.client
import logging
import os
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

import pyoxigraph as ox

from kg import sparql
from kg.errors import EndpointError, QueryError, UsageError
from kg.namespaces import PREFIXES
from kg.terms import serialize

log = logging.getLogger(__name__)

ENV_USER = "KG_ENDPOINT_USER"
ENV_PASSWORD = "KG_ENDPOINT_PASSWORD"
ENV_TOKEN = "KG_ENDPOINT_TOKEN"
ENV_TIMEOUT = "KG_ENDPOINT_TIMEOUT"
ENV_RETRIES = "KG_ENDPOINT_RETRIES"

#: Triples per Graph Store Protocol request (about 5-10 MB of N-Triples).
DEFAULT_BATCH_TRIPLES = 50_000
DEFAULT_TIMEOUT = 300.0
DEFAULT_RETRIES = 3

_ACCEPT_RESULTS = ("application/sparql-results+json, application/sparql-results+xml;q=0.8, "
                   "text/tab-separated-values;q=0.5")
_ACCEPT_GRAPH = "application/n-triples, text/turtle;q=0.8, application/rdf+xml;q=0.5"
_N_TRIPLES = "application/n-triples"
_RETRY_STATUS = {429, 500, 502, 503, 504}

Result = ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples


@dataclass(frozen=True)
class Credentials:
    """HTTP credentials from the environment; their values never appear in a repr, log or message."""

    user: str | None = None
    password: str | None = field(default=None, repr=False)
    token: str | None = field(default=None, repr=False)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Credentials:
        """``KG_ENDPOINT_USER`` / ``KG_ENDPOINT_PASSWORD`` or ``KG_ENDPOINT_TOKEN``."""
        env = os.environ if environ is None else environ
        return cls(env.get(ENV_USER) or None, env.get(ENV_PASSWORD) or None, env.get(ENV_TOKEN) or None)

    def authorization(self) -> str | None:
        """The ``Authorization`` header to send first: Bearer for a token, else Basic."""
        if self.token:
            return f"Bearer {self.token}"
        if self.user is not None:
            pair = f"{self.user}:{self.password or ''}".encode()
            return "Basic " + base64.b64encode(pair).decode("ascii")
        return None

    def redact(self, text: str) -> str:
        """``text`` with every secret (and its Basic encoding) replaced by ``***``."""
        header = self.authorization()
        secrets = [self.password, self.token, header, header.split(" ", 1)[1] if header else None]
        for secret in sorted((s for s in secrets if s), key=len, reverse=True):
            text = text.replace(secret, "***")
        return text


@dataclass(frozen=True)
class Endpoint:
    """A SPARQL 1.1 server: its query URL, its Graph Store Protocol URL and how to log in."""

    url: str
    store_url: str | None = None
    credentials: Credentials = field(default_factory=Credentials, repr=False)
    timeout: float = DEFAULT_TIMEOUT
    retries: int = DEFAULT_RETRIES
    backoff: float = 0.25

    @classmethod
    def from_env(cls, url: str, *, store_url: str | None = None, environ: Mapping[str, str] | None = None) -> Endpoint:
        """An endpoint at ``url`` with credentials and limits from the environment.

        Raises:
            UsageError: a URL is not http(s), or carries credentials.
        """
        env = os.environ if environ is None else environ
        try:
            timeout = float(env.get(ENV_TIMEOUT) or DEFAULT_TIMEOUT)
            retries = int(env.get(ENV_RETRIES) or DEFAULT_RETRIES)
        except ValueError:
            raise UsageError(f"{ENV_TIMEOUT} and {ENV_RETRIES} must be numbers") from None
        return cls(_checked_url(url), _checked_url(store_url) if store_url else None,
                   Credentials.from_env(env), timeout, max(retries, 0))

    def graph_store_url(self) -> str:
        """The Graph Store Protocol URL: the one given, or the usual one for the server at ``url``.

        Raises:
            UsageError: it was not given and the query URL does not say which server this is.
        """
        if self.store_url:
            return self.store_url
        guessed = guess_graph_store_url(self.url)
        if guessed is None:
            raise UsageError(
                f"cannot tell the Graph Store Protocol URL of {safe_url(self.url)}; pass --store-endpoint URL"
            )
        return guessed

    # ------------------------------------------------------------- queries

    def query(self, text: str, bindings: Mapping[str, ox.NamedNode | ox.Literal] | None = None) -> Result:
        """Run a read-only query over the SPARQL 1.1 Protocol; the result as pyoxigraph objects.

        ``bindings`` become inline ``VALUES`` blocks (see :func:`bind_values`),
        and kg's prefixes are declared for the server unless the query declares
        them itself.

        Raises:
            QueryError: the server refused the query as malformed.
            EndpointError: the server is unreachable, refused the request or sent unreadable results.
        """
        form = sparql.query_form(text)
        body = with_prefixes(bind_values(text, bindings or {}))
        graph_result = form in {"CONSTRUCT", "DESCRIBE"}
        headers = {"Content-Type": "application/sparql-query",
                   "Accept": _ACCEPT_GRAPH if graph_result else _ACCEPT_RESULTS}
        data, content_type = self._send("POST", self.url, body.encode("utf-8"), headers, what="query")
        try:
            if graph_result:
                return _as_query_triples(data, ox.RdfFormat.from_media_type(content_type) or ox.RdfFormat.N_TRIPLES)
            fmt = ox.QueryResultsFormat.from_media_type(content_type) or ox.QueryResultsFormat.JSON
            return ox.parse_query_results(data, format=fmt)
        except (SyntaxError, ValueError) as exc:
            raise EndpointError(
                f"{safe_url(self.url)} sent results kg cannot read ({content_type or 'no content type'}): "
                f"{_first_line(self.credentials.redact(str(exc)))}"
            ) from None

    # ------------------------------------------------------- graph store

    def send_triples(self, triples: list[ox.Triple], graph: str | None, *, replace: bool) -> None:
        """PUT (replace) or POST (add) ``triples`` to ``graph`` (the default graph if ``None``) as N-Triples.

        Raises:
            EndpointError: the server is unreachable or refused the request.
        """
        target = self.graph_store_url()
        parameter = urllib.parse.urlencode({"graph": graph}) if graph else "default"
        url = target + ("&" if "?" in target else "?") + parameter
        body = serialize(triples, ox.RdfFormat.N_TRIPLES) if triples else b""
        self._send("PUT" if replace else "POST", url, body, {"Content-Type": _N_TRIPLES}, what="upload")

    # ------------------------------------------------------------ HTTP

    def _send(self, method: str, url: str, body: bytes, headers: dict[str, str], *, what: str) -> tuple[bytes, str]:
        """One request with retries on connection errors and 5xx; the body and content type of the answer."""
        shown = safe_url(url)
        for attempt in range(self.retries + 1):
            request = urllib.request.Request(url, data=body, method=method, headers=headers)
            if authorization := self.credentials.authorization():
                request.add_unredirected_header("Authorization", authorization)
            log.debug("%s %s (%d bytes, attempt %d)", method, shown, len(body), attempt + 1)
            try:
                with self._opener().open(request, timeout=self.timeout) as response:
                    return response.read(), response.headers.get("Content-Type", "")
            except urllib.error.HTTPError as exc:
                detail = _error_detail(exc)
                if exc.code not in _RETRY_STATUS or attempt == self.retries:
                    raise self._http_error(shown, exc.code, exc.reason, detail, what) from None
                problem = f"{exc.code} {exc.reason}"
            except (urllib.error.URLError, OSError, http.client.HTTPException) as exc:
                problem = _connection_problem(exc)
                if problem == "timed out":  # the server is there but slow: asking again would only wait longer
                    raise EndpointError(f"no answer from {shown} within {self.timeout:g} s; "
                                        f"set {ENV_TIMEOUT} to wait longer") from None
                if attempt == self.retries:
                    raise EndpointError(f"cannot reach {shown}: {problem}") from None
            delay = self.backoff * 2**attempt
            log.info("%s %s failed (%s); retrying in %.2g s", method, shown, problem, delay)
            time.sleep(delay)
        raise AssertionError("unreachable")  # pragma: no cover

    def _opener(self) -> urllib.request.OpenerDirector:
        handlers: list[urllib.request.BaseHandler] = []
        if self.credentials.user is not None and not self.credentials.token:
            passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
            for url in filter(None, (self.url, self.store_url)):
                parts = urllib.parse.urlsplit(url)
                passwords.add_password(None, f"{parts.scheme}://{parts.netloc}/", self.credentials.user,
                                       self.credentials.password or "")
            handlers.append(urllib.request.HTTPDigestAuthHandler(passwords))
        return urllib.request.build_opener(*handlers)

    def _http_error(self, url: str, code: int, reason: str, detail: str, what: str) -> Exception:
        detail = self.credentials.redact(detail)
        suffix = f": {detail}" if detail else ""
        if code == 400 and what == "query":
            return QueryError(f"{url} refused the query (400 Bad Request){suffix}")
        if code in (401, 403):
            hint = f"; set {ENV_USER} and {ENV_PASSWORD}, or {ENV_TOKEN}"
            return EndpointError(f"{url} refused the {what}: {code} {reason}{hint}")
        if code == 404:
            kind = "SPARQL query" if what == "query" else "Graph Store Protocol"
            return EndpointError(f"{url} answered 404 Not Found: is it the {kind} URL of the server?")
        if code == 413:
            return EndpointError(f"{url} refused the {what}: 413 Payload Too Large; try a smaller --batch-size")
        return EndpointError(f"{url} refused the {what}: {code} {reason}{suffix}")


def _checked_url(url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UsageError(f"not an http(s) endpoint URL: {safe_url(url)}")
    if parts.username is not None or parts.password is not None:
        raise UsageError(f"put credentials in {ENV_USER} and {ENV_PASSWORD} (or {ENV_TOKEN}), not in the endpoint URL")
    return url


def safe_url(url: str) -> str:
    """``url`` without any ``user:password@`` part."""
    parts = urllib.parse.urlsplit(url)
    if "@" not in parts.netloc:
        return url
    return urllib.parse.urlunsplit(parts._replace(netloc="***@" + parts.netloc.rsplit("@", 1)[1]))


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


def bind_values(query: str, bindings: Mapping[str, ox.NamedNode | ox.Literal]) -> str:
    """``query`` with ``bindings`` as ``VALUES`` blocks, as the embedded store's substitution binds them.

    Oxigraph's substitution (SEP-0007) binds a parameter in the whole query,
    including inside each sub-select that projects it, and the named queries
    rely on that to find a label before anything else. The SPARQL 1.1
    Protocol has no substitution, so the block goes at the top of the outer
    WHERE (:func:`kg.sparql.with_values`) and of every sub-select that projects
    one of the parameters.
    """
    query = sparql.with_values(query, bindings)  # also checks the parameter names
    insertions = []
    for position, projected in _subselects(query):
        names = sorted(name for name in bindings if name in projected)
        if names:
            terms = " ".join(str(bindings[name]) for name in names)
            insertions.append((position, " VALUES (" + " ".join("?" + n for n in names) + ") { (" + terms + ") } "))
    for position, block in sorted(insertions, reverse=True):
        query = query[: position + 1] + block + query[position + 1 :]
    return query


def _subselects(query: str) -> Iterator[tuple[int, set[str]]]:
    """For each sub-select: the offset of the ``{`` opening its WHERE group, and the variables it projects."""
    found = list(sparql.tokens(query))
    for index, token in enumerate(found):
        if token.kind != "word" or token.text.upper() != "SELECT" or token.depth == 0:
            continue
        projected: set[str] = set()
        star = False
        parens = 0
        previous = ""
        for offset, following in enumerate(found[index + 1 :], start=index + 1):
            if following.kind == "open" and following.depth == token.depth:
                if star:
                    projected |= {t.text[1:] for t in _group(found, offset) if t.kind == "var"}
                yield following.start, projected
                break
            if following.text == "(":
                parens += 1
            elif following.text == ")":
                parens -= 1
            elif following.text == "*" and parens == 0:
                star = True
            elif following.kind == "var" and (parens == 0 or previous == "AS"):
                projected.add(following.text[1:])
            previous = following.text.upper()


def _group(found: list[sparql.Token], open_index: int) -> Iterator[sparql.Token]:
    """The tokens inside the group opened at ``found[open_index]``."""
    depth = found[open_index].depth
    for token in found[open_index + 1 :]:
        if token.kind == "close" and token.depth == depth:
            return
        yield token


def with_prefixes(query: str) -> str:
    """``query`` with a PREFIX declaration for each of kg's prefixes that it does not declare itself."""
    declared = set()
    previous = ""
    for token in sparql.tokens(query):
        if previous == "PREFIX" and token.kind == "word":
            declared.add(token.text.split(":", 1)[0])
        previous = token.text.upper() if token.kind == "word" else ""
    missing = [f"PREFIX {name}: <{iri}>" for name, iri in PREFIXES.items() if name not in declared]
    return "\n".join([*missing, query]) if missing else query


def _as_query_triples(data: bytes, fmt: ox.RdfFormat) -> ox.QueryTriples:
    """Parsed triples as the ``QueryTriples`` an embedded CONSTRUCT gives."""
    graph = ox.Store()
    graph.extend(ox.parse(data, format=fmt))
    result = graph.query("CONSTRUCT WHERE { ?s ?p ?o }")
    assert isinstance(result, ox.QueryTriples)
    return result


def _error_detail(exc: urllib.error.HTTPError) -> str:
    try:
        text = exc.read(2000).decode("utf-8", "replace")
    except OSError:
        return ""
    return _first_line(" ".join(text.split()))[:300]


def _connection_problem(exc: BaseException) -> str:
    reason = exc.reason if isinstance(exc, urllib.error.URLError) else exc
    if isinstance(reason, ConnectionRefusedError):
        return "connection refused"
    if isinstance(reason, socket.gaierror):
        return "unknown host"
    if isinstance(reason, (TimeoutError, socket.timeout)):
        return "timed out"
    if isinstance(reason, (ConnectionResetError, http.client.RemoteDisconnected)):
        return "the connection was closed"
    return _first_line(str(getattr(reason, "strerror", None) or reason)) or type(reason).__name__


def _first_line(text: str) -> str:
    return text.strip().splitlines()[0] if text.strip() else ""
