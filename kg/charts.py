"""Horizontal bar charts as data: the page draws them as HTML tables (``kg/templates/charts.html.j2``).

A chart is a table first — a caption, a row per bar, a cell per series — so a
screen reader reads the numbers, and the bars are drawn inside it with CSS.
Every label reaches the page through Jinja's autoescaping. Bars of a chart,
or of a set of charts drawn side by side, share one scale: pass the same
``scale`` to each.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from kg.numbers import count, is_thin, share_of


@dataclass(frozen=True)
class Series:
    """One segment of a stacked bar: its name (for the legend and the table) and its CSS class."""

    name: str
    css: str


@dataclass(frozen=True)
class Bar:
    """One bar: its label, one value per series, an optional note, and the postings it rests on (for the flag)."""

    label: str
    values: tuple[float, ...]
    note: str = ""
    postings: int | None = None


@dataclass(frozen=True)
class Segment:
    """A drawn piece of a bar: its series, its value and its width in percent of the plot."""

    series: Series
    value: float
    width: float

    @property
    def text(self) -> str:
        return count(self.value)


@dataclass(frozen=True)
class Row:
    """A bar as the page draws it."""

    label: str
    segments: tuple[Segment, ...]
    value: str
    note: str
    thin: bool
    tooltip: str


@dataclass(frozen=True)
class Chart:
    """A chart ready to draw: title, series, rows, and the largest value its scale reaches."""

    title: str
    series: tuple[Series, ...]
    rows: tuple[Row, ...]
    scale: float
    total_header: str


def largest(groups: Sequence[Sequence[Bar]]) -> float:
    """The longest bar over several charts: give it as ``scale`` to each so that they share one scale."""
    return max((sum(bar.values) for bars in groups for bar in bars), default=0.0)


def bar_chart(title: str, bars: Sequence[Bar], series: Sequence[Series], *, percent: bool = False,
              unit: str = "", scale: float | None = None) -> Chart:
    """A stacked horizontal bar chart.

    Args:
        title: what the chart shows (its caption).
        bars: the bars, top to bottom.
        series: the segments of each bar, in the order of ``Bar.values``.
        percent: draw each bar as shares of 100%; the text gives the first share with its counts.
        unit: the plural word after a total, such as ``postings`` (``posting`` when it is 1).
        scale: the value a full-width bar stands for (default: this chart's longest bar).
    """
    top = scale if scale is not None else largest([bars])
    rows = []
    for bar in bars:
        total = sum(bar.values)
        segments = []
        for value, kind in zip(bar.values, series, strict=True):
            fraction = (value / total if total else 0.0) if percent else (value / top if top else 0.0)
            segments.append(Segment(kind, value, round(100 * fraction, 2)))
        value_text = (share_of(int(bar.values[0]), int(total)) + (f" {unit}" if unit else "") if percent
                      else f"{count(total)} {_plural(total, unit)}".strip())
        thin = bar.postings is not None and is_thin(bar.postings)
        pieces = ", ".join(f"{kind.name} {count(value)}" for value, kind in zip(bar.values, series, strict=True))
        rows.append(Row(bar.label, tuple(segments), value_text, bar.note, thin,
                        f"{bar.label}: {pieces}" + (f"; {bar.note}" if bar.note else "")))
    header = f"{series[0].name} share" if percent else (unit or "total")
    return Chart(title, tuple(series), tuple(rows), top, header)


def _plural(value: float, unit: str) -> str:
    return unit[:-1] if value == 1 and unit.endswith("s") else unit
