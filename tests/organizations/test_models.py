"""Group models: database constraints, their messages, derived values, input clean-up, querysets."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.forms import modelform_factory
from django.utils import timezone, translation

from organizations.models import (
    Membership,
    Officer,
    OfficerRole,
    Organization,
    OrganizationKind,
)
from tests.factories import (
    CouncilFactory,
    MembershipFactory,
    OfficerFactory,
    OrganizationFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    """Messages and role labels are compared in English; the site defaults to Japanese."""
    with translation.override("en"):
        yield


def errors_of(instance) -> dict[str, list[str]]:
    """full_clean()'s messages by field; an empty dict when the instance is valid."""
    try:
        instance.full_clean()
    except ValidationError as error:
        return error.message_dict
    return {}


def days_from_today(days: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=days)


def group(**values) -> Organization:
    defaults = {
        "name": "桜台自治会",
        "name_kana": "さくらだいじちかい",
        "kind": OrganizationKind.NEIGHBORHOOD,
    }
    return Organization(**defaults | values)


# Constraints hold in the database ----------------------------------------------------------


def test_member_households_only_for_neighborhood_associations_in_the_database():
    OrganizationFactory(kind=OrganizationKind.NEIGHBORHOOD, member_households=120)
    pta = OrganizationFactory(kind=OrganizationKind.PTA)

    with pytest.raises(IntegrityError), transaction.atomic():
        OrganizationFactory(kind=OrganizationKind.NPO, member_households=0)
    with pytest.raises(IntegrityError), transaction.atomic():
        Organization.objects.filter(pk=pta.pk).update(member_households=30)
    with pytest.raises(IntegrityError), transaction.atomic():
        Organization.objects.bulk_create(
            [group(kind=OrganizationKind.SENIORS, member_households=10)]
        )

    pta.refresh_from_db()
    assert pta.member_households is None
    assert Organization.objects.count() == 2


def test_member_households_only_for_neighborhood_associations_in_full_clean():
    assert errors_of(group(kind=OrganizationKind.PTA, member_households=30)) == {
        NON_FIELD_ERRORS: ["Member households apply to neighborhood associations only."]
    }
    assert errors_of(group(kind=OrganizationKind.PTA)) == {}
    assert errors_of(group(kind=OrganizationKind.NEIGHBORHOOD, member_households=30)) == {}


def test_membership_cannot_end_before_it_starts_in_the_database():
    membership = MembershipFactory(start_on=dt.date(2025, 4, 1), end_on=dt.date(2025, 4, 1))

    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.filter(pk=membership.pk).update(end_on=dt.date(2025, 3, 31))
    with pytest.raises(IntegrityError), transaction.atomic():
        MembershipFactory(start_on=dt.date(2025, 4, 1), end_on=dt.date(2025, 3, 31))

    membership.refresh_from_db()
    assert membership.end_on == dt.date(2025, 4, 1)


def test_membership_cannot_end_before_it_starts_in_full_clean():
    membership = Membership(
        organization=OrganizationFactory(),
        council=CouncilFactory(),
        start_on=dt.date(2025, 4, 1),
        end_on=dt.date(2025, 3, 31),
    )

    assert errors_of(membership) == {
        NON_FIELD_ERRORS: ["The end date cannot be before the start date."]
    }
    membership.end_on = dt.date(2025, 4, 1)
    assert errors_of(membership) == {}


def test_membership_start_is_unique_per_group_and_council_in_the_database():
    first = MembershipFactory(start_on=dt.date(2025, 4, 1))

    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.bulk_create(
            [
                Membership(
                    organization=first.organization,
                    council=first.council,
                    start_on=dt.date(2025, 4, 1),
                ),
            ]
        )

    # A later seat, or the same day in another council, is fine.
    MembershipFactory(
        organization=first.organization, council=first.council, start_on=dt.date(2026, 4, 1)
    )
    MembershipFactory(organization=first.organization, start_on=dt.date(2025, 4, 1))
    assert Membership.objects.filter(organization=first.organization).count() == 3


def test_membership_start_is_unique_per_group_and_council_in_full_clean():
    first = MembershipFactory(start_on=dt.date(2025, 4, 1))
    again = Membership(
        organization=first.organization, council=first.council, start_on=dt.date(2025, 4, 1)
    )

    assert errors_of(again) == {
        NON_FIELD_ERRORS: ["This group already has a seat starting that day."]
    }
    # Editing the seat itself is not a clash with itself.
    assert errors_of(first) == {}


def test_officer_belongs_to_a_group_or_a_council_in_the_database():
    council = CouncilFactory()
    officer = OfficerFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        OfficerFactory(organization=None, council=None)
    with pytest.raises(IntegrityError), transaction.atomic():
        OfficerFactory(council=council)
    with pytest.raises(IntegrityError), transaction.atomic():
        Officer.objects.filter(pk=officer.pk).update(council=council)

    officer.refresh_from_db()
    assert officer.council is None
    assert Officer.objects.count() == 1


