"""Facts other than skills: years of experience, degrees, salary, human languages.

Every pattern here is linear-time: no nested quantifiers, bounded repeats only.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from kg.models import Period, Salary

_NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20,
}
_YEARS = re.compile(
    r"(?<![\w.$])(?P<n>\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty)"
    r"(?:\s{0,2}\+)?(?:\s{0,2}(?:-|–|to)\s{0,2}\d{1,2}(?:\s{0,2}\+)?)?\s{0,2}(?:\(\d{1,2}\)\s{0,2})?"
    r"(?:\+\s{0,2})?(?:years?|yrs?)\b(?P<tail>['’]?[\s,]{0,3}\S{0,24})",
    re.IGNORECASE,
)
_YEARS_CONTEXT = re.compile(
    r"experience|expertise|industry|professional|track\s+record|working|work\b|hands-on|developing|building|"
    r"designing|delivery|programming|coding|proficien",
    re.IGNORECASE,
)
#: What follows "N years" when they are years of experience: "of", "with"..., or what was done in them ("5 years
#: leading data teams", "3+ years shipping iOS apps").
_EXPERIENCE_TAIL = re.compile(
    r"(?:of|with|in|using|experience|exp|shipping|leading|managing|building|developing|designing|writing|"
    r"maintaining|deploying|delivering|creating|architecting|administering|operating|testing|supporting|working|"
    r"programming|coding)\b",
    re.IGNORECASE,
)
_NOT_EXPERIENCE = re.compile(r"old\b|ago\b|program|appointment|degree|postdoc|contract|term\b|warranty", re.IGNORECASE)
_MAX_YEARS = 40

_DEGREE_ORDER = ("Bachelor", "Master", "MBA", "PhD")
_DEGREE_WORDS = re.compile(  # run on lower-cased text
    r"(?=[bmpdgu])(?:(?P<Bachelor>bachelor|\bundergraduate\s+degree)|\b"
    r"(?P<Master>master(?:['’]s\b|s\b|\s+(?:degree|of\s+science|of\s+engineering|in\b))|\bgraduate\s+degree)|\b"
    r"(?P<MBA>mba\b)|\b(?P<PhD>ph\.?\s?d\b|doctorate|doctoral\s+degree|dphil\b))"
)
#: Substrings one of which a text naming a degree holds: in lower case, and as written.
DEGREE_WORD_ANCHORS = ("degree", "bachelor", "master", "mba", "phd", "ph.", "ph d", "doctora", "dphil", "graduate")
DEGREE_LETTER_ANCHORS = ("BS", "BA", "BE", "BT", "MS", "MA", "ME", "MT", "B.", "M.")
#: Substrings (as written) one of which every pay range holds.
MONEY_ANCHORS = ("$", "€", "£", "₹", "Rs", "USD", "EUR", "GBP", "CAD", "AUD", "NZD", "SGD", "HKD", "CHF", "INR", "JPY",
                 "CNY", "LPA", "lakh", "Lakh", "lac", "Lac")
_DEGREE = re.compile(r"\bdegree\b(?!\s{1,3}of\b)")  # "a degree of creativity" names no diploma
_DEGREE_ABBREVIATIONS = re.compile(  # run on the text as written
    r"(?=[BM])\b(?:(?P<Bachelor>B\.\s?(?:S|Sc|E|Eng|A|Tech)\.?(?!\w)|(?:BSc|BEng|BTech|BSEE|BSCS)\b|"
    r"(?:BS|BA|BE)(?=\s{0,2}(?:/|,|or\b|in\b|is\b|(?i:degree|preferred|required)|\()))|"
    r"(?P<Master>M\.\s?(?:S|Sc|E|Eng|A|Tech)\.?(?!\w)|(?:MSc|MEng|MTech|MSEE|MSCS)\b|"
    r"(?:MS|MA)(?=\s{0,2}(?:/|,|or\b|in\b|is\b|(?i:degree|preferred|required)|\())))"
)

#: Human languages, as written; every language a text asks for is one of them.
LANGUAGE_NAMES = (
    "English", "Mandarin", "Chinese", "Cantonese", "Korean", "Japanese", "French", "German", "Spanish", "Dutch",
    "Portuguese", "Italian", "Hindi", "Arabic", "Russian", "Vietnamese", "Hebrew", "Polish", "Swedish",
    "Turkish", "Indonesian", "Thai", "Danish", "Finnish", "Norwegian", "Czech", "Greek", "Malay", "Tagalog",
)
_LANGUAGE = re.compile(r"(?=[A-Z])\b(?P<lang>" + "|".join(LANGUAGE_NAMES) + r")\b")
_LANGUAGE_CONTEXT = re.compile(
    r"fluen|speak|spoken|written|communicat|bilingual|native|language|proficien|verbal|oral|read(?:ing)?\b",
    re.IGNORECASE,
)
_NOT_HUMAN_LANGUAGE = re.compile(r"natural\s+language|language\s+model|programming\s+language", re.IGNORECASE)

#: Currency codes written after or before an amount ("120,000 CAD", "CAD 120,000").
_CODES = "USD|EUR|GBP|CAD|AUD|NZD|SGD|HKD|CHF|INR|JPY|CNY"
_AMOUNT = (
    r"(?P<{0}cur>\$|(?<![A-Za-z])(?:US|CA|C|AU|A|NZ|SG|S|HK)\$|€|£|₹\s?|(?<![A-Za-z])Rs\.?\s?|(?:" + _CODES + r")\s?)?"
    # Indian grouping ("6,00,000", "12,50,000") before the international one
    r"(?P<{0}num>\d{{1,2}}(?:,\d{{2}}){{1,3}},\d{{3}}(?!\d)|\d{{1,3}}(?:,\d{{3}}){{1,3}}|\d{{1,9}}(?:\.\d{{1,2}})?)"
    r"\s?(?:(?P<{0}k>[kK]\b)|(?P<{0}lakh>(?:L|LPA|[Ll]akhs?|[Ll]acs?|[Ll]pa)\b))?(?:\s?(?P<{0}code>" + _CODES + r")\b)?"
    r"(?:\s?/\s?(?:yr|year|hr|hour|mo|month)\b)?"  # "$155,000/yr - $185,000/yr", as job boards write it
)
_SALARY = re.compile(
    _AMOUNT.format("a") + r"\s{0,3}(?:-|–|—|to|and)\s{0,3}" + _AMOUNT.format("b"),
)
_SALARY_CONTEXT = re.compile(
    r"salary|pay\b|compensation|wage|base|range|per\s+(?:year|annum|month|hour)|/\s?(?:yr|year|mo|month|hr|hour)|"
    r"annual|monthly|hourly|ctc\b|lpa\b|lakhs?\b|lacs?\b",
    re.IGNORECASE,
)
_PERIOD_WORDS: tuple[tuple[Period, re.Pattern[str]], ...] = (
    ("month", re.compile(r"month|/\s?mo\b", re.IGNORECASE)),
    ("hour", re.compile(r"hour|/\s?hr\b", re.IGNORECASE)),
    ("year", re.compile(r"year|annual|annum|/\s?yr\b|\blpa\b", re.IGNORECASE)),
)
_MONEY_SIGN = re.compile(r"[$€£₹]|(?<![A-Za-z])Rs\b|" + _CODES + r"|\b(?:LPA|[Ll]akhs?|[Ll]acs?)\b")
#: A lakh: 100,000 rupees; "6 LPA" is six lakh a year, as Indian postings write pay.
_LAKH = 100_000
#: The currency of each sign; a code stands for itself. A bare "$" is the US dollar.
_CURRENCIES = {"$": "USD", "US$": "USD", "€": "EUR", "£": "GBP", "CA$": "CAD", "C$": "CAD", "AU$": "AUD", "A$": "AUD",
               "NZ$": "NZD", "SG$": "SGD", "S$": "SGD", "HK$": "HKD", "₹": "INR", "Rs": "INR", "Rs.": "INR"}


class Years(NamedTuple):
    """A "5+ years" mention: the number and where it starts in its text."""

    years: int
    start: int


def find_years(text: str) -> list[Years]:
    """Years-of-experience mentions in one clause ("5+ years of ...", "at least three years")."""
    lowered = text.lower()
    if "year" not in lowered and "yr" not in lowered:
        return []
    context = _YEARS_CONTEXT.search(text) is not None
    found = []
    for match in _YEARS.finditer(text):
        tail = match.group("tail").lstrip("'’ ,")
        if _NOT_EXPERIENCE.match(tail) or not (context or _EXPERIENCE_TAIL.match(tail)):
            continue
        raw = match.group("n").lower()
        years = _NUMBER_WORDS.get(raw) or (int(raw) if raw.isdigit() else 0)
        if 0 < years <= _MAX_YEARS:
            found.append(Years(years, match.start()))
    return found


def find_degrees(text: str) -> set[str]:
    """Degree labels named in a text: Bachelor, Master, MBA, PhD."""
    found = set()
    for pattern, haystack in ((_DEGREE_WORDS, text.lower()), (_DEGREE_ABBREVIATIONS, text)):
        for match in pattern.finditer(haystack):
            found.add(next(name for name, value in match.groupdict().items() if value))
    return found


def degree_positions(text: str) -> list[int]:
    """Where degrees are named in a text ("BS", "Master's", "PhD", "degree"), in order."""
    lowered = text.lower()
    if not _may_name_degree(text, lowered):
        return []
    starts = [m.start() for m in _DEGREE_WORDS.finditer(lowered)]
    starts += [m.start() for m in _DEGREE_ABBREVIATIONS.finditer(text)]
    starts += [m.start() for m in _DEGREE.finditer(lowered)]
    return sorted(starts)


def _may_name_degree(text: str, lowered: str) -> bool:
    """A cheap test (substrings only) that a text may name a degree; the patterns decide."""
    return (any(word in lowered for word in DEGREE_WORD_ANCHORS)
            or any(letters in text for letters in DEGREE_LETTER_ANCHORS))


def degree_order(degrees: set[str]) -> list[str]:
    """Degrees in the fixed order Bachelor, Master, MBA, PhD."""
    return [label for label in _DEGREE_ORDER if label in degrees]


def find_languages(text: str) -> set[str]:
    """Human languages asked for ("fluent in Mandarin or Korean"), not "natural language" topics."""
    if not _LANGUAGE.search(text):
        return set()
    if not _LANGUAGE_CONTEXT.search(_NOT_HUMAN_LANGUAGE.sub(" ", text)):
        return set()
    return {match.group("lang") for match in _LANGUAGE.finditer(text)}


def find_salary(text: str) -> Salary | None:
    """The first pay range in a line: "$189,800 and $346,300", "148,000 USD - 276,000 USD", "$6431-$8642"."""
    if not _MONEY_SIGN.search(text) or not _SALARY_CONTEXT.search(text):
        return None
    for match in _SALARY.finditer(text):
        currency = _currency(match)
        if currency is None:
            continue
        low, high = _amount(match, "a"), _amount(match, "b")
        if match.group("bk") and not match.group("ak") and low < 1000:
            low *= 1000
        if match.group("blakh") and not match.group("alakh") and low < 1000:
            low *= _LAKH  # "6-9 LPA": both in lakh
        if low <= 0 or high < low or high > 100 * low:
            continue
        return Salary(low, high, currency, _period(text, high))
    return None


def _currency(match: re.Match[str]) -> str | None:
    for group in ("acur", "bcur", "acode", "bcode"):
        value = (match.group(group) or "").strip()
        if value:
            return _CURRENCIES.get(value, value)
    return "INR" if match.group("alakh") or match.group("blakh") else None  # lakh are rupees


def _amount(match: re.Match[str], side: str) -> float:
    value = float(match.group(side + "num").replace(",", ""))
    return value * 1000 if match.group(side + "k") else value * _LAKH if match.group(side + "lakh") else value


def _period(text: str, high: float) -> Period:
    """The pay period a line names; when it names several, the one the amount fits."""
    by_size: Period = "hour" if high < 300 else "month" if high < 20000 else "year"
    named = [period for period, pattern in _PERIOD_WORDS if pattern.search(text)]
    if len(named) == 1:
        return named[0]
    return by_size
