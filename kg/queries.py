"""Named SPARQL queries: find them, read their headers, bind parameters, run them, shape the results.

Each ``queries/NAME.rq`` starts with a comment header::

    # name: skills-for-role
    # description: The skills a role requires or prefers.
    # param: role  Role label (prefLabel or altLabel, any case)
    # param: domain  (optional) Only skills in this domain
    # example: kg query skills-for-role --param role="data scientist"

A parameter is the SPARQL variable of the same name. Values are bound as
plain literals by SEP-0007 substitution (``initBindings``'s equivalent in
Oxigraph) and never formatted into the query text. Substitution needs the
variable in the SELECT clause, and ``BOUND(?param)`` is false even when it is
substituted, so optional parameters are tested with ``COALESCE(STR(?param), "")``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from kg import sparql, terms
from kg.errors import QueryError, UsageError
from kg.namespaces import PREFIXES, XSD, Iri, curie
from kg.resources import queries_dir
from kg.xmlchars import xml_safe

if TYPE_CHECKING:
    from kg.source import GraphSource

Result = ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples

_HEADER = re.compile(r"^#\s*(name|description|param|example):\s*(.*)$")
_PARAM = re.compile(r"^(?P<name>[A-Za-z_][A-Za-z0-9_]*)\s*(?P<optional>\(optional\))?\s*(?P<help>.*)$")

RESULT_FORMATS = {
    "json": ox.QueryResultsFormat.JSON,
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
    "xml": ox.QueryResultsFormat.XML,
}
GRAPH_FORMATS = {
    "turtle": ox.RdfFormat.TURTLE,
    "nt": ox.RdfFormat.N_TRIPLES,
    "jsonld": ox.RdfFormat.JSON_LD,
}


#: Parameters kg fills in when a query declares them (the thin threshold); tables leave them out.
DEFAULTED = ("thin_below",)


@dataclass(frozen=True)
class Param:
    name: str
    help: str
    optional: bool = False


@dataclass(frozen=True)
class NamedQuery:
    """A query and what its header says about it."""

    name: str
    text: str
    description: str = ""
    params: tuple[Param, ...] = ()
    examples: tuple[str, ...] = ()
    path: Path | None = field(default=None, compare=False)

    @classmethod
    def parse(cls, text: str, name: str, path: Path | None = None) -> NamedQuery:
        """Read the header comment of a query text."""
        description: list[str] = []
        params: list[Param] = []
        examples: list[str] = []
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
            elif key == "param" and (pm := _PARAM.match(value.strip())):
                params.append(Param(pm["name"], pm["help"].strip(), bool(pm["optional"])))
        return cls(name, text, " ".join(description), tuple(params), tuple(examples), path)


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
            bindings[name] = ox.Literal(str(value), datatype=ox.NamedNode(XSD + "integer"))
    return bindings


def run(
    source: GraphSource,
    query: NamedQuery,
    params: Mapping[str, str] | None = None,
    *,
    allow_service: bool = False,
) -> Result:
    """Run a query on a graph source: the local store, or a remote server (:class:`kg.source.RemoteGraph`).

    Raises:
        QueryError: the query is malformed, is an update, or calls SERVICE unasked.
        UsageError: the parameters do not fit the query.
        EndpointError: a remote server is unreachable or refused the query.
    """
    sparql.check_read_only(query.text, allow_service=allow_service)
    bindings = bindings_for(query, params or {})
    try:
        return source.query(
            query.text,
            prefixes=PREFIXES,
            use_default_graph_as_union=True,
            substitutions={ox.Variable(k): v for k, v in bindings.items()},
        )
    except SyntaxError as exc:
        raise QueryError(f"bad SPARQL in {query.name}: {_first_line(exc)}") from None
    except (OSError, RuntimeError) as exc:
        raise QueryError(f"query {query.name} failed: {_first_line(exc)}") from None


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
