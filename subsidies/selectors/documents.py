"""The official documents of an application, as the city files them, and its attachments.

Only the council's coordinators and the staff who may review the application reach them; for
anyone else, and for a document the application's state does not yet allow, the answer is 404.
"""

import datetime as dt
from dataclasses import dataclass

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .. import rules
from ..models import (
    Application,
    ApplicationVersion,
    Attachment,
    BudgetLine,
    ExpenseCategory,
    IncomeSource,
    PlanRow,
    Report,
    ReportLine,
    State,
    VersionStatus,
)
from ..parts import document_exists, filed_report, printable_documents, report_or_none
from ..policy import councils_applications, reviewable_applications
from .application import (
    by_side,
    current_budget_lines,
    filed_attachments,
    report_lines,
    version_view,
)


@dataclass(frozen=True)
class DocumentAccess:
    application: Application
    for_council: bool  # the user is one of the council's coordinators, not staff


def application_for_documents(user, pk: int) -> DocumentAccess:
    """The application if the user coordinates its council or may review it; else 404."""
    related = ("program_year__program", "council__district", "report")
    application = councils_applications(user).select_related(*related).filter(pk=pk).first()
    if application is not None:
        return DocumentAccess(application, for_council=True)
    application = get_object_or_404(reviewable_applications(user).select_related(*related), pk=pk)
    return DocumentAccess(application, for_council=False)


def attachment_for_download(user, pk: int, attachment_pk: int) -> Attachment:
    """One of the application's attachments, under the same rule as the documents."""
    access = application_for_documents(user, pk)
    return get_object_or_404(Attachment, application=access.application, pk=attachment_pk)


def _local_date(moment: dt.datetime) -> dt.date:
    return timezone.localdate(moment)


# A printed document that is not the one in force says so on every sheet and in its title, so
# that it cannot be taken for the form the city holds: 下書き before it is filed, 控え when it
# was returned, withdrawn or replaced by a later version.
@dataclass(frozen=True)
class PrintMark:
    kind: str  # "draft" or "copy": how the sheets look
    label: Promise  # 下書き / 控え, added to the title and printed across each sheet
    note: Promise  # why, in the band at the top of each sheet


DRAFT = PrintMark(
    "draft",
    pgettext_lazy("printed document", "Draft"),
    _("Draft: not filed with the city. This is not the application."),
)


def _copy(note: Promise) -> PrintMark:
    """A copy (控え): printed for the council's or the city's records, never the form in force."""
    return PrintMark("copy", pgettext_lazy("printed document", "Copy"), note)


RETURNED_COPY = _copy(
    _("Copy: returned to the council for correction. It is not the application in force.")
)
WITHDRAWN_COPY = _copy(_("Copy: the council withdrew this application."))
EARLIER_COPY = _copy(
    _("Copy: an earlier version, replaced or not accepted. It is not the application in force.")
)
REPORT_RETURNED_COPY = _copy(_("Copy: the report was returned to the council for correction."))

# Versions printed only as a copy: replaced by an approved change, or a change refused.
EARLIER_VERSIONS = (VersionStatus.SUPERSEDED, VersionStatus.REFUSED)


# The application (交付申請書, 事業計画書, 収支予算書) ---------------------------------------------


@dataclass(frozen=True)
class ApplicationDocument:
    application: Application
    version: ApplicationVersion
    filed_on: dt.date | None  # none on a draft: it has not been filed
    plan_rows: list[PlanRow]
    plan_total: int
    income: list[BudgetLine]
    expenses: list[BudgetLine]
    totals: rules.Totals
    attachments: list[Attachment]
    mark: PrintMark | None  # None: the application as filed and in force


def application_mark(application: Application, version: ApplicationVersion) -> PrintMark | None:
    """下書き, 控え, or nothing for the application as it stands filed."""
    if application.submitted_at is None:
        return DRAFT
    if version.status in EARLIER_VERSIONS:
        return EARLIER_COPY
    if application.state == State.RETURNED:
        return RETURNED_COPY
    if application.state == State.WITHDRAWN:
        return WITHDRAWN_COPY
    return None


def application_document(
    application: Application, *, for_council: bool = False, version_number: int | None = None
) -> ApplicationDocument:
    """The current version, or an earlier one (`version_number`), marked unless in force.

    The council prints its draft too, marked 下書き; the city sees nothing before it is filed.
    """
    if not document_exists(application, "application", for_council=for_council):
        raise Http404
    if version_number is None:
        versions = application.versions.filter(status=VersionStatus.CURRENT)
    else:
        versions = application.versions.filter(
            number=version_number, status__in=[VersionStatus.CURRENT, *EARLIER_VERSIONS]
        )
    view = version_view(versions)
    if view is None:
        raise Http404
    version = view.version
    return ApplicationDocument(
        application=application,
        version=version,
        filed_on=_local_date(application.submitted_at) if application.submitted_at else None,
        plan_rows=view.plan_rows,
        plan_total=view.plan_total,
        income=view.income,
        expenses=view.expenses,
        totals=view.totals,
        attachments=list(filed_attachments(application, for_report=False)),
        mark=application_mark(application, version),
    )


# The decision (交付決定通知書) --------------------------------------------------------------------


@dataclass(frozen=True)
class DecisionDocument:
    application: Application
    applied_on: dt.date | None


