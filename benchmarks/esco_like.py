"""A synthetic graph the size of ESCO (or N times it), in kg's ontology, the same for the same seed.

At scale 1: 3,000 roles, 14,000 skills, 1,000 companies and 60 domains, each
role requiring or preferring 42 skills (126,000 links, popular skills drawn
more often), companies hiring roles, skill and domain hierarchies, and a few
hundred postings with skill mentions, salaries and the derived skill demand,
so that every named query has something to answer. About 186,000 triples.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass
from itertools import accumulate
from pathlib import Path

import pyoxigraph as ox

from kg.namespaces import (
    COMPANY,
    DEMAND,
    DOMAIN,
    KG,
    POSTING,
    PREFIXES,
    PROV,
    RDF,
    ROLE,
    SCHEMA,
    SKILL,
    SKOS,
    SOURCE,
    XSD,
)

ROLES, SKILLS, COMPANIES, DOMAINS = 3_000, 14_000, 1_000, 60
SKILLS_PER_ROLE, REQUIRED_PER_ROLE = 42, 28
TOP_DOMAINS = 12
HIRES_PER_COMPANY = 2
POSTINGS, SOURCES, MENTIONS_PER_POSTING = 120, 30, 4

_WORDS = ("data", "model", "cloud", "network", "design", "test", "safety", "quality", "customer", "budget",
          "circuit", "signal", "vision", "language", "security", "supply", "energy", "clinical", "legal", "media",
          "robot", "sensor", "storage", "compiler", "kernel", "market", "risk", "audit", "team", "project")
_KINDS = ("analysis", "engineering", "management", "operations", "modelling", "planning", "programming",
          "research", "reporting", "architecture", "automation", "validation")
_JOBS = ("engineer", "analyst", "manager", "scientist", "technician", "designer", "consultant", "specialist")

T = ox.NamedNode
TYPE, PREF, ALT, BROADER = T(RDF + "type"), T(SKOS + "prefLabel"), T(SKOS + "altLabel"), T(SKOS + "broader")


@dataclass(frozen=True)
class Sample:
    """Labels that make each named query return rows on the generated graph."""

    role: str
    role2: str
    skill: str
    company: str
    domain: str

    def params(self) -> dict[str, str]:
        """Values for every parameter name the named queries use."""
        return {"role": self.role, "role1": self.role, "role2": self.role2, "skill": self.skill,
                "company": self.company, "domain": self.domain, "root": self.domain, "top": "3", "name": self.skill}


def _label(text: str) -> ox.Literal:
    return ox.Literal(text, language="en")


def generate(scale: int = 1, seed: int = 20240601) -> tuple[list[ox.Triple], Sample]:
    """The triples of the graph at ``scale`` times ESCO's size, and labels to query it with."""
    rng = random.Random(seed)
    roles = [T(f"{ROLE}r{i:06d}") for i in range(ROLES * scale)]
    skills = [T(f"{SKILL}s{i:07d}") for i in range(SKILLS * scale)]
    companies = [T(f"{COMPANY}c{i:05d}") for i in range(COMPANIES * scale)]
    domains = [T(f"{DOMAIN}d{i:04d}") for i in range(DOMAINS * scale)]
    out: list[ox.Triple] = []
    add = out.append

    top = TOP_DOMAINS * scale
    for i, domain in enumerate(domains):
        add(ox.Triple(domain, TYPE, T(KG + "Domain")))
        add(ox.Triple(domain, PREF, _label(f"{_WORDS[i % len(_WORDS)]} {_KINDS[i % len(_KINDS)]} domain {i}")))
        if i >= top:
            add(ox.Triple(domain, BROADER, domains[i % top]))

    for i, skill in enumerate(skills):
        add(ox.Triple(skill, TYPE, T(KG + "Skill")))
        add(ox.Triple(skill, PREF, _label(f"{rng.choice(_WORDS)} {rng.choice(_KINDS)} {i}")))
        add(ox.Triple(skill, T(KG + "partOfDomain"), domains[top + rng.randrange(len(domains) - top)]))
        if i % 10 == 3:
            add(ox.Triple(skill, ALT, _label(f"{_WORDS[i % len(_WORDS)]}-{i}")))
        if i % 25 == 7:
            add(ox.Triple(skill, BROADER, skills[rng.randrange(i)]))

    # popular skills are drawn more often (a Zipf-like tail), as in ESCO's occupation profiles
    weights = list(accumulate(1.0 / (rank + 20) for rank in range(len(skills))))
    profiles: list[list[ox.NamedNode]] = []
    for i, role in enumerate(roles):
        add(ox.Triple(role, TYPE, T(KG + "Role")))
        add(ox.Triple(role, PREF, _label(f"{_WORDS[i % len(_WORDS)]} {_JOBS[(i // 30) % len(_JOBS)]} {i}")))
        if i % 2 == 0:
            add(ox.Triple(role, ALT, _label(f"{_JOBS[i % len(_JOBS)]} of {_WORDS[(i // 8) % len(_WORDS)]} {i}")))
        chosen: dict[ox.NamedNode, None] = {skills[0]: None} if i < 2 else {}
        while len(chosen) < SKILLS_PER_ROLE:
            chosen.update(dict.fromkeys(rng.choices(skills, cum_weights=weights, k=SKILLS_PER_ROLE - len(chosen))))
        profile = list(chosen)
        profiles.append(profile)
        for rank, skill in enumerate(profile):
            level = "requiresSkill" if rank < REQUIRED_PER_ROLE else "prefersSkill"
            add(ox.Triple(role, T(KG + level), skill))

    hired: list[list[int]] = []
    for i, company in enumerate(companies):
        add(ox.Triple(company, TYPE, T(KG + "Company")))
        add(ox.Triple(company, PREF, _label(f"{_WORDS[i % len(_WORDS)].title()} {_JOBS[i % len(_JOBS)].title()}s {i}")))
        picks = [0] if i == 0 else []
        picks += rng.sample(range(len(roles)), HIRES_PER_COMPANY - len(picks))
        hired.append(picks)
        for r in picks:
            add(ox.Triple(company, T(KG + "hires"), roles[r]))

    out.extend(_postings(rng, scale, roles, companies, profiles, hired))
    sample = Sample(role=f"{_WORDS[0]} {_JOBS[0]} 0", role2=f"{_WORDS[1]} {_JOBS[0]} 1",
                    skill=next(t.object.value for t in out if t.subject == skills[0] and t.predicate == PREF),
                    company=f"{_WORDS[0].title()} {_JOBS[0].title()}s 0", domain=f"{_WORDS[0]} {_KINDS[0]} domain 0")
    return out, sample


