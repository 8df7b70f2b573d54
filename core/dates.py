"""Fiscal years (年度, April–March) and how the portal writes dates, written once.

The rule is in docs/conventions.md, "Dates and times". In short: the long form in 和暦 for
prose, meeting pages and official documents (「令和8年9月25日（金）」, time 「19:00」); fiscal
years 「令和8年度」, with the western year first where it helps (「2026年度（令和8年度）」); one
short form for tables and chart axes (「R8.9.25」, months 「R8.9」); history tables
「R8.9.25 19:00」. English pages write the western calendar: "Fri 25 September 2026",
"25 Sep 2026", "FY2026 (Reiwa 8)". What machines read (CSV, calendars, `<time datetime>`) keeps
ISO 8601.
"""

import datetime as dt

from django.utils import timezone, translation

# (first day, era name in Japanese, era name in English, calendar year of the era's year 1, the
# era's letter in JIS X 0301). Meiji is counted from 1868 but the Gregorian calendar, and so this
# table, starts in Meiji 6.
_ERAS = (
    (dt.date(2019, 5, 1), "令和", "Reiwa", 2019, "R"),
    (dt.date(1989, 1, 8), "平成", "Heisei", 1989, "H"),
    (dt.date(1926, 12, 25), "昭和", "Showa", 1926, "S"),
    (dt.date(1912, 7, 30), "大正", "Taisho", 1912, "T"),
    (dt.date(1873, 1, 1), "明治", "Meiji", 1868, "M"),
)

_WEEKDAYS_JA = "月火水木金土日"
_WEEKDAYS_EN = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS_EN = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def fiscal_year(day: dt.date) -> int:
    """The fiscal year a date falls in: 2027-03-31 is in 2026年度."""
    return day.year if day.month >= 4 else day.year - 1


def fiscal_year_range(fy: int) -> tuple[dt.date, dt.date]:
    """First and last day of a fiscal year."""
    return dt.date(fy, 4, 1), dt.date(fy + 1, 3, 31)


def fiscal_year_bounds(fy: int) -> tuple[dt.datetime, dt.datetime]:
    """The first moment of a fiscal year and of the next one, in the site's time zone."""
    return (
        timezone.make_aware(dt.datetime(fy, 4, 1)),
        timezone.make_aware(dt.datetime(fy + 1, 4, 1)),
    )


def current_fiscal_year() -> int:
    """The fiscal year of today in Japan."""
    return fiscal_year(timezone.localdate())


def _era(year: int, day: dt.date | None = None) -> tuple[str, str, int, str]:
    probe = day or dt.date(year, 12, 31)
    for start, name_ja, name_en, first_year, letter in _ERAS:
        if probe >= start:
            return name_ja, name_en, year - first_year + 1, letter
    raise ValueError(f"No era known for {year}")


def era_year(year: int, day: dt.date | None = None) -> tuple[str, str, int]:
    """The era (Japanese name, English name) and era year for a calendar year.

    Without a day, the era that began in or before that year is used, which is how fiscal years
    are named: 2019年度 is 令和元年度.
    """
    name_ja, name_en, n, _letter = _era(year, day)
    return name_ja, name_en, n


def _english() -> bool:
    return (translation.get_language() or "").startswith("en")


def _ja_era_year(n: int) -> str:
    return "元" if n == 1 else str(n)


def local_date(value: dt.date | dt.datetime) -> dt.date:
    """The day a date or a moment falls on in Japan (a moment is stored in UTC)."""
    if isinstance(value, dt.datetime):
        return timezone.localdate(value) if timezone.is_aware(value) else value.date()
    return value


def _local_moment(value: dt.datetime) -> dt.datetime:
    return timezone.localtime(value) if timezone.is_aware(value) else value


def iso_datetime(value: dt.date | dt.datetime) -> str:
    """For machines (`<time datetime>`): 「2026-09-25」; a moment, in Japan:
    「2026-09-25T19:00:00+09:00」, to the second (HTML takes no microseconds)."""
    if isinstance(value, dt.datetime):
        return _local_moment(value).isoformat(timespec="seconds")
    return value.isoformat()


