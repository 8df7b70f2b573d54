"""The queries of the grant staff's review pages: the queue, one application, the year's figures.

Each returns everything its template uses, with related rows fetched up front, so a page's query
count stays the same whatever the number of applications, lines, payments or events.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import (
    Case,
    Count,
    F,
    OuterRef,
    Prefetch,
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
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.dates import format_wareki_date
from districts.admin_scope import districts_in_scope

from .. import policy, rules, workflow
from ..models import (
    CLOSED_STATES,
    DECIDED_STATES,
    Allocation,
    Application,
    ApplicationEvent,
    ApplicationVersion,
    Attachment,
    AttachmentKind,
    BudgetLine,
    Payment,
    PlanRow,
    ProgramYear,
    RefundHandling,
    Report,
    ReportIndicator,
    ReportLine,
    Side,
    State,
    VersionStatus,
    paid_sum,
)
from ..policy import reviewable_applications
from ..services import decisions
from ..services.program_year import granted_total

# The parts of an application and of a report that a return for correction names, in the order
# the council's steps show them.
APPLICATION_PARTS: dict[str, Promise] = {
    "basics": gettext_lazy("Applicant's details"),
    "plan": gettext_lazy("Business plan"),
    "budget": gettext_lazy("Budget"),
    "attachments": gettext_lazy("Attachments"),
}
REPORT_PARTS: dict[str, Promise] = {
    "report": gettext_lazy("What was done"),
    "report_budget": gettext_lazy("Actual budget"),
    "receipts": gettext_lazy("Receipts"),
}
REASON_PARTS = {**APPLICATION_PARTS, **REPORT_PARTS}

# What each history entry says: the workflow's own labels for its moves (the first row of an
# action names it), and labels for the entries the services write besides the moves.
EVENT_LABELS: dict[str, Promise] = {
    **{row.action: row.label for row in reversed(workflow.TRANSITIONS)},
    "create": gettext_lazy("Application started"),
    "budget": gettext_lazy("Budget changed"),
    "upload": gettext_lazy("File uploaded"),
    "remove_upload": gettext_lazy("File removed"),
    "start_change": gettext_lazy("Change request started"),
    "report_budget": gettext_lazy("Actual budget changed"),
}

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


def _entered_current_state():
    """When the application moved into the state it is in (its latest such history entry)."""
    moves = (
        ApplicationEvent.objects.filter(application=OuterRef("pk"), to_state=OuterRef("state"))
        .exclude(from_state=F("to_state"))
        .order_by("-at", "-pk")
        .values("at")[:1]
    )
    return Coalesce(Subquery(moves), "submitted_at", "created_at")


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
        applications.select_related("council__district")
        .annotate(
            entered_at=_entered_current_state(),
            final_payment_due=Case(When(final_due, then=Value(True)), default=Value(False)),
            ended=Case(
                When(Q(state__in=ENDED_STATES) & ~final_due, then=Value(True)),
                default=Value(False),
            ),
        )
        .order_by("ended", "entered_at", "pk")
    )
    return Queue(applications=applications, counts=counts, mine=mine, show=show)


def waiting_labels(state: str) -> list[str]:
    """Who moves an application on from this state, as the queue shows it."""
    return [str(policy.ROLES[role].label) for role in workflow.waiting_for(State(state))]


def queue_page_rows(applications, *, today: dt.date | None = None) -> list[Application]:
    """The page's applications, each told who acts next, since when, and when it was filed.

    Days are counted in calendar days on the site's dates: moved on yesterday is 1 day.
    """
    today = today or timezone.localdate()
    rows = list(applications)
    for application in rows:
        if application.final_payment_due:
            application.waiting_for = [str(policy.ROLES[workflow.OFFICER].label)]
        else:
            application.waiting_for = waiting_labels(application.state)
        application.days_waiting = (
            None
            if application.ended
            else max((today - timezone.localdate(application.entered_at)).days, 0)
        )
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
class VersionView:
    """A version as the page shows it: plan rows, income and expense lines, their totals."""

    version: ApplicationVersion
    plan_rows: list[PlanRow]
    income: list[BudgetLine]
    expense: list[BudgetLine]
    totals: rules.Totals

    @property
    def plan_cost(self) -> int:
        return sum(row.cost for row in self.plan_rows)

    @property
    def has_ineligible(self) -> bool:
        return any(not line.category.eligible for line in self.expense)

    @property
    def unlinked_rows(self) -> list[PlanRow]:
        return [row for row in self.plan_rows if not row.initiatives.all()]


def version_view(version: ApplicationVersion) -> VersionView:
    lines = list(version.budget_lines.all())
    return VersionView(
        version=version,
        plan_rows=list(version.plan_rows.all()),
        income=[line for line in lines if line.side == Side.INCOME],
        expense=[line for line in lines if line.side == Side.EXPENSE],
        totals=rules.totals(lines),
    )


@dataclass(frozen=True)
class Check:
    """One item of the review checklist: passed, or needing attention with the reasons."""

    label: str
    passed: bool
    details: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class EventView:
    event: ApplicationEvent
    label: str
    reasons: list[tuple[str, str]]

    @property
    def moved(self) -> bool:
        return self.event.from_state != self.event.to_state


@dataclass
class ReportView:
    report: Report
    income: list[ReportLine]
    expense: list[ReportLine]
    totals: rules.Totals
    indicators: list[ReportIndicator]
    checklist: list[Check]


@dataclass
class ReviewDetail:
    application: Application
    allocation: Allocation | None
    current: VersionView | None
    proposed: VersionView | None
    earlier: list[VersionView]
    attachments: list[Attachment]
    receipts: list[Attachment]
    events: list[EventView]
    payments: list[Payment]
    advance_limit: int
    checklist: list[Check]
    report: ReportView | None
    settlement: dict[str, int] | None
    settlement_offset: bool
    actions: list[workflow.Transition]
    waiting_for: list[str]
    four_eyes_note: str | None
    print_documents: list[tuple[str, str]]

    @property
    def under_review(self) -> VersionView | None:
        """The version the checklist is about: the proposed change while it is requested."""
        if self.application.state == State.CHANGE_REQUESTED and self.proposed:
            return self.proposed
        return self.current


def _versions_prefetch() -> Prefetch:
    return Prefetch(
        "versions",
        queryset=ApplicationVersion.objects.select_related("created_by")
        .prefetch_related(
            Prefetch(
                "plan_rows",
                queryset=PlanRow.objects.prefetch_related("initiatives").order_by("order", "pk"),
            ),
            Prefetch(
                "budget_lines",
                queryset=BudgetLine.objects.select_related("category").order_by(
                    "side", "order", "pk"
                ),
            ),
        )
        .order_by("number"),
    )


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
) -> list[Check]:
    """The review checklist: the submission rules (services.decisions.submission_problems),
    each shown as passed or needing attention, from the rows already fetched."""
    year = application.program_year
    lines = version.income + version.expense
    checks = [
        Check(
            _("The purpose and outline are described"),
            bool(version.version.purpose.strip()),
            [] if version.version.purpose.strip() else [_("No purpose or outline is given.")],
        )
    ]
    unlinked = version.unlinked_rows
    plan_details = []
    if not version.plan_rows:
        plan_details.append(_("The business plan has no activities."))
    plan_details += [
        _("“%(activity)s” is not linked to an initiative of the district plan.")
        % {"activity": row.activity}
        for row in unlinked
    ]
    checks.append(
        Check(
            _("Every activity is linked to an initiative of the district plan"),
            not plan_details,
            plan_details,
        )
    )
    balance = rules.balance_problems(lines)
    checks.append(Check(_("Income and expenses balance"), not balance, balance))
    categories = rules.category_problems(lines, program_year=year)
    checks.append(Check(_("No expense is in an ineligible category"), not categories, categories))
    request = rules.request_problems(version.totals.grant, allocation)
    checks.append(
        Check(
            _("The request of %(requested)s is within the allocation of %(allocation)s")
            % {
                "requested": rules.yen(version.totals.grant),
                "allocation": rules.yen(allocation.amount) if allocation else "—",
            },
            not request,
            request,
        )
    )
    minutes = any(item.kind == AttachmentKind.MINUTES for item in attachments)
    checks.append(
        Check(
            _("The general meeting's minutes or resolution are attached"),
            minutes,
            [] if minutes else [_("No minutes (総会資料) are attached.")],
        )
    )
    window = _("from %(opens)s to %(closes)s") % {
        "opens": format_wareki_date(year.application_opens_on),
        "closes": format_wareki_date(year.application_closes_on),
    }
    filed_on = timezone.localdate(application.submitted_at) if application.submitted_at else None
    in_window = filed_on is not None and (
        year.application_opens_on <= filed_on <= year.application_closes_on
    )
    checks.append(
        Check(
            _("Filed within the application period (%(window)s)") % {"window": window},
            in_window,
            []
            if in_window
            else [
                _("Filed on %(date)s.") % {"date": format_wareki_date(filed_on)}
                if filed_on
                else _("Not filed yet.")
            ],
        )
    )
    return checks


def report_checklist(
    application: Application, report: Report, lines: list[ReportLine], receipts: list[Attachment]
) -> list[Check]:
    """What the report must hold before it is accepted (the rules submit_report applies)."""
    year = application.program_year
    summary = bool(report.summary.strip())
    balance = rules.balance_problems(lines)
    categories = rules.category_problems(lines, program_year=year)
    dates = rules.date_problems(lines, fiscal_year=year.fiscal_year)
    has_receipts = any(item.kind == AttachmentKind.RECEIPT for item in receipts)
    return [
        Check(
            _("What was done is described"),
            summary,
            [] if summary else [_("The report does not say what was done.")],
        ),
        Check(_("Actual income and expenses balance"), not balance, balance),
        Check(_("No expense is in an ineligible category"), not categories, categories),
        Check(_("Every expense was paid within the fiscal year"), not dates, dates),
        Check(
            _("Receipts are attached"),
            has_receipts,
            [] if has_receipts else [_("No receipts (領収書) are attached.")],
        ),
    ]


def _event_view(event: ApplicationEvent) -> EventView:
    reasons = [
        (str(REASON_PARTS.get(part, part)), text) for part, text in (event.reasons or {}).items()
    ]
    return EventView(
        event=event, label=str(EVENT_LABELS.get(event.action, event.action)), reasons=reasons
    )


def print_documents(application: Application, *, reported: bool) -> list[tuple[str, str]]:
    """The official documents that exist at this point, as (slug, title) for grants:print."""
    documents = [("application", _("Application (様式第1号)"))]
    if application.state in DECIDED_STATES:
        documents.append(("decision", _("Notice of the decision")))
    if reported:
        documents.append(("report", _("Performance report")))
    if application.settled_on is not None:
        documents.append(("settlement", _("Notice of the confirmed amount")))
    return documents


def staff_actions(application: Application, user) -> list[workflow.Transition]:
    """The buttons of the review page: exactly the staff rows workflow.available allows."""
    return [row for row in workflow.available(application, user) if row.role in policy.STAFF_ROLES]


def review_detail(user, pk: int) -> ReviewDetail:
    """Everything the review page shows about one application, or 404 outside the scope."""
    application = get_object_or_404(
        review_scope(user)
        .with_paid()
        .with_advances()
        .select_related(
            "council__district",
            "program_year__program",
            "recommended_by",
            "decided_by",
            "report",
        )
        .prefetch_related(
            _versions_prefetch(),
            Prefetch("attachments", queryset=Attachment.objects.order_by("uploaded_at", "pk")),
            Prefetch(
                "events",
                queryset=ApplicationEvent.objects.select_related("actor").order_by("at", "pk"),
            ),
            Prefetch(
                "payments",
                queryset=Payment.objects.select_related("recorded_by").order_by("paid_on", "pk"),
            ),
        ),
        pk=pk,
    )
    versions = [version_view(version) for version in application.versions.all()]
    by_status = {view.version.status: view for view in versions}
    current = by_status.get(VersionStatus.CURRENT)
    proposed = by_status.get(VersionStatus.PROPOSED)
    earlier = [
        view
        for view in reversed(versions)
        if view.version.status in (VersionStatus.SUPERSEDED, VersionStatus.REFUSED)
    ]
    attachments = [item for item in application.attachments.all() if not item.for_report]
    receipts = [item for item in application.attachments.all() if item.for_report]
    allocation = rules.allocation_for(application)

    report_view = None
    report = getattr(application, "report", None)
    if report is not None and report.submitted_at is not None:
        lines = list(
            ReportLine.objects.filter(report=report)
            .select_related("category")
            .order_by("side", "order", "pk")
        )
        report_view = ReportView(
            report=report,
            income=[line for line in lines if line.side == Side.INCOME],
            expense=[line for line in lines if line.side == Side.EXPENSE],
            totals=rules.totals(lines),
            indicators=list(
                ReportIndicator.objects.filter(report=report)
                .select_related("indicator__initiative")
                .order_by("indicator__order", "indicator__pk")
            ),
            checklist=report_checklist(application, report, lines, receipts),
        )
    settlement = None
    if application.state == State.REPORT_ACCEPTED:
        settlement = decisions.settlement_figures(application)

    under_review = proposed if application.state == State.CHANGE_REQUESTED and proposed else current
    checklist = (
        application_checklist(
            application, under_review, allocation=allocation, attachments=attachments
        )
        if under_review
        else []
    )
    four_eyes = workflow.four_eyes_refusal(application, user)
    return ReviewDetail(
        application=application,
        allocation=allocation,
        current=current,
        proposed=proposed,
        earlier=earlier,
        attachments=attachments,
        receipts=receipts,
        events=[_event_view(event) for event in application.events.all()],
        payments=list(application.payments.all()),
        advance_limit=decisions.advance_limit(application),
        checklist=checklist,
        report=report_view,
        settlement=settlement,
        settlement_offset=bool(settlement and settlement["refund"])
        and application.program_year.refund_handling == RefundHandling.OFFSET,
        actions=staff_actions(application, user),
        waiting_for=waiting_labels(application.state),
        four_eyes_note=str(four_eyes) if four_eyes else None,
        print_documents=print_documents(application, reported=report_view is not None),
    )


# The action pages -----------------------------------------------------------------------------


def _version_with_lines(application: Application, status: str) -> VersionView | None:
    version = (
        application.versions.filter(status=status)
        .prefetch_related(
            Prefetch(
                "plan_rows",
                queryset=PlanRow.objects.prefetch_related("initiatives").order_by("order", "pk"),
            ),
            Prefetch(
                "budget_lines",
                queryset=BudgetLine.objects.select_related("category").order_by(
                    "side", "order", "pk"
                ),
            ),
        )
        .first()
    )
    return version_view(version) if version else None


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
            advance_limit=decisions.advance_limit(application),
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
