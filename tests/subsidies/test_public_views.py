"""The residents' grant pages: /grants/, /grants/<fy>/, its CSV and the district page's section."""

import csv
import io
import re

import pytest
from django.utils import timezone

from core.dates import format_wareki_date
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
from tests.subsidies.factories import GrantYearFactory, Staff, application_in, make_applicant

pytestmark = pytest.mark.django_db


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


class TestYearPage:
    def test_breakdown_counts_date_and_adjustment_with_its_reason(self, client, year, staff):
        application, _, _ = application_in(State.APPROVED, year, staff=staff, allocation=960_000)
        with_breakdown(application, adjustment=40_000, reason="防犯灯の増設分を加算")
        text = text_of(client.get(f"/grants/{year.fiscal_year}/"))
        for expected in ("均等割", "340,000", "世帯割", "2,200", "660,000", "960,000"):
            assert expected in text
        assert "防犯灯の増設分を加算" in text and "+40,000" in text
        assert "1,000,000" in text  # the allocation after the adjustment
        assert format_wareki_date(application.program_year.application_opens_on) not in text
        assert format_wareki_date(Allocation.objects.get().counts_as_of) in text

    def test_no_adjustment_row_when_there_is_none(self, client, year, staff):
        application, _, _ = application_in(State.APPROVED, year, staff=staff)
        with_breakdown(application)
        response = client.get(f"/grants/{year.fiscal_year}/")
        assert response.context["page"].districts[0].allocation.adjustment == 0
        assert "+0" not in text_of(response)

    def test_decided_grant_with_date_and_activities_linking_public_plans(self, client, year, staff):
        application, _, _ = application_in(
            State.APPROVED, year, staff=staff, grant=600_000, granted=555_000
        )
        initiative = application.versions.get().plan_rows.get().initiatives.get()
        text = text_of(client.get(f"/grants/{year.fiscal_year}/"))
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
        text = text_of(client.get(f"/grants/{year.fiscal_year}/"))
        assert "地区防災訓練" in text
        assert f"/plans/{initiative.plan_id}/" not in text
        assert initiative.title not in text

    @pytest.mark.parametrize(
        "state",
        [
            State.DRAFT,
            State.SUBMITTED,
            State.RETURNED,
            State.RECOMMENDED,
            State.REJECTED,
            State.WITHDRAWN,
        ],
    )
    def test_undecided_applications_stay_private(self, client, year, staff, state):
        application, _, _ = application_in(state, year, staff=staff, grant=432_000)
        response = client.get(f"/grants/{year.fiscal_year}/")
        text = text_of(response)
        assert response.status_code == 200
        assert "432,000" not in text
        assert application.council.name not in text
        assert "地区防災訓練" not in text
        assert "見積書の金額と合わせてください。" not in text
        assert "対象外の事業です。" not in text
        assert str(State(state).label) not in text
        row = response.context["page"].districts[0]
        assert row.allocation is not None and row.application is None

    def test_settled_grant_shows_confirmed_amount_and_refund(self, client, year, staff):
        application, _, _ = application_in(State.SETTLED, year, staff=staff)
        # Less was eligible than paid: part of the grant comes back.
        Application.objects.filter(pk=application.pk).update(
            confirmed_amount=480_000, refund_amount=120_000
        )
        response = client.get(f"/grants/{year.fiscal_year}/")
        text = text_of(response)
        assert "480,000" in text and "120,000" in text
        assert response.context["page"].totals.settled == 480_000
        assert response.context["page"].totals.settled_count == 1

    def test_no_confirmed_amount_or_refund_before_settlement(self, client, year, staff):
        application_in(State.REPORT_ACCEPTED, year, staff=staff, grant=600_000)
        response = client.get(f"/grants/{year.fiscal_year}/")
        row = response.context["page"].districts[0]
        assert row.application.state == State.REPORT_ACCEPTED
        assert response.context["page"].totals.settled == 0
        summary = text_of(response).split('id="summary"')[1].split("</table>")[0]
        assert summary.count("—") >= 2  # confirmed and refund are blank

    def test_year_totals(self, client, year, staff):
        application_in(State.APPROVED, year, staff=staff, grant=600_000, granted=500_000)
        application_in(State.PAID, year, staff=staff, grant=300_000)
        application_in(State.SUBMITTED, year, staff=staff, grant=432_000)
        application_in(State.CANCELLED, year, staff=staff, grant=200_000)
        response = client.get(f"/grants/{year.fiscal_year}/")
        totals = response.context["page"].totals
        assert totals.budget == 50_000_000
        assert totals.allocated == 4_000_000
        assert totals.granted == 800_000  # the cancelled grant is not counted
        assert totals.decided_count == 2
        text = text_of(response)
        assert "800,000" in text and "4,000,000" in text
        assert str(State.CANCELLED.label) in text

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
        with django_assert_num_queries(10):
            client.get(f"/grants/{year.fiscal_year}/")
        populate(9)
        with django_assert_num_queries(10):
            response = client.get(f"/grants/{year.fiscal_year}/")
        assert len(response.context["page"].districts) == 20


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

    def test_one_query_for_the_rows(self, client, year, staff, django_assert_num_queries):
        for _ in range(3):
            application_in(State.APPROVED, year, staff=staff)
        with django_assert_num_queries(3):  # the year, its components, the rows
            response = client.get(f"/grants/{year.fiscal_year}/grants.csv")
            rows = csv_rows(response)
        assert len(rows) == 4


# The district page's grants section ----------------------------------------------------------


class TestDistrictSection:
    def test_decided_grant_breakdown_and_activities(self, client, year, staff):
        application, _, _ = application_in(
            State.APPROVED, year, staff=staff, grant=600_000, granted=555_000
        )
        with_breakdown(application)
        district = application.council.district
        response = client.get(f"/districts/{district.slug}/")
        text = text_of(response)
        assert 'id="grants"' in text
        for expected in ("均等割", "660,000", "555,000", "地区防災訓練"):
            assert expected in text
        assert f'href="/grants/{year.fiscal_year}/"' in text

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
        council = application.council
        Allocation.objects.create(
            program_year=year,
            district=council.district,
            counts_as_of=year.application_opens_on,
            population=5000,
            households=2200,
            computed_amount=900_000,
        )
        text = text_of(client.get(f"/districts/{council.district.slug}/"))
        assert "900,000" in text  # this year's allocation
        assert "480,000" in text  # last year's grant, confirmed
        assert f'href="/grants/{earlier.fiscal_year}/"' in text

    def test_query_count_does_not_grow_with_data(
        self, client, year, staff, django_assert_num_queries
    ):
        application, coordinator, _ = application_in(State.APPROVED, year, staff=staff)
        with_breakdown(application)
        council = application.council
        url = f"/districts/{council.district.slug}/"

        def earlier_years(first: int, n: int) -> None:
            for fy in range(first, first + n):
                program_year = GrantYearFactory(program=year.program, fiscal_year=fy)
                Allocation.objects.create(
                    program_year=program_year,
                    district=council.district,
                    counts_as_of=year.application_opens_on,
                    population=5000,
                    households=2200,
                    computed_amount=800_000,
                )

        earlier_years(2000, 1)
        with django_assert_num_queries(16):
            client.get(url)
        earlier_years(2001, 9)
        with django_assert_num_queries(16):
            response = client.get(url)
        section = dict((s.key, c) for s, c in response.context["sections"])["grants"]
        assert len(section["grants"].earlier) == 10
        assert ProgramYear.objects.count() == 11
