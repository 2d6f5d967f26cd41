"""Who posted a job and for which role: title, company and canonical role.

The company comes from, in order: the title ("Title (Company)", "Title · Company
· Place", "Title at Company"), a labelled line ("Company: Acme", "Employer: Acme";
"Organization: Acme" only without one of those, as it often names a division), an
"About Company" line, "at Company" in the text, or the known company named first. The role is the longest role
label (prefLabel or altLabel) found in the title, else after "looking for a".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kg.extract.job_nouns import names_job
from kg.extract.matcher import LabelMatcher, skill_context
from kg.extract.places import names_place
from kg.extract.sections import header_section
from kg.extract.technology_roles import technology_role
from kg.extract.vocabulary import Vocabulary
from kg.namespaces import COMPANY

_WORD = r"[\w&'’-]{0,30}(?:\.[\w&'’-]{1,30})?"
_NAME = rf"[A-Z]{_WORD}(?:[ \t](?:&[ \t])?[A-Z0-9]{_WORD}){{0,3}}"  # "Procter & Gamble" too
_IN_A_LIST = re.compile(r"\s{0,2}(?:,\s{0,2}[A-Z*]|(?:or|and)\s{1,3}[A-Z*])")
_TRAILING_PAREN = re.compile(r"^(?P<title>.{2,200}?)\s*\((?P<name>[^()]{1,60})\)\s*$")
_DOTTED = re.compile(r"\s+[·•|]\s+")
_DASHED = re.compile(r"\s+[-–—]\s+")
#: The last word of a team, a division or a product rather than a company: "- Public Sector", "- Vision Pro".
_UNIT = re.compile(
    r"\b(?:Engineering|Sector|Team|Group|Division|Department|Research|Platform|Pro|Services|Operations|Infrastructure|"
    r"Solutions|Products?|Remote|Hybrid|Onsite|Contract|Internship|Office)$"
)
_AT_TITLE = re.compile(rf"^(?P<title>.{{2,120}}?)\s+(?:at|@)\s+(?P<name>{_NAME})\s*(?:\(.*\))?$")
_ABOUT = re.compile(rf"^\W{{0,6}}About\s+(?P<name>{_NAME})\W{{0,6}}$")
_AT = re.compile(rf"\b[Aa]t\s+(?P<name>{_NAME})")
#: A line that names the employer after a label: "Company: Acme", "**Employer:** Acme", "| Company name | Acme |".
_LABELLED = re.compile(
    r"^\W{0,6}(?:(?P<strong>company(?:\s+name)?|employer|hiring\s+(?:company|organi[sz]ation))|organi[sz]ation)"
    r"\s*(?::|\|)\s*(?P<name>[^|]{2,80}?)[\s|]*$",
    re.IGNORECASE,
)
#: What a labelled line says when it does not name the employer: "Company: Confidential".
_UNNAMED = re.compile(
    r"^(?:confidential|undisclosed|not\s+disclosed|n/?a|none|tbd|various|multiple|private|(?:our|a)\s+client|client)\b",
    re.IGNORECASE,
)
#: The lower-case words a company's name may hold: "Bank of America", "The Home Depot".
_NAME_LINKS = frozenset({"of", "and", "the", "for", "de", "du", "la", "le", "und", "von", "van", "y", "&", "+"})
#: Lower-cased substrings one of which every match of ``_LOOKING_FOR`` holds.
_LOOKING_FOR_ANCHORS = ("looking", "seeking", "hiring", "searching", "join")
_LOOKING_FOR = re.compile(
    r"\b(?:looking\s+for|seeking|hiring|searching\s+for|join\s+(?:us|our\s+team)\s+as)\s+(?:an?\s+|our\s+next\s+)?",
    re.IGNORECASE,
)
_NOT_COMPANY = re.compile(
    r"^(?:The|This|That|These|Our|Your|All|Any|Least|Most|Scale|Home|Work|Night|First|Large|Speed|Present|"
    r"Times|Remote|Hybrid|Onsite|Internship|Intern|Senior|Junior|Dept|Department|Level|Team|Boston|Bay|"
    r"Formerly|Previously|US|USA|United|New|San|Los|Full|Part|Contract|Fall|Spring|Summer|Winter|Us|"
    r"Job|Role|You|We|It|Least|Minimum|Each|Every|One|Some|Scale|PhD|Ph\.D|MS|BS|Master|Bachelor|"
    r"Google\s+Cloud\s+Platform)\b"
)
#: After a company's name, words that make it the employer: "Google is hiring", "Acme's engineering team".
_HIRES_AFTER = re.compile(
    r"(?:\s{1,3}[A-Z][\w&-]{0,20}){0,2}(?:\s{1,3}\([^()]{1,40}\))?"  # "Apple SPG (Special Projects Group) is"
    r"\s{0,2}(?:(?:is|are)\s{1,3}(?:now\s{1,3})?(?:hiring|looking|seeking|searching|recruiting|growing)\b|"
    r"(?:['’]s)?\s{1,3}(?:offers|provides\s{1,3}(?:equal|competitive)|careers|recruit|culture|values)\b|"
    r"['’]s\s|"  # "Splunk's data platform", "Berkeley Lab's Applied Math Division"
    r"\s{1,3}(?:is|are)\s{1,3}(?:a|an|the)\s[^.\n]{0,80}?\b(?:company|startup|leader|provider|firm|organi[sz]ation|"
    r"lab|laboratory|institute|university|employer)\b)"
)
#: After a company's name that opens a sentence, a verb that describes the company: "Acme builds robots".
_DESCRIBES = re.compile(
    r"\s{1,3}(?:builds|develops|makes|creates|designs|provides|helps|offers|powers|delivers|operates|serves|enables|"
    r"was\s{1,3}founded|has\s{1,3}been|believes|invests|connects)\b"
)
#: After a company's name, a word that makes the name a product's: "NVIDIA GPUs", "Apple devices".
_PRODUCT_AFTER = re.compile(
    r"\s{1,3}(?:GPUs?|devices?|APIs?|SDKs?|stack|tools?|cloud|services)\b|"
    r"\s(?!(?:Inc|Research|Labs?|LLC|Corporation|Group|Technologies|is|are|has)\b)[A-Z][a-z]{2,}"  # "Google Ads"
)
#: Before a company's name: "join Acme", "work for Acme", "careers at Acme", "Acme is".
_HIRES_BEFORE = re.compile(
    r"\b(?:[Jj]oin(?:\s{1,3}us\s{1,3}at)?|[Ww]ork(?:ing)?\s{1,3}(?:for|at)|[Cc]areers?\s{1,3}at|[Ll]ife\s{1,3}at|"
    r"[Ww]hy|[Ee]mployees\s{1,3}(?:of|at)|[Hh]ired\s{1,3}by|[Ww]ithin|[Aa]cross)\s{1,3}$"
)
_IS_HIRING = re.compile(
    rf"^(?P<name>{_NAME})\s+(?:is|are)\s+(?:now\s+|currently\s+)?(?:hiring|looking\s+for|seeking|recruiting)"
    r"\s+(?:an?\s+|(?:our|their)\s+(?:next|new|first)\s+)?(?P<title>[^.!?;:]{3,100})"
)
_SENIORITY = re.compile(
    r"^(?:senior|sr\.?|junior|jr\.?|staff|principal|lead|chief|head|associate|entry[- ]level)\s+", re.IGNORECASE
)
_SLUG = re.compile(r"[^a-z0-9]+")
_TITLE_WORD = re.compile(r"[a-z0-9][a-z0-9+#]*")
#: Where a title's qualifier begins: "Software Engineer, iOS", "Engineer - Platform", "Engineer (NLP)".
_QUALIFIER = re.compile(r"\s*,\s*|\s+[-–—|]\s+|\s*[(\[]\s*")
_SYNONYMS = {
    "engr": ("engineer",), "developer": ("engineer",), "programmer": ("engineer",), "ml": ("machine", "learning"),
    "dl": ("deep", "learning"), "researcher": ("scientist",), "sr": (), "jr": (),
    "internship": ("intern",), "architects": ("architect",), "engineers": ("engineer",),
}
_FILLER = frozenset(
    ["senior", "junior", "staff", "principal", "lead", "chief", "associate", "head", "of", "and", "the", "a", "an",
     "for", "in", "at", "with", "i", "ii", "iii", "iv", "remote", "hybrid", "onsite", "us", "usa", "dept", "level",
     "entry"]
)
#: The kind of job a title's head noun names; a role must be of the same kind.
_KINDS = {
    "engineer": "engineer", "scientist": "scientist", "architect": "architect", "manager": "manager",
    "director": "manager", "analyst": "analyst", "intern": "intern", "internship": "intern",
    "postdoctoral": "postdoc", "postdoc": "postdoc", "researcher": "scientist", "developer": "engineer",
    "engr": "engineer", "programmer": "engineer",
    "linguist": "linguist", "advocate": "advocate", "specialist": "engineer", "consultant": "consultant",
    "administrator": "administrator", "designer": "designer", "tester": "tester", "technician": "technician",
    "writer": "writer",
}


def known_company(text: str, vocab: Vocabulary, *, whole: bool = False) -> str | None:
    """The IRI of the known company a name denotes (``whole``: the name must be all of ``text``)."""
    for match in vocab.matcher("companies").find(text):
        if not whole or (match.start == 0 and match.end == len(text.rstrip())):
            return match.iri
    return None


def known_skill(text: str, vocab: Vocabulary, *, firm: bool = False) -> bool:
    """True when all of ``text`` is a skill label ("Python", "Machine Learning"); ``firm``: one that is no
    everyday word (not ``kg:ambiguousLabel``: "Oracle", "Google" may be the companies)."""
    stripped = text.strip()
    return any(m.start == 0 and m.end == len(stripped) and not (firm and m.ambiguous)
               for m in vocab.matcher("skills").find(stripped))


def _names_a_skill(name: str, vocab: Vocabulary) -> bool:
    """True for a part of a title that names a skill ("- Python", "(Android)"), not the employer: a known company
    whose name is also an everyday-word label ("- Google", "(Oracle)") is the company."""
    return known_skill(name, vocab, firm=known_company(name, vocab, whole=True) is not None)


def split_title(title: str, vocab: Vocabulary) -> tuple[str, str | None]:
    """A title without its company part, and the company named in it (if any)."""
    parts = _DOTTED.split(title)
    if len(parts) >= 2 and _plausible_company(parts[1], vocab):
        return parts[0].strip(), parts[1].strip()
    dashed = _DASHED.split(title)
    several = len(dashed) > 2
    if len(dashed) == 2 and names_job(dashed[0]) and _after_title_is_place(dashed[1], vocab):
        return dashed[0].strip(), None  # "Software Engineer - London", "Nurse - Berlin, Germany"
    if several:  # "Title - Qualifier - Company", "Title - Company - Place", "Title - Remote - Company"
        dashed = [dashed[0], *(part for part in dashed[1:] if not _after_title_is_place(part, vocab))]
    if (
        len(dashed) in (2, 3)
        and names_job(dashed[0])
        and _plausible_company(dashed[-1], vocab, strict=True)
        and not _names_a_skill(dashed[-1], vocab)  # "- Python" names a skill
        and not _UNIT.search(dashed[-1])  # "- Public Sector" a team
        and not (several and _everyday_name(dashed[-1], vocab))  # "ML Engineer - NLP - Search": a team again
        and not _qualifies_role(dashed[0], dashed[-1], vocab)  # "Software Engineer - Frontend": a kind of the job
    ):
        return " - ".join(part.strip() for part in dashed[:-1]), dashed[-1].strip()
    paren = _TRAILING_PAREN.match(title)
    if (
        paren
        and _plausible_company(paren.group("name"), vocab, strict=True)
        and not _names_a_skill(paren.group("name"), vocab)  # "(Android)" names a skill
        and not _qualifies_role(paren.group("title"), paren.group("name"), vocab)  # "(Backend)" a kind of the job
    ):
        return paren.group("title").strip(" -–—,"), paren.group("name").strip()
    at = _AT_TITLE.match(title)
    if at and _plausible_company(at.group("name"), vocab):
        return at.group("title").strip(), at.group("name").strip()
    return title.strip(), None


def _after_title_is_place(part: str, vocab: Vocabulary) -> bool:
    """True when the part of a title after its dash is a place ("London", "New York, NY", "Seattle"), not a known
    company whose name is a place's too ("Meta"), nor a skill named like a city alone ("Cypress", "Erlang")."""
    return (names_place(part) and known_company(part, vocab, whole=True) is None
            and (names_place(part, cities=False) or not known_skill(part, vocab)))


