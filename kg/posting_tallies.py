"""Per company and per role tallies of the postings, kept in the derived graph beside the monthly and place ones.

``companies-for-role``, ``roles-at-company``, ``companies-for-skill`` and ``salary-by-role`` counted every
posting of a role, of a company or asking for a skill at query time (on 100,000 postings: 1 to 9 s of CPU
each, from a cold command line). These tallies hold the answers' counts, and, like the monthly and place
tallies of :mod:`kg.derive`, they add up across any split of the postings, so that an ingest adds the counts of
its new postings to the stored ones and rewrites only the tallies they touch::

    demand:hiring--acme--data-engineer  a kg:CompanyPostings ; kg:company company:acme ;
        kg:role role:data-engineer ; kg:postingCount 12 .              # Acme's postings for the role
    demand:company--acme--python  a kg:CompanyDemand ; kg:company company:acme ;
        kg:skill skill:python ; kg:postingCount 9 ;                    # Acme's postings asking for Python,
        kg:requiredCount 7 .                                           # of which require it
    company:acme  kg:postingCount 30 .                                # all of Acme's postings
    demand:pair--3f9a...  kg:skill skill:python, skill:sql ;          # in graph/skill-pairs (an index that
        kg:postingsTogether 212 .                                      # exports leave out): postings asking for both
    demand:salary--data-engineer--USD--YEAR  a kg:SalaryRange ; kg:role role:data-engineer ;
        schema:currency "USD" ; schema:unitText "YEAR" ; kg:postingCount 40 ;
        schema:minValue 61000.0 ; schema:maxValue 190000.0 ; kg:midpointSum 4890000.0 .
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import combinations
from typing import TYPE_CHECKING

import pyoxigraph as ox

from kg.namespaces import DEMAND, PAIRS_GRAPH, local_name
from kg.terms import (
    OF_ROLE,
    OF_SKILL,
    POSTING_COUNT,
    SCHEMA_BASE_SALARY,
    SCHEMA_CURRENCY,
    SCHEMA_MAX_VALUE,
    SCHEMA_MIN_VALUE,
    SCHEMA_UNIT_TEXT,
    SCHEMA_VALUE,
    TYPE,
    XSD_DECIMAL,
    decimal,
    integer,
    kg,
    value,
)

if TYPE_CHECKING:
    from kg.models import Salary
    from kg.source import GraphSource

_COMPANY = kg("company")
#: Of a (company, skill) tally's postings, how many require the skill (the others prefer it only).
REQUIRED_COUNT = kg("requiredCount")
_MIDPOINT_SUM = kg("midpointSum")
_COMPANY_POSTINGS = kg("CompanyPostings")
_COMPANY_DEMAND = kg("CompanyDemand")
_SALARY_RANGE = kg("SalaryRange")
_TOGETHER = kg("postingsTogether")
_PAIRS = ox.NamedNode(PAIRS_GRAPH)

#: A posting's stated pay as the store holds it: currency, period, and the lexical forms of its minimum and
#: maximum (``xsd:decimal``), so that a tally writes back the very literals a query would have found.
Pay = tuple[str, str, str, str]


@dataclass
class SalaryTally:
    """The pay of some postings of one role, currency and period: how many, the lowest minimum, the highest
    maximum (lexical forms) and the sum of their midpoints."""

    postings: int
    lowest: str
    highest: str
    midpoints: Decimal

    @classmethod
    def of(cls, pay: Pay) -> SalaryTally:
        _, _, low, high = pay
        return cls(1, low, high, (Decimal(low) + Decimal(high)) / 2)

    def merge(self, other: SalaryTally) -> SalaryTally:
        return SalaryTally(self.postings + other.postings, min(self.lowest, other.lowest, key=Decimal),
                           max(self.highest, other.highest, key=Decimal), self.midpoints + other.midpoints)


@dataclass
class Tallies:
    """Postings per (company, role), per (company, skill) (asking for it at all, and requiring it), per company,
    per pair of skills asked for together (the lesser IRI first), and the pay per (role, currency, period)."""

    postings: Counter[str] = field(default_factory=Counter)
    together: Counter[tuple[str, str]] = field(default_factory=Counter)
    hiring: Counter[tuple[str, str]] = field(default_factory=Counter)
    asking: Counter[tuple[str, str]] = field(default_factory=Counter)
    requiring: Counter[tuple[str, str]] = field(default_factory=Counter)
    pay: dict[tuple[str, str, str], SalaryTally] = field(default_factory=dict)

    def add(self, role: str | None, company: str | None, skills: frozenset[str], pay: Pay | None,
            required: frozenset[str] = frozenset()) -> None:
        """Count one posting that asks for ``skills``, of which it requires ``required``."""
        self.together.update(combinations(sorted(skills), 2))
        if company:
            self.postings[company] += 1
            if role:
                self.hiring[(company, role)] += 1
            self.asking.update((company, skill) for skill in skills)
            self.requiring.update((company, skill) for skill in required)
        if role and pay:
            self._add_pay((role, pay[0], pay[1]), SalaryTally.of(pay))

    def _add_pay(self, key: tuple[str, str, str], tally: SalaryTally) -> None:
        self.pay[key] = self.pay[key].merge(tally) if key in self.pay else tally

    def merge(self, other: Tallies) -> Tallies:
        """Add another set of tallies to these; returns self."""
        self.postings.update(other.postings)
        self.together.update(other.together)
        self.hiring.update(other.hiring)
        self.asking.update(other.asking)
        self.requiring.update(other.requiring)
        for key, tally in other.pay.items():
            self._add_pay(key, tally)
        return self


def _hiring_node(company: str, role: str) -> ox.NamedNode:
    return ox.NamedNode(f"{DEMAND}hiring--{local_name(company)}--{local_name(role)}")


def asking_node(company: str, skill: str) -> ox.NamedNode:
    """The node of a (company, skill) tally; :mod:`kg.company_skills` keeps the roles' side on it too."""
    return ox.NamedNode(f"{DEMAND}company--{local_name(company)}--{local_name(skill)}")


