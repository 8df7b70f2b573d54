"""The year's applications and budgets as an Excel workbook, for the grant staff's own sheets.

The workbook is written row by row (openpyxl's write-only mode) from database iterators into a
temporary file that spills to disk when large, so memory stays bounded whatever the year's size.
"""

import tempfile
from collections.abc import Iterable

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from .models import BudgetLine, IncomeSource, ProgramYear, Side, State, VersionStatus

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CHUNK_SIZE = 2000
# Files up to this size stay in memory; larger ones go to a temporary file on disk.
SPOOL_BYTES = 8 * 1024 * 1024


def application_columns() -> list[str]:
    return [
        _("District"),
        _("Council"),
        _("State"),
        _("Requested (yen)"),
        _("Granted (yen)"),
        _("Paid (yen)"),
        _("Confirmed (yen)"),
        _("Refund (yen)"),
        _("Decision number"),
        _("Submitted on"),
        _("Decided on"),
        _("Settled on"),
        _("Cancelled on"),
    ]


def budget_columns() -> list[str]:
    return [
        _("District"),
        _("Version"),
        _("Income or expense"),
        _("Source or category"),
        _("Eligible"),
        _("Description"),
        _("Amount (yen)"),
    ]


def _text(sheet, value: str) -> WriteOnlyCell:
    """A cell that is always text: what councils typed never becomes a formula in Excel."""
    cell = WriteOnlyCell(sheet, value=value)
    if value:
        cell.data_type = "s"
    return cell


def _header(sheet, titles: list[str]) -> list[WriteOnlyCell]:
    bold = Font(bold=True)
    cells = []
    for title in titles:
        cell = _text(sheet, title)
        cell.font = bold
        cells.append(cell)
    return cells


def _widths(sheet, widths: tuple[int, ...]) -> None:
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width


def _local_date(moment):
    return timezone.localdate(moment) if moment else None


def application_rows(applications: QuerySet) -> Iterable[dict]:
    """The applications' figures as plain values, read in chunks."""
    return (
        applications.with_paid()
        .order_by("council__district__name_kana", "council__district__name", "pk")
        .values(
            "council__district__name",
            "council__name",
            "state",
            "requested_amount",
            "granted_amount",
            "paid_total",
            "confirmed_amount",
            "refund_amount",
            "decision_number",
            "submitted_at",
            "decided_on",
            "settled_on",
            "cancelled_on",
        )
        .iterator(chunk_size=CHUNK_SIZE)
    )


def budget_rows(applications: QuerySet, program_year: ProgramYear) -> Iterable[dict]:
    """The budget lines of the applications' current versions, read in chunks."""
    return (
        BudgetLine.objects.filter(
            version__application__in=applications.values("pk"),
            version__application__program_year=program_year,
            version__status=VersionStatus.CURRENT,
        )
        .order_by(
            "version__application__council__district__name_kana",
            "version__application__council__district__name",
            "version__application_id",
            "-side",  # income before expenses, as the forms print them
            "order",
            "pk",
        )
        .values(
            "version__application__council__district__name",
            "version__number",
            "side",
            "income_source",
            "category__name",
            "category__eligible",
            "description",
            "amount",
        )
        .iterator(chunk_size=CHUNK_SIZE)
    )


def year_workbook(program_year: ProgramYear, applications: QuerySet):
    """The two sheets (applications, budget lines) in a file positioned at its start.

    `applications` is the reviewer's scope; only the program year's filed applications are used.
    """
    applications = applications.filter(program_year=program_year)
    states = {state.value: str(state.label) for state in State}
    sides = {side.value: str(side.label) for side in Side}
    sources = {source.value: str(source.label) for source in IncomeSource}
    yes, no = _("Yes"), _("No")

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Applications"))
    _widths(sheet, (18, 28, 14, 14, 14, 14, 14, 14, 16, 12, 12, 12, 12))
    sheet.append(_header(sheet, application_columns()))
    for row in application_rows(applications):
        sheet.append(
            [
                _text(sheet, row["council__district__name"]),
                _text(sheet, row["council__name"]),
                states.get(row["state"], row["state"]),
                row["requested_amount"],
                row["granted_amount"],
                row["paid_total"],
                row["confirmed_amount"],
                row["refund_amount"],
                _text(sheet, row["decision_number"]),
                _local_date(row["submitted_at"]),
                row["decided_on"],
                row["settled_on"],
                row["cancelled_on"],
            ]
        )

    sheet = workbook.create_sheet(_("Budget lines"))
    _widths(sheet, (18, 8, 10, 24, 8, 32, 14))
    sheet.append(_header(sheet, budget_columns()))
    for row in budget_rows(applications, program_year):
        income = row["side"] == Side.INCOME
        sheet.append(
            [
                _text(sheet, row["version__application__council__district__name"]),
                row["version__number"],
                sides.get(row["side"], row["side"]),
                _text(
                    sheet,
                    sources.get(row["income_source"], "") if income else row["category__name"],
                ),
                "" if income else (yes if row["category__eligible"] else no),
                _text(sheet, row["description"]),
                row["amount"],
            ]
        )

    spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115 — the response closes it
    workbook.save(spool)
    spool.seek(0)
    return spool
