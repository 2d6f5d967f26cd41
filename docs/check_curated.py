"""Check the curated roles vocabulary and the curated company facts.

Run from anywhere:  python docs/check_curated.py [--seeds DIR]

Checks
- ontology/roles.ttl parses (pyoxigraph); every kg:Role has one English
  skos:prefLabel, a skos:definition, skos:inScheme scheme:roles, at least one
  kg:inDomain whose id is listed in docs/domain-ids.txt, and skos:broader
  targets that are roles; no label (case-insensitive) belongs to two roles.
- data/curated/companies.csv: header, slug ids, known sectors, rows sorted,
  no name or alias shared by two companies.
- data/curated/hires.csv: header, known company and role ids, every company
  hires at least one role, sources are FILE:LINE with FILE in the seeds
  folder and LINE inside the file, rows sorted, no duplicate pairs.
- data/curated/profiles.csv: header, known roles, level required/preferred,
  every role has >= 3 required and >= 2 preferred skills, no skill both
  required and preferred for one role, rows sorted.
- Skills: lists profile skills that ontology/skills.ttl does not (yet) define;
  each must then be listed in data/curated/MISSING_SKILLS.tsv.

Exit status 0 when all hard checks pass, 1 otherwise.
"""

from __future__ import annotations

import argparse
import csv
import os
import re
import sys
from collections import defaultdict

import pyoxigraph as ox

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_SEEDS = os.path.join(os.path.dirname(ROOT), "shared", "seeds")
if not os.path.isdir(DEFAULT_SEEDS):
    DEFAULT_SEEDS = "/work/shared/seeds"

KG = "https://w3id.org/jobkg/ontology#"
ROLE = "https://w3id.org/jobkg/id/role/"
DOMAIN = "https://w3id.org/jobkg/id/domain/"
SKILL = "https://w3id.org/jobkg/id/skill/"
SCHEME_ROLES = "https://w3id.org/jobkg/id/scheme/roles"
SKOS = "http://www.w3.org/2004/02/skos/core#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
SECTORS = {"semiconductor", "eda", "cloud", "software", "internet", "hardware",
           "research-lab", "university", "consulting", "finance", "health", "other"}
LEVELS = ("required", "preferred")


class Report:
    def __init__(self) -> None:
        self.errors: list[str] = []
        self.notes: list[str] = []

    def error(self, msg: str) -> None:
        self.errors.append(msg)

    def note(self, msg: str) -> None:
        self.notes.append(msg)


def path(*parts: str) -> str:
    return os.path.join(ROOT, *parts)


def local(iri: str, base: str) -> str | None:
    return iri[len(base):] if iri.startswith(base) else None


