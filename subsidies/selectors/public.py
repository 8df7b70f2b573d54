"""What residents see of the grant: the program, each year's allocations and decided grants.

Only decided applications (DECIDED_STATES) appear here: a draft, a request under review, a
rejected or withdrawn application and the amount an undecided council asked for stay private.
"""

from collections.abc import Iterator
from dataclasses import dataclass, field

from django.db.models import (
    Count,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    prefetch_related_objects,
)
from django.http import Http404

from core.dates import current_fiscal_year
from districts.models import District
from plans.models import Initiative
from plans.models.plan import PUBLIC_PLAN_STAGES

from ..models import (
    DECIDED_STATES,
    Allocation,
    AllocationComponent,
    Application,
    ApplicationVersion,
    FormulaComponent,
    LegacySubsidy,
    PlanRow,
    Program,
    ProgramYear,
    State,
    VersionStatus,
)

# Decided grants that still count: a cancelled grant is shown but not added to the totals.
COUNTED_STATES = tuple(state for state in DECIDED_STATES if state != State.CANCELLED)
SETTLED_OR_CANCELLED = (State.SETTLED, State.CANCELLED)


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
    """The year's budget and what was allocated, granted and settled, summed in the database."""
    allocations = Allocation.objects.filter(program_year=year).aggregate(
        total=Sum("amount"), count=Count("pk")
    )
    grants = Application.objects.filter(program_year=year).aggregate(
        granted=Sum("granted_amount", filter=Q(state__in=COUNTED_STATES)),
        decided=Count("pk", filter=Q(state__in=COUNTED_STATES)),
        settled=Sum("confirmed_amount", filter=Q(state=State.SETTLED)),
        settled_count=Count("pk", filter=Q(state=State.SETTLED)),
    )
    return YearTotals(
        budget=year.budget,
        allocated=allocations["total"] or 0,
        district_count=allocations["count"],
        granted=grants["granted"] or 0,
        decided_count=grants["decided"],
        settled=grants["settled"] or 0,
        settled_count=grants["settled_count"],
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


# One year ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Activity:
    """One row of a decided application's business plan, with the public plan initiatives."""

    activity: str
    schedule: str
    initiatives: list[Initiative]


@dataclass(frozen=True)
class DistrictGrant:
    """One district's allocation in a year and, once decided, its grant."""

    district: District
    allocation: Allocation | None
    application: Application | None  # decided applications only
    activities: list[Activity] = field(default_factory=list)

    @property
    def components(self) -> list[AllocationComponent]:
        return list(self.allocation.components.all()) if self.allocation else []


def _public_initiatives() -> QuerySet[Initiative]:
    return (
        Initiative.objects.filter(plan__stage__in=PUBLIC_PLAN_STAGES)
        .select_related("plan")
        .order_by("plan__start_fy", "order", "pk")
    )


def activities_prefetch() -> Prefetch:
    """The current version's plan rows with only the initiatives of public plans."""
    return Prefetch(
        "versions",
        queryset=ApplicationVersion.objects.filter(status=VersionStatus.CURRENT).prefetch_related(
            Prefetch(
                "plan_rows",
                queryset=PlanRow.objects.prefetch_related(
                    Prefetch("initiatives", queryset=_public_initiatives())
                ),
            )
        ),
        to_attr="current_versions",
    )


def activities_of(application: Application) -> list[Activity]:
    """Needs the application fetched with activities_prefetch()."""
    return [
        Activity(row.activity, row.schedule, list(row.initiatives.all()))
        for version in application.current_versions
        for row in version.plan_rows.all()
    ]


def _allocations() -> QuerySet[Allocation]:
    return Allocation.objects.select_related("district", "program_year").prefetch_related(
        Prefetch("components", queryset=AllocationComponent.objects.select_related("component"))
    )


def decided_applications() -> QuerySet[Application]:
    return Application.objects.filter(state__in=DECIDED_STATES).select_related(
        "council__district", "program_year"
    )


@dataclass(frozen=True)
class YearPage:
    year: ProgramYear
    components: list[FormulaComponent]
    districts: list[DistrictGrant]
    totals: YearTotals

    @property
    def has_cancelled(self) -> bool:
        return any(
            row.application and row.application.state == State.CANCELLED for row in self.districts
        )


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


def year_page(fiscal_year: int) -> YearPage:
    """/grants/<fy>/: every district's allocation with its breakdown, and the decided grants."""
    year = program_year(fiscal_year)
    allocations = list(_allocations().filter(program_year=year))
    applications = list(
        decided_applications().filter(program_year=year).prefetch_related(activities_prefetch())
    )
    by_district = {application.council.district_id: application for application in applications}
    rows = [
        DistrictGrant(
            district=allocation.district,
            allocation=allocation,
            application=by_district.get(allocation.district_id),
            activities=(
                activities_of(by_district[allocation.district_id])
                if allocation.district_id in by_district
                else []
            ),
        )
        for allocation in allocations
    ]
    allocated = {allocation.district_id for allocation in allocations}
    rows += [
        DistrictGrant(
            district=application.council.district,
            allocation=None,
            application=application,
            activities=activities_of(application),
        )
        for application in applications
        if application.council.district_id not in allocated
    ]
    return YearPage(
        year=year,
        components=list(year.components.all()),
        districts=rows,
        totals=year_totals(year),
    )


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
    decided = Application.objects.filter(
        program_year=year, council__district=OuterRef("district"), state__in=DECIDED_STATES
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
                refund=row["decided_refund"] if state in SETTLED_OR_CANCELLED else None,
            )

    return components, generate()


# The district page ---------------------------------------------------------------------------


@dataclass(frozen=True)
class DistrictGrants:
    current: DistrictGrant
    earlier: list[DistrictGrant]


def district_grants(district: District) -> DistrictGrants | None:
    """The district page's grants section: this year's allocation (with its breakdown and, once
    decided, the grant and its activities) and earlier years' grants. None without allocations.
    """
    allocations = list(
        _allocations().filter(district=district).order_by("-program_year__fiscal_year")
    )
    if not allocations:
        # Nothing can have been granted without an allocation.
        return None
    shown = _shown_year([allocation.program_year for allocation in allocations])
    applications = {
        application.program_year_id: application
        for application in decided_applications().filter(council__district=district)
    }
    current_allocation = next(a for a in allocations if a.program_year_id == shown.pk)
    current_application = applications.get(shown.pk)
    activities = []
    if current_application is not None:
        prefetch_related_objects([current_application], activities_prefetch())
        activities = activities_of(current_application)
    return DistrictGrants(
        current=DistrictGrant(
            district=district,
            allocation=current_allocation,
            application=current_application,
            activities=activities,
        ),
        earlier=[
            DistrictGrant(
                district=district,
                allocation=allocation,
                application=applications.get(allocation.program_year_id),
            )
            for allocation in allocations
            if allocation.program_year.fiscal_year < shown.fiscal_year
        ],
    )
