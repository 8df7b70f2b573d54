import datetime as dt

from django.utils import translation

from core.templatetags.kyodo import count, fiscal_year, percent, wareki, yen


def test_yen_in_japanese_and_english():
    with translation.override("ja"):
        assert yen(1234000) == "1,234,000円"
    with translation.override("en"):
        assert yen(1234000) == "¥1,234,000"
    assert yen(None) == "—"


def test_count_and_percent():
    assert count(12345) == "12,345"
    assert count(None) == "—"
    assert percent(31.24) == "31.2%"
    assert percent(None) == "—"


def test_fiscal_year_and_wareki_filters():
    with translation.override("ja"):
        assert fiscal_year(2026) == "令和8年度"
        assert wareki(dt.date(2026, 11, 22)) == "令和8年11月22日"
    assert wareki(None) == ""
