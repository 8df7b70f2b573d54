"""Template filters shared by every app: money, 和暦, percentages."""

import datetime as dt

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString

from core import dates, names
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