def _pair_node(skill: str, other: str) -> ox.NamedNode:
    key = hashlib.sha256(f"{skill} {other}".encode()).hexdigest()[:20]  # two vocabularies may share local names
    return ox.NamedNode(f"{DEMAND}pair--{key}")


def _pay_node(role: str, currency: str, period: str) -> ox.NamedNode:
    return ox.NamedNode(f"{DEMAND}salary--{local_name(role)}--{currency}--{period}")


def _decimal(number: Decimal | str) -> ox.Literal:
    text = format(Decimal(number), "f")
    return ox.Literal(text, datatype=XSD_DECIMAL)


def quads(tallies: Tallies, g: ox.NamedNode) -> set[ox.Quad]:
    """The tallies as quads in ``g`` (the pairs of skills in :data:`~kg.namespaces.PAIRS_GRAPH`)."""
    out = {ox.Quad(ox.NamedNode(company), POSTING_COUNT, integer(n), g) for company, n in tallies.postings.items()}
    for (skill, other), n in tallies.together.items():
        node = _pair_node(skill, other)
        out.update([ox.Quad(node, OF_SKILL, ox.NamedNode(skill), _PAIRS),
                    ox.Quad(node, OF_SKILL, ox.NamedNode(other), _PAIRS), ox.Quad(node, _TOGETHER, integer(n), _PAIRS)])
    for (company, role), n in tallies.hiring.items():
        node = _hiring_node(company, role)
        out.update([ox.Quad(node, TYPE, _COMPANY_POSTINGS, g), ox.Quad(node, _COMPANY, ox.NamedNode(company), g),
                    ox.Quad(node, OF_ROLE, ox.NamedNode(role), g), ox.Quad(node, POSTING_COUNT, integer(n), g)])
    for (company, skill), n in tallies.asking.items():
        node = asking_node(company, skill)
        out.update([ox.Quad(node, TYPE, _COMPANY_DEMAND, g), ox.Quad(node, _COMPANY, ox.NamedNode(company), g),
                    ox.Quad(node, OF_SKILL, ox.NamedNode(skill), g), ox.Quad(node, POSTING_COUNT, integer(n), g),
                    ox.Quad(node, REQUIRED_COUNT, integer(tallies.requiring[(company, skill)]), g)])
    for (role, currency, period), tally in tallies.pay.items():
        node = _pay_node(role, currency, period)
        out.update([ox.Quad(node, TYPE, _SALARY_RANGE, g), ox.Quad(node, OF_ROLE, ox.NamedNode(role), g),
                    ox.Quad(node, SCHEMA_CURRENCY, ox.Literal(currency), g),
                    ox.Quad(node, SCHEMA_UNIT_TEXT, ox.Literal(period), g),
                    ox.Quad(node, POSTING_COUNT, integer(tally.postings), g),
                    ox.Quad(node, SCHEMA_MIN_VALUE, ox.Literal(tally.lowest, datatype=XSD_DECIMAL), g),
                    ox.Quad(node, SCHEMA_MAX_VALUE, ox.Literal(tally.highest, datatype=XSD_DECIMAL), g),
                    ox.Quad(node, _MIDPOINT_SUM, _decimal(tally.midpoints), g)])
    return out


