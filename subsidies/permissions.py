"""Who sees which grant applications (DESIGN.md section 4), as predicates and querysets.

Every grant page reads its application through one of these, so an application outside the
user's scope is simply not found (404).
"""

from django.db.models import QuerySet

from core import roles
from districts.admin_scope import districts_in_scope
from districts.permissions import coordinated_councils

from .models import Application


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
