"""The city overview and the district page, as residents see them."""

import datetime as dt

import pytest
from django.utils import timezone

from districts.models import CouncilStage, District
from organizations.models import FieldCode, MembershipRole, OrganizationKind
from tests.factories import (
    CouncilFactory,
    DistrictFactory,
    DistrictStatisticFactory,
    LiaisonAssignmentFactory,
    MembershipFactory,
    OfficerFactory,
    OrganizationFactory,
)
from tests.populate import populate_city, populate_district

pytestmark = pytest.mark.django_db

SQUARE = {
    "type": "Polygon",
    "coordinates": [
        [[139.25, 35.7], [139.26, 35.7], [139.26, 35.71], [139.25, 35.71], [139.25, 35.7]]
    ],
}


def page_text(response) -> str:
    return response.content.decode()


class TestOverview:
    def test_counts_districts_per_stage_including_those_without_council(self, client):
        CouncilFactory(stage=CouncilStage.ESTABLISHED, established_on=dt.date(2023, 4, 1))
        CouncilFactory(stage=CouncilStage.ESTABLISHED, established_on=dt.date(2024, 4, 1))
        CouncilFactory(stage=CouncilStage.MODEL)
        DistrictFactory(name="未着手小学校区")
        response = client.get("/")
        assert response.status_code == 200
        counts = {item.stage: item.count for item in response.context["stage_counts"]}
        assert counts == {
            CouncilStage.NOT_STARTED: 1,
            CouncilStage.PREPARING: 0,
            CouncilStage.MODEL: 1,
            CouncilStage.ESTABLISHED: 2,
        }
        assert "未着手小学校区" in page_text(response)

    def test_summary_uses_each_districts_latest_figures(self, client):
        first, second = DistrictFactory(), DistrictFactory()
        DistrictStatisticFactory(
            district=first,
            as_of=dt.date(2025, 4, 1),
            population=1000,
            households=400,
            under_15=100,
            aged_65_over=300,
        )
        DistrictStatisticFactory(
            district=first,
            as_of=dt.date(2026, 4, 1),
            population=900,
            households=400,
            under_15=90,
            aged_65_over=300,
        )
        DistrictStatisticFactory(
            district=second,
            as_of=dt.date(2026, 4, 1),
            population=2100,
            households=900,
            under_15=210,
            aged_65_over=600,
        )
        response = client.get("/")
        summary = response.context["summary"]
        assert summary.population == 3000
        assert str(summary.aging_rate) == "30.0"
        assert "3,000" in page_text(response)

    def test_empty_city_renders(self, client):
        response = client.get("/")
        assert response.status_code == 200
        assert response.context["summary"] is None

    def test_query_count_does_not_grow_with_data(self, client, django_assert_num_queries):
        populate_city(1)
        District.objects.update(boundary=SQUARE)
        # 3, and 1 for the districts' outlines: the map is drawn anew after every change.
        with django_assert_num_queries(4):
            client.get("/")
        populate_city(9)
        District.objects.update(boundary=SQUARE)
        with django_assert_num_queries(4):
            response = client.get("/")
        assert response.context["district_total"] == 50
        assert response.context["city_map"].drawn == 50

    def test_map_once_drawn_adds_no_query(self, client, settings, django_assert_num_queries):
        settings.PUBLIC_PAGE_CACHE_SECONDS = 0  # the page itself is rendered every time
        populate_city(1)
        District.objects.update(boundary=SQUARE)
        client.get("/")
        with django_assert_num_queries(3):
            response = client.get("/")
        assert response.context["city_map"].drawn == 5
        assert 'class="map-link"' in page_text(response)


