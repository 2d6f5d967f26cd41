"""Where a job is: city, region, country and remote or hybrid work, from a column, ``jobLocation`` or a line.

Countries and regions are resolved with ``pycountry`` (ISO 3166-1 and 3166-2):
``Berlin, Germany`` is city Berlin in country ``DE``; ``Austin, TX`` is city
Austin, region ``TX``, country ``US``; ``Remote (US)`` is remote work in ``US``.
A part that is neither a known country nor a known region is taken as the city. A city named alone
("Seattle") is known by name (:mod:`kg.extract.cities`), and read only where the layout puts a place.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from typing import Any

from kg.extract.cities import city_country, plain_name
from kg.extract.job_nouns import names_job
from kg.models import Location, Workplace

_REMOTE = re.compile(r"\b(?:remote|fully\s+remote|remote[- ]first|work\s+from\s+home|wfh|telecommut\w*|anywhere)\b",
                     re.IGNORECASE)
_HYBRID = re.compile(r"\bhybrid\b", re.IGNORECASE)
_ONSITE = re.compile(r"\b(?:on[- ]?site|in[- ]office)\b", re.IGNORECASE)
_NOISE = re.compile(r"\b(?:metropolitan\s+area|metro\s+area|greater|area|region|only|based|or|and)\b", re.IGNORECASE)
_SPLIT = re.compile(r"\s*(?:,|;|\||/|\(|\)|·|•|\s[-–]\s)\s*")
_LOCATION_LINE = re.compile(r"^\W*(?:job\s+)?(?:location|locations|based\s+in|office)\s*[:\-–|]\s*"
                            r"(?P<value>.{2,120}?)[\s|]*$",
                            re.IGNORECASE)
#: A city's name as a job board writes it: capitalised words, small link words between ("Frankfurt am Main").
_CITY = re.compile(r"[A-Z][\w.'’-]{0,30}(?:\s(?:[A-Z][\w.'’-]{0,30}|am|an|de|del|der|du|la|le|im|upon)){0,3}")
#: The part of a list of places after a comma: "California" in "Cupertino, California or Belgium".
_NEXT_PART = re.compile(r",\s{0,2}([A-Z][\w.'’-]{0,30}(?: [A-Z][\w.'’-]{0,30}){0,2})(?![\w.'’-]| [A-Z])")
#: Short names of a country a place may hold ("Remote · US"); other codes of two or three letters are too often
#: something else ("Technical Lead (ML)", "Support (IT)"), unless a region's in its country ("Toronto, ON").
_SHORT_COUNTRIES = frozenset({"us", "usa", "uk", "uae"})
#: Names people write that ISO 3166 spells otherwise.
_COUNTRY_ALIASES = {
    "uk": "GB", "u.k.": "GB", "england": "GB", "scotland": "GB", "wales": "GB", "great britain": "GB",
    "usa": "US", "u.s.": "US", "u.s.a.": "US", "united states of america": "US", "america": "US",
    "south korea": "KR", "korea": "KR", "russia": "RU", "vietnam": "VN", "taiwan": "TW", "czech republic": "CZ",
    "the netherlands": "NL", "holland": "NL", "uae": "AE", "iran": "IR", "bolivia": "BO", "venezuela": "VE",
}
#: Where a bare two-letter region code is most likely to be (``Austin, TX``), in order.
_REGION_COUNTRIES = ("US", "CA", "AU")


def parse_location(text: str | None, *, workplace: Workplace | None = None) -> Location | None:
    """A location from a place as written (``San Francisco, CA``, ``Remote - Germany``, ``Hybrid (London)``).

    ``workplace`` is what a separate field says (a "remote" flag, ``jobLocationType``);
    words in the text ("Remote", "Hybrid") say it otherwise.
    """
    raw = " ".join((text or "").split())[:200]
    workplace, parts = _workplace_and_parts(raw, workplace)
    if not raw and workplace is None:
        return None
    if not parts:
        return Location(raw or workplace or "", workplace=workplace) if (raw or workplace) else None
    return _resolve(raw or ", ".join(parts), parts, workplace)


def read_place(text: str) -> Location | None:
    """``text`` as a place when all of it reads as one, else ``None``: a part of a job board's line such as
    "Berlin, Germany · Hybrid · Posted 2026-11-20", where a company, "Full-time" or "3 days ago" sit too.

    Stricter than :func:`parse_location`, which takes what a "Location:" label says is a place: here a
    known country or region must be named (a city alone is not told from a company), at most one part
    may be unknown (the city, in capitalised words), or all of it says remote, hybrid or on-site work.
    """
    raw = " ".join(text.split())
    if not raw[:1].isupper() or len(raw) > 80 or names_job(raw):
        return None  # a place is capitalised ("Remote", "Berlin") and holds no job ("AI/ML Senior Engineer")
    workplace, parts = _workplace_and_parts(raw, None)
    if not parts:
        return Location(raw, workplace=workplace) if workplace else None
    if len(parts) > 3:
        return None
    place = _resolve(raw, parts, workplace)
    if place.country is None:
        return None
    if any(len(p) <= 3 and plain_name(p) not in _SHORT_COUNTRIES and not _region(p, place.country) for p in parts):
        return None
    unknown = [p for p in parts if not (_country(p) or _region(p, place.country))]
    if len(unknown) > 1 or any(not _CITY.fullmatch(p) or names_job(p) for p in unknown):
        return None
    return place


def names_place(text: str, *, cities: bool = True) -> bool:
    """True when all of ``text`` is a place: :func:`read_place` reads it, it is the name of a country's
    subdivision, which is a city's name often ("London", "Berlin", "Tokyo", "New York"), and says more than
    where in a country ("Central", "North"), or (with ``cities``) a city's (:func:`read_city`: "Seattle").
    For a part of a title after its dash, not for any text: names such as "Meta" (a Colombian department) are
    companies' too, and "Cypress" a tool's, so the caller asks about those first."""
    raw = " ".join(text.split())
    if not raw[:1].isupper():
        return False
    return (plain_name(raw) in _subdivision_names() or read_place(raw) is not None
            or (cities and read_city(raw) is not None))


def read_city(text: str) -> Location | None:
    """``text`` as a city named alone ("Seattle", "Santa Clara", "Zürich"), with its country where the name says
    it (see :mod:`kg.extract.cities`), else ``None``: no country's name ("Singapore" is the country), no job, no
    name in capitals.

    A lone name says less than :func:`read_place` asks ("Berlin, Germany"), so only where the text's layout
    says a place stands: after a title's dash, on a job board's card beside its date or kind of work.
    """
    raw = " ".join(text.split())
    if len(raw) > 40 or not raw[:1].isupper() or raw.isupper() or not _CITY.fullmatch(raw):
        return None  # in capitals, a name is an acronym or a tool's more often ("AJAX", "YARA")
    country = city_country(raw)
    if country is None or _country(raw) or names_job(raw):
        return None
    return Location(raw, city=_titled(raw), country=country or None)


#: Words of a subdivision's name that say where in its country it lies, not which place it is.
_DIRECTIONS = frozenset({
    "central", "centre", "center", "north", "south", "east", "west", "northern", "southern", "eastern", "western",
    "capital", "coast", "coastal", "upper", "lower", "middle", "inner", "outer", "island", "islands", "lakes",
})


@functools.lru_cache(maxsize=1)
def _subdivision_names() -> frozenset[str]:
    """The names of every subdivision pycountry knows, lower case, without ", City of" and such."""
    import pycountry

    names = (plain_name(sub.name.split(",")[0]) for sub in pycountry.subdivisions)
    return frozenset(name for name in names if not set(name.split()) <= _DIRECTIONS)


def names_city(text: str, start: int, end: int) -> bool:
    """True when ``text[start:end]`` is a city named before its region or country, as in a list of places
    ("Cupertino, California or Belgium"): with the next part of the list it reads as a place, of that city."""
    after = _NEXT_PART.match(text, end)
    if after is None:
        return False
    place = read_place(f"{text[start:end]}, {after.group(1)}")
    return place is not None and place.city is not None


def _workplace_and_parts(raw: str, workplace: Workplace | None) -> tuple[Workplace | None, list[str]]:
    """The kind of work a place's words say (else ``workplace``), and its parts without them and without
    noise ("Greater", "Area")."""
    if _HYBRID.search(raw):
        workplace = "hybrid"
    elif _REMOTE.search(raw):
        workplace = workplace or "remote"
    elif _ONSITE.search(raw):
        workplace = workplace or "onsite"
    rest = _HYBRID.sub(" ", _REMOTE.sub(" ", _ONSITE.sub(" ", raw)))
    parts = [p.strip(" .:-–") for p in _SPLIT.split(_NOISE.sub(" ", rest))]
    return workplace, [" ".join(p.split()) for p in parts if p.strip(" .:-–") and any(c.isalpha() for c in p)]


def location_of(fields: dict[str, Any]) -> Location | None:
    """A location from separate columns: ``city``, ``region`` (or ``state``), ``country``, ``remote``, ``location``."""
    remote = fields.get("remote")
    workplace: Workplace | None = None
    if isinstance(remote, str):
        lowered = remote.strip().lower()
        yes = ("1", "1.0", "true", "yes", "remote", "t")
        workplace = "hybrid" if "hybrid" in lowered else "remote" if lowered in yes \
            else ("onsite" if lowered in ("0", "false", "no", "f", "onsite", "on-site") and fields.get("remote_is_flag")
                  else None)
    elif remote is True or (isinstance(remote, (int, float)) and not isinstance(remote, bool) and remote == 1):
        workplace = "remote"
    city, region, country = (_text(fields.get(k)) for k in ("city", "region", "country"))
    parsed = parse_location(_text(fields.get("location")), workplace=workplace)
    if not (city or region or country):
        return parsed
    code = _country(country) if country else None
    if country and code is None and (written_place := parse_location(country)) is not None:
        code = written_place.country
    code = code or (parsed.country if parsed else None)
    region_code = None
    if region:
        found = _region(region, code)
        region_code, code = found if found else (region, code)
    written = ", ".join(p for p in (city, region, country) if p)
    return Location(
        parsed.text if parsed else written,
        city=_titled(city) or (parsed.city if parsed else None),
        region=region_code or (parsed.region if parsed else None),
        country=code,
        workplace=parsed.workplace if parsed else workplace,
    )


def _text(value: object) -> str | None:
    if value is None or isinstance(value, bool):
        return None
    text = " ".join(str(value).split())
    return text or None


def find_location_line(lines: Iterable[tuple[int, str]]) -> tuple[Location, int] | None:
    """The location of the first "Location:" line of a posting, and its line number."""
    for number, text in lines:
        if len(text) < 160 and (match := _LOCATION_LINE.match(text)):
            found = parse_location(match["value"])
            if found is not None:
                return found, number
    return None


def _resolve(raw: str, parts: list[str], workplace: Workplace | None) -> Location:
    country = region = city = None
    rest = list(parts)
    if len(rest) == 2 and (found := _region(rest[-1], None, code_only=True)):
        region, country = found  # "Austin, TX": a US state code wins over the country with that code
        rest.pop()
    elif rest and (code := _country(rest[-1])):
        country = code
        rest.pop()
    if rest and region is None:
        found = _region(rest[-1], country, named=len(rest) > 1)  # "Gurugram, Haryana", not "Berlin" alone
        if found:
            region, country = found
            if len(rest) == 1 < len(parts) and len(rest[-1]) > 3:
                city = rest[-1]  # "Berlin, Germany": a city that is also a region
            rest.pop()
    if rest:
        city = rest[0]
        if len(rest) > 1 and country is None and (code := _country(rest[1])):
            country = code
    return Location(raw, city=_titled(city), region=region, country=country, workplace=workplace)


def _titled(name: str | None) -> str | None:
    if not name:
        return None
    return name.title() if name.isupper() or name.islower() else name


def _country(name: str) -> str | None:
    """The ISO 3166-1 alpha-2 code of a country name or code, or ``None``."""
    key = plain_name(name)
    if key in _COUNTRY_ALIASES:
        return _COUNTRY_ALIASES[key]
    return _countries().get(key)


def _region(name: str, country: str | None, *, bare: bool = True, code_only: bool = False,
            named: bool = False) -> tuple[str, str] | None:
    """``(region code, country code)`` of a region name or code, in ``country`` or a likely one.

    ``code_only``: only an upper-case two-letter code of a US state counts (``TX``). ``named``: with no country,
    a region's name that one country's subdivisions have counts too, in that country (after a city: "Gurugram,
    Haryana"; alone, "Berlin" or "Meta" is a city's or a company's name as much).
    """
    key = plain_name(name)
    if code_only:
        code = _regions().get(("US", key)) if len(key) == 2 and name.strip().isupper() else None
        return (code, "US") if code else None
    regions = _regions()
    for candidate in (country,) if country else _REGION_COUNTRIES:
        code = regions.get((candidate, key))
        if code and (bare or len(key) > 2 or name.isupper()):
            return code, candidate
    if named and country is None and len(key) > 3:
        return _named_regions().get(key)
    return None


@functools.lru_cache(maxsize=1)
def _named_regions() -> dict[str, tuple[str, str]]:
    """Lower-case name -> (region code, country code) of the top-level subdivisions whose name no other country's
    subdivision has ("Haryana", "Maharashtra", "Bayern"; not "Limburg", in Belgium and the Netherlands)."""
    import pycountry

    found: dict[str, set[tuple[str, str]]] = {}
    for sub in pycountry.subdivisions:
        if not getattr(sub, "parent_code", None):
            found.setdefault(plain_name(sub.name), set()).add((sub.code.split("-", 1)[1], sub.country_code))
    return {name: next(iter(places)) for name, places in found.items() if len(places) == 1}


@functools.lru_cache(maxsize=1)
def _countries() -> dict[str, str]:
    import pycountry

    names: dict[str, str] = {}
    for country in pycountry.countries:
        for attr in ("alpha_2", "alpha_3", "name", "common_name", "official_name"):
            value = getattr(country, attr, None)
            if value:
                names.setdefault(plain_name(value), country.alpha_2)
    return names


@functools.lru_cache(maxsize=1)
def _regions() -> dict[tuple[str, str], str]:
    """(country code, lower-case region name or code) -> region code, for top-level subdivisions."""
    import pycountry

    regions: dict[tuple[str, str], str] = {}
    for sub in pycountry.subdivisions:
        if getattr(sub, "parent_code", None):
            continue
        code = sub.code.split("-", 1)[1]
        regions.setdefault((sub.country_code, code.lower()), code)
        regions.setdefault((sub.country_code, plain_name(sub.name)), code)
    return regions


def job_location(item: dict[str, Any]) -> Location | None:
    """The location of a schema.org ``JobPosting``: ``jobLocation`` (a Place, its address, or text),
    ``jobLocationType`` ``TELECOMMUTE`` and ``applicantLocationRequirements`` for remote jobs."""
    place = item.get("jobLocation")
    if isinstance(place, list):
        place = place[0] if place else None
    fields: dict[str, Any]
    if isinstance(place, dict):
        address = place.get("address", place)
        if isinstance(address, list):
            address = address[0] if address else {}
        fields = {"location": address} if isinstance(address, str) else {
            "city": _name(address.get("addressLocality")), "region": _name(address.get("addressRegion")),
            "country": _name(address.get("addressCountry"))} if isinstance(address, dict) else {}
        if not any(fields.values()) and isinstance(place.get("name"), str):
            fields = {"location": place["name"]}
    else:
        fields = {"location": place if isinstance(place, str) else None}
    kind = item.get("jobLocationType")
    kinds = kind if isinstance(kind, list) else [kind]
    if any(isinstance(k, str) and k.strip().upper() == "TELECOMMUTE" for k in kinds):
        fields["remote"] = "remote"
        if not any(fields.get(k) for k in ("location", "city", "region", "country")):
            required = item.get("applicantLocationRequirements")
            required = required[0] if isinstance(required, list) and required else required
            fields["country"] = _name(required)
    return location_of(fields)


def _name(value: object) -> str | None:
    """A schema.org value that is text or a thing with a name."""
    if isinstance(value, dict):
        value = value.get("name") or value.get("@id")
    return value.strip() if isinstance(value, str) and value.strip() else None
