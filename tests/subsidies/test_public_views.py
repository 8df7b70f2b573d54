"""The residents' grant pages: /grants/, /grants/<fy>/, its CSV and the district page's section."""

import csv
import io
import re

import pytest
from django.utils import timezone

from core.dates import (
    fiscal_year_range,
    format_fiscal_year,
    format_short_date,
    format_wareki_date,
)
from districts.models import District
from plans.models import Plan, PlanStage
from subsidies.models import (
    Allocation,
    AllocationComponent,
    Application,
    ComponentKind,
    FormulaComponent,
    LegacySubsidy,
    ProgramYear,
    State,
)
from subsidies.selectors.public import district_grants, year_totals
from tests.factories import DistrictFactory
from tests.plans.factories import InitiativeFactory, PlanFactory
from tests.subsidies.factories import GrantYearFactory, Staff, application_in, make_applicant

pytestmark = pytest.mark.django_db

# States in which nothing of an application is public.
UNDECIDED_STATES = [
    State.DRAFT,
    State.SUBMITTED,
    State.RETURNED,
    State.RECOMMENDED,
    State.REJECTED,
    State.WITHDRAWN,
]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def text_of(response) -> str:
    return response.content.decode()


@pytest.fixture
def year():
    return GrantYearFactory()


@pytest.fixture
def staff():
    return Staff()


def with_breakdown(application, *, adjustment: int = 0, reason: str = "") -> Allocation:
    """Give the application's allocation a two-part formula breakdown (均等割 + 世帯割)."""
    allocation = Allocation.objects.get(
        program_year=application.program_year, district=application.council.district
    )
    year = allocation.program_year
    fixed, _ = FormulaComponent.objects.get_or_create(
        program_year=year, kind=ComponentKind.FIXED, label="均等割", rate=340_000, order=1
    )
    per_household, _ = FormulaComponent.objects.get_or_create(
        program_year=year, kind=ComponentKind.PER_HOUSEHOLD, label="世帯割", rate=300, order=2
    )
    AllocationComponent.objects.create(
        allocation=allocation, component=fixed, quantity=1, amount=340_000
    )
    AllocationComponent.objects.create(
        allocation=allocation, component=per_household, quantity=2200, amount=660_000
    )
    if adjustment:
        Allocation.objects.filter(pk=allocation.pk).update(
            adjustment=adjustment, adjustment_reason=reason
        )
    allocation.refresh_from_db()
    return allocation


# /grants/ ------------------------------------------------------------------------------------


class TestIndex:
    def test_program_what_it_replaced_years_and_this_years_summary(self, client, year, staff):
        LegacySubsidy.objects.create(
            program=year.program,
            name="敬老会補助金",
            former_department="高齢福祉課",
            former_yearly_amount=1_200_000,
        )
        LegacySubsidy.objects.create(
            program=year.program,
            name="防犯灯維持管理補助金",
            former_department="危機管理課",
            former_yearly_amount=3_400_000,
            order=1,
        )
        GrantYearFactory(program=year.program, fiscal_year=year.fiscal_year - 1)
        application_in(State.APPROVED, year, staff=staff, grant=600_000, granted=555_000)
        application_in(State.SUBMITTED, year, staff=staff, grant=432_000)
        response = client.get("/grants/")
        text = text_of(response)
        assert response.status_code == 200
        assert year.program.purpose in text
        for expected in ("敬老会補助金", "高齢福祉課", "1,200,000", "防犯灯維持管理補助金"):
            assert expected in text
        assert "4,600,000" in text  # the replaced subsidies' total
        assert f'href="/grants/{year.fiscal_year}/"' in text
        assert f'href="/grants/{year.fiscal_year - 1}/"' in text
        totals = response.context["overview"].current_totals
        assert totals.budget == 50_000_000
        assert totals.allocated == 2_000_000
        assert totals.granted == 555_000 and totals.decided_count == 1
        assert "555,000" in text and "50,000,000" in text
        assert "432,000" not in text

    def test_renders_before_the_program_is_set_up(self, client):
        response = client.get("/grants/")
        assert response.status_code == 200
        assert response.context["overview"].program is None

    def test_open_to_residents_and_only_for_reading(self, client, year):
        assert client.get("/grants/").status_code == 200
        assert client.post("/grants/").status_code == 405

    def test_header_marks_the_grants_link(self, client, year):
        assert re.search(
            r'<a href="/grants/" aria-current="page">', text_of(client.get("/grants/"))
        )
        page = text_of(client.get(f"/grants/{year.fiscal_year}/"))
        assert re.search(r'<a href="/grants/" aria-current="true">', page)
        assert re.search(r'<a href="/grants/">', text_of(client.get("/")))

    def test_header_marks_the_grants_link_on_a_districts_grant_pages(self, client, year, staff):
        application, _, _ = application_in(State.APPROVED, year, staff=staff)
        slug = application.council.district.slug
        for path in (f"/grants/districts/{slug}/", f"/grants/{year.fiscal_year}/districts/{slug}/"):
            page = text_of(client.get(path))
            assert re.search(r'<a href="/grants/" aria-current="true">', page), path

    def test_query_count_does_not_grow_with_data(self, client, year, django_assert_num_queries):
        def populate(n: int) -> None:
            start = LegacySubsidy.objects.count()
            for i in range(start, start + n):
                LegacySubsidy.objects.create(
                    program=year.program,
                    name=f"旧補助金{i}",
                    former_department="課",
                    former_yearly_amount=100_000,
                )
                GrantYearFactory(program=year.program, fiscal_year=2000 + i)
                make_applicant(year)

        populate(1)
        with django_assert_num_queries(5):
            client.get("/grants/")
        populate(9)
        with django_assert_num_queries(5):
            response = client.get("/grants/")
        assert len(response.context["overview"].legacy_subsidies) == 10
        assert len(response.context["overview"].years) == 11


