from decimal import Decimal

import pytest

from core.numbers import percent


@pytest.mark.parametrize(
    ("part", "whole", "places", "expected"),
    [
        (1, 8, 0, Decimal("13")),  # 12.5 rounds up, not to the even 12
        (1, 8, 1, Decimal("12.5")),
        (5, 2000, 1, Decimal("0.3")),  # 0.25 rounds up
        (2, 3, 1, Decimal("66.7")),
        (0, 10, 1, Decimal("0.0")),
    ],
)
def test_percent_rounds_halves_up(part, whole, places, expected):
    assert percent(part, whole, places=places) == expected


@pytest.mark.parametrize("whole", [0, None])
def test_percent_of_nothing_is_unknown(whole):
    assert percent(1, whole) is None
