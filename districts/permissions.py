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


AREA_IMPORT_PERMISSIONS = ("districts.add_area", "districts.change_area", "districts.delete_area")


def can_import_areas(user) -> bool:
    """Whether the user may replace the city's whole 通学区域 table from a file.

    The table covers every district, so only staff who work city-wide (not a liaison officer of
    a few districts) and who may add, change and delete areas.
    """
    return (
        user.is_authenticated
        and user.is_active
        and user.is_staff
        and roles.sees_all_districts(user)
        and user.has_perms(AREA_IMPORT_PERMISSIONS)
    )
