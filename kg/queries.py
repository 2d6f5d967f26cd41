"""Named SPARQL queries: find them, read their headers, bind parameters, run them, shape the results.

Each ``queries/NAME.rq`` starts with a comment header::

    # name: skills-for-role
    # description: The skills a role requires or prefers.
    # param: role  (Role) The role: a label or an alias, any case
    # param: domain  (optional, Domain) Only skills in this domain
    # param: top  (optional) How many
    # example: kg query skills-for-role --param role="data scientist"

A parameter is the SPARQL variable of the same name. Values are bound by
SEP-0007 substitution (``initBindings``'s equivalent in Oxigraph), or as a
``VALUES`` block on an endpoint, and never formatted into the query text.
What a parameter takes is said in parentheses after its name:

- a class (``Role``, ``Skill``, ``Company``, ``Domain``, or ``Concept`` for any
  of them): the value is a name, which kg looks up (:mod:`kg.lookup`: kg's own
  concepts first, ``--vocab`` for an imported vocabulary's) and binds as the
  concept's IRI; a name that matches nothing is a "not found" error with
  suggestions;
- ``key``: the value is bound as its lookup key (normalised: NFKC,
  case-folded, whitespace collapsed);
- ``optional``: it may be left out;
- otherwise the value is bound as a plain literal.

A parameter named ``vocabulary`` restricts an answer to one vocabulary's
concepts (``kg``, ``esco``, ``onet``); left out, it is ``--vocab``, else ``kg``.

Substitution needs the variable in the SELECT clause, and ``BOUND(?param)`` is
false even when it is substituted, so optional parameters are tested with
``COALESCE(STR(?param), "")``.
"""

from __future__ import annotations

import errno
import functools
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import pyoxigraph as ox

from kg import sparql, terms
from kg.errors import QueryError, UsageError
from kg.namespaces import LOOKUP_CLASSES, PREFIXES, XSD, Iri, curie
from kg.numbers import PAGE_ROWS
from kg.resources import queries_dir
from kg.xmlchars import xml_safe

if TYPE_CHECKING:
    from kg.lookup import Resolution
    from kg.source import GraphSource

Result = ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples

_HEADER = re.compile(r"^#\s*(name|description|param|example|page|kept|embedded):\s*(.*)$")
_PARAM = re.compile(r"^(?P<name>[A-Za-z_][A-Za-z0-9_]*)\s*(?:\((?P<notes>[A-Za-z, ]*)\))?\s*(?P<help>.*)$")
#: What a parameter can take besides a plain literal: a concept found by name (any class: ``Concept``), or a key.
NAME_KINDS = (*LOOKUP_CLASSES.values(), "Concept")
KEY = "key"
#: A parameter of this name, when a query declares it, is the vocabulary whose concepts it answers about:
#: ``--vocab`` if given, else kg's own ("kg"), so that importing a taxonomy changes no answer unasked.
VOCABULARY = "vocabulary"
_NOTES = {"optional", KEY, *NAME_KINDS}

RESULT_FORMATS = {
    "json": ox.QueryResultsFormat.JSON,
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
    "xml": ox.QueryResultsFormat.XML,
}
#: Result formats written row by row as the store finds them (XML is encoded whole: :func:`kg.xmlchars.xml_safe`).
STREAMED_FORMATS = frozenset({"json", "csv", "tsv"})
GRAPH_FORMATS = {
    "turtle": ox.RdfFormat.TURTLE,
    "nt": ox.RdfFormat.N_TRIPLES,
    "jsonld": ox.RdfFormat.JSON_LD,
}


#: Parameters kg fills in when a query declares them (the thin threshold); tables leave them out.
DEFAULTED = ("thin_below",)


@dataclass(frozen=True)
class Param:
    """A parameter of a named query: ``kind`` is a class whose concepts are found by name, ``key``, or ``None``."""

    name: str
    help: str
    optional: bool = False
    kind: str | None = None

    @classmethod
    def parse(cls, text: str) -> Param | None:
        """A ``# param:`` line's value: ``NAME [(optional, KIND)] HELP``."""
        match = _PARAM.match(text)
        if not match:
            return None
        notes = [n.strip() for n in (match["notes"] or "").split(",") if n.strip()]
        if not set(notes) <= _NOTES:  # a help text that starts with parentheses
            return cls(match["name"], text[len(match["name"]):].strip())
        kinds = [n for n in notes if n != "optional"]
        if len(kinds) > 1:
            raise QueryError(f"the parameter {match['name']!r} takes one of {', '.join(kinds)}, not several")
        return cls(match["name"], match["help"].strip(), "optional" in notes, kinds[0] if kinds else None)


