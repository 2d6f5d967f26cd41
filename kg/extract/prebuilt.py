"""The skill matcher of the bundled vocabulary, prebuilt: ``data/vocabulary/skill-matcher.json.gz``.

Deriving the matcher's keys (labels in their normal form, with number and verb variants) for
tens of thousands of skills takes seconds; reading them back takes a fraction of that. The
file says which vocabulary it was built from (a fingerprint of the files its skills come from,
``ontology/skills.ttl`` and ``data/vocabulary/wide-skills.tsv``), so a matcher is read from it
only for that vocabulary; any other (a grown one, a test one, a checkout whose ``skills.ttl``
was edited) is built from its concepts as before.

Regenerate it with ``python -m kg.extract.wide_build --matcher`` after changing the vocabulary;
a test checks that it is current.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import logging
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from kg import resources
from kg.extract.matcher import LabelMatcher, marked_key, skill_matcher

if TYPE_CHECKING:
    from kg.extract.vocabulary import Concept

log = logging.getLogger(__name__)

#: Where the prebuilt matcher lives in ``data/``.
TABLE = ("vocabulary", "skill-matcher.json.gz")
#: Changes whenever the way keys are derived changes, so that an old table is not read by new code.
FORMAT = "kg-skill-matcher 2"


def fingerprint(sources: Iterable[Path]) -> str:
    """A digest of the files a vocabulary's skills come from (their bytes), and of the table format."""
    digest = hashlib.sha256(FORMAT.encode())
    for path in sources:
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:32]


def render(matcher: LabelMatcher, stamp: str) -> bytes:
    """The table of a skill matcher: its fingerprint, IRIs, keys, marked keys and the written forms that matter."""
    keys, forms = matcher.state()
    ordered = sorted(keys)
    iris = sorted({iri for iri, _ in keys.values()})
    index = {iri: number for number, iri in enumerate(iris)}
    document = {
        "format": FORMAT,
        "fingerprint": stamp,
        "iris": iris,
        "keys": ordered,
        "marked": [marked_key(key) for key in ordered],
        "iri": [index[keys[key][0]] for key in ordered],
        "ambiguous": [n for n, key in enumerate(ordered) if keys[key][1]],
        "forms": {key: sorted(forms[key]) for key in sorted(forms)},
        "following": {word: sorted(after) for word, after in sorted(matcher.following().items())},
    }
    text = json.dumps(document, ensure_ascii=False, separators=(",", ":"))
    return gzip.compress(text.encode("utf-8"), compresslevel=9, mtime=0)


def load(path: Path, stamp: str) -> LabelMatcher | None:
    """The matcher in a table made with the fingerprint ``stamp``, else None."""
    try:
        document = json.loads(gzip.decompress(path.read_bytes()))
    except (OSError, EOFError, ValueError) as exc:
        log.warning("%s: cannot read the prebuilt skill matcher (%s); building it", path, exc)
        return None
    if document.get("format") != FORMAT or document.get("fingerprint") != stamp:
        return None
    iris = document["iris"]
    flags = [False] * len(document["keys"])
    for number in document["ambiguous"]:
        flags[number] = True
    keys = dict(zip(document["keys"], zip(map(iris.__getitem__, document["iri"]), flags)))
    forms = {key: set(written) for key, written in document["forms"].items()}
    following = {word: frozenset(after) for word, after in document["following"].items()}
    return LabelMatcher.from_state(keys, forms, marked=document["marked"], following=following)


def bundled_matcher(concepts: list[Concept], stamp: str | None) -> LabelMatcher:
    """The skill matcher of ``concepts``: read from the prebuilt table when ``stamp`` is its fingerprint."""
    path = resources.data_file(*TABLE)
    if stamp is not None and path.is_file():
        found = load(path, stamp)
        if found is not None:
            return found
        log.info("the prebuilt skill matcher is not for this vocabulary; building it")
    return skill_matcher(concepts)
