"""The names of the world's cities, to tell a city that stands alone ("Software Engineer - Seattle") from a company.

The list (``data/vocabulary/cities.tsv``, see :mod:`kg.extract.cities_build`) holds, for each name of a city of
15,000 people or more that is no everyday word, the country most of the people of cities of that name live in,
or none where the name is shared across countries ("Cambridge", "Victoria").
"""

from __future__ import annotations

import functools
import unicodedata
from pathlib import Path

from kg import resources

__all__ = ["CITIES_FILE", "city_country", "plain_name"]

#: Where the list lives in ``data/``.
CITIES_FILE = Path("vocabulary") / "cities.tsv"


@functools.lru_cache(maxsize=8192)
def plain_name(name: str) -> str:
    """Lower case without accents: ``Karnātaka`` and ``Karnataka``, ``Zürich`` and ``Zurich`` are one key."""
    decomposed = unicodedata.normalize("NFKD", name.strip().lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def city_country(name: str) -> str | None:
    """The ISO 3166-1 code of the country of the city called ``name`` ("" where the name is shared across
    countries), ``None`` for no known city."""
    return _cities().get(plain_name(" ".join(name.split())))


@functools.cache
def _cities() -> dict[str, str]:
    """Each city's name (as :func:`plain_name` gives it) and its country, or "" (none where the list is missing)."""
    path = resources.data_dir() / CITIES_FILE
    if not path.is_file():
        return {}
    rows = (line.partition("\t") for line in path.read_text(encoding="utf-8").split("\n"))
    return {name: country for name, _, country in rows if name and not name.startswith("#")}
