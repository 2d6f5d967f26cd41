"""The nouns that name a job ("engineer", "analyst", "threat hunter"): one list for every rule that asks whether
text names a job (a title's last word, a markdown heading that is a posting's title, a dashed part of a title
before its company, a part of a line that is no place).
"""

from __future__ import annotations

import re

__all__ = ["JOB_NOUN", "JOB_NOUNS"]

#: A job noun, in the singular, as a regular expression's alternatives (each may end in "s").
JOB_NOUNS = (
    r"engineer|engr|scientist|architect|developer|programmer|analyst|manager|researcher|intern|internship|postdoc|"
    r"postdoctoral|specialist|lead|head|director|consultant|scholar|technologist|administrator|designer|linguist|"
    r"fellow|officer|coordinator|associate|representative|technician|strategist|advocate|instructor|lecturer|"
    r"professor|tester|pentester|hacker|responder|threat\s+hunter|team\s+operator|writer"
)
#: A job noun anywhere in a text: "Senior Data Engineer", "Technical Lead (ML)", "Head of Data".
JOB_NOUN = re.compile(rf"\b(?:{JOB_NOUNS})s?\b", re.IGNORECASE)
