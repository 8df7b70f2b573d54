"""What residents see of the grant: the program, each year's allocations and decided grants.

Only decided applications (DECIDED_STATES) appear here: a draft, a request under review, a
rejected or withdrawn application and the amount an undecided council asked for stay private.
"""

from collections.abc import Iterator
from dataclasses import dataclass, fields
from datetime import date

from django.db.models import (
    Case,
    Count,
    FilteredRelation,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    When,
)
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse

from core.dates import current_fiscal_year, format_fiscal_year
from core.english import LocalName, local_name
from core.links import address_maker
from districts.models import District
from plans.models.plan import PUBLIC_PLAN_STAGES

from ..models import (
    CONCLUDED_STATES,
    IN_FORCE_STATES,
    Allocation,
    AllocationComponent,
    Application,
    FormulaComponent,
    LegacySubsidy,
    Program,
    ProgramYear,
    State,
    decided_condition,
)
from .application import current_plan_rows
from .documents import Accounts, settled_accounts


@dataclass(frozen=True)
class YearTotals:
    budget: int
    allocated: int
    district_count: int
    granted: int
    decided_count: int
    settled: int
    settled_count: int


def year_totals(year: ProgramYear) -> YearTotals:
    """The year's budget and what was allocated, granted and settled, summed in the database
    (the grants' figures as ApplicationQuerySet.figures defines them)."""
    allocations = Allocation.objects.filter(program_year=year).aggregate(
        total=Sum("amount"), count=Count("pk")
    )
    grants = Application.objects.filter(program_year=year).figures()
    return YearTotals(
        budget=year.budget,
        allocated=allocations["total"] or 0,
        district_count=allocations["count"],
        granted=grants["granted"],
        decided_count=grants["in_force"],
        settled=grants["confirmed"],
        settled_count=grants["settled"],
    )


# The program ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProgramOverview:
    program: Program | None
    legacy_subsidies: list[LegacySubsidy]
    legacy_total: int
    years: list[ProgramYear]
    current_year: ProgramYear | None
    current_totals: YearTotals | None


def _shown_year(years: list[ProgramYear]) -> ProgramYear | None:
    """This fiscal year, else the latest year already begun, else the earliest one to come."""
    today = current_fiscal_year()
    begun = [year for year in years if year.fiscal_year <= today]
    if begun:
        return max(begun, key=lambda year: year.fiscal_year)
    return min(years, key=lambda year: year.fiscal_year) if years else None


def program_overview() -> ProgramOverview:
    """The /grants/ page: the program, the subsidies it replaced, its years and this year's sums."""
    years = list(ProgramYear.objects.select_related("program").order_by("-fiscal_year"))
    if years:
        program = years[0].program
        years = [year for year in years if year.program_id == program.pk]
    else:
        program = Program.objects.order_by("pk").first()
    if program is None:
        return ProgramOverview(None, [], 0, [], None, None)
    legacy = program.legacy_subsidies.all()
    current = _shown_year(years)
    return ProgramOverview(
        program=program,
        legacy_subsidies=list(legacy),
        legacy_total=legacy.aggregate(total=Sum("former_yearly_amount"))["total"] or 0,
        years=years,
        current_year=current,
        current_totals=year_totals(current) if current else None,
    )


# Shared pieces -------------------------------------------------------------------------------

# The decided application's columns the public pages show, read through a FilteredRelation
# named "decided" (at most one decided application per council and year: the open-application
# constraint).
GRANT_COLUMNS = (
    "pk",
    "state",
    "granted_amount",
    "decided_on",
    "confirmed_amount",
    "refund_amount",
    "refund_offset",
    "cancelled_on",
)


@dataclass(frozen=True)
class Grant:
    """A decided application's public figures; the confirmed amount and refund only once known."""

    pk: int
    state: str
    granted: int
    decided_on: date | None
    confirmed: int | None  # once settled
    refund: int | None  # once settled, or the amount to return once cancelled
    refund_offset: bool
    cancelled_on: date | None

    @property
    def state_label(self) -> str:
        return State(self.state).label

    @property
    def is_settled(self) -> bool:
        return self.state == State.SETTLED

    @property
    def is_cancelled(self) -> bool:
        return self.state == State.CANCELLED

    @property
    def is_in_force(self) -> bool:
        """Counted in the year's totals: a cancelled grant is shown but not added up."""
        return self.state in IN_FORCE_STATES


