"""CSV files residents download, written for Excel in Japan: UTF-8 with a BOM, CRLF line ends.

Lines are produced one at a time and streamed, so a file of any length needs no more memory
than a line; the page cache still keeps small ones (core.cache).
"""

import csv
from collections.abc import Iterable, Iterator

from django.http import StreamingHttpResponse
from django.utils.http import content_disposition_header

# Excel opens a UTF-8 CSV as UTF-8 only when it starts with a byte order mark.
BOM = "\ufeff"


class _Echo:
    """A file-like object whose write returns the line, so csv.writer can feed a generator."""

    def write(self, value: str) -> str:
        return value


def csv_lines(header: list[str], rows: Iterable[Iterable]) -> Iterator[str]:
    """The header (after the BOM) and each row as one CSV line; None is written as empty."""
    writer = csv.writer(_Echo(), lineterminator="\r\n")
    yield BOM + writer.writerow(header)
    for row in rows:
        yield writer.writerow(["" if cell is None else cell for cell in row])


def csv_response(lines: Iterable[str], *, filename: str) -> StreamingHttpResponse:
    """A streamed download of `lines` (from csv_lines) named `filename`."""
    response = StreamingHttpResponse(
        (line.encode("utf-8") for line in lines), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response
