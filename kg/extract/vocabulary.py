"""Load the vocabularies the extractor matches against: skills, roles, domains, companies.

Turtle is parsed with pyoxigraph (fast); companies come from a CSV with the
header ``id,label,aliases,sector`` (aliases separated by ``|``).
"""

from __future__ import annotations

import csv
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import Any, Literal

import pyoxigraph as ox

from kg import resources
from kg.errors import InputError, ParseError
from kg.extract.matcher import LabelMatcher
from kg.namespaces import COMPANY, DOMAIN, KG, RDF, SKILL, SKOS

log = logging.getLogger(__name__)

_TYPE = RDF + "type"
_PREF = SKOS + "prefLabel"
_ALT = SKOS + "altLabel"
_HIDDEN = SKOS + "hiddenLabel"
_AMBIGUOUS = KG + "ambiguousLabel"
_PART_OF = KG + "partOfDomain"
_IN_DOMAIN = KG + "inDomain"
_BROADER = SKOS + "broader"
#: kg's skills in this domain are skills and competences (communication, leadership); the others are knowledge.
_SOFT_SKILLS = DOMAIN + "professional-skills"
_CLASSES = {KG + "Skill": "skills", KG + "Role": "roles", KG + "Domain": "domains"}

#: The kinds of concept a vocabulary holds, each with its matcher (see :meth:`Vocabulary.matcher`).
Kind = Literal["skills", "roles", "domains", "companies"]


@dataclass(frozen=True)
class Concept:
    """A SKOS concept of one vocabulary: IRI, preferred label, other labels, broader concepts."""

    iri: str
    label: str
    alt_labels: tuple[str, ...] = ()
    ambiguous: frozenset[str] = frozenset()
    broader: tuple[str, ...] = ()
    kind: str | None = None  # "knowledge" or "skill" (ESCO's skill types), where known

    @property
    def labels(self) -> tuple[str, ...]:
        """The preferred label followed by the alternative ones."""
        return (self.label, *self.alt_labels)


@dataclass
class Vocabulary:
    """Skills, roles, domains and companies, each keyed by IRI.

    Matchers built from a vocabulary are cached in ``cache`` so that a vocabulary
    loaded once serves every call.
    """

    skills: dict[str, Concept] = field(default_factory=dict)
    roles: dict[str, Concept] = field(default_factory=dict)
    domains: dict[str, Concept] = field(default_factory=dict)
    companies: dict[str, Concept] = field(default_factory=dict)
    cache: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)
    #: The bundled wide vocabulary (possibly grown by ``kg promote``), which the tagger was trained with.
    wide: bool = False
    #: The skills are an imported taxonomy the user chose (``kg extract --vocab esco|onet``): the tagger weighs O*NET's
    #: technologies as kg's own skills (it learnt the taxonomies' codes on labels not merged into kg's skills, and is
    #: unsure of "Python" from O*NET, where nothing else could name it); see ``kg.extract.reading.GATE_OWN``.
    chosen: bool = False

    @classmethod
    def from_files(
        cls,
        turtle: Iterable[Path | str] = (),
        companies: Path | str | None = None,
    ) -> Vocabulary:
        """Read skills, roles and domains from Turtle files and companies from a CSV file.

        Raises:
            InputError: a file is missing or unreadable.
            ParseError: a file does not parse; the message names the file and line.
        """
        collected: dict[str, dict[str, Concept]] = {"skills": {}, "roles": {}, "domains": {}}
        for path in turtle:
            for kind, concepts in _read_concepts(Path(path)).items():
                collected[kind].update(concepts)
        return cls(
            skills=collected["skills"],
            roles=collected["roles"],
            domains=collected["domains"],
            companies=read_companies(Path(companies)) if companies else {},
        )

    def grown(self, path: Path | str) -> Vocabulary:
        """A copy with the skills of a grow list (``id, prefLabel, altLabels, domain, count`` TSV) added.

        Rows naming a known skill add their altLabels to it; other rows add new skills.
        This is how the skills proposed in ``data/curated/GROW_SKILLS.tsv`` are tried out
        before they are merged into ``ontology/skills.ttl``.

        Raises:
            InputError: the file is missing or unreadable.
        """
        skills = dict(self.skills)
        try:
            with Path(path).open(encoding="utf-8", newline="") as handle:
                rows = list(csv.DictReader(handle, delimiter="\t"))
        except OSError as exc:
            raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from None
        for row in rows:
            ident, label = (row.get("id") or "").strip(), (row.get("prefLabel") or "").strip()
            if not ident or not label:
                continue
            extra = tuple(a.strip() for a in (row.get("altLabels") or "").split("|") if a.strip())
            iri = SKILL + ident
            old = skills.get(iri)
            if old is None:
                domain = (row.get("domain") or "").strip()
                skills[iri] = Concept(iri, label, extra, broader=(DOMAIN + domain,) if domain else ())
            else:
                skills[iri] = replace(old, alt_labels=tuple(dict.fromkeys(old.alt_labels + extra)))
        return Vocabulary(skills=skills, roles=self.roles, domains=self.domains, companies=self.companies,
                          wide=self.wide)

    def matcher(self, kind: Kind) -> LabelMatcher:
        """The matcher of one kind of concept, built on first use and kept in ``cache``.

        Skills match with their number and verb variants and shorthands, ambiguous labels
        only in a skill context; companies match as written; roles and domains in any case.
        """
        key = "matcher:" + kind
        found = self.cache.get(key)
        if found is None:
            concepts: dict[str, Concept] = getattr(self, kind)
            if kind == "skills":
                from kg.extract.prebuilt import bundled_matcher

                found = bundled_matcher(list(concepts.values()), self.cache.get("fingerprint"))
            else:
                labels = [(label, c.iri) for c in sorted(concepts.values(), key=lambda c: c.iri) for label in c.labels]
                found = LabelMatcher(labels, case_sensitive=kind == "companies")
            self.cache[key] = found
        return found

    def skill_label(self, iri: str) -> str:
        """The preferred label of a skill IRI (the IRI itself if unknown)."""
        concept = self.skills.get(iri)
        return concept.label if concept else iri


