"""The parts of an application, the council's steps that edit them, and the documents it prints.

Declared once, like the workflow: the return form names these parts, the council's steps and its
list of corrections are built from them, and the printed documents exist by these rules whether
the council, the review page or the print page asks.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .models import Application, Report
from .states import DECIDED_STATES, State


@dataclass(frozen=True)
class Part:
    """A part of the application or of the report that a return for correction can name."""

    slug: str
    label: Promise
    step: str  # the council's step where the part is corrected
    of_report: bool = False


# In the order of the council's steps.
PARTS: tuple[Part, ...] = (
    Part("basics", _("Basic information"), "basics"),
    Part("plan", _("Business plan"), "plan"),
    Part("budget", _("Budget"), "budget"),
    Part("attachments", _("Attachments"), "attachments"),
    Part("report", _("What was done"), "report", of_report=True),
    Part("report_budget", _("Actual budget"), "report", of_report=True),
    Part("receipts", _("Receipts"), "receipts", of_report=True),
)
PART_LABELS: dict[str, Promise] = {part.slug: part.label for part in PARTS}
APPLICATION_PARTS: dict[str, Promise] = {
    part.slug: part.label for part in PARTS if not part.of_report
}
REPORT_PARTS: dict[str, Promise] = {part.slug: part.label for part in PARTS if part.of_report}
PART_ORDER: tuple[str, ...] = tuple(PART_LABELS)


def part_label(slug: str) -> str:
    """The part's label; a part no longer declared reads as its key."""
    return str(PART_LABELS.get(slug, slug))


# The council's steps: one per application part, then the check before submitting. A change
# request (変更申請) keeps the attachments filed with the application.
STEP_LABELS: dict[str, Promise] = {**APPLICATION_PARTS, "check": _("Check your answers")}
STEPS: dict[str, tuple[str, ...]] = {
    "application": tuple(STEP_LABELS),
    "change": tuple(step for step in STEP_LABELS if step != "attachments"),
}
REPORT_STEP_LABELS: dict[str, Promise] = {
    "report": _("Report and actual budget"),
    "receipts": REPORT_PARTS["receipts"],
}


def parts_of_step(step: str) -> set[str]:
    """The parts a step corrects (the report's step holds the report and its actual budget)."""
    return {part.slug for part in PARTS if part.step == step}


# The printed documents ------------------------------------------------------------------------


def report_or_none(application: Application) -> Report | None:
    """The application's report, if begun (read from `select_related("report")` when given)."""
    try:
        return application.report
    except Report.DoesNotExist:
        return None


def filed_report(application: Application) -> Report | None:
    """The application's report once filed."""
    report = report_or_none(application)
    return report if report is not None and report.submitted_at is not None else None


@dataclass(frozen=True)
class Document:
    slug: str
    title: Promise
    exists: Callable[[Application, bool], bool]  # (application, for_council)
    draft_title: Promise | None = None  # the title while the application is not filed


# In filing order. The council prints its own draft too (marked 下書き); the city sees nothing
# before it is filed.
DOCUMENTS: tuple[Document, ...] = (
    Document(
        "application",
        _("Application (様式第1号)"),
        lambda application, for_council: application.submitted_at is not None or for_council,
        draft_title=_("Application (様式第1号), draft (下書き)"),
    ),
    Document(
        "decision",
        _("Notice of the decision"),
        lambda application, _for_council: (
            application.state in DECIDED_STATES and application.decided_on is not None
        ),
    ),
    Document(
        "report",
        _("Performance report"),
        lambda application, _for_council: filed_report(application) is not None,
    ),
    Document(
        "settlement",
        _("Notice of the confirmed amount"),
        lambda application, _for_council: (
            application.state == State.SETTLED and application.confirmed_amount is not None
        ),
    ),
)
DOCUMENT_SLUGS: tuple[str, ...] = tuple(document.slug for document in DOCUMENTS)


def document_exists(application: Application, slug: str, *, for_council: bool = False) -> bool:
    return any(
        document.slug == slug and document.exists(application, for_council)
        for document in DOCUMENTS
    )


def printable_documents(
    application: Application, *, for_council: bool = False
) -> list[tuple[str, str]]:
    """The documents the application's state allows, as (slug, title), in filing order."""
    return [
        (
            document.slug,
            str(
                document.draft_title
                if document.draft_title and application.submitted_at is None
                else document.title
            ),
        )
        for document in DOCUMENTS
        if document.exists(application, for_council)
    ]
