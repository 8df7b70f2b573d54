"""gunicorn settings for production: `gunicorn -c gunicorn.conf.py`.

Every value can be set from the environment; README.md ("Running in production") explains how
to size them and how to run several hosts against one PostgreSQL.

    BEHIND_BUFFERING_PROXY     1 when a proxy that buffers whole requests is in front (0)
    WEB_CONCURRENCY            worker processes (default 2 × CPUs + 1)
    GUNICORN_THREADS           threads per worker (default 1 behind a buffering proxy, else 4)
    GUNICORN_CLIENT_TIMEOUT    seconds a client may send or read nothing, without a proxy (10)
    GUNICORN_TIMEOUT           seconds a request may run before its worker is replaced (30)
    GUNICORN_GRACEFUL_TIMEOUT  seconds a stopping worker has to finish its requests (30)
    GUNICORN_KEEPALIVE         seconds an idle keep-alive connection is held, gthread only (5)
    GUNICORN_MAX_REQUESTS      requests before a worker is replaced, 0 for never (20000)
    GUNICORN_BIND              address to listen on (0.0.0.0:$PORT, PORT defaulting to 8000)
    FORWARDED_ALLOW_IPS        proxies trusted for X-Forwarded-Proto (127.0.0.1)
    LOG_LEVEL                  gunicorn's error-log level (info)
"""

import multiprocessing
import os

wsgi_app = "kyodo_portal.wsgi:application"
bind = os.environ.get("GUNICORN_BIND", f"0.0.0.0:{os.environ.get('PORT', '8000')}")
# Pages spend most of their time in Python (templates), so processes, not threads, use the CPUs;
# each worker holds one database connection (DB_CONN_MAX_AGE) and, without CACHE_URL, its own
# copy of the page cache.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))

# Slow clients. Whatever reads a request is held while a client trickles it in: with sync
# workers, a whole worker until GUNICORN_TIMEOUT replaces it, so a few slow clients stop the
# site. A proxy that buffers each whole request before passing it on (nginx with
# proxy_request_buffering on and client_body_timeout; README "Running in production") hands
# gunicorn only complete requests: declared with BEHIND_BUFFERING_PROXY=1, one sync worker per
# process then uses the CPUs best. Without it, each worker runs threads, so a slow client holds
# one thread, not the worker, and a connection silent for GUNICORN_CLIENT_TIMEOUT is closed.
behind_buffering_proxy = os.environ.get("BEHIND_BUFFERING_PROXY", "").strip().lower() in {
    "1",
    "true",
    "yes",
    "on",
}
if behind_buffering_proxy:
    threads = int(os.environ.get("GUNICORN_THREADS", "1"))
    worker_class = "sync" if threads == 1 else "gthread"
else:
    threads = int(os.environ.get("GUNICORN_THREADS", "4"))
    worker_class = "kyodo_portal.gunicorn_workers.SilentClientTimeoutWorker"
# The slowest page a resident can ask for must finish well within this; a request still running
# then is cut off and its worker replaced.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "5"))
# Recycle workers now and then so a slow leak cannot build up. Not too often: a new worker
# spends about a second of CPU loading Django, and a worker answering cached pages at several
# hundred requests a second would otherwise be replaced every few seconds.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "20000"))
max_requests_jitter = max_requests // 10
# The reverse proxy in front sets X-Forwarded-Proto; trust it from the addresses given.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