# /grants/<fy>/ -------------------------------------------------------------------------------


def summary_of(response) -> str:
    """The year page's table of districts."""
    return text_of(response).split('id="summary"')[1].split("</table>")[0]


class TestYearPage:
    def test_one_row_per_district_linking_its_breakdown(self, client, year, staff):
        application, _, _ = application_in(State.APPROVED, year, staff=staff, allocation=960_000)
        with_breakdown(application, adjustment=40_000, reason="防犯灯の増設分を加算")
        district = application.council.district
        response = client.get(f"/grants/{year.fiscal_year}/")
        summary = summary_of(response)
        assert f'href="/grants/{year.fiscal_year}/districts/{district.slug}/"' in summary
        assert district.name in summary
        assert "1,000,000" in summary  # the allocation after the adjustment
        # The breakdown, the adjustment and the activities are on the district's own page.
        text = text_of(response)
        for detail in ("2,200", "660,000", "防犯灯の増設分を加算", "地区防災訓練"):
            assert detail not in text
        assert 'id="districts"' not in text
        [row] = response.context["page"].rows
        assert row.allocation == 1_000_000 and row.grant.granted == 600_000

    def test_formula_components_of_the_year(self, client, year, staff):
        application, _, _ = application_in(State.APPROVED, year, staff=staff)
        with_breakdown(application)
        text = text_of(client.get(f"/grants/{year.fiscal_year}/"))
        formula = text.split('id="formula"')[1].split("</section>")[0]
        assert "均等割" in formula and "世帯割" in formula and "340,000" in formula

    def test_decided_grant_with_state_and_date(self, client, year, staff):
        application_in(State.APPROVED, year, staff=staff, grant=600_000, granted=555_000)
        summary = summary_of(client.get(f"/grants/{year.fiscal_year}/"))
        assert "555,000" in summary
        assert str(State.APPROVED.label) in summary
        assert format_short_date(timezone.localdate()) in summary

    @pytest.mark.parametrize("state", UNDECIDED_STATES)
    def test_undecided_applications_stay_private(self, client, year, staff, state):
        application, _, _ = application_in(state, year, staff=staff, grant=432_000)
        response = client.get(f"/grants/{year.fiscal_year}/")
        text = text_of(response)
        assert response.status_code == 200
        assert "432,000" not in text
        assert application.council.name not in text
        assert "地区防災訓練" not in text
        assert str(State(state).label) not in text
        row = response.context["page"].rows[0]
        assert row.allocation == 1_000_000 and row.grant is None

    def test_settled_grant_shows_confirmed_amount_and_refund(self, client, year, staff):
        application, _, _ = application_in(State.SETTLED, year, staff=staff)
        # Less was eligible than paid: part of the grant comes back.
        Application.objects.filter(pk=application.pk).update(
            confirmed_amount=480_000, refund_amount=120_000
        )
        response = client.get(f"/grants/{year.fiscal_year}/")
        summary = summary_of(response)
        assert "480,000" in summary and "120,000" in summary
        assert response.context["page"].totals.settled == 480_000
        assert response.context["page"].totals.settled_count == 1

    def test_no_confirmed_amount_or_refund_before_settlement(self, client, year, staff):
        application_in(State.REPORT_ACCEPTED, year, staff=staff, grant=600_000)
        response = client.get(f"/grants/{year.fiscal_year}/")
        grant = response.context["page"].rows[0].grant
        assert grant.state == State.REPORT_ACCEPTED
        assert grant.confirmed is None and grant.refund is None
        assert response.context["page"].totals.settled == 0
        assert summary_of(response).split("<tbody>")[1].count("—") == 2

    def test_cancelled_grant_shows_the_amount_to_return(self, client, year, staff):
        application, _, _ = application_in(State.CANCELLED, year, staff=staff, grant=200_000)
        Application.objects.filter(pk=application.pk).update(refund_amount=150_000)
        response = client.get(f"/grants/{year.fiscal_year}/")
        assert str(State.CANCELLED.label) in summary_of(response)
        assert "150,000" in summary_of(response)
        assert response.context["page"].has_cancelled

    def test_year_totals(self, client, year, staff):
        application_in(State.APPROVED, year, staff=staff, grant=600_000, granted=500_000)
        application_in(State.PAID, year, staff=staff, grant=300_000)
        application_in(State.SUBMITTED, year, staff=staff, grant=432_000)
        application_in(State.CANCELLED, year, staff=staff, grant=200_000)
        settled, _, _ = application_in(State.SETTLED, year, staff=staff, grant=400_000)
        Application.objects.filter(pk=settled.pk).update(
            confirmed_amount=350_000, refund_amount=50_000
        )
        make_applicant(year, allocation=700_000)  # allocated, never applied
        response = client.get(f"/grants/{year.fiscal_year}/")
        totals = response.context["page"].totals
        assert totals.budget == 50_000_000
        assert totals.allocated == 5_700_000 and totals.district_count == 6
        assert totals.granted == 1_200_000  # the cancelled grant is not counted
        assert totals.decided_count == 3
        assert totals.settled == 350_000 and totals.settled_count == 1
        # The sums taken from the rows are those the database adds up for /grants/.
        assert totals == year_totals(year)
        text = text_of(response)
        assert "1,200,000" in text and "5,700,000" in text
        assert str(State.CANCELLED.label) in text

    def test_rows_in_kana_order(self, client, year, staff):
        for kana in ("わかば", "あさひ", "みどり"):
            council, _ = make_applicant(year)
            District.objects.filter(pk=council.district_id).update(name_kana=kana)
        rows = client.get(f"/grants/{year.fiscal_year}/").context["page"].rows
        kana_of = dict(District.objects.values_list("name", "name_kana"))
        assert [kana_of[row.district_name.japanese] for row in rows] == [
            "あさひ",
            "みどり",
            "わかば",
        ]

    def test_decided_grant_without_an_allocation_still_has_its_row(self, client, year, staff):
        application, _, _ = application_in(State.APPROVED, year, staff=staff, granted=450_000)
        Allocation.objects.all().delete()
        response = client.get(f"/grants/{year.fiscal_year}/")
        [row] = response.context["page"].rows
        assert row.allocation is None and row.grant.granted == 450_000
        assert response.context["page"].totals.district_count == 0
        assert application.council.district.name in summary_of(response)

    def test_links_to_the_csv(self, client, year):
        text = text_of(client.get(f"/grants/{year.fiscal_year}/"))
        assert f'href="/grants/{year.fiscal_year}/grants.csv"' in text

    def test_year_without_program_year_is_404(self, client, year):
        assert client.get(f"/grants/{year.fiscal_year + 5}/").status_code == 404

    def test_query_count_does_not_grow_with_data(
        self, client, year, staff, django_assert_num_queries
    ):
        def populate(n: int) -> None:
            for _ in range(n):
                application, _, _ = application_in(State.APPROVED, year, staff=staff)
                with_breakdown(application)
                application_in(State.SUBMITTED, year, staff=staff)

        populate(1)
        # The year, its formula components, and one row per district with its grant.
        with django_assert_num_queries(3):
            client.get(f"/grants/{year.fiscal_year}/")
        populate(9)
        with django_assert_num_queries(3):
            response = client.get(f"/grants/{year.fiscal_year}/")
        assert len(response.context["page"].rows) == 20


