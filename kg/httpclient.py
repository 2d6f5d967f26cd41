"""HTTP for SPARQL servers: one exchange within a total deadline, the login the server asks for, no silent redirects.

:class:`Client` sends a request and reads the whole answer, and:

- keeps one keep-alive connection per thread and server (pushes run batches on several threads);
- enforces a **total** deadline per exchange (login round trip, redirects and the whole answer
  included): a watchdog shuts the socket when it passes, so a server that trickles a byte a second
  cannot hold kg past it;
- answers the **challenge the server gives**: nothing is sent until a 401 names a scheme, then Digest
  (preferred) or Basic, and only Basic if the server offered it, and only to the origins kg was given;
  a bearer token is sent as it is;
- follows redirects only where asked (queries), **keeping the method and the body**, and credentials
  only to the same origin; writes that are redirected fail, so that nothing is reported as written
  that the server never saw.

Built on the standard library's ``http.client`` rather than requests or httpx: the deadline needs the
socket, which neither exposes while it waits for headers, and the challenge-first upload needs to know
which request took the challenge. Digest answers come from ``urllib.request``'s own implementation.
"""

from __future__ import annotations

import base64
import contextlib
import http.client
import logging
import os
import re
import socket
import ssl
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass, field
from email.message import Message

from kg.errors import EndpointError

log = logging.getLogger(__name__)

ENV_USER = "KG_ENDPOINT_USER"
ENV_PASSWORD = "KG_ENDPOINT_PASSWORD"
ENV_TOKEN = "KG_ENDPOINT_TOKEN"

REDIRECTS = {301, 302, 303, 307, 308}
MAX_REDIRECTS = 5
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


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

    def redact(self, text: str) -> str:
        """``text`` with every secret, and its Basic encoding, replaced by ``***``."""
        secrets = [self.password, self.token]
        if self.user is not None:
            pair = f"{self.user}:{self.password or ''}"
            secrets += [pair, base64.b64encode(pair.encode()).decode("ascii")]
        for secret in sorted((s for s in secrets if s), key=len, reverse=True):
            text = text.replace(secret, "***")
        return text


@dataclass(frozen=True)
class Response:
    """A whole answer: status, headers, body, and the URL that gave it (after redirects)."""

    status: int
    reason: str
    headers: Message
    body: bytes
    url: str

    def header(self, name: str) -> str:
        return self.headers.get(name, "") or ""


class DeadlinePassedError(EndpointError):
    """The exchange did not finish within its total deadline."""


