"""Small line charts drawn as SVG on the server: no script, so the strict CSP holds.

Every chart is shown next to a table of the same figures; the SVG is a picture of that table.
"""

from dataclasses import dataclass

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
class LineChart:
    points: list[ChartPoint]
    polyline: str
    y_ticks: list[tuple[float, str]]
    target_y: float | None = None
    target_text: str = ""
    width: int = WIDTH
    height: int = HEIGHT
    left: int = PAD_LEFT
    right: int = WIDTH - PAD_RIGHT
    bottom: int = HEIGHT - PAD_BOTTOM


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
        (y_of(low + (high - low) * i / ticks), value_format(low + (high - low) * i / ticks))
        for i in range(ticks + 1)
    ]
    return LineChart(
        points=points,
        polyline=" ".join(f"{p.x},{p.y}" for p in points),
        y_ticks=y_ticks,
        target_y=y_of(target) if target is not None else None,
        target_text=value_format(target) if target is not None else "",
    )
