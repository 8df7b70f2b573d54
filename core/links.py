"""Addresses for lists that link every row, reversed once rather than once a row."""

from collections.abc import Callable

from django.urls import reverse

# Stands in for the varying argument; digits only, so it fits int and slug converters alike.
_MARKER = "8086808680868"


def address_maker(viewname: str, argument: str, **fixed) -> Callable[[object], str]:
    """`value → reverse(viewname, kwargs={argument: value, **fixed})`, reversing once.

    Django's reverse() costs some ten microseconds a call; a page of four hundred rows spent
    milliseconds on it. Only for int and slug arguments, whose values need no quoting.
    """
    prefix, suffix = reverse(viewname, kwargs={argument: _MARKER, **fixed}).rsplit(_MARKER, 1)
    return lambda value: f"{prefix}{value}{suffix}"
