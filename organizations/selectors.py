"""The queries the directory and the district page need about groups."""

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from core import search
from core.english import LocalName, reading_range
from core.links import address_maker, address_of
from districts.models import Council, District, DistrictStatistic

from .models import Membership, Officer, Organization, OrganizationKind, field_labels


def published_groups() -> QuerySet[Organization]:
    """Published groups with what a list row shows (districts and fields) prefetched."""
    return Organization.objects.published().prefetch_related(
        Prefetch("districts", queryset=District.objects.order_by("name_kana")),
        "fields",
    )


def search_groups(
    *,
    q: str = "",
    kind: str = "",
    district: District | None = None,
    field: str = "",
    row: str = "",
) -> QuerySet[Organization]:
    """The directory: published groups matching the filters (`row`: readings in that row of
    the 50音 index), in 50音 order, each with the address of its page (`url`)."""
    groups = published_groups()
    # Every word must be found in the name, the reading or the description, matched as the site
    # search matches (core.search: widths, kana, kanji numerals), from the same index.
    matched = search.matching_ids("group", q)
    if matched is not None:
        groups = groups.filter(pk__in=matched)
    if kind:
        groups = groups.filter(kind=kind)
    if district is not None:
        groups = groups.filter(districts=district)
    if field:
        groups = groups.filter(fields__code=field)
    if row:
        first, before = reading_range(row)
        in_row = Q(name_kana__gte=first)
        if before is not None:
            in_row &= Q(name_kana__lt=before)
        # ゔ is in the あ row but sorts after ん, at the end of the わ row's range.
        if row == "あ":
            in_row |= Q(name_kana__startswith="ゔ")
        elif before is None:
            in_row &= ~Q(name_kana__startswith="ゔ")
        groups = groups.filter(in_row)
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
    display_name: LocalName
    kind: str
    url: str
    fields: list[str]
    is_council_member: bool


def district_groups(district: District, council: Council | None = None) -> list[KindGroup]:
    """The published groups working in a district, by kind, with their fields' labels.

    With `council`, each group says whether it holds a seat in it today (an EXISTS). One query
    whatever the number of groups: a row for each group and field (LEFT JOIN, so groups without
    a field too), in the page's order, folded here into one DistrictGroup each. Plain rows, not
    model instances with a prefetch: a large district lists 50 groups with 150 field tags.
    """
    columns = ["pk", "name", "name_en", "name_kana", "kind", "fields__code"]
    rows = Organization.objects.published().filter(districts=district)
    if council is not None:
        rows = rows.annotate(
            is_member=Exists(seated_memberships(council).filter(organization=OuterRef("pk")))
        )
        columns.append("is_member")
    rows = rows.order_by("name_kana", "name", "pk", "fields__order").values_list(*columns)
    names = field_labels()
    url = address_maker("organization_detail", "pk")
    groups: dict[int, DistrictGroup] = {}
    for pk, name, name_en, name_kana, kind, code, *member in rows:
        group = groups.get(pk)
        if group is None:
            group = groups[pk] = DistrictGroup(
                pk=pk,
                name=name,
                display_name=LocalName(name, name_en, name_kana),
                kind=kind,
                url=url(pk),
                fields=[],
                is_council_member=bool(member and member[0]),
            )
        if code is not None:
            group.fields.append(names.get(code, code))
    return groups_by_kind(groups.values())


def seated_memberships(council: Council) -> QuerySet[Membership]:
    """The council's seats held today by full members and the secretariat."""
    return Membership.objects.current().seated().filter(council=council)


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
