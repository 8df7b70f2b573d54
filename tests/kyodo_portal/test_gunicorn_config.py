"""gunicorn.conf.py: slow clients never hold the whole site, with or without a buffering proxy."""

import os
import runpy
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CONFIG = ROOT / "gunicorn.conf.py"
GUNICORN_VARIABLES = ("BEHIND_BUFFERING_PROXY", "GUNICORN_THREADS", "WEB_CONCURRENCY")


def load_config(monkeypatch, **env) -> dict:
    for name in GUNICORN_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(CONFIG))


def test_without_a_buffering_proxy_a_slow_client_holds_a_thread_not_a_worker(monkeypatch):
    config = load_config(monkeypatch)
    assert config["worker_class"] == "kyodo_portal.gunicorn_workers.SilentClientTimeoutWorker"
    assert config["threads"] == 4


def test_behind_a_buffering_proxy_sync_workers_use_the_cpus(monkeypatch):
    config = load_config(monkeypatch, BEHIND_BUFFERING_PROXY="1")
    assert config["worker_class"] == "sync"
    assert config["threads"] == 1


def test_threads_can_be_set_either_way(monkeypatch):
    assert load_config(monkeypatch, GUNICORN_THREADS="8")["threads"] == 8
    behind = load_config(monkeypatch, BEHIND_BUFFERING_PROXY="1", GUNICORN_THREADS="2")
    assert (behind["worker_class"], behind["threads"]) == ("gthread", 2)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def trickle(port: int) -> socket.socket:
    """A client that has sent the start of its request and keeps the rest coming slowly."""
    client = socket.create_connection(("127.0.0.1", port))
    client.sendall(b"POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 1000\r\n")
    return client


@pytest.fixture
def served(tmp_path):
    """gunicorn as configured without a buffering proxy, one worker, on a free port."""
    port = free_port()
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {*GUNICORN_VARIABLES, "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    environment.update(
        WEB_CONCURRENCY="1",
        GUNICORN_BIND=f"127.0.0.1:{port}",
        GUNICORN_CLIENT_TIMEOUT="2",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        LOG_LEVEL="WARNING",
    )
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", str(CONFIG)],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=(tmp_path / "gunicorn.log").open("w"),
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5):
                    break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    log = (tmp_path / "gunicorn.log").read_text()
                    pytest.fail(f"gunicorn did not start:\n{log}")
                time.sleep(0.2)
        yield port
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_three_trickling_clients_do_not_block_a_page(served):
    slow = [trickle(served) for _ in range(3)]
    try:
        time.sleep(0.5)  # each slow client is now being read by the worker
        started = time.monotonic()
        with urllib.request.urlopen(f"http://127.0.0.1:{served}/healthz", timeout=10) as page:
            assert page.status == 200
        assert time.monotonic() - started < 1.5
        # A client that goes silent loses its connection after GUNICORN_CLIENT_TIMEOUT.
        slow[0].settimeout(10)
        started = time.monotonic()
        slow[0].recv(1000)
        assert time.monotonic() - started < 5
    finally:
        for client in slow:
            client.close()
