"""The application as every audience reads it: versions, plan, budget, report, history, payments,
files, printable documents and who acts next.

The council's and the staff's pages filter what they may see and add what only they act on;
what an application holds is read here, in a fixed number of queries.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from core.names import person_name
from plans.models import Initiative

from .. import policy, rules, workflow
from ..models import (
    Allocation,
    Application,
    ApplicationEvent,
    ApplicationVersion,
    Attachment,
    BudgetLine,
    Payment,
    PlanRow,
    Report,
    ReportIndicator,
    ReportLine,
    Side,
    State,
    VersionStatus,
)
from ..parts import filed_report, part_label, printable_documents, report_or_none

# Who reads the application: the council's coordinators or the city's grant staff.
COUNCIL = "council"
STAFF = "staff"


def waiting_labels(state: str, *, audience: str) -> list[str]:
    """Who moves an application on from this state, as the audience names them."""
    return [role_label(role, audience=audience) for role in workflow.waiting_for(State(state))]


def role_label(role: str, *, audience: str) -> str:
    """A workflow role as the audience names it (policy.ROLES): the council hears "your council"
    and "the city (grant officer)", the staff the roles' own names."""
    declared = policy.ROLES[role]
    return str(declared.council_label if audience == COUNCIL else declared.label)


# How each recorded action reads in the history: the services' own entries, and the workflow's
# moves in the past tense. A move not named here reads as its workflow label.
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


def history_label(action: str) -> str:
    if action in EVENT_LABELS:
        return str(EVENT_LABELS[action])
    row = next((row for row in workflow.TRANSITIONS if row.action == action), None)
    return str(row.label) if row else action


# One version --------------------------------------------------------------------------------


def version_contents() -> list[Prefetch]:
    """What a version is read with: its plan rows (and their initiatives), its budget lines."""
    return [
        Prefetch(
            "plan_rows",
            queryset=PlanRow.objects.prefetch_related(
                Prefetch("initiatives", queryset=Initiative.objects.select_related("plan"))
            ),
        ),
        Prefetch("budget_lines", queryset=BudgetLine.objects.select_related("category")),
    ]


def versions_prefetch() -> Prefetch:
    """The application's versions, oldest first, each with its contents."""
    return Prefetch(
        "versions",
        queryset=ApplicationVersion.objects.select_related("created_by")
        .prefetch_related(*version_contents())
        .order_by("number"),
    )


def with_contents(versions: QuerySet[ApplicationVersion]) -> QuerySet[ApplicationVersion]:
    return versions.prefetch_related(*version_contents())


@dataclass(frozen=True)
class VersionView:
    """A version as the pages show it: its plan rows, its budget's two sides and their totals."""

    version: ApplicationVersion
    plan_rows: list[PlanRow]
    income: list[BudgetLine]
    expenses: list[BudgetLine]
    totals: rules.Totals

    @classmethod
    def of(cls, version: ApplicationVersion) -> "VersionView":
        """From a version read `with_contents` (or through `versions_prefetch`)."""
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

    @property
    def has_ineligible(self) -> bool:
        return any(not line.category.eligible for line in self.expenses)

    def filing(
        self,
        application: Application,
        *,
        attachments: list[Attachment],
        allocation: Allocation | None,
    ) -> rules.Filing:
        """This version as rules.APPLICATION_CHECKS read it, from the rows already fetched."""
        return rules.Filing(
            application=application,
            version=self.version,
            plan_rows=self.plan_rows,
            lines=self.income + self.expenses,
            attachments=attachments,
            allocation=allocation,
        )


def version_view(versions: QuerySet[ApplicationVersion]) -> VersionView | None:
    """The first of these versions with its contents, or None."""
    version = with_contents(versions).first()
    return VersionView.of(version) if version else None


def current_budget_lines(application: Application) -> QuerySet[BudgetLine]:
    """The decided budget: what the actual budget starts from and is compared with."""
    return BudgetLine.objects.filter(
        version__application=application, version__status=VersionStatus.CURRENT
    ).select_related("category")


# The report ---------------------------------------------------------------------------------


@dataclass
class ReportView:
    """The report with its actual budget's two sides, their totals and the indicator results."""

    report: Report
    income: list[ReportLine]
    expenses: list[ReportLine]
    totals: rules.Totals
    indicators: list[ReportIndicator]
    checklist: list = field(default_factory=list)  # the staff's checks, when they review it

    @property
    def gap(self) -> int:
        return abs(self.totals.difference)


