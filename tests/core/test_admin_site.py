"""The staff admin as a whole: sections by work, names family name first, Japanese quotes and
permission names (core/admin_site.py, core/admin.py, templates/admin/)."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib import admin
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import translation

from core.admin import permission_label, permission_name
from core.admin_site import EDITED_INLINE, SECTIONS, KyodoAdminSite
from districts.models import LiaisonAssignment
from plans.models import ActionItem, Meeting
from tests.factories import (
    DistrictFactory,
    LiaisonAssignmentFactory,
    StaffUserFactory,
    SuperUserFactory,
)
from tests.plans.factories import MeetingFactory

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


def section_names(response) -> list[str]:
    return [str(app["name"]) for app in response.context["app_list"]]


# Sections ------------------------------------------------------------------------------------


def test_admin_site_is_the_staff_site():
    assert isinstance(admin.site, KyodoAdminSite)


def test_every_registered_table_is_in_a_section_or_edited_inline():
    placed = {label for section in SECTIONS for label in section.models} | set(EDITED_INLINE)
    registered = {model._meta.label_lower for model in admin.site._registry}
    assert registered - placed == set()
    assert placed - registered == set()  # no section names a table that is not there


def test_index_is_grouped_by_work_in_japanese(client, superuser):
    client.force_login(superuser)

    response = client.get(reverse("admin:index"))

    assert section_names(response) == [
        "校区と協議会",
        "団体と役員",
        "計画",
        "会議",
        "交付金",
        "利用者と権限",
    ]
    meetings = response.context["app_list"][3]
    assert [model["object_name"] for model in meetings["models"]] == ["Meeting", "ActionItem"]
    accounts = response.context["app_list"][5]
    assert [str(model["name"]) for model in accounts["models"]] == ["ユーザー", "権限グループ"]


def test_tables_edited_inline_are_not_listed_but_stay_reachable(client, superuser):
    client.force_login(superuser)

    response = client.get(reverse("admin:index"))

    apps = response.context["app_list"]
    listed = {model["object_name"] for app in apps for model in app["models"]}
    assert not listed & {"Decision", "MeetingAttachment", "PlanIssue", "IndicatorResult"}
    assert client.get(reverse("admin:plans_decision_changelist")).status_code == 200
    assert client.get(reverse("admin:plans_indicator_changelist")).status_code == 200


def test_liaison_officer_sees_only_the_sections_of_their_work(client, liaison_user):
    LiaisonAssignmentFactory(user=liaison_user, district=DistrictFactory())
    client.force_login(liaison_user)

    response = client.get(reverse("admin:index"))

    assert section_names(response) == ["校区と協議会", "団体と役員", "計画", "会議", "交付金"]


def test_section_page_lists_its_tables(client, superuser):
    client.force_login(superuser)

    response = client.get(reverse("admin:section", args=["meetings"]))

    assert response.status_code == 200
    assert section_names(response) == ["会議"]
    assert "<h1>会議</h1>" in response.text
    assert client.get(reverse("admin:section", args=["nothing"])).status_code == 404


def test_app_page_shows_the_sections_of_its_tables(client, superuser):
    client.force_login(superuser)

    response = client.get(reverse("admin:app_list", args=["plans"]))

    assert response.status_code == 200
    assert section_names(response) == ["計画", "会議"]


def test_breadcrumbs_lead_through_the_section(client, superuser):
    client.force_login(superuser)
    section_url = reverse("admin:section", args=["meetings"])

    meeting = MeetingFactory()
    for url in (
        reverse("admin:plans_meeting_changelist"),
        reverse("admin:plans_meeting_add"),
        reverse("admin:plans_meeting_change", args=[meeting.pk]),
        reverse("admin:plans_meeting_delete", args=[meeting.pk]),
        reverse("admin:plans_meeting_history", args=[meeting.pk]),
        reverse("admin:plans_decision_changelist"),  # edited on the meeting's page
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        crumbs = re.search(r'<div class="breadcrumbs">(.*?)</div>', response.text, re.S)
        assert f'<a href="{section_url}">会議</a>' in crumbs.group(1), url


# Names ---------------------------------------------------------------------------------------


def test_welcome_line_shows_the_family_name_first(client):
    user = SuperUserFactory(username="sato", last_name="佐藤", first_name="美咲")
    client.force_login(user)

    response = client.get(reverse("admin:index"))

    assert "ようこそ <strong>佐藤 美咲さん</strong>" in response.text
    assert "美咲</strong>" not in response.text.replace("佐藤 美咲さん", "")


def test_liaison_assignment_is_named_family_name_first():
    user = StaffUserFactory(last_name="佐藤", first_name="美咲")
    assignment = LiaisonAssignmentFactory(user=user, district=DistrictFactory(name="桜台小学校区"))

    assert str(assignment) == "桜台小学校区 — 佐藤 美咲"


def test_district_list_shows_liaison_officers_family_name_first(client, superuser):
    district = DistrictFactory()
    user = StaffUserFactory(last_name="佐藤", first_name="美咲")
    LiaisonAssignmentFactory(user=user, district=district)
    client.force_login(superuser)

    response = client.get(reverse("admin:districts_district_changelist"))

    assert "佐藤 美咲" in response.text
    assert "美咲 佐藤" not in response.text


def test_liaison_assignment_list_shows_the_staff_family_name_first(client, superuser):
    user = StaffUserFactory(username="sato", last_name="佐藤", first_name="美咲")
    LiaisonAssignmentFactory(user=user, district=DistrictFactory())
    client.force_login(superuser)

    response = client.get(reverse("admin:districts_liaisonassignment_changelist"))

    assert '<td class="field-staff_name">佐藤 美咲</td>' in response.text


def test_user_list_shows_names_family_name_first(client, superuser):
    StaffUserFactory(username="sato", last_name="佐藤", first_name="美咲")
    client.force_login(superuser)

    response = client.get(reverse("admin:auth_user_changelist"))

    assert '<td class="field-name">佐藤 美咲</td>' in response.text


# Messages ------------------------------------------------------------------------------------


def test_added_message_quotes_the_record_in_japanese(client, superuser):
    district = DistrictFactory()
    client.force_login(superuser)

    response = client.post(
        reverse("admin:plans_meeting_add"),
        {
            "district": district.pk,
            "kind": "board",
            "admission": "members",
            "title": "第3回役員会",
            "starts_at_0": "2026-05-10",
            "starts_at_1": "14:00",
            "decisions-TOTAL_FORMS": "0",
            "decisions-INITIAL_FORMS": "0",
            "action_items-TOTAL_FORMS": "0",
            "action_items-INITIAL_FORMS": "0",
            "attachments-TOTAL_FORMS": "0",
            "attachments-INITIAL_FORMS": "0",
        },
        follow=True,
    )

    messages = [re.sub(r"<[^>]+>", "", str(message)) for message in response.context["messages"]]
    assert messages == ["会議「第3回役員会」を追加しました。"], messages


def test_english_messages_keep_english_quotes():
    with translation.override("en"):
        assert translation.gettext("The {name} “{obj}” was added successfully.") == (
            "The {name} “{obj}” was added successfully."
        )
    with translation.override("ja"):
        assert translation.gettext("The {name} “{obj}” was added successfully.") == (
            "{name}「{obj}」を追加しました。"
        )
        deleted = translation.gettext("Deleted {name} “{object}”.")
        assert deleted == "{name}「{object}」を削除しました。"


def test_django_overrides_are_kept_out_of_makemessages_reach():
    """makemessages keeps in each catalogue only the msgids of the sources it assigns to it;
    the overrides' directory holds no source, so it assigns none there and leaves it alone."""
    overrides = ROOT / "core" / "django_overrides"
    assert overrides / "locale" in [Path(path) for path in settings.LOCALE_PATHS]
    sources = [
        path for path in overrides.rglob("*") if path.suffix in {".py", ".html", ".txt", ".js"}
    ]
    assert sources == []


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="needs GNU gettext")
def test_makemessages_leaves_the_overrides_as_they_are(tmp_path):
    """Run makemessages on a copy of the project's sources: the overrides keep every entry."""
    copy = tmp_path / "project"
    ignore = shutil.ignore_patterns(
        ".venv",
        "node_modules",
        "staticfiles",
        "media",
        "test-artifacts",
        "*.mo",
        ".git",
        "bench",
        "*.sqlite3",
        ".ruff_cache",
    )
    shutil.copytree(ROOT, copy, ignore=ignore, symlinks=True)
    override_po = copy / "core/django_overrides/locale/ja/LC_MESSAGES/django.po"
    project_po = copy / "locale/ja/LC_MESSAGES/django.po"
    before = override_po.read_text(encoding="utf-8")
    project_before = project_po.read_text(encoding="utf-8")

    subprocess.run(
        [
            sys.executable,
            "manage.py",
            "makemessages",
            "-l",
            "ja",
            "--ignore=.venv",
            "--ignore=node_modules",
            "--no-location",
        ],
        cwd=copy,
        check=True,
        capture_output=True,
    )

    assert project_po.read_text(encoding="utf-8") != project_before  # makemessages did run
    assert override_po.read_text(encoding="utf-8") == before


