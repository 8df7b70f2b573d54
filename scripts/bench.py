"""Measure the portal on a database at a given scale: pages in-process, computations, served rates.

    make bench                                          # small scale, SQLite, a quick look
    make bench SCALE=large DATABASE_URL=postgres://…    # the figures docs/performance.md shows
    .venv/bin/python scripts/bench.py --scale small --runs 30 --duration 10 --concurrency 8
    .venv/bin/python scripts/bench.py --queries /districts/scale-0001/ --explain  # its SQL

What it does, in order:

1. Prepares the database named by DATABASE_URL: applies migrations when some are missing and,
   when no district of `manage.py grow_data` is there yet, runs seed_demo and grow_data --scale.
2. In-process, through Django's test client (no network), with DEBUG off and the production
   static storage: for every public page and the main coordinator and staff pages, the query
   count of one request and the p50/p95 time of --runs requests (fewer for a page slower than
   --page-budget), with the p50 of this process's CPU time and of the time spent waiting for
   the database (the rest is waiting for a core: other work on the machine). Public pages are
   timed
   uncached (PUBLIC_PAGE_CACHE_SECONDS=0: every request renders and its store is discarded) and
   cached (served by core.cache). Then the allocation computation for every district of a new
   program year, rolled back, and the year-end exports (the residents' CSV, the staff's XLSX):
   time, and peak Python memory (tracemalloc, in a second run, since tracing slows the code).
3. Served: gunicorn with the project's gunicorn.conf.py on a free 127.0.0.1 port, static files
   collected into a temporary STATIC_ROOT and served by WhiteNoise; ApacheBench (`ab`, Debian
   package apache2-utils) with keep-alive at --concurrency for --duration seconds per address,
   split into alternating rounds: the district page uncached (a gunicorn started with
   PUBLIC_PAGE_CACHE_SECONDS=0) and cached (another, with the page cache on), each next to the
   static file site.css under the same gunicorn, as a ratio.

It prints markdown tables and writes everything as JSON (bench/results-<scale>.json). Figures
are measurements on one machine, never pass/fail checks; the targets are shown beside them.
"""

import argparse
import datetime as dt
import json
import os
import platform
import re
import runpy
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import tracemalloc
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kyodo_portal.settings")

# The requirement's targets, printed beside the figures.
TARGET_UNCACHED_DISTRICT_P50_MS = 20.0
TARGET_CACHED_TO_STATIC = 0.5
# Ratios to the p50 of a page with no query (RATIO_BASE), measured in the same run.
RATIO_BASE = "Accessibility policy"
TARGET_FINDER = 2.0
TARGET_SEARCH = 10.0
STATIC_FILE = "css/site.css"


# --- Environment ---------------------------------------------------------------------------------


def production_like_environment(static_root: Path) -> dict[str, str]:
    """What settings.py needs to run as in production on this machine, over plain HTTP."""
    return {
        "DEBUG": "0",
        "SECRET_KEY": os.environ.get("SECRET_KEY") or secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "SECURE_SSL_REDIRECT": "0",
        "STATIC_ROOT": str(static_root),
        # A page answering other than 200 shows in the table, not as a log line per request.
        "LOG_LEVEL": os.environ.get("LOG_LEVEL", "ERROR"),
        # Production runs behind a proxy that buffers requests (README): gunicorn's sync workers.
        "BEHIND_BUFFERING_PROXY": os.environ.get("BEHIND_BUFFERING_PROXY", "1"),
    }


def collect_static(env: dict[str, str]) -> None:
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity=0"],
        cwd=ROOT,
        env={**os.environ, **env},
        check=True,
    )


# --- Preparing the database ----------------------------------------------------------------------


def prepare_database(scale: str, *, seed: int = 1) -> dict:
    """Migrate when needed; seed_demo and grow_data when the scale's districts are missing."""
    from django.db import DEFAULT_DB_ALIAS, connections

    connection = connections[DEFAULT_DB_ALIAS]
    if connection.vendor == "postgresql":
        # Growing a large city runs statements (ANALYZE, VACUUM, a migration on grown tables)
        # longer than the statement timeout that bounds pages; lifted for this session only
        # and reset before the pages are measured.
        with connection.cursor() as cursor:
            cursor.execute("SET statement_timeout = 0")
        try:
            return _prepare_database(connection, scale, seed=seed)
        finally:
            with connection.cursor() as cursor:
                cursor.execute("RESET statement_timeout")
    return _prepare_database(connection, scale, seed=seed)