def _qualifies_role(title: str, name: str, vocab: Vocabulary) -> bool:
    """True when ``name`` after a title says which kind of the job it is: with the title it holds a role's label
    ("Software Engineer - Frontend", a frontend engineer; "Data Engineer - Cloud"), so it is no company."""
    words = _words(name)
    return bool(words) and _by_words(f"{title} {name}", vocab, holding=words) is not None


def _everyday_name(name: str, vocab: Vocabulary) -> bool:
    """True for a name of everyday English words only ("Search", "Ads Quality") that is no known company."""
    from kg.extract.unknown import common_words

    common = common_words()
    return all(w.casefold() in common for w in name.split()) and not known_company(name, vocab, whole=True)


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
        name = labelled_company(lines)
    if name is None:
        name = _hiring_company(lines[:_HIRING_LINES])
    if name is None:
        name = _about_or_at(lines, vocab)
    if name is None:
        found = _known_and_hiring(lines, vocab)
        if found is None:
            return None, None
        return vocab.companies[found].label, found
    iri = known_company(name, vocab, whole=True) or known_company(name, vocab)
    if iri:
        return vocab.companies[iri].label, iri
    slug = _SLUG.sub("-", name.casefold()).strip("-")
    return (name, COMPANY + slug) if slug else (None, None)