def decision_document(application: Application) -> DecisionDocument:
    """Available once the grant is decided."""
    if not document_exists(application, "decision"):
        raise Http404
    applied_on = _local_date(application.submitted_at) if application.submitted_at else None
    return DecisionDocument(application=application, applied_on=applied_on)


# The report (実績報告書, 収支決算書) --------------------------------------------------------------


@dataclass(frozen=True)
class Comparison:
    """One item of the statement of accounts: what was budgeted and what was spent or received."""

    label: str
    budget: int
    actual: int

    @property
    def difference(self) -> int:
        return self.actual - self.budget


def _income_comparison(budget: list, actual: list) -> list[Comparison]:
    rows = []
    for source in IncomeSource:
        planned = sum(line.amount for line in budget if line.income_source == source)
        received = sum(line.amount for line in actual if line.income_source == source)
        if planned or received:
            rows.append(Comparison(str(source.label), planned, received))
    return rows


def _expense_comparison(budget: list, actual: list) -> list[Comparison]:
    categories: dict[int, ExpenseCategory] = {}
    for line in (*budget, *actual):
        categories.setdefault(line.category_id, line.category)
    return [
        Comparison(
            category.name,
            sum(line.amount for line in budget if line.category_id == category.pk),
            sum(line.amount for line in actual if line.category_id == category.pk),
        )
        for category in sorted(categories.values(), key=lambda c: (c.order, c.pk))
    ]


@dataclass(frozen=True)
class Accounts:
    """The statement of accounts (収支決算): each income and expense item budgeted and actual."""

    income: list[Comparison]
    expenses: list[Comparison]
    budget_totals: rules.Totals
    actual_totals: rules.Totals


def accounts(budget: list, actual: list) -> Accounts:
    """The statement of a decided budget's lines and a report's (each with its category)."""
    budget_income, budget_expenses = by_side(budget)
    actual_income, actual_expenses = by_side(actual)
    return Accounts(
        income=_income_comparison(budget_income, actual_income),
        expenses=_expense_comparison(budget_expenses, actual_expenses),
        budget_totals=rules.totals(budget),
        actual_totals=rules.totals(actual),
    )


def settled_accounts(application_pk: int) -> Accounts:
    """The statement of a settled grant, for the residents' pages: two queries."""
    actual = ReportLine.objects.filter(report__application=application_pk).select_related(
        "category"
    )
    return accounts(list(current_budget_lines(application_pk)), list(actual))


@dataclass(frozen=True)
class ReportDocument:
    application: Application
    report: Report
    filed_on: dt.date
    income: list[Comparison]
    expenses: list[Comparison]
    budget_totals: rules.Totals
    actual_totals: rules.Totals
    expense_lines: list[ReportLine]
    attachments: list[Attachment]
    mark: PrintMark | None


def report_document(application: Application) -> ReportDocument:
    """Available once the report has been filed."""
    report = filed_report(application)
    if report is None:
        raise Http404
    actual = report_lines(report)
    statement = accounts(list(current_budget_lines(application)), actual)
    return ReportDocument(
        application=application,
        report=report,
        filed_on=_local_date(report.submitted_at),
        income=statement.income,
        expenses=statement.expenses,
        budget_totals=statement.budget_totals,
        actual_totals=statement.actual_totals,
        expense_lines=sorted(by_side(actual)[1], key=lambda line: (line.spent_on, line.pk)),
        attachments=list(filed_attachments(application, for_report=True)),
        mark=REPORT_RETURNED_COPY if application.state == State.REPORT_RETURNED else None,
    )


# The settlement (額の確定通知書) ------------------------------------------------------------------


@dataclass(frozen=True)
class SettlementDocument:
    application: Application
    reported_on: dt.date | None
    paid_before: int  # paid before the amount was confirmed
    final_payment: int  # still to pay the council (精算払)
    refund: int  # to return, or to offset against next year's grant


def settlement_document(application: Application) -> SettlementDocument:
    """Available once the amount is confirmed."""
    if not document_exists(application, "settlement"):
        raise Http404
    report = report_or_none(application)
    # A final payment recorded after the notice is what the notice announces, not a prior one.
    paid_before = application.payments.before_settlement().total()
    return SettlementDocument(
        application=application,
        reported_on=_local_date(report.submitted_at) if report and report.submitted_at else None,
        paid_before=paid_before,
        final_payment=max(application.confirmed_amount - paid_before, 0),
        refund=application.refund_amount,
    )


BUILDERS = {
    "application": application_document,
    "decision": decision_document,
    "report": report_document,
    "settlement": settlement_document,
}


def document(access: DocumentAccess, slug: str, *, version: str | None = None):
    """The named document of the application, or 404 when it does not exist (yet).

    `version` (the application only) names an earlier version to print as a copy.
    """
    builder = BUILDERS.get(slug)
    if builder is None:
        raise Http404
    if slug != "application":
        if version is not None:
            raise Http404
        return builder(access.application)
    try:
        number = None if version is None else int(version)
    except ValueError:
        raise Http404 from None
    return application_document(
        access.application, for_council=access.for_council, version_number=number
    )


def available_documents(application: Application, *, for_council: bool = False) -> list[str]:
    """The documents the application's state allows, in filing order, for links between them."""
    return [slug for slug, _title in printable_documents(application, for_council=for_council)]