# Permissions ---------------------------------------------------------------------------------


def test_default_permissions_are_named_in_japanese():
    permission = Permission.objects.get(codename="add_actionitem")

    with translation.override("ja"):
        assert permission_name(permission) == "宿題事項を追加できる"
        assert permission_label(permission) == "会議 | 宿題事項 | 宿題事項を追加できる"
    with translation.override("en"):
        assert permission_name(permission) == "Can add action item"


def test_custom_permissions_are_translated_from_their_declared_name(monkeypatch):
    content_type = ContentType.objects.get_for_model(Meeting)
    permission = Permission.objects.create(
        content_type=content_type, codename="publish_meeting", name="Can change meeting"
    )
    monkeypatch.setattr(Meeting._meta, "permissions", [("publish_meeting", "Can change meeting")])

    with translation.override("ja"):
        # Django's own translation of the declared name.
        assert permission_name(permission) == translation.gettext("Can change meeting")


def test_group_page_offers_permissions_in_japanese(client, superuser):
    client.force_login(superuser)
    group = Group.objects.get(name="liaison")

    response = client.get(reverse("admin:auth_group_change", args=[group.pk]))

    assert "宿題事項を追加できる" in response.text
    assert "Can add action item" not in response.text


def test_user_page_offers_permissions_in_japanese_and_english(client, superuser):
    client.force_login(superuser)
    url = reverse("admin:auth_user_change", args=[superuser.pk])

    response = client.get(url)
    assert "会議を閲覧できる" in response.text
    assert "Can view meeting" not in response.text

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(url)
    assert "Can view meeting" in response.text


