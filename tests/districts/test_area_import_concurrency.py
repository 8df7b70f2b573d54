"""Two imports of the same table at once: one writes it, the other is refused (PostgreSQL)."""

import threading
import time

import pytest
from django.db import connection, connections

from districts import area_import
from districts.area_import import PlanChanged, apply_import, plan_import
from districts.models import Area
from tests.factories import DistrictFactory, SuperUserFactory

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks are what PostgreSQL runs in production"
    ),
]

TABLE = (
    "小学校区,町名,町名かな,丁目,番地から,番地まで\n"
    "sakuradai,桜台,さくらだい,1,,\n"
    "sakuradai,桜台,さくらだい,2,,\n"
).encode()


def test_two_confirms_at_once_write_the_table_once(monkeypatch):
    DistrictFactory(slug="sakuradai")
    user = SuperUserFactory()
    fingerprint = plan_import(TABLE).fingerprint
    # Widen the window between planning and writing: without the lock both would plan to add
    # the same two areas before either wrote them.
    plan = area_import.plan_import

    def slow_plan(content):
        planned = plan(content)
        time.sleep(0.5)
        return planned

    monkeypatch.setattr(area_import, "plan_import", slow_plan)
    barrier = threading.Barrier(2)
    outcomes = []

    def confirm() -> None:
        try:
            barrier.wait(timeout=10)
            apply_import(content=TABLE, expected_fingerprint=fingerprint, by=user)
            outcomes.append("imported")
        except PlanChanged as refused:
            outcomes.append(("refused", refused.plan.has_changes))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=confirm) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes, key=str) == [("refused", False), "imported"]
    assert sorted(Area.objects.values_list("chome", flat=True)) == [1, 2]
