"""The one CSV writer keeps typed text from running as a spreadsheet formula."""

import csv
import io
from decimal import Decimal

import pytest

from core.csv_export import csv_lines


def rows_of(lines) -> list[list[str]]:
    text = "".join(lines).removeprefix("\ufeff")
    return list(csv.reader(io.StringIO(text, newline="")))


@pytest.mark.parametrize(
    "typed",
    [
        '=HYPERLINK("http://x","y")',
        "+81-3-1234",
        "-2+3",
        "@SUM(A1:A2)",
        "\t=1+1",
        "\r=1+1",
    ],
)
def test_text_a_spreadsheet_would_run_gets_an_apostrophe(typed):
    [_, row] = rows_of(csv_lines(["name"], [[typed]]))
    assert row == ["'" + typed]


def test_numbers_stay_numbers_and_plain_text_is_untouched():
    [header, row] = rows_of(
        csv_lines(["=title", "b"], [[-1000, Decimal("-2.5"), "東町自治会", "a=b", None, 0]])
    )
    assert header == ["'=title", "b"]
    assert row == ["-1000", "-2.5", "東町自治会", "a=b", "", "0"]
