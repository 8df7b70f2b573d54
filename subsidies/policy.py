"""The grant policy (DESIGN.md section 4): who acts on, sees and hears of which application.

The workflow's roles are declared here once, each with the group that holds it, so three
questions have one answer each:

- may this user act in a role on this application (`acts_as`; the workflow's table says which
  role takes which action, and `workflow.transition_for` asks this module);
- which applications may this user see (`councils_applications`, `reviewable_applications`);
  every grant page reads its application through one of them, so an application outside the
  user's scope is simply not found (404);
- who holds a role for an application, and at which addresses (`holders`, `addresses`), for the
  e-mail to whoever acts next.

The first roles' groups and their admin permissions are `core.roles`'s and
`core.permissions_data`'s; a role added later names its group and permissions in its row here,
and `create_role_groups` creates the group after every migrate. Which districts a liaison officer
covers is `districts.admin_scope`'s, and which councils a coordinator runs is
`districts.permissions`'s.
"""

from collections.abc import Mapping
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from core import permissions_data, roles
from districts.admin_scope import districts_in_scope
from districts.permissions import coordinated_council_ids, coordinated_councils

from .models import Application

COORDINATOR = "coordinator"
OFFICER = "grant_officer"
APPROVER = "grant_approver"


@dataclass(frozen=True)
class Role:
    """A role of the workflow's table and the group whose members hold it."""

    group: str  # the Django group (core.roles)
    label: Promise  # as the city's review pages name it
    council_label: Promise  # as the council's own dashboard names it
    page: str  # where the role works on one application (the link in its e-mail)
    of_council: bool = False  # held for one's own councils only, not city-wide
    # The group's admin permissions (e.g. core.permissions_data.GRANT_STAFF_READ), for a role
    # whose group core does not create; the group is then created after migrate with them.
    permissions: Mapping[str, tuple[str, ...]] | None = None


ROLES: dict[str, Role] = {
    COORDINATOR: Role(
        group=roles.COORDINATORS,
        label=_("Coordinator"),
        council_label=_("Your council"),
        page="grants:application_detail",
        of_council=True,
    ),
    OFFICER: Role(
        group=roles.GRANT_OFFICERS,
        label=_("Grant officer"),
        council_label=_("The city (grant officer)"),
        page="grants:review_application",
    ),
    APPROVER: Role(
        group=roles.GRANT_APPROVERS,
        label=_("Grant approver"),
        council_label=_("The city (grant approver)"),
        page="grants:review_application",
    ),
}

# The roles the city's staff act in, on the review pages.
STAFF_ROLES = tuple(key for key, role in ROLES.items() if not role.of_council)
# The roles a council acts in, on the coordinator's pages.
COUNCIL_ROLES = tuple(key for key, role in ROLES.items() if role.of_council)


def declare_city_wide_roles() -> None:
    """Staff roles work on every district: tell core.roles (on loading, apps.py)."""
    roles.declare_city_wide(*(ROLES[key].group for key in STAFF_ROLES))


def create_role_groups(apps) -> None:
    """The groups of the roles that declare their permissions here, with those permissions.

    Run after every migrate (apps.py), once the permissions exist, so that a role added to
    ROLES has its group with nothing more.
    """
    declared = {role.group: role.permissions for role in ROLES.values() if role.permissions}
    if declared:
        permissions_data.give_permissions(apps, declared)


# May this user act on this application ----------------------------------------------------------


def acts_as(user, role: str, application: Application) -> bool:
    """Whether the user holds `role` for this application (a council's role: of its council)."""
    if not user.is_authenticated or not user.is_active:
        return False
    if ROLES[role].of_council:
        return application.council_id in coordinated_council_ids(user)
    return role in staff_roles(user)


def staff_roles(user) -> list[str]:
    """The city-wide roles the user acts in: officer, approver, or both (superusers all)."""
    if not user.is_authenticated or not user.is_active:
        return []
    return [
        key for key in STAFF_ROLES if user.is_superuser or roles.has_role(user, ROLES[key].group)
    ]


# Which applications may this user see -----------------------------------------------------------


def is_grant_staff(user) -> bool:
    """Grant officers and approvers (and superusers) work on every district's applications."""
    return roles.sees_all_districts(user)


def may_review(user) -> bool:
    """Whether the review pages open at all: grant staff, and liaison officers to read."""
    if not user.is_authenticated or not user.is_active or not user.is_staff:
        return is_grant_staff(user)
    return is_grant_staff(user) or roles.has_role(user, roles.LIAISON)


def councils_applications(user) -> QuerySet[Application]:
    """A coordinator's own councils' applications; none for anyone else."""
    return Application.objects.filter(council__in=coordinated_councils(user))


def reviewable_applications(user) -> QuerySet[Application]:
    """Staff scope: every application for grant staff, their districts' for liaison officers."""
    if not may_review(user):
        return Application.objects.none()
    if is_grant_staff(user):
        return Application.objects.all()
    return Application.objects.filter(council__district__in=districts_in_scope(user))


# Who holds a role for an application (the e-mail to whoever acts next) --------------------------


def holders(role: str, application: Application) -> QuerySet:
    """The active users who hold `role` for this application, as `acts_as` answers it.

    A council's role needs both the group and the link to the council: a link alone is not
    enough. Superusers are not written to: they act in every role but hold none of them.
    """
    declared = ROLES[role]
    users = get_user_model().objects.filter(is_active=True, groups__name=declared.group)
    if declared.of_council:
        users = users.filter(coordinated_councils=application.council_id)
    return users


def addresses(role: str, application: Application, *, besides=None) -> list[str]:
    """The e-mail addresses of the role's holders for this application, leaving out `besides`."""
    found = holders(role, application).exclude(email="")
    if besides is not None:
        found = found.exclude(pk=besides)
    return sorted(set(found.values_list("email", flat=True)))
