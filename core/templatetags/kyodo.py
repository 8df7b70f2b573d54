"""Template filters shared by every app: money, 和暦, percentages."""

import datetime as dt

from django import template
from django.utils import formats
from django.utils.translation import gettext as _

from core import dates

register = template.Library()


@register.filter
def yen(amount: int | None) -> str:
    """Whole yen with thousands separators: 1,234,000円 (English: ¥1,234,000)."""
    if amount is None or amount == "":
        return "—"
    text = formats.number_format(int(amount), force_grouping=True)
    return _("¥%(amount)s") % {"amount": text}


@register.filter
def count(value: int | None) -> str:
    """A count with thousands separators, or a dash when unknown."""
    if value is None or value == "":
        return "—"
    return formats.number_format(int(value), force_grouping=True)


@register.filter
def percent(value) -> str:
    """A rate already in percent, to one decimal place."""
    if value is None or value == "":
        return "—"
    return f"{float(value):.1f}%"


@register.filter
def fiscal_year(value: int) -> str:
    return dates.format_fiscal_year(int(value))


@register.filter
def wareki(value: dt.date | None) -> str:
    if not value:
        return ""
    return dates.format_wareki_date(value)
