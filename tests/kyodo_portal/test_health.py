"""/healthz: 200 when the database answers, 503 within 2 s when it does not."""

import socket
import time
from unittest import mock

import pytest
from django.db import OperationalError
from django.db.utils import ConnectionHandler

from kyodo_portal import health


@pytest.mark.django_db
def test_healthz_answers_ok_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok\n"
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_healthz_answers_503_when_the_database_does_not(client):
    with mock.patch("kyodo_portal.health.connection") as connection:
        connection.vendor = "sqlite"
        connection.cursor.side_effect = OperationalError("disk I/O error")
        response = client.get("/healthz")
    assert response.status_code == 503
    assert b"database" in response.content


@pytest.mark.django_db
def test_healthz_refuses_post(client):
    assert client.post("/healthz").status_code == 405


# PostgreSQL servers that do not answer: the probe speaks PostgreSQL to them whatever database
# the tests run on (psycopg is always installed).


@pytest.fixture
def silent_server():
    """A port on 127.0.0.1 that accepts connections and never answers."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        yield listener.getsockname()[1]


@pytest.fixture
def closed_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return port


def postgresql_at(port: int):
    """A PostgreSQL connection of Django's (never opened by the test) at 127.0.0.1:port."""
    databases = {
        "default": {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": "kyodo",
            "USER": "kyodo",
            "HOST": "127.0.0.1",
            "PORT": str(port),
        }
    }
    return ConnectionHandler(databases)["default"]


def timed_healthz(client, port: int):
    with mock.patch("kyodo_portal.health.connection", postgresql_at(port)):
        started = time.monotonic()
        response = client.get("/healthz")
        return response, time.monotonic() - started


@pytest.mark.django_db
def test_healthz_answers_503_within_2_seconds_from_a_database_that_never_answers(
    client, silent_server
):
    response, elapsed = timed_healthz(client, silent_server)
    assert response.status_code == 503
    assert elapsed < 2


@pytest.mark.django_db
def test_healthz_answers_503_at_once_when_the_database_refuses(client, closed_port):
    response, elapsed = timed_healthz(client, closed_port)
    assert response.status_code == 503
    assert elapsed < 2


def test_probe_gives_up_at_its_bound(silent_server):
    started = time.monotonic()
    assert not health.postgresql_answers(
        {"host": "127.0.0.1", "port": silent_server, "dbname": "kyodo"}, within=0.3
    )
    assert 0.3 <= time.monotonic() - started < 1


@pytest.mark.django_db
def test_probe_on_postgresql_opens_a_connection_of_its_own(client):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("the probe's own connection is PostgreSQL's")
    with mock.patch.object(connection, "cursor", side_effect=AssertionError("not this one")):
        assert health.database_answers()
