"""Limits on guessing: sign-in failures and password-reset requests, counted in Django's cache.

The cache is CACHES["default"], shared by every worker and host when CACHE_URL is set, so a
limit holds for the whole site. Each limit counts within a fixed window that starts with the
first attempt counted and ends THROTTLE_WINDOW_SECONDS later; once a count reaches its limit,
further attempts are refused until the window ends. Sign-in failures are counted per account
(the user name as typed, case-folded, whether or not such an account exists) and per client
address, independently: guessing one account's password from many addresses, or many
accounts' passwords from one address, both stop. A refused attempt is answered before the
password is checked, so a flood of refused attempts costs no password hashing.
"""

import hashlib
import ipaddress
import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

KEY_PREFIX = "throttle"


def _window_minutes() -> int:
    return max(1, round(settings.THROTTLE_WINDOW_SECONDS / 60))


# One message for every refusal of each kind: it says nothing of whether the account exists.
def too_many_attempts() -> str:
    return _(
        "There have been too many sign-in attempts, so signing in is paused for a while. "
        "Wait about %(minutes)d minutes and try again."
    ) % {"minutes": _window_minutes()}


def too_many_reset_requests() -> str:
    return _(
        "There have been too many requests to reset a password. "
        "Wait about %(minutes)d minutes and try again."
    ) % {"minutes": _window_minutes()}


def client_address(request) -> str:
    """The client's address: REMOTE_ADDR, or, behind TRUSTED_PROXY_COUNT reverse proxies, the
    address the outermost of them saw, as it appended it to X-Forwarded-For.

    Entries further left in X-Forwarded-For come from the client and are never believed. An
    IPv6 address stands for its /64, which a single client usually holds whole.
    """
    address = request.META.get("REMOTE_ADDR", "")
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies > 0:
        forwarded = [
            entry.strip()
            for entry in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if entry.strip()
        ]
        if len(forwarded) >= proxies:
            address = forwarded[-proxies]
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address[:64] or "unknown"
    if parsed.version == 6:
        if parsed.ipv4_mapped is not None:
            return str(parsed.ipv4_mapped)
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False))
    return str(parsed)


@dataclass(frozen=True)
class Limit:
    """Counts for one kind of attempt: the name of what is counted and its setting."""

    name: str
    setting: str

    @property
    def allowed(self) -> int:
        return getattr(settings, self.setting)

    def key(self, value: str) -> str:
        # Hashed: user names and e-mail addresses as typed stay out of the cache's key space.
        digest = hashlib.sha256(value.encode("utf-8", "surrogatepass")).hexdigest()
        return f"{KEY_PREFIX}:{self.name}:{digest}"


LOGIN_ACCOUNT = Limit("login-account", "LOGIN_THROTTLE_ACCOUNT_FAILURES")
LOGIN_ADDRESS = Limit("login-address", "LOGIN_THROTTLE_ADDRESS_FAILURES")
RESET_EMAIL = Limit("reset-email", "PASSWORD_RESET_THROTTLE_EMAIL_REQUESTS")
RESET_ADDRESS = Limit("reset-address", "PASSWORD_RESET_THROTTLE_ADDRESS_REQUESTS")


def _over(checks: list[tuple[Limit, str]]) -> bool:
    keys = {limit.key(value): limit for limit, value in checks}
    try:
        counts = cache.get_many(list(keys))
    except Exception:
        # A cache that cannot be read must not lock everyone out; the hasher's cost remains.
        logger.exception("Could not read the attempt counts from the cache.")
        return False
    return any(counts.get(key, 0) >= limit.allowed for key, limit in keys.items())


def _count(checks: list[tuple[Limit, str]]) -> None:
    for limit, value in checks:
        key = limit.key(value)
        try:
            # add() starts the window; incr() keeps the expiry add() set.
            cache.add(key, 0, settings.THROTTLE_WINDOW_SECONDS)
            cache.incr(key)
        except ValueError:
            # Expired between add() and incr(): start a new window with this attempt.
            cache.add(key, 1, settings.THROTTLE_WINDOW_SECONDS)
        except Exception:
            logger.exception("Could not count an attempt in the cache.")


def _account(username: str) -> str:
    return (username or "").strip().casefold()


def _login_checks(request, username: str) -> list[tuple[Limit, str]]:
    return [(LOGIN_ACCOUNT, _account(username)), (LOGIN_ADDRESS, client_address(request))]


def login_locked(request, username: str) -> bool:
    """Whether signing in as this user name, or from this address, is paused."""
    return _over(_login_checks(request, username))


def login_failed(request, username: str) -> None:
    """Count a failed sign-in against the account and the address."""
    _count(_login_checks(request, username))


def login_succeeded(username: str) -> None:
    """Forget the account's failures. The address's stay: one good account must not buy an
    address more guesses at others."""
    try:
        cache.delete(LOGIN_ACCOUNT.key(_account(username)))
    except Exception:
        logger.exception("Could not reset an account's failed sign-ins in the cache.")


def reset_request_allowed(request, email: str) -> bool:
    """Count a password-reset request and say whether it may be sent: counted per address
    typed (case-folded) and per client address, whether or not an account has the address."""
    checks = [(RESET_EMAIL, _account(email)), (RESET_ADDRESS, client_address(request))]
    if _over(checks):
        return False
    _count(checks)
    return True
