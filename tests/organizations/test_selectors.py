"""The group selectors: directory search, groups by kind, council seats and officers, one group."""

import datetime as dt
from decimal import Decimal

import pytest
from django.http import Http404
from django.utils import timezone

from core import search
from districts.models import District
from organizations.models import FieldCode, MembershipRole, OfficerRole, OrganizationKind
from organizations.selectors import (
    district_groups,
    group_for_page,
    groups_by_kind,
    public_council_officers,
    search_groups,
    seated_memberships,
)
from tests.factories import (
    CouncilFactory,
    DistrictFactory,
    DistrictStatisticFactory,
    MembershipFactory,
    OfficerFactory,
    OrganizationFactory,
)

pytestmark = pytest.mark.django_db


def days_from_today(days: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=days)


def names(groups) -> list[str]:
    return [group.name for group in groups]


# search_groups ----------------------------------------------------------------------------


def test_search_lists_published_groups_in_kana_order():
    OrganizationFactory(name="若葉会", name_kana="わかばかい")
    OrganizationFactory(name="青葉会", name_kana="あおばかい")
    OrganizationFactory(name="桜会", name_kana="さくらかい")
    OrganizationFactory(name="非公開会", name_kana="あああ", is_published=False)

    assert names(search_groups()) == ["青葉会", "桜会", "若葉会"]


def test_search_never_shows_unpublished_groups_whatever_the_filters():
    district = DistrictFactory()
    OrganizationFactory(
        name="桜台防犯会",
        name_kana="さくらだいぼうはんかい",
        is_published=False,
        kind=OrganizationKind.VOLUNTEER,
        districts=[district],
        fields=[FieldCode.CRIME],
    )

    assert not search_groups(
        q="桜台", kind=OrganizationKind.VOLUNTEER, district=district, field=FieldCode.CRIME
    ).exists()
    assert not search_groups(q="さくらだい").exists()


@pytest.mark.parametrize("query", ["NPO", "npo", "ＮＰＯ", "　ＮＰＯ ", "さくら"])
def test_search_matches_the_name_after_nfkc(query):
    OrganizationFactory(name="NPOさくら", name_kana="えぬぴーおーさくら")
    OrganizationFactory(name="桜台自治会", name_kana="ひがしじちかい")

    assert names(search_groups(q=query)) == ["NPOさくら"]


@pytest.mark.parametrize("query", ["さくらだい", "サクラダイ", "ｻｸﾗﾀﾞｲ", "ぼうさい"])
def test_search_matches_the_reading_typed_in_hiragana_or_katakana(query):
    OrganizationFactory(name="桜台防災会", name_kana="さくらだいぼうさいかい")
    OrganizationFactory(name="港南自治会", name_kana="こうなんじちかい")

    assert names(search_groups(q=query)) == ["桜台防災会"]


def test_search_by_kind():
    OrganizationFactory(name="桜台PTA", kind=OrganizationKind.PTA)
    OrganizationFactory(name="桜台自治会", kind=OrganizationKind.NEIGHBORHOOD)

    assert names(search_groups(kind=OrganizationKind.PTA)) == ["桜台PTA"]


def test_search_by_district():
    sakura, konan = DistrictFactory(), DistrictFactory()
    OrganizationFactory(name="桜台自治会", districts=[sakura])
    OrganizationFactory(name="港南自治会", districts=[konan])

    assert names(search_groups(district=sakura)) == ["桜台自治会"]


def test_search_by_field():
    OrganizationFactory(name="防災会", fields=[FieldCode.DISASTER])
    OrganizationFactory(name="子ども会", fields=[FieldCode.CHILDCARE])

    assert names(search_groups(field=FieldCode.DISASTER)) == ["防災会"]


