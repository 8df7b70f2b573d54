"""The import of the city's 通学区域 table: the check, every kind of bad row, the files it reads,
the confirm step, and who may use it."""

import io
import json
import zipfile

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser, Permission
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook

from districts.area_import import MAX_BYTES, PlanChanged, apply_import, plan_import
from districts.models import Area, District
from districts.permissions import can_import_areas
from tests.factories import AreaFactory, DistrictFactory, StaffUserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _messages_in_english():
    """The service's messages are checked by their English ids; the pages, in Japanese."""
    with translation.override("en"):
        yield


User = get_user_model()
URL = "/admin/districts/district/import-areas/"
HEADER = "小学校区,町名,町名かな,丁目,番地から,番地まで"
TABLE = "\r\n".join(
    [
        HEADER,
        "桜台小学校区,桜台,さくらだい,1,,",
        "桜台小学校区,桜台,さくらだい,2,,",
        "桜台小学校区,桜台,さくらだい,3,1,12",
        "緑ヶ丘小学校区,桜台,さくらだい,3,13,",
        "緑ヶ丘小学校区,緑ヶ丘,みどりがおか,,,",
        "sakuradai,桜町,サクラマチ,,,",
    ]
)


@pytest.fixture
def districts():
    sakura = DistrictFactory(
        name="桜台小学校区", slug="sakuradai", school_name="みどり野市立桜台小学校"
    )
    midori = DistrictFactory(
        name="緑ヶ丘小学校区", slug="midorigaoka", school_name="みどり野市立緑ヶ丘小学校"
    )
    return sakura, midori


def csv_bytes(text: str, encoding: str = "utf-8") -> bytes:
    return text.encode(encoding)


