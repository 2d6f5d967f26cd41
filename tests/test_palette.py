"""Every colour pairing the pages use reaches WCAG 2.1 AA: text 4.5:1, graphics 3:1."""

from __future__ import annotations

import re

import pytest

from kg import palette
from kg.palette import contrast


def test_contrast_is_computed_as_wcag_defines_it() -> None:
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast("#ffffff", "#ffffff") == pytest.approx(1.0)
    assert contrast("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)  # the classic AA grey
    # the old gap colours: green against red, told apart by colour alone
    assert contrast("#2f9e44", "#e03131") == pytest.approx(1.31, abs=0.01)


@pytest.mark.parametrize(("foreground", "background", "minimum", "what"), palette.PAIRS,
                         ids=[pair[3] for pair in palette.PAIRS])
def test_every_pairing_reaches_aa(foreground: str, background: str, minimum: float, what: str) -> None:
    assert contrast(foreground, background) >= minimum, f"{what}: {contrast(foreground, background):.2f}:1"


def test_every_colour_of_the_palette_is_checked() -> None:
    named = {value for value in vars(palette).values()
             if isinstance(value, str) and re.fullmatch(r"#[0-9a-f]{6}", value)}
    named |= set(palette.KINDS.values()) | set(palette.TAXONOMIES.values())
    checked = {colour for pair in palette.PAIRS for colour in pair[:2]}
    assert named <= checked, f"not in PAIRS: {sorted(named - checked)}"
