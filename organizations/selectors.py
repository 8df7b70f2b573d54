"""The queries the directory and the district page need about groups."""

from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from core.text import normalize, to_hiragana
from districts.models import Council, District, DistrictStatistic

from .models import Membership, Officer, Organization, OrganizationKind


def published_groups() -> QuerySet[Organization]:
    """Published groups with what a list row shows (districts and fields) prefetched."""
    return Organization.objects.published().prefetch_related(
        Prefetch("districts", queryset=District.objects.order_by("name_kana")),
        "fields",
    )


def search_groups(
    *, q: str = "", kind: str = "", district: District | None = None, field: str = ""
) -> QuerySet[Organization]:
    """The directory: published groups matching the filters, in 50音 order."""
    groups = published_groups()
    # Every word must match the name (as typed or NFKC-normalised) or the reading.
    for word in q.split():
        plain = normalize(word)
        groups = groups.filter(
            Q(name__icontains=word)
            | Q(name__icontains=plain)
            | Q(name_kana__icontains=to_hiragana(plain))
        )
    if kind:
        groups = groups.filter(kind=kind)
    if district is not None:
        groups = groups.filter(districts=district)
    if field:
        groups = groups.filter(fields__code=field)
    return groups.order_by("name_kana", "name", "pk")


@dataclass(frozen=True)
class KindGroup:
    kind: OrganizationKind
    groups: list


def groups_by_kind(groups) -> list[KindGroup]:
    """Groups sorted into the glossary's kinds, in the glossary's order, empty kinds left out."""
    buckets: dict[str, list] = {kind: [] for kind in OrganizationKind}
    for group in groups:
        buckets[group.kind].append(group)
    return [KindGroup(OrganizationKind(kind), items) for kind, items in buckets.items() if items]


def district_groups(district: District) -> list[KindGroup]:
    """The published groups working in a district, by kind, each with its fields."""
    groups = (
        Organization.objects.published()
        .filter(districts=district)
        .prefetch_related("fields")
        .order_by("name_kana", "name")
    )
    return groups_by_kind(groups)


def council_member_ids(council: Council | None) -> set[int]:
    """Ids of the groups that hold a member's seat in the council today."""
    if council is None:
        return set()
    return set(
        Membership.objects.current()
        .seated()
        .filter(council=council)
        .values_list("organization_id", flat=True)
    )


def public_council_officers(council: Council | None) -> list[Officer]:
    """The council's current officers who agreed to have their names shown."""
    if council is None:
        return []
    return list(Officer.objects.current().public().filter(council=council))


@dataclass(frozen=True)
class GroupDetail:
    group: Organization
    officers: list[Officer]
    seats: list[Membership]
    membership_rate: object
    households_as_of: object


def group_for_page(pk: int) -> GroupDetail:
    """One published group with its districts, fields, public officers and council seats."""
    group = get_object_or_404(published_groups(), pk=pk)
    officers = list(Officer.objects.current().public().filter(organization=group))
    seats = list(
        Membership.objects.current()
        .filter(organization=group)
        .select_related("council__district")
        .order_by("council__district__name_kana")
    )
    rate = as_of = None
    if group.member_households is not None:
        district_ids = [district.pk for district in group.districts.all()]
        latest = list(
            DistrictStatistic.objects.latest_per_district().filter(district_id__in=district_ids)
        )
        # The rate is only meaningful when every district it covers has figures.
        if latest and len(latest) == len(district_ids):
            rate = group.membership_rate(sum(row.households for row in latest))
            as_of = min(row.as_of for row in latest)
    return GroupDetail(group, officers, seats, rate, as_of)
