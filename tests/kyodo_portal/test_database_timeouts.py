"""A database that does not answer costs a page seconds, not the worker."""

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import psycopg
import pytest
from django.db import OperationalError, connection
from django.db.utils import ConnectionHandler

from kyodo_portal.settings import database_timeouts

ROOT = Path(__file__).resolve().parents[2]
POSTGRESQL = "django.db.backends.postgresql"


def test_postgresql_gives_up_connecting_and_cancels_long_statements(monkeypatch):
    monkeypatch.delenv("DB_CONNECT_TIMEOUT", raising=False)
    monkeypatch.delenv("DB_STATEMENT_TIMEOUT", raising=False)
    options = database_timeouts(POSTGRESQL)
    assert options["connect_timeout"] == 5
    assert options["options"] == "-c statement_timeout=15000"
    assert options["keepalives"] == 1
    assert options["tcp_user_timeout"] > 0


def test_timeouts_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("DB_CONNECT_TIMEOUT", "3")
    monkeypatch.setenv("DB_STATEMENT_TIMEOUT", "0")
    options = database_timeouts(POSTGRESQL)
    assert options["connect_timeout"] == 3
    assert options["options"] == "-c statement_timeout=0"
    assert database_timeouts("django.db.backends.sqlite3") == {"timeout": 3}


def test_commands_run_without_a_statement_timeout_unless_told():
    dropped = {"DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE", "DB_STATEMENT_TIMEOUT"}
    environment = {k: v for k, v in os.environ.items() if k not in dropped}
    environment["DATABASE_URL"] = "postgres://kyodo@127.0.0.1:5432/kyodo?sslmode=disable"
    show = "from django.conf import settings; print(settings.DATABASES['default']['OPTIONS'])"
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", show],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "'options': '-c statement_timeout=0'" in result.stdout
    # What the URL says still wins.
    assert "'sslmode': 'disable'" in result.stdout


def test_connecting_to_a_server_that_never_answers_gives_up(monkeypatch):
    monkeypatch.setenv("DB_CONNECT_TIMEOUT", "2")  # libpq's least
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        databases = {
            "default": {
                "ENGINE": POSTGRESQL,
                "NAME": "kyodo",
                "HOST": "127.0.0.1",
                "PORT": str(listener.getsockname()[1]),
                "OPTIONS": database_timeouts(POSTGRESQL),
            }
        }
        silent = ConnectionHandler(databases)["default"]
        started = time.monotonic()
        # psycopg's own error: Django wraps it in ensure_connection only.
        with pytest.raises(psycopg.OperationalError):
            silent.get_new_connection(silent.get_connection_params())
        assert time.monotonic() - started < 4


@pytest.mark.django_db
def test_the_server_cancels_a_statement_past_the_timeout():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite runs in this process")
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone()[0] == "15s"
    databases = {
        "default": {
            **connection.settings_dict,
            "OPTIONS": {
                **connection.settings_dict["OPTIONS"],
                "options": "-c statement_timeout=200",
            },
        }
    }
    short = ConnectionHandler(databases)["default"]
    try:
        with pytest.raises(OperationalError, match="statement timeout"), short.cursor() as cursor:
            cursor.execute("SELECT pg_sleep(2)")
    finally:
        short.close()
