"""Time the public pages and count their queries against the current database.

    .venv/bin/python manage.py seed_demo && .venv/bin/python scripts/bench_pages.py [--runs 50]

Reports, per page, the median and 95th-percentile time of a full request through Django's test
client (no network), the number of SQL queries, and the peak Python memory of one request.
Figures are for comparing before and after a change on the same machine, not absolute targets.
"""

import argparse
import os
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kyodo_portal.settings")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    from districts.models import District
    from organizations.models import Organization
    from plans.models import Meeting, Plan

    setup_test_environment()
    district = District.objects.order_by("display_order").first()
    group = Organization.objects.published().order_by("pk").first()
    plan = Plan.objects.public().order_by("pk").first()
    meeting = Meeting.objects.published().past().exclude(minutes="").first()
    if None in (district, group, plan, meeting):
        sys.exit("No data: run `manage.py seed_demo` first.")
    pages = [
        "/",
        "/districts/",
        district.get_absolute_url(),
        "/organizations/",
        "/organizations/?field=disaster&page=2",
        group.get_absolute_url(),
        plan.get_absolute_url(),
        "/meetings/",
        meeting.get_absolute_url(),
        "/meetings/calendar.ics",
        "/feeds/updates.atom",
    ]
    client = Client()
    print(f"{'page':45} {'median ms':>10} {'p95 ms':>8} {'queries':>8} {'peak KiB':>9}")
    for url in pages:
        client.get(url)  # warm caches and templates
        timings = []
        for _ in range(args.runs):
            start = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        with CaptureQueriesContext(connection) as queries:
            tracemalloc.start()
            client.get(url)
            _, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
        p95 = statistics.quantiles(timings, n=20)[-1] if len(timings) >= 20 else max(timings)
        print(
            f"{url:45} {statistics.median(timings):10.1f} {p95:8.1f} "
            f"{len(queries):8d} {peak / 1024:9.0f}"
        )


if __name__ == "__main__":
    main()