class Client:
    """Sends requests to one SPARQL server (its query and Graph Store URLs), logging in as it asks."""

    def __init__(self, credentials: Credentials, origins: set[str]) -> None:
        self.credentials = credentials
        self.origins = set(origins)
        self._local = threading.local()
        self._lock = threading.Lock()
        self._challenges: dict[str, tuple[str, dict[str, str]]] = {}
        self._digest = _Digest(credentials)

    def exchange(self, method: str, url: str, body: bytes, headers: Mapping[str, str], *,
                 timeout: float, follow_redirects: bool) -> Response:
        """One request and its whole answer, within ``timeout`` seconds in all.

        Raises:
            DeadlinePassedError: the answer was not complete within ``timeout``.
            EndpointError: a write was redirected, or there were too many redirects.
            OSError, http.client.HTTPException: the connection failed (the caller may retry).
        """
        deadline = time.monotonic() + timeout
        for _ in range(MAX_REDIRECTS + 1):
            response = self._authenticated(method, url, body, headers, deadline)
            if response.status not in REDIRECTS or not response.header("Location"):
                return response
            target = urllib.parse.urljoin(url, response.header("Location"))
            if not follow_redirects:
                raise EndpointError(
                    f"{safe_url(url)} answered {response.status} {response.reason}, redirecting to "
                    f"{safe_url(target)}; kg does not follow redirects on writes, so nothing was written there: "
                    "use that URL (--store-endpoint)")
            if urllib.parse.urlsplit(target).scheme not in ("http", "https"):
                raise EndpointError(f"{safe_url(url)} redirects to {safe_url(target)}, which is not http(s)")
            log.info("%s redirects to %s; sending the same %s there", safe_url(url), safe_url(target), method)
            url = target
        raise EndpointError(f"{safe_url(url)}: more than {MAX_REDIRECTS} redirects")

    def close(self) -> None:
        """Close this thread's connections."""
        for connection in getattr(self._local, "connections", {}).values():
            connection.close()
        self._local.connections = {}

    # ------------------------------------------------------------ login

    def _authenticated(self, method: str, url: str, body: bytes, headers: Mapping[str, str],
                       deadline: float) -> Response:
        origin = _origin(url)
        trusted = origin in self.origins
        response = self._once(method, url, body, {**headers, **self._authorization(method, url, trusted)}, deadline)
        if response.status != 401 or not trusted or self.credentials.user is None or self.credentials.token:
            return response
        challenge = _pick_challenge(response.headers.get_all("WWW-Authenticate") or [])
        if challenge is None:
            return response
        with self._lock:
            known = self._challenges.get(origin)
            self._challenges[origin] = challenge
        if known is not None and challenge[1].get("stale", "").lower() != "true" and known[0] == challenge[0]:
            return response  # the credentials themselves were refused
        log.debug("%s asks for %s authentication", safe_url(url), challenge[0])
        return self._once(method, url, body, {**headers, **self._authorization(method, url, trusted)}, deadline)

    def _authorization(self, method: str, url: str, trusted: bool) -> dict[str, str]:
        if not trusted:
            return {}
        if self.credentials.token:
            return {"Authorization": f"Bearer {self.credentials.token}"}
        with self._lock:
            challenge = self._challenges.get(_origin(url))
            if challenge is None or self.credentials.user is None:
                return {}
            scheme, parameters = challenge
            if scheme == "digest":
                value = self._digest.answer(method, url, parameters)
                return {"Authorization": value} if value else {}
        pair = f"{self.credentials.user}:{self.credentials.password or ''}".encode()
        return {"Authorization": "Basic " + base64.b64encode(pair).decode("ascii")}

    # ------------------------------------------------------- transport

    def _once(self, method: str, url: str, body: bytes, headers: Mapping[str, str], deadline: float) -> Response:
        """One request on a keep-alive connection; a stale kept-alive connection is replaced once."""
        for fresh_try in (False, True):
            connection, reused = self._connection(url, fresh=fresh_try)
            try:
                return self._on(connection, method, url, body, headers, deadline)
            except DeadlinePassedError:
                self._drop(url)
                raise
            except (OSError, http.client.HTTPException):
                self._drop(url)
                if not reused or time.monotonic() >= deadline:
                    raise
                log.debug("a kept-alive connection to %s was closed; opening a new one", safe_url(url))
        raise AssertionError("unreachable")  # pragma: no cover

    def _on(self, connection: http.client.HTTPConnection, method: str, url: str, body: bytes,
            headers: Mapping[str, str], deadline: float) -> Response:
        left = deadline - time.monotonic()
        if left <= 0:
            raise DeadlinePassedError(_too_slow(url, deadline))
        fired = threading.Event()

        def stop() -> None:
            fired.set()
            if connection.sock is not None:
                with contextlib.suppress(OSError):
                    connection.sock.shutdown(socket.SHUT_RDWR)

        watchdog = threading.Timer(left, stop)
        watchdog.daemon = True
        watchdog.start()
        parts = urllib.parse.urlsplit(url)
        selector = urllib.parse.urlunsplit(("", "", parts.path or "/", parts.query, ""))
        payload = body if body or method not in ("GET", "HEAD") else None
        try:
            connection.timeout = left
            if connection.sock is None:
                connection.connect()
            connection.sock.settimeout(left)
            try:
                connection.request(method, selector, body=payload, headers=dict(headers))
            except (BrokenPipeError, ConnectionResetError):
                if fired.is_set():
                    raise
                # the server may have answered (401, 413) and closed before reading the whole body
                log.debug("%s closed the connection while kg was sending", safe_url(url))
            answer = connection.getresponse()
            data = answer.read()
        except (OSError, http.client.HTTPException) as exc:
            if fired.is_set() or isinstance(exc, (TimeoutError, socket.timeout)):
                raise DeadlinePassedError(_too_slow(url, deadline)) from None
            raise
        finally:
            watchdog.cancel()
        if fired.is_set():
            raise DeadlinePassedError(_too_slow(url, deadline))
        if answer.will_close:
            self._drop(url)
        return Response(answer.status, answer.reason, answer.headers, data, url)

    def _connection(self, url: str, *, fresh: bool) -> tuple[http.client.HTTPConnection, bool]:
        connections: dict[str, http.client.HTTPConnection] = getattr(self._local, "connections", None) or {}
        self._local.connections = connections
        origin = _origin(url)
        if not fresh and origin in connections:
            return connections[origin], True
        if origin in connections:
            connections.pop(origin).close()
        parts = urllib.parse.urlsplit(url)
        if parts.scheme == "https":
            connection: http.client.HTTPConnection = http.client.HTTPSConnection(
                parts.hostname or "", parts.port, context=ssl.create_default_context())
        else:
            connection = http.client.HTTPConnection(parts.hostname or "", parts.port)
        connections[origin] = connection
        return connection, False

    def _drop(self, url: str) -> None:
        connection = getattr(self._local, "connections", {}).pop(_origin(url), None)
        if connection is not None:
            connection.close()