def _postings(rng: random.Random, scale: int, roles: list[ox.NamedNode], companies: list[ox.NamedNode],
              profiles: list[list[ox.NamedNode]], hired: list[list[int]]) -> list[ox.Triple]:
    """Postings with mentions, salaries and sources, and the skill demand they show per role."""
    out: list[ox.Triple] = []
    add = out.append
    sources = [T(f"{SOURCE}f{i:05d}") for i in range(SOURCES * scale)]
    for i, source in enumerate(sources):
        add(ox.Triple(source, TYPE, T(KG + "SourceDocument")))
        add(ox.Triple(source, T(KG + "sourceFile"), ox.Literal(f"postings/batch-{i:05d}.md")))
    demand: Counter[tuple[int, int]] = Counter()
    per_role: Counter[int] = Counter()
    for i in range(POSTINGS * scale):
        c = 0 if i < 2 else rng.randrange(len(companies))
        r = hired[c][0] if i < 2 else rng.choice(hired[c])
        posting = T(f"{POSTING}p{i:06d}")
        add(ox.Triple(posting, TYPE, T(KG + "JobPosting")))
        add(ox.Triple(posting, T(KG + "forRole"), roles[r]))
        add(ox.Triple(posting, T(KG + "postedBy"), companies[c]))
        add(ox.Triple(posting, T(KG + "startLine"), _integer(10 * i + 1)))
        add(ox.Triple(posting, T(PROV + "wasDerivedFrom"), sources[i % len(sources)]))
        per_role[r] += 1
        asked = [0, *rng.sample(range(1, SKILLS_PER_ROLE), MENTIONS_PER_POSTING - 1)]
        for n, k in enumerate(asked):
            skill = profiles[r][k]
            required = k < REQUIRED_PER_ROLE
            add(ox.Triple(posting, T(KG + ("requiresSkill" if required else "prefersSkill")), skill))
            mention = T(f"{posting.value}/mention/{n}")
            add(ox.Triple(posting, T(KG + "mentions"), mention))
            add(ox.Triple(mention, TYPE, T(KG + "SkillMention")))
            add(ox.Triple(mention, T(KG + "skill"), skill))
            add(ox.Triple(mention, T(KG + "level"), T(KG + ("Required" if required else "Preferred"))))
            add(ox.Triple(mention, T(KG + "startLine"), _integer(10 * i + 2 + n)))
            if n % 2 == 0:
                add(ox.Triple(mention, T(KG + "minYears"), _integer(1 + (i + n) % 6)))
            demand[(r, k)] += 1
        if i % 4 == 0:
            salary, value = T(f"{posting.value}/salary"), T(f"{posting.value}/salary/value")
            low = 40_000 + 1_000 * rng.randrange(60)
            add(ox.Triple(posting, T(SCHEMA + "baseSalary"), salary))
            add(ox.Triple(salary, T(SCHEMA + "currency"), ox.Literal("USD")))
            add(ox.Triple(salary, T(SCHEMA + "value"), value))
            add(ox.Triple(value, T(SCHEMA + "minValue"), _integer(low)))
            add(ox.Triple(value, T(SCHEMA + "maxValue"), _integer(low + 20_000)))
            add(ox.Triple(value, T(SCHEMA + "unitText"), ox.Literal("YEAR")))
    for (r, k), n in sorted(demand.items()):
        node = T(f"{DEMAND}r{r:06d}-{k:02d}")
        add(ox.Triple(node, TYPE, T(KG + "SkillDemand")))
        add(ox.Triple(node, T(KG + "role"), roles[r]))
        add(ox.Triple(node, T(KG + "skill"), profiles[r][k]))
        add(ox.Triple(node, T(KG + "postingCount"), _integer(n)))
        add(ox.Triple(node, T(KG + "share"), ox.Literal(f"{n / per_role[r]:.4f}", datatype=T(XSD + "decimal"))))
    return out


def _integer(value: int) -> ox.Literal:
    return ox.Literal(str(value), datatype=T(XSD + "integer"))


def write_turtle(path: Path, scale: int = 1, seed: int = 20240601) -> tuple[int, Sample]:
    """Write the graph at ``scale`` as Turtle; its number of triples and the sample labels."""
    triples, sample = generate(scale, seed)
    path.parent.mkdir(parents=True, exist_ok=True)
    ox.serialize(triples, path, format=ox.RdfFormat.TURTLE, prefixes=PREFIXES)
    return len(triples), sample