# /grants/<fy>/grants.csv ---------------------------------------------------------------------


def csv_rows(response) -> list[list[str]]:
    body = b"".join(response.streaming_content)
    assert body.startswith(b"\xef\xbb\xbf")
    text = body.decode("utf-8-sig")
    assert "\r\n" in text and "\n" not in text.replace("\r\n", "")
    return list(csv.reader(io.StringIO(text, newline="")))


class TestYearCsv:
    def test_streams_excel_csv_with_a_named_file(self, client, year):
        response = client.get(f"/grants/{year.fiscal_year}/grants.csv")
        assert response.status_code == 200
        assert response.streaming
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        assert (
            response["Content-Disposition"]
            == f'attachment; filename="grants-{year.fiscal_year}.csv"'
        )

    def test_columns_and_public_figures(self, client, year, staff):
        decided, _, _ = application_in(
            State.SETTLED, year, staff=staff, grant=600_000, allocation=960_000
        )
        with_breakdown(decided, adjustment=40_000, reason="防犯灯の増設分を加算")
        undecided, _, _ = application_in(State.SUBMITTED, year, staff=staff, grant=432_000)
        approved, _, _ = application_in(State.APPROVED, year, staff=staff, granted=450_000)
        rows = csv_rows(client.get(f"/grants/{year.fiscal_year}/grants.csv"))
        header, body = rows[0], rows[1:]
        assert len(header) == 9
        assert header[3:5] == ["均等割", "世帯割"]
        assert len(body) == 3
        by_district = {row[0]: row for row in body}
        row = by_district[decided.council.district.name]
        assert row[1] == decided.council.name
        assert row[2:5] == ["1000000", "340000", "660000"]
        assert row[5] == str(State.SETTLED.label)
        assert row[6:] == ["600000", "600000", "0"]
        other = by_district[undecided.council.district.name]
        assert other[2] == "1000000"
        assert other[3:] == ["", "", "", "", "", ""]
        assert "432000" not in ",".join(",".join(r) for r in rows)
        pending = by_district[approved.council.district.name]
        assert pending[5:] == [str(State.APPROVED.label), "450000", "", ""]

    def test_unknown_year_is_404(self, client, year):
        assert client.get(f"/grants/{year.fiscal_year + 5}/grants.csv").status_code == 404

    def test_a_council_name_never_becomes_a_formula(self, client, year, staff):
        application, _, _ = application_in(State.APPROVED, year, staff=staff, granted=450_000)
        council = application.council
        council.name = '=HYPERLINK("http://x","y")'
        council.save(update_fields=["name"])
        [_, row] = csv_rows(client.get(f"/grants/{year.fiscal_year}/grants.csv"))
        assert row[1] == '\'=HYPERLINK("http://x","y")'
        assert row[-3] == "450000"

    def test_one_query_for_the_rows(self, client, year, staff, django_assert_num_queries):
        for _ in range(3):
            application_in(State.APPROVED, year, staff=staff)
        with django_assert_num_queries(3):  # the year, its components, the rows
            response = client.get(f"/grants/{year.fiscal_year}/grants.csv")
            rows = csv_rows(response)
        assert len(rows) == 4


