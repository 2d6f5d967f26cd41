"""Room for every label: node boxes that include their labels, pushed apart until none overlap.

vis-network draws a label under its dot in the drawing's own units, so a label
grows and shrinks with the zoom like everything else: two labels apart at one
zoom are apart at every zoom. The focused views therefore place their nodes in
Python so that no two boxes (dot and label) overlap, and the page is readable
at rest without physics running in the browser.

Label widths are an upper bound: the advance widths of DejaVu Sans Bold (the
widest of the common sans-serif faces; Verdana, Arial and Helvetica are
narrower), and a full em for any other character.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

    Floats = NDArray[np.float64]
    Indices = NDArray[np.int64]

#: Advance widths of DejaVu Sans Bold for the printable ASCII characters (space to ~), in hundredths of an em,
#: rounded up (measured with a canvas's ``measureText`` at 100 px).
_ASCII_WIDTHS = (
    35, 46, 53, 84, 70, 101, 88, 31, 46, 46, 53, 84, 38, 42, 38, 37, 70, 70, 70, 70, 70, 70, 70, 70, 70, 70, 40, 40,
    84, 84, 84, 59, 100, 78, 77, 74, 84, 69, 69, 83, 84, 38, 38, 78, 64, 100, 84, 86, 74, 86, 78, 73, 69, 82, 78, 111,
    78, 73, 73, 46, 37, 46, 84, 50, 50, 68, 72, 60, 72, 68, 44, 72, 72, 35, 35, 67, 35, 105, 72, 69, 72, 72, 50, 60,
    48, 72, 66, 93, 65, 66, 59, 72, 37, 72, 84,
)
#: Line height of a label, in ems.
LINE_HEIGHT = 1.25
#: Space between a dot and its label, and around every box, in drawing units.
LABEL_GAP = 3.0
MARGIN = 3.0
#: Boxes closer than this count as touching, not overlapping (positions are rounded to a tenth).
_TOUCH = 0.01


def text_width(text: str, size: float) -> float:
    """An upper bound of the width of ``text`` drawn at ``size`` px in a sans-serif face."""
    hundredths = sum(_ASCII_WIDTHS[ord(c) - 32] if " " <= c <= "~" else 100 for c in text)
    return hundredths * size / 100


@dataclass(frozen=True)
class Box:
    """A node as it is drawn: a dot of ``radius`` with, below it, a label ``width`` wide and ``height`` high."""

    radius: float
    width: float = 0.0
    height: float = 0.0

    @property
    def half_width(self) -> float:
        return max(self.radius, self.width / 2) + MARGIN

    @property
    def above(self) -> float:
        return self.radius + MARGIN

    @property
    def below(self) -> float:
        return self.radius + (LABEL_GAP + self.height if self.height else 0.0) + MARGIN


def overlapping(positions: Sequence[tuple[float, float]], boxes: Sequence[Box]) -> list[tuple[int, int]]:
    """Every pair ``(i, j)``, ``i < j``, whose boxes overlap at ``positions``."""
    import numpy as np

    if len(positions) < 2:
        return []
    x, y = (np.array(column, dtype=float) for column in zip(*positions))
    pairs = _pairs(x, y, *_extents(boxes))
    return sorted((int(min(i, j)), int(max(i, j))) for i, j in zip(*pairs))


def spread(positions: Sequence[tuple[float, float]], boxes: Sequence[Box],
           iterations: int = 600) -> list[tuple[float, float]]:
    """``positions`` moved as little as it takes for no two ``boxes`` to overlap.

    Each round finds the overlapping pairs (a sweep along x, in numpy) and then, pair by pair, pushes the two
    apart along the axis where they overlap least, from where the pairs before left them (so a pile of boxes
    opens up instead of pushing its middle both ways at once), each by three quarters of the overlap: pushing
    a little too far converges in a tenth of the rounds. Labels are wide, so moving up or
    down is preferred unless it costs much more. Deterministic: pairs go in index order, ties by index. The
    result may still overlap after ``iterations`` rounds in a pathological case; :func:`overlapping` says which.
    """
    import numpy as np

    if len(positions) < 2:
        return [(float(x), float(y)) for x, y in positions]
    half, above, below = _extents(boxes)
    xs, ys = [float(x) for x, _ in positions], [float(y) for _, y in positions]
    hw, up, down = half.tolist(), above.tolist(), below.tolist()
    for _ in range(iterations):
        i, j = _pairs(np.array(xs), np.array(ys), half, above, below)
        if not len(i):
            break
        for a, b in sorted(zip(i.tolist(), j.tolist())):
            over_x = min(xs[a] + hw[a], xs[b] + hw[b]) - max(xs[a] - hw[a], xs[b] - hw[b])
            over_y = min(ys[a] + down[a], ys[b] + down[b]) - max(ys[a] - up[a], ys[b] - up[b])
            if over_x <= _TOUCH or over_y <= _TOUCH:
                continue
            if over_x * 1.6 < over_y:
                side = 1.0 if xs[b] > xs[a] or (xs[b] == xs[a] and b > a) else -1.0
                xs[a] -= side * (over_x * 0.75 + 0.5)
                xs[b] += side * (over_x * 0.75 + 0.5)
            else:
                centre_a, centre_b = ys[a] + (down[a] - up[a]) / 2, ys[b] + (down[b] - up[b]) / 2
                side = 1.0 if centre_b > centre_a or (centre_b == centre_a and b > a) else -1.0
                ys[a] -= side * (over_y * 0.75 + 0.5)
                ys[b] += side * (over_y * 0.75 + 0.5)
    return [(round(x, 1), round(y, 1)) for x, y in zip(xs, ys)]


def _extents(boxes: Sequence[Box]) -> tuple[Floats, Floats, Floats]:
    import numpy as np

    return (np.array([b.half_width for b in boxes]), np.array([b.above for b in boxes]),
            np.array([b.below for b in boxes]))


def _pairs(x: Floats, y: Floats, half: Floats, above: Floats, below: Floats) -> tuple[Indices, Indices]:
    """The overlapping pairs, as two index arrays: a sweep over the boxes sorted by their left edge."""
    import numpy as np

    left, right = x - half, x + half
    order = np.argsort(left, kind="stable")
    sorted_left = left[order]
    end = np.searchsorted(sorted_left, right[order], side="left")
    counts = np.maximum(end - np.arange(len(x)) - 1, 0)
    total = int(counts.sum())
    if not total:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    first = np.repeat(np.arange(len(x)), counts)
    offsets = np.arange(total) - np.repeat(np.cumsum(counts) - counts, counts)
    i, j = order[first], order[first + 1 + offsets]
    hit = ((np.minimum(x[i] + half[i], x[j] + half[j]) - np.maximum(x[i] - half[i], x[j] - half[j]) > _TOUCH)
           & (np.minimum(y[i] + below[i], y[j] + below[j]) - np.maximum(y[i] - above[i], y[j] - above[j]) > _TOUCH))
    return i[hit], j[hit]
