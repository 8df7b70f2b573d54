import datetime as dt
from decimal import Decimal

import pytest
from django.utils import translation

from core.charts import (
    INSET,
    LABEL_GAP,
    NARROWEST,
    PAD_TOP,
    PLOT_BOTTOM,
    WIDE,
    line_chart,
    nice_ticks,
    text_width,
)
from core.dates import format_short_month


def values(ticks):
    return [float(tick) for tick in ticks]


# The tick algorithm ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("low", "high", "whole", "expected"),
    [
        # Counts from 0.2 to 42.5 used to give 「0.2, 21.4, 42.5」.
        (3, 38, True, [0, 10, 20, 30, 40]),
        (8000, 8200, True, [8000, 8050, 8100, 8150, 8200]),
        (8123, 8377, True, [8100, 8200, 8300, 8400]),
        (12_345, 98_765, True, [0, 20_000, 40_000, 60_000, 80_000, 100_000]),
        (29.6, 30.0, False, [29.6, 29.7, 29.8, 29.9, 30.0]),
        (0.013, 0.087, False, [0.0, 0.02, 0.04, 0.06, 0.08, 0.1]),
        (-12, 7, False, [-15, -10, -5, 0, 5, 10]),
    ],
)
def test_ticks_are_round_steps_of_one_two_or_five(low, high, whole, expected):
    ticks = nice_ticks(low, high, whole=whole, floor=0 if whole else None)
    assert values(ticks) == expected
    step = ticks[1] - ticks[0]
    assert step.normalize().as_tuple().digits[0] in (1, 2, 5)
    assert all(b - a == step for a, b in zip(ticks, ticks[1:], strict=False))
    assert ticks[0] <= Decimal(str(low)) and ticks[-1] >= Decimal(str(high))
    assert 2 <= len(ticks) <= 6


def test_counts_never_get_a_fractional_step():
    ticks = nice_ticks(3, 5, whole=True, floor=0)
    assert values(ticks) == [3, 4, 5]
    assert all(tick == tick.to_integral_value() for tick in ticks)
    assert values(nice_ticks(3, 5)) == [3, 3.5, 4, 4.5, 5]


def test_a_percentage_axis_stops_at_100_unless_the_data_goes_beyond():
    # Results in the 90s against a target of 100% used to draw a 「106」 line.
    assert values(nice_ticks(88, 100, floor=0, ceiling=100)) == [85, 90, 95, 100]
    assert values(nice_ticks(62, 94, floor=0, ceiling=100)) == [60, 70, 80, 90, 100]
    assert max(nice_ticks(97.5, 99.9, floor=0, ceiling=100)) == 100
    assert max(nice_ticks(100, 100, floor=0, ceiling=100)) == 100
    # A result beyond 100% (a target overshot) is drawn, and the scale goes past it.
    assert values(nice_ticks(95, 112, floor=0, ceiling=100)) == [95, 100, 105, 110, 115]


def test_counts_and_percentages_never_go_below_zero_unless_the_data_does():
    assert min(nice_ticks(0, 0, whole=True, floor=0)) == 0
    assert min(nice_ticks(1, 3, whole=True, floor=0)) >= 0
    assert min(nice_ticks(-2, 3, whole=True, floor=0)) < 0


def test_a_single_value_gets_a_step_either_side():
    assert values(nice_ticks(5, 5, whole=True, floor=0)) == [4, 5, 6]
    ticks = nice_ticks(250, 250)
    assert ticks[0] < 250 < ticks[-1]


# The chart ---------------------------------------------------------------------------------------


def test_empty_series_draws_nothing():
    chart = line_chart([])
    assert chart.points == [] and chart.line == "" and chart.y_ticks == []


def test_points_span_the_plot_and_higher_values_sit_higher():
    chart = line_chart([("R4", 100), ("R5", 90), ("R6", 120)], whole=True)
    xs = [p.x for p in chart.points]
    assert xs[0] == INSET and xs[-1] == 100 - INSET
    assert chart.points[2].y < chart.points[0].y < chart.points[1].y
    assert all(PAD_TOP <= p.y <= PLOT_BOTTOM for p in chart.points)
    assert str(chart.line).count("<line") == 2


def test_ticks_are_labelled_with_the_decimals_their_step_needs():
    population = line_chart([("a", 8123), ("b", 8377)], whole=True)
    assert [tick.text for tick in population.y_ticks] == ["8,100", "8,200", "8,300", "8,400"]
    rate = line_chart([("a", Decimal("29.6")), ("b", Decimal("30.0"))], percent=True)
    assert [tick.text for tick in rate.y_ticks][:2] == ["29.6%", "29.7%"]
    wide = line_chart([("a", Decimal("21.5")), ("b", Decimal("38.2"))], percent=True)
    assert [tick.text for tick in wide.y_ticks] == ["20%", "25%", "30%", "35%", "40%"]


def test_the_top_and_bottom_ticks_are_the_frame_of_the_plot():
    chart = line_chart([("a", 3), ("b", 38)], whole=True)
    assert chart.y_ticks[0].y == PLOT_BOTTOM and chart.y_ticks[-1].y == PAD_TOP
    assert chart.y_ticks[0].text == "0" and chart.y_ticks[-1].text == "40"


def test_the_y_axis_is_as_wide_as_its_longest_value():
    narrow = line_chart([("a", 1), ("b", 9)], whole=True)
    wide = line_chart([("a", 123_456), ("b", 987_654)], whole=True)
    assert narrow.axis_width < wide.axis_width
    assert wide.axis_width >= text_width("1,000,000")


