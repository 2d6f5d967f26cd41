"""The nouns that name a job ("engineer", "nurse", "threat hunter"): one list for every rule that asks whether
text names a job (a title's last word, a markdown heading that is a posting's title, a dashed part of a title
before its company, a part of a line that is no place).

Two sources make the list: the nouns of tech jobs below, which may stand anywhere in a title ("Engineer Remote
US"), and the head nouns of every occupation's titles, derived from ESCO and O*NET
(``data/vocabulary/job-nouns.txt``, see :mod:`kg.extract.job_nouns_build`), which name a job where a title's
head stands: last, or before its qualifier ("Research Chemist - Acme", "Nurse (Night Shift)", "Teacher of
Maths"). Some of those are words of other things too ("Cook County", "Data Loader"), so only there.
"""

from __future__ import annotations

import re
from functools import cache

from kg import resources

__all__ = ["JOB_NOUN", "JOB_NOUNS", "ends_in_job_noun", "job_nouns", "names_job"]

#: A job noun of tech postings, in the singular, as a regular expression's alternatives (each may end in "s").
JOB_NOUNS = (
    r"engineer|engr|scientist|architect|developer|programmer|analyst|manager|researcher|intern|internship|postdoc|"
    r"postdoctoral|specialist|lead|head|director|consultant|scholar|technologist|administrator|designer|linguist|"
    r"fellow|officer|coordinator|associate|representative|technician|strategist|advocate|instructor|lecturer|"
    r"professor|tester|pentester|hacker|responder|threat\s+hunter|team\s+operator|writer|sdet|sre"
)
#: A tech job noun anywhere in a text: "Senior Data Engineer", "Technical Lead (ML)", "Head of Data".
JOB_NOUN = re.compile(rf"\b(?:{JOB_NOUNS})s?\b", re.IGNORECASE)
#: Where a part of a title ends: before a qualifier ("- Acme", "(Night Shift)", ", ICU", " of Maths", " at Acme").
_PART_END = re.compile(r"\s*[-–—|·•,;:(/)\[\]]\s*|\s+(?:of|for|at|in|with|to|and|or|&|@)\s+", re.IGNORECASE)
#: The lower-case words of a title: "Teacher of Maths", "Nurse - Days and Nights".
_LINKS = frozenset({"and", "of", "for", "in", "with", "at", "to", "the", "or", "&", "/", "-", "–"})
#: The last word of a text, before a short note in brackets: "Nurse (Nights)".
_LAST_WORD = re.compile(r"([A-Za-z][A-Za-z'’]*)(?:\s*\([^()]{0,30}\))?\W*$")


@cache
def job_nouns() -> frozenset[str]:
    """Every job noun, lower case and in the singular: the head nouns of occupation titles and the tech ones."""
    path = resources.data_dir() / "vocabulary" / "job-nouns.txt"
    text = path.read_text(encoding="utf-8") if path.is_file() else ""
    tech = (alternative.replace(r"\s+", " ") for alternative in JOB_NOUNS.split("|"))
    return frozenset([*(w for w in text.split("\n") if w and not w.startswith("#")), *tech])


def _is_job_noun(word: str) -> bool:
    """True for a job noun, in the singular or the plural ("Nurses", "Actuaries")."""
    word = word.casefold()
    nouns = job_nouns()
    return word in nouns or (word.endswith("s") and (word[:-1] in nouns or word[:-3] + "y" in nouns))


def ends_in_job_noun(text: str) -> bool:
    """True when the last word of ``text`` is a job noun ("Registered Nurse", "Agile Coach", "SDET", "Data
    Engineer (ML)")."""
    found = _LAST_WORD.search(text)
    return found is not None and _is_job_noun(found.group(1))


def names_job(text: str) -> bool:
    """True when ``text`` names a job: a tech job noun anywhere ("Engineer Remote US"), or a job noun as the head
    of a part of it ("Research Chemist - Acme", "Teacher of Maths", "Nurse (Nights)")."""
    if JOB_NOUN.search(text):
        return True
    if not all(word[:1].isupper() or not word[:1].isalpha() or word in _LINKS for word in text.split()):
        return False  # a sentence: "experience with Terraform and Packer"
    return any(ends_in_job_noun(part) for part in _PART_END.split(text) if part)