def test_action_item_model_is_registered_for_the_meeting_section():
    assert admin.site.is_registered(ActionItem)
    assert LiaisonAssignment in admin.site._registry


# Autocompletes ---------------------------------------------------------------------------------


def test_required_autocomplete_starts_with_a_labelled_empty_choice(client, superuser):
    meeting = MeetingFactory()
    client.force_login(superuser)

    response = client.get(reverse("admin:plans_meeting_change", args=[meeting.pk]))

    district = re.search(r'<select name="district".*?</select>', response.text, re.S).group(0)
    assert "required" in district
    options = re.findall(r"<option[^>]*>[^<]*</option>", district)
    assert options[0] == '<option value="" label="未選択"></option>'
    assert f'value="{meeting.district_id}" selected' in options[1]


def test_optional_autocomplete_labels_its_empty_choice(client, superuser):
    client.force_login(superuser)

    response = client.get(reverse("admin:plans_meeting_add"))

    council = re.search(r'<select name="council".*?</select>', response.text, re.S).group(0)
    assert '<option value="" label="未選択"></option>' in council


def test_password_summary_is_not_marked_disabled(client, superuser):
    client.force_login(superuser)

    response = client.get(reverse("admin:auth_user_change", args=[superuser.pk]))

    summary = re.search(r'<div[^>]*id="id_password"[^>]*>', response.text).group(0)
    assert "disabled" not in summary


def test_index_sections_in_english_mode(client, superuser):
    client.force_login(superuser)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    response = client.get(reverse("admin:index"))

    assert section_names(response) == [
        "Districts and councils",
        "Groups and officers",
        "Plans",
        "Meetings",
        "Grants",
        "Users and permissions",
    ]
    assert '<html lang="en"' in response.text


def test_change_list_search_is_named_by_what_it_searches(client, superuser):
    client.force_login(superuser)

    response = client.get(reverse("admin:plans_meeting_changelist"))

    assert 'role="search" aria-label="会議を検索"' in response.text
    assert '<span class="visually-hidden">検索</span></label>' in response.text


def test_delete_page_and_message_quote_the_record_in_japanese(client, superuser):
    meeting = MeetingFactory(title="第5回役員会")
    client.force_login(superuser)
    url = reverse("admin:plans_meeting_delete", args=[meeting.pk])

    assert "会議「第5回役員会」を削除しますか？" in client.get(url).text
    response = client.post(url, {"post": "yes"}, follow=True)

    assert [str(m) for m in response.context["messages"]] == ["会議「第5回役員会」を削除しました。"]
