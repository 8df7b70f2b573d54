"""The public directory finds a group however its name's numbers and letters are written."""

import pytest

from tests.factories import DistrictFactory, OrganizationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def groups():
    sakura = DistrictFactory(slug="sakuradai", name="桜台小学校区")
    OrganizationFactory(
        name="桜台二丁目自治会", name_kana="さくらだいにちょうめじちかい", districts=[sakura]
    )
    OrganizationFactory(
        name="KIZUNA子ども食堂", name_kana="きずなこどもしょくどう", districts=[sakura]
    )
    OrganizationFactory(
        name="桜台３丁目老人会", name_kana="さくらだいさんちょうめろうじんかい", districts=[sakura]
    )


def names(response) -> list[str]:
    return [group.name for group in response.context["page"].object_list]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("桜台2丁目", ["桜台二丁目自治会"]),
        ("桜台２丁目", ["桜台二丁目自治会"]),
        ("桜台二丁目", ["桜台二丁目自治会"]),
        ("桜台三丁目", ["桜台３丁目老人会"]),
        ("桜台3丁目", ["桜台３丁目老人会"]),
        ("ＫＩＺＵＮＡ", ["KIZUNA子ども食堂"]),
        ("ｋｉｚｕｎａ", ["KIZUNA子ども食堂"]),
        ("kizuna", ["KIZUNA子ども食堂"]),
    ],
)
def test_numbers_and_letters_are_found_in_any_width(client, groups, query, expected):
    response = client.get("/organizations/", {"q": query})
    assert response.status_code == 200
    assert names(response) == expected
