import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation

from core.dates import (
    era_year,
    fiscal_year,
    fiscal_year_range,
    format_datetime_range,
    format_fiscal_year,
    format_short_date,
    format_short_datetime,
    format_short_fiscal_year,
    format_short_month,
    format_wareki_date,
    format_wareki_datetime,
    iso_datetime,
    local_date,
)

TOKYO = ZoneInfo("Asia/Tokyo")


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


# The long form ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "ja", "en"),
    [
        (dt.date(2026, 9, 25), "令和8年9月25日（金）", "Fri 25 September 2026"),
        (dt.date(2019, 5, 1), "令和元年5月1日（水）", "Wed 1 May 2019"),
        (dt.date(2019, 4, 30), "平成31年4月30日（火）", "Tue 30 April 2019"),
        (dt.date(1989, 1, 8), "平成元年1月8日（日）", "Sun 8 January 1989"),
    ],
)
def test_long_form_with_the_weekday(day, ja, en):
    with translation.override("ja"):
        assert format_wareki_date(day, weekday=True) == ja
    with translation.override("en"):
        assert format_wareki_date(day, weekday=True) == en


def test_long_form_in_english_is_the_western_calendar():
    with translation.override("en"):
        assert format_wareki_date(dt.date(2026, 4, 1)) == "1 April 2026"
        assert format_wareki_date(dt.date(1872, 12, 31)) == "31 December 1872"


def test_a_moment_falls_on_its_day_in_japan():
    # 23:30 UTC on 24 September is 08:30 on the 25th in Tokyo.
    moment = dt.datetime(2026, 9, 24, 23, 30, tzinfo=dt.UTC)
    assert local_date(moment) == dt.date(2026, 9, 25)
    with translation.override("ja"):
        assert format_wareki_date(moment) == "令和8年9月25日"
        assert format_short_date(moment) == "R8.9.25"


def test_long_form_with_the_time():
    moment = dt.datetime(2026, 9, 25, 10, 0, tzinfo=dt.UTC)  # 19:00 in Tokyo
    with translation.override("ja"):
        assert format_wareki_datetime(moment) == "令和8年9月25日 19:00"
        assert format_wareki_datetime(moment, weekday=True) == "令和8年9月25日（金）19:00"
    with translation.override("en"):
        assert format_wareki_datetime(moment) == "25 September 2026, 19:00"
        assert format_wareki_datetime(moment, weekday=True) == "Fri 25 September 2026, 19:00"


def test_a_range_writes_the_end_day_only_when_it_differs():
    start = dt.datetime(2026, 9, 25, 19, tzinfo=TOKYO)
    with translation.override("ja"):
        assert format_datetime_range(start) == "令和8年9月25日（金）19:00"
        assert (
            format_datetime_range(start, start + dt.timedelta(hours=2))
            == "令和8年9月25日（金）19:00〜21:00"
        )
        assert (
            format_datetime_range(start, start + dt.timedelta(hours=15))
            == "令和8年9月25日（金）19:00〜令和8年9月26日（土）10:00"
        )
    with translation.override("en"):
        assert (
            format_datetime_range(start, start + dt.timedelta(hours=2))
            == "Fri 25 September 2026, 19:00–21:00"
        )


# The short form --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "ja", "en"),
    [
        (dt.date(2026, 9, 25), "R8.9.25", "25 Sep 2026"),
        (dt.date(2019, 5, 1), "R1.5.1", "1 May 2019"),  # 元年 as 1, as JIS X 0301 writes it
        (dt.date(2019, 4, 30), "H31.4.30", "30 Apr 2019"),
        (dt.date(1989, 1, 7), "S64.1.7", "7 Jan 1989"),
        (dt.date(1926, 12, 25), "S1.12.25", "25 Dec 1926"),
        (dt.date(1926, 12, 24), "T15.12.24", "24 Dec 1926"),
        (dt.date(1912, 7, 29), "M45.7.29", "29 Jul 1912"),
        (dt.date(1872, 12, 31), "1872/12/31", "31 Dec 1872"),
    ],
)
def test_short_form_for_tables(day, ja, en):
    with translation.override("ja"):
        assert format_short_date(day) == ja
    with translation.override("en"):
        assert format_short_date(day) == en


def test_short_form_with_the_time_for_history_tables():
    moment = dt.datetime(2026, 9, 25, 10, 5, tzinfo=dt.UTC)
    with translation.override("ja"):
        assert format_short_datetime(moment) == "R8.9.25 19:05"
    with translation.override("en"):
        assert format_short_datetime(moment) == "25 Sep 2026 19:05"


@pytest.mark.parametrize(
    ("day", "ja", "en"),
    [
        (dt.date(2026, 4, 1), "R8.4", "Apr 2026"),
        (dt.date(2019, 5, 1), "R1.5", "May 2019"),
        (dt.date(2019, 4, 1), "H31.4", "Apr 2019"),
    ],
)
def test_short_month_for_chart_axes_and_terms(day, ja, en):
    with translation.override("ja"):
        assert format_short_month(day) == ja
    with translation.override("en"):
        assert format_short_month(day) == en


@pytest.mark.parametrize(
    ("fy", "ja", "en"),
    [(2026, "R8年度", "FY2026"), (2019, "R1年度", "FY2019"), (2018, "H30年度", "FY2018")],
)
def test_short_fiscal_year_for_chart_axes(fy, ja, en):
    with translation.override("ja"):
        assert format_short_fiscal_year(fy) == ja
    with translation.override("en"):
        assert format_short_fiscal_year(fy) == en


def test_iso_for_machines_is_the_same_in_every_language():
    for language in ("ja", "en"):
        with translation.override(language):
            assert iso_datetime(dt.date(2026, 9, 25)) == "2026-09-25"
            assert (
                iso_datetime(dt.datetime(2026, 9, 25, 10, tzinfo=dt.UTC))
                == "2026-09-25T19:00:00+09:00"
            )


def test_iso_moment_has_no_fraction_of_a_second():
    """HTML's datetime attribute takes at most three digits of a fraction; none are shown."""
    moment = dt.datetime(2026, 12, 7, 8, 43, 47, 803043, tzinfo=dt.UTC)
    assert iso_datetime(moment) == "2026-12-07T17:43:47+09:00"