class TestDistrictPage:
    @pytest.fixture
    def district(self):
        council = CouncilFactory(
            established=True,
            name="桜台まちづくり協議会",
            contact_phone="0000-11-2222",
            district__name="桜台小学校区",
            district__slug="sakuradai",
            district__school_name="みどり野市立桜台小学校",
            district__hub_name="桜台地区市民センター",
        )
        return council.district

    def test_shows_school_hub_council_and_stage(self, client, district):
        response = client.get("/districts/sakuradai/")
        text = page_text(response)
        assert response.status_code == 200
        for expected in (
            "桜台小学校区",
            "みどり野市立桜台小学校",
            "桜台地区市民センター",
            "桜台まちづくり協議会",
            "0000-11-2222",
        ):
            assert expected in text

    def test_groups_by_kind_only_published(self, client, district):
        OrganizationFactory(name="桜台一丁目自治会", districts=[district])
        OrganizationFactory(name="桜台小PTA", kind=OrganizationKind.PTA, districts=[district])
        OrganizationFactory(name="非公開の会", districts=[district], is_published=False)
        OrganizationFactory(name="よその自治会", districts=[DistrictFactory()])
        text = page_text(client.get("/districts/sakuradai/"))
        assert "桜台一丁目自治会" in text and "桜台小PTA" in text
        assert "非公開の会" not in text
        assert "よその自治会" not in text

    def test_member_groups_are_marked(self, client, district):
        MembershipFactory(organization__name="加盟している会", council=district.council)
        OrganizationFactory(name="加盟していない会", districts=[district])
        response = client.get("/districts/sakuradai/")
        text = page_text(response)
        member_block = text.split("加盟している会")[1].split("</li>")[0]
        assert "badge--member" in member_block
        other_block = text.split("加盟していない会")[1].split("</li>")[0]
        assert "badge--member" not in other_block

    def test_only_todays_full_seats_are_marked_and_fields_show_in_field_order(
        self, client, district
    ):
        MembershipFactory(
            organization__name="退会した会",
            council=district.council,
            end_on=timezone.localdate() - dt.timedelta(days=1),
        )
        MembershipFactory(
            organization__name="助言する会", council=district.council, role=MembershipRole.ADVISOR
        )
        OrganizationFactory(
            name="分野のある会",
            districts=[district],
            fields=[FieldCode.COMMUNITY, FieldCode.DISASTER],
        )
        text = page_text(client.get("/districts/sakuradai/"))
        for name in ("退会した会", "助言する会"):
            assert "badge--member" not in text.split(name)[1].split("</li>")[0]
        tags = text.split("分野のある会")[1].split("</li>")[0]
        assert tags.index("防災") < tags.index("コミュニティづくり")

    def test_only_public_current_officers_and_never_private_contact(self, client, district):
        OfficerFactory(
            of_council=True,
            council=district.council,
            person_name="公開 太郎",
            name_is_public=True,
            private_phone="0000-99-8888",
            private_email="secret@example.jp",
        )
        OfficerFactory(
            of_council=True,
            council=district.council,
            person_name="非公開 花子",
            name_is_public=False,
        )
        OfficerFactory(
            of_council=True,
            council=district.council,
            person_name="前任 次郎",
            name_is_public=True,
            term_start=dt.date(2020, 4, 1),
            term_end=dt.date(2022, 3, 31),
        )
        text = page_text(client.get("/districts/sakuradai/"))
        assert "公開 太郎" in text
        assert "非公開 花子" not in text
        assert "前任 次郎" not in text
        assert "0000-99-8888" not in text and "secret@example.jp" not in text

    def test_statistics_trend_has_chart_and_table(self, client, district):
        for year, population in ((2024, 8200), (2025, 8100), (2026, 8000)):
            DistrictStatisticFactory(
                district=district,
                as_of=dt.date(year, 4, 1),
                population=population,
                households=3500,
                under_15=800,
                aged_65_over=2400,
            )
        response = client.get("/districts/sakuradai/")
        text = page_text(response)
        assert text.count('<figure class="chart">') == 2
        assert 'role="img"' in text
        assert "8,200" in text and "8,000" in text
        assert "30.0%" in text  # 2400 / 8000

    def test_statistics_show_the_latest_ten_and_the_csv_has_every_figure(
        self, client, district, django_assert_num_queries
    ):
        for year in range(2012, 2027):  # fifteen figures, 1,000 more residents each year
            DistrictStatisticFactory(
                district=district, as_of=dt.date(year, 4, 1), population=year * 10 - 12_000
            )
        response = client.get("/districts/sakuradai/")
        sections = dict((section.key, context) for section, context in response.context["sections"])
        shown = [row.as_of.year for row in sections["statistics"]["statistics"]]
        assert shown == list(range(2017, 2027))
        assert len(sections["statistics"]["population_chart"].points) == 10
        text = page_text(response)
        assert "最新の10件" in text
        assert 'href="/districts/sakuradai/population.csv"' in text

        with django_assert_num_queries(2):
            csv_response = client.get("/districts/sakuradai/population.csv")
        body = b"".join(csv_response.streaming_content).decode("utf-8")
        assert csv_response["Content-Type"] == "text/csv; charset=utf-8"
        assert 'filename="sakuradai-population.csv"' in csv_response["Content-Disposition"]
        lines = body.split("\r\n")
        assert lines[0] == "\ufeff基準日,人口,世帯数,15歳未満,65歳以上,高齢化率（%）"
        assert lines[1] == "2012-04-01,8120,3500,900,2400,29.6"
        assert len([line for line in lines if line]) == 16

    def test_no_note_of_earlier_figures_when_all_are_shown(self, client, district):
        for year in range(2017, 2027):
            DistrictStatisticFactory(district=district, as_of=dt.date(year, 4, 1))
        text = page_text(client.get("/districts/sakuradai/"))
        assert "最新の10件" not in text
        assert 'href="/districts/sakuradai/population.csv"' in text

    def test_population_csv_of_an_unknown_district_is_not_found(self, client, district):
        assert client.get("/districts/no-such-district/population.csv").status_code == 404
        assert client.post("/districts/sakuradai/population.csv").status_code == 405
        empty = client.get("/districts/sakuradai/population.csv")
        assert b"".join(empty.streaming_content).decode("utf-8").count("\r\n") == 1

    def test_current_liaison_public_contact(self, client, district):
        LiaisonAssignmentFactory(
            district=district, public_name="協働 一郎", public_phone="0000-22-3333"
        )
        LiaisonAssignmentFactory(district=district, public_name="前任 職員", ended=True)
        text = page_text(client.get("/districts/sakuradai/"))
        assert "協働 一郎" in text and "0000-22-3333" in text
        assert "前任 職員" not in text

    def test_district_without_council(self, client):
        DistrictFactory(slug="mikaichi", name="未開地小学校区")
        response = client.get("/districts/mikaichi/")
        assert response.status_code == 200
        assert response.context["district"].council_or_none is None

    def test_unknown_district_is_404(self, client):
        response = client.get("/districts/no-such-district/")
        assert response.status_code == 404
        assert "Page not found" in page_text(response) or "ページが見つかりません" in page_text(
            response
        )

    def test_query_count_does_not_grow_with_data(self, client, district, django_assert_num_queries):
        District.objects.filter(pk=district.pk).update(boundary=SQUARE)
        populate_district(district, 1)
        # 10, and 1 for the outlines of the map: it is drawn anew after every change.
        with django_assert_num_queries(11):
            client.get("/districts/sakuradai/")
        populate_district(district, 10)
        with django_assert_num_queries(11):
            response = client.get("/districts/sakuradai/")
        assert len(response.context["sections"]) == 7

    def test_map_once_drawn_adds_no_query(
        self, client, district, settings, django_assert_num_queries
    ):
        settings.PUBLIC_PAGE_CACHE_SECONDS = 0  # the page itself is rendered every time
        District.objects.filter(pk=district.pk).update(boundary=SQUARE)
        populate_district(district, 1)
        client.get("/districts/sakuradai/")
        with django_assert_num_queries(10):
            response = client.get("/districts/sakuradai/")
        assert response.context["sections"][0][0].key == "map"
        assert 'id="map-heading"' in page_text(response)

    def test_no_map_section_without_a_boundary(self, client, district):
        response = client.get("/districts/sakuradai/")
        assert "map" not in [section.key for section, _context in response.context["sections"]]


def test_today_is_in_the_tokyo_zone():
    assert str(timezone.get_current_timezone()) == "Asia/Tokyo"


def test_server_error_page_in_the_site_style(client, monkeypatch):
    def broken():
        raise RuntimeError("database exploded")

    monkeypatch.setattr("districts.selectors.district_list", broken)
    client.raise_request_exception = False
    response = client.get("/districts/")
    text = page_text(response)
    assert response.status_code == 500
    assert "エラーが発生しました" in text and "Server error" in text
    assert "css/site.css" in text
    assert "database exploded" not in text


def test_not_found_page_in_the_site_style(client):
    response = client.get("/no/such/page/")
    text = page_text(response)
    assert response.status_code == 404
    assert "ページが見つかりません" in text
    assert 'href="/districts/"' in text
