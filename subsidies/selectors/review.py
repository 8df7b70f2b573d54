"""The queries of the grant staff's review pages: the queue, one application, the year's figures.

Each returns everything its template uses, with related rows fetched up front, so a page's query
count stays the same whatever the number of applications, lines, payments or events.
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import (
    Case,
    Count,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils import timezone

from districts.admin_scope import districts_in_scope

from .. import policy, rules, workflow
from ..models import (
    CLOSED_STATES,
    Allocation,
    Application,
    Attachment,
    ProgramYear,
    RefundHandling,
    Report,
    ReportLine,
    State,
    VersionStatus,
    paid_sum,
)
from ..policy import reviewable_applications
from ..services import decisions
from ..services.program_year import granted_total
from ..todo import staff_task, wait_due
from .application import (
    STAFF,
    ApplicationReading,
    VersionView,
    read,
    read_queryset,
    role_label,
    version_view,
    waiting_labels,
)

# Staff see only what the grant staff act on: never the council's own work in progress.
STAFF_STATES = [state for state in State if state != State.DRAFT]

PAGE_SIZE = 25


def review_scope(user) -> QuerySet[Application]:
    """The applications a reviewer may open: their scope, without the councils' unfiled drafts."""
    return (
        reviewable_applications(user)
        .exclude(state=State.DRAFT)
        .exclude(state=State.WITHDRAWN, submitted_at__isnull=True)
    )


# The queue ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class StateCount:
    state: State
    count: int

    @property
    def label(self) -> str:
        return self.state.label


# What the queue shows: the user's own work (自分の対応待ち) or every application in scope.
SHOW_MINE = "mine"
SHOW_ALL = "all"

# States in which nobody moves an application on: the queue lists them after the open ones.
ENDED_STATES = [state for state in STAFF_STATES if not workflow.waiting_for(state)]


@dataclass
class Queue:
    applications: QuerySet[Application]
    counts: list[StateCount]
    mine: int | None  # how many wait on the user; None when the user acts in no staff role
    show: str

    @property
    def total(self) -> int:
        return sum(row.count for row in self.counts)


def _final_payment_due() -> Q:
    """Settled with less paid than confirmed: the officer still owes the final payment."""
    return Q(state=State.SETTLED, confirmed_amount__gt=paid_sum())


def waiting_on_user(user) -> Q | None:
    """The applications whose next step is this user's, by their roles in the workflow.

    The scope (a liaison officer's districts) comes from review_scope. None when the user acts
    in no staff role: liaison officers read applications but move none on.
    """
    condition = None
    for role in policy.staff_roles(user):
        for state, four_eyes in workflow.waiting_on(role).items():
            if role == workflow.OFFICER and state == State.PAID:
                # A paid grant waits on the council's report; a further payment before it is
                # the officer's choice, not a step that waits on them.
                continue
            part = Q(state=state)
            if four_eyes:
                part &= ~Q(recommended_by=user)
            condition = part if condition is None else condition | part
        if role == workflow.OFFICER:
            due = _final_payment_due()
            condition = due if condition is None else condition | due
    return condition


def review_queue(
    user, *, fiscal_year: int, state: str = "", district=None, show: str = ""
) -> Queue:
    """The year's filed applications in scope: open ones first, then the longest waiting.

    The counts ignore the state filter and the choice of 自分の対応待ち, so each link says how
    many it would show. Without a choice, the user's own work is shown when there is some.
    """
    applications = review_scope(user).filter(program_year__fiscal_year=fiscal_year)
    if district is not None:
        applications = applications.filter(council__district=district)
    mine_condition = waiting_on_user(user)
    counted = applications.order_by().values("state")
    if mine_condition is not None:
        counted = counted.annotate(count=Count("pk"), mine=Count("pk", filter=mine_condition))
    else:
        counted = counted.annotate(count=Count("pk"), mine=Value(0))
    found = {row["state"]: row for row in counted}
    counts = [
        StateCount(state=item, count=found[item.value]["count"] if item.value in found else 0)
        for item in STAFF_STATES
    ]
    mine = None if mine_condition is None else sum(row["mine"] for row in found.values())
    if show not in (SHOW_MINE, SHOW_ALL):
        show = SHOW_MINE if mine else SHOW_ALL
    if show == SHOW_MINE and mine_condition is None:
        show = SHOW_ALL
    if show == SHOW_MINE:
        applications = applications.filter(mine_condition)
    if state:
        applications = applications.filter(state=state)
    final_due = _final_payment_due()
    applications = (
        applications.select_related("council__district", "program_year")
        .with_entered_at()
        .annotate(
            final_payment_due=Case(When(final_due, then=Value(True)), default=Value(False)),
            ended=Case(
                When(Q(state__in=ENDED_STATES) & ~final_due, then=Value(True)),
                default=Value(False),
            ),
        )
        .order_by("ended", "entered_at", "pk")
    )
    return Queue(applications=applications, counts=counts, mine=mine, show=show)