def report_view(application: Application, *, filed_only: bool) -> ReportView | None:
    """The application's report (read from `select_related("report")`), or None."""
    report = filed_report(application) if filed_only else report_or_none(application)
    if report is None:
        return None
    lines = list(ReportLine.objects.filter(report=report).select_related("category"))
    return ReportView(
        report=report,
        income=[line for line in lines if line.side == Side.INCOME],
        expenses=[line for line in lines if line.side == Side.EXPENSE],
        totals=rules.totals(lines),
        indicators=list(
            ReportIndicator.objects.filter(report=report).select_related("indicator__initiative")
        ),
    )


# The history --------------------------------------------------------------------------------


@dataclass(frozen=True)
class HistoryEntry:
    event: ApplicationEvent
    at: dt.datetime  # in the site's time zone, for the 和暦 date and the time
    label: str
    actor_name: str
    reasons: list[tuple[str, str]]  # (part's label, what to correct)

    @property
    def moved(self) -> bool:
        return self.event.from_state != self.event.to_state


def history_entry(event: ApplicationEvent) -> HistoryEntry:
    return HistoryEntry(
        event=event,
        at=timezone.localtime(event.at),
        label=history_label(event.action),
        actor_name=person_name(event.actor),
        reasons=[(part_label(part), text) for part, text in (event.reasons or {}).items()],
    )


def latest_reasons(events: list[ApplicationEvent], action: str) -> dict[str, str]:
    for event in reversed(events):
        if event.action == action:
            return dict(event.reasons)
    return {}


# The whole application ----------------------------------------------------------------------


def read_queryset(applications: QuerySet[Application]) -> QuerySet[Application]:
    """The audience's applications, with everything `read` uses fetched up front."""
    return (
        applications.with_paid()
        .select_related("program_year__program", "council__district", "report")
        .prefetch_related(
            versions_prefetch(),
            Prefetch("attachments", queryset=Attachment.objects.order_by("uploaded_at", "pk")),
            Prefetch(
                "events",
                queryset=ApplicationEvent.objects.select_related("actor").order_by("at", "pk"),
            ),
            Prefetch(
                "payments",
                queryset=Payment.objects.select_related("recorded_by").order_by("paid_on", "pk"),
            ),
        )
    )


@dataclass
class ApplicationReading:
    """The application as read: what both the council's and the staff's pages show."""

    application: Application
    allocation: Allocation | None
    versions: list[VersionView]
    payments: list[Payment]
    history: list[HistoryEntry]
    attachments: list[Attachment]
    receipts: list[Attachment]  # filed with the report
    report: ReportView | None
    reasons: dict[str, str]  # what the latest return asks to correct, while it is to be done
    report_reasons: dict[str, str]
    waiting_for: list[str]
    print_documents: list[tuple[str, str]]  # (slug, title) for grants:print

    @property
    def paid(self) -> int:
        return self.application.paid_total

    @property
    def events(self) -> list[HistoryEntry]:
        """The history, under the name the review page has always given it."""
        return self.history

    def _with_status(self, status: str) -> VersionView | None:
        return next((view for view in self.versions if view.version.status == status), None)

    @property
    def current(self) -> VersionView | None:
        return self._with_status(VersionStatus.CURRENT)

    @property
    def proposed(self) -> VersionView | None:
        return self._with_status(VersionStatus.PROPOSED)

    @property
    def earlier(self) -> list[VersionView]:
        """Versions replaced by an approved change or refused, newest first."""
        return [
            view
            for view in reversed(self.versions)
            if view.version.status in (VersionStatus.SUPERSEDED, VersionStatus.REFUSED)
        ]

    @property
    def submitted_on(self) -> dt.date | None:
        submitted = self.application.submitted_at
        return timezone.localdate(submitted) if submitted else None

    @property
    def report_submitted_on(self) -> dt.date | None:
        submitted = self.report.report.submitted_at if self.report else None
        return timezone.localdate(submitted) if submitted else None


def read(application: Application, *, audience: str) -> dict:
    """The fields of an ApplicationReading, from an application fetched by `read_queryset`.

    The staff read the report once it is filed; the council also while writing it.
    """
    events = list(application.events.all())
    attachments = list(application.attachments.all())
    state = application.state
    return {
        "application": application,
        "allocation": rules.allocation_for(application),
        "versions": [VersionView.of(version) for version in application.versions.all()],
        "payments": list(application.payments.all()),
        "history": [history_entry(event) for event in events],
        "attachments": [item for item in attachments if not item.for_report],
        "receipts": [item for item in attachments if item.for_report],
        "report": report_view(application, filed_only=audience == STAFF),
        "reasons": latest_reasons(events, "return") if state == State.RETURNED else {},
        "report_reasons": (
            latest_reasons(events, "return_report") if state == State.REPORT_RETURNED else {}
        ),
        "waiting_for": waiting_labels(state, audience=audience),
        "print_documents": printable_documents(application, for_council=audience == COUNCIL),
    }
