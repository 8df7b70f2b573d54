"""The council's public contact address, typed with full-width marks, is saved as it is sent."""

import pytest

from core import roles
from tests.factories import CouncilFactory, UserFactory

pytestmark = pytest.mark.django_db

VALID = {
    "introduction": "防災訓練と見守り活動に取り組んでいます。",
    "contact_name": "桜台まちづくり協議会事務局",
    "contact_phone": "027-123-4567",
}


@pytest.fixture
def council():
    return CouncilFactory(established=True, district__slug="sakuradai")


@pytest.fixture
def coordinator(client, council):
    user = UserFactory(username="coord", groups=[roles.COORDINATORS])
    council.coordinators.add(user)
    client.force_login(user)
    return user


def url(council) -> str:
    return f"/councils/{council.pk}/profile/"


@pytest.mark.parametrize(
    ("typed", "saved"),
    [
        ("sakuradai＠example．jp", "sakuradai@example.jp"),
        ("ｓａｋｕｒａｄａｉ＠ＥＸＡＭＰＬＥ．ＪＰ", "sakuradai@example.jp"),
        (" Sakura.Dai@Example.JP　", "Sakura.Dai@example.jp"),
        ("sakuraーdai＠example。jp", "sakura-dai@example.jp"),
    ],
)
def test_a_full_width_address_is_saved_normalised(client, council, coordinator, typed, saved):
    response = client.post(url(council), {**VALID, "contact_email": typed})

    assert response.status_code == 302
    council.refresh_from_db()
    assert council.contact_email == saved


def test_a_bad_address_is_refused_beside_the_field_and_kept(client, council, coordinator):
    response = client.post(url(council), {**VALID, "contact_email": "sakuradai＠example"})

    assert response.status_code == 200
    text = response.content.decode()
    assert 'id="id_contact_email_error"' in text
    assert "office@example.jp" in text
    assert 'value="sakuradai＠example"' in text
    assert 'type="text"' in text and 'inputmode="email"' in text