def load_vocabulary() -> Vocabulary:
    """The bundled vocabulary, loaded once: kg's own (``ontology/*.ttl``, ``data/curated/companies.csv``),
    the skills derived from ESCO and O*NET (``data/vocabulary/wide-skills.tsv``) and the skills the user
    added with ``kg promote`` (see :mod:`kg.extract.promote`).

    Parts that do not exist yet are logged and left empty.
    """
    from kg.extract.promote import added_skills_path

    added = added_skills_path()
    return _load_added(str(added)) if added.is_file() else _load_wide()


@cache
def _load_added(path: str) -> Vocabulary:
    """The bundled vocabulary with the user's added skills (``kg promote``)."""
    return _load_wide().grown(path)


@cache
def _load_wide() -> Vocabulary:
    curated = load_curated_vocabulary()
    path = resources.data_file(*WIDE)
    if not path.is_file():
        log.warning("wide vocabulary %s is missing; only kg's own skills are matched", path)
        return curated
    from kg.extract.prebuilt import fingerprint

    stamp = fingerprint([resources.ontology_file("skills.ttl"), path])
    return replace(curated, skills=merge_wide(curated.skills, read_wide(path)), cache={"fingerprint": stamp},
                   wide=True)


#: Where the wide vocabulary lives in ``data/``.
WIDE = ("vocabulary", "wide-skills.tsv")
_KINDS = ("knowledge", "skill")


