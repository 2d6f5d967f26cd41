"""What extraction finds in a job posting, as plain dataclasses (no rdflib).

``Posting.to_json`` gives the JSON contract of ``kg extract --format json``;
``Posting.to_facts`` gives the facts-only form kept in ``data/seed-postings.json``
(no titles, no sentences: a skill's mentions are ``[line, start, end]`` without their text),
and ``Posting.from_facts`` reads it back.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

Level = Literal["required", "preferred"]
Period = Literal["year", "month", "hour"]
Workplace = Literal["remote", "hybrid", "onsite"]

REQUIRED: Level = "required"
PREFERRED: Level = "preferred"


@dataclass(frozen=True, slots=True)
class TextSpan:
    """One place a skill is named: the 1-based line, the 0-based start and (exclusive) end column, the text.

    Columns count characters of the line as read (``line_text[start:end] == text``); in JSON-LD they
    count in the text of the field, HTML stripped, that the line number points to. ``text`` is None
    where it is not kept (the seed-corpus facts file).
    """

    line: int
    start: int
    end: int
    text: str | None = None

    def to_json(self) -> dict[str, Any]:
        """The span as in the JSON contract."""
        return {"line": self.line, "start": self.start, "end": self.end, "text": self.text}


@dataclass(frozen=True, slots=True)
class SkillMention:
    """One skill a posting asks for: its canonical label and IRI, level, line, years, and where it is named."""

    label: str
    iri: str
    level: Level
    line: int
    years: int | None = None
    mentions: tuple[TextSpan, ...] = ()

    def to_json(self) -> dict[str, Any]:
        """The mention as in the JSON contract."""
        return {
            "label": self.label,
            "iri": self.iri,
            "level": self.level,
            "line": self.line,
            "years": self.years,
            "mentions": [span.to_json() for span in self.mentions],
        }


@dataclass(frozen=True, slots=True)
class Salary:
    """A pay range: minimum, maximum, ISO currency code (None when the posting does not say) and period."""

    min: float
    max: float
    currency: str | None
    period: Period

    def to_json(self) -> dict[str, Any]:
        """The salary as in the JSON contract (whole numbers as int)."""
        return {"min": _number(self.min), "max": _number(self.max), "currency": self.currency, "period": self.period}


@dataclass(frozen=True, slots=True)
class Location:
    """Where a job is: city, region and country (ISO 3166 code when known), and remote or hybrid work.

    ``text`` is the place as the posting wrote it.
    """

    text: str
    city: str | None = None
    region: str | None = None
    country: str | None = None
    workplace: Workplace | None = None

    def to_json(self) -> dict[str, Any]:
        """The location as in the JSON contract."""
        return {"text": self.text, "city": self.city, "region": self.region, "country": self.country,
                "workplace": self.workplace}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Location:
        """Read a location back from :meth:`to_json` output."""
        return cls(data["text"], data.get("city"), data.get("region"), data.get("country"), data.get("workplace"))

    @property
    def label(self) -> str:
        """A short name for tables: ``Berlin, DE``, ``remote (US)``, or the text as written."""
        place = ", ".join(part for part in (self.city, self.region, self.country) if part)
        if self.workplace in ("remote", "hybrid"):
            return f"{self.workplace} ({place})" if place else self.workplace
        return place or self.text


@dataclass(slots=True)
class Posting:
    """One job posting found in a source, with everything extracted from it.

    ``id`` is a stable content key: the same posting text gives the same id. The
    ``*_iri`` fields are not part of the JSON contract; they carry the vocabulary
    IRIs that the graph builder needs.
    """

    id: str
    source: str
    line: int
    end_line: int
    title: str | None = None
    role: str | None = None
    role_iri: str | None = None
    company: str | None = None
    company_iri: str | None = None
    domain: str | None = None
    domain_iri: str | None = None
    skills: list[SkillMention] = field(default_factory=list)
    min_years: int | None = None
    degrees: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    salary: Salary | None = None
    duplicate_of: str | None = None
    date_posted: str | None = None
    location: Location | None = None
    row: int | None = None
    unknown: list[TextSpan] = field(default_factory=list)  # spans read as skills that name no vocabulary skill

    @property
    def required(self) -> list[SkillMention]:
        """The mentions at level required."""
        return [m for m in self.skills if m.level == REQUIRED]

    @property
    def preferred(self) -> list[SkillMention]:
        """The mentions at level preferred."""
        return [m for m in self.skills if m.level == PREFERRED]

    def to_json(self) -> dict[str, Any]:
        """The posting exactly as in the ``kg extract`` JSON contract."""
        return {
            "id": self.id,
            "source": self.source,
            "line": self.line,
            "end_line": self.end_line,
            "title": self.title,
            "role": self.role,
            "company": self.company,
            "domain": self.domain,
            "skills": [m.to_json() for m in self.skills],
            "min_years": self.min_years,
            "degrees": list(self.degrees),
            "languages": list(self.languages),
            "salary": self.salary.to_json() if self.salary else None,
            "duplicate_of": self.duplicate_of,
            "date_posted": self.date_posted,
            "location": self.location.to_json() if self.location else None,
            "row": self.row,
        }

    @property
    def where(self) -> str:
        """Where in its source the posting is: ``file:line``, or ``file row N`` for a row of a table."""
        return f"{self.source} row {self.row}" if self.row is not None else f"{self.source}:{self.line}"

    def to_row(self) -> dict[str, Any]:
        """A flat row for tables: one cell per fact, skills joined by commas."""
        salary = self.salary
        return {
            "id": self.id,
            "source": self.where,
            "title": self.title or "",
            "role": self.role or "",
            "company": self.company or "",
            "domain": self.domain or "",
            "required": ", ".join(m.label for m in self.required),
            "preferred": ", ".join(m.label for m in self.preferred),
            "min_years": "" if self.min_years is None else str(self.min_years),
            "degrees": ", ".join(self.degrees),
            "languages": ", ".join(self.languages),
            "salary": "" if salary is None else _salary_text(salary),
            "posted": self.date_posted or "",
            "location": self.location.label if self.location else "",
            "duplicate_of": self.duplicate_of or "",
        }

    def to_facts(self) -> dict[str, Any]:
        """Facts only, for the seed-corpus data file: no title, no heading text, skills by IRI.

        The date, the place and the row appear only when the posting has them.
        """
        facts = {
            "id": self.id,
            "source": self.source,
            "line": self.line,
            "end_line": self.end_line,
            "role": self.role,
            "role_iri": self.role_iri,
            "company": self.company,
            "company_iri": self.company_iri,
            "domain_iri": self.domain_iri,
            "skills": [
                {"iri": m.iri, "level": m.level, "line": m.line, "years": m.years,
                 "mentions": [[span.line, span.start, span.end] for span in m.mentions]}
                for m in self.skills
            ],
            "min_years": self.min_years,
            "degrees": list(self.degrees),
            "languages": list(self.languages),
            "salary": self.salary.to_json() if self.salary else None,
            "duplicate_of": self.duplicate_of,
        }
        if self.date_posted:
            facts["date_posted"] = self.date_posted
        if self.location:
            facts["location"] = self.location.to_json()
        if self.row is not None:
            facts["row"] = self.row
        return facts

    @classmethod
    def from_facts(cls, data: dict[str, Any]) -> Posting:
        """Read a posting back from :meth:`to_facts` (or :meth:`to_json`) output."""
        salary = data.get("salary")
        return cls(
            id=data["id"],
            source=data["source"],
            line=int(data["line"]),
            end_line=int(data["end_line"]),
            title=data.get("title"),
            role=data.get("role"),
            role_iri=data.get("role_iri"),
            company=data.get("company"),
            company_iri=data.get("company_iri"),
            domain=data.get("domain"),
            domain_iri=data.get("domain_iri"),
            skills=[
                SkillMention(m.get("label") or _local(m["iri"]), m["iri"], m["level"], int(m["line"]), m.get("years"),
                             tuple(_span(span) for span in m.get("mentions", ())))
                for m in data.get("skills", [])
            ],
            min_years=data.get("min_years"),
            degrees=list(data.get("degrees", [])),
            languages=list(data.get("languages", [])),
            salary=Salary(salary["min"], salary["max"], salary["currency"], salary["period"]) if salary else None,
            duplicate_of=data.get("duplicate_of"),
            date_posted=data.get("date_posted"),
            location=Location.from_json(data["location"]) if data.get("location") else None,
            row=data.get("row"),
        )


def postings_to_json(postings: list[Posting]) -> dict[str, Any]:
    """The top-level JSON document of ``kg extract``: ``{"postings": [...]}``."""
    return {"postings": [p.to_json() for p in postings]}


def _span(data: Any) -> TextSpan:
    """A span from the JSON contract (an object) or the facts file (``[line, start, end]``)."""
    if isinstance(data, dict):
        return TextSpan(int(data["line"]), int(data["start"]), int(data["end"]), data.get("text"))
    line, start, end = data
    return TextSpan(int(line), int(start), int(end))


def _salary_text(salary: Salary) -> str:
    """A salary in one cell: ``120000-150000 USD/year``."""
    currency = f" {salary.currency}" if salary.currency else ""
    return f"{_number(salary.min)}-{_number(salary.max)}{currency}/{salary.period}"


def _number(value: float) -> int | float:
    """A whole float as int, so 148000.0 prints as 148000."""
    return int(value) if float(value).is_integer() else value


def _local(iri: str) -> str:
    """The last segment of an IRI, standing in for a label the facts file leaves out."""
    return iri.rstrip("/").rsplit("/", 1)[-1]