def test_search_filters_combine():
    sakura, konan = DistrictFactory(), DistrictFactory()
    OrganizationFactory(
        name="桜台防災会",
        name_kana="さくらだいぼうさいかい",
        kind=OrganizationKind.VOLUNTEER,
        districts=[sakura],
        fields=[FieldCode.DISASTER],
    )
    OrganizationFactory(
        name="桜台見守り隊",
        name_kana="さくらだいみまもりたい",
        kind=OrganizationKind.VOLUNTEER,
        districts=[sakura],
        fields=[FieldCode.CRIME],
    )
    OrganizationFactory(
        name="港南防災会",
        name_kana="こうなんぼうさいかい",
        kind=OrganizationKind.VOLUNTEER,
        districts=[konan],
        fields=[FieldCode.DISASTER],
    )
    OrganizationFactory(
        name="桜台自主防災会",
        name_kana="さくらだいじしゅぼうさいかい",
        kind=OrganizationKind.NEIGHBORHOOD,
        districts=[sakura],
        fields=[FieldCode.DISASTER],
    )

    found = search_groups(
        q="ぼうさい", kind=OrganizationKind.VOLUNTEER, district=sakura, field=FieldCode.DISASTER
    )

    assert names(found) == ["桜台防災会"]


def test_search_lists_a_group_once_when_it_has_several_districts_and_fields():
    sakura, konan = DistrictFactory(), DistrictFactory()
    OrganizationFactory(
        name="広域防災ネット",
        name_kana="こういきぼうさいねっと",
        districts=[sakura, konan],
        fields=[FieldCode.DISASTER, FieldCode.CRIME, FieldCode.WELFARE],
    )
    OrganizationFactory(
        name="桜台自治会",
        name_kana="さくらだいじちかい",
        districts=[sakura],
        fields=[FieldCode.DISASTER, FieldCode.COMMUNITY],
    )

    for filters in [
        {},
        {"district": sakura},
        {"field": FieldCode.DISASTER},
        {"district": sakura, "field": FieldCode.DISASTER},
    ]:
        assert names(search_groups(**filters)) == ["広域防災ネット", "桜台自治会"], filters
        assert search_groups(**filters).count() == 2, filters
    assert names(search_groups(q="防災", district=konan, field=FieldCode.CRIME)) == [
        "広域防災ネット"
    ]


def test_search_prefetches_districts_and_fields(django_assert_num_queries):
    sakura, konan = DistrictFactory(), DistrictFactory()
    for _ in range(3):
        OrganizationFactory(districts=[sakura, konan], fields=[FieldCode.DISASTER])
    # Writes bring the index up to date when they commit; this test runs in one transaction.
    search.apply_changes()

    # The index's change queue (empty), the groups, their districts, their fields.
    with django_assert_num_queries(4):
        for group in search_groups(q="じちかい"):
            assert len(group.districts.all()) == 2
            assert [field.code for field in group.fields.all()] == [FieldCode.DISASTER]


def test_search_row_districts_are_in_kana_order():
    kasuga = DistrictFactory(name_kana="かすが")
    aoba = DistrictFactory(name_kana="あおば")
    OrganizationFactory(districts=[kasuga, aoba])

    (group,) = search_groups()

    assert list(group.districts.all()) == [aoba, kasuga]


# groups_by_kind / district_groups ---------------------------------------------------------


def test_groups_by_kind_follow_the_kind_order_and_leave_out_empty_kinds():
    OrganizationFactory(name="NPOあおば", name_kana="えぬぴーおーあおば", kind=OrganizationKind.NPO)
    OrganizationFactory(
        name="桜台PTA", name_kana="さくらだいぴーてぃーえー", kind=OrganizationKind.PTA
    )
    OrganizationFactory(
        name="青葉自治会", name_kana="あおばじちかい", kind=OrganizationKind.NEIGHBORHOOD
    )
    OrganizationFactory(
        name="若葉自治会", name_kana="わかばじちかい", kind=OrganizationKind.NEIGHBORHOOD
    )
    OrganizationFactory(
        name="港南PTA", name_kana="こうなんぴーてぃーえー", kind=OrganizationKind.PTA
    )

    sections = groups_by_kind(search_groups())

    assert [(section.kind, names(section.groups)) for section in sections] == [
        (OrganizationKind.NEIGHBORHOOD, ["青葉自治会", "若葉自治会"]),
        (OrganizationKind.PTA, ["港南PTA", "桜台PTA"]),
        (OrganizationKind.NPO, ["NPOあおば"]),
    ]