#: Words that ask for experience or say that a product is used ("You know Splunk", "We use Databricks"): a company
#: named after one (on its line, within 80 characters) is a product the job uses.
_ASKS_FOR = re.compile(
    r"\b(?:experience|expertise|proficien\w*|familiar\w*|knowledge|know|knows|years?|months?|use|uses|using|used"
    r"|work(?:ing)?\s+with|built\s+(?:on|with))\b",
    re.IGNORECASE,
)
#: How many of a posting's first lines may say who hires ("Harbor & Pine is hiring a Security Engineer").
_HIRING_LINES = 12


def _hiring_company(lines: list[str]) -> str | None:
    """The company of the first line that says it is hiring for a job: the text says who hires, whatever the
    title says (an unknown company's name is found nowhere else; a known one's too, before a product it names)."""
    for text in lines:
        if (found := hiring_line(text)) is not None:
            return found[0]
    return None


def _known_and_hiring(lines: list[str], vocab: Vocabulary) -> str | None:
    """The known company the text names as the one that hires, not as a product the job uses.

    First a company named where the text says it hires ("Google is looking for", "join Acme",
    "Acme's team"); else one named by its own name (not an alias such as AWS) outside a skill
    context, a list of skills or a product's name ("Google Test", "NVIDIA CUDA", "experience
    with Salesforce").
    """
    joined = "\n".join(lines)
    found = vocab.matcher("companies").find(joined)
    for match in found:
        if _HIRES_AFTER.match(joined, match.end) or _HIRES_BEFORE.search(joined, max(0, match.start - 40), match.start):
            return match.iri
        before = joined[max(0, match.start - 2) : match.start]
        opens = match.start == 0 or before[-1:] == "\n" or before == ". "
        if opens and _DESCRIBES.match(joined, match.end):
            return match.iri  # a sentence about the company: "Northwind builds robots"
    opening = sum(len(line) + 1 for line in lines[:3])
    asked = _asked_from(lines)
    for match in found:
        if joined[match.start : match.end] != vocab.companies[match.iri].label:
            continue
        if asked is not None and match.start >= asked:
            continue  # under "Requirements:", a company's name is a product the job asks for
        if skill_context(joined, match.start, match.end) or _PRODUCT_AFTER.match(joined, match.end):
            continue
        opened = joined.rfind("(", max(0, match.start - 60), match.start)
        if opened >= 0 and ")" not in joined[opened : match.start] and "\n" not in joined[opened : match.start]:
            continue  # named in brackets, as an example of a tool: "SIEM tooling (Splunk, Sentinel)"
        line_start = joined.rfind("\n", 0, match.start) + 1
        if _ASKS_FOR.search(joined, max(line_start, match.start - 80), match.start):
            continue  # a line that asks for experience names a product: "a year of work with Databricks"
        low = max(0, joined.rfind("\n", 0, match.start) + 1, match.start - 60)  # the skills around it, on its line
        high = joined.find("\n", match.end)
        high = min(match.end + 60, len(joined) if high < 0 else high)
        near = [(m.start + low, m.end + low) for m in vocab.matcher("skills").find(joined[low:high])]
        early = match.start < opening  # the opening lines speak of the employer ("This role supports Acme's tools")
        if not any(_names_a_product(start, end, match.start, match.end, joined, early) for start, end in near):
            return match.iri
    return None