# The district page's grants section ----------------------------------------------------------


def allocate(district, program_year, amount: int = 800_000) -> Allocation:
    return Allocation.objects.create(
        program_year=program_year,
        district=district,
        counts_as_of=fiscal_year_range(program_year.fiscal_year)[0],
        population=5000,
        households=2200,
        computed_amount=amount,
    )


def years_before(year, n: int, district, *, first: int = 1) -> list[ProgramYear]:
    """Program years `first` … `first + n - 1` years before `year`, each allocating
    801,000円, 802,000円 … to the district (so each year's amount is told apart)."""
    years = []
    for back in range(first, first + n):
        earlier = GrantYearFactory(program=year.program, fiscal_year=year.fiscal_year - back)
        allocate(district, earlier, 800_000 + back * 1_000)
        years.append(earlier)
    return years


def grants_section(response) -> dict:
    return dict((s.key, c) for s, c in response.context["sections"])["grants"]


class TestDistrictSection:
    def test_decided_grant_and_activities_with_a_link_to_the_breakdown(self, client, year, staff):
        application, _, _ = application_in(
            State.APPROVED, year, staff=staff, grant=600_000, granted=555_000
        )
        with_breakdown(application)
        district = application.council.district
        response = client.get(f"/districts/{district.slug}/")
        text = text_of(response)
        assert 'id="grants"' in text
        for expected in ("555,000", "地区防災訓練", application.council.name):
            assert expected in text
        # The breakdown is on the district's page for the year, one link away.
        assert "均等割" not in text
        detail = f"/grants/{year.fiscal_year}/districts/{district.slug}/"
        assert f'href="{detail}"' in text
        assert "均等割" in text_of(client.get(detail))
        assert f'href="/grants/{year.fiscal_year}/"' in text
        assert f'href="/grants/districts/{district.slug}/"' in text
        assert grants_section(response)["grants"].current.fiscal_year == year.fiscal_year

    def test_undecided_request_is_never_shown(self, client, year, staff):
        application, _, _ = application_in(State.RECOMMENDED, year, staff=staff, grant=432_000)
        text = text_of(client.get(f"/districts/{application.council.district.slug}/"))
        assert 'id="grants"' in text
        assert "1,000,000" in text  # the allocation is public
        assert "432,000" not in text
        assert "地区防災訓練" not in text

    def test_no_section_without_an_allocation(self, client):
        council, _ = make_applicant(GrantYearFactory())
        Allocation.objects.all().delete()
        response = client.get(f"/districts/{council.district.slug}/")
        assert 'id="grants"' not in text_of(response)
        assert "grants" not in [section.key for section, _ in response.context["sections"]]

    def test_earlier_years_granted_and_confirmed(self, client, year, staff):
        earlier = GrantYearFactory(program=year.program, fiscal_year=year.fiscal_year - 1)
        application, coordinator, _ = application_in(
            State.SETTLED, earlier, staff=staff, grant=480_000
        )
        district = application.council.district
        allocate(district, year, 900_000)
        text = text_of(client.get(f"/districts/{district.slug}/"))
        assert "900,000" in text  # this year's allocation
        assert "480,000" in text  # last year's grant, confirmed
        assert f'href="/grants/{earlier.fiscal_year}/districts/{district.slug}/"' in text

    def test_the_last_five_earlier_years_and_a_link_to_every_year(self, client, year, staff):
        council, _ = make_applicant(year)
        district = council.district
        years_before(year, 8, district)
        response = client.get(f"/districts/{district.slug}/")
        earlier = grants_section(response)["grants"].earlier
        assert [row.fiscal_year for row in earlier] == [year.fiscal_year - n for n in range(1, 6)]
        assert [row.allocation for row in earlier] == [801_000, 802_000, 803_000, 804_000, 805_000]
        text = text_of(response)
        assert format_fiscal_year(year.fiscal_year - 5) in text
        assert "806,000" not in text and format_fiscal_year(year.fiscal_year - 6) not in text
        assert f'href="/grants/districts/{district.slug}/"' in text

    def test_a_year_to_come_does_not_replace_this_year(self, client, year, staff):
        council, _ = make_applicant(year)
        coming = GrantYearFactory(program=year.program, fiscal_year=year.fiscal_year + 1)
        allocate(council.district, coming, 1_111_000)
        years_before(year, 1, council.district)
        response = client.get(f"/districts/{council.district.slug}/")
        grants = grants_section(response)["grants"]
        assert grants.current.fiscal_year == year.fiscal_year
        assert [row.fiscal_year for row in grants.earlier] == [year.fiscal_year - 1]
        assert "1,111,000" not in text_of(response)

    def test_before_the_first_year_begins_the_earliest_year_to_come_is_shown(self, client):
        this_year = GrantYearFactory()
        council, _ = make_applicant(this_year)
        for ahead, amount in ((2, 1_222_000), (1, 1_111_000)):
            coming = GrantYearFactory(
                program=this_year.program, fiscal_year=this_year.fiscal_year + ahead
            )
            allocate(council.district, coming, amount)
        Allocation.objects.filter(program_year=this_year).delete()
        response = client.get(f"/districts/{council.district.slug}/")
        grants = grants_section(response)["grants"]
        assert grants.current.fiscal_year == this_year.fiscal_year + 1
        assert grants.earlier == []
        assert "1,111,000" in text_of(response) and "1,222,000" not in text_of(response)

    def test_query_count_does_not_grow_with_data(
        self, client, year, staff, django_assert_num_queries
    ):
        application, coordinator, _ = application_in(State.APPROVED, year, staff=staff)
        with_breakdown(application)
        district = application.council.district
        url = f"/districts/{district.slug}/"

        page_district = District.objects.select_related("council").get(pk=district.pk)

        years_before(year, 1, district)
        # The grants section: the years with their grants, this year's activities.
        with django_assert_num_queries(2):
            district_grants(page_district)
        with django_assert_num_queries(12):  # one of them the areas section's
            client.get(url)
        years_before(year, 9, district, first=2)
        with django_assert_num_queries(2):
            grants = district_grants(page_district)
        with django_assert_num_queries(12):
            response = client.get(url)
        assert len(grants.earlier) == 5
        assert len(grants_section(response)["grants"].earlier) == 5
        assert ProgramYear.objects.count() == 11

    def test_one_query_without_a_decided_grant(self, client, year, django_assert_num_queries):
        council, _ = make_applicant(year)
        years_before(year, 3, council.district)
        district = District.objects.select_related("council").get(pk=council.district_id)
        with django_assert_num_queries(1):  # the years
            grants = district_grants(district)
        assert grants.current.grant is None and len(grants.earlier) == 3


