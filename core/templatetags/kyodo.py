"""Template filters shared by every app: money, dates (docs/conventions.md), percentages."""

import datetime as dt

from django import template
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString

from core import dates, english, names
from core.numbers import format_count, format_percent, format_yen

register = template.Library()


def _unbroken(text: str) -> SafeString:
    """A figure as one unit that a line never breaks inside (site.css `.amount`).

    Without it a narrow column splits 「10,000,000円」 inside the number or puts 「円」 on a line
    of its own. See docs/conventions.md, "Line breaks".
    """
    return SafeString(f'<span class="amount">{escape(text)}</span>')


@register.filter
def yen(amount: int | None) -> str:
    """Whole yen with thousands separators: 1,234,000円 (English: ¥1,234,000), never broken."""
    if amount is None or amount == "":
        return "—"
    return _unbroken(format_yen(amount))


@register.filter
def count(value: int | None) -> str:
    """A count with thousands separators, never broken; a dash when unknown."""
    if value is None or value == "":
        return "—"
    return _unbroken(format_count(value))


@register.filter
def percent(value) -> str:
    """A rate already in percent, to one decimal place, never broken; a dash when unknown."""
    if value is None or value == "":
        return "—"
    return _unbroken(format_percent(value))


@register.filter(is_safe=True)
def title_prefix(title: str) -> str:
    """A page's own title and the separator before the portal's name in <title>: 「会議 | 」.

    Nothing for a page without a title of its own (the home page), whose <title> is the
    portal's and the city's names alone.
    """
    title = title.strip()
    return f"{title} | " if title else ""


@register.filter
def fiscal_year(value: int, style: str = "") -> str:
    """「令和8年度」; `|fiscal_year:"western"` 「2026年度（令和8年度）」."""
    if value is None or value == "":
        return ""
    return dates.format_fiscal_year(int(value), western=style == "western")


def _weekday(style: str) -> bool:
    if style not in ("", "weekday"):
        raise template.TemplateSyntaxError(f"Unknown date style {style!r}: use 'weekday'.")
    return style == "weekday"


# Date filters give "" for no date, so `|default:"—"` can follow them.
@register.filter
def wareki(value: dt.date | dt.datetime | None, style: str = "") -> str:
    """The long form: 「令和8年9月25日」; `|wareki:"weekday"` 「令和8年9月25日（金）」."""
    if not value:
        return ""
    return dates.format_wareki_date(value, weekday=_weekday(style))


@register.filter
def wareki_time(value: dt.datetime | None, style: str = "") -> str:
    """The long form with the time: 「令和8年9月25日 19:00」; `:"weekday"` 「…（金）19:00」."""
    if not value:
        return ""
    return dates.format_wareki_datetime(value, weekday=_weekday(style))


@register.filter
def short_date(value: dt.date | dt.datetime | None) -> str:
    """The short form for tables: 「R8.9.25」."""
    if not value:
        return ""
    return dates.format_short_date(value)


@register.filter
def short_datetime(value: dt.datetime | None) -> str:
    """The short form with the time, for history tables: 「R8.9.25 19:00」."""
    if not value:
        return ""
    return dates.format_short_datetime(value)


@register.filter
def short_month(value: dt.date | dt.datetime | None) -> str:
    """A month in the short form (chart axes, terms in tables): 「R8.9」."""
    if not value:
        return ""
    return dates.format_short_month(value)


# form: (how it is written, whether it shows the time of day)
_TIME_TAG_FORMS = {
    "wareki": (dates.format_wareki_date, False),
    "weekday": (lambda value: dates.format_wareki_date(value, weekday=True), False),
    "wareki_time": (dates.format_wareki_datetime, True),
    "short_date": (dates.format_short_date, False),
    "short_datetime": (dates.format_short_datetime, True),
}


@register.filter
def time_tag(value: dt.date | dt.datetime | None, form: str = "wareki") -> str:
    """A date in running text or a list, in one of the forms above, as a `<time>` element that
    machines read in ISO 8601: `{{ day|time_tag }}`, `{{ moment|time_tag:"wareki_time" }}`. A form
    without the time gives machines the day too. Safe inside `{% blocktranslate with … %}`."""
    if not value:
        return ""
    if form not in _TIME_TAG_FORMS:
        raise template.TemplateSyntaxError(
            f"Unknown date form {form!r}: use one of {', '.join(_TIME_TAG_FORMS)}."
        )
    write, with_time = _TIME_TAG_FORMS[form]
    machine = dates.iso_datetime(value if with_time else dates.local_date(value))
    return format_html('<time datetime="{0}">{1}</time>', machine, write(value))


@register.filter
def person(user) -> str:
    """A person's name, family name first: 「佐藤 美咲」 (see core.names)."""
    return names.person_name(user)


@register.simple_tag
def page_links(page):
    """Page numbers around the current one, with … where pages are left out."""
    return list(page.paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1))


@register.simple_tag(takes_context=True)
def include_with(context, template_name: str, extra: dict):
    """Include a template with a dict of extra context, as the district page's sections need."""
    template = context.template.engine.get_template(template_name)
    with context.push(**extra):
        return template.render(context)


@register.filter
def has_required_fields(form) -> bool:
    """Whether any visible field is required, so the 「※必須」 note is worth showing."""
    return any(field.field.required for field in form.visible_fields())


# Japanese text on English pages (see core.english) ---------------------------------------------


@register.filter
def ja(text) -> str:
    """The text; on an English page, inside <span lang="ja"> when it has Japanese in it."""
    return english.ja_html(text)


@register.filter
def ja_lang(text) -> str:
    """' lang="ja"' for the element that holds the text, on an English page when the text has
    Japanese in it: `<div class="prose"{{ plan.vision|ja_lang }}>`."""
    return english.ja_attribute(text)


@register.filter
def english_or(text, fallback) -> str:
    """The text; on an English page, `fallback` instead when the text has Japanese in it. For
    the page's <title> and attributes, where no part can be marked lang="ja"."""
    if english.is_english() and english.has_japanese(text):
        return fallback
    return text
