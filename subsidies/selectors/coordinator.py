"""The queries of the coordinators' grant pages, each returning everything its template uses.

Every application is read through policy.councils_applications(user), so another council's
application, attachment or step is simply not found (404).
"""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from core.dates import current_fiscal_year
from core.names import person_name
from districts.models import Council
from districts.permissions import coordinated_councils
from plans.models import Initiative

from .. import rules, workflow
from ..models import (
    CLOSED_STATES,
    Allocation,
    AllocationComponent,
    Application,
    ApplicationEvent,
    ApplicationVersion,
    Attachment,
    BudgetLine,
    ExpenseCategory,
    Payment,
    PlanRow,
    ProgramYear,
    Report,
    ReportIndicator,
    ReportLine,
    Side,
    State,
    VersionStatus,
)
from ..policy import ROLES, councils_applications
from ..services.applications import BASIC_FIELDS, working_version

# The parts a return for correction names, in the order of the form and the report.
APPLICATION_PARTS = ("basics", "plan", "budget", "attachments")
REPORT_PARTS = ("report", "report_budget", "receipts")
PART_LABELS: dict[str, Promise] = {
    "basics": _("Basic information"),
    "plan": _("Business plan"),
    "budget": _("Budget"),
    "attachments": _("Attachments"),
    "report": _("Report"),
    "report_budget": _("Actual budget"),
    "receipts": _("Receipts"),
    "general": _("Overall"),
}

# How each recorded action reads in the history.
EVENT_LABELS: dict[str, Promise] = {
    "create": _("Application started"),
    "budget": _("Budget changed"),
    "upload": _("File attached"),
    "remove_upload": _("File removed"),
    "start_change": _("Change request started"),
    "report_budget": _("Actual budget changed"),
    "submit": _("Submitted"),
    "withdraw": _("Withdrawn"),
    "return": _("Returned for correction"),
    "recommend": _("Recommended"),
    "approve": _("Approved"),
    "reject": _("Rejected"),
    "pay": _("Payment recorded"),
    "request_change": _("Change request submitted"),
    "approve_change": _("Change approved"),
    "refuse_change": _("Change refused"),
    "submit_report": _("Report submitted"),
    "return_report": _("Report returned"),
    "accept_report": _("Report accepted"),
    "settle": _("Amount confirmed"),
    "cancel": _("Grant cancelled"),
}


def waiting_labels(state: str) -> list[Promise]:
    """Who acts next on an application in this state, as the dashboard says it."""
    return [ROLES[role].council_label for role in workflow.waiting_for(State(state))]


def current_program_year() -> ProgramYear | None:
    """This fiscal year's program year (the first program's, should there be several)."""
    return (
        ProgramYear.objects.filter(fiscal_year=current_fiscal_year())
        .select_related("program")
        .order_by("program_id")
        .first()
    )


def program_year_for(fiscal_year: int) -> ProgramYear:
    return get_object_or_404(
        ProgramYear.objects.filter(fiscal_year=fiscal_year).order_by("program_id")[:1]
    )


def users_council(user, pk: int) -> Council:
    return get_object_or_404(coordinated_councils(user).select_related("district"), pk=pk)


# The dashboard -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ApplicationRow:
    application: Application
    waiting_for: list[Promise]


@dataclass
class CouncilBlock:
    council: Council
    program_year: ProgramYear | None
    allocation: Allocation | None
    current: list[ApplicationRow] = field(default_factory=list)
    older: list[ApplicationRow] = field(default_factory=list)

    @property
    def can_start(self) -> bool:
        """An allocation this year and no open application: the start button shows."""
        return self.allocation is not None and not any(
            row.application.state not in CLOSED_STATES for row in self.current
        )


@dataclass(frozen=True)
class Dashboard:
    program_year: ProgramYear | None
    blocks: list[CouncilBlock]


def dashboard(user) -> Dashboard:
    """The user's councils, each with this year's allocation and all its applications."""
    councils = list(
        coordinated_councils(user).select_related("district").order_by("district__name_kana")
    )
    year = current_program_year()
    allocations = {}
    if year is not None and councils:
        allocations = {
            allocation.district_id: allocation
            for allocation in Allocation.objects.filter(
                program_year=year, district__in=[council.district_id for council in councils]
            ).prefetch_related(
                Prefetch(
                    "components",
                    queryset=AllocationComponent.objects.select_related("component"),
                )
            )
        }
    blocks = {
        council.pk: CouncilBlock(
            council=council, program_year=year, allocation=allocations.get(council.district_id)
        )
        for council in councils
    }
    applications = (
        Application.objects.filter(council__in=list(blocks))
        .select_related("program_year")
        .order_by("-program_year__fiscal_year", "-created_at", "-pk")
        if blocks
        else Application.objects.none()
    )
    for application in applications:
        row = ApplicationRow(application, waiting_labels(application.state))
        block = blocks[application.council_id]
        if year is not None and application.program_year_id == year.pk:
            block.current.append(row)
        else:
            block.older.append(row)
    return Dashboard(program_year=year, blocks=list(blocks.values()))