def _prepare_database(connection, scale: str, *, seed: int) -> dict:
    from django.core.management import call_command
    from django.db.migrations.executor import MigrationExecutor

    from districts.models import District
    from kyodo_portal.management.commands._scale import SLUG_PREFIX, Targets, parse_scale

    executor = MigrationExecutor(connection)
    pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    done = {"migrated": False, "seeded": False, "grown": False}
    if pending:
        print(f"Applying {len(pending)} migration(s) …", flush=True)
        call_command("migrate", interactive=False, verbosity=0)
        done["migrated"] = True
    grown = District.objects.filter(slug__startswith=SLUG_PREFIX).count()
    if not grown:
        print("No scale data yet: seed_demo, then grow_data (this takes a while) …", flush=True)
        call_command("seed_demo", verbosity=0)
        call_command("grow_data", f"--scale={scale}", f"--seed={seed}", verbosity=1)
        done["seeded"] = done["grown"] = True
        grown = District.objects.filter(slug__startswith=SLUG_PREFIX).count()
    wanted = Targets.scaled(parse_scale(scale)).districts
    if grown != wanted:
        print(
            f"Note: the database holds {grown} grown districts; scale {scale} means {wanted}. "
            "The figures are for the data there is.",
            flush=True,
        )
    return done


def scale_counts() -> dict[str, int]:
    from django.apps import apps

    from demo.scale import SIZE

    return {name: apps.get_model(label).objects.count() for name, label in SIZE["models"].items()}


def machine_info() -> dict:
    import django
    import gunicorn
    from django.db import connection

    connection.ensure_connection()
    vendor = connection.vendor
    if vendor == "postgresql":
        major, rest = divmod(connection.pg_version, 10000)
        version = f"{major}.{rest}"
    elif vendor == "sqlite":
        import sqlite3

        version = sqlite3.sqlite_version
    else:
        version = ".".join(str(part) for part in connection.mysql_version)
    return {
        "cpu_count": os.cpu_count(),
        "platform": platform.platform(),
        "processor": platform.processor() or platform.machine(),
        "python": platform.python_version(),
        "django": django.get_version(),
        "gunicorn": gunicorn.__version__,
        "database": {"vendor": vendor, "version": version},
        # Other work on the machine slows every figure; this shows how busy it was.
        "load_average_at_start": [round(load, 2) for load in os.getloadavg()],
    }


# --- What to measure -------------------------------------------------------------------------


@dataclass(frozen=True)
class Page:
    name: str
    url: str
    audience: str  # "public", "coordinator" or "staff"
    status: int = 200
    # The target, as a multiple of the accessibility page's p50 in the same run.
    ratio_target: float | None = None


@dataclass
class Subjects:
    """Real records the pages are measured on: the busiest ones, so the figures are the worst."""

    district: object
    group: object
    plan: object
    meeting: object
    latest_year: object
    ended_year: object
    application: object
    coordinator: object
    officer: object


class NoData(Exception):
    pass


def pick_subjects() -> Subjects:
    from django.contrib.auth import get_user_model
    from django.db.models import Count

    from core import roles
    from districts.models import District
    from organizations.models import Organization
    from plans.models import Meeting, Plan
    from subsidies.models import CLOSED_STATES, Application, ProgramYear, State
    from subsidies.policy import may_review

    district = (
        District.objects.annotate(meeting_count=Count("meetings"))
        .order_by("-meeting_count", "pk")
        .first()
    )
    latest_year = ProgramYear.objects.order_by("-fiscal_year", "-pk").first()
    if district is None or latest_year is None:
        raise NoData("No districts or program years: run seed_demo and grow_data first.")
    ended_year = (
        ProgramYear.objects.filter(
            program=latest_year.program, fiscal_year__lt=latest_year.fiscal_year
        )
        .order_by("-fiscal_year")
        .first()
        or latest_year
    )
    group = (
        Organization.objects.published()
        .filter(districts=district)
        .annotate(officer_count=Count("officers"))
        .order_by("-officer_count", "pk")
        .first()
        or Organization.objects.published().order_by("pk").first()
    )
    plan = (
        Plan.objects.public().filter(district=district).order_by("-start_fy", "-pk").first()
        or Plan.objects.public().order_by("-start_fy", "-pk").first()
    )
    meetings = Meeting.objects.published().past().exclude(minutes="")
    meeting = (
        meetings.filter(district=district)
        .annotate(decision_count=Count("decisions"))
        .order_by("-decision_count", "-starts_at")
        .first()
        or meetings.order_by("-starts_at").first()
    )
    application = (
        # Filed and open (the year's live one, as both audiences open it), the longest budget.
        Application.objects.filter(program_year=latest_year, council__coordinators__is_active=True)
        .exclude(state__in=(State.DRAFT, *CLOSED_STATES))
        .annotate(line_count=Count("versions__budget_lines", distinct=True))
        .order_by("-line_count", "pk")
        .first()
    )
    coordinator = (
        application.council.coordinators.filter(is_active=True).order_by("pk").first()
        if application
        else None
    )
    officers = get_user_model().objects.filter(
        is_active=True, is_staff=True, is_superuser=False, groups__name=roles.GRANT_OFFICERS
    )
    officer = next((user for user in officers.order_by("pk") if may_review(user)), None)
    missing = [
        name
        for name, value in (
            ("a published group", group),
            ("a public plan", plan),
            ("a past published meeting with minutes", meeting),
            (f"a filed application of {latest_year.fiscal_year} with a coordinator", application),
            ("a grant officer", officer),
        )
        if value is None
    ]
    if missing:
        raise NoData("The database lacks " + ", ".join(missing) + ": run grow_data first.")
    return Subjects(
        district, group, plan, meeting, latest_year, ended_year, application, coordinator, officer
    )


