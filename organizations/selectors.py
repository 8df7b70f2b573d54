"""The queries the directory and the district page need about groups."""

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from core.links import address_maker, address_of
from core.text import normalize, to_hiragana
from districts.models import Council, District, DistrictStatistic

from .models import FieldCode, Membership, Officer, Organization, OrganizationKind


def published_groups() -> QuerySet[Organization]:
    """Published groups with what a list row shows (districts and fields) prefetched."""
    return Organization.objects.published().prefetch_related(
        Prefetch("districts", queryset=District.objects.order_by("name_kana")),
        "fields",
    )


def search_groups(
    *, q: str = "", kind: str = "", district: District | None = None, field: str = ""
) -> QuerySet[Organization]:
    """The directory: published groups matching the filters, in 50音 order, each with the
    address of its page (`url`)."""
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
    return groups.annotate(url=address_of("organization_detail", "pk")).order_by(
        "name_kana", "name", "pk"
    )


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


@dataclass(frozen=True)
class DistrictGroup:
    """A group as the district page lists it: a link, its fields, whether it sits in the council."""

    pk: int
    name: str
    kind: str
    url: str
    fields: list[str]
    is_council_member: bool


def district_groups(district: District, council: Council | None = None) -> list[KindGroup]:
    """The published groups working in a district, by kind, with their fields' labels.

    With `council`, each group says whether it holds a seat in it today. Two queries whatever the
    number of groups: the groups (with the seat as EXISTS), then (group, field) pairs. Plain rows
    rather than model instances with a prefetch, because a large district lists 50 groups and
    150 field tags and the page should not pay for building objects it only prints.
    """
    rows = (
        Organization.objects.published()
        .filter(districts=district)
        .order_by("name_kana", "name", "pk")
        .values_list("pk", "name", "kind")
    )
    if council is not None:
        rows = rows.annotate(
            is_member=Exists(seated_memberships(council).filter(organization=OuterRef("pk")))
        ).values_list("pk", "name", "kind", "is_member")
    rows = list(rows)
    labels: dict[int, list[str]] = {row[0]: [] for row in rows}
    if labels:
        pairs = (
            Organization.fields.through.objects.filter(organization_id__in=list(labels))
            .order_by("field__order", "field__code")
            .values_list("organization_id", "field__code")
        )
        names = {code: str(label) for code, label in FieldCode.choices}
        for group_id, code in pairs:
            labels[group_id].append(names.get(code, code))
    url = address_maker("organization_detail", "pk")
    return groups_by_kind(
        DistrictGroup(
            pk=row[0],
            name=row[1],
            kind=row[2],
            url=url(row[0]),
            fields=labels[row[0]],
            is_council_member=bool(row[3]) if council is not None else False,
        )
        for row in rows
    )


def seated_memberships(council: Council) -> QuerySet[Membership]:
    """The council's seats held today by full members and the secretariat."""
    return Membership.objects.current().seated().filter(council=council)


def council_member_ids(council: Council | None) -> set[int]:
    """Ids of the groups that hold a member's seat in the council today."""
    if council is None:
        return set()
    return set(seated_memberships(council).values_list("organization_id", flat=True))


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