@pytest.mark.parametrize("parents", ["neither", "both"])
def test_officer_belongs_to_a_group_or_a_council_in_full_clean(parents):
    officer = OfficerFactory.build(
        organization=OrganizationFactory() if parents == "both" else None,
        council=CouncilFactory() if parents == "both" else None,
    )

    errors = errors_of(officer)

    assert "An officer belongs to either a group or a council." in errors[NON_FIELD_ERRORS]
    assert "Choose either a group or a council." in errors[NON_FIELD_ERRORS]


@pytest.mark.parametrize("of_council", [False, True])
def test_officer_of_one_parent_is_valid(of_council):
    assert errors_of(OfficerFactory(of_council=of_council)) == {}


def test_officer_term_cannot_end_before_it_starts_in_the_database():
    officer = OfficerFactory(term_start=dt.date(2025, 4, 1), term_end=dt.date(2025, 4, 1))

    with pytest.raises(IntegrityError), transaction.atomic():
        Officer.objects.filter(pk=officer.pk).update(term_end=dt.date(2025, 3, 31))
    with pytest.raises(IntegrityError), transaction.atomic():
        OfficerFactory(term_start=dt.date(2025, 4, 1), term_end=dt.date(2025, 3, 31))

    officer.refresh_from_db()
    assert officer.term_end == dt.date(2025, 4, 1)


def test_officer_term_cannot_end_before_it_starts_in_full_clean():
    officer = OfficerFactory(term_start=dt.date(2025, 4, 1))
    officer.term_end = dt.date(2025, 3, 31)

    assert errors_of(officer) == {
        NON_FIELD_ERRORS: ["The end of the term cannot be before its start."]
    }


# Derived values ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("member_households", "households", "expected"),
    [
        (450, 1000, Decimal("45.0")),
        (1, 3, Decimal("33.3")),
        (2, 3, Decimal("66.7")),
        # Exactly half a tenth rounds up (四捨五入), not to the even digit.
        (5, 2000, Decimal("0.3")),
        (245, 2000, Decimal("12.3")),
        (0, 1000, Decimal("0.0")),
        (1000, 1000, Decimal("100.0")),
    ],
)
def test_membership_rate_rounds_half_up_to_a_tenth(member_households, households, expected):
    rate = group(member_households=member_households).membership_rate(households)

    assert rate == expected
    assert str(rate) == str(expected)


@pytest.mark.parametrize(("member_households", "households"), [(None, 1000), (120, 0), (120, None)])
def test_membership_rate_is_none_without_figures(member_households, households):
    assert group(member_households=member_households).membership_rate(households) is None


def test_officer_rank_follows_role_and_orders_officers():
    organization = OrganizationFactory()
    roles = [
        OfficerRole.OTHER,
        OfficerRole.AUDITOR,
        OfficerRole.TREASURER,
        OfficerRole.CHAIR,
        OfficerRole.DIRECTOR,
        OfficerRole.VICE_CHAIR,
        OfficerRole.SECRETARY_GENERAL,
        OfficerRole.DIVISION_HEAD,
    ]
    for role in roles:
        OfficerFactory(organization=organization, role=role)

    officers = list(Officer.objects.filter(organization=organization))

    assert [officer.role for officer in officers] == list(OfficerRole)
    assert [officer.rank for officer in officers] == list(range(len(OfficerRole)))


def test_officer_rank_follows_a_changed_role():
    officer = OfficerFactory(role=OfficerRole.AUDITOR)
    officer.role = OfficerRole.CHAIR
    officer.save()

    officer.refresh_from_db()
    assert officer.rank == 0


def test_officers_of_the_same_rank_newest_term_first():
    organization = OrganizationFactory()
    older = OfficerFactory(
        organization=organization, role=OfficerRole.DIRECTOR, term_start=dt.date(2023, 4, 1)
    )
    newer = OfficerFactory(
        organization=organization, role=OfficerRole.DIRECTOR, term_start=dt.date(2025, 4, 1)
    )
    chair = OfficerFactory(
        organization=organization, role=OfficerRole.CHAIR, term_start=dt.date(2022, 4, 1)
    )

    assert list(Officer.objects.filter(organization=organization)) == [chair, newer, older]


def test_officer_title_is_the_role_unless_written_out():
    officer = Officer(role=OfficerRole.DIVISION_HEAD, person_name="山田 花子")

    assert officer.title == "Division head"
    assert str(officer) == "Division head 山田 花子"
    officer.title_detail = "防災部会長"
    assert officer.title == "防災部会長"
    assert str(officer) == "防災部会長 山田 花子"


# Input clean-up ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("サクラダイジチカイ", "さくらだいじちかい"),
        ("ｻｸﾗﾀﾞｲｼﾞﾁｶｲ", "さくらだいじちかい"),
        (" サクラダイ　ジチカイ ", "さくらだい じちかい"),
    ],
)
def test_full_clean_stores_readings_in_hiragana(typed, stored):
    organization = group(name_kana=typed)
    officer = OfficerFactory.build(organization=OrganizationFactory(), person_name_kana=typed)

    assert errors_of(organization) == {}
    assert errors_of(officer) == {}
    assert organization.name_kana == stored
    assert officer.person_name_kana == stored


