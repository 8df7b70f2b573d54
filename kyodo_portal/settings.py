"""Settings for Kyodo Portal, read from the environment.

Development works with no variables set (SQLite file, DEBUG on). Production sets DEBUG=0,
SECRET_KEY, ALLOWED_HOSTS and DATABASE_URL; see README.md for the full list.
"""

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)

_DEV_SECRET_KEY = "django-insecure-development-only-key-never-use-in-production"
SECRET_KEY = os.environ.get("SECRET_KEY") or _DEV_SECRET_KEY
if not DEBUG and SECRET_KEY == _DEV_SECRET_KEY:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("Set SECRET_KEY when DEBUG is off.")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
CSRF_FAILURE_VIEW = "kyodo_portal.views.csrf_failure"

# The city's name as residents know it; the demo city is fictional.
CITY_NAME = os.environ.get("CITY_NAME", "みどり野市")
CITY_NAME_EN = os.environ.get("CITY_NAME_EN", "Midorino City")
CITY_DEPARTMENT = os.environ.get("CITY_DEPARTMENT", "市民協働推進課")
CITY_DEPARTMENT_EN = os.environ.get("CITY_DEPARTMENT_EN", "Community Collaboration Division")
CITY_CONTACT_PHONE = os.environ.get("CITY_CONTACT_PHONE", "0000-00-0000")
CITY_CONTACT_EMAIL = os.environ.get("CITY_CONTACT_EMAIL", "kyodo@city.midorino.example.jp")

INSTALLED_APPS = [
    # django.contrib.admin with the staff's own site (sections by work) as admin.site.
    "core.admin_site.KyodoAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "core",
    "districts",
    "organizations",
    "plans",
    "subsidies",
    "kyodo_portal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # 400 for a form posted in another charset than UTF-8.
    "core.middleware.RefuseUnreadableFormMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Anonymous public pages from the cache, ahead of everything that would read the session.
    "core.cache.PublicPageCacheMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "core.middleware.CookieLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "core.middleware.SignedInMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "kyodo_portal.urls"
WSGI_APPLICATION = "kyodo_portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.context_processors.site",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}


def database_timeouts(engine: str) -> dict:
    """OPTIONS that keep a page from waiting on a database that does not answer.

    PostgreSQL: give up connecting after DB_CONNECT_TIMEOUT seconds; the server cancels a
    statement after DB_STATEMENT_TIMEOUT seconds (0: never; manage.py makes 0 its default, so
    migrate and the data generators are not cut short); keepalives and tcp_user_timeout notice
    a server that vanished in the middle of a connection. SQLite: how long a write waits for
    another process's write before failing.
    """
    connect_timeout = int(os.environ.get("DB_CONNECT_TIMEOUT", "5"))
    if engine == "django.db.backends.sqlite3":
        return {"timeout": connect_timeout}
    if engine != "django.db.backends.postgresql":
        return {}
    statement_ms = int(float(os.environ.get("DB_STATEMENT_TIMEOUT", "15")) * 1000)
    return {
        "connect_timeout": connect_timeout,
        "options": f"-c statement_timeout={statement_ms}",
        "keepalives": 1,
        "keepalives_idle": 30,
        "keepalives_interval": 10,
        "keepalives_count": 3,
        # Data sent and not acknowledged for this long means the server is gone.
        "tcp_user_timeout": 30_000,
    }


