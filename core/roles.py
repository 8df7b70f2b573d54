"""The roles of DESIGN.md section 4 as Django groups, and who sees which districts."""

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

COORDINATORS = "coordinators"
LIAISON = "liaison"
GRANT_OFFICERS = "grant_officers"
GRANT_APPROVERS = "grant_approvers"

# Roles whose scope is the whole city.
CITY_WIDE_ROLES = (GRANT_OFFICERS, GRANT_APPROVERS)


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
    return user.is_superuser or bool(group_names(user) & set(CITY_WIDE_ROLES))
