"""Which column of a table or key of a JSON record holds which posting field.

A file's header is matched against the layouts people publish, without a map:

- the LinkedIn job postings data set (Kaggle): ``title, company_name, description,
  location, listed_time, min_salary, max_salary, pay_period, currency, remote_allowed, skills_desc``;
- the JobSpy scraper's CSV: ``site, job_url, title, company, location, date_posted,
  job_type, interval, min_amount, max_amount, currency, is_remote, description``;
- Glassdoor and Indeed exports: ``Job Title, Company Name, Location, Job Description``,
  ``job_title, company, location, summary, date``;
- schema.org ``JobPosting`` property names: ``title, hiringOrganization, description,
  datePosted, jobLocation, jobLocationType, baseSalary, skills, qualifications``.

``--map title=job_title,description=desc`` names the columns itself; a column of a
nested JSON record is a dotted path (``company=employer.name``).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from kg.errors import UsageError

#: The posting fields a column can hold, and the column names that mean each, best first
#: (names compared in lower case with runs of non-letters as one underscore).
FIELDS: dict[str, tuple[str, ...]] = {
    "title": ("title", "job_title", "jobtitle", "position", "position_title", "job_name", "role", "name"),
    "company": ("company", "company_name", "companyname", "hiringorganization", "hiring_organization",
                "employer", "employer_name", "organization"),
    "description": ("description", "job_description", "jobdescription", "summary", "job_summary", "body",
                    "text", "posting", "details"),
    "skills": ("skills", "skills_desc", "skill", "key_skills", "job_skills"),
    "qualifications": ("qualifications", "requirements", "experiencerequirements", "educationrequirements",
                       "required_skills"),
    "preferred": ("preferredqualifications", "preferred_qualifications", "nice_to_have", "preferred_skills"),
    "date_posted": ("date_posted", "dateposted", "listed_time", "original_listed_time", "posted_date",
                    "post_date", "posted", "posted_at", "publication_date", "created_at", "date"),
    "location": ("location", "joblocation", "job_location", "job_city_state", "place", "locations"),
    "city": ("city", "job_city", "addresslocality"),
    "region": ("region", "state", "job_state", "province", "addressregion"),
    "country": ("country", "job_country", "country_code", "addresscountry"),
    "remote": ("is_remote", "remote_allowed", "remote", "joblocationtype", "work_type", "workplace_type",
               "remote_ok"),
    "salary": ("basesalary", "estimatedsalary", "salary", "salary_estimate", "pay"),
    "salary_min": ("min_salary", "min_amount", "salary_min", "minimum_salary", "salary_from", "min_pay"),
    "salary_max": ("max_salary", "max_amount", "salary_max", "maximum_salary", "salary_to", "max_pay"),
    "currency": ("currency", "salary_currency", "salarycurrency"),
    "period": ("pay_period", "interval", "salary_period", "period", "salary_interval", "unittext"),
    "url": ("url", "job_url", "job_posting_url", "link", "posting_url"),
}

#: Layouts recognised by their tell-tale columns, for the summary ("read as the JobSpy layout").
LAYOUTS: tuple[tuple[str, frozenset[str]], ...] = (
    ("JobSpy", frozenset({"site", "job_url", "min_amount", "max_amount", "interval"})),
    ("LinkedIn job postings (Kaggle)", frozenset({"company_name", "listed_time", "max_salary", "pay_period"})),
    ("Glassdoor", frozenset({"job_title", "company_name", "job_description", "salary_estimate"})),
    ("Indeed", frozenset({"job_title", "company", "summary"})),
    ("schema.org JobPosting", frozenset({"title", "hiringorganization"})),
)

_NON_WORD = re.compile(r"[^0-9a-z]+")


def normalise_column(name: str) -> str:
    """A column name as compared: ``Job Title`` -> ``job_title``, ``datePosted`` -> ``dateposted``."""
    return _NON_WORD.sub("_", name.strip().lower()).strip("_")


@dataclass(frozen=True)
class ColumnMap:
    """Posting field -> column (a dotted path into nested records), and the layout it was taken for."""

    columns: dict[str, str] = field(default_factory=dict)
    layout: str | None = None

    def value(self, row: Mapping[str, object], name: str) -> object:
        """The value of field ``name`` in a row (``None`` when unmapped or empty)."""
        column = self.columns.get(name)
        if column is None:
            return None
        if column in row:
            return _blank_to_none(row[column])
        value: object = row
        for part in column.split("."):
            if not isinstance(value, Mapping):
                return None
            value = value.get(part)
        return _blank_to_none(value)


def parse_map(text: Sequence[str] | str | None) -> dict[str, str]:
    """``title=job_title,description=desc`` (one or several options) as a dict.

    Raises:
        UsageError: a pair without ``=`` or a field kg does not know.
    """
    items = [text] if isinstance(text, str) else list(text or ())
    mapping: dict[str, str] = {}
    for item in items:
        for pair in item.split(","):
            if not pair.strip():
                continue
            name, sep, column = pair.partition("=")
            name, column = name.strip().lower(), column.strip()
            if not sep or not column:
                raise UsageError(f"malformed --map {pair.strip()!r}: expected FIELD=COLUMN")
            if name not in FIELDS:
                raise UsageError(f"--map: unknown field {name!r}; fields: {', '.join(FIELDS)}")
            mapping[name] = column
    return mapping


def column_map(header: Sequence[str], explicit: Mapping[str, str] | None = None) -> ColumnMap:
    """The column of each field for a header: the explicit map first, then the known names.

    Columns the explicit map names must exist in the header, unless they are dotted
    paths into nested records.

    Raises:
        UsageError: a mapped column is not in the header (the message lists the header).
    """
    by_key: dict[str, str] = {}
    for column in header:
        by_key.setdefault(normalise_column(column), column)
    columns: dict[str, str] = {}
    for name, column in (explicit or {}).items():
        if column not in header and normalise_column(column) not in by_key and "." not in column:
            raise UsageError(f"--map {name}={column}: no column {column!r}; the columns are: {', '.join(header)}")
        columns[name] = column if column in header or "." in column else by_key[normalise_column(column)]
    taken = set(columns.values())
    for name, names in FIELDS.items():
        if name in columns:
            continue
        for candidate in names:
            found = by_key.get(candidate)
            if found is not None and found not in taken:
                columns[name] = found
                taken.add(found)
                break
    keys = set(by_key)
    layout = next((name for name, tell in LAYOUTS if tell <= keys), None)
    return ColumnMap(columns, "your --map" if explicit else layout)


def _blank_to_none(value: object) -> object:
    if value is None:
        return None
    if isinstance(value, str) and not value.strip():
        return None
    if isinstance(value, float) and math.isnan(value):  # NaN, as pandas writes empty cells
        return None
    return value