def updated(db: ox.Store, new: Tallies, g: ox.NamedNode) -> tuple[list[ox.Quad], set[ox.Quad]]:
    """The quads to remove and the quads to write for adding ``new`` to the tallies stored in ``g``."""
    stale: list[ox.Quad] = []
    merged = Tallies()

    def stored(node: ox.NamedNode, predicate: ox.NamedNode = POSTING_COUNT) -> str | None:
        found = next(db.quads_for_pattern(node, predicate, None, _PAIRS if predicate == _TOGETHER else g), None)
        if found is None:
            return None
        stale.append(found)
        return value(found.object)

    def count(node: ox.NamedNode) -> int:
        return int(stored(node) or 0)

    for company, n in new.postings.items():
        merged.postings[company] = n + count(ox.NamedNode(company))
    for (skill, other), n in new.together.items():
        merged.together[(skill, other)] = n + int(stored(_pair_node(skill, other), _TOGETHER) or 0)
    for (company, role), n in new.hiring.items():
        merged.hiring[(company, role)] = n + count(_hiring_node(company, role))
    for (company, skill), n in new.asking.items():
        node = asking_node(company, skill)
        merged.asking[(company, skill)] = n + count(node)
        merged.requiring[(company, skill)] = new.requiring[(company, skill)] + int(stored(node, REQUIRED_COUNT) or 0)
    for (role, currency, period), tally in new.pay.items():
        node = _pay_node(role, currency, period)
        before = _stored_pay(node, stored)
        merged.pay[(role, currency, period)] = tally if before is None else before.merge(tally)
    return stale, quads(merged, g)


def _stored_pay(node: ox.NamedNode, stored: Callable[..., str | None]) -> SalaryTally | None:
    postings = stored(node)
    low, high, midpoints = stored(node, SCHEMA_MIN_VALUE), stored(node, SCHEMA_MAX_VALUE), stored(node, _MIDPOINT_SUM)
    if postings is None or low is None or high is None or midpoints is None:
        return None
    return SalaryTally(int(postings), low, high, Decimal(midpoints))


def pay_of(db: GraphSource, posting: ox.NamedNode) -> Pay | None:
    """The pay a stored posting states (``schema:baseSalary`` with a currency), as :data:`Pay`."""
    salary = next(db.quads_for_pattern(posting, SCHEMA_BASE_SALARY, None, None), None)
    if salary is None or not isinstance(salary.object, ox.NamedNode):
        return None
    currency = next(db.quads_for_pattern(salary.object, SCHEMA_CURRENCY, None, None), None)
    amount = next(db.quads_for_pattern(salary.object, SCHEMA_VALUE, None, None), None)
    if currency is None or amount is None or not isinstance(amount.object, ox.NamedNode):
        return None
    parts = [next(db.quads_for_pattern(amount.object, p, None, None), None)
             for p in (SCHEMA_UNIT_TEXT, SCHEMA_MIN_VALUE, SCHEMA_MAX_VALUE)]
    if any(part is None for part in parts):
        return None
    unit, low, high = (value(part.object) for part in parts if part is not None)
    return value(currency.object), unit, low, high


def pay(salary: Salary | None) -> Pay | None:
    """The pay of a posting's salary as the store will hold it (:func:`kg.quads.posting_quads`); none without a
    currency, as ``salary-by-role`` reads only salaries that name one."""
    if salary is None or not salary.currency:
        return None
    return salary.currency, salary.period.upper(), decimal(salary.min).value, decimal(salary.max).value