def test_full_clean_keeps_the_group_name_as_written_and_normalizes_the_officer_phone():
    organization = group(name=" ＮＰＯ法人さくら（１丁目） ")
    officer = OfficerFactory.build(
        organization=OrganizationFactory(), private_phone="０９０－１２３４－５６７８"
    )

    assert errors_of(organization) == {}
    assert errors_of(officer) == {}
    assert organization.name == "ＮＰＯ法人さくら（１丁目）"  # only trimmed
    assert officer.private_phone == "090-1234-5678"


def test_form_stores_group_reading_typed_in_katakana_as_hiragana():
    form = modelform_factory(Organization, fields=["name", "name_kana", "kind"])(
        {"name": "桜台自治会", "name_kana": "サクラダイジチカイ", "kind": "neighborhood"}
    )

    assert form.is_valid(), form.errors
    form.save()
    assert Organization.objects.get().name_kana == "さくらだいじちかい"


@pytest.mark.parametrize("reading", ["山田", "yamada"])
def test_officer_reading_must_be_kana(reading):
    officer = OfficerFactory.build(organization=OrganizationFactory(), person_name_kana=reading)

    assert errors_of(officer) == {
        "person_name_kana": ["Enter the reading in kana (hiragana or katakana)."]
    }


def test_officer_phone_must_be_digits_and_hyphens():
    officer = OfficerFactory.build(organization=OrganizationFactory(), private_phone="090-ABCD")

    assert errors_of(officer) == {
        "private_phone": ["Enter a phone number in digits and hyphens, such as 0000-00-0000."]
    }


# Querysets ---------------------------------------------------------------------------------


def test_published_groups():
    shown = OrganizationFactory(is_published=True)
    OrganizationFactory(is_published=False)

    assert list(Organization.objects.published()) == [shown]


def test_current_memberships_include_both_boundary_days():
    council = CouncilFactory()
    starts_today = MembershipFactory(council=council, start_on=days_from_today(0))
    ends_today = MembershipFactory(
        council=council, start_on=days_from_today(-30), end_on=days_from_today(0)
    )
    open_ended = MembershipFactory(council=council, start_on=days_from_today(-30))
    MembershipFactory(council=council, start_on=days_from_today(-30), end_on=days_from_today(-1))
    MembershipFactory(council=council, start_on=days_from_today(1))

    assert set(Membership.objects.current()) == {starts_today, ends_today, open_ended}


def test_current_memberships_on_a_given_day():
    membership = MembershipFactory(start_on=dt.date(2025, 4, 1), end_on=dt.date(2026, 3, 31))

    assert list(Membership.objects.current(on=dt.date(2025, 4, 1))) == [membership]
    assert list(Membership.objects.current(on=dt.date(2026, 3, 31))) == [membership]
    assert not Membership.objects.current(on=dt.date(2025, 3, 31)).exists()
    assert not Membership.objects.current(on=dt.date(2026, 4, 1)).exists()


def test_current_officers_include_both_boundary_days():
    organization = OrganizationFactory()
    starts_today = OfficerFactory(organization=organization, term_start=days_from_today(0))
    ends_today = OfficerFactory(
        organization=organization, term_start=days_from_today(-30), term_end=days_from_today(0)
    )
    open_ended = OfficerFactory(organization=organization, term_start=days_from_today(-30))
    OfficerFactory(
        organization=organization, term_start=days_from_today(-30), term_end=days_from_today(-1)
    )
    OfficerFactory(organization=organization, term_start=days_from_today(1))

    assert set(Officer.objects.current()) == {starts_today, ends_today, open_ended}


def test_public_officers_are_those_who_agreed():
    shown = OfficerFactory(name_is_public=True)
    OfficerFactory(name_is_public=False)

    assert list(Officer.objects.public()) == [shown]


def test_current_public_officers():
    shown = OfficerFactory(name_is_public=True, term_start=days_from_today(0))
    OfficerFactory(name_is_public=False, term_start=days_from_today(0))
    OfficerFactory(
        name_is_public=True, term_start=days_from_today(-30), term_end=days_from_today(-1)
    )
    OfficerFactory(name_is_public=True, term_start=days_from_today(1))

    assert list(Officer.objects.current().public()) == [shown]
    assert list(Officer.objects.public().current()) == [shown]


def test_overlapping_seats_of_a_group_in_the_same_council_are_refused():
    from tests.factories import MembershipFactory

    first = MembershipFactory(start_on=dt.date(2024, 4, 1), end_on=None)
    second = Membership(
        organization=first.organization, council=first.council, start_on=dt.date(2025, 4, 1)
    )
    with pytest.raises(ValidationError) as refused:
        second.full_clean()
    assert refused.value.error_dict["__all__"][0].code == "overlapping_membership"

    later = Membership(
        organization=first.organization,
        council=first.council,
        start_on=dt.date(2025, 4, 1),
    )
    first.end_on = dt.date(2025, 3, 31)
    first.save()
    later.full_clean()