def _asked_from(lines: list[str]) -> int | None:
    """Where, in the lines joined, the first section opens that lists what the job asks for ("Requirements:",
    "Nice to have:"), or None: what follows names products and skills, not the employer."""
    position = 0
    for line in lines:
        section = header_section(line)
        if section is not None and section.explicit and not section.skip:
            return position
        position += len(line) + 1
    return None


def _names_a_product(start: int, end: int, name_start: int, name_end: int, text: str, early: bool) -> bool:
    """True when the skill at ``start:end`` makes the company name at ``name_start:name_end`` a product's:
    it is longer and holds the name ("Google Test"), or (outside the ``early`` lines) it stands right
    next to it ("Amazon AWS", "AWS, Google or Azure")."""
    if start <= name_start and name_end <= end:
        return (start, end) != (name_start, name_end)
    if early or (name_start <= start and end <= name_end):
        return False  # a skill inside the name: "EDA" in "Siemens EDA"
    gap = text[end:name_start] if end <= name_start else text[name_end:start]
    return len(gap) <= 5 and gap.strip(" \t,/&|()-") in ("", "or", "and")  # "Amazon AWS", "AWS, Google or Azure"


def hiring_line(text: str) -> tuple[str, str] | None:
    """(company, title) of a line such as "Stripe is hiring a Machine Learning Engineer"."""
    found = _IS_HIRING.match(text.strip())
    if found is None or _NOT_COMPANY.match(found.group("name")):
        return None
    title = found.group("title").strip(" .,:;!")
    return (found.group("name"), title) if title[:1].isupper() and names_job(title) else None