DATABASES["default"]["OPTIONS"] = {
    **database_timeouts(DATABASES["default"]["ENGINE"]),
    **DATABASES["default"].get("OPTIONS", {}),
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"


def cache_config(url: str) -> dict:
    """CACHES["default"] from CACHE_URL: redis://…, rediss://…, memcached://host:port[,…] or
    memcached:///path/to/socket; empty means this process's memory."""
    if not url:
        # Per process: another gunicorn worker or host sees a change only when its own copy
        # expires. Set CACHE_URL wherever more than one process serves the site.
        return {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "kyodo-portal",
            "OPTIONS": {"MAX_ENTRIES": 1000},
        }
    scheme, _sep, rest = url.partition("://")
    if scheme in {"redis", "rediss"}:
        # Needs the redis package (pip install redis).
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    if scheme == "memcached":
        # Needs the pymemcache package (pip install pymemcache).
        servers = [f"unix:{rest}"] if rest.startswith("/") else rest.split(",")
        return {
            "BACKEND": "django.core.cache.backends.memcached.PyMemcacheCache",
            "LOCATION": servers,
        }
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("CACHE_URL must start with redis://, rediss:// or memcached://.")


CACHES = {"default": {**cache_config(os.environ.get("CACHE_URL", "")), "KEY_PREFIX": "kyodo"}}
# Anonymous public pages are served from the cache (core/cache.py) and made out of date as soon
# as a public record changes; this is the most a page lags behind what time alone changes.
PUBLIC_PAGE_CACHE_SECONDS = int(os.environ.get("PUBLIC_PAGE_CACHE_SECONDS", "300"))

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Password guessing (core/throttle.py): sign-in failures are counted per account and per client
# address, reset requests per e-mail address and per client address, in CACHES["default"]
# (set CACHE_URL so every host shares the counts); reaching a limit pauses until the window
# that began with the first attempt counted ends.
LOGIN_THROTTLE_ACCOUNT_FAILURES = int(os.environ.get("LOGIN_THROTTLE_ACCOUNT_FAILURES", "5"))
LOGIN_THROTTLE_ADDRESS_FAILURES = int(os.environ.get("LOGIN_THROTTLE_ADDRESS_FAILURES", "20"))
PASSWORD_RESET_THROTTLE_EMAIL_REQUESTS = int(
    os.environ.get("PASSWORD_RESET_THROTTLE_EMAIL_REQUESTS", "3")
)
PASSWORD_RESET_THROTTLE_ADDRESS_REQUESTS = int(
    os.environ.get("PASSWORD_RESET_THROTTLE_ADDRESS_REQUESTS", "10")
)
THROTTLE_WINDOW_SECONDS = int(os.environ.get("THROTTLE_WINDOW_SECONDS", str(15 * 60)))
# Reverse proxies in front of gunicorn that append the client's address to X-Forwarded-For
# (nginx: proxy_add_x_forwarded_for). 0 reads the connection's address (REMOTE_ADDR); more than
# the real number would let a client choose its own address.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
# Staff sessions end after this long without a request (core.middleware.SignedInMiddleware);
# other users' last SESSION_COOKIE_AGE (Django's two weeks) from signing in.
STAFF_SESSION_IDLE_SECONDS = int(os.environ.get("STAFF_SESSION_IDLE_SECONDS", str(8 * 60 * 60)))
LOGIN_URL = "login"
# Only a fallback: the sign-in page sends each user to their work (account_views.landing_url).
LOGIN_REDIRECT_URL = "account_home"
LOGOUT_REDIRECT_URL = "overview"

LANGUAGE_CODE = "ja"
LANGUAGES = [("ja", "日本語"), ("en", "English")]
# The second holds Japanese wordings of Django's own messages (「」 quotes); makemessages never
# writes there (see its django.po).
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "core" / "django_overrides" / "locale"]
TIME_ZONE = "Asia/Tokyo"
USE_I18N = True
USE_TZ = True
# What the admin's calendar and clock buttons write in Japanese (2026/12/10, 19:00); the forms
# read far more than these (core.date_input).
DATE_INPUT_FORMATS = ["%Y/%m/%d", "%Y-%m-%d"]
TIME_INPUT_FORMATS = ["%H:%M", "%H:%M:%S"]

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Uploads: bylaws and similar documents. Larger requests are refused before they reach a view.
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_PERMISSIONS = 0o640

CRISPY_ALLOWED_TEMPLATE_PACKS = ["kyodo"]
CRISPY_TEMPLATE_PACK = "kyodo"

# Security headers. The policy allows only this site's own files: no inline script or style.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"

if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    # /healthz is probed over plain HTTP by the load balancer.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# Notices print to the console unless an SMTP server is configured.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
EMAIL_TIMEOUT = 10
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend",
)
# The portal's own address, for links in e-mail.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "no-reply@kyodo-portal.invalid")

# Background work (core/tasks.py): tasks are rows in the database, run by `manage.py db_worker`.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # Each task's start and end; a failed task is still logged, as an error.
        "django_tasks": {"level": "WARNING"},
    },
}

# Labels staff see in the admin header.
ADMIN_SITE_HEADER = _("Kyodo Portal administration")
