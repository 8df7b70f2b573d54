"""Fiscal years (年度, April–March) and Japanese era (和暦) formatting, written once."""

import datetime as dt

from django.utils import translation

# (first day, era name in Japanese, era name in English, calendar year of the era's year 1).
# Meiji is counted from 1868 but the Gregorian calendar, and so this table, starts in Meiji 6.
_ERAS = (
    (dt.date(2019, 5, 1), "令和", "Reiwa", 2019),
    (dt.date(1989, 1, 8), "平成", "Heisei", 1989),
    (dt.date(1926, 12, 25), "昭和", "Showa", 1926),
    (dt.date(1912, 7, 30), "大正", "Taisho", 1912),
    (dt.date(1873, 1, 1), "明治", "Meiji", 1868),
)


def fiscal_year(day: dt.date) -> int:
    """The fiscal year a date falls in: 2027-03-31 is in 2026年度."""
    return day.year if day.month >= 4 else day.year - 1


def fiscal_year_range(fy: int) -> tuple[dt.date, dt.date]:
    """First and last day of a fiscal year."""
    return dt.date(fy, 4, 1), dt.date(fy + 1, 3, 31)


def fiscal_year_bounds(fy: int) -> tuple[dt.datetime, dt.datetime]:
    """The first moment of a fiscal year and of the next one, in the site's time zone."""
    from django.utils import timezone

    return (
        timezone.make_aware(dt.datetime(fy, 4, 1)),
        timezone.make_aware(dt.datetime(fy + 1, 4, 1)),
    )


def current_fiscal_year() -> int:
    """The fiscal year of today in Japan."""
    from django.utils import timezone

    return fiscal_year(timezone.localdate())


def era_year(year: int, day: dt.date | None = None) -> tuple[str, str, int]:
    """The era (Japanese name, English name) and era year for a calendar year.

    Without a day, the era that began in or before that year is used, which is how fiscal years
    are named: 2019年度 is 令和元年度.
    """
    probe = day or dt.date(year, 12, 31)
    for start, name_ja, name_en, first_year in _ERAS:
        if probe >= start:
            return name_ja, name_en, year - first_year + 1
    raise ValueError(f"No era known for {year}")


def _ja_era_year(n: int) -> str:
    return "元" if n == 1 else str(n)


def format_fiscal_year(fy: int, *, western: bool = False) -> str:
    """「令和8年度」, or 「2026年度（令和8年度）」 with western=True.

    In English: "FY2026 (Reiwa 8)".
    """
    try:
        name_ja, name_en, n = era_year(fy)
    except ValueError:
        # Before the calendar the eras are counted in here: the western year alone.
        return f"FY{fy}" if translation.get_language() == "en" else f"{fy}年度"
    if translation.get_language() == "en":
        return f"FY{fy} ({name_en} {n})"
    wareki = f"{name_ja}{_ja_era_year(n)}年度"
    return f"{fy}年度（{wareki}）" if western else wareki


def format_wareki_date(day: dt.date) -> str:
    """「令和8年4月1日」 for official documents; English keeps the western date.

    Dates before the Gregorian calendar was adopted (明治6年) are shown in the western calendar.
    """
    try:
        name_ja, name_en, n = era_year(day.year, day)
    except ValueError:
        return f"{day.year}年{day.month}月{day.day}日"
    if translation.get_language() == "en":
        return f"{day:%-d %B %Y} ({name_en} {n})"
    return f"{name_ja}{_ja_era_year(n)}年{day.month}月{day.day}日"
