"""Promote an unknown term into the vocabulary: one row in the user's list of added skills.

The list (``$KG_ADDED_SKILLS``, else ``added-skills.tsv`` beside the default store in
``$XDG_DATA_HOME/kg``) has the columns of a grow list, ``id, prefLabel, altLabels, domain,
count``; :func:`kg.extract.load_vocabulary` adds its skills to the bundled vocabulary, so the
next ``kg extract`` or ``kg ingest`` links the term.
"""

from __future__ import annotations

import csv
import io
import os
import re
from pathlib import Path

from kg.errors import UsageError

HEADER = ("id", "prefLabel", "altLabels", "domain", "count")
_SLUG = re.compile(r"[^a-z0-9+#.]+")


def added_skills_path() -> Path:
    """``$KG_ADDED_SKILLS``, else ``$XDG_DATA_HOME/kg/added-skills.tsv`` (``~/.local/share/kg/added-skills.tsv``)."""
    explicit = os.environ.get("KG_ADDED_SKILLS")
    if explicit:
        return Path(explicit).expanduser()
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "kg" / "added-skills.tsv"


def skill_id(label: str) -> str:
    """The id an added skill gets: its label in lower case, words joined by hyphens ("Polars", "duckdb")."""
    slug = _SLUG.sub("-", label.casefold()).strip("-")
    if not slug:
        raise UsageError(f"cannot make a skill id from {label!r}")
    return slug


def promote(term: str, *, aliases: tuple[str, ...] = (), domain: str | None = None, count: int = 0,
            path: Path | None = None) -> tuple[Path, str]:
    """Add ``term`` as a skill to the list of added skills; returns the list's path and the new skill's id.

    Raises:
        UsageError: the term is empty or already a skill of the vocabulary.
    """
    from kg.extract.vocabulary import load_vocabulary

    label = " ".join(term.split())
    if not label:
        raise UsageError("give the term to promote")
    known = load_vocabulary().matcher("skills").find(label)
    whole = [m for m in known if m.start == 0 and m.end == len(label)]
    if whole:
        vocab = load_vocabulary()
        raise UsageError(f"{label!r} is already a skill: {vocab.skill_label(whole[0].iri)} <{whole[0].iri}>")
    target = path or added_skills_path()
    ident = skill_id(label)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter="\t", lineterminator="\n")
    if not target.is_file():
        writer.writerow(HEADER)
    writer.writerow((ident, label, "|".join(a.strip() for a in aliases if a.strip()), domain or "", count))
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("a", encoding="utf-8") as handle:  # appending one line: a crash leaves whole lines
        handle.write(buffer.getvalue())
    return target, ident