def queue_page_rows(applications, *, today: dt.date | None = None) -> list[Application]:
    """The page's applications, each told who acts next, since when, the city's next step and
    by when (subsidies.todo), and when it was filed.

    Days are counted in calendar days on the site's dates: moved on yesterday is 1 day.
    """
    today = today or timezone.localdate()
    rows = list(applications)
    for application in rows:
        if application.final_payment_due:
            application.waiting_for = [role_label(workflow.OFFICER, audience=STAFF)]
        else:
            application.waiting_for = waiting_labels(application.state, audience=STAFF)
        application.days_waiting = (
            None
            if application.ended
            else max((today - timezone.localdate(application.entered_at)).days, 0)
        )
        # The city's next step and its due date; none when the application waits on the council.
        application.task = None if application.ended else staff_task(application)
        application.due_on = wait_due(application) if application.task else None
        application.days_left = (application.due_on - today).days if application.task else None
        application.overdue_by = max(0, -(application.days_left or 0))
        application.submitted_on = (
            timezone.localdate(application.submitted_at) if application.submitted_at else None
        )
    return rows


def queue_fiscal_years() -> list[int]:
    """The fiscal years the program has, newest first."""
    return list(
        ProgramYear.objects.order_by("-fiscal_year")
        .values_list("fiscal_year", flat=True)
        .distinct()
    )


def districts_for_filter(user):
    """The districts a reviewer may filter by: all for grant staff, assigned ones for liaison."""
    return districts_in_scope(user).in_kana_order().only("slug", "name")


# One application ------------------------------------------------------------------------------


@dataclass
class ReviewDetail(ApplicationReading):
    """The application as read, with what the staff act on: the checks, the advance limit,
    the settlement figures and the buttons open to the user."""

    advance_limit: int
    checklist: list[rules.Outcome]
    settlement: dict[str, int] | None
    settlement_offset: bool
    actions: list[workflow.Transition]
    four_eyes_note: str | None

    @property
    def under_review(self) -> VersionView | None:
        """The version the checklist is about: the proposed change while it is requested."""
        if self.application.state == State.CHANGE_REQUESTED and self.proposed:
            return self.proposed
        return self.current


def application_for_action(user, pk: int) -> Application:
    """One application in the reviewer's scope, with what the action pages show; else 404."""
    return get_object_or_404(
        review_scope(user)
        .with_paid()
        .with_advances()
        .select_related(
            "council__district", "program_year__program", "recommended_by", "decided_by"
        ),
        pk=pk,
    )


def application_checklist(
    application: Application,
    version: VersionView,
    *,
    allocation: Allocation | None,
    attachments: list[Attachment],
) -> list[rules.Outcome]:
    """The review checklist: rules.APPLICATION_CHECKS, each shown as passed or needing
    attention, read from the rows the page has already fetched."""
    filing = version.filing(application, attachments=attachments, allocation=allocation)
    return rules.checklist(rules.APPLICATION_CHECKS, filing)


def report_checklist(
    application: Application, report: Report, lines: list[ReportLine], receipts: list[Attachment]
) -> list[rules.Outcome]:
    """What the report must hold before it is accepted: rules.REPORT_CHECKS, as submit_report
    applies them."""
    filing = rules.ReportFiling(
        application=application, report=report, lines=lines, receipts=receipts
    )
    return rules.checklist(rules.REPORT_CHECKS, filing)


def staff_actions(application: Application, user) -> list[workflow.Transition]:
    """The buttons of the review page: exactly the staff rows workflow.available allows."""
    return [row for row in workflow.available(application, user) if row.role in policy.STAFF_ROLES]


def review_detail(user, pk: int) -> ReviewDetail:
    """Everything the review page shows about one application, or 404 outside the scope."""
    application = get_object_or_404(
        read_queryset(
            review_scope(user).with_advances().select_related("recommended_by", "decided_by")
        ),
        pk=pk,
    )
    reading = read(application, audience=STAFF)
    report = reading["report"]
    if report is not None:
        report.checklist = report_checklist(
            application, report.report, report.income + report.expenses, reading["receipts"]
        )
    settlement = None
    if application.state == State.REPORT_ACCEPTED:
        settlement = decisions.settlement_figures(application)
    four_eyes = workflow.four_eyes_refusal(application, user)
    detail = ReviewDetail(
        **reading,
        advance_limit=rules.advance_limit(application),
        checklist=[],
        settlement=settlement,
        settlement_offset=bool(settlement and settlement["refund"])
        and application.program_year.refund_handling == RefundHandling.OFFSET,
        actions=staff_actions(application, user),
        four_eyes_note=str(four_eyes) if four_eyes else None,
    )
    if detail.under_review:
        detail.checklist = application_checklist(
            application,
            detail.under_review,
            allocation=detail.allocation,
            attachments=detail.attachments,
        )
    return detail


