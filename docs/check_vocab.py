"""Check ontology/domains.ttl and ontology/skills.ttl.

Run from the repository root:  python docs/check_vocab.py
Prints counts and exits non-zero if a rule is broken:
- every domain id in docs/domain-ids.txt exists, with its parent as skos:broader
  (or skos:topConceptOf scheme:domains for top domains);
- every domain has a prefLabel@en, a definition and skos:inScheme scheme:domains;
- every skill has exactly one prefLabel@en, at least one kg:partOfDomain pointing
  at an existing domain, and skos:inScheme scheme:skills;
- every skos:broader target exists (skill -> skill, domain -> domain);
- no label (pref or alt, compared case-insensitively, whitespace collapsed)
  belongs to two different concepts across skills and domains;
- every kg:ambiguousLabel is also a prefLabel or altLabel of the same skill;
- all labels carry the @en tag and ids are lowercase slugs.
"""

from __future__ import annotations

import re
import sys
from collections import defaultdict
from pathlib import Path

import pyoxigraph as ox

ROOT = Path(__file__).resolve().parent.parent
SKOS = "http://www.w3.org/2004/02/skos/core#"
KG = "https://w3id.org/jobkg/ontology#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
SKILL_NS = "https://w3id.org/jobkg/id/skill/"
DOMAIN_NS = "https://w3id.org/jobkg/id/domain/"
SCHEME_NS = "https://w3id.org/jobkg/id/scheme/"
SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")

problems: list[str] = []


def norm(label: str) -> str:
    return " ".join(label.casefold().split())


def load(path: Path) -> dict[str, dict[str, list]]:
    """subject IRI -> predicate IRI -> list of objects."""
    data: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for quad in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE):
        if isinstance(quad.subject, ox.NamedNode):
            data[quad.subject.value][quad.predicate.value].append(quad.object)
    return data


def typed(data, cls: str) -> dict[str, dict[str, list]]:
    return {s: p for s, p in data.items() if any(getattr(o, "value", None) == cls for o in p.get(RDF_TYPE, []))}


def literals(props, pred: str) -> list[ox.Literal]:
    return [o for o in props.get(pred, []) if isinstance(o, ox.Literal)]


def iris(props, pred: str) -> list[str]:
    return [o.value for o in props.get(pred, []) if isinstance(o, ox.NamedNode)]


def main() -> int:
    domains = typed(load(ROOT / "ontology" / "domains.ttl"), KG + "Domain")
    skills = typed(load(ROOT / "ontology" / "skills.ttl"), KG + "Skill")

    # ----------------------------------------------------------- domain ids
    expected: dict[str, str] = {}
    for line in (ROOT / "docs" / "domain-ids.txt").read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            ident, parent = line.split()
            expected[ident] = parent
    for ident, parent in expected.items():
        iri = DOMAIN_NS + ident
        if iri not in domains:
            problems.append(f"domain {ident} from docs/domain-ids.txt is missing")
            continue
        props = domains[iri]
        if parent == "-":
            if SCHEME_NS + "domains" not in iris(props, SKOS + "topConceptOf"):
                problems.append(f"domain {ident}: top domain without skos:topConceptOf scheme:domains")
        elif DOMAIN_NS + parent not in iris(props, SKOS + "broader"):
            problems.append(f"domain {ident}: skos:broader should be domain:{parent}")
    for iri in domains:
        if iri.removeprefix(DOMAIN_NS) not in expected:
            problems.append(f"{iri} is not listed in docs/domain-ids.txt")

    for iri, props in domains.items():
        name = iri.removeprefix(DOMAIN_NS)
        prefs = [lit for lit in literals(props, SKOS + "prefLabel") if lit.language == "en"]
        if len(prefs) != 1:
            problems.append(f"domain {name}: {len(prefs)} prefLabel@en")
        if not literals(props, SKOS + "definition"):
            problems.append(f"domain {name}: no skos:definition")
        if SCHEME_NS + "domains" not in iris(props, SKOS + "inScheme"):
            problems.append(f"domain {name}: not in scheme:domains")
        for target in iris(props, SKOS + "broader"):
            if target not in domains:
                problems.append(f"domain {name}: broader {target} does not exist")

    # --------------------------------------------------------------- skills
    with_alt = 0
    ambiguous_count = 0
    used_domains: set[str] = set()
    for iri, props in skills.items():
        name = iri.removeprefix(SKILL_NS)
        if not iri.startswith(SKILL_NS) or not SLUG.match(name):
            problems.append(f"bad skill id {iri}")
        prefs = [lit for lit in literals(props, SKOS + "prefLabel") if lit.language == "en"]
        if len(prefs) != 1 or len(literals(props, SKOS + "prefLabel")) != 1:
            problems.append(f"skill {name}: needs exactly one prefLabel@en")
        alts = literals(props, SKOS + "altLabel")
        with_alt += bool(alts)
        parts = iris(props, KG + "partOfDomain")
        if not parts:
            problems.append(f"skill {name}: no kg:partOfDomain")
        for d in parts:
            used_domains.add(d)
            if d not in domains:
                problems.append(f"skill {name}: partOfDomain {d} does not exist")
        for target in iris(props, SKOS + "broader"):
            if target not in skills:
                problems.append(f"skill {name}: broader {target} is not a skill")
        if SCHEME_NS + "skills" not in iris(props, SKOS + "inScheme"):
            problems.append(f"skill {name}: not in scheme:skills")
        own = {lit.value for lit in prefs + alts}
        for amb in literals(props, KG + "ambiguousLabel"):
            ambiguous_count += 1
            if amb.value not in own:
                problems.append(f"skill {name}: ambiguousLabel {amb.value!r} is not one of its labels")

    # ------------------------------------------------------ label uniqueness
    owners: dict[str, set[str]] = defaultdict(set)
    for group in (domains, skills):
        for iri, props in group.items():
            for pred in (SKOS + "prefLabel", SKOS + "altLabel", KG + "ambiguousLabel"):
                for lit in literals(props, pred):
                    if lit.language != "en":
                        problems.append(f"{iri}: label {lit.value!r} lacks @en")
                    if pred != KG + "ambiguousLabel":
                        owners[norm(lit.value)].add(iri)
    for key, who in sorted(owners.items()):
        if len(who) > 1:
            problems.append(f"label {key!r} is used by {', '.join(sorted(who))}")

    empty = sorted(d.removeprefix(DOMAIN_NS) for d in domains if d not in used_domains)
    print(f"domains: {len(domains)}")
    print(f"skills: {len(skills)}")
    print(f"skills with altLabels: {with_alt}")
    print(f"ambiguous labels: {ambiguous_count}")
    print(f"distinct labels: {len(owners)}")
    print(f"domains without skills: {', '.join(empty) or 'none'}")
    for p in problems:
        print("PROBLEM:", p)
    print("OK" if not problems else f"{len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
