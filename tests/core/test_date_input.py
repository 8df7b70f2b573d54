"""Reading dates and times as people in Japan type them, and refusing impossible ones clearly."""

import datetime as dt

import pytest
from django.utils import translation

from core.date_input import DateInputError, parse_date, parse_time

TODAY = dt.date(2026, 12, 6)  # 令和8年


@pytest.fixture(autouse=True)
def _japanese():
    with translation.override("ja"):
        yield


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        # Western, with any separator, any width.
        ("2026/12/10", dt.date(2026, 12, 10)),
        ("２０２６／１２／１０", dt.date(2026, 12, 10)),
        ("2026-12-10", dt.date(2026, 12, 10)),
        ("2026.12.10", dt.date(2026, 12, 10)),
        ("2026/1/5", dt.date(2026, 1, 5)),
        ("2026年12月10日", dt.date(2026, 12, 10)),
        ("２０２６年１２月１０日", dt.date(2026, 12, 10)),
        ("2026ー12ー10", dt.date(2026, 12, 10)),  # ー typed with the IME on
        ("20261210", dt.date(2026, 12, 10)),
        (" 2026 / 12 / 10 ", dt.date(2026, 12, 10)),
        ("二〇二六年十二月十日", dt.date(2026, 12, 10)),
        # 和暦: the era's name, its first kanji, its letter in any width and case, its ligature.
        ("令和8年12月6日", dt.date(2026, 12, 6)),
        ("令和８年１２月６日", dt.date(2026, 12, 6)),
        ("令和八年十二月六日", dt.date(2026, 12, 6)),
        ("令和 8年 12月 6日", dt.date(2026, 12, 6)),
        ("令和元年5月1日", dt.date(2019, 5, 1)),
        ("令和1年5月1日", dt.date(2019, 5, 1)),
        ("令8.12.6", dt.date(2026, 12, 6)),
        ("R8.12.6", dt.date(2026, 12, 6)),
        ("r8.12.6", dt.date(2026, 12, 6)),
        ("Ｒ８．１２．６", dt.date(2026, 12, 6)),
        ("R08.12.06", dt.date(2026, 12, 6)),
        ("R8/12/6", dt.date(2026, 12, 6)),
        ("R8年12月6日", dt.date(2026, 12, 6)),
        ("㋿8年12月6日", dt.date(2026, 12, 6)),
        ("平成31年4月30日", dt.date(2019, 4, 30)),
        ("H31.4.30", dt.date(2019, 4, 30)),
        ("平成元年1月8日", dt.date(1989, 1, 8)),
        ("S64.1.7", dt.date(1989, 1, 7)),
        ("昭和45年3月15日", dt.date(1970, 3, 15)),
        ("大正15年12月24日", dt.date(1926, 12, 24)),
        # A bare year is the current era's (令和 today).
        ("8.12.6", dt.date(2026, 12, 6)),
        ("8/12/6", dt.date(2026, 12, 6)),
        ("8年12月6日", dt.date(2026, 12, 6)),
        ("８年１２月６日", dt.date(2026, 12, 6)),
        ("元年5月1日", dt.date(2019, 5, 1)),
        ("18.4.1", dt.date(2036, 4, 1)),  # ten years ahead: a plan's last year
        # A day of the week after the date, when it is the right one.
        ("2026/12/10（木）", dt.date(2026, 12, 10)),
        ("2026/12/10(木曜日)", dt.date(2026, 12, 10)),
        ("令和8年12月10日木曜日", dt.date(2026, 12, 10)),
        ("2026年12月13日(日)", dt.date(2026, 12, 13)),
    ],
)
def test_dates_are_read_as_typed(typed, expected):
    assert parse_date(typed, today=TODAY) == expected


@pytest.mark.parametrize(
    ("typed", "code", "message"),
    [
        ("", "invalid", "2026/12/10 または 令和8年12月10日 の形で入力してください。"),
        ("あした", "invalid", "2026/12/10 または 令和8年12月10日 の形で入力してください。"),
        ("12月10日", "invalid", "2026/12/10 または 令和8年12月10日 の形で入力してください。"),
        ("2026/12", "invalid", "2026/12/10 または 令和8年12月10日 の形で入力してください。"),
        ("202/12/10", "invalid", "2026/12/10 または 令和8年12月10日 の形で入力してください。"),
        ("R2026.12.10", "invalid", "2026/12/10 または 令和8年12月10日 の形で入力してください。"),
        ("令和0年5月1日", "invalid", "2026/12/10 または 令和8年12月10日 の形で入力してください。"),
        (
            "2026/12/10 19:00",
            "invalid",
            "2026/12/10 または 令和8年12月10日 の形で入力してください。",
        ),
        (
            "26/12/10",
            "unclear_year",
            "26年が西暦か和暦か分かりません。"
            "2026/12/10 または 令和8年12月10日 の形で入力してください。",
        ),
        ("2026/2/30", "invalid_day", "2026年2月30日はありません（その月は28日までです）。"),
        ("令和8年2月30日", "invalid_day", "令和8年2月30日はありません（その月は28日までです）。"),
        ("2026/4/31", "invalid_day", "2026年4月31日はありません（その月は30日までです）。"),
        ("2027/2/29", "invalid_day", "2027年2月29日はありません（その月は28日までです）。"),
        ("2026/13/1", "invalid_month", "13月はありません。月は1から12で入力してください。"),
        ("2026/0/1", "invalid_month", "0月はありません。月は1から12で入力してください。"),
        (
            "令和1年4月30日",
            "outside_era",
            "令和元年4月30日は令和の始まる前の日付です。その日は平成31年4月30日です。",
        ),
        (
            "H31.5.1",
            "outside_era",
            "平成31年5月1日は平成の終わった後の日付です。その日は令和元年5月1日です。",
        ),
        (
            "平成32年1月1日",
            "outside_era",
            "平成32年1月1日は平成の終わった後の日付です。その日は令和2年1月1日です。",
        ),
        (
            "昭和64年1月8日",
            "outside_era",
            "昭和64年1月8日は昭和の終わった後の日付です。その日は平成元年1月8日です。",
        ),
        (
            "明治3年1月1日",
            "before_eras",
            "明治3年1月1日は入力できません。明治6年（1873年）以降の日付を入力してください。",
        ),
        (
            "2026/12/10(金)",
            "wrong_weekday",
            "2026年12月10日は木曜日で、金曜日ではありません。日付を確かめてください。",
        ),
    ],
)
def test_impossible_dates_are_refused_with_the_reason(typed, code, message):
    with pytest.raises(DateInputError) as refused:
        parse_date(typed, today=TODAY)
    assert refused.value.code == code
    assert str(refused.value.message) == message


