"""Dates and times as people in Japan type them, read once for every form.

Dates:

- western, with any of / - . 年月日 between the parts: 2026/12/10, 2026-12-10, 2026.12.10,
  2026年12月10日, or eight digits 20261210;
- 和暦 with the era's name, its first kanji or its letter (any width or case): 令和8年12月10日,
  令和元年5月1日, 令8.12.10, R8.12.10, Ｒ８．１２．１０, H31/4/30, ㋿8年12月10日;
- a year of one or two digits (or 元) without an era: the current era's year, so 8.12.10 and
  8年12月10日 are 令和8年12月10日. Only up to ten years ahead of this year of the era: 「26」 in
  令和8年 is refused as unclear (2026 or 令和26年?) rather than read as 2044;
- full-width digits and marks, kanji numerals (令和八年十二月十日), spaces anywhere, and a day of
  the week after the date (「2026/12/10（木）」), which must be the right one.

Times: 19:00, 19:30:00, 1930, 19, 19時, 19時30分, 19時半, 午後7時, 午後7時半, 午前10時,
7:30pm, 正午. 午前0時 is midnight, 午後0時 and 午前12時 noon; 午後12時 is refused (people mean
both noon and midnight by it). 24:00 and later are refused: a time of day is 0:00 to 23:59.

Each refusal says what was wrong and how to write it; see DateInputError.
"""

import datetime as dt
import re

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .dates import _ERAS, _WEEKDAYS_JA, era_year, format_wareki_date
from .text import fold

DATE_FORMAT_HINT = _("Such as 2026/12/10 or 令和8年12月10日.")
TIME_FORMAT_HINT = _("Such as 19:00, 19時 or 午後7時半.")
DATETIME_FORMAT_HINT = _(
    "Date such as 2026/12/10 or 令和8年12月10日; time such as 19:00, 19時 or 午後7時半."
)

DATE_INVALID = _("Enter the date as 2026/12/10 or 令和8年12月10日.")
TIME_INVALID = _("Enter the time as 19:00 or 19時30分.")

# How many years past this year of the current era a bare year (8.12.10) may point to.
BARE_YEAR_AHEAD = 10


class DateInputError(ValueError):
    """What was typed is not a date (or time); `message` says why, for the person typing."""

    def __init__(self, message, code: str = "invalid"):
        super().__init__(str(message))
        self.message = message
        self.code = code


# Eras: the name, its first kanji and its letter, all as fold() leaves them (lower case).
_ERA_BY_MARK: dict[str, tuple[dt.date, str, str, int, str]] = {}
for _era in _ERAS:
    _start, _name_ja, _name_en, _first_year, _letter = _era
    for _mark in (_name_ja, _name_ja[0], _letter.lower()):
        _ERA_BY_MARK[_mark] = _era
_ERA_MARKS = "|".join(sorted(map(re.escape, _ERA_BY_MARK), key=len, reverse=True))

# A day of the week written after the date: (木), (木曜日), 木曜, 木曜日.
_WEEKDAY_RE = re.compile(r"(?:\(([月火水木金土日])(?:曜日?)?\)|([月火水木金土日])曜日?)$")
_SEPARATOR = r"[/\-.年月]"
_DATE_RE = re.compile(
    rf"(?:(?P<era>{_ERA_MARKS})\.?)?"
    rf"(?P<year>\d{{1,4}}|元)(?:{_SEPARATOR})(?P<month>\d{{1,2}})(?:{_SEPARATOR})(?P<day>\d{{1,2}})日?"
)
_COMPACT_DATE_RE = re.compile(r"(?P<year>\d{4})(?P<month>\d{2})(?P<day>\d{2})")


def _compact(value: str) -> str:
    """fold() (half-width, lower case, kanji numerals as digits), without any spaces."""
    return fold(value).replace(" ", "")


def _today() -> dt.date:
    return timezone.localdate()


def _date_label(era_name: str | None, year: int, month: int, day: int) -> str:
    """The date as typed, written out: 「令和8年2月30日」, 「2026年2月30日」."""
    if era_name:
        return f"{era_name}{'元' if year == 1 else year}年{month}月{day}日"
    return f"{year}年{month}月{day}日"


def _current_era(today: dt.date) -> tuple[dt.date, str, str, int, str]:
    for era in _ERAS:
        if today >= era[0]:
            return era
    return _ERAS[-1]


