"""The queries of the coordinators' grant pages, each returning everything its template uses.

Every application is read through policy.councils_applications(user), so another council's
application, attachment or step is simply not found (404).
"""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.utils import timezone

from core.dates import current_fiscal_year
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
    ExpenseCategory,
    ProgramYear,
    Report,
    ReportIndicator,
    ReportLine,
    State,
    VersionStatus,
)
from ..policy import councils_applications
from ..services.applications import BASIC_FIELDS, working_version
from ..todo import Todo, council_todos
from .application import (
    COUNCIL,
    ApplicationReading,
    read,
    read_queryset,
    waiting_labels,
    with_contents,
)


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
    waiting_for: list[str]


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
    todos: list[Todo]  # what waits on the user's councils, soonest due first
    today: dt.date


def dashboard(user, today: dt.date | None = None) -> Dashboard:
    """The user's councils, each with this year's allocation and all its applications, and
    what waits on them."""
    today = today or timezone.localdate()
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
        .with_entered_at()
        .order_by("-program_year__fiscal_year", "-created_at", "-pk")
        if blocks
        else Application.objects.none()
    )
    for application in applications:
        row = ApplicationRow(application, waiting_labels(application.state, audience=COUNCIL))
        block = blocks[application.council_id]
        if year is not None and application.program_year_id == year.pk:
            block.current.append(row)
        else:
            block.older.append(row)
    todos = [
        todo
        for block in blocks.values()
        for todo in council_todos(
            block.council,
            year,
            block.allocation,
            [row.application for row in block.current + block.older],
            today,
        )
    ]
    todos.sort(key=lambda todo: todo.due_on)
    return Dashboard(program_year=year, blocks=list(blocks.values()), todos=todos, today=today)


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


def version_with_contents(version: ApplicationVersion) -> ApplicationVersion:
    """The version with its plan rows (and initiatives) and budget lines (and categories)."""
    return with_contents(ApplicationVersion.objects.filter(pk=version.pk)).get()


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


def application_detail(user, pk: int) -> ApplicationReading:
    """Everything the application's page shows, in a fixed number of queries."""
    application = get_object_or_404(read_queryset(councils_applications(user)), pk=pk)
    return ApplicationReading(**read(application, audience=COUNCIL))


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
