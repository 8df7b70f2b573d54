"""The directory of groups and a group's page."""

import datetime as dt

import pytest

from organizations.models import FieldCode, OrganizationKind
from tests.factories import (
    CouncilFactory,
    DistrictFactory,
    DistrictStatisticFactory,
    MembershipFactory,
    OfficerFactory,
    OrganizationFactory,
)
from tests.populate import populate_city

pytestmark = pytest.mark.django_db


def names(response) -> list[str]:
    return [group.name for group in response.context["page"].object_list]


class TestDirectory:
    @pytest.fixture
    def city(self):
        sakura = DistrictFactory(slug="sakuradai", name="桜台小学校区")
        aoba = DistrictFactory(slug="aoba", name="青葉小学校区")
        OrganizationFactory(
            name="桜台一丁目自治会",
            name_kana="さくらだいいっちょうめじちかい",
            districts=[sakura],
            fields=[FieldCode.DISASTER],
        )
        OrganizationFactory(
            name="青葉小学校PTA",
            name_kana="あおばしょうがっこうぴーてぃーえー",
            kind=OrganizationKind.PTA,
            districts=[aoba],
            fields=[FieldCode.EDUCATION, FieldCode.CHILDCARE],
        )
        OrganizationFactory(
            name="みどり野防災ネット",
            name_kana="みどりのぼうさいねっと",
            kind=OrganizationKind.NPO,
            districts=[sakura, aoba],
            fields=[FieldCode.DISASTER, FieldCode.COMMUNITY],
        )
        OrganizationFactory(
            name="非公開の会", name_kana="ひこうかいのかい", districts=[sakura], is_published=False
        )
        return sakura, aoba

    def test_lists_published_groups_in_kana_order(self, client, city):
        response = client.get("/organizations/")
        assert response.status_code == 200
        assert names(response) == ["青葉小学校PTA", "桜台一丁目自治会", "みどり野防災ネット"]

    @pytest.mark.parametrize(
        ("params", "expected"),
        [
            ({"kind": "pta"}, ["青葉小学校PTA"]),
            ({"district": "sakuradai"}, ["桜台一丁目自治会", "みどり野防災ネット"]),
            ({"field": "disaster"}, ["桜台一丁目自治会", "みどり野防災ネット"]),
            ({"field": "disaster", "district": "aoba"}, ["みどり野防災ネット"]),
            ({"q": "防災"}, ["みどり野防災ネット"]),
            ({"q": "ＰＴＡ"}, ["青葉小学校PTA"]),  # full-width typed
            ({"q": "サクラダイ"}, ["桜台一丁目自治会"]),  # katakana matches the reading
            ({"q": "ひこうかい"}, []),
            ({"q": "桜台　自治会"}, ["桜台一丁目自治会"]),  # words in any order, full-width space
            ({"q": "自治会 青葉"}, []),
        ],
    )
    def test_filters(self, client, city, params, expected):
        response = client.get("/organizations/", params)
        assert response.status_code == 200
        assert names(response) == expected
        assert response.context["filtered"] is True

    def test_a_group_in_two_matching_districts_is_listed_once(self, client, city):
        response = client.get("/organizations/", {"field": "disaster"})
        assert names(response).count("みどり野防災ネット") == 1

    @pytest.mark.parametrize(
        "params",
        [
            {"kind": "nonsense"},
            {"district": "no-such-district"},
            {"field": "<script>alert(1)</script>"},
            {"q": "x" * 500},
            {"q": "\x00"},
            {"page": "abc"},
            {"page": "99999"},
            {"page": "-3"},
            {"kind": ["pta", "npo"]},
        ],
    )
    def test_nonsense_parameters_give_a_normal_page(self, client, city, params):
        response = client.get("/organizations/", params)
        assert response.status_code == 200
        assert "<script>alert(1)</script>" not in response.content.decode()

    def test_bad_filter_is_reported_next_to_the_field_and_others_still_apply(self, client, city):
        response = client.get("/organizations/", {"kind": "nonsense", "district": "aoba"})
        text = response.content.decode()
        assert 'id="id_kind_error"' in text
        assert "種別は一覧から選んでください。" in text
        assert 'aria-invalid="true"' in text
        assert names(response) == ["青葉小学校PTA", "みどり野防災ネット"]
        # What was typed is kept in the form.
        assert 'value="aoba" selected' in text

    def test_search_text_is_kept(self, client, city):
        text = client.get("/organizations/", {"q": "防災"}).content.decode()
        assert 'value="防災"' in text

    def test_pagination_keeps_the_filters(self, client):
        district = DistrictFactory(slug="big")
        for _ in range(45):
            OrganizationFactory(districts=[district])
        response = client.get("/organizations/", {"district": "big", "page": "2"})
        assert response.context["page"].number == 2
        assert len(names(response)) == 20
        assert "district=big&amp;page=3" in response.content.decode()

    def test_query_count_does_not_grow_with_data(self, client, django_assert_num_queries):
        populate_city(1)
        with django_assert_num_queries(5):
            client.get("/organizations/", {"field": "disaster"})
        populate_city(9)
        with django_assert_num_queries(5):
            response = client.get("/organizations/", {"field": "disaster"})
        assert response.context["page"].paginator.count > 20


