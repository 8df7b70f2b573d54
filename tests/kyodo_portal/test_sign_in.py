"""Signing in lands each user on their work; a page asked for (`next`) still wins if it is safe."""

import pytest
from django.urls import reverse

from core import roles
from tests.factories import (
    PASSWORD,
    CouncilFactory,
    DistrictFactory,
    StaffUserFactory,
    SuperUserFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"


def sign_in(client, user, next_url: str | None = None):
    url = LOGIN if next_url is None else f"{LOGIN}?next={next_url}"
    return client.post(url, {"username": user.username, "password": PASSWORD})


def coordinator():
    user = UserFactory(groups=[roles.COORDINATORS])
    CouncilFactory(established=True).coordinators.add(user)
    return user


@pytest.mark.parametrize(
    ("make_user", "landing"),
    [
        (StaffUserFactory.grant_officer, "/grants/review/"),
        (StaffUserFactory.grant_approver, "/grants/review/"),
        (lambda: StaffUserFactory.liaison(DistrictFactory()), "/admin/"),
        (SuperUserFactory, "/admin/"),
        # My page: their councils, the public profile and the grant.
        (coordinator, "/accounts/"),
        # Not yet linked to a council: My page says whom to ask.
        (lambda: UserFactory(groups=[roles.COORDINATORS]), "/accounts/"),
        (UserFactory, "/accounts/"),
    ],
)
def test_each_role_lands_on_its_work(client, make_user, landing):
    response = sign_in(client, make_user())
    assert response.status_code == 302
    assert response["Location"] == landing
    assert client.get(landing).status_code == 200


def test_a_superuser_in_the_grant_staff_lands_on_the_queue(client):
    user = SuperUserFactory(groups=[roles.GRANT_APPROVERS])
    assert sign_in(client, user)["Location"] == reverse("grants:review_queue")


def test_the_page_asked_for_wins(client):
    officer = StaffUserFactory.grant_officer()
    response = sign_in(client, officer, "/districts/")
    assert response["Location"] == "/districts/"


def test_a_page_on_another_site_is_refused_and_the_landing_used(client):
    officer = StaffUserFactory.grant_officer()
    response = sign_in(client, officer, "https://evil.example/phish")
    assert response["Location"] == "/grants/review/"
    response = sign_in(client, officer, "//evil.example/")
    assert response["Location"] == "/grants/review/"


def test_opening_the_sign_in_page_when_signed_in_goes_to_the_landing(client):
    client.force_login(StaffUserFactory.grant_approver())
    response = client.get(LOGIN)
    assert response.status_code == 302 and response["Location"] == "/grants/review/"


def test_a_wrong_password_keeps_the_form(client):
    officer = StaffUserFactory.grant_officer()
    response = client.post(LOGIN, {"username": officer.username, "password": "wrong"})
    assert response.status_code == 200
    assert response.context["form"].errors
