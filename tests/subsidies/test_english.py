"""The grant pages in English: the program's and the formula components' English names."""

import re

import pytest
from django.conf import settings

from subsidies.models import (
    AllocationComponent,
    ComponentKind,
    FormulaComponent,
    Program,
    State,
)
from subsidies.services import copy_program_year
from tests.subsidies.factories import GrantYearFactory, Staff, application_in

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def year():
    year = GrantYearFactory()
    Program.objects.filter(pk=year.program_id).update(
        name="地域づくり一括交付金", name_en="Consolidated Community Development Grant"
    )
    year.refresh_from_db()
    return year


@pytest.fixture
def components(year):
    fixed = FormulaComponent.objects.create(
        program_year=year,
        kind=ComponentKind.FIXED,
        label="均等割",
        label_en="Equal share per district",
        rate=300_000,
        order=1,
    )
    lights = FormulaComponent.objects.create(
        program_year=year,
        kind=ComponentKind.PER_UNIT,
        label="防犯灯加算",
        label_en="Street light addition",
        unit_name="防犯灯",
        unit_name_en="street lights",
        rate=1000,
        order=2,
    )
    # A component the city has not named in English yet.
    households = FormulaComponent.objects.create(
        program_year=year, kind=ComponentKind.PER_HOUSEHOLD, label="世帯割", rate=300, order=3
    )
    return fixed, lights, households


def formula_rows(text: str) -> list[tuple[str, str]]:
    table = text.split('id="formula-caption"', 1)[1].split("</table>", 1)[0]
    return re.findall(r'<th scope="row">(.*?)</th>\s*<td>(.*?)</td>', table)


def test_year_page_heading_and_formula_in_english(english, year, components):
    text = english.get(f"/grants/{year.fiscal_year}/").content.decode()
    title = re.search(r"<title>(.*?) \|", text)[1]
    heading = re.search(r"<h1>(.*?)</h1>", text)[1]
    assert title == heading
    assert heading.endswith(" Consolidated Community Development Grant")
    assert formula_rows(text) == [
        ("Equal share per district", "Fixed amount per district"),
        (
            "Street light addition",
            "Addition at a rate per unit counted in each district (street lights)",
        ),
        ('<span lang="ja">世帯割</span>', "Rate per household"),
    ]


def test_year_page_in_japanese_as_before(client, year, components):
    text = client.get(f"/grants/{year.fiscal_year}/").content.decode()
    assert "地域づくり一括交付金</h1>" in text
    rows = formula_rows(text)
    assert rows[0] == ("均等割", "1校区あたりの定額（均等割）")
    assert rows[1] == ("防犯灯加算", "校区ごとの数量1単位あたりの額（加算）（防犯灯）")


def test_breakdown_of_a_districts_allocation_in_english(english, year, components):
    application, _, _ = application_in(State.APPROVED, year, staff=Staff())
    allocation = application.council.district.allocations.get(program_year=year)
    fixed, lights, households = components
    AllocationComponent.objects.create(
        allocation=allocation, component=fixed, quantity=1, amount=300_000
    )
    AllocationComponent.objects.create(
        allocation=allocation, component=lights, quantity=120, amount=120_000
    )
    AllocationComponent.objects.create(
        allocation=allocation, component=households, quantity=900, amount=270_000
    )
    slug = application.council.district.slug
    text = english.get(f"/grants/{year.fiscal_year}/districts/{slug}/").content.decode()
    breakdown = text.split("-breakdown-caption", 2)[2].split("</tbody>", 1)[0]
    rows = re.findall(r'<tr><th scope="row">(.*?)</th><td class="num">(.*?)</td>', breakdown)
    amount = '<span class="amount">{}</span>'.format
    assert rows[:3] == [
        ("Equal share per district", amount("1")),
        ("Street light addition", amount("120") + " street lights"),
        ('<span lang="ja">世帯割</span>', amount("900")),
    ]


def test_the_program_index_in_english(english, year):
    text = english.get("/grants/").content.decode()
    assert "<h1>Consolidated Community Development Grant</h1>" in text
    assert "<title>Consolidated Community Development Grant | " in text


def test_a_copied_year_keeps_the_english_names(year, components):
    copied = copy_program_year(program_year=year, fiscal_year=year.fiscal_year + 1)
    assert list(copied.components.values_list("label_en", "unit_name_en")) == [
        ("Equal share per district", ""),
        ("Street light addition", "street lights"),
        ("", ""),
    ]


def test_the_admin_forms_have_the_english_names(admin_client, year):
    text = admin_client.get(f"/admin/subsidies/programyear/{year.pk}/change/").content.decode()
    assert 'name="components-__prefix__-label_en"' in text
    assert 'name="components-__prefix__-unit_name_en"' in text
    text = admin_client.get(f"/admin/subsidies/program/{year.program_id}/change/").content
    assert b'name="name_en"' in text