class TestGroupPage:
    def test_shows_the_group_its_districts_fields_and_public_officers(self, client):
        district = DistrictFactory(name="桜台小学校区")
        group = OrganizationFactory(
            name="桜台一丁目自治会",
            districts=[district],
            fields=[FieldCode.DISASTER],
            description="防災訓練を毎年実施",
            website="https://example.jp/sakura1",
        )
        OfficerFactory(
            organization=group,
            person_name="公開 太郎",
            name_is_public=True,
            private_phone="0000-99-8888",
        )
        OfficerFactory(organization=group, person_name="非公開 花子", name_is_public=False)
        response = client.get(f"/organizations/{group.pk}/")
        text = response.content.decode()
        assert response.status_code == 200
        for expected in (
            "桜台一丁目自治会",
            "桜台小学校区",
            "防災訓練を毎年実施",
            "https://example.jp/sakura1",
            "公開 太郎",
        ):
            assert expected in text
        assert "非公開 花子" not in text
        assert "0000-99-8888" not in text

    def test_membership_rate_of_a_neighborhood_association(self, client):
        district = DistrictFactory()
        DistrictStatisticFactory(
            district=district,
            as_of=dt.date(2026, 4, 1),
            households=400,
            population=1000,
            under_15=100,
            aged_65_over=300,
        )
        group = OrganizationFactory(districts=[district], member_households=300)
        response = client.get(f"/organizations/{group.pk}/")
        assert "75.0%" in response.content.decode()

    def test_council_seats_are_listed(self, client):
        council = CouncilFactory(name="桜台まちづくり協議会")
        membership = MembershipFactory(council=council)
        MembershipFactory(
            organization=membership.organization,
            council=CouncilFactory(name="退会した協議会"),
            start_on=dt.date(2020, 4, 1),
            end_on=dt.date(2021, 3, 31),
        )
        text = client.get(f"/organizations/{membership.organization.pk}/").content.decode()
        assert "桜台まちづくり協議会" in text
        assert "退会した協議会" not in text

    def test_unpublished_group_is_404(self, client):
        group = OrganizationFactory(is_published=False)
        assert client.get(f"/organizations/{group.pk}/").status_code == 404

    def test_unknown_group_is_404(self, client):
        assert client.get("/organizations/999999/").status_code == 404
        assert client.get("/organizations/abc/").status_code == 404

    def test_query_count_does_not_grow_with_data(self, client, django_assert_num_queries):
        district = DistrictFactory()
        DistrictStatisticFactory(district=district)
        group = OrganizationFactory(districts=[district], member_households=100)
        council = CouncilFactory(district=district)
        MembershipFactory(organization=group, council=council)
        OfficerFactory(organization=group, name_is_public=True)
        with django_assert_num_queries(6):
            client.get(f"/organizations/{group.pk}/")
        for _ in range(10):
            other = DistrictFactory()
            group.districts.add(other)
            DistrictStatisticFactory(district=other)
            MembershipFactory(organization=group, council=CouncilFactory(district=other))
            OfficerFactory(organization=group, name_is_public=True)
            group.fields.add(*[f for f in group.fields.model.objects.all()][:3])
        with django_assert_num_queries(6):
            client.get(f"/organizations/{group.pk}/")