def xlsx_bytes(rows: list[list]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def stored() -> list[tuple]:
    return sorted(
        Area.objects.values_list(
            "district__slug", "town", "town_kana", "chome", "banchi_from", "banchi_to"
        ),
        key=str,
    )


def messages_by_row(plan) -> dict:
    found: dict = {}
    for problem in plan.problems:
        found.setdefault(problem.row, []).append(problem.message)
    return found


# Reading the table ---------------------------------------------------------------------------


def test_the_check_says_what_would_be_added(districts):
    plan = plan_import(csv_bytes(TABLE))

    assert plan.is_valid, plan.problems
    assert [row.label for row in plan.added] == [
        "桜台一丁目",
        "桜台二丁目",
        "桜台三丁目 1～12番地",
        "桜台三丁目 13番地以降",
        "緑ヶ丘",
        "桜町",
    ]
    assert [row.row for row in plan.added] == [2, 3, 4, 5, 6, 7]
    assert plan.added[5].district == districts[0]  # by its address name
    assert plan.added[5].town_kana == "さくらまち"  # katakana read as hiragana
    assert plan.changed == [] and plan.removed == []
    assert Area.objects.count() == 0  # a check writes nothing


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp932"])
def test_csv_in_utf8_with_or_without_bom_and_in_shift_jis(districts, encoding):
    plan = plan_import(csv_bytes(TABLE, encoding))
    assert plan.is_valid, plan.problems
    assert len(plan.added) == 6
    assert plan.added[4].town == "緑ヶ丘"


def test_xlsx_with_numbers_as_numbers(districts):
    content = xlsx_bytes(
        [
            ["district", "town", "town_kana", "chome", "banchi_from", "banchi_to"],
            ["桜台小学校", "桜台", "さくらだい", 1, None, None],
            ["緑ヶ丘小学校", "桜台", "さくらだい", 2, 1.0, 20],
            [None, None, None, None, None, None],
            ["緑ヶ丘小学校", "桜台", "さくらだい", "2丁目", "21", None],
        ]
    )
    plan = plan_import(content)
    assert plan.is_valid, plan.problems
    assert [(row.row, row.label, row.district.slug) for row in plan.added] == [
        (2, "桜台一丁目", "sakuradai"),
        (3, "桜台二丁目 1～20番地", "midorigaoka"),
        (5, "桜台二丁目 21番地以降", "midorigaoka"),
    ]


@pytest.mark.parametrize(
    ("chome", "expected"),
    [("", None), ("3", 3), ("３", 3), ("三", 3), ("3丁目", 3), ("十二丁目", 12), ("１２", 12)],
)
def test_chome_written_every_way(districts, chome, expected):
    plan = plan_import(csv_bytes(f"{HEADER}\n桜台小学校区,桜台,さくらだい,{chome},,"))
    assert plan.is_valid, plan.problems
    assert plan.added[0].chome == expected


def test_every_bad_row_with_its_number(districts):
    table = "\n".join(
        [
            HEADER,
            "桜台小学校区,桜台,さくらだい,1,,",  # 2: good
            "北山小学校区,北山,きたやま,1,,",  # 3: unknown district
            "桜台小学校区,,さくらだい,2,,",  # 4: no town
            "桜台小学校区,桜台,Sakuradai,3,,",  # 5: reading not in kana
            "桜台小学校区,桜台,さくらだい,四の,,",  # 6: 丁目 not a number
            "桜台小学校区,桜台,さくらだい,5,abc,",  # 7: 番地 not a number
            "桜台小学校区,桜台,さくらだい,6,20,10",  # 8: range backwards
            "桜台小学校区,桜台,さくらだい,7,,10",  # 9: 番地まで without 番地から
            "桜台小学校区,桜台,さくらだい,8,1,20",  # 10
            "桜台小学校区,桜台,さくらだい,8,15,30",  # 11: meets row 10
            "緑ヶ丘小学校区,桜台,さくらだい,1,,",  # 12: row 2's 丁目 claimed by another district
            "桜台小学校区,桜台,さくらだい,9,,",  # 13
            "桜台小学校区,桜台,さくらだい,9,,",  # 14: listed twice
            "桜台小学校区,桜台,さくらだい,10,,,余り",  # 15: more cells than columns
            ",桜台,さくらだい,11,,",  # 16: no district
            "桜台小学校区,桜台二丁目,さくらだい,,,",  # 17: 丁目 inside the town
            "桜台小学校区,桜台,さくらたい,12,,",  # 18: the town read two ways
        ]
    )
    plan = plan_import(csv_bytes(table))

    found = messages_by_row(plan)
    assert not plan.is_valid
    assert set(found) == {3, 4, 5, 6, 7, 8, 9, 11, 12, 14, 15, 16, 17, 18}
    assert "Unknown district 「北山小学校区」." in found[3]
    assert found[4] == ["The town (町名) is missing."]
    assert "hiragana or katakana" in found[5][0]
    assert "丁目 「四の」" in found[6][0]
    assert "番地から 「abc」" in found[7][0]
    assert "ends (10) before it starts (20)" in found[8][0]
    assert found[9] == ["番地まで is given without 番地から."]
    assert "in row 10" in found[11][0] and "ranges of 番地 meet" in found[11][0]
    assert "claimed by two districts" in found[12][0] and "in row 2" in found[12][0]
    assert "listed twice" in found[14][0] and "in row 13" in found[14][0]
    assert "more cells" in found[15][0]
    assert found[16] == ["The district is missing."]
    assert "without its 丁目" in found[17][0]
    assert "read 「さくらたい」" in found[18][0]
    assert plan.added == []  # nothing is planned from a file with problems


def test_whole_town_overlaps_its_own_chome(districts):
    plan = plan_import(
        csv_bytes(f"{HEADER}\n桜台小学校区,桜台,さくらだい,,,\n緑ヶ丘小学校区,桜台,さくらだい,2,,")
    )
    assert "claimed by two districts" in messages_by_row(plan)[3][0]


def test_the_same_town_spelled_another_way_is_the_same_town(districts):
    plan = plan_import(
        csv_bytes(
            f"{HEADER}\n桜台小学校区,緑ヶ丘,みどりがおか,1,,\n緑ヶ丘小学校区,緑が丘,みどりがおか,1,,"
        )
    )
    assert "claimed by two districts" in messages_by_row(plan)[3][0]


def test_a_school_name_shared_by_two_districts_is_refused(districts):
    DistrictFactory(name="別の桜台", slug="other-sakura", school_name="桜台小学校")
    plan = plan_import(csv_bytes(f"{HEADER}\n桜台小学校,桜台,さくらだい,1,,"))
    assert "more than one district" in messages_by_row(plan)[2][0]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "The file is empty."),
        (b"\r\n\r\n", "The file is empty."),
        (f"{HEADER}\n".encode(), "no rows"),
        ("町名,よみ\n桜台,さくらだい\n".encode(), "Missing: 小学校区 (district)、丁目"),
        (b"a,b,c\n1,2,3\n", "The first row must name the columns"),
        (bytes(range(256)) * 20, "neither a CSV file"),
        (b"\x00\x01\x02binary\x00junk" * 50, "not a table in text"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "old Excel file"),
        (b"PK\x03\x04 not really a zip", "damaged"),
        (b"x" * (MAX_BYTES + 1), "larger than 5 MB"),
    ],
    ids=[
        "empty",
        "blank-lines",
        "header-only",
        "missing-columns",
        "wrong-columns",
        "binary",
        "nul-bytes",
        "xls",
        "not-a-zip",
        "too-large",
    ],
)
def test_files_that_are_not_the_table(districts, content, message):
    plan = plan_import(content)
    assert not plan.is_valid
    assert any(message in problem.message for problem in plan.problems), plan.problems
    assert plan.problems[0].row in (None, 1)


