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
from kg.namespaces import PREFIXES

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


def bind_values(query: str, bindings: Mapping[str, ox.NamedNode | ox.Literal]) -> str:
    """``query`` with ``bindings`` as ``VALUES`` blocks, as the embedded store's substitution binds them.

    Oxigraph's substitution (SEP-0007) binds a parameter in the whole query,
    including inside each sub-select that projects it, and the named queries
    rely on that to find a label before anything else. The SPARQL 1.1
    Protocol has no substitution, so the block goes at the top of the outer
    WHERE (:func:`with_values`) and of every sub-select that projects one of
    the parameters.
    """
    query = with_values(query, bindings)  # also checks the parameter names
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
    found = list(tokens(query))
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


def _group(found: list[Token], open_index: int) -> Iterator[Token]:
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
    for token in tokens(query):
        if previous == "PREFIX" and token.kind == "word":
            declared.add(token.text.split(":", 1)[0])
        previous = token.text.upper() if token.kind == "word" else ""
    missing = [f"PREFIX {name}: <{iri}>" for name, iri in PREFIXES.items() if name not in declared]
    return "\n".join([*missing, query]) if missing else query


def projection(query: str) -> list[str]:
    """The variables the outer SELECT projects, in order; empty for ``SELECT *``."""
    names: list[str] = []
    parens = 0
    previous = ""
    inside = False
    for token in tokens(query):
        if token.depth > 0 or token.kind == "open":
            break
        word = token.text.upper() if token.kind == "word" else ""
        if word == "SELECT":
            inside = True
        elif inside and word == "WHERE":
            break
        elif inside:
            if token.text == "(":
                parens += 1
            elif token.text == ")":
                parens -= 1
            elif token.kind == "var" and (parens == 0 or previous == "AS") and token.text[1:] not in names:
                names.append(token.text[1:])
            previous = token.text.upper()
    return names


def paged(query: str, variables: list[str], limit: int, offset: int) -> str:
    """A SELECT query as one page of its solutions: ``SELECT vars { { query } } LIMIT limit OFFSET offset``.

    The query becomes a sub-select, so its own ORDER BY, LIMIT and OFFSET
    still apply and only the page is cut outside (servers that sort at most a
    fixed number of rows, such as Virtuoso, sort once inside and page outside).
    The prologue (PREFIX, BASE) stays in front.
    """
    body_start = _body_start(query)
    names = " ".join("?" + name for name in variables) or "*"
    return (f"{query[:body_start]}SELECT {names} WHERE {{ {{ {query[body_start:]}\n}} }} "
            f"LIMIT {int(limit)} OFFSET {int(offset)}")


def _body_start(query: str) -> int:
    """Where the prologue (PREFIX and BASE declarations) ends."""
    expect = 0  # tokens still belonging to the current declaration
    for token in tokens(query):
        if expect:
            expect -= 1
            continue
        word = token.text.upper() if token.kind == "word" else ""
        if word == "PREFIX":
            expect = 2
        elif word == "BASE":
            expect = 1
        else:
            return token.start
    return len(query)