def read_wide(path: Path) -> list[tuple[str, Concept]]:
    """The (source, concept) rows of a wide vocabulary file (see :mod:`kg.extract.wide_build`); rows of
    source ``kg`` carry labels that join the kg skill of their IRI.

    Raises:
        InputError: the file cannot be read.
        ParseError: a row does not have its five columns.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from None
    out = []
    for number, line in enumerate(text.split("\n"), start=1):
        if not line or line.startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) != 5 or not parts[3]:
            raise ParseError(f"{path}:{number}: expected iri, source, kind, labels and everyday labels")
        iri, source, kind, labels, everyday = parts
        names = labels.split("|")
        everyday_labels = frozenset(everyday.split("|")) if everyday else frozenset()
        concept = Concept(iri, names[0], tuple(names[1:]), everyday_labels, kind=kind if kind in _KINDS else None)
        out.append((source, concept))
    return out


def merge_wide(curated: dict[str, Concept], wide: Iterable[tuple[str, Concept]]) -> dict[str, Concept]:
    """kg's skills with the wide vocabulary's: new labels of aligned kg skills join them, other concepts are added."""
    skills = dict(curated)
    for source, concept in wide:
        known = skills.get(concept.iri)
        if known is not None and source == "kg":
            extra = tuple(name for name in concept.labels if name not in known.labels)
            skills[concept.iri] = replace(known, alt_labels=known.alt_labels + extra,
                                          ambiguous=known.ambiguous | (concept.ambiguous & set(extra)))
        elif known is None and source != "kg":
            skills[concept.iri] = concept
    return skills


@cache
def load_curated_vocabulary() -> Vocabulary:
    """kg's own curated vocabulary only (``ontology/*.ttl``, ``data/curated/companies.csv``), loaded once."""
    turtle = []
    for name in ("domains.ttl", "skills.ttl", "roles.ttl"):
        path = resources.ontology_file(name)
        if path.is_file():
            turtle.append(path)
        else:
            log.warning("vocabulary file %s is missing; its part of the vocabulary is empty", path)
    companies: Path | None = resources.data_file("curated", "companies.csv")
    if companies is not None and not companies.is_file():
        log.warning("company list %s is missing", companies)
        companies = None
    return Vocabulary.from_files(turtle, companies)


def _read_concepts(path: Path) -> dict[str, dict[str, Concept]]:
    """Concepts of the known classes in one Turtle file, grouped by kind."""
    if not path.is_file():
        raise InputError(f"{path}: no such vocabulary file")
    types: dict[str, str] = {}
    pref: dict[str, dict[str | None, str]] = {}
    alt: dict[str, list[str]] = {}
    ambiguous: dict[str, set[str]] = {}
    broader: dict[str, list[str]] = {}
    try:
        for quad in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE):
            subject, predicate, obj = quad.subject, quad.predicate.value, quad.object
            if not isinstance(subject, ox.NamedNode):
                continue
            s = subject.value
            if predicate == _TYPE and isinstance(obj, ox.NamedNode) and obj.value in _CLASSES:
                types[s] = _CLASSES[obj.value]
            elif isinstance(obj, ox.Literal):
                if predicate == _PREF:
                    pref.setdefault(s, {})[obj.language] = obj.value
                elif predicate in (_ALT, _HIDDEN):
                    alt.setdefault(s, []).append(obj.value)
                elif predicate == _AMBIGUOUS:
                    ambiguous.setdefault(s, set()).add(obj.value)
            elif predicate in (_PART_OF, _BROADER, _IN_DOMAIN) and isinstance(obj, ox.NamedNode):
                broader.setdefault(s, []).append(obj.value)
    except SyntaxError as exc:
        raise ParseError(f"{path}: {exc}") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from None
    out: dict[str, dict[str, Concept]] = {"skills": {}, "roles": {}, "domains": {}}
    for iri, kind in types.items():
        labels = pref.get(iri, {})
        label = labels.get("en") or labels.get(None) or next(iter(labels.values()), None)
        if label is None:
            log.warning("%s: %s has no skos:prefLabel; skipped", path, iri)
            continue
        others = [v for v in labels.values() if v != label] + alt.get(iri, [])
        parents = tuple(sorted(set(broader.get(iri, ()))))
        out[kind][iri] = Concept(
            iri=iri,
            label=label,
            alt_labels=tuple(dict.fromkeys(o for o in others if o.strip())),
            ambiguous=frozenset(ambiguous.get(iri, ())),
            broader=parents,
            kind=("skill" if _SOFT_SKILLS in parents else "knowledge") if kind == "skills" else None,
        )
    return out


def read_companies(path: Path) -> dict[str, Concept]:
    """Companies from a CSV file with the header ``id,label,aliases,sector``."""
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
    except FileNotFoundError:
        raise InputError(f"{path}: no such company list") from None
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise InputError(f"{path}: cannot read the company list: {exc}") from None
    companies: dict[str, Concept] = {}
    for number, row in enumerate(rows, start=2):
        ident, label = (row.get("id") or "").strip(), (row.get("label") or "").strip()
        if not ident or not label:
            raise ParseError(f"{path}:{number}: a company needs an id and a label")
        aliases = tuple(a.strip() for a in (row.get("aliases") or "").split("|") if a.strip())
        companies[COMPANY + ident] = Concept(iri=COMPANY + ident, label=label, alt_labels=aliases)
    return companies
