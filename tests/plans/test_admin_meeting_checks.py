"""The meeting page's checks before saving: the council follows the district, and a record of a
meeting still to come is saved only once staff confirm it (plans/admin.py)."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from plans.models import Meeting
from tests.factories import CouncilFactory, DistrictFactory, StaffUserFactory
from tests.plans.factories import MeetingFactory, at_two_pm

pytestmark = pytest.mark.django_db

ADD = "admin:plans_meeting_add"


@pytest.fixture
def sides():
    sakura = DistrictFactory(name="桜台小学校区", name_kana="さくらだいしょうがっこうく")
    konan = DistrictFactory(name="港南小学校区", name_kana="こうなんしょうがっこうく")
    return {
        "sakura": sakura,
        "sakura_council": CouncilFactory(district=sakura, name="桜台まちづくり協議会"),
        "konan": konan,
        "konan_council": CouncilFactory(district=konan, name="港南まちづくり協議会"),
    }


@pytest.fixture
def liaison(sides):
    return StaffUserFactory.liaison(sides["sakura"], sides["konan"], username="two-districts")


def meeting_data(district, *, when: dt.datetime, decisions=(), **values) -> dict:
    local = timezone.localtime(when)
    data = {
        "district": district.pk,
        "kind": "board",
        "admission": "members",
        "title": "桜台協議会 役員会",
        "starts_at_0": local.date().isoformat(),
        "starts_at_1": local.strftime("%H:%M"),
        "place": "桜台公民館",
        "minutes": "",
        "decisions-TOTAL_FORMS": str(len(decisions)),
        "decisions-INITIAL_FORMS": "0",
        "action_items-TOTAL_FORMS": "0",
        "action_items-INITIAL_FORMS": "0",
        "attachments-TOTAL_FORMS": "0",
        "attachments-INITIAL_FORMS": "0",
        **values,
    }
    for index, text in enumerate(decisions):
        data[f"decisions-{index}-text"] = text
        data[f"decisions-{index}-order"] = str(index)
    return data


def errors_of(response) -> dict:
    return response.context["adminform"].form.errors


# The council follows the district ----------------------------------------------------------


def test_council_of_another_district_is_refused_beside_the_council(client, liaison, sides):
    client.force_login(liaison)
    data = meeting_data(
        sides["sakura"], when=at_two_pm(-7), council=sides["konan_council"].pk, agenda="防災訓練"
    )

    response = client.post(reverse(ADD), data)

    assert response.status_code == 200
    assert errors_of(response)["council"] == ["会議の校区の協議会を選んでください。"]
    assert not Meeting.objects.exists()
    form = response.context["adminform"].form
    assert form["title"].value() == "桜台協議会 役員会"  # nothing typed is lost
    assert form["agenda"].value() == "防災訓練"


def test_council_of_the_district_is_accepted(client, liaison, sides):
    client.force_login(liaison)
    data = meeting_data(sides["sakura"], when=at_two_pm(-7), council=sides["sakura_council"].pk)

    response = client.post(reverse(ADD), data)

    assert response.status_code == 302
    assert Meeting.objects.get().council == sides["sakura_council"]


def council_choices(client, **params) -> set[str]:
    response = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "plans", "model_name": "meeting", "field_name": "council", **params},
    )
    assert response.status_code == 200
    return {result["text"] for result in response.json()["results"]}


def test_council_choices_follow_the_chosen_district(client, liaison, sides):
    client.force_login(liaison)

    assert council_choices(client) == {"桜台まちづくり協議会", "港南まちづくり協議会"}
    assert council_choices(client, district=sides["konan"].pk) == {"港南まちづくり協議会"}
    assert council_choices(client, district=sides["sakura"].pk, term="港南") == set()


def test_council_choices_stay_in_scope_whatever_district_is_asked(client, sides):
    outside = CouncilFactory(district=DistrictFactory(), name="北山まちづくり協議会")
    client.force_login(StaffUserFactory.liaison(sides["sakura"]))

    assert council_choices(client, district=outside.district_id) == set()


def test_meeting_page_loads_the_script_that_makes_the_council_follow(client, liaison):
    client.force_login(liaison)

    response = client.get(reverse(ADD))

    assert "js/admin-council-follows-district.js" in response.text
    assert 'data-follows="district"' in response.text


# A record of a meeting still to come -----------------------------------------------------


def test_minutes_of_a_future_meeting_warn_first(client, liaison, sides):
    client.force_login(liaison)
    data = meeting_data(sides["sakura"], when=at_two_pm(14), minutes="防災訓練の日程を決めた。")

    response = client.post(reverse(ADD), data)

    assert response.status_code == 200
    assert "この会議はまだ開かれていません" in errors_of(response)["minutes"][0]
    assert 'name="confirm_record_before_meeting"' in response.text
    assert not Meeting.objects.exists()
    assert response.context["adminform"].form["minutes"].value() == "防災訓練の日程を決めた。"


def test_minutes_of_a_future_meeting_are_saved_once_confirmed(client, liaison, sides):
    client.force_login(liaison)
    data = meeting_data(
        sides["sakura"],
        when=at_two_pm(14),
        minutes="防災訓練の日程を決めた。",
        confirm_record_before_meeting="on",
    )

    response = client.post(reverse(ADD), data)

    assert response.status_code == 302
    assert Meeting.objects.get().minutes == "防災訓練の日程を決めた。"


def test_decisions_of_a_future_meeting_warn_first_then_save_once_confirmed(client, liaison, sides):
    client.force_login(liaison)
    data = meeting_data(sides["sakura"], when=at_two_pm(14), decisions=["夏祭りは7月に行う。"])

    response = client.post(reverse(ADD), data)

    assert response.status_code == 200
    decisions = next(
        inline.formset
        for inline in response.context["inline_admin_formsets"]
        if inline.formset.prefix == "decisions"
    )
    assert "この会議はまだ開かれていません" in decisions.non_form_errors()[0]
    assert 'name="confirm_record_before_meeting"' in response.text
    assert not Meeting.objects.exists()

    response = client.post(reverse(ADD), {**data, "confirm_record_before_meeting": "on"})

    assert response.status_code == 302
    assert [d.text for d in Meeting.objects.get().decisions.all()] == ["夏祭りは7月に行う。"]


def test_announcement_of_a_future_meeting_needs_no_confirmation(client, liaison, sides):
    client.force_login(liaison)
    data = meeting_data(sides["sakura"], when=at_two_pm(14), agenda="1. 防災訓練について")

    response = client.get(reverse(ADD))
    assert 'name="confirm_record_before_meeting"' not in response.text
    response = client.post(reverse(ADD), data)

    assert response.status_code == 302


def test_minutes_of_a_past_meeting_need_no_confirmation(client, liaison, sides):
    client.force_login(liaison)
    data = meeting_data(sides["sakura"], when=at_two_pm(-1), minutes="防災訓練の日程を決めた。")

    assert client.post(reverse(ADD), data).status_code == 302


def test_confirmed_record_is_not_questioned_again_on_other_changes(
    client, liaison, sides, admin_form_data
):
    meeting = MeetingFactory(
        district=sides["sakura"], starts_at=at_two_pm(14), minutes="前もって決めた議事録"
    )
    client.force_login(liaison)
    url = reverse("admin:plans_meeting_change", args=[meeting.pk])
    page = client.get(url)
    data = admin_form_data(page)
    form = page.context["adminform"].form
    for name in ("starts_at", "ends_at"):
        data.pop(name, None)
        for index, part in enumerate(form.fields[name].widget.decompress(form[name].value())):
            data[f"{name}_{index}"] = (
                "" if part is None else part.strftime("%Y-%m-%d" if index == 0 else "%H:%M")
            )
    data["place"] = "桜台小学校 体育館"

    response = client.post(url, data)

    assert response.status_code == 302, errors_of(response)
    meeting.refresh_from_db()
    assert meeting.place == "桜台小学校 体育館"