class _Digest(urllib.request.AbstractDigestAuthHandler):
    """HTTP Digest answers (RFC 7616: MD5 or SHA, qop auth), computed by the standard library."""

    def __init__(self, credentials: Credentials) -> None:
        super().__init__(_Passwords(credentials))

    def answer(self, method: str, url: str, challenge: dict[str, str]) -> str | None:
        request = urllib.request.Request(url, method=method)
        value = self.get_authorization(request, challenge)
        return f"Digest {value}" if value else None


class _Passwords(urllib.request.HTTPPasswordMgr):
    """The one user and password, for whatever realm: the client only answers origins it was given."""

    def __init__(self, credentials: Credentials) -> None:
        super().__init__()
        self._credentials = credentials

    def find_user_password(self, realm: str | None, authuri: str) -> tuple[str | None, str | None]:
        return self._credentials.user, self._credentials.password or ""


def _pick_challenge(headers: list[str]) -> tuple[str, dict[str, str]] | None:
    """The scheme to answer (Digest before Basic) and its parameters, from ``WWW-Authenticate`` headers."""
    offered: dict[str, dict[str, str]] = {}
    for header in headers:
        scheme, _, rest = header.strip().partition(" ")
        items = urllib.request.parse_http_list(rest)
        offered.setdefault(scheme.lower(), urllib.request.parse_keqv_list([i for i in items if "=" in i]))
    for scheme in ("digest", "basic"):
        if scheme in offered:
            return scheme, offered[scheme]
    return None


def _origin(url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    return f"{parts.scheme}://{(parts.hostname or '').lower()}:{parts.port or (443 if parts.scheme == 'https' else 80)}"


def origin_of(url: str) -> str:
    """``scheme://host:port`` of a URL, the unit credentials are sent to."""
    return _origin(url)


def _too_slow(url: str, deadline: float) -> str:
    return f"no complete answer from {safe_url(url)} in time; set KG_ENDPOINT_TIMEOUT to wait longer"


def safe_url(url: str) -> str:
    """``url`` fit to show: anything that could be credentials (before the last ``@``) hidden, controls escaped."""
    scheme, sep, rest = url.partition("://")
    if sep and "@" in rest:
        rest = "***@" + rest.rsplit("@", 1)[1]
    return printable(scheme + sep + rest)


def printable(text: str) -> str:
    """``text`` with control, escape and bidi characters shown as ``\\xNN`` / ``\\uNNNN``, never raw."""
    def escape(match: re.Match[str]) -> str:
        code = ord(match.group())
        return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"

    return _CONTROL.sub(escape, text)
