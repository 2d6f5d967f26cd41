"""Find the bundled ``ontology/``, ``queries/`` and ``data/`` folders.

In a checkout (and an editable install) they sit at the top of the repository;
in an installed wheel they are packaged inside ``kg/`` (see ``pyproject.toml``,
``force-include``). Callers ask here and never build these paths themselves.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path

_FOLDERS = ("ontology", "queries", "data")


@cache
def _root(folder: str) -> Path:
    packaged = Path(str(resources.files("kg"))) / folder
    if packaged.is_dir():
        return packaged
    checkout = Path(__file__).resolve().parent.parent / folder
    if checkout.is_dir():
        return checkout
    raise FileNotFoundError(f"kg is installed without its {folder}/ folder")


def ontology_dir() -> Path:
    """The folder of the OWL ontology, SHACL shapes and SKOS vocabularies."""
    return _root("ontology")


def queries_dir() -> Path:
    """The folder of the named SPARQL queries (``*.rq``)."""
    return _root("queries")


def data_dir() -> Path:
    """The folder of the curated facts and the seed-corpus evidence."""
    return _root("data")


def ontology_file(name: str) -> Path:
    """One file of ``ontology/``, such as ``kg.ttl`` or ``shapes.ttl``."""
    return ontology_dir() / name


def data_file(*parts: str) -> Path:
    """One file of ``data/``, such as ``data_file("curated", "profiles.csv")``."""
    return data_dir().joinpath(*parts)