# /grants/districts/<slug>/ -------------------------------------------------------------------


class TestDistrictHistory:
    def test_every_year_newest_first_with_its_grant(self, client, year, staff):
        earlier = GrantYearFactory(program=year.program, fiscal_year=year.fiscal_year - 1)
        settled, coordinator, _ = application_in(State.SETTLED, earlier, staff=staff, grant=480_000)
        council = settled.council
        allocate(council.district, year, 900_000)
        # Each application brings an adopted plan; the district's first one is superseded.
        Plan.objects.filter(district=council.district).update(stage=PlanStage.SUPERSEDED)
        application_in(
            State.APPROVED,
            year,
            staff=staff,
            council=council,
            coordinator=coordinator,
            granted=555_000,
        )
        years_before(year, 7, council.district, first=2)
        response = client.get(f"/grants/districts/{council.district.slug}/")
        assert response.status_code == 200
        years = response.context["history"].years
        assert [row.fiscal_year for row in years] == [year.fiscal_year - n for n in range(0, 9)]
        assert (years[0].allocation, years[0].grant.granted) == (900_000, 555_000)
        assert years[0].grant.confirmed is None
        assert (years[1].grant.granted, years[1].grant.confirmed) == (480_000, 480_000)
        assert years[8].allocation == 808_000 and years[8].grant is None
        text = text_of(response)
        for row in years:
            assert f'href="/grants/{row.fiscal_year}/districts/{council.district.slug}/"' in text
            assert format_fiscal_year(row.fiscal_year) in text
        for expected in ("900,000", "555,000", "480,000", "808,000", council.district.name):
            assert expected in text
        assert str(State.APPROVED.label) in text and str(State.SETTLED.label) in text
        assert f'href="{council.district.get_absolute_url()}"' in text

    def test_other_districts_are_not_listed(self, client, year, staff):
        mine, _ = make_applicant(year, allocation=900_000)
        application_in(State.APPROVED, year, staff=staff, granted=432_000)
        response = client.get(f"/grants/districts/{mine.district.slug}/")
        [row] = response.context["history"].years
        assert row.allocation == 900_000 and row.grant is None
        assert "432,000" not in text_of(response)

    def test_district_without_grants(self, client):
        district = DistrictFactory()
        response = client.get(f"/grants/districts/{district.slug}/")
        assert response.status_code == 200
        assert response.context["history"].years == []
        assert "<table" not in text_of(response).split("<main")[1]

    def test_unknown_district_is_404(self, client, year):
        assert client.get("/grants/districts/no-such-district/").status_code == 404

    def test_open_to_residents_and_only_for_reading(self, client, year):
        council, _ = make_applicant(year)
        url = f"/grants/districts/{council.district.slug}/"
        assert client.get(url).status_code == 200
        assert client.post(url).status_code == 405

    def test_query_count_does_not_grow_with_data(
        self, client, year, staff, django_assert_num_queries
    ):
        application, coordinator, _ = application_in(State.SETTLED, year, staff=staff)
        district = application.council.district
        url = f"/grants/districts/{district.slug}/"
        years_before(year, 1, district)
        # The district with its council, and every year with its grant.
        with django_assert_num_queries(2):
            client.get(url)
        years_before(year, 9, district, first=2)
        application_in(State.APPROVED, year, staff=staff)  # another district
        with django_assert_num_queries(2):
            response = client.get(url)
        assert len(response.context["history"].years) == 11


