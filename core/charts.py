"""Small line charts drawn as SVG on the server: no script, so the strict CSP holds.

Every chart is shown next to a table of the same figures; the SVG is a picture of that table.
"""

from dataclasses import dataclass

from django.utils.html import format_html, format_html_join

WIDTH, HEIGHT = 480, 220
PAD_LEFT, PAD_RIGHT, PAD_TOP, PAD_BOTTOM = 64, 16, 16, 40


MAX_X_LABELS = 6


@dataclass(frozen=True)
class ChartPoint:
    x: float
    y: float
    label: str
    value_text: str
    show_label: bool = True


@dataclass(frozen=True)
class Tick:
    y: float
    text: str


def _number(value: float) -> str:
    """A coordinate as SVG wants it: never through the page language's number format."""
    return f"{value:g}"


@dataclass(frozen=True)
class LineChart:
    points: list[ChartPoint]
    polyline: str
    y_ticks: list[Tick]
    target_y: float | None = None
    target_text: str = ""
    width: int = WIDTH
    height: int = HEIGHT
    left: int = PAD_LEFT
    right: int = WIDTH - PAD_RIGHT
    bottom: int = HEIGHT - PAD_BOTTOM

    # The repeated elements are written here rather than looped over in the template: a chart of
    # forty points is some three hundred template variables, which costs more than the rest of
    # its section together. format_html_join escapes every label and value.
    @property
    def grid(self) -> str:
        """The y-axis: a grid line and a value for each tick."""
        return format_html_join(
            "\n",
            '<line class="chart__grid" x1="{0}" x2="{1}" y1="{2}" y2="{2}"/>'
            '<text class="chart__tick" x="{3}" y="{2}" text-anchor="end"'
            ' dominant-baseline="middle">{4}</text>',
            (
                (self.left, self.right, _number(tick.y), self.left - 8, tick.text)
                for tick in self.y_ticks
            ),
        )

    @property
    def marks(self) -> str:
        """A dot for each point and, under the thinned-out ones, its label."""
        return format_html_join(
            "\n",
            '<circle class="chart__point" cx="{0}" cy="{1}" r="4"/>{2}',
            (
                (
                    _number(point.x),
                    _number(point.y),
                    format_html(
                        '<text class="chart__label" x="{0}" y="{1}"'
                        ' text-anchor="middle">{2}</text>',
                        _number(point.x),
                        self.bottom + 24,
                        point.label,
                    )
                    if point.show_label
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


def line_chart(
    series: list[tuple[str, float]],
    *,
    value_format=str,
    ticks: int = 4,
    target: float | None = None,
) -> LineChart:
    """Lay out (label, value) pairs, oldest first, as a line with a y-axis scale.

    With `target`, the scale includes it and a dashed line marks it.
    """
    if not series:
        return LineChart(points=[], polyline="", y_ticks=[])
    values = [value for _, value in series] + ([target] if target is not None else [])
    low, high = min(values), max(values)
    span = high - low
    # Leave a margin above and below so a flat line does not sit on the frame.
    margin = span * 0.15 if span else (abs(high) * 0.1 or 1)
    low, high = low - margin, high + margin
    plot_w = WIDTH - PAD_LEFT - PAD_RIGHT
    plot_h = HEIGHT - PAD_TOP - PAD_BOTTOM

    def y_of(value: float) -> float:
        return round(PAD_TOP + plot_h * (high - value) / (high - low), 1)

    step = plot_w / (len(series) - 1) if len(series) > 1 else 0
    # Label every n-th point (and the last) so the x-axis text never overlaps.
    every = -(-len(series) // MAX_X_LABELS)
    points = [
        ChartPoint(
            x=round(PAD_LEFT + (step * index if len(series) > 1 else plot_w / 2), 1),
            y=y_of(value),
            label=label,
            value_text=value_format(value),
            show_label=index % every == 0 or index == len(series) - 1,
        )
        for index, (label, value) in enumerate(series)
    ]
    y_ticks = [
        Tick(y_of(low + (high - low) * i / ticks), value_format(low + (high - low) * i / ticks))
        for i in range(ticks + 1)
    ]
    return LineChart(
        points=points,
        polyline=" ".join(f"{_number(p.x)},{_number(p.y)}" for p in points),
        y_ticks=y_ticks,
        target_y=y_of(target) if target is not None else None,
        target_text=value_format(target) if target is not None else "",
    )