@dataclass(frozen=True)
class Binding:
    """The values a query runs with, and what each name parameter was found to mean."""

    values: dict[str, ox.NamedNode | ox.Literal]
    resolved: dict[str, Resolution] = field(default_factory=dict)


@dataclass(frozen=True)
class NamedQuery:
    """A query and what its header says about it."""

    name: str
    text: str
    description: str = ""
    params: tuple[Param, ...] = ()
    examples: tuple[str, ...] = ()
    path: Path | None = field(default=None, compare=False)
    page: int = PAGE_ROWS  # the rows ``kg query`` shows unless given --limit (``# page: N``)
    #: A query of ``queries/`` that reads the same answer from what kg's own store keeps (``# kept:`` in the
    #: header): kg runs it instead on a store whose kept data is current (:mod:`kg.graph_sizes`).
    kept: str | None = None
    #: A query of ``queries/`` that kg's embedded store (Oxigraph) runs instead (``# embedded:`` in the header):
    #: the same answer, with the order of its joins spelled out (``LATERAL``, which SPARQL 1.1 servers lack).
    embedded: str | None = None

    @classmethod
    def parse(cls, text: str, name: str, path: Path | None = None) -> NamedQuery:
        """Read the header comment of a query text."""
        description: list[str] = []
        params: list[Param] = []
        examples: list[str] = []
        page = PAGE_ROWS
        kept: str | None = None
        embedded: str | None = None
        for line in text.splitlines():
            if not line.startswith("#"):
                if line.strip():
                    break
                continue
            match = _HEADER.match(line)
            if not match:
                continue
            key, value = match.groups()
            if key == "name":
                name = value.strip() or name
            elif key == "description":
                description.append(value.strip())
            elif key == "example":
                examples.append(value.strip())
            elif key == "page" and value.strip().isdigit():
                page = int(value.strip())
            elif key == "kept":
                kept = value.split()[0] if value.split() else None
            elif key == "embedded":
                embedded = value.split()[0] if value.split() else None
            elif key == "param" and (param := Param.parse(value.strip())):
                params.append(param)
        return cls(name, text, " ".join(description), tuple(params), tuple(examples), path, page, kept, embedded)


def list_queries() -> list[NamedQuery]:
    """Every named query, sorted by name."""
    return [load_file(path) for path in sorted(queries_dir().glob("*.rq"))]


