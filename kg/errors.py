"""The one error hierarchy of kg.

Every error a user can cause is a :class:`KgError`. The CLI turns each into one
line on stderr and the exit code of its class; :data:`EXIT_CODES` lists every code
``kg`` exits with (the README's table is tested against it).
"""

from __future__ import annotations


class KgError(Exception):
    """Base class of every error that kg reports to a user."""

    exit_code = 1


class UsageError(KgError):
    """A bad option, parameter or argument."""

    exit_code = 2


class InputError(KgError):
    """An input file is missing, unreadable, too large, empty or not what it claims to be."""

    exit_code = 3


class ParseError(InputError):
    """RDF or JSON that does not parse; the message names the file and line."""

    exit_code = 3


class LimitError(InputError):
    """An input over one of kg's limits (nesting, unpacked size, entity expansion); says how to raise it."""

    exit_code = 3


class QueryError(KgError):
    """A SPARQL query that is unknown, malformed or not allowed."""

    exit_code = 4


class NotFoundError(KgError):
    """A role, skill, company or domain that is not in the graph."""

    exit_code = 5

    def __init__(self, message: str, suggestions: list[str] | None = None) -> None:
        self.suggestions = suggestions or []
        if self.suggestions:
            message += "; did you mean " + ", ".join(repr(s) for s in self.suggestions) + "?"
        super().__init__(message)


class StoreError(KgError):
    """The store cannot be opened, is busy, or a write failed (and was rolled back)."""

    exit_code = 6


class StoreBusyError(StoreError):
    """Another kg process is writing to the store."""

    exit_code = 7


class ValidationError(KgError):
    """The graph does not conform to the SHACL shapes."""

    exit_code = 8


class EndpointError(KgError):
    """A remote SPARQL endpoint is unreachable or refused the request."""

    exit_code = 9


#: A bug: an exception that is not a :class:`KgError` (``--debug`` shows its traceback).
EXIT_INTERNAL = 70
#: Ctrl-C (SIGINT).
EXIT_INTERRUPTED = 130
#: SIGTERM (``kill``).
EXIT_TERMINATED = 143

#: Every exit code of ``kg``, and what it means.
EXIT_CODES: dict[int, str] = {
    0: "success",
    KgError.exit_code: "other kg error",
    UsageError.exit_code: "bad usage: option, parameter or argument",
    InputError.exit_code: "bad input: missing, unreadable, empty or malformed file (the message names file and line)",
    QueryError.exit_code: "bad query: unknown name, malformed SPARQL, an update where a query was expected",
    NotFoundError.exit_code: 'not found: unknown role, skill, company or domain (with "did you mean")',
    StoreError.exit_code: "store error: no store yet, not a kg store, cannot open, no room left on the disk",
    StoreBusyError.exit_code: "store is busy: another process is writing",
    ValidationError.exit_code: "SHACL violations",
    EndpointError.exit_code: "SPARQL endpoint unreachable or refused",
    EXIT_INTERNAL: "internal error (a bug: run with `--debug` and report it)",
    EXIT_INTERRUPTED: "interrupted (Ctrl-C); a write in progress is undone",
    EXIT_TERMINATED: "terminated (SIGTERM); a write in progress is undone",
}