def _grant(row: dict) -> Grant | None:
    """The Grant in a values() row read with the "decided" GRANT_COLUMNS, or None."""
    state = row["decided__state"]
    if state is None:
        return None
    return Grant(
        pk=row["decided__pk"],
        state=state,
        granted=row["decided__granted_amount"],
        decided_on=row["decided__decided_on"],
        # Nothing is confirmed or owed back until the amount is settled or the grant cancelled.
        confirmed=row["decided__confirmed_amount"] if state == State.SETTLED else None,
        refund=row["decided__refund_amount"] if state in CONCLUDED_STATES else None,
        refund_offset=row["decided__refund_offset"],
        cancelled_on=row["decided__cancelled_on"],
    )


def _decided(relation: str, **condition) -> FilteredRelation:
    """The decided application reached through `relation`, narrowed by `condition`."""
    return FilteredRelation(
        relation,
        condition=Q(**{f"{relation}__{name}": value for name, value in condition.items()})
        & decided_condition(relation),
    )


@dataclass(frozen=True)
class Share:
    """One term of an allocation's formula breakdown."""

    label: LocalName
    unit_name: LocalName
    quantity: int
    amount: int


@dataclass(frozen=True)
class AllocationDetail:
    """What the breakdown shows of an allocation besides its terms."""

    amount: int
    counts_as_of: date
    population: int
    households: int
    computed_amount: int
    adjustment: int
    adjustment_reason: str


@dataclass(frozen=True)
class InitiativeLink:
    title: str
    url: str


@dataclass(frozen=True)
class Activity:
    """One row of a decided application's business plan, with its planned cost and the public
    plan initiatives."""

    activity: str
    schedule: str
    cost: int
    initiatives: list[InitiativeLink]


def _shares(allocation_pk: int) -> list[Share]:
    return [
        Share(
            LocalName(label, label_en),
            LocalName(unit_name, unit_name_en),
            quantity,
            amount,
        )
        for label, label_en, unit_name, unit_name_en, quantity, amount in (
            AllocationComponent.objects.filter(allocation=allocation_pk)
            .order_by("component__order", "component__pk")
            .values_list(
                "component__label",
                "component__label_en",
                "component__unit_name",
                "component__unit_name_en",
                "quantity",
                "amount",
            )
        )
    ]


def _activities(application_pk: int) -> list[Activity]:
    """The current version's plan rows (the read model's) with the initiatives of public
    plans, in one query.

    Every linked initiative is read with its plan's stage and those of plans not public are
    dropped here, so that a row linked only to a draft plan still shows.
    """
    rows = (
        current_plan_rows(application_pk)
        # One current version: its rows in order (not "version", whose ordering joins four tables).
        .order_by(
            "order",
            "pk",
            "initiatives__plan__start_fy",
            "initiatives__order",
            "initiatives__pk",
        )
        .values_list(
            "pk",
            "activity",
            "schedule",
            "cost",
            "initiatives__pk",
            "initiatives__title",
            "initiatives__plan",
            "initiatives__plan__stage",
        )
    )
    activities: dict[int, Activity] = {}
    for pk, activity, schedule, cost, initiative_pk, title, plan_pk, stage in rows:
        if pk not in activities:
            activities[pk] = Activity(activity, schedule, cost, [])
        if initiative_pk is not None and stage in PUBLIC_PLAN_STAGES:
            url = reverse("plan_detail", kwargs={"pk": plan_pk})
            activities[pk].initiatives.append(
                InitiativeLink(title, f"{url}#initiative-{initiative_pk}")
            )
    return list(activities.values())


def program_year(fiscal_year: int) -> ProgramYear:
    """The program year residents read about, or 404."""
    year = (
        ProgramYear.objects.select_related("program")
        .filter(fiscal_year=fiscal_year)
        .order_by("program_id")
        .first()
    )
    if year is None:
        raise Http404
    return year


# One year ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class YearRow:
    """One district's allocation in a year and, once decided, its grant."""

    district_name: LocalName
    url: str  # the district's allocation breakdown and grant for the year
    allocation: int | None
    grant: Grant | None

    @property
    def label(self) -> LocalName:
        return self.district_name


@dataclass(frozen=True)
class YearPage:
    year: ProgramYear
    components: list[FormulaComponent]
    rows: list[YearRow]
    totals: YearTotals
    has_cancelled: bool


def _year_totals(year: ProgramYear, rows: list[YearRow]) -> YearTotals:
    """year_totals() from the rows already read: every allocation and decided grant is one.

    The grants are counted as ApplicationQuerySet.figures counts them: those in force, and
    among them the settled ones with their confirmed amounts.
    """
    counted = [row.grant for row in rows if row.grant and row.grant.is_in_force]
    settled = [grant for grant in counted if grant.is_settled]
    allocations = [row.allocation for row in rows if row.allocation is not None]
    return YearTotals(
        budget=year.budget,
        allocated=sum(allocations),
        district_count=len(allocations),
        granted=sum(grant.granted for grant in counted),
        decided_count=len(counted),
        settled=sum(grant.confirmed for grant in settled),
        settled_count=len(settled),
    )


