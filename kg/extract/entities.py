"""Who posted a job and for which role: title, company and canonical role.

The company comes from, in order: the title ("Title (Company)", "Title · Company
· Place", "Title at Company"), an "About Company" line, "at Company" in the
text, or the known company named first. The role is the longest role
label (prefLabel or altLabel) found in the title, else after "looking for a".
"""

from __future__ import annotations

import re

from kg.extract.matcher import LabelMatcher
from kg.extract.vocabulary import Vocabulary
from kg.namespaces import COMPANY

_NAME = r"[A-Z][\w&.'’-]{0,30}(?:[ \t][A-Z0-9][\w&.'’-]{0,30}){0,3}"
_TRAILING_PAREN = re.compile(r"^(?P<title>.{2,200}?)\s*\((?P<name>[^()]{1,60})\)\s*$")
_DOTTED = re.compile(r"\s+[·•|]\s+")
_AT_TITLE = re.compile(rf"^(?P<title>.{{2,120}}?)\s+(?:at|@)\s+(?P<name>{_NAME})\s*(?:\(.*\))?$")
_ABOUT = re.compile(rf"^\W{{0,6}}About\s+(?P<name>{_NAME})\W{{0,6}}$")
_AT = re.compile(rf"\b[Aa]t\s+(?P<name>{_NAME})")
_LOOKING_FOR = re.compile(
    r"\b(?:looking\s+for|seeking|hiring|searching\s+for|join\s+(?:us|our\s+team)\s+as)\s+(?:an?\s+|our\s+next\s+)?",
    re.IGNORECASE,
)
_NOT_COMPANY = re.compile(
    r"^(?:The|This|That|These|Our|Your|All|Any|Least|Most|Scale|Home|Work|Night|First|Large|Speed|Present|"
    r"Times|Remote|Hybrid|Onsite|Internship|Intern|Senior|Junior|Dept|Department|Level|Team|Boston|Bay|"
    r"Formerly|Previously|US|USA|United|New|San|Los|Full|Part|Contract|Fall|Spring|Summer|Winter|Us|"
    r"Job|Role|You|We|It|Least|Minimum|Each|Every|One|Some|Scale|Google\s+Cloud\s+Platform)\b"
)
_SENIORITY = re.compile(r"^(?:senior|sr\.?|junior|jr\.?|staff|principal|lead|chief|head|associate|entry[- ]level)\s+", re.IGNORECASE)
_SLUG = re.compile(r"[^a-z0-9]+")


def _companies(vocab: Vocabulary) -> LabelMatcher:
    matcher = vocab.cache.get("companies")
    if matcher is None:
        labels = [(label, c.iri) for c in sorted(vocab.companies.values(), key=lambda c: c.iri) for label in c.labels]
        matcher = vocab.cache["companies"] = LabelMatcher(labels, case_sensitive=True)
    return matcher


def _roles(vocab: Vocabulary) -> LabelMatcher:
    matcher = vocab.cache.get("roles")
    if matcher is None:
        labels = [(label, c.iri) for c in sorted(vocab.roles.values(), key=lambda c: c.iri) for label in c.labels]
        matcher = vocab.cache["roles"] = LabelMatcher(labels)
    return matcher


def known_company(text: str, vocab: Vocabulary, *, whole: bool = False) -> str | None:
    """The IRI of the known company a name denotes (``whole``: the name must be all of ``text``)."""
    for match in _companies(vocab).find(text):
        if not whole or (match.start == 0 and match.end == len(text.rstrip())):
            return match.iri
    return None


def split_title(title: str, vocab: Vocabulary) -> tuple[str, str | None]:
    """A title without its company part, and the company named in it (if any)."""
    parts = _DOTTED.split(title)
    if len(parts) >= 2 and _plausible_company(parts[1], vocab):
        return parts[0].strip(), parts[1].strip()
    paren = _TRAILING_PAREN.match(title)
    if paren and _plausible_company(paren.group("name"), vocab, strict=True):
        return paren.group("title").strip(" -–—,"), paren.group("name").strip()
    at = _AT_TITLE.match(title)
    if at and _plausible_company(at.group("name"), vocab):
        return at.group("title").strip(), at.group("name").strip()
    return title.strip(), None


def _plausible_company(name: str, vocab: Vocabulary, *, strict: bool = False) -> bool:
    """A known company, or (unless ``strict`` allows only mixed-case names) a capitalised name."""
    name = name.strip()
    if known_company(name, vocab, whole=True):
        return True
    if not re.fullmatch(_NAME, name) or _NOT_COMPANY.match(name):
        return False
    words = name.split()
    if strict and any(w.isupper() and len(w) > 1 for w in words):
        return False
    return not any(w.casefold() in ("remote", "area", "or", "and", "analysis", "based") for w in words)


def find_company(lines: list[str], title_company: str | None, vocab: Vocabulary) -> tuple[str | None, str | None]:
    """The company of a posting as (label, IRI); unknown companies get an IRI from their name."""
    name = title_company
    if name is None:
        name = _about_or_at(lines, vocab)
    if name is None:
        named = _companies(vocab).find("\n".join(lines))
        if named:
            return vocab.companies[named[0].iri].label, named[0].iri
        return None, None
    iri = known_company(name, vocab, whole=True) or known_company(name, vocab)
    if iri:
        return vocab.companies[iri].label, iri
    slug = _SLUG.sub("-", name.casefold()).strip("-")
    return (name, COMPANY + slug) if slug else (None, None)


def _about_or_at(lines: list[str], vocab: Vocabulary) -> str | None:
    at_name: str | None = None
    for text in lines:
        about = _ABOUT.match(text.strip())
        if about and _plausible_company(about.group("name"), vocab):
            return about.group("name")
        if at_name is None:
            for found in _AT.finditer(text):
                candidate = found.group("name")
                known = [m for m in _companies(vocab).find(candidate) if m.start == 0]
                if known:
                    at_name = vocab.companies[known[0].iri].label
                    break
                if _plausible_company(candidate, vocab, strict=True) and len(candidate.split()) <= 3:
                    at_name = candidate
                    break
    return at_name


def find_role(title: str | None, lines: list[str], vocab: Vocabulary) -> tuple[str | None, str | None]:
    """The canonical role (label, IRI) of a title, else of "looking for a ..." in the text."""
    roles = _roles(vocab)
    if title:
        iri = _longest(roles, title) or _longest(roles, _SENIORITY.sub("", title))
        if iri:
            return vocab.roles[iri].label, iri
    for text in lines[:40]:
        for cue in _LOOKING_FOR.finditer(text):
            iri = _longest(roles, text[cue.end() : cue.end() + 80], anchored=True)
            if iri:
                return vocab.roles[iri].label, iri
    return None, None


def _longest(matcher: LabelMatcher, text: str, *, anchored: bool = False) -> str | None:
    matches = matcher.find(text)
    if anchored:
        matches = [m for m in matches if m.start == 0]
    if not matches:
        return None
    best = max(matches, key=lambda m: (m.end - m.start, -m.start))
    return best.iri
