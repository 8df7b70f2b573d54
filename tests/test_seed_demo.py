"""The demo city of `manage.py seed_demo`: its size, its spread and its demo accounts."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db.models import Count

from core import roles
from districts.models import (
    Council,
    CouncilStage,
    District,
    DistrictKind,
    DistrictStatistic,
    LiaisonAssignment,
)
from organizations.models import Membership, Officer, Organization, OrganizationKind

PASSWORD = "kyodo-demo-2026"
DEMO_USERS = {
    # username: (group, is_staff, is_superuser)
    "demo-coordinator": (roles.COORDINATORS, False, False),
    "demo-coordinator2": (roles.COORDINATORS, False, False),
    "demo-liaison": (roles.LIAISON, True, False),
    "demo-officer": (roles.GRANT_OFFICERS, True, False),
    "demo-approver": (roles.GRANT_APPROVERS, True, False),
    "demo-admin": (None, True, True),
}


def seed() -> str:
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def counts() -> dict[str, int]:
    models = (
        District,
        Council,
        DistrictStatistic,
        LiaisonAssignment,
        Organization,
        Membership,
        Officer,
        get_user_model(),
        Organization.districts.through,
        Organization.fields.through,
        Council.coordinators.through,
    )
    return {model._meta.label: model.objects.count() for model in models}


@pytest.fixture
def seeded(db):
    seed()


def test_running_twice_keeps_the_same_rows(db):
    seed()
    first = counts()
    first_ids = set(Organization.objects.values_list("pk", flat=True))
    output = seed()
    assert counts() == first
    assert set(Organization.objects.values_list("pk", flat=True)) == first_ids
    assert PASSWORD in output
    for username in DEMO_USERS:
        assert username in output


def test_quiet_with_verbosity_zero(db):
    out = io.StringIO()
    call_command("seed_demo", verbosity=0, stdout=out)
    assert out.getvalue() == ""


def test_districts_cover_every_stage(seeded):
    assert 10 <= District.objects.count() <= 14
    assert set(District.objects.values_list("kind", flat=True)) >= {
        DistrictKind.ELEMENTARY,
        DistrictKind.JUNIOR_HIGH,
    }
    assert set(Council.objects.values_list("stage", flat=True)) == set(CouncilStage.values)
    assert District.objects.filter(council__isnull=True).exists()
    assert not Council.objects.filter(stage=CouncilStage.ESTABLISHED, established_on=None).exists()
    for district in District.objects.all():
        assert district.hub_phone.startswith("0000-")
        assert district.hub_address.startswith("みどり野市")
        district.full_clean()  # kana reading, slug, phone


def test_every_district_has_a_mix_of_groups(seeded):
    for district in District.objects.annotate(n=Count("organizations")):
        assert 15 <= district.n <= 40, district
        kinds = set(district.organizations.values_list("kind", flat=True))
        assert {
            OrganizationKind.NEIGHBORHOOD,
            OrganizationKind.SOCIAL_WELFARE,
            OrganizationKind.WELFARE_VOLUNTEERS,
            OrganizationKind.PTA,
        } <= kinds
        households = district.statistics.latest().households
        members = district.organizations.filter(member_households__isnull=False)
        assert members.count() >= 3
        assert sum(members.values_list("member_households", flat=True)) < households
    assert set(Organization.objects.values_list("kind", flat=True)) == set(OrganizationKind.values)


def test_groups_look_real(seeded):
    groups = Organization.objects.all()
    assert (
        not groups.exclude(kind=OrganizationKind.NEIGHBORHOOD)
        .filter(member_households__isnull=False)
        .exists()
    )
    unpublished = groups.filter(is_published=False).count()
    assert 0.03 <= unpublished / groups.count() <= 0.12
    assert groups.annotate(n=Count("districts")).filter(n__gte=2).exists()
    assert groups.filter(website__startswith="https://example.jp/").exists()
    assert groups.filter(email__endswith="@example.jp").exists()
    assert not groups.filter(fields__isnull=True).exists()
    for group in groups:
        group.full_clean()  # kana reading, URL, e-mail


def test_statistics_are_plausible(seeded):
    for district in District.objects.all():
        rows = list(district.statistics.order_by("as_of"))
        assert len(rows) >= 5
        for row in rows:
            assert 3000 <= row.population <= 15000
            assert row.households < row.population
            assert row.under_15 + row.aged_65_over <= row.population
        assert rows[-1].aging_rate > rows[0].aging_rate


def test_officers_have_past_and_current_terms(seeded):
    officers = Officer.objects.all()
    current = officers.current()
    assert current.exists()
    assert officers.filter(term_end__lt="2026-01-01").exists()
    for council in Council.objects.all():
        assert council.officers.current().filter(role="chair").count() == 1, council
    assert Organization.objects.filter(officers__isnull=False).distinct().count() >= 100
    public_share = officers.filter(name_is_public=True).count() / officers.count()
    assert 0.55 <= public_share <= 0.8
    assert not officers.filter(private_phone="").exists()
    assert all(" " in name for name in officers.values_list("person_name", flat=True))


def test_memberships_belong_to_the_councils_district(seeded):
    memberships = Membership.objects.select_related("council", "organization")
    assert memberships.filter(end_on__isnull=False).exists()
    for council in Council.objects.exclude(stage=CouncilStage.NOT_STARTED):
        assert council.memberships.current().count() >= 10, council
    for membership in memberships:
        assert membership.organization.districts.filter(pk=membership.council.district_id).exists()


def test_demo_accounts(seeded):
    users = get_user_model().objects
    for username, (group, is_staff, is_superuser) in DEMO_USERS.items():
        user = users.get(username=username)
        assert user.check_password(PASSWORD)
        assert (user.is_staff, user.is_superuser, user.is_active) == (is_staff, is_superuser, True)
        assert list(user.groups.values_list("name", flat=True)) == ([group] if group else [])
        assert user.last_name and user.first_name

    first = users.get(username="demo-coordinator").coordinated_councils.get()
    second = users.get(username="demo-coordinator2").coordinated_councils.get()
    assert first != second
    assert {first.stage, second.stage} <= {CouncilStage.ESTABLISHED, CouncilStage.MODEL}


def test_liaison_assignments(seeded):
    liaison = get_user_model().objects.get(username="demo-liaison")
    mine = LiaisonAssignment.objects.current().filter(user=liaison)
    assert mine.count() == 3
    assert not mine.filter(public_name="").exists()
    assert not mine.filter(public_phone="").exists()
    assert not mine.filter(public_email="").exists()
    for council in Council.objects.all():
        assert LiaisonAssignment.objects.current().filter(district=council.district_id).exists()
    assert LiaisonAssignment.objects.filter(end_on__isnull=False).exists()
    others = LiaisonAssignment.objects.exclude(user=liaison).values_list("user", flat=True)
    for user in get_user_model().objects.filter(pk__in=others):
        assert user.is_staff and not user.has_usable_password()
        assert user.groups.filter(name=roles.LIAISON).exists()