# /grants/<fy>/districts/<slug>/ --------------------------------------------------------------


class TestDistrictYearPage:
    def test_breakdown_counts_date_and_adjustment_with_its_reason(self, client, year, staff):
        application, _, _ = application_in(State.APPROVED, year, staff=staff, allocation=960_000)
        with_breakdown(application, adjustment=40_000, reason="防犯灯の増設分を加算")
        district = application.council.district
        response = client.get(f"/grants/{year.fiscal_year}/districts/{district.slug}/")
        text = text_of(response)
        for expected in ("均等割", "340,000", "世帯割", "2,200", "660,000", "960,000"):
            assert expected in text
        assert "防犯灯の増設分を加算" in text and '+<span class="amount">40,000' in text
        assert "1,000,000" in text  # the allocation after the adjustment
        assert format_wareki_date(application.program_year.application_opens_on) not in text
        assert format_wareki_date(Allocation.objects.get().counts_as_of) in text
        shares = response.context["detail"].shares
        assert [(share.label.japanese, share.quantity, share.amount) for share in shares] == [
            ("均等割", 1, 340_000),
            ("世帯割", 2200, 660_000),
        ]

    def test_no_adjustment_row_when_there_is_none(self, client, year, staff):
        application, _, _ = application_in(State.APPROVED, year, staff=staff)
        with_breakdown(application)
        district = application.council.district
        response = client.get(f"/grants/{year.fiscal_year}/districts/{district.slug}/")
        assert response.context["detail"].allocation.adjustment == 0
        assert "+0" not in text_of(response)

    def test_decided_grant_with_date_and_activities_linking_public_plans(self, client, year, staff):
        application, _, _ = application_in(
            State.APPROVED, year, staff=staff, grant=600_000, granted=555_000
        )
        initiative = application.versions.get().plan_rows.get().initiatives.get()
        district = application.council.district
        text = text_of(client.get(f"/grants/{year.fiscal_year}/districts/{district.slug}/"))
        assert application.council.name in text
        assert "555,000" in text
        assert format_wareki_date(timezone.localdate()) in text
        assert "地区防災訓練" in text and "9月 第1日曜日" in text
        assert f'href="/plans/{initiative.plan_id}/#initiative-{initiative.pk}"' in text
        assert initiative.title in text

    def test_initiatives_of_a_draft_plan_are_not_shown(self, client, year, staff):
        application, _, _ = application_in(State.APPROVED, year, staff=staff)
        initiative = application.versions.get().plan_rows.get().initiatives.get()
        Plan.objects.filter(pk=initiative.plan_id).update(stage=PlanStage.DRAFT)
        district = application.council.district
        response = client.get(f"/grants/{year.fiscal_year}/districts/{district.slug}/")
        text = text_of(response)
        assert "地区防災訓練" in text
        assert f"/plans/{initiative.plan_id}/" not in text
        assert initiative.title not in text
        [activity] = response.context["detail"].activities
        assert activity.initiatives == []

    def test_settled_grant_shows_confirmed_amount_and_refund(self, client, year, staff):
        application, _, _ = application_in(State.SETTLED, year, staff=staff)
        Application.objects.filter(pk=application.pk).update(
            confirmed_amount=480_000, refund_amount=120_000
        )
        district = application.council.district
        response = client.get(f"/grants/{year.fiscal_year}/districts/{district.slug}/")
        grant = response.context["detail"].grant
        assert (grant.confirmed, grant.refund) == (480_000, 120_000)
        text = text_of(response)
        assert "480,000" in text and "120,000" in text

    def test_a_settled_grant_shows_its_statement_of_accounts_and_planned_costs(
        self, client, year, staff
    ):
        application, _, _ = application_in(State.SETTLED, year, staff=staff, spent=650_000)
        district = application.council.district

        response = client.get(f"/grants/{year.fiscal_year}/districts/{district.slug}/")

        accounts = response.context["detail"].accounts
        spent = {row.label: (row.budget, row.actual) for row in accounts.expenses}
        budget = application.versions.get().budget_lines.filter(category__name="消耗品費")
        assert spent["消耗品費"] == (sum(line.amount for line in budget), 650_000)
        assert accounts.actual_totals.expense == 650_000
        [activity] = response.context["detail"].activities
        assert activity.cost == 700_000
        text = text_of(response)
        assert "収支決算" in text and "支出（" in text and "650,000" in text
        assert "予定経費" in text

    def test_the_statement_waits_for_the_settlement(self, client, year, staff):
        application, _, _ = application_in(State.REPORT_ACCEPTED, year, staff=staff)
        district = application.council.district
        response = client.get(f"/grants/{year.fiscal_year}/districts/{district.slug}/")
        assert response.context["detail"].accounts is None
        assert "収支決算" not in text_of(response)

    def test_a_settled_grant_reads_its_statement_in_two_queries_whatever_its_lines(
        self, client, year, staff, django_assert_num_queries
    ):
        application, _, _ = application_in(State.SETTLED, year, staff=staff)
        url = f"/grants/{year.fiscal_year}/districts/{application.council.district.slug}/"
        # The district, its year with the grant, the breakdown, the activities, the budget
        # decided and the report's lines.
        with django_assert_num_queries(6):
            client.get(url)
        line = application.report.lines.filter(side="expense").get()
        for n in range(5):
            line.pk = None
            line.order = n + 10
            line.save()
        with django_assert_num_queries(6):
            response = client.get(url)
        assert len(application.report.lines.all()) == 8
        assert response.status_code == 200

    def test_names_the_year_in_the_japanese_era_and_links_around(self, client, year, staff):
        application, _, _ = application_in(State.APPROVED, year, staff=staff)
        district = application.council.district
        text = text_of(client.get(f"/grants/{year.fiscal_year}/districts/{district.slug}/"))
        title = text.split("<title>")[1].split("</title>")[0]
        assert district.name in title and format_fiscal_year(year.fiscal_year) in title
        assert f'<a href="/grants/{year.fiscal_year}/">' in text
        assert f'href="/grants/districts/{district.slug}/"' in text
        assert f'href="{district.get_absolute_url()}"' in text

    def test_404_for_an_unknown_district_or_year_or_a_year_without_either(
        self, client, year, staff
    ):
        council, _ = make_applicant(year)
        slug = council.district.slug
        GrantYearFactory(program=year.program, fiscal_year=year.fiscal_year - 1)
        assert client.get(f"/grants/{year.fiscal_year}/districts/{slug}/").status_code == 200
        assert client.get(f"/grants/{year.fiscal_year}/districts/no-such/").status_code == 404
        assert client.get(f"/grants/{year.fiscal_year + 5}/districts/{slug}/").status_code == 404
        # The year exists but gave the district neither an allocation nor a grant.
        assert client.get(f"/grants/{year.fiscal_year - 1}/districts/{slug}/").status_code == 404
        other = DistrictFactory()
        assert client.get(f"/grants/{year.fiscal_year}/districts/{other.slug}/").status_code == 404

    def test_open_to_residents_and_only_for_reading(self, client, year):
        council, _ = make_applicant(year)
        url = f"/grants/{year.fiscal_year}/districts/{council.district.slug}/"
        assert client.get(url).status_code == 200
        assert client.post(url).status_code == 405

    def test_query_count_does_not_grow_with_data(
        self, client, year, staff, django_assert_num_queries
    ):
        application, coordinator, _ = application_in(State.APPROVED, year, staff=staff)
        with_breakdown(application)
        district = application.council.district
        url = f"/grants/{year.fiscal_year}/districts/{district.slug}/"
        row = application.versions.get().plan_rows.get()
        # The district, its year with the grant, the breakdown, the activities.
        with django_assert_num_queries(4):
            client.get(url)
        for n in range(9):
            row.pk = None
            row.order = n + 1
            row.save()
            row.initiatives.set(InitiativeFactory.create_batch(2, plan=PlanFactory()))
        years_before(year, 9, district)
        application_in(State.APPROVED, year, staff=staff)  # another district
        with django_assert_num_queries(4):
            response = client.get(url)
        assert len(response.context["detail"].activities) == 10
        assert len(response.context["detail"].activities[5].initiatives) == 2


