"""Small line charts drawn as SVG on the server: no script, so the strict CSP holds.

Every chart is shown next to a table of the same figures; the SVG is a picture of that table.

A chart is two SVGs side by side: the y-axis values in a column as wide as they need, and the plot,
which stretches to the width it is given. Neither is scaled through a viewBox, so their text keeps
its CSS size (14 px) on a 320 px phone as on a desktop: the plot places its points in percent of its
width and in pixels down. The x labels are thinned and anchored for the narrowest chart a page shows
(288 px, a 320 px screen less the page's margins); on anything wider they only move further apart.
A chart at least WIDE px wide (a desktop's) shows the labels of a second, denser plan instead: each
label says by its class which plans it belongs to, and a container query in site.css swaps them.
"""

import math
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

from django.utils.html import format_html, format_html_join

HEIGHT = 226
# Room above the top value for the target's label, and below the plot for the x labels.
PAD_TOP, PAD_BOTTOM = 24, 36
PLOT_BOTTOM = HEIGHT - PAD_BOTTOM
LABEL_BASELINE = PLOT_BOTTOM + 24
# The first and last points sit this far (in percent of the plot's width) inside its edges.
INSET = 4
FONT_PX = 14  # .chart text in site.css
NARROWEST = 288  # the chart's width at a 320 px viewport (.container's 16 px margins)
WIDE = 480  # .chart__label--wide shows from this chart width (site.css)
LABEL_GAP = 8  # px between two x labels, at the least
AXIS_GAP = 8  # px between the y values and the plot
MAX_INTERVALS = 5  # y-axis steps, at most

_STEPS = (1, 2, 5)


def text_width(text: str, font_px: float = FONT_PX) -> float:
    """A generous estimate of how wide a label is drawn: ideographs and kana take a full em,
    figures and Latin letters about 0.6 em, points and spaces a third."""
    em = 0.0
    for char in text:
        if ord(char) >= 0x2E80:
            em += 1
        elif char in ".,:; ":
            em += 0.34
        elif char.isupper() or char in "%–—〜":
            em += 0.72
        else:
            em += 0.6
    return em * font_px


def nice_ticks(
    low: float | Decimal,
    high: float | Decimal,
    *,
    whole: bool = False,
    floor: float | None = None,
    ceiling: float | None = None,
    max_intervals: int = MAX_INTERVALS,
) -> list[Decimal]:
    """Round values for a y-axis covering low…high: steps of 1, 2 or 5 × 10ⁿ, at most
    `max_intervals` of them, starting and ending on a multiple of the step.

    whole: the figures are counts, so the step is at least 1. floor/ceiling: the axis does not go
    beyond them unless the data does (0 for counts, 100 for a percentage). A single value gets a
    step either side of it.
    """
    low, high = Decimal(str(low)), Decimal(str(high))
    if low > high:
        low, high = high, low
    data_low, data_high = low, high
    if low == high:
        pad = abs(high) / 10 or Decimal(1)
        low, high = low - pad, high + pad
    if floor is not None and data_low >= Decimal(str(floor)):
        low = max(low, Decimal(str(floor)))
    if ceiling is not None and data_high <= Decimal(str(ceiling)):
        high = min(high, Decimal(str(ceiling)))
    span = high - low
    exponent = math.floor(math.log10(float(span / max_intervals)))
    while True:
        for multiple in _STEPS:
            step = Decimal(multiple).scaleb(exponent)
            if whole and step < 1:
                continue
            first = (low / step).to_integral_value(rounding=ROUND_FLOOR) * step
            last = (high / step).to_integral_value(rounding=ROUND_CEILING) * step
            count = int((last - first) / step)
            if count <= max_intervals:
                return [first + step * i for i in range(count + 1)]
        exponent += 1


def _places(ticks: list[Decimal]) -> int:
    """Decimal places the ticks need: none for a step of 1 or more, one for 0.5, and so on."""
    if len(ticks) < 2:
        return 0
    step = (ticks[1] - ticks[0]).normalize()
    return max(0, -step.as_tuple().exponent)


def format_axis_value(value: Decimal, places: int, *, percent: bool = False) -> str:
    """A y-axis value: grouped by three (「12,000」), as many decimals as the step needs."""
    return f"{value:,.{places}f}{'%' if percent else ''}"


def _format_value(value: float | Decimal, *, percent: bool = False) -> str:
    """A figure as written in the table beside the chart: no trailing zeros (「150」, 「12.5」)."""
    number = Decimal(str(value)).normalize()
    places = max(0, -number.as_tuple().exponent)
    return format_axis_value(number, places, percent=percent)


def _number(value: float) -> str:
    """A coordinate as SVG wants it: never through the page language's number format."""
    return f"{value:g}"


@dataclass(frozen=True)
class ChartPoint:
    x: float  # percent of the plot's width
    y: float  # px from the top
    label: str
    show_label: bool = True
    anchor: str = "middle"
    wide_label: bool = True  # labelled on a chart at least WIDE px wide


@dataclass(frozen=True)
class Tick:
    y: float
    text: str