def labelled_company(lines: list[str]) -> str | None:
    """The name on the first "Company:" (or "Company name:", "Employer:", "Hiring company:") line, else on
    the first "Organization:" line: a posting copied from a board or an ATS says who hires that way.

    The value must read as a name (a few capitalised words, "Bank of America"), not a sentence or
    "Confidential".
    """
    organization: str | None = None
    for text in lines:
        if len(text) > 100 or not (found := _LABELLED.match(text)):
            continue
        name = found["name"].strip(" \t*;,")
        words = name.split()
        if (
            not 1 <= len(words) <= 6
            or _UNNAMED.match(name)
            or re.search(r"[.!?:]\s", name)
            or not all(w[:1].isupper() or w[:1].isdigit() or w in _NAME_LINKS for w in words)
            or words[0].islower()  # "the Home Depot": a link word cannot open the name
        ):
            continue
        if found["strong"]:
            return name
        organization = organization or name
    return organization


def _about_or_at(lines: list[str], vocab: Vocabulary) -> str | None:
    at_name: str | None = None
    for text in lines:
        about = _ABOUT.match(text.strip()) if "About" in text else None
        if about and _plausible_company(about.group("name"), vocab):
            return about.group("name")
        if at_name is None and ("at " in text or "At " in text or "at\t" in text or "At\t" in text):
            for found in _AT.finditer(text):
                candidate = found.group("name")
                known = [m for m in vocab.matcher("companies").find(candidate) if m.start == 0]
                if known:
                    at_name = vocab.companies[known[0].iri].label
                    break
                if (
                    _plausible_company(candidate, vocab, strict=True)
                    and len(candidate.split()) <= 3
                    and not _IN_A_LIST.match(text, found.end("name"))
                ):
                    at_name = candidate
                    break
    return at_name


