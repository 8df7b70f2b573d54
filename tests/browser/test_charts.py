"""Charts on a 320px phone and on a desktop, in both languages: labels as large as the page's small
text says (at least 12 px as drawn, not only as declared), x labels apart from each other and
inside their SVG, y values inside theirs, and the axis in the era style of the table beside it.

The district and the plan are made with the factories: ten population figures a year apart across
the change of era (H29.4 … R8.4) and indicators in counts and in percent over nine fiscal years.
"""

import datetime as dt

import pytest

from tests.factories import CouncilFactory, DistrictStatisticFactory
from tests.plans.factories import (
    IndicatorFactory,
    IndicatorResultFactory,
    InitiativeFactory,
    PlanFactory,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SLUG = "browser-charts"
NARROWEST = {"width": 320, "height": 640}

# For each chart on the page: the drawn size of every label, the boxes of the x labels and of
# the y values, and the boxes of the two SVGs they belong to.
MEASURE = """() => [...document.querySelectorAll('figure.chart')].map(figure => {
  const box = el => { const r = el.getBoundingClientRect();
                      return {left: r.left, right: r.right, top: r.top, bottom: r.bottom}; };
  const drawn = el => parseFloat(getComputedStyle(el).fontSize) * el.getScreenCTM().a;
  const plot = figure.querySelector('svg.chart__plot');
  const axis = figure.querySelector('svg.chart__axis');
  return {
    title: figure.querySelector('figcaption').textContent,
    sizes: [...figure.querySelectorAll('text')].map(drawn),
    labels: [...plot.querySelectorAll('.chart__label')]
      .filter(el => getComputedStyle(el).display !== 'none')
      .map(el => ({text: el.textContent, ...box(el)})),
    ticks: [...axis.querySelectorAll('.chart__tick')].map(el =>
      ({text: el.textContent, ...box(el)})),
    plot: box(plot),
    axis: box(axis),
  };
})"""


@pytest.fixture
def chart_city(live_server):
    council = CouncilFactory(
        established=True, district__name="チャート小学校区", district__slug=SLUG
    )
    district = council.district
    for n, year in enumerate(range(2017, 2027)):
        DistrictStatisticFactory(
            district=district,
            as_of=dt.date(year, 4, 1),
            population=8123 + 37 * n,
            households=3500,
            under_15=900 - 10 * n,
            aged_65_over=2400 + 29 * n,
        )
    plan = PlanFactory(district=district, start_fy=2019, end_fy=2027)
    initiative = InitiativeFactory(plan=plan, title="合同防災訓練")
    participants = IndicatorFactory(
        initiative=initiative,
        name="防災訓練の参加者数",
        unit="人",
        baseline_fy=2018,
        baseline_value=3,
        target_fy=2027,
        target_value=40,
    )
    share = IndicatorFactory(
        initiative=initiative,
        name="自主防災組織の組織率",
        unit="%",
        baseline_fy=2018,
        baseline_value=88,
        target_fy=2027,
        target_value=100,
    )
    for n, fy in enumerate(range(2019, 2027)):
        IndicatorResultFactory(indicator=participants, fiscal_year=fy, actual_value=5 + 4 * n)
        IndicatorResultFactory(indicator=share, fiscal_year=fy, actual_value=89 + n)
    return {"district": f"/districts/{SLUG}/", "plan": f"/plans/{plan.pk}/"}


def assert_charts_read_well(charts: list[dict], where: str) -> None:
    assert charts, f"no chart on {where}"
    for chart in charts:
        name = f"{where}, {chart['title']}"
        assert min(chart["sizes"]) >= 12, f"{name}: labels drawn at {min(chart['sizes']):.1f}px"
        labels = sorted(chart["labels"], key=lambda label: label["left"])
        assert len(labels) >= 2, f"{name}: {labels}"
        for before, after in zip(labels, labels[1:], strict=False):
            assert before["right"] <= after["left"], (
                f"{name}: 「{before['text']}」 runs into 「{after['text']}」"
            )
        plot, axis = chart["plot"], chart["axis"]
        for label in labels:
            assert plot["left"] - 0.5 <= label["left"] and label["right"] <= plot["right"] + 0.5, (
                f"{name}: 「{label['text']}」 is cut off by the chart's edge"
            )
            assert label["bottom"] <= plot["bottom"] + 0.5, f"{name}: 「{label['text']}」 below"
        for tick in chart["ticks"]:
            assert axis["left"] - 0.5 <= tick["left"] and tick["right"] <= axis["right"] + 0.5, (
                f"{name}: the value 「{tick['text']}」 is cut off"
            )


@pytest.mark.parametrize("width", [320, 1280])
def test_charts_read_well_at_every_width(new_page, chart_city, check_page, width):
    page = new_page({"width": width, "height": 900})
    for name, path in chart_city.items():
        page.goto(path)
        check_page(page, lang="ja")
        assert_charts_read_well(page.evaluate(MEASURE), f"{name} at {width}px")


def test_a_desktop_labels_more_points_than_a_phone(new_page, chart_city):
    counts = {}
    for width in (320, 1280):
        page = new_page({"width": width, "height": 900})
        page.goto(chart_city["district"])
        counts[width] = len(page.evaluate(MEASURE)[0]["labels"])
    assert counts[1280] > counts[320] >= 3, counts


def test_the_axis_names_dates_as_the_table_beside_it(new_page, chart_city):
    page = new_page(NARROWEST)
    page.goto(chart_city["district"])
    population = page.evaluate(MEASURE)[0]
    shown = [label["text"] for label in population["labels"]]
    # The newest figure is always labelled, in the table's short form (R8.4.1 → R8.4).
    assert shown[-1] == "R8.4"
    assert all(text.startswith(("H", "R")) for text in shown), shown
    assert page.locator("#statistics table th[scope=row]").last.inner_text() == "R8.4.1"
    # Round values for counts, whole numbers only.
    values = [tick["text"] for tick in population["ticks"]]
    assert all("." not in value for value in values), values
    page.goto(chart_city["plan"])
    charts = {chart["title"]: chart for chart in page.evaluate(MEASURE)}
    share = next(chart for title, chart in charts.items() if "組織率" in title)
    assert share["ticks"][-1]["text"] == "100%"  # not above 100 for a percentage
    assert share["labels"][-1]["text"] == "R8年度"
    participants = next(chart for title, chart in charts.items() if "参加者数" in title)
    assert [tick["text"] for tick in participants["ticks"]] == ["0", "10", "20", "30", "40"]


def test_english_labels_fit_the_narrowest_phone_too(new_page, chart_city, switch_language):
    page = new_page(NARROWEST)
    page.goto(chart_city["district"])
    switch_language(page, "English", "en")
    charts = page.evaluate(MEASURE)
    assert_charts_read_well(charts, "district in English at 320px")
    assert charts[0]["labels"][-1]["text"] == "Apr 2026"
    page.goto(chart_city["plan"])
    charts = page.evaluate(MEASURE)
    assert_charts_read_well(charts, "plan in English at 320px")
    assert charts[0]["labels"][-1]["text"] == "FY2026"
