import datetime as dt

from django.template import Context, Template
from django.utils import translation

from core.templatetags.kyodo import count, fiscal_year, percent, title_prefix, wareki, yen


def test_yen_in_japanese_and_english():
    with translation.override("ja"):
        assert yen(1234000) == '<span class="amount">1,234,000円</span>'
    with translation.override("en"):
        assert yen(1234000) == '<span class="amount">¥1,234,000</span>'
    assert yen(None) == "—"


def test_count_and_percent():
    assert count(12345) == '<span class="amount">12,345</span>'
    assert count(None) == "—"
    assert percent(31.24) == '<span class="amount">31.2%</span>'
    assert percent(None) == "—"


def test_figures_are_marked_safe_and_unbroken_in_a_template():
    """Each figure is one .amount span (never broken, site.css), not escaped markup."""
    template = Template(
        "{% load kyodo %}{{ amount|yen }} {{ people|count }} {{ rate|percent }} {{ none|yen }}"
    )
    with translation.override("ja"):
        text = template.render(Context({"amount": 10_000_000, "people": 1338, "rate": 11.6}))
    assert text == (
        '<span class="amount">10,000,000円</span> <span class="amount">1,338</span> '
        '<span class="amount">11.6%</span> —'
    )


def test_title_prefix_separates_a_pages_own_title_and_is_empty_without_one():
    assert title_prefix("会議") == "会議 | "
    assert title_prefix("\n  会議 \n") == "会議 | "
    assert title_prefix("") == ""
    assert title_prefix("  \n") == ""


def test_fiscal_year_and_wareki_filters():
    with translation.override("ja"):
        assert fiscal_year(2026) == "令和8年度"
        assert wareki(dt.date(2026, 11, 22)) == "令和8年11月22日"
    assert wareki(None) == ""
