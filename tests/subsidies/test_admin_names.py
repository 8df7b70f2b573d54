"""People on an application's admin page are named family name first (core.names)."""

import pytest
from django.urls import reverse

from core.names import person_name
from subsidies.models import State
from tests.subsidies.factories import Staff, application_in

pytestmark = pytest.mark.django_db


def test_application_page_names_the_staff_family_name_first(client, superuser):
    staff = Staff()
    names = {staff.officer: ("佐藤", "美咲"), staff.approver: ("鈴木", "健")}
    for user, (family, given) in names.items():
        user.last_name, user.first_name = family, given
        user.save()
    application = application_in(State.PAID, staff=staff)[0]
    client.force_login(superuser)

    response = client.get(reverse("admin:subsidies_application_change", args=[application.pk]))

    assert response.status_code == 200
    text = response.text
    assert "佐藤 美咲" in text  # recommended, recorded the payment, in the history
    assert "鈴木 健" in text  # decided
    assert "美咲 佐藤" not in text and "健 鈴木" not in text
    assert person_name(staff.officer) == "佐藤 美咲"
