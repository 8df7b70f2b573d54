"""The admin's "view on site" address (/admin/r/<type>/<id>/) reveals no record out of scope."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from tests.admin_links import view_on_site_url
from tests.factories import DistrictFactory, LiaisonAssignmentFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def districts():
    return DistrictFactory(), DistrictFactory()


def test_liaison_officer_is_sent_to_their_own_districts_page_only(client, liaison_user, districts):
    own, other = districts
    LiaisonAssignmentFactory(user=liaison_user, district=own)
    client.force_login(liaison_user)

    response = client.get(view_on_site_url(own))
    assert response.status_code == 302
    assert response["Location"].endswith(own.get_absolute_url())
    assert client.get(view_on_site_url(other)).status_code == 404
    assert client.get(view_on_site_url(own, pk=999999)).status_code == 404
    assert client.get(view_on_site_url(own, pk="abc")).status_code == 404


def test_liaison_officer_gets_404_for_a_table_outside_their_work(client, liaison_user, districts):
    own, _other = districts
    LiaisonAssignmentFactory(user=liaison_user, district=own)
    client.force_login(liaison_user)
    user_type = ContentType.objects.get(app_label="auth", model="user")
    # Users have no public page, and the officer may not see them in the admin: 404 either way.
    assert client.get(f"/admin/r/{user_type.pk}/{liaison_user.pk}/").status_code == 404
    assert client.get(f"/admin/r/999999/{own.pk}/").status_code == 404
    assert client.get(f"/admin/r/abc/{own.pk}/").status_code == 404


def test_superuser_is_sent_to_any_districts_page(client, superuser, districts):
    client.force_login(superuser)
    for district in districts:
        response = client.get(view_on_site_url(district))
        assert response.status_code == 302
        assert response["Location"].endswith(district.get_absolute_url())


def test_signed_out_and_non_staff_visitors_are_sent_to_sign_in(client, districts):
    own, _other = districts
    url = view_on_site_url(own)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))

    client.force_login(UserFactory())
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
