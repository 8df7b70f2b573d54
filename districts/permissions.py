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


def coordinated_council_ids(user) -> frozenset[int]:
    """The ids of the user's councils, read once per request's user object."""
    cached = getattr(user, "_kyodo_council_ids", None)
    if cached is None:
        cached = frozenset(coordinated_councils(user).values_list("pk", flat=True))
        user._kyodo_council_ids = cached
    return cached