def find_role(title: str | None, lines: list[str], vocab: Vocabulary) -> tuple[str | None, str | None]:
    """The canonical role (label, IRI) of a title, else of "looking for a ..." in the text."""
    roles = vocab.matcher("roles")
    if title:
        exact = _longest(roles, title) or _longest(roles, _SENIORITY.sub("", title))
        loose = _by_words(title, vocab)
        iri = exact
        size = _size(exact, title, vocab) if exact else 0
        if loose and (loose[0] > size + 1 or (size <= 1 and loose[0] > size)):
            iri = loose[1]  # "Scientist, NLP" is an NLP scientist more than a scientist
        qualified = _qualified(title, iri, vocab) if iri else None
        if iri and qualified and qualified[1] != iri and qualified[0] >= size and _broader(iri, qualified[1], vocab):
            iri = qualified[1]  # "Software Engineer, iOS" is a mobile developer, a kind of software engineer
        if not iri:  # "Senior Laravel Developer (Remote)" is a PHP developer, a backend developer
            iri = technology_role(_SENIORITY.sub("", _QUALIFIER.split(title, maxsplit=1)[0]), vocab)
        if iri:
            return vocab.roles[iri].label, iri
    for text in lines[:40]:
        lowered = text.lower()
        if not any(word in lowered for word in _LOOKING_FOR_ANCHORS):
            continue
        for cue in _LOOKING_FOR.finditer(text):
            iri = _longest(roles, text[cue.end() : cue.end() + 80], anchored=True)
            if iri:
                return vocab.roles[iri].label, iri
    return None, None


def names_role(text: str, vocab: Vocabulary) -> bool:
    """True for a line whose head, before its qualifier and after its seniority, is all one role label: "Account
    Executive", "HR Generalist - Remote", "RN - ICU" name a job whose last word is no job noun of the taxonomies
    ("executive" and "worker" are everyday words, "generalist" ends too few of their titles, "RN" is initials)."""
    head = _SENIORITY.sub("", _QUALIFIER.split(text.strip(), maxsplit=1)[0])
    return bool(head) and any(m.start == 0 and m.end == len(head) for m in vocab.matcher("roles").find(head))


def _broader(role: str, than: str, vocab: Vocabulary) -> bool:
    """True when ``role`` is a broader role of ``than``: a title's qualifier names the role only where it narrows
    the title's ("Software Engineer, iOS" is a mobile developer; "Data Engineer - Python" stays a data engineer,
    though "Python engineer" is a software engineer's label, and "Data Engineer - Cloud" is no cloud engineer)."""
    seen, todo = set(), [than]
    while todo:
        concept = vocab.roles.get(todo.pop())
        for up in concept.broader if concept else ():
            if up == role:
                return True
            if up not in seen:
                seen.add(up)
                todo.append(up)
    return False


def _size(iri: str, title: str, vocab: Vocabulary) -> int:
    """The number of words of the longest label of a role that the title contains."""
    words = _words(title)
    return max((len(w) for w in _role_words(vocab).of_role.get(iri, ()) if w <= words), default=0)