def read_domain_ids() -> set[str]:
    ids = set()
    with open(path("docs", "domain-ids.txt"), encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if line and not line.startswith("#"):
                ids.add(line.split()[0])
    return ids


def check_roles(rep: Report) -> set[str]:
    triples = list(ox.parse(path=path("ontology", "roles.ttl"), format=ox.RdfFormat.TURTLE))
    by_subject: dict[str, list] = defaultdict(list)
    for t in triples:
        if isinstance(t.subject, ox.NamedNode):
            by_subject[t.subject.value].append(t)
    roles = {s for s, ts in by_subject.items()
             if any(t.predicate.value == RDF_TYPE and t.object.value == KG + "Role" for t in ts)}
    ids = set()
    for s in roles:
        rid = local(s, ROLE)
        if rid is None or not SLUG.match(rid):
            rep.error(f"roles.ttl: role IRI not a role: slug: {s}")
        else:
            ids.add(rid)
    domains = read_domain_ids()
    label_owner: dict[str, str] = {}
    for s in sorted(roles):
        rid = local(s, ROLE) or s
        ts = by_subject[s]
        pref = [t.object for t in ts if t.predicate.value == SKOS + "prefLabel"]
        pref_en = [o for o in pref if isinstance(o, ox.Literal) and o.language == "en"]
        if len(pref_en) != 1:
            rep.error(f"roles.ttl: {rid} needs exactly one prefLabel@en (has {len(pref_en)})")
        if not any(t.predicate.value == SKOS + "definition" for t in ts):
            rep.error(f"roles.ttl: {rid} has no skos:definition")
        if not any(t.predicate.value == SKOS + "inScheme" and t.object.value == SCHEME_ROLES for t in ts):
            rep.error(f"roles.ttl: {rid} is not skos:inScheme scheme:roles")
        doms = [t.object.value for t in ts if t.predicate.value == KG + "inDomain"]
        if not doms:
            rep.error(f"roles.ttl: {rid} has no kg:inDomain")
        for d in doms:
            did = local(d, DOMAIN)
            if did is None or did not in domains:
                rep.error(f"roles.ttl: {rid} kg:inDomain {d} is not in docs/domain-ids.txt")
        for t in ts:
            if t.predicate.value == SKOS + "broader":
                if t.object.value not in roles:
                    rep.error(f"roles.ttl: {rid} skos:broader {t.object.value} is not a role")
                elif t.object.value == s:
                    rep.error(f"roles.ttl: {rid} is broader than itself")
        for t in ts:
            if t.predicate.value in (SKOS + "prefLabel", SKOS + "altLabel"):
                if not isinstance(t.object, ox.Literal) or t.object.language != "en":
                    rep.error(f"roles.ttl: {rid} label without @en: {t.object}")
                    continue
                key = t.object.value.strip().lower()
                owner = label_owner.get(key)
                if owner and owner != rid:
                    rep.error(f"roles.ttl: label {t.object.value!r} used by {owner} and {rid}")
                label_owner.setdefault(key, rid)
    # broader cycles
    broader = {local(t.subject.value, ROLE): local(t.object.value, ROLE)
               for t in triples if t.predicate.value == SKOS + "broader"}
    for start in broader:
        seen, cur = set(), start
        while cur in broader:
            if cur in seen:
                rep.error(f"roles.ttl: skos:broader cycle through {start}")
                break
            seen.add(cur)
            cur = broader[cur]
    rep.note(f"roles: {len(ids)} (labels: {len(label_owner)})")
    return ids


def read_csv(name: str, header: list[str], rep: Report) -> list[dict]:
    p = path("data", "curated", name)
    with open(p, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    if not rows or rows[0] != header:
        rep.error(f"{name}: header must be {','.join(header)} (is {rows[0] if rows else 'empty'})")
        return []
    out = []
    for i, r in enumerate(rows[1:], start=2):
        if len(r) != len(header):
            rep.error(f"{name}:{i}: expected {len(header)} fields, got {len(r)}")
            continue
        out.append(dict(zip(header, r), _line=i))
    return out


def check_sorted(name: str, keys: list[tuple], rep: Report) -> None:
    if keys != sorted(keys):
        bad = next(i for i in range(1, len(keys)) if keys[i] < keys[i - 1])
        rep.error(f"{name}: rows not sorted (first out of order at data row {bad + 1}: {keys[bad]})")
    if len(set(keys)) != len(keys):
        rep.error(f"{name}: duplicate rows")


def seed_line_counts(seeds: str) -> dict[str, int]:
    counts = {}
    for n in os.listdir(seeds):
        with open(os.path.join(seeds, n), encoding="utf-8", errors="replace") as f:
            text = f.read()
        counts[n] = len(text.splitlines())
    return counts


def check_companies(rep: Report) -> set[str]:
    rows = read_csv("companies.csv", ["id", "label", "aliases", "sector"], rep)
    ids, names = set(), {}
    for r in rows:
        cid = r["id"]
        if not SLUG.match(cid):
            rep.error(f"companies.csv:{r['_line']}: id {cid!r} is not a slug")
        if cid in ids:
            rep.error(f"companies.csv:{r['_line']}: duplicate id {cid}")
        ids.add(cid)
        if not r["label"].strip():
            rep.error(f"companies.csv:{r['_line']}: empty label")
        if r["sector"] not in SECTORS:
            rep.error(f"companies.csv:{r['_line']}: unknown sector {r['sector']!r}")
        for n in [r["label"]] + [a for a in r["aliases"].split("|") if a]:
            k = n.strip().lower()
            if k in names and names[k] != cid:
                rep.error(f"companies.csv: name {n!r} used by {names[k]} and {cid}")
            names.setdefault(k, cid)
    check_sorted("companies.csv", [(r["id"],) for r in rows], rep)
    rep.note(f"companies: {len(ids)}")
    return ids


def check_hires(roles: set[str], companies: set[str], seeds: str, rep: Report) -> None:
    rows = read_csv("hires.csv", ["company", "role", "sources"], rep)
    counts = seed_line_counts(seeds)
    hiring = set()
    for r in rows:
        where = f"hires.csv:{r['_line']}"
        if r["company"] not in companies:
            rep.error(f"{where}: unknown company {r['company']!r}")
        if r["role"] not in roles:
            rep.error(f"{where}: unknown role {r['role']!r}")
        hiring.add(r["company"])
        srcs = r["sources"].split()
        if not srcs:
            rep.error(f"{where}: no sources")
        for s in srcs:
            m = re.fullmatch(r"([^:\s]+):(\d+)", s)
            if not m:
                rep.error(f"{where}: bad source {s!r} (want FILE:LINE)")
                continue
            fname, line = m.group(1), int(m.group(2))
            if fname not in counts:
                rep.error(f"{where}: source file {fname} not in {seeds}")
            elif not 1 <= line <= max(counts[fname], 1):
                rep.error(f"{where}: line {line} outside {fname} (1..{counts[fname]})")
    for c in sorted(companies - hiring):
        rep.error(f"hires.csv: company {c} hires no role")
    check_sorted("hires.csv", [(r["company"], r["role"]) for r in rows], rep)
    rep.note(f"hires rows: {len(rows)}; roles hired by some company: "
             f"{len({r['role'] for r in rows})}/{len(roles)}")


def skills_in_ttl() -> set[str]:
    p = path("ontology", "skills.ttl")
    if not os.path.exists(p):
        return set()
    ids = set()
    for t in ox.parse(path=p, format=ox.RdfFormat.TURTLE):
        if t.predicate.value == RDF_TYPE and t.object.value == KG + "Skill":
            sid = local(t.subject.value, SKILL)
            if sid:
                ids.add(sid)
    return ids


def missing_listed() -> dict[str, list[str]]:
    p = path("data", "curated", "MISSING_SKILLS.tsv")
    out = {}
    if os.path.exists(p):
        with open(p, encoding="utf-8") as f:
            for line in f:
                if line.strip() and not line.startswith("#"):
                    parts = line.rstrip("\n").split("\t")
                    out[parts[0]] = parts
    return out


def check_profiles(roles: set[str], rep: Report) -> None:
    rows = read_csv("profiles.csv", ["role", "skill", "level"], rep)
    per = defaultdict(lambda: {"required": set(), "preferred": set()})
    for r in rows:
        where = f"profiles.csv:{r['_line']}"
        if r["role"] not in roles:
            rep.error(f"{where}: unknown role {r['role']!r}")
        if not SLUG.match(r["skill"]):
            rep.error(f"{where}: skill id {r['skill']!r} is not a slug")
        if r["level"] not in LEVELS:
            rep.error(f"{where}: level must be required or preferred")
            continue
        per[r["role"]][r["level"]].add(r["skill"])
    for role in sorted(roles):
        req, pref = per[role]["required"], per[role]["preferred"]
        if len(req) < 3:
            rep.error(f"profiles.csv: {role} has {len(req)} required skills (need >= 3)")
        if len(pref) < 2:
            rep.error(f"profiles.csv: {role} has {len(pref)} preferred skills (need >= 2)")
        both = req & pref
        if both:
            rep.error(f"profiles.csv: {role} lists {sorted(both)} as both required and preferred")
    check_sorted("profiles.csv",
                 [(r["role"], LEVELS.index(r["level"]) if r["level"] in LEVELS else 9, r["skill"])
                  for r in rows], rep)
    rep.note(f"profile rows: {len(rows)}")

    used = {r["skill"] for r in rows}
    known = skills_in_ttl()
    listed = missing_listed()
    absent = sorted(used - known)
    if not known:
        rep.note("skills.ttl not found or empty: every profile skill counts as missing")
    rep.note(f"profile skills: {len(used)} distinct; not in skills.ttl: {len(absent)}")
    if absent:
        rep.note("  not in skills.ttl: " + " ".join(absent))
    unlisted = [s for s in absent if s not in listed]
    for s in unlisted:
        rep.error(f"skill {s} is used in profiles.csv but neither in skills.ttl nor in MISSING_SKILLS.tsv")
    for sid, parts in listed.items():
        if len(parts) != 4:
            rep.error(f"MISSING_SKILLS.tsv: {sid}: want 4 tab-separated fields, got {len(parts)}")
        if sid in known:
            rep.note(f"MISSING_SKILLS.tsv: {sid} is now in skills.ttl (line can go)")
        elif sid not in used:
            rep.note(f"MISSING_SKILLS.tsv: {sid} is not used by profiles.csv")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", default=DEFAULT_SEEDS, help="folder of seed documents")
    args = ap.parse_args()
    rep = Report()
    roles = check_roles(rep)
    companies = check_companies(rep)
    check_hires(roles, companies, args.seeds, rep)
    check_profiles(roles, rep)
    for n in rep.notes:
        print(n)
    for e in rep.errors:
        print("ERROR:", e)
    print("OK" if not rep.errors else f"{len(rep.errors)} error(s)")
    return 0 if not rep.errors else 1


if __name__ == "__main__":
    sys.exit(main())