def public_pages(s: Subjects) -> list[Page]:
    fy = s.latest_year.fiscal_year
    searched = "?" + "&".join(
        (f"district={s.district.slug}", "q=%E4%BC%9A", "kind=")  # q=会, in one district
    )
    return [
        Page("Overview", "/", "public"),
        Page("District list", "/districts/", "public"),
        Page("District page (busiest)", s.district.get_absolute_url(), "public"),
        Page("Directory", "/organizations/", "public"),
        Page("Directory, field filter, page 2", "/organizations/?field=disaster&page=2", "public"),
        Page("Directory, district and search", "/organizations/" + searched, "public"),
        Page("Group", s.group.get_absolute_url(), "public"),
        Page("Plan", s.plan.get_absolute_url(), "public"),
        Page("Meeting list", "/meetings/", "public"),
        Page("Meeting", s.meeting.get_absolute_url(), "public"),
        Page("Calendar feed (city)", "/meetings/calendar.ics", "public"),
        Page("Calendar feed (district)", f"/districts/{s.district.slug}/meetings.ics", "public"),
        Page("Atom feed", "/feeds/updates.atom", "public"),
        Page("Grants", "/grants/", "public"),
        Page(f"Grants {fy}", f"/grants/{fy}/", "public"),
        Page(f"Grants {fy} CSV", f"/grants/{fy}/grants.csv", "public"),
        Page(
            f"Grants {fy}, busiest district",
            f"/grants/{fy}/districts/{s.district.slug}/",
            "public",
        ),
        Page("Grants, busiest district's years", f"/grants/districts/{s.district.slug}/", "public"),
        *search_pages(s),
        Page(RATIO_BASE, "/accessibility/", "public"),
    ]


def search_pages(s: Subjects) -> list[Page]:
    """The finder with an address that names one district, and the site search for a common
    word, a rare one (the busiest group's name) and one that is nowhere."""
    from urllib.parse import urlencode

    from districts.models import Area

    pages = []
    area = Area.objects.filter(district=s.district, banchi_from__isnull=True).first()
    if area is not None:
        address = urlencode({"q": f"{area.place}1-1"})
        pages.append(
            Page("Finder, one match", f"/districts/find/?{address}", "public", 302, TARGET_FINDER)
        )
    for name, words in (
        ("Site search, common word (防災)", "防災"),
        ("Site search, rare word", s.group.name),
        ("Site search, no hits", "該当語句無"),
    ):
        pages.append(
            Page(name, "/search/?" + urlencode({"q": words}), "public", 200, TARGET_SEARCH)
        )
    return pages


def signed_in_pages(s: Subjects) -> list[Page]:
    fy = s.latest_year.fiscal_year
    pk = s.application.pk
    return [
        Page("Coordinator: dashboard", "/grants/applications/", "coordinator"),
        Page("Coordinator: application", f"/grants/applications/{pk}/", "coordinator"),
        Page("Staff: review queue", "/grants/review/", "staff"),
        Page("Staff: review application", f"/grants/review/{pk}/", "staff"),
        Page(f"Staff: year overview {fy}", f"/grants/review/years/{fy}/", "staff"),
        Page("Admin: meetings", "/admin/plans/meeting/", "staff"),
        Page("Admin: organizations", "/admin/organizations/organization/", "staff"),
        Page("Admin: applications", "/admin/subsidies/application/", "staff"),
    ]


# --- In-process measurement --------------------------------------------------------------------


def percentile(values: list[float], fraction: float) -> float:
    """The value below which `fraction` of the values lie (linear between ranks)."""
    ordered = sorted(values)
    if len(ordered) == 1:
        return ordered[0]
    rank = fraction * (len(ordered) - 1)
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def fetch(client, url: str):
    """One full request: streamed bodies (the CSV) are read to the end, as a client would.

    The test client closes the response itself (a streamed one once read to the end).
    """
    response = client.get(url)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return response.status_code, len(body)