def _by_words(title: str, vocab: Vocabulary, holding: frozenset[str] = frozenset()) -> tuple[int, str] | None:
    """The role whose label's words all occur in the title, in any order and with others between,
    and whose kind of job (engineer, scientist, manager...) is the title's: "AI Software Library
    Senior Development Engineer" is an "AI software library engineer". The label with most words wins;
    with ``holding``, only a label that holds those words too ("ios" of "Software Engineer, iOS")."""
    words = _words(title)
    kind = _kind(title)
    if kind is None:
        return None
    best: tuple[int, str] | None = None
    for label_words, iri in _role_words(vocab).of_kind.get(kind, ()):
        if holding <= label_words <= words and (best is None or len(label_words) > best[0]):
            best = (len(label_words), iri)
    return best


def _qualified(title: str, role: str, vocab: Vocabulary) -> tuple[int, str] | None:
    """The role a title's qualifier names: the part after its first comma, dash or bracket ("Software Engineer,
    iOS", "Machine Learning Engineer (NLP)"). Its label holds every word of the qualifier and no word the title
    lacks, and it is of the title's kind (the longest such label; none where the qualifier says more than a role:
    "Software Engineer - Apple Vision Pro", "Engineer, Operations Research"). A title of no kind of job is read as
    the name of the ``role`` it gave: "Tech Lead, Machine Learning" as "Software engineer, Machine Learning"."""
    parts = _QUALIFIER.split(title, maxsplit=1)
    qualifier = _words(parts[1]) if len(parts) == 2 else frozenset()
    if not qualifier:
        return None
    if _kind(title) is None:
        title = f"{vocab.roles[role].label}, {parts[1]}"
    return _by_words(title, vocab, holding=qualifier)


def _words(text: str) -> frozenset[str]:
    """The lower-case words of a title, with synonyms made one ("engr" is "engineer", "ML" is machine learning)."""
    out: set[str] = set()
    for word in _TITLE_WORD.findall(text.casefold()):
        if len(word) > 4 and word.endswith("s") and not word.endswith(("ss", "us", "ics")):
            word = word[:-1]  # "compilers" as "compiler"
        out.update(_SYNONYMS.get(word, (word,)))
    return frozenset(out - _FILLER)


def _kind(text: str) -> str | None:
    """The kind of job the last job noun of a title names ("Engineer Intern" is an intern)."""
    kinds = [_KINDS[w] for w in _TITLE_WORD.findall(text.casefold()) if w in _KINDS]
    return kinds[-1] if kinds else None


@dataclass(frozen=True)
class _RoleWords:
    """The words of the role labels, in the order of the roles' IRIs: by kind of job (the labels of two words or
    more, with their IRI), and by role."""

    of_kind: dict[str, list[tuple[frozenset[str], str]]]
    of_role: dict[str, list[frozenset[str]]]


def _role_words(vocab: Vocabulary) -> _RoleWords:
    """The words of every role label, by kind and by role, computed once per vocabulary (a title is compared with
    the labels of its kind only)."""
    cached = vocab.cache.get("role-words")
    if cached is None:
        of_kind: dict[str, list[tuple[frozenset[str], str]]] = {}
        of_role: dict[str, list[frozenset[str]]] = {}
        for concept in sorted(vocab.roles.values(), key=lambda c: c.iri):
            for label in concept.labels:
                words, kind = _words(label), _kind(label)
                of_role.setdefault(concept.iri, []).append(words)
                if kind is not None and len(words) >= 2:
                    of_kind.setdefault(kind, []).append((words, concept.iri))
        cached = vocab.cache["role-words"] = _RoleWords(of_kind, of_role)
    found: _RoleWords = cached
    return found


def _longest(matcher: LabelMatcher, text: str, *, anchored: bool = False) -> str | None:
    matches = matcher.find(text)
    if anchored:
        matches = [m for m in matches if m.start == 0]
    if not matches:
        return None
    best = max(matches, key=lambda m: (m.end - m.start, -m.start))
    return best.iri
