from core.charts import HEIGHT, PAD_BOTTOM, PAD_LEFT, PAD_TOP, WIDTH, line_chart


def test_empty_series_draws_nothing():
    chart = line_chart([])
    assert chart.points == [] and chart.polyline == ""


def test_points_span_the_plot_and_higher_values_sit_higher():
    chart = line_chart([("2022", 100), ("2023", 90), ("2024", 120)])
    xs = [p.x for p in chart.points]
    assert xs[0] == PAD_LEFT and xs[-1] == WIDTH - 16
    assert chart.points[2].y < chart.points[0].y < chart.points[1].y
    assert all(PAD_TOP <= p.y <= HEIGHT - PAD_BOTTOM for p in chart.points)
    assert chart.polyline.count(",") == 3


def test_flat_series_is_drawn_inside_the_frame():
    chart = line_chart([("a", 5), ("b", 5)], value_format=lambda v: f"{v:.0f}")
    assert chart.points[0].y == chart.points[1].y
    assert PAD_TOP < chart.points[0].y < HEIGHT - PAD_BOTTOM
    assert len(chart.y_ticks) == 5


def test_single_point_is_centred():
    chart = line_chart([("2026", 10)])
    assert chart.points[0].x == PAD_LEFT + (WIDTH - PAD_LEFT - 16) / 2


def test_x_labels_are_thinned_so_they_never_overlap():
    chart = line_chart([(f"20{n:02d}", n) for n in range(20)])
    shown = [p.label for p in chart.points if p.show_label]
    assert len(shown) <= 7
    assert shown[0] == "2000" and shown[-1] == "2019"


def test_few_points_are_all_labelled():
    chart = line_chart([("a", 1), ("b", 2), ("c", 3)])
    assert all(p.show_label for p in chart.points)


def test_target_is_inside_the_scale_and_marked():
    chart = line_chart([("2024", 10), ("2025", 20)], target=50)
    assert chart.target_y is not None
    assert PAD_TOP <= chart.target_y < min(p.y for p in chart.points)
    assert chart.target_text == "50"
    assert line_chart([("2024", 10)]).target_y is None


def test_markup_has_a_dot_per_point_and_only_the_shown_labels_escaped():
    chart = line_chart([(f"<{n}>", n * 1000.5) for n in range(20)])
    marks = str(chart.marks)
    assert marks.count("<circle") == 20
    shown = [p for p in chart.points if p.show_label]
    assert marks.count('class="chart__label"') == len(shown)
    assert "&lt;0&gt;" in marks and "<0>" not in marks
    # Coordinates are plain numbers, never grouped or localized.
    assert f'cx="{chart.points[1].x:g}"' in marks
    assert str(chart.grid).count("<line") == len(chart.y_ticks)


def test_grid_values_are_escaped_and_coordinates_stay_plain_in_every_language():
    from django.utils import translation

    for language in ("ja", "en"):
        with translation.override(language):
            chart = line_chart([("a", 1234.5), ("b", 2345.5)], value_format=lambda v: f"<{v:,.0f}>")
            grid = str(chart.grid)
            assert "&lt;" in grid and "<1" not in grid
            assert "," not in grid.split('y1="')[1].split('"')[0]
