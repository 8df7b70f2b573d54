"""Two adoptions at once: only one adopted plan may cover a year (PostgreSQL row locks)."""

import threading
import time

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from plans.models import Plan, PlanStage
from tests.factories import DistrictFactory

pytestmark = [
    # serialized_rollback: the rows migrations made (role groups, content types) come back
    # after the flush, and later serialized tests do not find them twice.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks are what PostgreSQL runs in production"
    ),
]


def test_two_overlapping_adoptions_at_once_leave_one_adopted_plan(monkeypatch):
    # Widen the window between the check and the write, so that without the lock both
    # requests would pass the check before either writes.
    check = Plan.refuse_overlapping_adoption

    def slow_check(self):
        check(self)
        time.sleep(0.5)

    monkeypatch.setattr(Plan, "refuse_overlapping_adoption", slow_check)
    district = DistrictFactory()
    plans = [
        Plan.objects.create(district=district, title=f"案{n}", start_fy=2024, end_fy=2028)
        for n in range(2)
    ]
    barrier = threading.Barrier(2)
    outcomes = []

    def adopt(plan: Plan) -> None:
        try:
            barrier.wait(timeout=10)
            plan.stage, plan.adopted_on = PlanStage.ADOPTED, plan.created_at.date()
            plan.save()
            outcomes.append("adopted")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=adopt, args=(plan,)) for plan in plans]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes) == ["adopted", "refused"]
    assert Plan.objects.filter(district=district, stage=PlanStage.ADOPTED).count() == 1
