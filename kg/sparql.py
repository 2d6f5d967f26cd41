"""A small SPARQL lexer: enough to see a query's form and keywords, and to bind values safely.

It never builds query text from user values by formatting. ``with_values`` adds
an inline ``VALUES`` block whose terms are written by Oxigraph's own N-Triples
serializer, for SPARQL servers that do not take SEP-0007 substitutions.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

import pyoxigraph as ox

from kg.errors import QueryError

# One alternation, each branch linear: strings (long and short), IRIs, comments, words, punctuation.
_TOKEN = re.compile(
    r"""
    (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"|'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*")
    |(?P<iri><[^<>"{}|^`\\\s]*>)
    |(?P<comment>\#[^\n]*)
    |(?P<var>[?$][A-Za-z0-9_\u00B7-\uFFFF]+)
    |(?P<word>[A-Za-z_][A-Za-z0-9_\-.]*(?::[^\s{}()<>,;"']*)?|:[^\s{}()<>,;"']*)
    |(?P<open>\{)|(?P<close>\})
    |(?P<other>\S)
    """,
    re.VERBOSE | re.DOTALL,
)

UPDATE_KEYWORDS = {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"}
QUERY_FORMS = {"SELECT", "CONSTRUCT", "DESCRIBE", "ASK"}


@dataclass(frozen=True)
class Token:
    kind: str
    text: str
    start: int
    depth: int


def tokens(query: str) -> Iterator[Token]:
    """The tokens of a query with their brace depth, comments and whitespace skipped."""
    depth = 0
    for match in _TOKEN.finditer(query):
        kind = match.lastgroup or "other"
        if kind == "comment":
            continue
        if kind == "close":
            depth -= 1
        yield Token(kind, match.group(), match.start(), depth)
        if kind == "open":
            depth += 1


def _keywords(query: str) -> list[str]:
    return [t.text.upper() for t in tokens(query) if t.kind == "word"]


def query_form(query: str) -> str:
    """SELECT, CONSTRUCT, DESCRIBE, ASK, or UPDATE for SPARQL Update."""
    for word in _keywords(query):
        if word in QUERY_FORMS:
            return word
        if word in UPDATE_KEYWORDS:
            return "UPDATE"
    raise QueryError("not a SPARQL query: expected SELECT, CONSTRUCT, DESCRIBE or ASK")


def check_read_only(query: str, *, allow_service: bool = False) -> str:
    """The query form, after refusing updates and (unless allowed) SERVICE clauses.

    Raises:
        QueryError: the text is SPARQL Update, or calls a remote SERVICE without ``allow_service``.
    """
    form = query_form(query)
    if form == "UPDATE":
        raise QueryError(
            "kg query runs read-only queries; SPARQL Update (INSERT, DELETE, LOAD, ...) goes through `kg update --yes`")
    if not allow_service and "SERVICE" in _keywords(query):
        raise QueryError("the query calls a remote SERVICE, which is off by default; pass --allow-service to allow it")
    return form


def check_update(update: str, *, allow_remote: bool = False) -> None:
    """Refuse ``LOAD`` of remote documents and ``SERVICE`` unless allowed.

    Raises:
        QueryError: the update fetches from the network and ``allow_remote`` is off.
    """
    words = _keywords(update)
    if not allow_remote and ("LOAD" in words or "SERVICE" in words):
        raise QueryError(
            "LOAD and SERVICE fetch from the network, which is off by default; pass --allow-remote to allow it")


def with_values(query: str, bindings: Mapping[str, ox.NamedNode | ox.Literal]) -> str:
    """The query with an inline ``VALUES`` block binding ``bindings`` at the top of its WHERE group.

    The equivalent of SEP-0007 substitution for the named queries (whose
    parameters are used in the outer group), for servers that only speak the
    SPARQL 1.1 Protocol.
    """
    if not bindings:
        return query
    names = sorted(bindings)
    for name in names:
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
            raise QueryError(f"bad parameter name {name!r}")
    terms = " ".join(str(bindings[name]) for name in names)
    block = " VALUES (" + " ".join("?" + n for n in names) + ") { (" + terms + ") } "
    position = _where_open(query)
    return query[: position + 1] + block + query[position + 1 :]


def _where_open(query: str) -> int:
    seen_where = False
    form = None
    for token in tokens(query):
        if token.kind == "word" and token.depth == 0:
            word = token.text.upper()
            if word in QUERY_FORMS and form is None:
                form = word
            if word == "WHERE":
                seen_where = True
        if token.kind == "open" and token.depth == 0 and (seen_where or form in {"SELECT", "ASK", "DESCRIBE"}):
            return token.start
    raise QueryError("cannot find the WHERE clause of the query")
