"""Whether the database answers, for /healthz: within a bound, never hanging the worker.

On PostgreSQL the probe opens a connection of its own through libpq's non-blocking calls and
waits on the socket with a deadline, so a server that accepts connections and never answers
costs the probe PROBE_SECONDS, not the 2 s that libpq's connect_timeout rounds up to, and never
touches the worker's own connection (which could be stuck in that server's read).
"""

import selectors
import time

from django.db import DatabaseError, connection

# A load balancer expects an answer within about 2 s; the probe gives up before that.
PROBE_SECONDS = 1.5

# Connection parameters Django passes to psycopg that are not libpq's.
_NOT_LIBPQ = {"cursor_factory", "context", "prepare_threshold"}


def database_answers() -> bool:
    """True when the default database answers `SELECT 1` within PROBE_SECONDS."""
    if connection.vendor == "postgresql":
        return postgresql_answers(connection.get_connection_params(), within=PROBE_SECONDS)
    # SQLite is a file in this process: nothing to wait for on a network.
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return False
    return True


def postgresql_answers(params: dict, *, within: float) -> bool:
    """True when the PostgreSQL server of `params` (Django's connection parameters) accepts a
    new connection and answers `SELECT 1` within `within` seconds."""
    import psycopg
    from psycopg import pq
    from psycopg.conninfo import make_conninfo

    libpq_params = {
        key: value
        for key, value in params.items()
        if key not in _NOT_LIBPQ and isinstance(value, str | int)
    }
    # libpq's own bound too, should the probe's wait ever be bypassed; and a server that is
    # alive but busy ends the statement itself.
    libpq_params["connect_timeout"] = 2
    libpq_params["options"] = f"-c statement_timeout={int(within * 1000)}"
    deadline = time.monotonic() + within
    pgconn = pq.PGconn.connect_start(make_conninfo("", **libpq_params).encode())
    try:
        return _connected(pgconn, deadline) and _answered(pgconn, deadline)
    except psycopg.Error:  # the server closed the connection, refused the login, …
        return False
    finally:
        pgconn.finish()


def _connected(pgconn, deadline: float) -> bool:
    from psycopg import pq

    if pgconn.status == pq.ConnStatus.BAD:
        return False
    while True:
        polled = pgconn.connect_poll()
        if polled == pq.PollingStatus.OK:
            return True
        if polled == pq.PollingStatus.FAILED:
            return False
        reading = polled == pq.PollingStatus.READING
        wanted = selectors.EVENT_READ if reading else selectors.EVENT_WRITE
        if not _wait(pgconn.socket, wanted, deadline):
            return False


def _answered(pgconn, deadline: float) -> bool:
    from psycopg import pq

    pgconn.nonblocking = 1
    pgconn.send_query(b"SELECT 1")
    while pgconn.flush():
        if not _wait(pgconn.socket, selectors.EVENT_WRITE, deadline):
            return False
    while True:
        pgconn.consume_input()
        if not pgconn.is_busy():
            break
        if not _wait(pgconn.socket, selectors.EVENT_READ, deadline):
            return False
    result = pgconn.get_result()
    return result is not None and result.status == pq.ExecStatus.TUPLES_OK


def _wait(fileno: int, events: int, deadline: float) -> bool:
    """Wait until the socket is ready for `events`; False when the deadline passes first."""
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        return False
    with selectors.DefaultSelector() as selector:
        selector.register(fileno, events)
        return bool(selector.select(remaining))