# One application -----------------------------------------------------------------------------


def councils_application(user, pk: int) -> Application:
    """The application with its year, council and district, if it is one of the user's."""
    return get_object_or_404(
        councils_applications(user).select_related("program_year", "council__district"), pk=pk
    )


def councils_attachment(application: Application, attachment_pk: int) -> Attachment:
    return get_object_or_404(application.attachments.all(), pk=attachment_pk)


def return_reasons(application: Application, *, report: bool = False) -> dict[str, str]:
    """What the city asked to correct in its latest return, while it is still to be done."""
    action, state = (
        ("return_report", State.REPORT_RETURNED) if report else ("return", State.RETURNED)
    )
    if application.state != state:
        return {}
    event = (
        ApplicationEvent.objects.filter(application=application, action=action)
        .order_by("-at", "-pk")
        .only("reasons")
        .first()
    )
    return dict(event.reasons) if event else {}


def editing_mode(application: Application, user) -> str | None:
    """ "application" while a draft or returned, "change" while preparing a change, else None."""
    if workflow.can("edit", application, user):
        return "application"
    if workflow.can("edit_change", application, user):
        return "change"
    return None


def proposed_version(application: Application) -> ApplicationVersion | None:
    return application.versions.filter(status=VersionStatus.PROPOSED).first()


def version_for_editing(application: Application) -> ApplicationVersion:
    return working_version(application)


def _version_contents() -> list:
    return [
        Prefetch(
            "plan_rows",
            queryset=PlanRow.objects.prefetch_related(
                Prefetch("initiatives", queryset=Initiative.objects.select_related("plan"))
            ),
        ),
        Prefetch("budget_lines", queryset=BudgetLine.objects.select_related("category")),
    ]


def version_with_contents(version: ApplicationVersion) -> ApplicationVersion:
    """The version with its plan rows (and initiatives) and budget lines (and categories)."""
    return (
        ApplicationVersion.objects.filter(pk=version.pk)
        .prefetch_related(*_version_contents())
        .get()
    )


def plan_initiatives(application: Application) -> list[Initiative]:
    """Initiatives of the district's plans covering the application's fiscal year."""
    fiscal_year = application.program_year.fiscal_year
    return list(
        Initiative.objects.filter(
            plan__district_id=application.council.district_id,
            plan__start_fy__lte=fiscal_year,
            plan__end_fy__gte=fiscal_year,
        )
        .select_related("plan")
        .order_by("plan__start_fy", "plan_id", "order", "pk")
    )


def expense_categories(program_year: ProgramYear) -> list[ExpenseCategory]:
    return list(program_year.expense_categories.all())


def application_attachments(application: Application, *, for_report: bool) -> list[Attachment]:
    return list(application.attachments.filter(for_report=for_report).order_by("uploaded_at", "pk"))


def allocation_of(application: Application) -> Allocation | None:
    return rules.allocation_for(application)


@dataclass(frozen=True)
class VersionView:
    """A version as the pages show it: its rows, its budget's two sides and their totals."""

    version: ApplicationVersion
    plan_rows: list[PlanRow]
    income: list[BudgetLine]
    expenses: list[BudgetLine]
    totals: rules.Totals

    @classmethod
    def of(cls, version: ApplicationVersion) -> "VersionView":
        lines = list(version.budget_lines.all())
        return cls(
            version=version,
            plan_rows=list(version.plan_rows.all()),
            income=[line for line in lines if line.side == Side.INCOME],
            expenses=[line for line in lines if line.side == Side.EXPENSE],
            totals=rules.totals(lines),
        )

    @property
    def plan_total(self) -> int:
        return sum(row.cost for row in self.plan_rows)

    @property
    def gap(self) -> int:
        return abs(self.totals.difference)


@dataclass(frozen=True)
class HistoryEntry:
    event: ApplicationEvent
    at: dt.datetime  # in the site's time zone, for the 和暦 date and the time
    label: str
    actor_name: str
    reasons: list[tuple[str, str]]


@dataclass(frozen=True)
class ReportView:
    report: Report
    income: list[ReportLine]
    expenses: list[ReportLine]
    totals: rules.Totals
    indicators: list[ReportIndicator]

    @property
    def gap(self) -> int:
        return abs(self.totals.difference)