def load_file(path: Path) -> NamedQuery:
    """A query from a ``.rq`` file."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise UsageError(f"no query file {path}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"cannot read the query file {path}: {exc}") from exc
    return NamedQuery.parse(text, path.stem, path)


def resolve(query: str) -> NamedQuery:
    """A named query (``skills-for-role``), a ``.rq`` file, or inline SPARQL.

    Raises:
        QueryError: the name is not a known query (with suggestions).
    """
    if query.endswith(".rq"):
        return load_file(Path(query))
    if re.fullmatch(r"[A-Za-z0-9_-]+", query):
        path = queries_dir() / f"{query}.rq"
        if path.is_file():
            return load_file(path)
        from difflib import get_close_matches

        names = [p.stem for p in queries_dir().glob("*.rq")]
        hint = get_close_matches(query, names, n=3, cutoff=0.5)
        suffix = f"; did you mean {', '.join(hint)}?" if hint else "; `kg queries` lists them"
        raise QueryError(f"unknown query {query!r}{suffix}")
    return NamedQuery.parse(query, "inline")


def is_shipped(query: NamedQuery) -> bool:
    """True for a query of kg's ``queries/`` (its IRI columns have label columns beside them), not one the user
    wrote (inline, or a ``.rq`` file of their own)."""
    return query.path is not None and query.path.resolve().parent == queries_dir().resolve()


def parse_params(pairs: list[str] | tuple[str, ...]) -> dict[str, str]:
    """``["role=data scientist"]`` as a dict.

    Raises:
        UsageError: a pair without ``=`` or with a name that is not a SPARQL variable name.
    """
    params: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        name = name.strip()
        if not sep or not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
            raise UsageError(f"malformed --param {pair!r}: expected NAME=VALUE")
        params[name] = value
    return params


def bindings_for(query: NamedQuery, params: Mapping[str, str]) -> dict[str, ox.Literal]:
    """The literals to bind for ``params``, checked against the query's declared parameters.

    Raises:
        UsageError: a required parameter is missing, or an unknown one is given.
    """
    declared = {p.name: p for p in query.params}
    if declared:
        unknown = sorted(set(params) - set(declared))
        if unknown:
            raise UsageError(
                f"query {query.name!r} has no parameter {unknown[0]!r}; it takes: {', '.join(declared)}"
            )
        missing = [p.name for p in query.params if not p.optional and p.name not in params]
        if missing:
            raise UsageError(f"query {query.name!r} needs --param {missing[0]}=VALUE ({declared[missing[0]].help})")
    from kg.numbers import QUERY_DEFAULTS

    bindings = {name: ox.Literal(value) for name, value in params.items()}
    for name, value in QUERY_DEFAULTS.items():  # e.g. the thin threshold, defined once in kg.numbers
        if name in declared and name not in bindings:
            bindings[name] = terms.integer(value)
    return bindings


def bind(source: GraphSource, query: NamedQuery, params: Mapping[str, str], *,
         vocabulary: str | None = None) -> Binding:
    """The values to run ``query`` with: names looked up (see the module's docstring), keys normalised.

    Raises:
        UsageError: the parameters do not fit the query, or ``vocabulary`` is unknown.
        NotFoundError: a name matches nothing (with suggestions).
    """
    from kg.lookup import Names, normalise

    literals = bindings_for(query, params)
    declared = {p.name: p for p in query.params}
    names = Names(source, vocabulary)
    values: dict[str, ox.NamedNode | ox.Literal] = {}
    resolved: dict[str, Resolution] = {}
    for name, literal in literals.items():
        kind = declared[name].kind if name in declared else None
        if kind == KEY:
            values[name] = ox.Literal(normalise(literal.value))
        elif kind is not None:
            found = names.resolve(literal.value, None if kind == "Concept" else kind)
            values[name], resolved[name] = ox.NamedNode(found.iri), found
        else:
            values[name] = literal
    if VOCABULARY in declared and VOCABULARY not in values:  # kg's own concepts unless asked otherwise
        values[VOCABULARY] = ox.Literal(vocabulary or "kg")
    return Binding(values, resolved)


def run(
    source: GraphSource,
    query: NamedQuery,
    params: Mapping[str, str] | Binding | None = None,
    *,
    vocabulary: str | None = None,
    allow_service: bool = False,
) -> Result:
    """Run a query on a graph source: the local store, or a remote server (:class:`kg.source.RemoteGraph`).

    ``params`` as given (names looked up, see :func:`bind`), or as :func:`bind` made them.

    Raises:
        QueryError: the query is malformed, is an update, or calls SERVICE unasked.
        UsageError: the parameters do not fit the query.
        NotFoundError: a name parameter matches nothing.
        EndpointError: a remote server is unreachable or refused the query.
    """
    if not _shipped(query):  # kg's own queries are read-only and call no SERVICE (tests/test_queries.py checks)
        sparql.check_read_only(query.text, allow_service=allow_service)
    binding = params if isinstance(params, Binding) else bind(source, query, params or {}, vocabulary=vocabulary)
    query = local_text(source, query)
    try:
        return source.query(
            query.text,
            prefixes=PREFIXES,
            use_default_graph_as_union=True,
            substitutions={ox.Variable(k): v for k, v in binding.values.items()},
        )
    except SyntaxError as exc:
        raise QueryError(f"bad SPARQL in {query.name}: {_first_line(exc)}") from None
    except (OSError, RuntimeError) as exc:
        raise QueryError(f"query {query.name} failed: {_first_line(exc)}") from None


def local_text(source: GraphSource, query: NamedQuery) -> NamedQuery:
    """The query kg runs for ``query`` on ``source``: on its own store, the ``# kept:`` one where the kept data is
    current (:mod:`kg.graph_sizes`), and then the ``# embedded:`` one if it names one; elsewhere ``query``."""
    if not isinstance(source, ox.Store) or not _shipped(query):
        return query
    if query.kept is not None:
        from kg import graph_sizes

        if graph_sizes.is_current(source):
            query = load_file(queries_dir() / query.kept)
    return load_file(queries_dir() / query.embedded) if query.embedded is not None else query


def _shipped(query: NamedQuery) -> bool:
    """Whether ``query`` is one of kg's own, read from ``queries/`` or ``queries/internal/``."""
    if query.path is None:
        return False
    folder = queries_dir()
    return query.path.parent in (folder, folder / "internal") and query.text == _shipped_text(query.path)


@functools.cache
def _shipped_text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def _first_line(exc: BaseException) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


def python_value(term: Any, compact_iris: bool = False) -> Any:
    """A plain Python value for a result term: str for IRIs and strings, int/float for numbers.

    With ``compact_iris``, IRIs are shortened with kg's prefixes (``skill:pytorch``).
    """
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return Iri(curie(term.value) if compact_iris else term.value)
    if isinstance(term, ox.Literal):
        datatype = term.datatype.value
        if datatype in (XSD + "integer", XSD + "int", XSD + "long"):
            return int(term.value)
        if datatype in (XSD + "decimal", XSD + "double", XSD + "float"):
            return float(term.value)
        if datatype == XSD + "boolean":
            return term.value == "true"
        return term.value
    return term.value


def rows(result: Result, *, compact_iris: bool = False, hide: Iterable[str] = ()) -> list[dict[str, Any]]:
    """The solutions of a SELECT as dicts of plain values; ``[{"result": bool}]`` for ASK.

    ``compact_iris`` shortens IRIs (for tables); ``hide`` drops columns (such as bound parameters).

    Raises:
        QueryError: the result is a graph (CONSTRUCT/DESCRIBE) or evaluation failed.
    """
    if isinstance(result, ox.QueryBoolean):
        return [{"result": bool(result)}]
    if not isinstance(result, ox.QuerySolutions):
        raise QueryError("a CONSTRUCT or DESCRIBE query gives a graph, not rows; use --format turtle or nt")
    return list(iter_rows(result, compact_iris=compact_iris, hide=hide))


def iter_rows(result: Result, *, compact_iris: bool = False, hide: Iterable[str] = ()) -> Iterator[dict[str, Any]]:
    """:func:`rows`, one at a time, as the store produces them (for tables that stream)."""
    if isinstance(result, ox.QueryBoolean):
        yield {"result": bool(result)}
        return
    if not isinstance(result, ox.QuerySolutions):
        raise QueryError("a CONSTRUCT or DESCRIBE query gives a graph, not rows; use --format turtle or nt")
    hidden = set(hide)
    names = [v.value for v in result.variables if v.value not in hidden]
    try:
        for solution in result:
            yield {name: python_value(solution[name], compact_iris) for name in names}
    except (OSError, SyntaxError, RuntimeError) as exc:
        raise QueryError(f"query failed: {_first_line(exc)}") from None


def write_result(result: Result, fmt: str, stream: IO[bytes]) -> None:
    """:func:`serialize` into ``stream``: the rows of a SELECT in JSON, CSV or TSV are written as the store
    finds them (the first at once, however many follow); other results are encoded whole first.

    Raises:
        UsageError: the format does not fit the kind of result.
        QueryError: evaluation failed (rows already written stay written).
    """
    if not isinstance(result, ox.QuerySolutions) or fmt not in STREAMED_FORMATS:
        stream.write(serialize(result, fmt))
        return
    try:
        result.serialize(stream, format=RESULT_FORMATS[fmt])
    except BrokenPipeError:
        raise  # the reader went away (kg query quads | head): the CLI stops quietly
    except (OSError, SyntaxError, RuntimeError) as exc:
        if isinstance(exc, OSError) and exc.errno == errno.EPIPE:
            raise BrokenPipeError(errno.EPIPE, "the reader went away") from None
        raise QueryError(f"query failed: {_first_line(exc)}") from None


def serialize(result: Result, fmt: str) -> bytes:
    """A result in a W3C format (json, csv, tsv, xml) or, for graphs, in turtle, nt or jsonld.

    Raises:
        UsageError: the format does not fit the kind of result.
    """
    try:
        if isinstance(result, ox.QueryTriples):
            if fmt not in GRAPH_FORMATS:
                raise UsageError(f"a CONSTRUCT or DESCRIBE result is a graph: use --format {'|'.join(GRAPH_FORMATS)}")
            triples = sorted(result, key=str)
            return terms.serialize(triples, GRAPH_FORMATS[fmt], PREFIXES)
        if fmt not in RESULT_FORMATS:
            raise UsageError(f"a SELECT or ASK result comes as {'|'.join(['table', *RESULT_FORMATS])}, not {fmt}")
        data = result.serialize(format=RESULT_FORMATS[fmt])
        assert data is not None  # written to memory
        return xml_safe(data) if fmt == "xml" else data
    except (OSError, SyntaxError, RuntimeError) as exc:
        raise QueryError(f"query failed: {_first_line(exc)}") from None
