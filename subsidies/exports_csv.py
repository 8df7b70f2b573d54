"""The residents' CSV of a year's grants, written for Excel: UTF-8 with a BOM, CRLF line ends."""

import csv
from collections.abc import Iterator

from django.utils.translation import gettext as _

from .models import ProgramYear, State
from .selectors import public as selectors

BOM = "\ufeff"


class _Echo:
    """A file-like object whose write returns the line, so csv.writer can feed a generator."""

    def write(self, value: str) -> str:
        return value


def _cell(value: int | None) -> str | int:
    return "" if value is None else value


def year_csv_lines(year: ProgramYear) -> Iterator[str]:
    """The CSV of the year's public figures, one encoded-ready line at a time.

    Headers and state names are translated now, in the request's language: the lines are
    written later, while the response streams.
    """
    components, rows = selectors.year_csv_rows(year)
    writer = csv.writer(_Echo(), lineterminator="\r\n")
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

    def lines() -> Iterator[str]:
        yield BOM + writer.writerow(header)
        for row in rows:
            yield writer.writerow(
                [
                    row.district,
                    row.council,
                    row.allocation,
                    *(_cell(amount) for amount in row.component_amounts),
                    state_labels.get(row.state, ""),
                    _cell(row.granted),
                    _cell(row.confirmed),
                    _cell(row.refund),
                ]
            )

    return lines()