def parse_date(value: str, *, today: dt.date | None = None) -> dt.date:
    """The date typed in `value` (see the module's docstring), or DateInputError."""
    text = _compact(value)
    weekday = None
    found = _WEEKDAY_RE.search(text)
    if found and found.start() > 0:
        weekday = _WEEKDAYS_JA.index(found.group(1) or found.group(2))
        text = text[: found.start()]
    era = None
    match = _COMPACT_DATE_RE.fullmatch(text) or _DATE_RE.fullmatch(text)
    if match is None:
        raise DateInputError(DATE_INVALID)
    parts = match.groupdict()
    month, day = int(parts["month"]), int(parts["day"])
    raw_year = parts["year"]
    if parts.get("era"):
        era = _ERA_BY_MARK[parts["era"]]
        if len(raw_year) > 2:
            raise DateInputError(DATE_INVALID)
    elif len(raw_year) <= 2:
        # A bare year of the era we are in: 8.12.10 is 令和8年12月10日.
        today = today or _today()
        era = _current_era(today)
        if raw_year != "元" and int(raw_year) > era_year(today.year, today)[2] + BARE_YEAR_AHEAD:
            raise DateInputError(
                _(
                    "Is %(year)s年 a western year or an era year? Enter the date as 2026/12/10 "
                    "or 令和8年12月10日."
                )
                % {"year": raw_year},
                code="unclear_year",
            )
    elif len(raw_year) != 4:
        raise DateInputError(DATE_INVALID)
    year_in_era = 1 if raw_year == "元" else int(raw_year)
    if era is not None:
        if year_in_era < 1:
            raise DateInputError(DATE_INVALID)
        year = era[3] + year_in_era - 1
    else:
        year = year_in_era
    if year < 1:
        raise DateInputError(DATE_INVALID)
    label = _date_label(era[1] if era else None, year_in_era, month, day)
    if not 1 <= month <= 12:
        raise DateInputError(
            _("There is no month %(month)s: enter a month from 1 to 12.") % {"month": month},
            code="invalid_month",
        )
    try:
        result = dt.date(year, month, day)
    except ValueError:
        last = _last_day(year, month)
        raise DateInputError(
            _("There is no %(date)s: that month has %(last)s days.")
            % {"date": label, "last": last},
            code="invalid_day",
        ) from None
    if era is not None:
        _check_era(result, era, label)
    if weekday is not None and result.weekday() != weekday:
        raise DateInputError(
            _("%(date)s is a %(weekday)s, not a %(typed)s: check the date.")
            % {
                "date": label,
                "weekday": _weekday_name(result.weekday()),
                "typed": _weekday_name(weekday),
            },
            code="wrong_weekday",
        )
    return result


def _last_day(year: int, month: int) -> int:
    following = dt.date(year + (month == 12), month % 12 + 1, 1)
    return (following - dt.timedelta(days=1)).day


def _weekday_name(index: int) -> str:
    return str(
        (
            _("Monday"),
            _("Tuesday"),
            _("Wednesday"),
            _("Thursday"),
            _("Friday"),
            _("Saturday"),
            _("Sunday"),
        )[index]
    )


def _check_era(day: dt.date, era, label: str) -> None:
    """Refuse a 和暦 date outside its era: 令和元年4月30日 was 平成31年4月30日."""
    start, name_ja = era[0], era[1]
    index = _ERAS.index(era)
    # The era that followed this one (none for the current era).
    end = _ERAS[index - 1][0] if index > 0 else None
    if day >= start and (end is None or day < end):
        return
    if day < _ERAS[-1][0]:
        raise DateInputError(
            _("%(date)s is before 明治6年 (1873), the earliest date that can be entered.")
            % {"date": label},
            code="before_eras",
        )
    message = (
        _("%(date)s is before %(era)s began: that day is %(correct)s.")
        if day < start
        else _("%(date)s is after %(era)s ended: that day is %(correct)s.")
    )
    raise DateInputError(
        message % {"date": label, "era": name_ja, "correct": format_wareki_date(day)},
        code="outside_era",
    )


# Times ---------------------------------------------------------------------------------------

_TIME_RE = re.compile(
    r"(?P<before>午前|午後|am|pm|a\.m\.|p\.m\.)?"
    r"(?:(?P<hour>\d{1,2})(?:(?::(?P<minute>\d{2})(?::(?P<second>\d{2}))?)"
    r"|(?:時(?:(?P<half>半)|(?P<jminute>\d{1,2})分?)?))?"
    r"|(?P<compact>\d{3,4}))"
    r"(?P<after>am|pm|a\.m\.|p\.m\.)?"
)


def parse_time(value: str) -> dt.time:
    """The time of day typed in `value` (see the module's docstring), or DateInputError."""
    text = _compact(value)
    if text == "正午":
        return dt.time(12, 0)
    match = _TIME_RE.fullmatch(text)
    if match is None:
        raise DateInputError(TIME_INVALID)
    parts = match.groupdict()
    if parts["before"] and parts["after"]:
        raise DateInputError(TIME_INVALID)
    if parts["compact"]:
        hour, minute = int(parts["compact"][:-2]), int(parts["compact"][-2:])
    else:
        hour = int(parts["hour"])
        minute = int(parts["minute"] or parts["jminute"] or 0) + (30 if parts["half"] else 0)
    second = int(parts["second"] or 0)
    half_day = parts["before"] or parts["after"]
    if half_day:
        afternoon = half_day in ("午後", "pm", "p.m.")
        if not 0 <= hour <= 12:
            raise DateInputError(
                _("With 午前 or 午後 the hour is 0 to 12; or write the time as 19:00."),
                code="invalid_half_day",
            )
        if hour == 12 and afternoon and half_day == "午後":
            raise DateInputError(
                _("午後12時 can mean noon or midnight: enter 12:00 for noon or 0:00 for midnight."),
                code="unclear_noon",
            )
        if half_day in ("am", "a.m."):
            hour = 0 if hour == 12 else hour
        elif afternoon:
            hour = 12 if hour == 12 else hour + 12
    if hour > 23 or minute > 59 or second > 59:
        raise DateInputError(
            _("There is no %(time)s: enter a time from 0:00 to 23:59.")
            % {"time": f"{hour}:{minute:02d}"},
            code="invalid_time",
        )
    return dt.time(hour, minute, second)
