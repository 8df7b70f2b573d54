import pytest
from django.urls import reverse

from core.links import address_maker


@pytest.mark.parametrize(
    ("viewname", "argument", "fixed", "values"),
    [
        ("organization_detail", "pk", {}, [1, 42, 8086808680868, 1234567]),
        ("district_detail", "slug", {}, ["sakuradai", "scale-0001", "a_b-0"]),
        ("grants:district_year", "slug", {"fiscal_year": 2026}, ["sakuradai", "2026"]),
        ("grants:district_year", "fiscal_year", {"slug": "sakuradai"}, [2025, 1989]),
    ],
)
def test_gives_what_reverse_gives(viewname, argument, fixed, values):
    make = address_maker(viewname, argument, **fixed)
    for value in values:
        assert make(value) == reverse(viewname, kwargs={argument: value, **fixed})
