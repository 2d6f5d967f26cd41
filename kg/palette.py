"""The colours of every page, in one place, with the contrast they must reach (WCAG 2.1 AA).

Text must reach 4.5:1 against its background and graphics (bars, nodes, marks)
3:1; ``tests/test_palette.py`` computes the ratios of every pair listed here.
"""

from __future__ import annotations

#: Page backgrounds.
PAPER = "#f4f6f8"
PANEL = "#ffffff"
#: Text: body, and secondary text (both reach 4.5:1 on PAPER and PANEL).
INK = "#212529"
MUTED = "#596069"
LINK = "#1864ab"

#: Node colours by kind (graphics: 3:1 on PAPER).
KINDS: dict[str, str] = {
    "Role": "#c2410c",
    "Skill": "#1c6fc4",
    "Company": "#6d3fd6",
    "Domain": "#2b7a3b",
    "JobPosting": "#6b7280",
}
#: Imported concepts by taxonomy (graphics: 3:1 on PAPER).
TAXONOMIES: dict[str, str] = {"ESCO": "#a61e4d", "O*NET": "#0b7285"}
#: A kind kg does not know.
OTHER = "#6b7280"
#: The second layer of a company view (role profiles): lighter, and still 3:1 on PAPER.
SECONDARY = "#868e96"

#: Bars: required and preferred (graphics: 3:1 on PANEL, and the two tell apart by a pattern too).
REQUIRED = "#0b5394"
PREFERRED = "#5a8fd0"
ROLES_BAR = "#c2410c"
#: Marks on a posting's text (kg extract -f html): behind text, which keeps 4.5:1; the underlines in REQUIRED and
#: PREFERRED keep 3:1 on them, and differ in style too (solid, dashed).
MARK_REQUIRED = "#dbe8f6"
MARK_PREFERRED = "#eef4fb"

#: The gap view: what you have and what you miss (graphics: 3:1 on PANEL; shapes differ as well).
HAVE = "#2b7a3b"
MISSING = "#c92a2a"

#: Small-sample flag: text colour on its background.
THIN_INK = "#7a4100"
THIN_BACKGROUND = "#fff4e6"

#: (foreground, background, minimum ratio, what) for every pairing a page uses.
PAIRS: tuple[tuple[str, str, float, str], ...] = (
    (INK, PAPER, 4.5, "text on the page"),
    (INK, PANEL, 4.5, "text on a panel"),
    (MUTED, PAPER, 4.5, "secondary text on the page"),
    (MUTED, PANEL, 4.5, "secondary text on a panel"),
    (LINK, PANEL, 4.5, "links"),
    (THIN_INK, THIN_BACKGROUND, 4.5, "the small-sample flag"),
    *((colour, PAPER, 3.0, f"{kind} nodes") for kind, colour in KINDS.items()),
    *((colour, PAPER, 3.0, f"{name} nodes") for name, colour in TAXONOMIES.items()),
    (OTHER, PAPER, 3.0, "other nodes"),
    (SECONDARY, PAPER, 3.0, "role profiles in a company view"),
    (REQUIRED, PANEL, 3.0, "required bars"),
    (PREFERRED, PANEL, 3.0, "preferred bars"),
    (ROLES_BAR, PANEL, 3.0, "roles bars"),
    (INK, MARK_REQUIRED, 4.5, "text marked required"),
    (INK, MARK_PREFERRED, 4.5, "text marked preferred"),
    (REQUIRED, MARK_REQUIRED, 3.0, "the underline of a required mark"),
    (PREFERRED, MARK_PREFERRED, 3.0, "the underline of a preferred mark"),
    (MUTED, PANEL, 3.0, "the frame of an unknown term"),
    (HAVE, PANEL, 3.0, "skills you have"),
    (MISSING, PANEL, 3.0, "skills you miss"),
)


def contrast(foreground: str, background: str) -> float:
    """The WCAG 2.1 contrast ratio of two ``#rrggbb`` colours, from 1 to 21."""
    lighter, darker = sorted((_luminance(foreground), _luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def _luminance(colour: str) -> float:
    channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