def test_truncated_xlsx(districts):
    content = xlsx_bytes([HEADER.split(","), ["桜台小学校区", "桜台", "さくらだい", 1, None, None]])
    plan = plan_import(content[: len(content) // 2])
    assert [problem.message for problem in plan.problems] == [
        "The Excel file is damaged or not an .xlsx workbook. Save it again and upload it."
    ]


def test_duplicate_column_is_refused(districts):
    plan = plan_import(csv_bytes("小学校区,町名,町名かな,丁目,番地から,番地まで,town\n"))
    assert any("appears twice" in problem.message for problem in plan.problems)


# Comparing with what is stored ---------------------------------------------------------------


def test_the_check_sees_changes_and_removals(districts):
    sakura, midori = districts
    kept = AreaFactory(district=sakura, town="桜台", town_kana="さくらだい", chome=1)
    moved = AreaFactory(district=sakura, town="桜台", town_kana="さくらだい", chome=2)
    respelled = AreaFactory(district=midori, town="緑が丘", town_kana="みどりがおか", chome=None)
    gone = AreaFactory(district=midori, town="旭", town_kana="あさひ", chome=None)
    table = "\n".join(
        [
            HEADER,
            "桜台小学校区,桜台,さくらだい,1,,",
            "緑ヶ丘小学校区,桜台,さくらだい,2,,",
            "緑ヶ丘小学校区,緑ヶ丘,みどりがおか,,,",
            "緑ヶ丘小学校区,泉,いずみ,,,",
        ]
    )
    plan = plan_import(csv_bytes(table))

    assert plan.is_valid, plan.problems
    assert plan.unchanged == 1
    assert [row.label for row in plan.added] == ["泉"]
    assert [(c.area.pk, c.moved) for c in plan.changed] == [(moved.pk, True), (respelled.pk, False)]
    assert plan.removed == [gone]

    apply_import(content=csv_bytes(table), expected_fingerprint=plan.fingerprint, by=superuser())

    kept.refresh_from_db()
    moved.refresh_from_db()
    respelled.refresh_from_db()
    assert kept.district == sakura
    assert moved.district == midori  # the same row, moved
    assert respelled.town == "緑ヶ丘"
    assert not Area.objects.filter(pk=gone.pk).exists()
    assert Area.objects.get(town="泉").town_key == "泉"


def superuser():
    return StaffUserFactory(is_superuser=True)


def test_importing_again_changes_nothing(districts):
    first = plan_import(csv_bytes(TABLE))
    apply_import(content=csv_bytes(TABLE), expected_fingerprint=first.fingerprint, by=superuser())
    before = stored()

    again = plan_import(csv_bytes(TABLE, "cp932"))

    assert again.is_valid
    assert (len(again.added), len(again.changed), len(again.removed)) == (0, 0, 0)
    assert again.unchanged == 6 and not again.has_changes
    assert stored() == before


def test_applying_refuses_a_plan_that_is_not_the_one_shown(districts):
    plan = plan_import(csv_bytes(TABLE))
    AreaFactory(district=districts[0], town="旭", town_kana="あさひ", chome=None)

    with pytest.raises(PlanChanged) as refused:
        apply_import(
            content=csv_bytes(TABLE), expected_fingerprint=plan.fingerprint, by=superuser()
        )

    assert [area.town for area in refused.value.plan.removed] == ["旭"]
    assert Area.objects.count() == 1


def test_applying_refuses_a_file_with_problems(districts):
    bad = csv_bytes(f"{HEADER}\n北山小学校区,北山,きたやま,1,,")
    with pytest.raises(PlanChanged):
        apply_import(content=bad, expected_fingerprint=plan_import(bad).fingerprint, by=superuser())
    assert Area.objects.count() == 0


# The admin pages -----------------------------------------------------------------------------


def upload(client, content: bytes, name: str = "tsugaku.csv"):
    file = io.BytesIO(content)
    file.name = name
    return client.post(URL, {"file": file})


def confirm(client, response):
    return client.post(
        URL,
        {
            "confirm": "1",
            "file_digest": response.context["file_digest"],
            "plan": response.context["plan"].fingerprint,
        },
    )


def test_admin_check_then_confirm(client, districts):
    admin = superuser()
    client.force_login(admin)

    checked = upload(client, csv_bytes(TABLE, "cp932"))

    assert checked.status_code == 200
    assert Area.objects.count() == 0
    text = checked.content.decode()
    assert '<dd id="count-added">6</dd>' in text
    assert "桜台三丁目 13番地以降" in text
    assert 'name="confirm"' in text

    done = confirm(client, checked)

    assert done.status_code == 302
    assert done["Location"] == reverse("admin:districts_district_changelist")
    assert len(stored()) == 6
    entry = LogEntry.objects.get(object_id=str(districts[0].pk), user=admin)
    assert {"added": {"name": "area", "object": "桜台一丁目"}} in json.loads(entry.change_message)
    assert "追加 6件、変更 0件、削除 0件" in client.get(done["Location"]).content.decode()

    again = upload(client, csv_bytes(TABLE))
    text = again.content.decode()
    assert '<dd id="count-added">0</dd>' in text and '<dd id="count-removed">0</dd>' in text
    assert "取り込む変更はありません" in text
    assert 'name="confirm"' not in text


def test_admin_shows_problems_and_offers_no_confirm(client, districts):
    client.force_login(superuser())

    response = upload(client, csv_bytes(f"{HEADER}\n北山小学校区,北山,きたやま,1,,"))

    text = response.content.decode()
    assert "「北山小学校区」という校区はありません。" in text
    assert '<th scope="row">2</th>' in text
    assert 'name="confirm"' not in text
    assert Area.objects.count() == 0


def test_admin_confirm_without_a_checked_file_imports_nothing(client, districts):
    client.force_login(superuser())
    response = client.post(URL, {"confirm": "1", "file_digest": "x" * 64, "plan": "y" * 64})
    assert response.status_code == 302 and response["Location"] == URL
    assert Area.objects.count() == 0


def test_admin_confirm_does_not_trust_an_edited_plan(client, districts):
    client.force_login(superuser())
    checked = upload(client, csv_bytes(TABLE))

    response = client.post(
        URL, {"confirm": "1", "file_digest": checked.context["file_digest"], "plan": "0" * 64}
    )

    assert response.status_code == 200
    assert response.context["plan_changed"]
    assert Area.objects.count() == 0


def test_admin_upload_form_refuses_no_file(client, districts):
    client.force_login(superuser())
    response = client.post(URL, {})
    assert "通学区域一覧のファイルを選んでください。" in response.content.decode()


def test_changelist_links_the_import_for_those_who_may(client, districts, liaison_user):
    client.force_login(superuser())
    assert URL in client.get("/admin/districts/district/").content.decode()
    client.force_login(liaison_user)
    assert URL not in client.get("/admin/districts/district/").content.decode()


# Who may import -------------------------------------------------------------------------------


def test_anonymous_is_sent_to_login(client, db):
    response = client.get(URL)
    # LoginRequiredMiddleware answers first, with the site's login page.
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={URL}"


def test_coordinator_is_sent_to_login(client, coordinator):
    client.force_login(coordinator)
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_staff_without_permission_is_refused(client, liaison_user, grant_officer, districts):
    for user in (liaison_user, grant_officer, StaffUserFactory()):
        client.force_login(user)
        assert client.get(URL).status_code == 403
        assert upload(client, csv_bytes(TABLE)).status_code == 403
    assert Area.objects.count() == 0


def test_city_wide_staff_with_area_permissions_may_import(client, grant_officer, districts):
    grant_officer.user_permissions.add(
        *Permission.objects.filter(
            codename__in=["add_area", "change_area", "delete_area", "view_district"]
        )
    )
    client.force_login(grant_officer)
    assert client.get(URL).status_code == 200


def test_superuser_sees_the_upload_form(client, districts):
    client.force_login(superuser())
    response = client.get(URL)
    text = response.content.decode()
    assert response.status_code == 200
    assert '<label class="required" for="id_file">' in text
    assert 'aria-describedby="id_file_helptext"' in text
    assert District.objects.count() == 2


def test_a_zip_that_is_not_a_workbook(districts):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("readme.txt", "not a workbook")
    plan = plan_import(out.getvalue())
    assert [problem.message for problem in plan.problems] == [
        "The Excel file is damaged or not an .xlsx workbook. Save it again and upload it."
    ]


def test_admin_lists_the_first_rows_of_a_long_table_and_counts_the_rest(client, districts):
    client.force_login(superuser())
    rows = [f"桜台小学校区,町{n},まち,,," for n in range(1, 321)]

    response = upload(client, csv_bytes("\n".join([HEADER, *rows])))

    text = response.content.decode()
    assert '<dd id="count-added">320</dd>' in text
    assert "町300" in text and "町301" not in text
    assert "ほか 20件" in text


def test_can_import_areas(liaison_user, grant_officer, coordinator):
    area_permissions = Permission.objects.filter(
        content_type__app_label="districts",
        codename__in=["add_area", "change_area", "delete_area"],
    )
    assert can_import_areas(superuser())
    assert not can_import_areas(StaffUserFactory(is_superuser=True, is_active=False))
    assert not can_import_areas(AnonymousUser())
    assert not can_import_areas(coordinator)
    # A liaison officer works in a few districts; the table is the whole city's.
    liaison_user.user_permissions.add(*area_permissions)
    assert not can_import_areas(User.objects.get(pk=liaison_user.pk))
    # City-wide grant staff read districts but do not keep their areas, until given the right.
    assert not can_import_areas(grant_officer)
    grant_officer.user_permissions.add(*area_permissions)
    assert can_import_areas(User.objects.get(pk=grant_officer.pk))


def test_applying_refuses_when_an_area_to_remove_was_moved_after_the_check(districts):
    sakura, midori = districts
    gone = AreaFactory(district=sakura, town="旭", town_kana="あさひ", chome=None)
    plan = plan_import(csv_bytes(TABLE))
    assert plan.removed == [gone]
    Area.objects.filter(pk=gone.pk).update(district=midori)

    with pytest.raises(PlanChanged) as refused:
        apply_import(
            content=csv_bytes(TABLE), expected_fingerprint=plan.fingerprint, by=superuser()
        )

    assert refused.value.plan.removed[0].district == midori
    assert Area.objects.filter(pk=gone.pk).exists()
