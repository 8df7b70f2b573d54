"""The form fields for dates, times and e-mail addresses: what they accept, refuse and render."""

import datetime as dt
import inspect
import re

import pytest
from django import forms
from django.utils import timezone, translation

from core.fields import (
    EmailAddressField,
    JapaneseDateField,
    JapaneseSplitDateTimeField,
    JapaneseTimeField,
    normalize_email,
)


@pytest.fixture(autouse=True)
def _japanese():
    with translation.override("ja"):
        yield


class MeetingForm(forms.Form):
    day = JapaneseDateField(label="開催日")
    at = JapaneseTimeField(label="開始時刻", required=False)
    starts = JapaneseSplitDateTimeField(label="開始", required=False)
    email = EmailAddressField(label="メールアドレス", required=False)


def test_typed_values_are_read():
    form = MeetingForm(
        {
            "day": "令和8年12月6日",
            "at": "１９時",
            "starts_0": "R8.12.6",
            "starts_1": "午後7時半",
            "email": "sakuradai＠example．jp",
        }
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["day"] == dt.date(2026, 12, 6)
    assert form.cleaned_data["at"] == dt.time(19, 0)
    assert form.cleaned_data["starts"] == timezone.make_aware(dt.datetime(2026, 12, 6, 19, 30))
    assert form.cleaned_data["email"] == "sakuradai@example.jp"


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"day": "令和8年2月30日"}, "day", "令和8年2月30日はありません（その月は28日までです）。"),
        ({"day": ""}, "day", "このフィールドは必須です。"),
        (
            {"at": "25:00"},
            "at",
            "25:00という時刻はありません。0:00から23:59までで入力してください。",
        ),
        ({"starts_0": "2026/12/6"}, "starts", "時刻も入力してください。"),
        ({"starts_1": "19:00"}, "starts", "日付も入力してください。"),
        (
            {"starts_0": "2026/12/6", "starts_1": "夜"},
            "starts",
            "19:00 または 19時30分 の形で入力してください。",
        ),
        ({"email": "sakuradai＠example"}, "email", "有効なメールアドレスを入力してください。"),
    ],
)
def test_bad_values_are_refused_with_the_reason_and_kept(data, field, message):
    form = MeetingForm({"day": "2026/12/6", **data})
    assert not form.is_valid()
    assert form.errors[field] == [message]
    html = str(form[field])
    for name, typed in data.items():
        if typed:
            assert f'name="{name}"' in html and f'value="{typed}"' in html


def test_saved_values_are_shown_as_people_write_them():
    form = MeetingForm(
        initial={
            "day": dt.date(2026, 12, 6),
            "at": dt.time(19, 0),
            "starts": timezone.make_aware(dt.datetime(2026, 12, 6, 19, 0, 30)),
        }
    )
    assert 'value="2026/12/06"' in str(form["day"])
    assert 'value="19:00"' in str(form["at"])
    # Seconds only when there are some, so saving again changes nothing.
    assert 'value="19:00:30"' in str(form["starts"])


def test_date_and_time_boxes_suit_typing():
    form = MeetingForm()
    for name in ("day", "at"):
        html = str(form[name])
        assert 'type="text"' in html
        assert 'autocomplete="off"' in html
        assert 'spellcheck="false"' in html
        # A numeric keypad has no 「/」, 「:」 or 令和.
        assert "inputmode" not in html
    email = str(form["email"])
    assert 'type="text"' in email and 'inputmode="email"' in email
    assert 'autocomplete="email"' in email and 'autocapitalize="none"' in email


def test_the_format_hint_follows_the_fields_own_help_text():
    assert str(MeetingForm.base_fields["day"].help_text) == "例：2026/12/10、令和8年12月10日"
    assert str(MeetingForm.base_fields["at"].help_text) == "例：19:00、19時、午後7時半"
    field = JapaneseDateField(help_text="領収書の日付です。")
    assert str(field.help_text) == "領収書の日付です。 例：2026/12/10、令和8年12月10日"
    assert JapaneseDateField(hint=False).help_text == ""


def test_date_and_time_boxes_of_a_moment_each_have_a_label():
    html = str(MeetingForm()["starts"])
    labels = dict(re.findall(r'<label for="([^"]+)">([^<]+)</label>', html))
    assert labels == {"id_starts_0": "日付", "id_starts_1": "時刻"}
    assert 'id="id_starts_0"' in html and 'id="id_starts_1"' in html
    assert MeetingForm()["starts"].use_fieldset  # the field's label is the legend


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("sakuradai@example.jp", "sakuradai@example.jp"),
        ("sakuradai＠example．jp", "sakuradai@example.jp"),
        ("ｓａｋｕｒａｄａｉ＠ｅｘａｍｐｌｅ．ｊｐ", "sakuradai@example.jp"),
        ("Sakuradai@EXAMPLE.JP", "Sakuradai@example.jp"),  # the part before @ kept as typed
        ("　sakuradai @ example.jp ", "sakuradai@example.jp"),
        ("sakura－dai＠example．jp", "sakura-dai@example.jp"),
        ("sakuraーdai@example。jp", "sakura-dai@example.jp"),  # typed with the IME on
        ("sakura_dai＿1@example.jp", "sakura_dai_1@example.jp"),
        ("no-at-sign", "no-at-sign"),
    ],
)
def test_email_addresses_are_normalised(typed, expected):
    assert normalize_email(typed) == expected


def test_portal_forms_use_the_typed_fields():
    """Every date, time and e-mail field of the portal's forms is one of the typed fields."""
    from districts import forms as district_forms
    from organizations import forms as organization_forms
    from plans import forms as plan_forms
    from subsidies.forms import coordinator, review

    typed = (JapaneseDateField, JapaneseTimeField, JapaneseSplitDateTimeField, EmailAddressField)
    checked = 0
    for module in (district_forms, organization_forms, plan_forms, coordinator, review):
        for _name, form_class in inspect.getmembers(module, inspect.isclass):
            if not issubclass(form_class, forms.BaseForm) or not hasattr(form_class, "base_fields"):
                continue
            for name, field in form_class.base_fields.items():
                if isinstance(
                    field,
                    (
                        forms.DateField,
                        forms.TimeField,
                        forms.DateTimeField,
                        forms.SplitDateTimeField,
                        forms.EmailField,
                    ),
                ):
                    checked += 1
                    assert isinstance(field, typed), f"{form_class.__name__}.{name}"
    assert checked >= 6
