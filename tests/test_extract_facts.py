"""Facts besides skills: salary, years, degrees, human languages, company, title and role."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.extract import Vocabulary, extract_text
from kg.extract.facts import find_degrees, find_languages, find_salary, find_years
from kg.models import Salary

DATA = Path(__file__).parent / "data"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Base pay for the job sits between $189,800 and $346,300.", Salary(189800, 346300, "USD", "year")),
        ("Salary band: 148,000 USD - 276,000 USD plus equity.", Salary(148000, 276000, "USD", "year")),
        ("Monthly salary offered: $6431-$8642 for postdocs.", Salary(6431, 8642, "USD", "month")),
        ("Pay range €50k–€60k per year.", Salary(50000, 60000, "EUR", "year")),
        ("Hourly wage of $40 to $55.", Salary(40, 55, "USD", "hour")),
        ("Base salary $120-150K.", Salary(120000, 150000, "USD", "year")),
        ("Yearly or hourly range: $154,125 - $256,875.", Salary(154125, 256875, "USD", "year")),
        # dollars other than the US dollar, and codes before the amount (all were no salary, or a US one)
        ("Salary: CA$140k - CA$170k", Salary(140000, 170000, "CAD", "year")),
        ("Base pay A$120,000 - A$140,000 plus super.", Salary(120000, 140000, "AUD", "year")),
        ("Monthly salary S$6,000 - S$8,000.", Salary(6000, 8000, "SGD", "month")),
        ("Salary range: CAD 120,000 - 150,000", Salary(120000, 150000, "CAD", "year")),
        ("Salary: 95,000 - 110,000 NZD", Salary(95000, 110000, "NZD", "year")),
        ("$155,000/yr - $185,000/yr", Salary(155000, 185000, "USD", "year")),  # a job board's card: no other word
        ("$42/hr - $55/hr", Salary(42, 55, "USD", "hour")),
        # rupees as Indian postings write them: the sign, "Rs.", lakh grouping, lakh and LPA (none was read)
        ("Salary: ₹6,00,000 - ₹9,00,000 per year", Salary(600000, 900000, "INR", "year")),
        ("CTC: 6-9 LPA", Salary(600000, 900000, "INR", "year")),
        ("Salary 12 - 18 lakhs per annum", Salary(1200000, 1800000, "INR", "year")),
        ("Stipend Rs. 25,000 - 35,000 per month", Salary(25000, 35000, "INR", "month")),
        ("Pay: ₹8L - ₹12L", Salary(800000, 1200000, "INR", "year")),
        ("Salary range: INR 1,200,000 - 1,800,000", Salary(1200000, 1800000, "INR", "year")),
    ],
)
def test_salary_ranges(text: str, expected: Salary) -> None:
    assert find_salary(text) == expected


@pytest.mark.parametrize(
    "text",
    ["We raised $10M - $20M last year.", "Teams of 5-10 people.", "Salary is competitive."],
)
def test_no_salary(text: str) -> None:
    assert find_salary(text) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("5+ years of experience in data work", [5]),
        ("At least three years of industry experience", [3]),
        ("5-7 years of professional experience", [5]),
        ("2 years with SQL", [2]),
        ("A full-time 3 year, postdoctoral appointment", []),
        ("Founded 20 years ago, we have grown", []),
        ("A 24-year track record", []),
    ],
)
def test_years_of_experience(text: str, expected: list[int]) -> None:
    assert [y.years for y in find_years(text)] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("BS/MS in computer science", {"Bachelor", "Master"}),
        ("A Ph.D. is preferred", {"PhD"}),
        ("Bachelor's degree or MBA", {"Bachelor", "MBA"}),
        ("Master’s in statistics", {"Master"}),
        ("Comfort with MS Office and LLAMA models", set()),
    ],
)
def test_degrees(text: str, expected: set[str]) -> None:
    assert find_degrees(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Able to speak Mandarin or Korean with clients", {"Mandarin", "Korean"}),
        ("Working language: Japanese", {"Japanese"}),
        ("Fluent English is needed", {"English"}),
        ("Natural language processing of English text", set()),
        ("Our Japanese customers", set()),
    ],
)
def test_human_languages(text: str, expected: set[str]) -> None:
    assert find_languages(text) == expected


@pytest.mark.parametrize(
    ("text", "company", "iri"),
    [
        ("Data Engineer (Globex)\nWe need SQL.", "Globex", "company/globex"),
        ("Data Engineer · Initech · Berlin\nWe need SQL.", "Initech", "company/initech"),
        ("Data Engineer at Hooli Labs\nWe need SQL.", "Hooli Labs", "company/hooli-labs"),
        ("Data Engineer\nWe need SQL.\nAbout Hooli\nHooli makes phones.", "Hooli", "company/hooli"),
        ("Data Engineer\nAs an engineer at Pied Piper, you will write SQL.", "Pied Piper", "company/pied-piper"),
        # a known company is the employer only where the text says it hires (issue 13)
        ("Data Engineer\nYou will work with Northwind on SQL.", None, None),
        ("Data Engineer\nJoin Northwind and write SQL.", "Northwind Robotics", "company/northwind"),
        ("Data Engineer (Remote)\nWe need SQL at scale.", None, None),
        ("Data Engineer\nPublications at NeurIPS, ICML or similar.", None, None),
    ],
)
def test_company(text: str, company: str | None, iri: str | None, vocab: Vocabulary) -> None:
    [posting] = extract_text(text, "c.txt", vocab=vocab)
    assert posting.company == company
    assert posting.company_iri == (f"https://w3id.org/jobkg/id/{iri}" if iri else None)


@pytest.mark.parametrize(
    ("text", "title", "role"),
    [
        ("Senior Data Scientist\nPython daily.", "Senior Data Scientist", "Data scientist"),
        ("Software Engineer, Machine Learning (Initech)\nPython.", "Software Engineer, Machine Learning",
         "Machine learning engineer"),
        ("Lead Big Data Engineer\nSpark.", "Lead Big Data Engineer", "Data engineer"),
        ("We are looking for a Solution Architect to help customers with Python.", None, "Solutions architect"),
        ("Chief Happiness Officer\nSmiles.", "Chief Happiness Officer", None),
        # the words of a role's label, in another order and with other words between
        ("Engineer II, Machine Learning\nPython.", "Engineer II, Machine Learning", "Machine learning engineer"),
        ("Staff Developer - Big Data Platform\nSpark.", "Staff Developer - Big Data Platform", "Data engineer"),
        ("Scientist, Data\nPython.", "Scientist, Data", "Data scientist"),
    ],
)
def test_title_and_role(text: str, title: str | None, role: str | None, vocab: Vocabulary) -> None:
    [posting] = extract_text(text, "r.txt", vocab=vocab)
    assert (posting.title, posting.role) == (title, role)
    if role:
        assert posting.role_iri is not None and posting.role_iri.startswith("https://w3id.org/jobkg/id/role/")


def test_company_description_names_no_skills(vocab: Vocabulary) -> None:
    text = "Data Engineer (Globex)\nGlobex builds Kafka tooling for banks.\nYou will write SQL."
    [posting] = extract_text(text, "d.txt", vocab=vocab)
    assert [m.label for m in posting.skills] == ["SQL"]


def test_a_skill_named_like_the_company_counts_only_as_a_skill(vocab: Vocabulary) -> None:
    text = "Data Engineer at Spark\nSpark customers love us.\nExperience with Spark and SQL."
    [posting] = extract_text(text, "h.txt", vocab=vocab)
    assert posting.company == "Spark" and {m.label for m in posting.skills} == {"Apache Spark", "SQL"}
    text = "Data Engineer at Spark\nSpark customers love us.\nYou will write SQL."
    [posting] = extract_text(text, "h.txt", vocab=vocab)
    assert posting.company == "Spark" and {m.label for m in posting.skills} == {"SQL"}
    # in brackets after a title, a skill's name is what the job is about, as after a dash, not who hires
    [posting] = extract_text("Data Engineer (Spark)\nExperience with Spark and SQL.", "h.txt", vocab=vocab)
    assert posting.company is None and {m.label for m in posting.skills} == {"Apache Spark", "SQL"}
