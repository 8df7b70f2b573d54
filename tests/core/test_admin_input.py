"""Dates, times and e-mail addresses in the admin: every form of every admin reads them as typed."""

import datetime as dt

import pytest
from django.contrib import admin
from django.db import models
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from core.admin_input import (
    AdminDateEntry,
    AdminEmailEntry,
    AdminSplitDateTimeEntry,
    AdminTimeEntry,
    TypedInputAdminMixin,
)
from core.fields import (
    EmailAddressField,
    JapaneseDateField,
    JapaneseSplitDateTimeField,
    JapaneseTimeField,
)
from organizations.models import Organization
from plans.models import ActionItem, Meeting
from tests.factories import CouncilFactory, DistrictFactory, OrganizationFactory

pytestmark = pytest.mark.django_db

# Model field → (form field, admin widget) the admin must use for it.
EXPECTED = (
    (models.DateTimeField, JapaneseSplitDateTimeField, AdminSplitDateTimeEntry),
    (models.DateField, JapaneseDateField, AdminDateEntry),
    (models.TimeField, JapaneseTimeField, AdminTimeEntry),
    (models.EmailField, EmailAddressField, AdminEmailEntry),
)


def _expected_for(db_field):
    for db_class, form_class, widget_class in EXPECTED:
        if isinstance(db_field, db_class):
            return form_class, widget_class
    return None


def _escaped_fields(form_class, model) -> list[str]:
    escaped = []
    for name, form_field in form_class.base_fields.items():
        try:
            db_field = model._meta.get_field(name)
        except Exception:  # a form-only field
            continue
        expected = _expected_for(db_field)
        if expected is None:
            continue
        form_type, widget_type = expected
        if not isinstance(form_field, form_type) or not isinstance(form_field.widget, widget_type):
            escaped.append(
                f"{model._meta.label}.{name}: {type(form_field).__name__} / "
                f"{type(form_field.widget).__name__}"
            )
    return escaped


def test_every_admin_and_inline_reads_dates_times_and_addresses_as_typed(superuser):
    request = RequestFactory().get("/admin/")
    request.user = superuser
    escaped = []
    for model, model_admin in admin.site._registry.items():
        assert isinstance(model_admin, TypedInputAdminMixin), model
        escaped += _escaped_fields(model_admin.get_form(request), model)
        for inline_class in model_admin.inlines:
            assert issubclass(inline_class, TypedInputAdminMixin), inline_class
            inline = inline_class(model, admin.site)
            formset = inline.get_formset(request)
            escaped += _escaped_fields(formset.form, inline.model)
    assert escaped == []


def test_a_class_of_its_own_overrides_keeps_them_and_gets_the_typed_fields():
    from plans.admin import DecisionInline

    inline = DecisionInline(Meeting, admin.site)
    assert models.TextField in inline.formfield_overrides  # the short text areas
    assert inline.formfield_overrides[models.DateField]["form_class"] is JapaneseDateField


# The meeting page --------------------------------------------------------------------------


@pytest.fixture
def district():
    district = DistrictFactory(name="桜台小学校区", name_kana="さくらだいしょうがっこうく")
    CouncilFactory(district=district)
    return district


def meeting_data(district, **values) -> dict:
    return {
        "district": district.pk,
        "kind": "board",
        "admission": "members",
        "title": "桜台協議会 役員会",
        "starts_at_0": "令和8年12月6日",
        "starts_at_1": "１９時",
        "ends_at_0": "R8.12.6",
        "ends_at_1": "20時半",
        "place": "桜台公民館",
        "attendance": "12",
        "decisions-TOTAL_FORMS": "0",
        "decisions-INITIAL_FORMS": "0",
        "action_items-TOTAL_FORMS": "1",
        "action_items-INITIAL_FORMS": "0",
        "action_items-0-what": "チラシを作る",
        "action_items-0-owner_role": "広報部会",
        "action_items-0-due_on": "８年１２月２０日",
        "action_items-0-status": "open",
        "attachments-TOTAL_FORMS": "0",
        "attachments-INITIAL_FORMS": "0",
        **values,
    }


