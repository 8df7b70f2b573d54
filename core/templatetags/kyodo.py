"""Template filters shared by every app: money, 和暦, percentages."""

import datetime as dt

from django import template

from core import dates, english, names
from core.numbers import format_count, format_percent, format_yen

register = template.Library()


@register.filter
def yen(amount: int | None) -> str:
    """Whole yen with thousands separators: 1,234,000円 (English: ¥1,234,000)."""
    if amount is None or amount == "":
        return "—"
    return format_yen(amount)


@register.filter
def count(value: int | None) -> str:
    """A count with thousands separators, or a dash when unknown."""
    if value is None or value == "":
        return "—"
    return format_count(value)


@register.filter
def percent(value) -> str:
    """A rate already in percent, to one decimal place."""
    return format_percent(value)


@register.filter
def fiscal_year(value: int) -> str:
    return dates.format_fiscal_year(int(value))


@register.filter
def wareki(value: dt.date | None) -> str:
    if not value:
        return ""
    return dates.format_wareki_date(value)


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
