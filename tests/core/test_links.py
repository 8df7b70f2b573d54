import pytest
from django.urls import reverse

from core.links import address_maker, address_of


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


@pytest.mark.django_db
def test_address_of_gives_each_row_what_reverse_gives():
    from districts.models import District
    from organizations.models import Organization
    from tests.factories import DistrictFactory, OrganizationFactory

    DistrictFactory(slug="sakuradai")
    DistrictFactory(slug="scale-0001")
    OrganizationFactory()
    OrganizationFactory()
    districts = District.objects.annotate(url=address_of("district_detail", "slug"))
    assert {d.url for d in districts} == {d.get_absolute_url() for d in districts}
    groups = Organization.objects.annotate(url=address_of("organization_detail", "pk"))
    assert {g.url for g in groups} == {g.get_absolute_url() for g in groups}
    assert len({g.url for g in groups}) == 2
