"""Horizontal bar charts as inline SVG: no JavaScript, no external files, every label escaped."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

#: Width of an average label character in pixels at the chart's 12px font, for cutting labels short.
CHAR_WIDTH = 7


@dataclass(frozen=True)
class Series:
    """One segment of a stacked bar: its name (for the legend) and colour."""

    name: str
    colour: str


@dataclass(frozen=True)
class Bar:
    """One bar: its label, one value per series, and an optional note after the bar."""

    label: str
    values: tuple[float, ...]
    note: str = ""


def bar_chart(title: str, bars: Sequence[Bar], series: Sequence[Series], *, percent: bool = False,
              width: int = 420, label_width: int = 170, row_height: int = 22, unit: str = "") -> str:
    """A stacked horizontal bar chart as an ``<svg>`` element.

    Args:
        title: what the chart shows; read out by screen readers and shown on hover.
        bars: the bars, top to bottom.
        series: the segments of each bar, in the order of ``Bar.values``.
        percent: draw each bar as shares of 100% instead of counts; the text gives the first share.
        unit: the plural word after the total, such as ``roles`` (``role`` when it is 1).
    """
    values = [_value_text(bar, sum(bar.values), percent, unit) for bar in bars]
    value_width = 12 + CHAR_WIDTH * max((len(text) for text in values), default=0)
    plot = max(40, width - label_width - value_width)
    height = max(1, len(bars)) * row_height + 6
    largest = max((sum(bar.values) for bar in bars), default=0) or 1
    parts = [(f'<svg class="chart" xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
              f'viewBox="0 0 {width} {height}" role="img" aria-label="{_attr(title)}">'),
             f"<title>{_text(title)}</title>"]
    if not bars:
        parts.append(f'<text x="0" y="{row_height - 6}" class="empty">nothing to show</text>')
    for row, (bar, value_text) in enumerate(zip(bars, values, strict=True)):
        top = row * row_height + 3
        middle = top + row_height / 2
        total = sum(bar.values)
        parts.append(f'<g class="bar"><title>{_text(_bar_tooltip(bar, series, percent))}</title>')
        parts.append(f'<text x="{label_width - 8}" y="{middle:.1f}" text-anchor="end" dominant-baseline="central" '
                     f'class="label">{_text(_shorten(bar.label, (label_width - 10) // CHAR_WIDTH))}</text>')
        x = float(label_width)
        for value, kind in zip(bar.values, series, strict=True):
            scale = (value / total if total else 0) if percent else value / largest
            length = plot * scale
            if length > 0:
                parts.append(f'<rect x="{x:.1f}" y="{top + 3}" width="{length:.1f}" height="{row_height - 6}" '
                             f'fill="{_attr(kind.colour)}" rx="2"/>')
            x += length
        parts.append(f'<text x="{x + 6:.1f}" y="{middle:.1f}" dominant-baseline="central" class="value">'
                     f"{_text(value_text)}</text></g>")
    parts.append("</svg>")
    return "".join(parts)


def legend(series: Sequence[Series]) -> str:
    """A one-line legend for ``series`` as an ``<svg>`` element."""
    x = 0
    items = []
    for kind in series:
        items.append(f'<rect x="{x}" y="3" width="12" height="12" rx="2" fill="{_attr(kind.colour)}"/>'
                     f'<text x="{x + 17}" y="9" dominant-baseline="central" class="label">{_text(kind.name)}</text>')
        x += 30 + 8 * len(kind.name)
    return (f'<svg class="legend" xmlns="http://www.w3.org/2000/svg" width="{x}" height="18" '
            f'viewBox="0 0 {x} 18" role="img" aria-label="legend">{"".join(items)}</svg>')


def _value_text(bar: Bar, total: float, percent: bool, unit: str) -> str:
    if percent:
        first = bar.values[0] / total if total else 0
        text = f"{first:.0%}{' ' + unit if unit else ''}"
    else:
        text = f"{_number(total)} {_plural(total, unit)}" if unit else _number(total)
    return f"{text} · {bar.note}" if bar.note else text


def _bar_tooltip(bar: Bar, series: Sequence[Series], percent: bool) -> str:
    total = sum(bar.values)
    pieces = []
    for value, kind in zip(bar.values, series, strict=True):
        share = f" ({value / total:.0%})" if percent and total else ""
        pieces.append(f"{kind.name} {_number(value)}{share}")
    text = f"{bar.label}: {', '.join(pieces)}"
    return f"{text}; {bar.note}" if bar.note else text


def _plural(count: float, unit: str) -> str:
    return unit[:-1] if count == 1 and unit.endswith("s") else unit


def _number(value: float) -> str:
    return f"{int(value):,}" if float(value).is_integer() else f"{value:,.1f}"


def _shorten(label: str, chars: int) -> str:
    """``label``, cut to ``chars`` characters with an ellipsis (the bar's tooltip has it whole)."""
    return label if len(label) <= chars else label[: max(1, chars - 1)].rstrip() + "…"


def _text(text: str) -> str:
    return escape(text, quote=False)


def _attr(text: str) -> str:
    return escape(text, quote=True)