@dataclass(frozen=True)
class LineChart:
    points: list[ChartPoint]
    y_ticks: list[Tick]
    target_y: float | None = None
    target_text: str = ""
    axis_width: int = 0
    height: int = HEIGHT

    # The repeated elements are written here rather than looped over in the template: a chart of
    # forty points is some three hundred template variables, which costs more than the rest of
    # its section together. format_html_join escapes every label and value.
    @property
    def axis(self) -> str:
        """The y-axis values, right-aligned against the plot."""
        return format_html_join(
            "\n",
            '<text class="chart__tick" x="{0}" y="{1}" text-anchor="end"'
            ' dominant-baseline="middle">{2}</text>',
            ((self.axis_width - AXIS_GAP, _number(tick.y), tick.text) for tick in self.y_ticks),
        )

    @property
    def grid(self) -> str:
        """A grid line across the plot for each y-axis value."""
        return format_html_join(
            "\n",
            '<line class="chart__grid" x1="0" x2="100%" y1="{0}" y2="{0}"/>',
            ((_number(tick.y),) for tick in self.y_ticks),
        )

    @property
    def line(self) -> str:
        """The line through the points, drawn as segments: a polyline cannot take percentages."""
        return format_html_join(
            "\n",
            '<line class="chart__line" x1="{0}%" y1="{1}" x2="{2}%" y2="{3}"/>',
            (
                (_number(a.x), _number(a.y), _number(b.x), _number(b.y))
                for a, b in zip(self.points, self.points[1:], strict=False)
            ),
        )

    @property
    def marks(self) -> str:
        """A dot for each point and, under the thinned-out ones, its label."""
        return format_html_join(
            "\n",
            '<circle class="chart__point" cx="{0}%" cy="{1}" r="4"/>{2}',
            (
                (
                    _number(point.x),
                    _number(point.y),
                    format_html(
                        '<text class="chart__label{0}" x="{1}%" y="{2}"'
                        ' text-anchor="{3}">{4}</text>',
                        _label_class(point),
                        _number(point.x),
                        LABEL_BASELINE,
                        point.anchor,
                        point.label,
                    )
                    if point.show_label or point.wide_label
                    else "",
                )
                for point in self.points
            ),
        )

    @property
    def target_y_text(self) -> str:
        return _number(self.target_y) if self.target_y is not None else ""

    @property
    def target_label_y(self) -> str:
        return _number(self.target_y - 6) if self.target_y is not None else ""


def _label_class(point: ChartPoint) -> str:
    if point.show_label and not point.wide_label:
        return " chart__label--narrow"
    if point.wide_label and not point.show_label:
        return " chart__label--wide"
    return ""


def _x_percent(index: int, count: int) -> float:
    if count == 1:
        return 50.0
    return round(INSET + (100 - 2 * INSET) * index / (count - 1), 2)


def _extent(x_px: float, width: float, anchor: str) -> tuple[float, float]:
    if anchor == "start":
        return x_px, x_px + width
    if anchor == "end":
        return x_px - width, x_px
    return x_px - width / 2, x_px + width / 2


def _anchor(x_px: float, width: float, plot_width: float) -> str:
    """Centred under its point, unless that would run past an edge of the plot."""
    if x_px - width / 2 < 0:
        return "start"
    if x_px + width / 2 > plot_width:
        return "end"
    return "middle"


def _label_plan(labels: list[str], plot_width: float, wide_width: float) -> tuple[set, set, list]:
    """Which x labels to show and how to anchor each: every n-th counted back from the last, so
    the newest is always labelled, with the smallest n at which no two labels come closer than
    LABEL_GAP and none runs past the plot; once for the narrowest chart, once for a wide one.

    Returns the labels shown on a narrow chart, those shown on a wide one, and the anchors.
    """
    count = len(labels)
    widths = [text_width(label) for label in labels]
    xs = [plot_width * _x_percent(i, count) / 100 for i in range(count)]
    anchors = [_anchor(xs[i], widths[i], plot_width) for i in range(count)]

    def plan(scale: float) -> set[int]:
        for n in range(1, count + 1):
            shown = sorted(range(count - 1, -1, -n))
            extents = [_extent(xs[i] * scale, widths[i], anchors[i]) for i in shown]
            if all(b[0] - a[1] >= LABEL_GAP for a, b in zip(extents, extents[1:], strict=False)):
                return set(shown)
        return {count - 1}

    return plan(1), plan(wide_width / plot_width), anchors


def line_chart(
    series: list[tuple[str, float | Decimal]],
    *,
    whole: bool = False,
    percent: bool = False,
    target: float | Decimal | None = None,
) -> LineChart:
    """Lay out (label, value) pairs, oldest first, as a line on a scale of round values.

    whole: the values are counts (whole-number steps, never below 0 unless a value is).
    percent: the values are percentages (marked %, the scale within 0–100 unless a value is not).
    With `target`, the scale includes it and a dashed line marks it.
    """
    if not series:
        return LineChart(points=[], y_ticks=[])
    values = [Decimal(str(value)) for _, value in series]
    scale = values + ([Decimal(str(target))] if target is not None else [])
    ticks = nice_ticks(
        min(scale),
        max(scale),
        whole=whole,
        floor=0 if whole or percent else None,
        ceiling=100 if percent else None,
    )
    low, high = ticks[0], ticks[-1]
    plot_h = PLOT_BOTTOM - PAD_TOP

    def y_of(value: Decimal) -> float:
        return round(PAD_TOP + plot_h * float((high - value) / (high - low)), 1)

    places = _places(ticks)
    y_ticks = [Tick(y_of(tick), format_axis_value(tick, places, percent=percent)) for tick in ticks]
    axis_width = math.ceil(max(text_width(tick.text) for tick in y_ticks)) + AXIS_GAP + 2
    labels = [label for label, _ in series]
    shown, wide, anchors = _label_plan(labels, NARROWEST - axis_width, WIDE - axis_width)
    points = [
        ChartPoint(
            x=_x_percent(index, len(series)),
            y=y_of(value),
            label=label,
            show_label=index in shown,
            anchor=anchors[index],
            wide_label=index in wide,
        )
        for index, (label, value) in enumerate(zip(labels, values, strict=True))
    ]
    return LineChart(
        points=points,
        y_ticks=y_ticks,
        target_y=y_of(Decimal(str(target))) if target is not None else None,
        target_text=_format_value(target, percent=percent) if target is not None else "",
        axis_width=axis_width,
    )