def test_the_current_era_is_todays():
    # On the last day of 平成, a bare year was a 平成 year.
    assert parse_date("31.4.1", today=dt.date(2019, 4, 30)) == dt.date(2019, 4, 1)
    assert parse_date("元.5.1", today=dt.date(2019, 5, 1)) == dt.date(2019, 5, 1)


def test_refusals_are_in_english_for_english_readers():
    with translation.override("en"), pytest.raises(DateInputError) as refused:
        parse_date("2026/2/30", today=TODAY)
    assert str(refused.value.message) == "There is no 2026年2月30日: that month has 28 days."


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("19:00", dt.time(19, 0)),
        ("19:30", dt.time(19, 30)),
        ("9:05", dt.time(9, 5)),
        ("１９：００", dt.time(19, 0)),
        ("19:00:00", dt.time(19, 0)),  # what the admin's clock button wrote before
        ("1930", dt.time(19, 30)),
        ("930", dt.time(9, 30)),
        ("19", dt.time(19, 0)),
        ("19時", dt.time(19, 0)),
        ("１９時", dt.time(19, 0)),
        ("十九時", dt.time(19, 0)),
        ("19時30分", dt.time(19, 30)),
        ("19時5分", dt.time(19, 5)),
        ("19時半", dt.time(19, 30)),
        ("七時半", dt.time(7, 30)),
        ("午後7時", dt.time(19, 0)),
        ("午後７時", dt.time(19, 0)),
        ("午後7時半", dt.time(19, 30)),
        ("午後7時30分", dt.time(19, 30)),
        ("午後7:30", dt.time(19, 30)),
        ("午前10時", dt.time(10, 0)),
        ("午前0時", dt.time(0, 0)),
        ("午後0時", dt.time(12, 0)),
        ("午前12時", dt.time(12, 0)),
        ("正午", dt.time(12, 0)),
        ("7pm", dt.time(19, 0)),
        ("7:30 PM", dt.time(19, 30)),
        ("12am", dt.time(0, 0)),
        ("12pm", dt.time(12, 0)),
        (" 19 : 00 ", dt.time(19, 0)),
    ],
)
def test_times_are_read_as_typed(typed, expected):
    assert parse_time(typed) == expected


@pytest.mark.parametrize(
    ("typed", "code", "message"),
    [
        ("", "invalid", "19:00 または 19時30分 の形で入力してください。"),
        ("夜", "invalid", "19:00 または 19時30分 の形で入力してください。"),
        ("19時から", "invalid", "19:00 または 19時30分 の形で入力してください。"),
        ("午後", "invalid", "19:00 または 19時30分 の形で入力してください。"),
        (
            "25:00",
            "invalid_time",
            "25:00という時刻はありません。0:00から23:59までで入力してください。",
        ),
        (
            "２５時",
            "invalid_time",
            "25:00という時刻はありません。0:00から23:59までで入力してください。",
        ),
        (
            "24:00",
            "invalid_time",
            "24:00という時刻はありません。0:00から23:59までで入力してください。",
        ),
        (
            "19:60",
            "invalid_time",
            "19:60という時刻はありません。0:00から23:59までで入力してください。",
        ),
        (
            "午後12時",
            "unclear_noon",
            "午後12時は正午とも夜の0時とも読めます。"
            "正午なら 12:00、夜の0時なら 0:00 と入力してください。",
        ),
        (
            "午後19時",
            "invalid_half_day",
            "午前・午後を付けるときは0時から12時までで入力してください"
            "（24時間制なら 19:00 のように）。",
        ),
    ],
)
def test_impossible_times_are_refused_with_the_reason(typed, code, message):
    with pytest.raises(DateInputError) as refused:
        parse_time(typed)
    assert refused.value.code == code
    assert str(refused.value.message) == message