def test_groups_by_kind_of_nothing_is_empty():
    assert groups_by_kind([]) == []


def test_district_groups_are_the_districts_published_groups_by_kind():
    sakura, konan = DistrictFactory(), DistrictFactory()
    OrganizationFactory(
        name="桜台老人クラブ",
        name_kana="さくらだいろうじんくらぶ",
        kind=OrganizationKind.SENIORS,
        districts=[sakura],
    )
    OrganizationFactory(
        name="桜台第二自治会", name_kana="さくらだいだいにじちかい", districts=[sakura, konan]
    )
    OrganizationFactory(
        name="桜台第一自治会",
        name_kana="さくらだいだいいちじちかい",
        districts=[sakura],
        fields=[FieldCode.COMMUNITY],
    )
    OrganizationFactory(
        name="桜台消防団",
        name_kana="さくらだいしょうぼうだん",
        kind=OrganizationKind.FIRE_BRIGADE,
        districts=[sakura],
        is_published=False,
    )
    OrganizationFactory(name="港南PTA", kind=OrganizationKind.PTA, districts=[konan])

    sections = district_groups(sakura)

    assert [(section.kind, names(section.groups)) for section in sections] == [
        (OrganizationKind.NEIGHBORHOOD, ["桜台第一自治会", "桜台第二自治会"]),
        (OrganizationKind.SENIORS, ["桜台老人クラブ"]),
    ]
    assert district_groups(DistrictFactory()) == []


# Council seats and officers ---------------------------------------------------------------


def seated_ids(council) -> set[int]:
    return set(seated_memberships(council).values_list("organization_id", flat=True))


def test_seats_are_todays_only():
    council = CouncilFactory()
    today = MembershipFactory(council=council, start_on=days_from_today(0))
    last_day = MembershipFactory(
        council=council, start_on=days_from_today(-400), end_on=days_from_today(0)
    )
    MembershipFactory(council=council, start_on=days_from_today(-400), end_on=days_from_today(-1))
    MembershipFactory(council=council, start_on=days_from_today(1))
    MembershipFactory(start_on=days_from_today(-400))  # another council

    assert seated_ids(council) == {today.organization_id, last_day.organization_id}


def test_without_a_council_no_group_is_marked_a_member():
    district = DistrictFactory()
    MembershipFactory(organization__districts=[district])
    (bucket,) = district_groups(district)
    assert [group.is_council_member for group in bucket.groups] == [False]


def test_public_council_officers_are_current_and_agreed_in_rank_order():
    council = CouncilFactory()
    chair = OfficerFactory(
        of_council=True,
        council=council,
        role=OfficerRole.CHAIR,
        name_is_public=True,
        term_start=days_from_today(0),
    )
    treasurer = OfficerFactory(
        of_council=True,
        council=council,
        role=OfficerRole.TREASURER,
        name_is_public=True,
        term_start=days_from_today(-400),
        term_end=days_from_today(0),
    )
    vice_chair = OfficerFactory(
        of_council=True,
        council=council,
        role=OfficerRole.VICE_CHAIR,
        name_is_public=True,
        term_start=days_from_today(-400),
    )
    OfficerFactory(
        of_council=True, council=council, role=OfficerRole.DIRECTOR, name_is_public=False
    )
    OfficerFactory(
        of_council=True,
        council=council,
        role=OfficerRole.AUDITOR,
        name_is_public=True,
        term_start=days_from_today(-400),
        term_end=days_from_today(-1),
    )
    OfficerFactory(
        of_council=True,
        council=council,
        role=OfficerRole.AUDITOR,
        name_is_public=True,
        term_start=days_from_today(1),
    )
    OfficerFactory(of_council=True, name_is_public=True)  # another council
    OfficerFactory(name_is_public=True)  # a group's officer

    assert public_council_officers(council) == [chair, vice_chair, treasurer]
    assert public_council_officers(None) == []