def year_page(fiscal_year: int) -> YearPage:
    """/grants/<fy>/: one row per district with its allocation and decided grant, in one query.

    The breakdowns and activities are on each district's page for the year (district_year).
    """
    year = program_year(fiscal_year)
    rows = (
        District.objects.annotate(
            year_allocation=FilteredRelation(
                "allocations", condition=Q(allocations__program_year=year)
            ),
            decided=_decided("council__grant_applications", program_year=year),
        )
        .filter(Q(year_allocation__isnull=False) | Q(decided__isnull=False))
        .order_by("name_kana", "pk")
        .values(
            "name",
            "name_en",
            "name_kana",
            "slug",
            "year_allocation__amount",
            *(f"decided__{column}" for column in GRANT_COLUMNS),
        )
    )
    url = address_maker("grants:district_year", "slug", fiscal_year=year.fiscal_year)
    year_rows = [
        YearRow(
            district_name=local_name(row),
            url=url(row["slug"]),
            allocation=row["year_allocation__amount"],
            grant=_grant(row),
        )
        for row in rows
    ]
    return YearPage(
        year=year,
        components=list(year.components.all()),
        rows=year_rows,
        totals=_year_totals(year, year_rows),
        has_cancelled=any(row.grant and row.grant.is_cancelled for row in year_rows),
    )


# One district --------------------------------------------------------------------------------

# The district page shows the current year's grant and this many years before it; the district's
# grants page (district_history) lists them all.
EARLIER_YEARS_ON_DISTRICT_PAGE = 5

ALLOCATION_DETAIL_COLUMNS = tuple(field.name for field in fields(AllocationDetail))


@dataclass(frozen=True)
class DistrictYear:
    """One fiscal year of a district's grant: the allocation and, once decided, the grant."""

    fiscal_year: int
    url: str  # the district's grant page for the year
    allocation: int | None
    grant: Grant | None

    @property
    def label(self) -> str:
        return format_fiscal_year(self.fiscal_year)


@dataclass(frozen=True)
class DistrictGrant:
    """A district's grant in one year in full: the allocation's breakdown, the decided grant and
    the activities it pays for."""

    district: District
    fiscal_year: int
    allocation: AllocationDetail | None
    shares: list[Share]
    grant: Grant | None
    activities: list[Activity]
    accounts: Accounts | None = None  # once settled, on the year's page: 収支決算

    @property
    def council_name(self) -> LocalName | str:
        council = self.district.council_or_none
        return council.display_name if council else ""


def public_district(slug: str) -> District:
    """The district the grant pages are about, with its council's name, or 404."""
    return get_object_or_404(
        District.objects.select_related("council").only(
            "name",
            "name_en",
            "name_kana",
            "slug",
            "council__district",
            "council__name",
            "council__name_en",
            "council__name_kana",
        ),
        slug=slug,
    )


def _district_years(district: District, *, detailed: bool = False) -> QuerySet:
    """values() of each program year in which the district has an allocation or a decided grant.

    One query: the allocation and the decided application are joined to the program year.
    With `detailed`, also what the breakdown shows of the allocation besides its terms.
    """
    council = district.council_or_none
    allocation_columns = ALLOCATION_DETAIL_COLUMNS if detailed else ("amount",)
    return (
        ProgramYear.objects.annotate(
            district_allocation=FilteredRelation(
                "allocations", condition=Q(allocations__district=district)
            ),
            # Without a council nothing was granted: council_id IS NULL matches no application.
            decided=_decided("applications", council=council.pk if council else None),
        )
        .filter(Q(district_allocation__isnull=False) | Q(decided__isnull=False))
        .values(
            "fiscal_year",
            "district_allocation__pk",
            *(f"district_allocation__{column}" for column in allocation_columns),
            *(f"decided__{column}" for column in GRANT_COLUMNS),
        )
    )


def _district_years_rows(district: District, rows) -> list[DistrictYear]:
    url = address_maker("grants:district_year", "fiscal_year", slug=district.slug)
    return [
        DistrictYear(
            fiscal_year=row["fiscal_year"],
            url=url(row["fiscal_year"]),
            allocation=row["district_allocation__amount"],
            grant=_grant(row),
        )
        for row in rows
    ]


