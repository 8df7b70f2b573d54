"""The district's facts: one declaration (District.FACTS) is what the page lists, what the admin
edits and what the search reads besides the name and summary."""

import re

import pytest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from districts.models import District, Fact, FactKind
from districts.search import documents
from tests.factories import DistrictFactory

pytestmark = pytest.mark.django_db


def about_section(response) -> list[tuple[str, str]]:
    """(label, value) of each fact the page lists under 「学校と拠点施設」."""
    text = response.content.decode()
    section = re.search(r'<section id="about".*?</section>', text, re.S)[0]
    return [
        (label, re.sub(r"<[^>]+>", "", value))
        for label, value in re.findall(r"<div><dt>(.*?)</dt><dd[^>]*>(.*?)</dd></div>", section)
    ]


def admin_facts(client, district) -> list[str]:
    """The fields of the admin's 「学校と拠点施設」 fieldset of the district, and the form's."""
    response = client.get(reverse("admin:districts_district_change", args=[district.pk]))
    assert response.status_code == 200
    adminform = response.context["adminform"]
    [fieldset] = [fieldset for fieldset in adminform if fieldset.name == "学校と拠点施設"]
    fields = [field.field.name for line in fieldset for field in line]
    assert set(fields) <= set(adminform.form.fields)
    return fields


def test_the_page_lists_and_the_admin_edits_the_declared_facts(client, superuser):
    district = DistrictFactory(
        school_name="みどり野市立桜台小学校",
        hub_name="桜台公民館",
        hub_address="みどり野市桜台一丁目2番3号",
        hub_phone="0123-45-6789",
    )
    assert about_section(client.get(district.get_absolute_url())) == [
        ("学校", "みどり野市立桜台小学校"),
        ("拠点施設", "桜台公民館"),
        ("住所", "みどり野市桜台一丁目2番3号"),
        ("電話", "0123-45-6789"),
    ]
    client.force_login(superuser)
    assert admin_facts(client, district) == ["school_name", "hub_name", "hub_address", "hub_phone"]


def test_a_name_without_a_value_reads_as_a_dash_and_other_facts_are_left_out(client):
    district = DistrictFactory(school_name="", hub_name="", hub_address="", hub_phone="")
    assert about_section(client.get(district.get_absolute_url())) == [
        ("学校", "—"),
        ("拠点施設", "—"),
    ]


def test_a_declared_field_reaches_the_admin_form_the_page_and_the_search(
    client, superuser, monkeypatch
):
    """Declared otherwise, the page, the admin and the search follow: here the phone comes
    first under its field's own name, the hub's name is no longer a fact, and the address is
    searched."""
    monkeypatch.setattr(
        District,
        "FACTS",
        (
            Fact("hub_phone", kind=FactKind.PHONE),
            Fact("school_name", _("School"), FactKind.NAME),
            Fact("hub_address", _("Address"), searched=True),
        ),
    )
    district = DistrictFactory(
        school_name="みどり野市立桜台小学校",
        hub_name="桜台公民館",
        hub_address="みどり野市桜台一丁目2番3号",
        hub_phone="0123-45-6789",
    )

    page = client.get(district.get_absolute_url())
    assert about_section(page) == [
        ("拠点施設の電話番号（公開）", "0123-45-6789"),
        ("学校", "みどり野市立桜台小学校"),
        ("住所", "みどり野市桜台一丁目2番3号"),
    ]
    assert "桜台公民館" not in page.content.decode()

    client.force_login(superuser)
    assert admin_facts(client, district) == ["hub_phone", "school_name", "hub_address"]

    [document] = documents(ids=[district.pk])
    assert "みどり野市桜台一丁目2番3号" in document.body.splitlines()


def test_no_fact_is_searched_unless_declared_so():
    district = DistrictFactory(summary="駅の北側の校区です。", hub_address="桜台一丁目2番3号")
    [document] = documents(ids=[district.pk])
    assert document.body == "駅の北側の校区です。"