@dataclass(frozen=True)
class ApplicationDetail:
    application: Application
    allocation: Allocation | None
    paid: int
    versions: list[VersionView]
    payments: list[Payment]
    history: list[HistoryEntry]
    attachments: list[Attachment]
    report_attachments: list[Attachment]
    report: ReportView | None
    reasons: dict[str, str]
    report_reasons: dict[str, str]
    waiting_for: list[Promise]

    @property
    def submitted_on(self) -> dt.date | None:
        submitted = self.application.submitted_at
        return timezone.localdate(submitted) if submitted else None

    @property
    def report_submitted_on(self) -> dt.date | None:
        submitted = self.report.report.submitted_at if self.report else None
        return timezone.localdate(submitted) if submitted else None

    @property
    def current(self) -> VersionView | None:
        return next(
            (view for view in self.versions if view.version.status == VersionStatus.CURRENT), None
        )

    @property
    def proposed(self) -> VersionView | None:
        return next(
            (view for view in self.versions if view.version.status == VersionStatus.PROPOSED),
            None,
        )


def _latest_reasons(events: list[ApplicationEvent], action: str) -> dict[str, str]:
    for event in reversed(events):
        if event.action == action:
            return dict(event.reasons)
    return {}


def _history_label(action: str) -> str:
    if action in EVENT_LABELS:
        return str(EVENT_LABELS[action])
    row = next((row for row in workflow.TRANSITIONS if row.action == action), None)
    return str(row.label) if row else action


def application_detail(user, pk: int) -> ApplicationDetail:
    """Everything the application's page shows, in a fixed number of queries."""
    queryset = (
        councils_applications(user)
        .select_related("program_year", "council__district", "report")
        .with_paid()
        .prefetch_related(
            Prefetch(
                "versions",
                queryset=ApplicationVersion.objects.order_by("number").prefetch_related(
                    *_version_contents()
                ),
            ),
            "payments",
            Prefetch("events", queryset=ApplicationEvent.objects.select_related("actor")),
            Prefetch("attachments", queryset=Attachment.objects.order_by("uploaded_at", "pk")),
        )
    )
    application = get_object_or_404(queryset, pk=pk)
    events = list(application.events.all())
    attachments = list(application.attachments.all())
    report = _report_view(application)
    return ApplicationDetail(
        application=application,
        allocation=rules.allocation_for(application),
        paid=application.paid_total,
        versions=[VersionView.of(version) for version in application.versions.all()],
        payments=list(application.payments.all()),
        history=[
            HistoryEntry(
                event=event,
                at=timezone.localtime(event.at),
                label=_history_label(event.action),
                actor_name=person_name(event.actor),
                reasons=[
                    (str(PART_LABELS.get(part, part)), text) for part, text in event.reasons.items()
                ],
            )
            for event in events
        ],
        attachments=[item for item in attachments if not item.for_report],
        report_attachments=[item for item in attachments if item.for_report],
        report=report,
        reasons=_latest_reasons(events, "return") if application.state == State.RETURNED else {},
        report_reasons=(
            _latest_reasons(events, "return_report")
            if application.state == State.REPORT_RETURNED
            else {}
        ),
        waiting_for=waiting_labels(application.state),
    )


def _report_view(application: Application) -> ReportView | None:
    try:
        report = application.report
    except Report.DoesNotExist:
        return None
    lines = list(report.lines.select_related("category"))
    return ReportView(
        report=report,
        income=[line for line in lines if line.side == Side.INCOME],
        expenses=[line for line in lines if line.side == Side.EXPENSE],
        totals=rules.totals(lines),
        indicators=list(report.indicator_results.select_related("indicator")),
    )


def report_of(application: Application) -> Report | None:
    """The report with its lines and indicator results, for the report form."""
    return (
        Report.objects.filter(application=application)
        .prefetch_related(
            Prefetch("lines", queryset=ReportLine.objects.select_related("category")),
            Prefetch(
                "indicator_results", queryset=ReportIndicator.objects.select_related("indicator")
            ),
        )
        .first()
    )


def current_budget_lines(application: Application) -> QuerySet[BudgetLine]:
    """The decided budget, as the starting point of the actual budget."""
    return BudgetLine.objects.filter(
        version__application=application, version__status=VersionStatus.CURRENT
    ).select_related("category")


def basics_initial(council: Council) -> dict:
    """The applicant's details as last filed by the council, else its public contact."""
    last = (
        Application.objects.filter(council=council)
        .order_by("-program_year__fiscal_year", "-created_at")
        .values(*BASIC_FIELDS)
        .first()
    )
    if last:
        return last
    return {
        "contact_name": council.contact_name,
        "contact_phone": council.contact_phone,
        "contact_email": council.contact_email,
    }


def open_application(council: Council, program_year: ProgramYear) -> Application | None:
    return (
        Application.objects.filter(council=council, program_year=program_year)
        .exclude(state__in=CLOSED_STATES)
        .first()
    )
