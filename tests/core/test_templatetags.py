import datetime as dt

import pytest
from django.template import Context, Template, TemplateSyntaxError
from django.utils import translation

from core.templatetags.kyodo import (
    count,
    fiscal_year,
    percent,
    short_date,
    short_datetime,
    short_month,
    time_tag,
    title_prefix,
    wareki,
    wareki_time,
    yen,
)


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


def render(source: str, **context) -> str:
    return Template("{% load kyodo %}" + source).render(Context(context))


@pytest.mark.parametrize(
    ("source", "ja", "en"),
    [
        ("{{ day|wareki }}", "令和8年9月25日", "25 September 2026"),
        ('{{ day|wareki:"weekday" }}', "令和8年9月25日（金）", "Fri 25 September 2026"),
        ("{{ boundary|wareki }}", "令和元年5月1日", "1 May 2019"),
        ('{{ boundary|wareki:"weekday" }}', "令和元年5月1日（水）", "Wed 1 May 2019"),
        ("{{ heisei|wareki }}", "平成31年4月30日", "30 April 2019"),
        ("{{ moment|wareki_time }}", "令和8年9月25日 19:00", "25 September 2026, 19:00"),
        (
            '{{ moment|wareki_time:"weekday" }}',
            "令和8年9月25日（金）19:00",
            "Fri 25 September 2026, 19:00",
        ),
        ("{{ day|short_date }}", "R8.9.25", "25 Sep 2026"),
        ("{{ boundary|short_date }}", "R1.5.1", "1 May 2019"),
        ("{{ heisei|short_date }}", "H31.4.30", "30 Apr 2019"),
        ("{{ moment|short_datetime }}", "R8.9.25 19:00", "25 Sep 2026 19:00"),
        ("{{ day|short_month }}", "R8.9", "Sep 2026"),
        ("{{ heisei|short_month }}", "H31.4", "Apr 2019"),
        ("{{ 2019|fiscal_year }}", "令和元年度", "FY2019 (Reiwa 1)"),
        ('{{ 2026|fiscal_year:"western" }}', "2026年度（令和8年度）", "FY2026 (Reiwa 8)"),
    ],
)
def test_date_filters_in_both_languages(source, ja, en):
    context = {
        "day": dt.date(2026, 9, 25),
        "boundary": dt.date(2019, 5, 1),
        "heisei": dt.date(2019, 4, 30),
        "moment": dt.datetime(2026, 9, 25, 10, tzinfo=dt.UTC),  # 19:00 in Tokyo
    }
    with translation.override("ja"):
        assert render(source, **context) == ja
    with translation.override("en"):
        assert render(source, **context) == en


def test_date_filters_give_nothing_for_no_date_so_a_default_can_follow():
    for date_filter in (wareki, wareki_time, short_date, short_datetime, short_month, time_tag):
        assert date_filter(None) == ""
    assert render('{{ none|short_date|default:"—" }}', none=None) == "—"


def test_time_tag_gives_machines_iso_and_people_the_rule():
    with translation.override("ja"):
        assert render("{{ day|time_tag }}", day=dt.date(2026, 9, 25)) == (
            '<time datetime="2026-09-25">令和8年9月25日</time>'
        )
        moment = dt.datetime(2026, 9, 25, 10, tzinfo=dt.UTC)
        assert render('{{ moment|time_tag:"wareki_time" }}', moment=moment) == (
            '<time datetime="2026-09-25T19:00:00+09:00">令和8年9月25日 19:00</time>'
        )
        # A form without the time tells machines the day, in Japan.
        assert render(
            "{{ moment|time_tag }}", moment=dt.datetime(2026, 9, 24, 23, tzinfo=dt.UTC)
        ) == ('<time datetime="2026-09-25">令和8年9月25日</time>')
        # Inside blocktranslate the element is kept, not escaped.
        text = render(
            '{% load i18n %}{% blocktranslate with date=day|time_tag:"weekday" %}'
            "As of {{ date }}.{% endblocktranslate %}",
            day=dt.date(2026, 9, 25),
        )
        assert '<time datetime="2026-09-25">令和8年9月25日（金）</time>' in text
    with translation.override("en"):
        assert render('{{ day|time_tag:"short_date" }}', day=dt.date(2026, 9, 25)) == (
            '<time datetime="2026-09-25">25 Sep 2026</time>'
        )


def test_an_unknown_date_style_is_a_template_error():
    with pytest.raises(TemplateSyntaxError):
        render('{{ day|wareki:"long" }}', day=dt.date(2026, 9, 25))
    with pytest.raises(TemplateSyntaxError):
        render('{{ day|time_tag:"iso" }}', day=dt.date(2026, 9, 25))