class DatabaseTimer:
    """Adds up the time spent waiting for the database (a connection execute wrapper)."""

    def __init__(self):
        self.seconds = 0.0

    def __call__(self, execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - start


@dataclass
class Timings:
    wall: list[float]
    cpu: list[float]  # this process's CPU: excludes waiting for the database or for a core
    database: list[float]
    status: int
    size: int


def time_requests(client, url: str, runs: int, budget: float) -> Timings:
    """Up to `runs` timed requests, fewer once they have taken `budget` seconds (at least one)."""
    from django.db import connection

    timings = Timings([], [], [], 0, 0)
    timer = DatabaseTimer()
    with connection.execute_wrapper(timer):
        while len(timings.wall) < runs and (not timings.wall or sum(timings.wall) < budget * 1000):
            timer.seconds = 0.0
            start, start_cpu = time.perf_counter(), time.process_time()
            timings.status, timings.size = fetch(client, url)
            timings.wall.append((time.perf_counter() - start) * 1000)
            timings.cpu.append((time.process_time() - start_cpu) * 1000)
            timings.database.append(timer.seconds * 1000)
    return timings


def count_queries(client, url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        fetch(client, url)
    return len(captured)


@contextmanager
def page_cache_seconds(seconds: int):
    from django.conf import settings

    before = settings.PUBLIC_PAGE_CACHE_SECONDS
    settings.PUBLIC_PAGE_CACHE_SECONDS = seconds
    try:
        yield
    finally:
        settings.PUBLIC_PAGE_CACHE_SECONDS = before


def measure_page(client, page: Page, runs: int, budget: float, *, public: bool) -> dict:
    with page_cache_seconds(0):
        # Also the warm-up: templates compiled, the connection open.
        queries = count_queries(client, page.url)
        timings = time_requests(client, page.url, runs, budget)
    row = {
        "name": page.name,
        "url": page.url,
        "audience": page.audience,
        "expected_status": page.status,
        "ratio_target": page.ratio_target,
        "status": timings.status,
        "bytes": timings.size,
        "queries": queries,
        "runs": len(timings.wall),
        "p50_ms": round(percentile(timings.wall, 0.5), 2),
        "p95_ms": round(percentile(timings.wall, 0.95), 2),
        "cpu_p50_ms": round(percentile(timings.cpu, 0.5), 2),
        "database_p50_ms": round(percentile(timings.database, 0.5), 2),
    }
    if public:
        fetch(client, page.url)  # stores the page
        cached = time_requests(client, page.url, runs, budget)
        row["cached_p50_ms"] = round(percentile(cached.wall, 0.5), 2)
        row["cached_p95_ms"] = round(percentile(cached.wall, 0.95), 2)
    return row


def measure_pages(
    subjects: Subjects, runs: int, budget: float, progress: Callable[[str], None]
) -> list[dict]:
    from django.test import Client

    rows = []
    anonymous = Client()
    for page in public_pages(subjects):
        progress(page.url)
        rows.append(measure_page(anonymous, page, runs, budget, public=True))
    clients = {}
    for audience, user in (("coordinator", subjects.coordinator), ("staff", subjects.officer)):
        clients[audience] = Client()
        clients[audience].force_login(user)
    try:
        for page in signed_in_pages(subjects):
            progress(page.url)
            rows.append(measure_page(clients[page.audience], page, runs, budget, public=False))
    finally:
        for client in clients.values():
            client.logout()  # the bench's sessions leave the database with it
    return rows


class Rollback(Exception):
    pass


def measure_computation(work: Callable[[], dict], *, rolled_back: bool = False) -> dict:
    """Time one run, then trace the peak Python memory of another (tracing slows code down)."""
    from django.db import transaction

    def once(traced: bool) -> tuple[float, int, dict]:
        outcome: dict = {}
        if traced:
            tracemalloc.start()
        start = time.perf_counter()
        try:
            if rolled_back:
                try:
                    with transaction.atomic():
                        outcome = work()
                        raise Rollback
                except Rollback:
                    pass
            else:
                outcome = work()
            seconds = time.perf_counter() - start
            peak = tracemalloc.get_traced_memory()[1] if traced else 0
        finally:
            if traced:
                tracemalloc.stop()
        return seconds, peak, outcome

    seconds, _peak, outcome = once(traced=False)
    _seconds, peak, _outcome = once(traced=True)
    return {"seconds": round(seconds, 3), "peak_memory_kib": round(peak / 1024), **outcome}


def allocation_work(subjects: Subjects) -> Callable[[], dict]:
    """A new program year copied from the latest, and every granted district's allocation.

    The latest year's own allocations are fixed once it has decisions, as they are at scale;
    the yearly task this measures is setting the next year up and computing it.
    """
    from subsidies.models import ProgramYear
    from subsidies.services.allocations import compute_allocations, copy_program_year

    def work() -> dict:
        source = subjects.latest_year
        new_fy = (
            ProgramYear.objects.filter(program=source.program)
            .order_by("-fiscal_year")
            .values_list("fiscal_year", flat=True)
            .first()
            + 1
        )
        year = copy_program_year(program_year=source, fiscal_year=new_fy)
        # The copied budget was sized for the source year; this one only has to fit.
        ProgramYear.objects.filter(pk=year.pk).update(budget=10**13)
        start = time.perf_counter()
        allocations = compute_allocations(program_year=year)
        return {
            "districts": len(allocations),
            "fiscal_year": new_fy,
            "compute_seconds": round(time.perf_counter() - start, 3),
        }

    return work


def csv_work(subjects: Subjects) -> Callable[[], dict]:
    from django.utils import translation

    from subsidies.exports_csv import year_csv_lines

    def work() -> dict:
        size = rows = 0
        with translation.override("ja"):
            for line in year_csv_lines(subjects.ended_year):
                size += len(line.encode("utf-8"))
                rows += 1
        return {"rows": rows - 1, "bytes": size, "fiscal_year": subjects.ended_year.fiscal_year}

    return work


def xlsx_work(subjects: Subjects) -> Callable[[], dict]:
    from django.utils import translation

    from subsidies.exports import year_workbook
    from subsidies.policy import reviewable_applications

    def work() -> dict:
        with translation.override("ja"):
            spool = year_workbook(subjects.ended_year, reviewable_applications(subjects.officer))
        try:
            size = spool.seek(0, os.SEEK_END)
        finally:
            spool.close()
        return {"bytes": size, "fiscal_year": subjects.ended_year.fiscal_year}

    return work


def measure_computations(subjects: Subjects, progress: Callable[[str], None]) -> list[dict]:
    results = []
    for name, work, rolled_back in (
        ("Allocations for every district (new year, rolled back)", allocation_work, True),
        ("Year-end CSV (residents)", csv_work, False),
        ("Year-end XLSX (grant staff)", xlsx_work, False),
    ):
        progress(name)
        results.append(
            {"name": name, **measure_computation(work(subjects), rolled_back=rolled_back)}
        )
    return results


def in_process_results(
    scale: str, runs: int, budget: float, progress: Callable[[str], None] = lambda _m: None
) -> dict:
    """Pages and computations against the configured database (Django set up), with the
    machine and the data's size; the served part and the targets are added by the caller."""
    subjects = pick_subjects()
    return {
        "generated_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "scale": scale,
        "runs": runs,
        "page_budget_seconds": budget,
        "machine": machine_info(),
        "counts": scale_counts(),
        "page_cache": (
            "uncached: PUBLIC_PAGE_CACHE_SECONDS=0, every request renders and its store is "
            "discarded; cached: served from the page cache after one storing request"
        ),
        "subjects": {
            "district": subjects.district.slug,
            "program_year": subjects.latest_year.fiscal_year,
            "ended_year": subjects.ended_year.fiscal_year,
            "application": subjects.application.pk,
        },
        "pages": measure_pages(subjects, runs, budget, progress),
        "computations": measure_computations(subjects, progress),
    }


# --- Served: gunicorn and ApacheBench --------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def gunicorn_settings(env: dict[str, str]) -> dict:
    """What the project's gunicorn.conf.py resolves to with this environment."""
    saved = dict(os.environ)
    os.environ.update(env)
    try:
        config = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    finally:
        os.environ.clear()
        os.environ.update(saved)
    names = ("workers", "threads", "worker_class", "timeout", "max_requests")
    return {name: config[name] for name in names}


def worker_memory_mib(master_pid: int) -> list[float]:
    """Resident memory of each gunicorn worker (Linux /proc; empty elsewhere)."""
    try:
        children = Path(f"/proc/{master_pid}/task/{master_pid}/children").read_text().split()
    except OSError:
        return []
    sizes = []
    for child in children:
        try:
            status = Path(f"/proc/{child}/status").read_text()
        except OSError:
            continue
        found = re.search(r"^VmRSS:\s+(\d+) kB", status, re.M)
        if found:
            sizes.append(round(int(found.group(1)) / 1024, 1))
    return sorted(sizes)


@contextmanager
def gunicorn(env: dict[str, str], log_path: Path) -> Iterator[tuple[str, int]]:
    """The project's gunicorn on a free loopback port; yields its base URL and process id,
    stops it after."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with open(log_path, "ab") as log:
        # The arguments are this script's own, never outside input.
        process = subprocess.Popen(  # noqa: S603
            [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "gunicorn.conf.py")],
            cwd=ROOT,
            env={**os.environ, **env, "GUNICORN_BIND": f"127.0.0.1:{port}"},
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"gunicorn exited ({process.returncode}); see {log_path}")
            try:
                with urllib.request.urlopen(base + "/healthz", timeout=2) as answer:  # noqa: S310
                    if answer.status == 200:
                        break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"gunicorn did not answer within 60 s; see {log_path}")
            time.sleep(0.2)
        yield base, process.pid
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)  # graceful: the master stops its workers
            try:
                process.wait(timeout=40)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


ACCEPT_ENCODING = "Accept-Encoding: gzip, deflate, br"
AB_FIELDS = {
    "complete": re.compile(r"^Complete requests:\s+(\d+)", re.M),
    "failed": re.compile(r"^Failed requests:\s+(\d+)", re.M),
    "non_2xx": re.compile(r"^Non-2xx responses:\s+(\d+)", re.M),
    "requests_per_second": re.compile(r"^Requests per second:\s+([\d.]+)", re.M),
    "bytes": re.compile(r"^Document Length:\s+(\d+)", re.M),
    "p50_ms": re.compile(r"^\s+50%\s+(\d+)", re.M),
    "p95_ms": re.compile(r"^\s+95%\s+(\d+)", re.M),
}


def ab(url: str, *, concurrency: int, duration: float | None, requests: int | None) -> dict:
    """ApacheBench with keep-alive; a time limit, or a number of requests (the warm-up)."""
    # A browser's Accept-Encoding: WhiteNoise then sends its precompressed copy of the file.
    command = [ab_path(), "-k", "-q", "-c", str(concurrency), "-H", ACCEPT_ENCODING]
    if duration is not None:
        # -t implies -n 50000; the larger -n after it lets the time limit end the run.
        command += ["-t", str(duration), "-n", "10000000"]
    else:
        command += ["-n", str(requests)]
    done = subprocess.run(  # noqa: S603 — the bench's own arguments and loopback address
        [*command, url], capture_output=True, text=True, timeout=(duration or 60) + 120
    )
    if done.returncode != 0:
        raise RuntimeError(f"ab failed on {url}: {done.stderr.strip() or done.stdout.strip()}")
    return parse_ab(done.stdout)


def parse_ab(output: str) -> dict:
    """ab's report as numbers; a line ab leaves out (no non-2xx answers) counts as 0."""
    figures = {}
    for name, pattern in AB_FIELDS.items():
        found = pattern.search(output)
        figures[name] = float(found.group(1)) if found else 0.0
    for name in ("complete", "failed", "non_2xx", "bytes", "p50_ms", "p95_ms"):
        figures[name] = int(figures[name])
    return figures


SERVED_ROUNDS = 3


def median_run(rounds: list[dict]) -> dict:
    """The round with the median rate, with every round's rate and the requests of all."""
    ordered = sorted(rounds, key=lambda figures: figures["requests_per_second"])
    middle = dict(ordered[len(ordered) // 2])
    middle["rounds_requests_per_second"] = [figures["requests_per_second"] for figures in rounds]
    for name in ("complete", "failed", "non_2xx"):
        middle[name] = sum(figures[name] for figures in rounds)
    return middle


def run_served(
    env: dict[str, str],
    district_url: str,
    static_url: str,
    *,
    concurrency: int,
    duration: float,
    work_dir: Path,
    progress: Callable[[str], None],
) -> dict:
    """Both addresses on the same gunicorn, in alternating rounds so that a passing burst of
    other work on the machine weighs on both; each address's median round is reported."""
    runs = []
    memory: list[float] = []
    addresses = (("District page", district_url), ("Static file", static_url))
    for cache, seconds in (("uncached", "0"), ("cached", None)):
        served_env = dict(env)
        if seconds is not None:
            served_env["PUBLIC_PAGE_CACHE_SECONDS"] = seconds
        with gunicorn(served_env, work_dir / "gunicorn.log") as (base, pid):
            rounds: dict[str, list[dict]] = {name: [] for name, _path in addresses}
            for _name, path in addresses:
                # Every worker loads its templates, opens its connection and fills its cache.
                ab(base + path, concurrency=concurrency, duration=None, requests=concurrency * 50)
            for round_number in range(1, SERVED_ROUNDS + 1):
                for name, path in addresses:
                    progress(
                        f"{name}, page cache {'off' if seconds == '0' else 'on'}, round "
                        f"{round_number}/{SERVED_ROUNDS}: {path}"
                    )
                    rounds[name].append(
                        ab(
                            base + path,
                            concurrency=concurrency,
                            duration=duration / SERVED_ROUNDS,
                            requests=None,
                        )
                    )
            memory += worker_memory_mib(pid)
        for name, path in addresses:
            runs.append({"name": name, "url": path, "cache": cache, **median_run(rounds[name])})
    rate = {(run["name"], run["cache"]): run["requests_per_second"] for run in runs}

    def ratio(page_cache: str) -> float:
        static = rate[("Static file", page_cache)]
        return round(rate[("District page", page_cache)] / static, 3) if static else 0.0

    return {
        "tool": ab_version(),
        "concurrency": concurrency,
        "duration_seconds": duration,
        "rounds": SERVED_ROUNDS,
        "gunicorn": gunicorn_settings(env),
        "worker_memory_mib": {"max": max(memory, default=None), "all": sorted(memory)},
        "runs": runs,
        "ratios": {"cached_to_static": ratio("cached"), "uncached_to_static": ratio("uncached")},
    }


def ab_path() -> str:
    return shutil.which("ab") or "ab"


def ab_version() -> str:
    done = subprocess.run([ab_path(), "-V"], capture_output=True, text=True, check=False)  # noqa: S603
    found = re.search(r"Version ([\d.]+)", done.stdout)
    return f"ApacheBench {found.group(1)}" if found else "ApacheBench"


# --- Report ------------------------------------------------------------------------------------


def fmt(value, digits: int = 1) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:,.{digits}f}"
    return f"{value:,}"


def load_averages(machine: dict) -> str:
    start = f"{machine['load_average_at_start'][0]:g} at the start"
    if "load_average_after_in_process" not in machine:
        return start
    return f"{start}, {machine['load_average_after_in_process'][0]:g} after the in-process part"


def markdown(results: dict) -> str:
    machine = results["machine"]
    database = machine["database"]
    counts = results["counts"]
    lines = [
        f"Scale **{results['scale']}** on {database['vendor']} {database['version']}, "
        f"{machine['cpu_count']} CPUs (load average {load_averages(machine)}), "
        f"Python {machine['python']}, Django {machine['django']}; "
        + ", ".join(f"{fmt(count)} {name.replace('_', ' ')}" for name, count in counts.items())
        + f". {results['runs']} requests per page.",
        "",
        "| page | queries | p50 ms | p95 ms | CPU p50 ms | database p50 ms | cached p50 ms |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for row in results["pages"]:
        status = "" if row["status"] == 200 else f" (HTTP {row['status']})"
        runs = row.get("runs", results["runs"])
        if runs < results["runs"]:
            status += f" ({runs} run{'s' * (runs > 1)}: --page-budget)"
        lines.append(
            f"| {row['name']}{status} | {row['queries']} | {fmt(row['p50_ms'])} | "
            f"{fmt(row['p95_ms'])} | {fmt(row.get('cpu_p50_ms'))} | "
            f"{fmt(row.get('database_p50_ms'))} | {fmt(row.get('cached_p50_ms'), 2)} |"
        )
    lines += [
        "",
        "| computation | seconds | peak memory MiB | size |",
        "| --- | ---: | ---: | --- |",
    ]
    for row in results["computations"]:
        size = (
            f"{row['districts']} districts"
            if "districts" in row
            else f"{row.get('rows', '')} rows " * ("rows" in row)
            + f"{row['bytes'] / 1024:,.0f} KiB"
        )
        lines.append(
            f"| {row['name']} | {fmt(row['seconds'], 2)} | "
            f"{fmt(row['peak_memory_kib'] / 1024, 1)} | {size.strip()} |"
        )
    served = results.get("served")
    if served:
        g = served["gunicorn"]
        lines += [
            "",
            f"Served by gunicorn ({g['workers']} workers × {g['threads']} threads) on 127.0.0.1, "
            f"{served['tool']}, keep-alive, concurrency {served['concurrency']}, "
            f"{fmt(served['duration_seconds'], 0)} s per row in {served.get('rounds', 1)} "
            "alternating rounds (the median round shown)"
            + (
                f"; largest worker {served['worker_memory_mib']['max']:.0f} MiB resident:"
                if served.get("worker_memory_mib", {}).get("max")
                else ":"
            ),
            "",
            "| address | page cache | requests/s | p50 ms | p95 ms | failed | ratio to static |",
            "| --- | --- | ---: | ---: | ---: | ---: | ---: |",
        ]
        static_rate = {
            run["cache"]: run["requests_per_second"]
            for run in served["runs"]
            if run["name"] == "Static file"
        }
        for run in served["runs"]:
            ratio = run["requests_per_second"] / static_rate[run["cache"]]
            lines.append(
                f"| {run['name']} `{run['url']}` | {run['cache']} | "
                f"{fmt(run['requests_per_second'], 0)} | {run['p50_ms']} | {run['p95_ms']} | "
                f"{run['failed'] + run['non_2xx']} | {ratio:.2f} |"
            )
    elif results.get("served_skipped"):
        lines += ["", f"Served rates not measured: {results['served_skipped']}"]
    checks = results["targets"]
    lines += [
        "",
        "Targets: uncached district page p50 ≤ "
        f"{TARGET_UNCACHED_DISTRICT_P50_MS:g} ms — measured {fmt(checks['district_p50_ms'])} ms"
        f" ({met(checks['district_p50_met'])}); cached district page ≥ "
        f"{TARGET_CACHED_TO_STATIC:.0%} of the static-file rate — measured "
        + (
            f"{checks['cached_to_static']:.0%} ({met(checks['cached_to_static_met'])})."
            if checks["cached_to_static"] is not None
            else "not measured."
        ),
    ]
    if checks.get("ratios"):
        lines += [
            "",
            f"Targets as multiples of the p50 of the {checks['ratio_base']} page in the same run "
            f"({fmt(checks['ratio_base_p50_ms'], 2)} ms):",
            "",
            "| page | p50 ms | × base | target | |",
            "| --- | ---: | ---: | ---: | --- |",
        ]
        for name, ratio in checks["ratios"].items():
            lines.append(
                f"| {name} | {fmt(ratio['p50_ms'], 2)} | {fmt(ratio['ratio'], 2)} | "
                f"≤ {ratio['target']:g}× | {met(ratio['met'])} |"
            )
    return "\n".join(lines)


def met(flag: bool) -> str:
    return "met" if flag else "not met"


def targets(results: dict) -> dict:
    district = next(row for row in results["pages"] if row["name"].startswith("District page"))
    served = results.get("served")
    ratio = served["ratios"]["cached_to_static"] if served else None
    base = next(row for row in results["pages"] if row["name"] == RATIO_BASE)
    ratios = {
        row["name"]: {
            "p50_ms": row["p50_ms"],
            "ratio": round(row["p50_ms"] / base["p50_ms"], 2) if base["p50_ms"] else None,
            "target": row["ratio_target"],
            "met": bool(base["p50_ms"]) and row["p50_ms"] <= row["ratio_target"] * base["p50_ms"],
        }
        for row in results["pages"]
        if row.get("ratio_target")
    }
    return {
        "ratio_base": RATIO_BASE,
        "ratio_base_p50_ms": base["p50_ms"],
        "ratios": ratios,
        "district_p50_ms": district["p50_ms"],
        "district_p50_target_ms": TARGET_UNCACHED_DISTRICT_P50_MS,
        "district_p50_met": district["p50_ms"] <= TARGET_UNCACHED_DISTRICT_P50_MS,
        "cached_to_static": ratio,
        "cached_to_static_target": TARGET_CACHED_TO_STATIC,
        "cached_to_static_met": None if ratio is None else ratio >= TARGET_CACHED_TO_STATIC,
    }


def write_json(results: dict, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


# --- Diagnosis ---------------------------------------------------------------------------------


def show_queries(url: str, *, explain: bool, username: str | None) -> None:
    """One uncached request's SQL, slowest first; with --explain, PostgreSQL's plan of each."""
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    if username:
        client.force_login(get_user_model().objects.get(username=username))
    with page_cache_seconds(0):
        fetch(client, url)
        with CaptureQueriesContext(connection) as captured:
            status, _size = fetch(client, url)
    queries = sorted(captured.captured_queries, key=lambda q: float(q["time"]), reverse=True)
    total = sum(float(q["time"]) for q in queries)
    print(f"{url}: HTTP {status}, {len(queries)} queries, {total * 1000:.1f} ms in the database")
    for query in queries:
        print(f"\n-- {float(query['time']) * 1000:.1f} ms\n{query['sql']}")
        if (
            explain
            and connection.vendor == "postgresql"
            and query["sql"].lstrip().upper().startswith("SELECT")
        ):
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + query["sql"])
                print("\n".join(row[0] for row in cursor.fetchall()))
    client.logout()


# --- Main ----------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", default="small", help="large, small or a factor (grow_data)")
    parser.add_argument("--runs", type=int, default=30, help="requests per page in-process")
    parser.add_argument(
        "--page-budget",
        type=float,
        default=20,
        help="seconds of timed requests per page and mode; a slower page gets fewer runs",
    )
    parser.add_argument("--duration", type=float, default=10, help="seconds per served address")
    parser.add_argument("--concurrency", type=int, default=8, help="ab's concurrent requests")
    parser.add_argument("--output", type=Path, help="default: bench/results-<scale>.json")
    parser.add_argument("--no-served", action="store_true", help="skip gunicorn and ab")
    parser.add_argument("--queries", metavar="PATH", help="only print one page's SQL and stop")
    parser.add_argument("--explain", action="store_true", help="with --queries: EXPLAIN ANALYZE")
    parser.add_argument("--user", help="with --queries: sign in as this username first")
    parser.add_argument(
        "--table", type=Path, metavar="JSON", help="only print the tables of a results file"
    )
    args = parser.parse_args()
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    if args.table:
        print(markdown(json.loads(args.table.read_text(encoding="utf-8"))))
        return
    output = args.output or ROOT / "bench" / f"results-{args.scale}.json"

    def progress(message: str) -> None:
        print(f"  … {message}", file=sys.stderr, flush=True)

    with tempfile.TemporaryDirectory(prefix="kyodo-bench-") as temp:
        work_dir = Path(temp)
        env = production_like_environment(work_dir / "static")
        print("Collecting static files …", file=sys.stderr, flush=True)
        collect_static(env)
        os.environ.update(env)

        import django

        django.setup()
        from django.contrib.staticfiles.storage import staticfiles_storage

        if args.queries:
            show_queries(args.queries, explain=args.explain, username=args.user)
            return
        prepared = prepare_database(args.scale)
        started = time.monotonic()
        print("Measuring in-process …", file=sys.stderr, flush=True)
        try:
            results = in_process_results(args.scale, args.runs, args.page_budget, progress)
        except NoData as problem:
            sys.exit(str(problem))
        results["prepared"] = prepared
        # Before the served part, whose gunicorn and ab load the machine themselves.
        results["machine"]["load_average_after_in_process"] = [
            round(load, 2) for load in os.getloadavg()
        ]
        district_url = next(
            row["url"] for row in results["pages"] if row["name"].startswith("District page")
        )
        if args.no_served:
            results["served_skipped"] = "--no-served"
        elif shutil.which("ab") is None:
            results["served_skipped"] = (
                "ApacheBench (ab) is missing: install the Debian package apache2-utils"
            )
        else:
            print("Measuring served rates …", file=sys.stderr, flush=True)
            results["served"] = run_served(
                env,
                district_url,
                staticfiles_storage.url(STATIC_FILE),
                concurrency=args.concurrency,
                duration=args.duration,
                work_dir=work_dir,
                progress=progress,
            )
        results["seconds"] = round(time.monotonic() - started, 1)
        results["targets"] = targets(results)
        write_json(results, output)
        print(markdown(results))
        print(f"\nWritten to {output.relative_to(ROOT) if output.is_relative_to(ROOT) else output}")


if __name__ == "__main__":
    main()
