"""Numbers as people type them, and rates shown to residents, rounded the way Japanese
statistics are (四捨五入)."""

from decimal import ROUND_HALF_UP, Decimal, localcontext

from django.utils.translation import gettext


def has_foreign_digits(text: str) -> bool:
    """Whether the text holds a digit other than 0-9 and the full-width ０-９ a Japanese IME types.

    Python's int() and Decimal() read the digits of every script (「٣٤٥」 is 345) and NFKC turns
    「²」 and 「①」 into 2 and 1, so a number field checks what was typed before reading it.
    """
    return any(
        char.isnumeric() and not ("0" <= char <= "9" or "０" <= char <= "９") for char in text
    )


def percent(part: int | None, whole: int | None, *, places: int = 1) -> Decimal | None:
    """`part` as a percentage of `whole`, halves rounded up; None when `whole` is 0 or either is
    unknown (a form re-shown with a count left empty)."""
    if not whole or part is None:
        return None
    exponent = Decimal(1).scaleb(-places)
    with localcontext() as context:
        # Enough digits for any pair of counts, even one re-shown with a typing slip in it.
        context.prec = max(28, len(str(abs(part))) + places + 3)
        return (Decimal(part * 100) / Decimal(whole)).quantize(exponent, rounding=ROUND_HALF_UP)


def format_percent(value) -> str:
    """A rate already in percent, to one decimal place: 「31.2%」; a dash when unknown."""
    if value is None or value == "":
        return "—"
    return f"{Decimal(value):.1f}%"


def format_count(value: int) -> str:
    """A whole number with thousands separators: 「12,345」.

    Both languages of the site group digits by three with a comma (Django's ja and en formats,
    which a test compares), so Python's format spec does it; Django's number_format looks the
    separators up for every figure, which shows in tables of hundreds of figures.
    """
    return f"{int(value):,}"


def format_yen(amount: int) -> str:
    """Whole yen with thousands separators: 1,234,000円 (English: ¥1,234,000)."""
    return gettext("¥%(amount)s") % {"amount": format_count(amount)}
