"""The residents' CSV of a year's grants, written for Excel: UTF-8 with a BOM, CRLF line ends."""

from collections.abc import Iterator

from django.utils.translation import gettext as _

from core.csv_export import csv_lines

from .models import ProgramYear, State
from .selectors import public as selectors


def year_csv_lines(year: ProgramYear) -> Iterator[str]:
    """The CSV of the year's public figures, one encoded-ready line at a time.

    Headers and state names are translated now, in the request's language: the lines are
    written later, while the response streams.
    """
    components, rows = selectors.year_csv_rows(year)
    header = [
        _("District"),
        _("Council"),
        _("Allocation (yen)"),
        *(component.label for component in components),
        _("State"),
        _("Granted (yen)"),
        _("Confirmed (yen)"),
        _("Refund (yen)"),
    ]
    state_labels = {state.value: str(state.label) for state in State}

    return csv_lines(
        header,
        (
            [
                row.district,
                row.council,
                row.allocation,
                *row.component_amounts,
                state_labels.get(row.state, ""),
                row.granted,
                row.confirmed,
                row.refund,
            ]
            for row in rows
        ),
    )
