"""The roles of DESIGN.md section 4 as Django groups, and who sees which districts."""

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

COORDINATORS = "coordinators"
LIAISON = "liaison"
GRANT_OFFICERS = "grant_officers"
GRANT_APPROVERS = "grant_approvers"

# Roles whose scope is the whole city: these, and those the apps declare (declare_city_wide).
CITY_WIDE_ROLES = (GRANT_OFFICERS, GRANT_APPROVERS)
_declared_city_wide: set[str] = set()


def declare_city_wide(*groups: str) -> None:
    """Add roles that work city-wide: the grant declares its staff roles (subsidies.policy)."""
    _declared_city_wide.update(groups)


def city_wide_roles() -> frozenset[str]:
    """The groups whose members work on every district."""
    return frozenset(CITY_WIDE_ROLES) | _declared_city_wide


def group_names(user: AbstractBaseUser | AnonymousUser) -> frozenset[str]:
    """The user's group names, read once per request object."""
    if not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_kyodo_group_names", None)
    if cached is None:
        cached = frozenset(user.groups.values_list("name", flat=True))
        user._kyodo_group_names = cached
    return cached


def has_role(user, role: str) -> bool:
    return role in group_names(user)


def sees_all_districts(user) -> bool:
    """Superusers and grant staff work city-wide; liaison officers only in their districts."""
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or bool(group_names(user) & city_wide_roles())
