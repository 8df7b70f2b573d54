import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from tests.factories import LiaisonAssignmentFactory

pytestmark = pytest.mark.django_db


def test_overlapping_assignment_of_the_same_person_is_refused():
    first = LiaisonAssignmentFactory(start_on=dt.date(2025, 4, 1), end_on=None)
    second = LiaisonAssignmentFactory.build(
        user=first.user, district=first.district, start_on=dt.date(2026, 4, 1)
    )
    with pytest.raises(ValidationError) as refused:
        second.full_clean()
    assert refused.value.error_dict["__all__"][0].code == "overlapping_assignment"


def test_consecutive_assignments_are_allowed():
    first = LiaisonAssignmentFactory(start_on=dt.date(2024, 4, 1), end_on=dt.date(2025, 3, 31))
    second = LiaisonAssignmentFactory.build(
        user=first.user, district=first.district, start_on=dt.date(2025, 4, 1)
    )
    second.full_clean()


def test_an_assignment_may_be_edited_without_clashing_with_itself():
    assignment = LiaisonAssignmentFactory(start_on=dt.date(2025, 4, 1))
    assignment.public_phone = "0000-11-2222"
    assignment.full_clean()