def _district_grant(district: District, row: dict, *, breakdown: bool = True) -> DistrictGrant:
    """The full grant of a detailed _district_years() row: two more queries at most without
    the `breakdown` of the allocation into its formula's shares; with it, one more, and two
    more for the statement of accounts of a settled grant."""
    grant = _grant(row)
    allocation_pk = row["district_allocation__pk"]
    return DistrictGrant(
        district=district,
        fiscal_year=row["fiscal_year"],
        allocation=(
            AllocationDetail(
                **{
                    column: row[f"district_allocation__{column}"]
                    for column in ALLOCATION_DETAIL_COLUMNS
                }
            )
            if allocation_pk is not None
            else None
        ),
        shares=_shares(allocation_pk) if breakdown and allocation_pk is not None else [],
        grant=grant,
        activities=_activities(grant.pk) if grant else [],
        accounts=settled_accounts(grant.pk) if breakdown and grant and grant.is_settled else None,
    )


@dataclass(frozen=True)
class DistrictGrants:
    current: DistrictGrant
    earlier: list[DistrictYear]  # the last few years before the current one, newest first


def district_grants(district: District) -> DistrictGrants | None:
    """The district page's grants section: the current year in full (the breakdown and, once
    decided, the grant and its activities) and the few years before it. None without any.

    The current year is this fiscal year, else the latest year already begun, else the
    earliest to come (as _shown_year): one query orders it first and the earlier years after.
    """
    today = current_fiscal_year()
    begun = Case(When(fiscal_year__lte=today, then="fiscal_year"))  # NULL for years to come
    rows = list(
        _district_years(district, detailed=True).order_by(
            begun.desc(nulls_last=True), "fiscal_year", "program"
        )[: EARLIER_YEARS_ON_DISTRICT_PAGE + 1]
    )
    if not rows:
        return None
    current, *others = rows
    return DistrictGrants(
        # The breakdown is on the year's page of the district, which the section links to.
        current=_district_grant(district, current, breakdown=False),
        earlier=_district_years_rows(
            district, (row for row in others if row["fiscal_year"] < current["fiscal_year"])
        ),
    )


@dataclass(frozen=True)
class DistrictHistory:
    district: District
    years: list[DistrictYear]  # newest first


def district_history(slug: str) -> DistrictHistory:
    """/grants/districts/<slug>/: every year's allocation and decided grant of one district."""
    district = public_district(slug)
    rows = _district_years(district).order_by("-fiscal_year", "program")
    return DistrictHistory(district, _district_years_rows(district, rows))


def district_year(slug: str, fiscal_year: int) -> DistrictGrant:
    """/grants/<fy>/districts/<slug>/: the district's allocation breakdown and grant, or 404
    when the district had neither that year."""
    district = public_district(slug)
    row = (
        _district_years(district, detailed=True)
        .filter(fiscal_year=fiscal_year)
        .order_by("program")
        .first()
    )
    if row is None:
        raise Http404
    return _district_grant(district, row)


# The CSV -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CsvRow:
    district: str
    council: str
    allocation: int
    component_amounts: list[int | None]
    state: str  # the State value, empty unless decided
    granted: int | None
    confirmed: int | None
    refund: int | None


def year_csv_rows(year: ProgramYear) -> tuple[list[FormulaComponent], Iterator[CsvRow]]:
    """The year's components and, lazily, one row per allocation with its public figures.

    One query, read in chunks: each component's amount and the decided application's figures
    are subqueries, so memory does not grow with the number of districts.
    """
    components = list(year.components.all())
    decided = Application.objects.decided().filter(
        program_year=year, council__district=OuterRef("district")
    )
    rows = (
        Allocation.objects.filter(program_year=year)
        .annotate(
            **{
                f"component_{component.pk}": Subquery(
                    AllocationComponent.objects.filter(
                        allocation=OuterRef("pk"), component=component
                    ).values("amount")[:1]
                )
                for component in components
            },
            decided_state=Subquery(decided.values("state")[:1]),
            decided_granted=Subquery(decided.values("granted_amount")[:1]),
            decided_confirmed=Subquery(decided.values("confirmed_amount")[:1]),
            decided_refund=Subquery(decided.values("refund_amount")[:1]),
        )
        .values(
            "district__name",
            "district__council__name",
            "amount",
            "decided_state",
            "decided_granted",
            "decided_confirmed",
            "decided_refund",
            *(f"component_{component.pk}" for component in components),
        )
        .order_by("district__name_kana", "pk")
    )

    def generate() -> Iterator[CsvRow]:
        for row in rows.iterator(chunk_size=500):
            state = row["decided_state"]
            yield CsvRow(
                district=row["district__name"],
                council=row["district__council__name"] or "",
                allocation=row["amount"],
                component_amounts=[row[f"component_{c.pk}"] for c in components],
                state=state or "",
                granted=row["decided_granted"],
                confirmed=row["decided_confirmed"],
                # Nothing is owed back until the amount is confirmed or the grant cancelled.
                refund=row["decided_refund"] if state in CONCLUDED_STATES else None,
            )

    return components, generate()