def format_fiscal_year(fy: int, *, western: bool = False) -> str:
    """「令和8年度」, or 「2026年度（令和8年度）」 with western=True.

    In English: "FY2026 (Reiwa 8)".
    """
    try:
        name_ja, name_en, n = era_year(fy)
    except ValueError:
        # Before the calendar the eras are counted in here: the western year alone.
        return f"FY{fy}" if _english() else f"{fy}年度"
    if _english():
        return f"FY{fy} ({name_en} {n})"
    wareki = f"{name_ja}{_ja_era_year(n)}年度"
    return f"{fy}年度（{wareki}）" if western else wareki


def format_short_fiscal_year(fy: int) -> str:
    """A fiscal year on a chart axis: 「R8年度」; English "FY2026"."""
    if _english():
        return f"FY{fy}"
    try:
        _name_ja, _name_en, n, letter = _era(fy)
    except ValueError:
        return f"{fy}年度"
    return f"{letter}{n}年度"


def format_wareki_date(day: dt.date | dt.datetime, *, weekday: bool = False) -> str:
    """The long form: 「令和8年4月1日」, with weekday=True 「令和8年4月1日（水）」.

    English keeps the western calendar: "1 April 2026", "Wed 1 April 2026". Dates before the
    Gregorian calendar was adopted (明治6年) are shown in the western calendar.
    """
    day = local_date(day)
    if _english():
        text = f"{day.day} {_MONTHS_EN[day.month - 1]} {day.year}"
        return f"{_WEEKDAYS_EN[day.weekday()]} {text}" if weekday else text
    try:
        name_ja, _name_en, n = era_year(day.year, day)
        text = f"{name_ja}{_ja_era_year(n)}年{day.month}月{day.day}日"
    except ValueError:
        text = f"{day.year}年{day.month}月{day.day}日"
    return f"{text}（{_WEEKDAYS_JA[day.weekday()]}）" if weekday else text


def format_wareki_datetime(moment: dt.datetime, *, weekday: bool = False) -> str:
    """The long form with the time in Japan: 「令和8年9月25日 19:00」, with weekday=True
    「令和8年9月25日（金）19:00」.

    English: "25 September 2026, 19:00", "Fri 25 September 2026, 19:00".
    """
    moment = _local_moment(moment)
    day = format_wareki_date(moment.date(), weekday=weekday)
    if _english():
        return f"{day}, {moment:%H:%M}"
    return f"{day}{'' if weekday else ' '}{moment:%H:%M}"


def format_datetime_range(start: dt.datetime, end: dt.datetime | None = None) -> str:
    """When something is held: 「令和8年9月25日（金）19:00〜21:00」, the end day written out when it
    differs. English: "Fri 25 September 2026, 19:00–21:00"."""
    start = _local_moment(start)
    text = format_wareki_datetime(start, weekday=True)
    if end is None:
        return text
    end = _local_moment(end)
    dash = "–" if _english() else "〜"
    if end.date() == start.date():
        return f"{text}{dash}{end:%H:%M}"
    return f"{text}{dash}{format_wareki_datetime(end, weekday=True)}"


def format_short_date(day: dt.date | dt.datetime) -> str:
    """The short form for tables: 「R8.9.25」 (JIS X 0301's era letter, 元年 as 1); English
    "25 Sep 2026"."""
    day = local_date(day)
    if _english():
        return f"{day.day} {_MONTHS_EN[day.month - 1][:3]} {day.year}"
    try:
        _name_ja, _name_en, n, letter = _era(day.year, day)
    except ValueError:
        return f"{day.year}/{day.month}/{day.day}"
    return f"{letter}{n}.{day.month}.{day.day}"


def format_short_datetime(moment: dt.datetime) -> str:
    """The short form with the time in Japan, for history tables: 「R8.9.25 19:00」; English
    "25 Sep 2026 19:00"."""
    moment = _local_moment(moment)
    return f"{format_short_date(moment.date())} {moment:%H:%M}"


def format_short_month(day: dt.date | dt.datetime) -> str:
    """A month in the short form, for chart axes and terms in tables: 「R8.9」; English
    "Sep 2026". The era is the one of the day given."""
    day = local_date(day)
    if _english():
        return f"{_MONTHS_EN[day.month - 1][:3]} {day.year}"
    try:
        _name_ja, _name_en, n, letter = _era(day.year, day)
    except ValueError:
        return f"{day.year}/{day.month}"
    return f"{letter}{n}.{day.month}"