# The action pages -----------------------------------------------------------------------------


def _version_with_lines(application: Application, status: str) -> VersionView | None:
    return version_view(application.versions.filter(status=status))


def action_facts(application: Application, action: str) -> dict:
    """The figures an action's page shows beside its form (from `application_for_action`)."""
    facts: dict = {}
    paid = application.paid_total
    if action == "approve":
        allocation = rules.allocation_for(application)
        others = granted_total(application.program_year, excluding=application)
        facts.update(
            allocation=allocation.amount if allocation else None,
            granted_in_year=others,
            budget=application.program_year.budget,
            budget_left=max(application.program_year.budget - others, 0),
        )
    elif action == "pay":
        settled = application.state == State.SETTLED
        ceiling = (application.confirmed_amount if settled else application.granted_amount) or 0
        facts.update(
            settled=settled,
            paid=paid,
            ceiling=ceiling,
            left_to_pay=max(ceiling - paid, 0),
            advance_paid=application.advance_total,
            advance_limit=rules.advance_limit(application),
            advance_ratio=application.program_year.advance_ratio_percent,
        )
    elif action == "approve_change":
        allocation = rules.allocation_for(application)
        facts.update(
            current=_version_with_lines(application, VersionStatus.CURRENT),
            proposed=_version_with_lines(application, VersionStatus.PROPOSED),
            allocation=allocation.amount if allocation else None,
            paid=paid,
        )
    elif action == "refuse_change":
        facts.update(
            current=_version_with_lines(application, VersionStatus.CURRENT),
            proposed=_version_with_lines(application, VersionStatus.PROPOSED),
        )
    elif action == "settle":
        figures = decisions.settlement_figures(application)
        offset = application.program_year.refund_handling == RefundHandling.OFFSET
        facts.update(figures=figures, refund_offset=offset and bool(figures["refund"]))
    elif action == "cancel":
        facts.update(paid=paid)
    return facts


# The year -------------------------------------------------------------------------------------


@dataclass
class YearOverview:
    program_year: ProgramYear
    rows: list[Allocation]
    totals: dict[str, int]

    @property
    def budget_left(self) -> int:
        return self.program_year.budget - self.totals["granted"]


def year_program(fiscal_year: int) -> ProgramYear | None:
    """The program year of a fiscal year (the city runs one consolidated grant)."""
    return (
        ProgramYear.objects.filter(fiscal_year=fiscal_year)
        .select_related("program")
        .order_by("program_id")
        .first()
    )


def year_rows(user, program_year: ProgramYear) -> QuerySet[Allocation]:
    """One row per district with an allocation, joined with its open filed application."""
    open_application = (
        review_scope(user)
        .filter(program_year=OuterRef("program_year"), council__district=OuterRef("district"))
        .exclude(state__in=CLOSED_STATES)
        .order_by("-pk")
    )

    def pick(name: str, queryset=open_application):
        return Subquery(queryset.values(name)[:1])

    return (
        Allocation.objects.filter(program_year=program_year, district__in=districts_in_scope(user))
        .select_related("district__council")
        .annotate(
            application_pk=pick("pk"),
            application_state=pick("state"),
            requested=pick("requested_amount"),
            granted=pick("granted_amount", open_application.in_force()),
            confirmed=pick("confirmed_amount"),
            refunded=pick("refund_amount"),
        )
        .annotate(paid=paid_sum(OuterRef("application_pk")))
        .order_by("district__name_kana", "district__name")
    )


def year_overview(user, fiscal_year: int) -> YearOverview | None:
    """The year's budget, allocations and each district's request, grant, payments and refund,
    with the totals summed by the database."""
    program_year = year_program(fiscal_year)
    if program_year is None:
        return None
    rows = year_rows(user, program_year)
    # Aliases differ from the annotations' names: an aggregate named like the annotation it sums
    # would replace it in the query.
    sums = rows.aggregate(
        sum_allocated=Coalesce(Sum("amount"), 0),
        sum_requested=Coalesce(Sum("requested"), 0),
        sum_granted=Coalesce(Sum("granted"), 0),
        sum_paid=Coalesce(Sum("paid"), 0),
        sum_confirmed=Coalesce(Sum("confirmed"), 0),
        sum_refunded=Coalesce(Sum("refunded"), 0),
        sum_applications=Count("application_pk"),
    )
    totals = {name.removeprefix("sum_"): value for name, value in sums.items()}
    rows = list(rows)
    labels = dict(State.choices)
    for row in rows:
        row.state_label = labels.get(row.application_state, "")
    return YearOverview(program_year=program_year, rows=rows, totals=totals)
