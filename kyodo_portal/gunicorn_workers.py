"""gunicorn's threaded worker with a bound on a silent client, for running without a
buffering proxy in front (gunicorn.conf.py, BEHIND_BUFFERING_PROXY).

gunicorn's own gthread worker waits as long as a client likes for the rest of its request: a
client that stops sending holds a thread for good. Here every read and write of a connection
gives up after GUNICORN_CLIENT_TIMEOUT seconds without progress and the connection is closed.
"""

import os

from gunicorn.workers.gthread import ThreadWorker


class SilentClientTimeoutWorker(ThreadWorker):
    """gthread, closing a connection whose client sends or reads nothing for a while."""

    def handle(self, conn):
        # The connection is blocking here (TConn.init); a timeout bounds each wait on it.
        conn.sock.settimeout(float(os.environ.get("GUNICORN_CLIENT_TIMEOUT", "10")))
        return super().handle(conn)