def test_flat_series_is_drawn_inside_the_frame():
    chart = line_chart([("a", 5), ("b", 5)], whole=True)
    assert chart.points[0].y == chart.points[1].y
    assert PAD_TOP < chart.points[0].y < PLOT_BOTTOM


def test_single_point_is_centred():
    chart = line_chart([("R8", 10)])
    assert chart.points[0].x == 50
    assert chart.points[0].show_label


def _label_extents(chart):
    plot = NARROWEST - chart.axis_width
    extents = []
    for point in chart.points:
        if not point.show_label:
            continue
        x, width = plot * point.x / 100, text_width(point.label)
        left = {"start": x, "end": x - width, "middle": x - width / 2}[point.anchor]
        extents.append((left, left + width))
    return plot, extents


@pytest.mark.parametrize("count", [2, 3, 6, 10, 11, 20, 40])
@pytest.mark.parametrize("language", ["ja", "en"])
def test_x_labels_never_collide_or_run_off_the_plot_at_the_narrowest_width(count, language):
    with translation.override(language):
        series = [
            (format_short_month(dt.date(2017 + n // 12, n % 12 + 1, 1)), 8000 + n)
            for n in range(count)
        ]
    chart = line_chart(series, whole=True)
    plot, extents = _label_extents(chart)
    assert all(b[0] - a[1] >= LABEL_GAP for a, b in zip(extents, extents[1:], strict=False))
    assert extents[0][0] >= 0 and extents[-1][1] <= plot
    # The newest figure is always labelled; the labels are evenly spaced.
    assert chart.points[-1].show_label
    shown = [i for i, p in enumerate(chart.points) if p.show_label]
    assert len({b - a for a, b in zip(shown, shown[1:], strict=False)}) <= 1


def _wide_extents(chart):
    plot = WIDE - chart.axis_width
    extents = []
    for point in chart.points:
        if point.wide_label:
            x, width = plot * point.x / 100, text_width(point.label)
            left = {"start": x, "end": x - width, "middle": x - width / 2}[point.anchor]
            extents.append((left, left + width))
    return plot, extents


@pytest.mark.parametrize("count", [10, 20, 40])
def test_a_wide_chart_labels_more_points_without_collisions(count):
    chart = line_chart([(f"R{n}.4", n) for n in range(1, count + 1)], whole=True)
    narrow = [i for i, p in enumerate(chart.points) if p.show_label]
    wide = [i for i, p in enumerate(chart.points) if p.wide_label]
    assert len(wide) > len(narrow)
    assert chart.points[-1].show_label and chart.points[-1].wide_label
    plot, extents = _wide_extents(chart)
    assert all(b[0] - a[1] >= LABEL_GAP for a, b in zip(extents, extents[1:], strict=False))
    assert extents[0][0] >= 0 and extents[-1][1] <= plot
    assert len({b - a for a, b in zip(wide, wide[1:], strict=False)}) == 1
    # Each label says which charts show it; a label of both plans has no modifier.
    marks = str(chart.marks)
    both = sum(p.show_label and p.wide_label for p in chart.points)
    assert marks.count("chart__label--wide") == len(wide) - both
    assert marks.count("chart__label--narrow") == len(narrow) - both
    assert marks.count('class="chart__label"') == both


def test_few_points_have_the_same_labels_at_every_width():
    chart = line_chart([("R6", 1), ("R7", 2), ("R8", 3)])
    assert "chart__label--" not in str(chart.marks)


def test_ten_monthly_labels_no_longer_run_into_each_other_at_the_end():
    # Every other label plus the last one used to put 「2026.4」 against 「2026.1」.
    chart = line_chart([(f"R{n}.4", n) for n in range(1, 11)])
    shown = [p.label for p in chart.points if p.show_label]
    assert shown[-1] == "R10.4" and "R9.4" not in shown


def test_few_points_are_all_labelled():
    chart = line_chart([("R6", 1), ("R7", 2), ("R8", 3)])
    assert all(p.show_label for p in chart.points)


def test_target_is_inside_the_scale_and_marked():
    chart = line_chart([("R6", 10), ("R7", 20)], whole=True, target=50)
    assert chart.target_y is not None
    assert PAD_TOP <= chart.target_y < min(p.y for p in chart.points)
    assert chart.target_text == "50"
    assert line_chart([("R6", 10)]).target_y is None
    assert line_chart([("R6", 90)], percent=True, target=Decimal("100.00")).target_text == "100%"


def test_markup_has_a_dot_per_point_and_only_the_shown_labels_escaped():
    chart = line_chart([(f"<{n}>", n * 1000.5) for n in range(20)])
    marks = str(chart.marks)
    assert marks.count("<circle") == 20
    labelled = [p for p in chart.points if p.show_label or p.wide_label]
    assert marks.count('class="chart__label') == len(labelled) < 20
    assert "&lt;19&gt;" in marks and "<19>" not in marks
    # Coordinates are plain numbers, never grouped or localized.
    assert f'cx="{chart.points[1].x:g}%"' in marks
    assert str(chart.grid).count("<line") == len(chart.y_ticks)
    assert str(chart.axis).count("<text") == len(chart.y_ticks)


def test_axis_values_are_escaped_and_coordinates_stay_plain_in_every_language():
    for language in ("ja", "en"):
        with translation.override(language):
            chart = line_chart([("<a>", 1234.5), ("b", 2345.5)])
            axis = str(chart.axis)
            assert "1,500" in axis
            assert "," not in axis.split('y="')[1].split('"')[0]
            assert "&lt;a&gt;" in str(chart.marks)