# group_for_page ---------------------------------------------------------------------------


def test_group_for_page_is_404_for_unpublished_or_missing_groups():
    hidden = OrganizationFactory(is_published=False)

    with pytest.raises(Http404):
        group_for_page(hidden.pk)
    with pytest.raises(Http404):
        group_for_page(hidden.pk + 1000)


def test_group_for_page_shows_current_public_officers_and_current_seats():
    group = OrganizationFactory()
    chair = OfficerFactory(organization=group, role=OfficerRole.CHAIR, name_is_public=True)
    OfficerFactory(organization=group, role=OfficerRole.TREASURER, name_is_public=False)
    OfficerFactory(
        organization=group,
        role=OfficerRole.AUDITOR,
        name_is_public=True,
        term_start=dt.date(2020, 4, 1),
        term_end=days_from_today(-1),
    )
    OfficerFactory(name_is_public=True)  # another group's officer
    konan = CouncilFactory(district=DistrictFactory(name_kana="こうなん"))
    aoba = CouncilFactory(district=DistrictFactory(name_kana="あおば"))
    MembershipFactory(organization=group, council=konan)
    MembershipFactory(organization=group, council=aoba)
    MembershipFactory(
        organization=group,
        council=CouncilFactory(),
        start_on=dt.date(2020, 4, 1),
        end_on=days_from_today(-1),
    )

    detail = group_for_page(group.pk)

    assert detail.group == group
    assert detail.officers == [chair]
    assert [seat.council for seat in detail.seats] == [aoba, konan]


def test_group_for_page_membership_rate_over_latest_households_of_all_its_districts():
    sakura, konan = DistrictFactory(), DistrictFactory()
    DistrictStatisticFactory(district=sakura, as_of=dt.date(2024, 4, 1), households=100)
    DistrictStatisticFactory(district=sakura, as_of=dt.date(2025, 4, 1), households=1000)
    DistrictStatisticFactory(district=konan, as_of=dt.date(2024, 10, 1), households=500)
    DistrictStatisticFactory(
        district=DistrictFactory(), as_of=dt.date(2025, 4, 1), households=100
    )  # a district the group does not work in
    group = OrganizationFactory(member_households=600, districts=[sakura, konan])

    detail = group_for_page(group.pk)

    assert detail.membership_rate == Decimal("40.0")  # 600 of 1000 + 500
    assert detail.households_as_of == dt.date(2024, 10, 1)


def test_group_for_page_has_no_rate_when_a_district_lacks_figures():
    sakura, konan = DistrictFactory(), DistrictFactory()
    DistrictStatisticFactory(district=sakura, households=1000)
    group = OrganizationFactory(member_households=600, districts=[sakura, konan])

    detail = group_for_page(group.pk)

    assert detail.membership_rate is None
    assert detail.households_as_of is None


def test_group_for_page_has_no_rate_without_member_households():
    sakura = DistrictFactory()
    DistrictStatisticFactory(district=sakura, households=1000)
    group = OrganizationFactory(member_households=None, districts=[sakura])

    detail = group_for_page(group.pk)

    assert detail.membership_rate is None
    assert detail.households_as_of is None


def test_group_for_page_has_no_rate_without_districts():
    group = OrganizationFactory(member_households=600)

    assert not District.objects.filter(organizations=group).exists()
    assert group_for_page(group.pk).membership_rate is None


def test_observers_and_advisors_get_no_member_badge():
    council = CouncilFactory()
    member = MembershipFactory(council=council, role=MembershipRole.MEMBER)
    secretariat = MembershipFactory(council=council, role=MembershipRole.SECRETARIAT)
    MembershipFactory(council=council, role=MembershipRole.OBSERVER)
    MembershipFactory(council=council, role=MembershipRole.ADVISOR)

    assert seated_ids(council) == {
        member.organization_id,
        secretariat.organization_id,
    }
