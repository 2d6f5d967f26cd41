"""The role of a title that names a technology and a developer: "Laravel Developer", "Svelte Engineer".

No role label names every framework a title may put before "developer"; the skills' hierarchy (``skos:broader``)
says what each is part of. Laravel is PHP's, and a PHP developer is a backend developer; Svelte is frontend
development's, whose developer is a frontend developer; SwiftUI is iOS development's, a mobile developer's. A
general-purpose language (one of no field but programming languages: Rust, C++, Kotlin) makes software of any kind:
its developer, and the developer of a technology under it that names no narrower one, is a software developer.
"""

from __future__ import annotations

import re

from kg.extract.vocabulary import Concept, Vocabulary
from kg.namespaces import DOMAIN

#: A title that is a technology and the word for who works with it: "Laravel Developer", "Golang Engineer".
_TECHNOLOGY_TITLE = re.compile(r"^(?P<technology>\S.{0,39}?)\s+(?:developer|engineer|programmer)$", re.IGNORECASE)
#: The last word of a practice and of who practises it: "Frontend development", a frontend developer.
_PRACTICE = re.compile(r"\s+(?P<word>development|engineering)$", re.IGNORECASE)
_PRACTITIONER = {"development": "developer", "engineering": "engineer"}
_LANGUAGES = DOMAIN + "programming-languages"
#: The field whose practitioner a general-purpose language's developer is: "Software development", a software developer.
_SOFTWARE = DOMAIN + "software-engineering"


def technology_role(title: str, vocab: Vocabulary) -> str | None:
    """The IRI of the role of a title that is all a known technology and "developer" (or "engineer",
    "programmer"), without seniority or qualifier: the role of a developer of the technology or of the nearest
    of its broader skills that names one ("Laravel Developer" by PHP, a backend developer's; "Ionic Developer"
    by mobile development). At the same distance a field is tried before a programming language ("Ionic" is
    mobile development's and JavaScript's). Where no skill on the way names a role, a software developer's role if
    the way meets a general-purpose language ("Rust Developer", "Boost Developer" by C++), else None ("Kubernetes
    Engineer")."""
    found = _TECHNOLOGY_TITLE.match(title.strip())
    if not found:
        return None
    technology = found.group("technology")
    level = {m.iri for m in vocab.matcher("skills").find(technology) if m.start == 0 and m.end == len(technology)}
    seen = set(level)
    while level:
        for iri in sorted(level, key=lambda i: (_LANGUAGES in vocab.skills[i].broader, i)):
            role = _developer_of(vocab.skills[iri], vocab)
            if role:
                return role
        level = {up for iri in level for up in vocab.skills[iri].broader if up in vocab.skills} - seen
        seen |= level
    software = vocab.domains.get(_SOFTWARE)
    if software and any(vocab.skills[iri].broader == (_LANGUAGES,) for iri in seen):
        return _developer_of(software, vocab)
    return None


def _developer_of(concept: Concept, vocab: Vocabulary) -> str | None:
    """The role whose label names who works with a skill or in a field: "PHP developer" of PHP, "Frontend developer"
    of frontend development, "Release engineer" of release engineering, "Software developer" of software
    development."""
    roles = vocab.matcher("roles")
    for label in concept.labels:
        practice = _PRACTICE.search(label)
        if practice:
            title = f"{label[: practice.start()]} {_PRACTITIONER[practice.group('word').casefold()]}"
        else:
            title = f"{label} developer"
        for match in roles.find(title):
            if match.start == 0 and match.end == len(title):
                return match.iri
    return None
