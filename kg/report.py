"""The report page: which skills are in demand, where, and how firmly — as offline HTML with SVG charts.

:func:`report_data` gathers the numbers with the ``report-*`` named queries;
:func:`report_page` draws them. Counts come from job postings when the graph
has any, and from the curated role profiles otherwise; the page says which.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from kg import palette, queries
from kg.charts import Bar, Series, bar_chart, largest
from kg.html import render
from kg.numbers import THIN_POSTINGS, is_thin, percent

if TYPE_CHECKING:
    from kg.source import GraphSource

#: Skills per domain and per company in the charts.
TOP_SKILLS = 8
#: Companies in the "roles per company" chart.
TOP_COMPANIES = 40
#: Companies whose skill charts show before "more companies" (the rest fold away).
FIRST_COMPANIES = 12

LEVELS = (Series("required", "required"), Series("preferred", "preferred"))
ROLES = (Series("roles", "roles"),)
TYPES = ("Role", "Skill", "Company", "Domain", "JobPosting")


def report_data(db: GraphSource, top: int = TOP_SKILLS) -> dict[str, Any]:
    """The numbers behind the report, as plain data (JSON-ready).

    Returns:
        ``totals`` (nodes per class), ``evidence`` (``"postings"`` or ``"roles"``: what
        the skill counts count), ``domains`` and ``companies`` (each an ``iri`` and
        ``label`` with its ``top`` skills as ``{"label", "required", "preferred"}``;
        companies also with ``roles`` and ``postings``), ``roles_per_company``
        (``{"iri", "label", "roles", "postings"}``), ``levels`` (per role: ``iri``, ``label``,
        and the ``required`` and ``preferred`` skills of its profile) and ``posting_levels`` (per role: required
        and preferred skill mentions in its postings; empty without postings).
    """
    totals = {row["class"]: row["count"] for row in _rows(db, "class-counts") if row["class"] in TYPES}
    totals = {kind: totals.get(kind, 0) for kind in TYPES}
    evidence = "postings" if totals["JobPosting"] else "roles"
    domains = _top_skills(_rows(db, "report-domain-skills"), "domain", "domainLabel", evidence, top)
    companies = _top_skills(_rows(db, "report-company-skills"), "company", "companyLabel", evidence, top)
    per_company = [{"iri": row["company"], "label": row["label"], "roles": row["roles"], "postings": row["postings"]}
                   for row in _rows(db, "report-company-roles")]
    counts = {item["iri"]: item for item in per_company}
    for company in companies:
        found = counts.get(company["iri"], {})
        company.update(roles=found.get("roles", 0), postings=found.get("postings", 0))
    companies.sort(key=lambda c: (-c["roles"], -c["postings"], c["label"].casefold(), c["label"]))
    levels, posting_levels = [], []
    for row in _rows(db, "report-role-levels"):
        if row["required_skills"] or row["preferred_skills"]:
            levels.append({"iri": row["role"], "label": row["label"], "required": row["required_skills"],
                           "preferred": row["preferred_skills"]})
        if row["required_mentions"] or row["preferred_mentions"]:
            posting_levels.append({"iri": row["role"], "label": row["label"], "required": row["required_mentions"],
                                   "preferred": row["preferred_mentions"]})
    return {
        "totals": totals,
        "evidence": evidence,
        "domains": domains,
        "companies": companies,
        "roles_per_company": [c for c in per_company if c["roles"] or c["postings"]],
        "levels": levels,
        "posting_levels": posting_levels,
    }


def report_page(data: dict[str, Any]) -> str:
    """The report as one self-contained HTML page; the same data always gives the same text.

    The skill charts of a section (every domain, every company) share one scale, so
    that 2 postings never draw as long as 39.
    """
    unit = "postings" if data["evidence"] == "postings" else "roles"
    skill_charts = {}
    for section in ("domains", "companies"):
        groups = [group for group in data[section] if group["skills"]]
        bars = [_level_bars(group["skills"]) for group in groups]
        scale = largest(bars)
        skill_charts[section] = [
            {"title": group["label"], "postings": group.get("postings"),
             "thin": data["evidence"] == "postings" and "postings" in group and is_thin(group["postings"]),
             "chart": bar_chart(f"Top skills: {group['label']}", group_bars, LEVELS, unit=unit, scale=scale)}
            for group, group_bars in zip(groups, bars, strict=True)]
    per_company = data["roles_per_company"][:TOP_COMPANIES]
    counted = data["evidence"] == "postings"
    company_bars = [Bar(c["label"], (c["roles"],), _postings(c["postings"]), c["postings"] if counted else None)
                    for c in per_company]
    return render(
        "report.html.j2",
        totals=data["totals"],
        evidence=data["evidence"],
        unit=unit,
        levels_series=LEVELS,
        domain_charts=skill_charts["domains"],
        company_charts=skill_charts["companies"],
        roles_chart=bar_chart("Roles per company", company_bars, ROLES, unit="roles"),
        shown_companies=len(per_company),
        first_companies=FIRST_COMPANIES,
        more_companies=max(0, len(data["roles_per_company"]) - len(per_company)),
        levels_chart=bar_chart("Required and preferred skills per role profile", _share_bars(data["levels"]), LEVELS,
                               percent=True, unit="required"),
        posting_levels_chart=(bar_chart("Required and preferred skill mentions in postings, per role",
                                        _share_bars(data["posting_levels"]), LEVELS, percent=True, unit="required")
                              if data["posting_levels"] else None),
        overall=_overall(data["levels"]),
        thin_limit=THIN_POSTINGS,
        palette=palette,
    )


def _rows(db: GraphSource, name: str) -> list[dict[str, Any]]:
    return queries.rows(queries.run(db, queries.resolve(name), {}))


def _top_skills(rows: Iterable[dict[str, Any]], key: str, label: str, evidence: str, top: int) -> list[dict[str, Any]]:
    """Group per-skill rows by ``key`` and keep the ``top`` skills of each, most asked for first."""
    groups: dict[str, dict[str, Any]] = {}
    skills: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        groups.setdefault(row[key], {"label": row[label]})
        required, preferred = row[f"required_{evidence}"], row[f"preferred_{evidence}"]
        other = row["required_roles"] + row["preferred_roles"] + row["required_postings"] + row["preferred_postings"]
        if required or preferred:
            skills[row[key]].append({"label": row["label"], "required": required, "preferred": preferred,
                                     "_rank": (-(required + preferred), -required, -other, row["label"].casefold(),
                                               row["skill"])})
    result = []
    for iri in sorted(groups, key=lambda i: (groups[i]["label"].casefold(), i)):
        ranked = sorted(skills[iri], key=lambda s: s["_rank"])[:top]
        result.append({"iri": iri, "label": groups[iri]["label"],
                       "skills": [{k: v for k, v in s.items() if k != "_rank"} for s in ranked]})
    return result


def _level_bars(items: Iterable[dict[str, Any]], flag: bool = False) -> list[Bar]:
    """Bars of required and preferred counts; with ``flag``, a bar resting on few items is marked thin."""
    return [Bar(item["label"], (item["required"], item["preferred"]),
                postings=item["required"] + item["preferred"] if flag else None) for item in items]


def _share_bars(items: Iterable[dict[str, Any]]) -> list[Bar]:
    """Bars of required and preferred counts, the most required share first."""
    def share(item: dict[str, Any]) -> float:
        total = item["required"] + item["preferred"]
        return item["required"] / total if total else 0.0

    ranked = sorted(items, key=lambda item: (-share(item), item["label"].casefold(), item["label"]))
    return _level_bars(ranked, flag=True)


def _postings(count: int) -> str:
    return "" if not count else f"{count:,} posting{'s' if count != 1 else ''}"


def _overall(levels: list[dict[str, Any]]) -> dict[str, Any]:
    required = sum(item["required"] for item in levels)
    preferred = sum(item["preferred"] for item in levels)
    total = required + preferred
    return {"required": required, "preferred": preferred, "share": percent(required / total) if total else "–"}