def test_a_meeting_typed_in_wareki_and_full_width_is_saved(client, superuser, district):
    client.force_login(superuser)

    response = client.post(reverse("admin:plans_meeting_add"), meeting_data(district))

    assert response.status_code == 302, response.context["adminform"].form.errors
    meeting = Meeting.objects.get(title="桜台協議会 役員会")
    tokyo = timezone.get_default_timezone()
    assert meeting.starts_at == dt.datetime(2026, 12, 6, 19, 0, tzinfo=tokyo)
    assert meeting.ends_at == dt.datetime(2026, 12, 6, 20, 30, tzinfo=tokyo)
    assert ActionItem.objects.get(meeting=meeting).due_on == dt.date(2026, 12, 20)


def test_the_meeting_page_shows_saved_values_as_staff_write_them(client, superuser, district):
    client.force_login(superuser)
    client.post(reverse("admin:plans_meeting_add"), meeting_data(district))
    meeting = Meeting.objects.get(title="桜台協議会 役員会")

    text = client.get(reverse("admin:plans_meeting_change", args=[meeting.pk])).content.decode()

    assert 'name="starts_at_0" value="2026/12/06"' in text
    assert 'name="starts_at_1" value="19:00"' in text
    # The format beside the field, and each box named after the field.
    assert "日付の例：2026/12/10、令和8年12月10日　時刻の例：19:00、19時、午後7時半" in text
    assert 'aria-label="開始日時（日付）"' in text and 'aria-label="開始日時（時刻）"' in text
    assert 'autocomplete="off"' in text


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        (
            {"starts_at_0": "令和8年2月30日"},
            "starts_at",
            "令和8年2月30日はありません（その月は28日までです）。",
        ),
        (
            {"starts_at_0": "令和1年4月30日"},
            "starts_at",
            "令和元年4月30日は令和の始まる前の日付です。その日は平成31年4月30日です。",
        ),
        (
            {"starts_at_1": "25:00"},
            "starts_at",
            "25:00という時刻はありません。0:00から23:59までで入力してください。",
        ),
        (
            {"starts_at_0": "12月6日"},
            "starts_at",
            "2026/12/10 または 令和8年12月10日 の形で入力してください。",
        ),
        ({"ends_at_1": ""}, "ends_at", "時刻も入力してください。"),
    ],
)
def test_an_impossible_date_or_time_is_refused_beside_its_field(
    client, superuser, district, values, field, message
):
    client.force_login(superuser)

    response = client.post(reverse("admin:plans_meeting_add"), meeting_data(district, **values))

    assert response.status_code == 200
    assert response.context["adminform"].form.errors[field] == [message]
    text = response.content.decode()
    for name, typed in values.items():
        assert f'name="{name}" value="{typed}"' in text or not typed  # kept as typed
    assert not Meeting.objects.exists()


def test_an_impossible_due_date_in_an_inline_is_refused_beside_it(client, superuser, district):
    client.force_login(superuser)
    data = meeting_data(district, **{"action_items-0-due_on": "2026/2/29"})

    response = client.post(reverse("admin:plans_meeting_add"), data)

    assert response.status_code == 200
    formset = next(
        inline.formset
        for inline in response.context["inline_admin_formsets"]
        if inline.formset.model is ActionItem
    )
    assert formset.forms[0].errors["due_on"] == [
        "2026年2月29日はありません（その月は28日までです）。"
    ]
    assert 'value="2026/2/29"' in response.content.decode()


# E-mail addresses --------------------------------------------------------------------------


def test_a_full_width_address_is_saved_normalised(client, superuser, district, admin_form_data):
    client.force_login(superuser)
    group = OrganizationFactory(name="桜台一丁目自治会", districts=[district], email="")
    url = reverse("admin:organizations_organization_change", args=[group.pk])
    data = admin_form_data(client.get(url))
    data["email"] = "　Sakuradai＠Example．JP "

    response = client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Organization.objects.get(pk=group.pk).email == "Sakuradai@example.jp"


def test_a_bad_address_gets_djangos_message_in_japanese(client, superuser, district):
    client.force_login(superuser)
    group = OrganizationFactory(name="桜台一丁目自治会", districts=[district])
    request = RequestFactory().get("/admin/")
    request.user = superuser
    form_class = admin.site._registry[Organization].get_form(request, group)

    form = form_class({"email": "sakuradai＠example"}, instance=group)

    assert not form.is_valid()
    assert form.errors["email"] == ["有効なメールアドレスを入力してください。"]
    assert form["email"].value() == "sakuradai＠example"  # shown again as typed
