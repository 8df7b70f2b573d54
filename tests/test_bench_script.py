"""scripts/bench.py: its in-process part runs on a small grown database and writes its JSON.

Only what the benchmark reports is checked, never how fast anything was.
"""

import importlib.util
import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "bench.py"

AB_OUTPUT = """\
Server Software:        gunicorn
Document Path:          /districts/scale-0001/
Document Length:        57499 bytes

Concurrency Level:      8
Time taken for tests:   10.001 seconds
Complete requests:      4321
Failed requests:        0
Non-2xx responses:      3
Keep-Alive requests:    0
Requests per second:    432.10 [#/sec] (mean)

Percentage of the requests served within a certain time (ms)
  50%     17
  66%     19
  90%     25
  95%     31
 100%     80 (longest request)
"""


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("bench_script", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def grown(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    call_command("grow_data", "--scale=0.0025", "--as-of=2026-10-01", stdout=io.StringIO())


def test_in_process_part_writes_every_figure(bench, grown, tmp_path):
    results = bench.in_process_results("0.0025", runs=2, budget=5)
    results["targets"] = bench.targets(results)
    output = tmp_path / "bench" / "results-test.json"
    bench.write_json(results, output)
    written = json.loads(output.read_text(encoding="utf-8"))

    assert {"machine", "counts", "pages", "computations", "targets", "subjects"} <= set(written)
    assert written["machine"]["database"]["vendor"] in {"sqlite", "postgresql"}
    assert written["machine"]["cpu_count"] >= 1
    assert written["counts"]["districts"] == 1
    assert written["counts"]["budget_lines"] > 0

    pages = {row["name"]: row for row in written["pages"]}
    expected = [page.name for page in bench.public_pages(bench.pick_subjects())] + [
        page.name for page in bench.signed_in_pages(bench.pick_subjects())
    ]
    assert list(pages) == expected
    for row in written["pages"]:
        assert row["status"] == row["expected_status"], row
        assert row["runs"] == 2
        assert {"queries", "p50_ms", "p95_ms", "cpu_p50_ms", "database_p50_ms", "bytes"} <= set(row)
        assert row["p95_ms"] >= row["p50_ms"] >= 0
        assert ("cached_p50_ms" in row) == (row["audience"] == "public")
    assert pages["District page (busiest)"]["queries"] > 0
    assert pages["Staff: review application"]["url"].startswith("/grants/review/")

    allocation, csv_row, xlsx_row = written["computations"]
    assert allocation["name"].startswith("Allocations")
    assert allocation["districts"] >= 1
    assert allocation["peak_memory_kib"] > 0
    assert csv_row["bytes"] > 0 and csv_row["rows"] >= 0
    assert xlsx_row["bytes"] > 0

    assert written["targets"]["district_p50_ms"] == pages["District page (busiest)"]["p50_ms"]
    assert written["targets"]["cached_to_static"] is None
    ratios = written["targets"]["ratios"]
    assert {
        "Finder, one match",
        "Site search, common word (防災)",
        "Site search, rare word",
        "Site search, no hits",
    } <= set(ratios)
    assert pages["Finder, one match"]["status"] == 302
    for name, ratio in ratios.items():
        assert ratio["p50_ms"] == pages[name]["p50_ms"]
        assert ratio["target"] in {bench.TARGET_FINDER, bench.TARGET_SEARCH}
    table = bench.markdown(written | {"served_skipped": "not in the tests"})
    for name in expected:
        assert f"| {name} |" in table


def test_the_allocation_run_is_rolled_back(bench, grown):
    from subsidies.models import Allocation, ProgramYear

    years = ProgramYear.objects.count()
    allocations = Allocation.objects.count()
    bench.in_process_results("0.0025", runs=1, budget=1)
    assert ProgramYear.objects.count() == years
    assert Allocation.objects.count() == allocations


def test_reads_apachebench_report(bench):
    figures = bench.parse_ab(AB_OUTPUT)
    assert figures == {
        "complete": 4321,
        "failed": 0,
        "non_2xx": 3,
        "requests_per_second": 432.1,
        "bytes": 57499,
        "p50_ms": 17,
        "p95_ms": 31,
    }
    assert bench.parse_ab(AB_OUTPUT.replace("Non-2xx responses:      3\n", ""))["non_2xx"] == 0


def test_percentile(bench):
    assert bench.percentile([5.0], 0.95) == 5.0
    assert bench.percentile([1.0, 2.0, 3.0, 4.0, 5.0], 0.5) == 3.0
    assert bench.percentile([10.0, 0.0], 0.95) == pytest.approx(9.5)
