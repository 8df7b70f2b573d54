"""A coordinator keeps their council's public profile; nobody else reaches it."""

import pytest
from django.contrib.admin.models import LogEntry

from core import roles
from districts.permissions import coordinated_councils
from tests.factories import CouncilFactory, StaffUserFactory, SuperUserFactory, UserFactory

pytestmark = pytest.mark.django_db

VALID = {
    "introduction": "防災訓練と見守り活動に取り組んでいます。",
    "contact_name": "桜台まちづくり協議会事務局",
    "contact_phone": "０２７－１２３－４５６７",
    "contact_email": "office@example.jp",
}


@pytest.fixture
def council():
    return CouncilFactory(established=True, district__slug="sakuradai")


@pytest.fixture
def coordinator(council):
    user = UserFactory(username="coord", groups=[roles.COORDINATORS])
    council.coordinators.add(user)
    return user


def url(council) -> str:
    return f"/councils/{council.pk}/profile/"


def test_coordinator_saves_the_profile_and_it_shows_on_the_district_page(
    client, council, coordinator
):
    client.force_login(coordinator)
    response = client.post(url(council), VALID)
    assert response.status_code == 302
    assert response["Location"] == "/districts/sakuradai/#council"
    council.refresh_from_db()
    assert council.contact_phone == "027-123-4567"  # full-width digits normalised
    page = client.get("/districts/sakuradai/").content.decode()
    assert "防災訓練と見守り活動に取り組んでいます。" in page
    assert "027-123-4567" in page
    entry = LogEntry.objects.get(object_id=str(council.pk))
    assert entry.user == coordinator


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("contact_email", "not-an-address", "office@example.jp"),
        ("contact_phone", "電話してね", "0000-00-0000"),
        ("introduction", "あ" * 2001, "2000"),
    ],
)
def test_bad_input_is_refused_next_to_the_field_and_kept(
    client, council, coordinator, field, value, message
):
    client.force_login(coordinator)
    data = {**VALID, field: value}
    response = client.post(url(council), data)
    assert response.status_code == 200
    text = response.content.decode()
    assert f'id="id_{field}_error"' in text
    assert message in text
    assert 'aria-invalid="true"' in text
    assert "error-summary" in text
    assert VALID["contact_name"] in text  # the rest of what was typed is kept
    if field != "introduction":
        assert value in text
    council.refresh_from_db()
    assert council.contact_email != "not-an-address"


def test_nothing_changed_saves_nothing(client, council, coordinator):
    client.force_login(coordinator)
    client.post(url(council), VALID)
    client.post(url(council), VALID)
    assert LogEntry.objects.filter(object_id=str(council.pk)).count() == 1


@pytest.mark.parametrize("who", ["other_coordinator", "liaison", "superuser", "plain_user"])
def test_anyone_but_the_councils_coordinator_gets_404(client, council, coordinator, who):
    users = {
        "other_coordinator": lambda: _coordinator_of(CouncilFactory()),
        "liaison": lambda: StaffUserFactory.liaison(council.district),
        "superuser": SuperUserFactory,
        "plain_user": UserFactory,
    }
    user = users[who]()
    client.force_login(user)
    assert client.get(url(council)).status_code == 404
    assert client.post(url(council), VALID).status_code == 404
    assert not coordinated_councils(user).filter(pk=council.pk).exists()


def _coordinator_of(council):
    user = UserFactory(groups=[roles.COORDINATORS])
    council.coordinators.add(user)
    return user


def test_a_coordinator_removed_from_the_group_loses_access(client, council, coordinator):
    coordinator.groups.clear()
    client.force_login(coordinator)
    assert client.get(url(council)).status_code == 404


def test_anonymous_visitor_is_sent_to_sign_in(client, council):
    response = client.get(url(council))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


def test_account_home_lists_the_coordinators_councils_only(client, council, coordinator):
    CouncilFactory(name="よその協議会")
    client.force_login(coordinator)
    text = client.get("/accounts/").content.decode()
    assert council.name in text
    assert "よその協議会" not in text
    assert url(council) in text


def test_sign_in_leads_to_the_account_home(client, coordinator):
    response = client.post(
        "/accounts/login/", {"username": "coord", "password": "kyodo-test-password"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/accounts/"


def test_wrong_password_keeps_the_user_name_and_says_why(client, coordinator):
    response = client.post("/accounts/login/", {"username": "coord", "password": "wrong"})
    text = response.content.decode()
    assert response.status_code == 200
    assert 'value="coord"' in text
    assert "error-summary" in text


def test_empty_sign_in_names_each_missing_field(client, db):
    text = client.post("/accounts/login/", {"username": "", "password": ""}).content.decode()
    assert 'id="id_username_error"' in text and 'id="id_password_error"' in text


def test_sign_out_is_a_post(client, coordinator):
    client.force_login(coordinator)
    assert client.get("/accounts/logout/").status_code == 405
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert client.get("/accounts/").status_code == 302


def test_required_note_only_where_a_field_is_required(client, council, coordinator):
    client.force_login(coordinator)
    assert "form-note" not in client.get(url(council)).content.decode()
    client.logout()
    assert "form-note" in client.get("/accounts/login/").content.decode()
