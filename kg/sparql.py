"""A SPARQL lexer built on the grammar's own terminals: a query's form and keywords, and safe binding.

The terminals (strings, IRIs, prefixed names, variables, blank nodes, comments
and whitespace) follow the SPARQL 1.1 grammar, so that a token never reaches
further than it does for a real parser: a comment ends at a line feed or a
carriage return, a prefixed name ends where ``PN_LOCAL`` ends
(``kg:Skill]SERVICE`` is three tokens), and text that fits no terminal is read
one character at a time. The network guards (:func:`check_read_only`,
:func:`check_update`) lean on that: SERVICE and LOAD hidden in any context
still show up as keywords.

It never builds query text from user values by formatting. ``with_values`` adds
an inline ``VALUES`` block whose terms are written by Oxigraph's own N-Triples
serializer, for SPARQL servers that do not take SEP-0007 substitutions.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache

import pyoxigraph as ox

from kg.errors import QueryError
from kg.namespaces import PREFIXES

# The SPARQL 1.1 grammar's terminals (https://www.w3.org/TR/sparql11-query/#grammar) as regular expressions.
_PN_CHARS_BASE = ("A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff\u200c-\u200d"
                  "\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd\U00010000-\U000effff")
_PN_CHARS_U = _PN_CHARS_BASE + "_"
_PN_CHARS = _PN_CHARS_U + "\\-0-9\u00b7\u0300-\u036f\u203f-\u2040"
_VARNAME_CHARS = _PN_CHARS_U + "0-9\u00b7\u0300-\u036f\u203f-\u2040"
_PLX = r"%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?#@%]"
_PN_PREFIX = f"[{_PN_CHARS_BASE}](?:[{_PN_CHARS}.]*[{_PN_CHARS}])?"
_PN_LOCAL = f"(?:[{_PN_CHARS_U}:0-9]|{_PLX})(?:(?:[{_PN_CHARS}.:]|{_PLX})*(?:[{_PN_CHARS}:]|{_PLX}))?"
_ECHAR = r"\\[tbnrf\\\"']|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8}"
_STRINGS = "|".join((
    f"'''(?:(?:'|'')?(?:[^'\\\\]|{_ECHAR}))*'''",
    f'"""(?:(?:"|"")?(?:[^"\\\\]|{_ECHAR}))*"""',
    f"'(?:[^'\\\\\\r\\n]|{_ECHAR})*'",
    f'"(?:[^"\\\\\\r\\n]|{_ECHAR})*"',
))
_TOKEN = "|".join((
        "(?P<space>[ \\t\\r\\n]+)",
        "(?P<comment>#[^\\r\\n]*)",
        f"(?P<string>{_STRINGS})",
        "(?P<iri><[^<>\"{}|^`\\\\\\x00-\\x20]*>)",
        f"(?P<var>[?$][{_VARNAME_CHARS}]+)",
        f"(?P<bnode>_:[{_PN_CHARS_U}0-9](?:[{_PN_CHARS}.]*[{_PN_CHARS}])?)",
        f"(?P<pname>(?:{_PN_PREFIX})?:(?:{_PN_LOCAL})?)",
        "(?P<langtag>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)",
        "(?P<word>[A-Za-z_][A-Za-z0-9_]*)",
        "(?P<open>\\{)",
        "(?P<close>\\})",
        "(?P<other>.)",
))
_CODEPOINT = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")

UPDATE_KEYWORDS = {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"}
QUERY_FORMS = {"SELECT", "CONSTRUCT", "DESCRIBE", "ASK"}


@dataclass(frozen=True)
class Token:
    kind: str
    text: str
    start: int
    depth: int


def tokens(query: str) -> Iterator[Token]:
    """The tokens of a query with their brace depth, comments and whitespace skipped.

    ``kind`` is one of string, iri, var, bnode, pname, langtag, word (keywords and
    function names), open, close and other (one character of anything else).
    """
    depth = 0
    for match in _lexer().finditer(query):
        kind = match.lastgroup or "other"
        if kind in ("space", "comment"):
            continue
        if kind == "close":
            depth -= 1
        yield Token(kind, match.group(), match.start(), depth)
        if kind == "open":
            depth += 1


@cache
def _lexer() -> re.Pattern[str]:
    """The terminals as one pattern, compiled when first needed: Python's compiler walks every character of the
    Unicode ranges, 0.1 s that a command which runs only kg's own queries never spends (:func:`kg.queries.run`)."""
    return re.compile(_TOKEN, re.DOTALL)


def _keywords(query: str) -> list[str]:
    return [t.text.upper() for t in tokens(query) if t.kind == "word"]


def _names_network_call(query: str, keywords: tuple[str, ...]) -> bool:
    """Whether one of ``keywords`` (SERVICE, LOAD) may be read as a keyword anywhere in ``query``.

    Wide on purpose, so that no context hides one: a parser may split a keyword
    glued to the word before it (Oxigraph reads ``trueSERVICE`` as ``true SERVICE``),
    so every word, language tag and prefix that *contains* one counts; and the text
    is read both as written and with its ``\\uXXXX`` escapes decoded, as the SPARQL
    grammar says to before parsing (and some servers do).
    """
    decoded = _CODEPOINT.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), query)
    for text in dict.fromkeys((query, decoded)):
        for token in tokens(text):
            if token.kind in ("word", "langtag"):
                name = token.text
            elif token.kind == "pname":
                name = token.text.split(":", 1)[0]
            else:
                continue
            if any(keyword in name.upper() for keyword in keywords):
                return True
    return False


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
    if not allow_service and _names_network_call(query, ("SERVICE",)):
        raise QueryError("the query calls a remote SERVICE, which is off by default; pass --allow-service to allow it")
    return form


def check_update(update: str, *, allow_remote: bool = False) -> None:
    """Refuse ``LOAD`` of remote documents and ``SERVICE`` unless allowed.

    Raises:
        QueryError: the update fetches from the network and ``allow_remote`` is off.
    """
    if not allow_remote and _names_network_call(update, ("LOAD", "SERVICE")):
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
        if previous == "PREFIX" and token.kind == "pname":
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
