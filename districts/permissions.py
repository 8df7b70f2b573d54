"""Who may do what with districts' records, as predicates (DESIGN.md section 4)."""

from django.db.models import QuerySet

from core import roles

from .models import Council


def coordinated_councils(user) -> QuerySet[Council]:
    """The councils a coordinator is linked to; none for anyone else."""
    if (
        not user.is_authenticated
        or not user.is_active
        or not roles.has_role(user, roles.COORDINATORS)
    ):
        return Council.objects.none()
    return Council.objects.filter(coordinators=user)