# Only decided grants, on every public grant page ---------------------------------------------


PAGES = {
    "year": lambda district, fy: f"/grants/{fy}/",
    "district": lambda district, fy: f"/districts/{district.slug}/",
    "district history": lambda district, fy: f"/grants/districts/{district.slug}/",
    "district year": lambda district, fy: f"/grants/{fy}/districts/{district.slug}/",
}


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("state", UNDECIDED_STATES)
def test_undecided_applications_stay_private(client, year, staff, state, page):
    application, coordinator, _ = application_in(state, year, staff=staff, grant=432_000)
    url = PAGES[page](application.council.district, year.fiscal_year)
    # Signed in as the council's own coordinator, the public page shows no more.
    for viewer in (None, coordinator):
        if viewer:
            client.force_login(viewer)
        response = client.get(url)
        text = text_of(response)
        assert response.status_code == 200
        assert "1,000,000" in text  # the allocation is public
        assert "432,000" not in text
        assert "地区防災訓練" not in text
        assert "見積書の金額と合わせてください。" not in text
        assert str(State(state).label) not in text


@pytest.mark.parametrize("page", PAGES)
def test_a_decided_grant_shows_on_every_page(client, year, staff, page):
    application, _, _ = application_in(State.PAID, year, staff=staff, granted=432_000)
    text = text_of(client.get(PAGES[page](application.council.district, year.fiscal_year)))
    assert "432,000" in text
    assert str(State.PAID.label) in text
