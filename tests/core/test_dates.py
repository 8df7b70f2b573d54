import datetime as dt

import pytest
from django.utils import translation

from core.dates import (
    era_year,
    fiscal_year,
    fiscal_year_range,
    format_fiscal_year,
    format_wareki_date,
)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (dt.date(2026, 4, 1), 2026),
        (dt.date(2027, 3, 31), 2026),
        (dt.date(2026, 3, 31), 2025),
        (dt.date(2026, 12, 31), 2026),
        (dt.date(2027, 1, 1), 2026),
    ],
)
def test_fiscal_year_runs_april_to_march(day, expected):
    assert fiscal_year(day) == expected


def test_fiscal_year_range():
    assert fiscal_year_range(2026) == (dt.date(2026, 4, 1), dt.date(2027, 3, 31))


@pytest.mark.parametrize(
    ("fy", "expected"),
    [(2026, "令和8年度"), (2019, "令和元年度"), (2018, "平成30年度"), (1989, "平成元年度")],
)
def test_format_fiscal_year_in_japanese(fy, expected):
    with translation.override("ja"):
        assert format_fiscal_year(fy) == expected


def test_format_fiscal_year_with_western_year():
    with translation.override("ja"):
        assert format_fiscal_year(2026, western=True) == "2026年度（令和8年度）"


def test_format_fiscal_year_in_english():
    with translation.override("en"):
        assert format_fiscal_year(2026) == "FY2026 (Reiwa 8)"


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (dt.date(2026, 4, 1), "令和8年4月1日"),
        (dt.date(2019, 5, 1), "令和元年5月1日"),
        (dt.date(2019, 4, 30), "平成31年4月30日"),
        (dt.date(1989, 1, 7), "昭和64年1月7日"),
        (dt.date(1926, 12, 24), "大正15年12月24日"),
        (dt.date(1912, 7, 29), "明治45年7月29日"),
        (dt.date(1873, 1, 1), "明治6年1月1日"),
        (dt.date(1872, 12, 31), "1872年12月31日"),
    ],
)
def test_format_wareki_date_uses_the_era_of_the_day(day, expected):
    with translation.override("ja"):
        assert format_wareki_date(day) == expected


def test_era_before_the_gregorian_calendar_is_refused():
    assert era_year(1900) == ("明治", "Meiji", 33)
    with pytest.raises(ValueError, match="No era"):
        era_year(1850)


def test_fiscal_years_before_the_eras_fall_back_to_the_western_year():
    with translation.override("ja"):
        assert format_fiscal_year(1026) == "1026年度"
    with translation.override("en"):
        assert format_fiscal_year(1026) == "FY1026"


def test_fiscal_year_bounds_are_midnight_in_tokyo():
    from core.dates import fiscal_year_bounds

    start, end = fiscal_year_bounds(2026)
    assert start.isoformat() == "2026-04-01T00:00:00+09:00"
    assert end.isoformat() == "2027-04-01T00:00:00+09:00"
