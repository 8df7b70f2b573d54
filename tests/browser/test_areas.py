"""Residents read a district's areas (通学区域) on a phone and a PC, in Japanese and English; city
staff check a 通学区域 table in the admin and import it. Every page passes check_page."""

import pytest
from playwright.sync_api import Page, expect

from districts.models import Area
from tests.browser import accounts
from tests.browser.conftest import _watches
from tests.factories import PASSWORD, AreaFactory, DistrictFactory, SuperUserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

IMPORT = "/admin/districts/district/import-areas/"


@pytest.fixture
def sakuradai(live_server):
    district = DistrictFactory(
        slug="sakuradai",
        name="桜台小学校区",
        name_kana="さくらだいしょうがっこうく",
        school_name="みどり野市立桜台小学校",
    )
    for chome in (1, 2, 3, 4):
        AreaFactory(district=district, town="桜台", town_kana="さくらだい", chome=chome)
    AreaFactory(
        district=district,
        town="桜台",
        town_kana="さくらだい",
        chome=5,
        banchi_from=1,
        banchi_to=15,
    )
    AreaFactory(district=district, town="緑ヶ丘台", town_kana="みどりがおかだい", chome=None)
    AreaFactory(
        district=district,
        town="上野原",
        town_kana="うえのはら",
        chome=None,
        banchi_from=1000,
        banchi_to=1299,
    )
    neighbour = DistrictFactory(slug="midorigaoka", name="緑が丘小学校区")
    AreaFactory(district=neighbour, town="桜台", town_kana="さくらだい", chome=5, banchi_from=16)
    return district


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_resident_reads_the_areas_of_a_district(lang, page, sakuradai, check_page, switch_language):
    page.goto("/districts/sakuradai/")
    if lang == "en":
        switch_language(page, "English", "en")
    heading = "この校区の町丁目" if lang == "ja" else "Areas in this district"

    page.get_by_role(
        "navigation", name="このページの内容" if lang == "ja" else "On this page"
    ).get_by_role("link", name=heading).click()

    section = page.locator("#areas")
    expect(section.get_by_role("heading", name=heading)).to_be_visible()
    towns = section.locator(".area-list__town")
    expect(towns).to_have_count(3)
    expect(towns.nth(0)).to_have_text("上野原 1000～1299番地")
    expect(towns.nth(1)).to_contain_text("一丁目、二丁目、三丁目、四丁目、五丁目（1～15番地）")
    expect(towns.nth(2)).to_contain_text("緑ヶ丘台")
    # On a phone the towns stay a short list: no line is wider than the screen.
    width = page.viewport_size["width"]
    assert section.bounding_box()["width"] <= width
    check_page(page, lang=lang)


def sign_in(page: Page, username: str) -> None:
    accounts.sign_in(page, username, PASSWORD)


def test_staff_check_and_import_a_table(new_page, sakuradai, check_page, tmp_path):
    def check(page: Page) -> None:
        check_page(page, lang="ja")
        # axe-core's own probes on the admin's markup set inline styles, which the page's CSP
        # refuses: those console lines are the checker's, not the page's, so they are not
        # carried over to the next page's check.
        _watches[page].errors.clear()

    SuperUserFactory(username="city-admin")
    page = new_page()
    sign_in(page, "city-admin")
    page.goto("/admin/districts/district/")
    with page.expect_navigation():
        page.get_by_role("link", name="通学区域の取り込み").click()
    check(page)

    table = tmp_path / "tsugaku.csv"
    table.write_bytes(
        "\r\n".join(
            [
                "小学校区,町名,町名かな,丁目,番地から,番地まで",
                "桜台小学校区,桜台,さくらだい,1,,",
                "桜台小学校区,桜台,さくらだい,2,,",
                "北山小学校区,北山,きたやま,1,,",
            ]
        ).encode("cp932")
    )
    page.get_by_label("通学区域一覧（CSVまたはExcel .xlsx）").set_input_files(str(table))
    with page.expect_navigation():
        page.get_by_role("button", name="ファイルを確認する").click()
    problems = page.get_by_role("table", name="ファイルの問題")
    expect(problems).to_contain_text("「北山小学校区」という校区はありません。")
    expect(page.get_by_role("button", name="この内容で取り込む")).to_have_count(0)
    check(page)

    table.write_bytes(
        "\r\n".join(
            [
                "小学校区,町名,町名かな,丁目,番地から,番地まで",
                "桜台小学校区,桜台,さくらだい,1,,",
                "桜台小学校区,桜台,さくらだい,2,,",
                "緑が丘小学校区,桜台,さくらだい,3,,",
                "桜台小学校区,桜台,さくらだい,4,,",
                "桜台小学校区,桜台,さくらだい,5,1,15",
                "緑が丘小学校区,桜台,さくらだい,5,16,",
                "桜台小学校区,桜町,さくらまち,,,",
            ]
        ).encode("utf-8-sig")
    )
    page.get_by_label("通学区域一覧（CSVまたはExcel .xlsx）").set_input_files(str(table))
    with page.expect_navigation():
        page.get_by_role("button", name="ファイルを確認する").click()
    expect(page.locator("#count-added")).to_have_text("1")
    expect(page.locator("#count-changed")).to_have_text("1")
    expect(page.locator("#count-removed")).to_have_text("2")
    expect(page.get_by_role("table", name="変更される区域")).to_contain_text("緑が丘小学校区")
    check(page)

    with page.expect_navigation():
        page.get_by_role("button", name="この内容で取り込む").click()
    expect(page.locator(".messagelist")).to_contain_text("追加 1件、変更 1件、削除 2件")
    assert Area.objects.get(town="桜台", chome=3).district.slug == "midorigaoka"
    assert not Area.objects.filter(town="緑ヶ丘台").exists()


def test_import_page_on_a_phone(new_page, sakuradai, check_page):
    """Staff mostly work on a PC, but the import page reads on a phone too."""
    SuperUserFactory(username="city-admin")
    page = new_page({"width": 375, "height": 812})
    sign_in(page, "city-admin")
    page.goto(IMPORT)
    expect(page.get_by_label("通学区域一覧（CSVまたはExcel .xlsx）")).to_be_visible()
    check_page(page, lang="ja")
