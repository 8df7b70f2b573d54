"""CSV files residents download, written for Excel in Japan: UTF-8 with a BOM, CRLF line ends.

Every CSV the portal serves is written here, so text that councils or staff typed never runs
as a formula when the file is opened in a spreadsheet (as the XLSX exports keep it text).

Lines are produced one at a time and streamed, so a file of any length needs no more memory
than a line; the page cache still keeps small ones (core.cache).
"""

import csv
from collections.abc import Iterable, Iterator

from django.http import StreamingHttpResponse
from django.utils.http import content_disposition_header

# Excel opens a UTF-8 CSV as UTF-8 only when it starts with a byte order mark.
BOM = "\ufeff"

# A spreadsheet reads a cell starting with one of these as a formula (or, for tab and CR, strips
# them and reads what follows): `=HYPERLINK(...)` in a council's name would become a live link.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class _Echo:
    """A file-like object whose write returns the line, so csv.writer can feed a generator."""

    def write(self, value: str) -> str:
        return value


def csv_cell(value):
    """The value as written: None as empty, text that a spreadsheet would read as a formula
    behind an apostrophe (OWASP's advice), numbers untouched so -1000 stays a number."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_lines(header: list[str], rows: Iterable[Iterable]) -> Iterator[str]:
    """The header (after the BOM) and each row as one CSV line, each cell through csv_cell."""
    writer = csv.writer(_Echo(), lineterminator="\r\n")
    yield BOM + writer.writerow([csv_cell(title) for title in header])
    for row in rows:
        yield writer.writerow([csv_cell(cell) for cell in row])


def csv_response(lines: Iterable[str], *, filename: str) -> StreamingHttpResponse:
    """A streamed download of `lines` (from csv_lines) named `filename`."""
    response = StreamingHttpResponse(
        (line.encode("utf-8") for line in lines), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response
