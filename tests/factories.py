"""factory-boy factories for every model, shared by the whole test suite.

Users: ``UserFactory(groups=[roles.COORDINATORS])`` gives a signed-in role; ``StaffUserFactory``
is a staff account, with ``StaffUserFactory.liaison(district, ...)``,
``StaffUserFactory.grant_officer()`` and ``StaffUserFactory.grant_approver()`` as shortcuts.
"""

import datetime as dt

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from core import roles
from core.names import person_name
from districts.models import (
    Area,
    Council,
    CouncilStage,
    District,
    DistrictKind,
    DistrictStatistic,
    LiaisonAssignment,
)
from organizations.models import (
    Field,
    FieldCode,
    Membership,
    MembershipRole,
    Officer,
    OfficerRole,
    Organization,
    OrganizationKind,
)

PASSWORD = "kyodo-test-password"

_KANA_DIGITS = "あいうえおかきくけこ"


def kana_number(n: int) -> str:
    """A number written with kana, for readings that must be kana only and still unique."""
    return "".join(_KANA_DIGITS[int(digit)] for digit in str(n))


def days_ago(days: int) -> dt.date:
    return timezone.localdate() - dt.timedelta(days=days)


# Users -------------------------------------------------------------------------------------


class UserFactory(factory.django.DjangoModelFactory):
    """An active account; ``groups`` takes role group names (see core.roles)."""

    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.jp")
    first_name = "太郎"
    last_name = factory.Sequence(lambda n: f"協働{n}")
    password = factory.django.Password(PASSWORD)
    is_active = True

    @factory.post_generation
    def groups(self, create, extracted, **kwargs):
        if create and extracted:
            # The role groups and their permissions come from core's migration.
            self.groups.add(*(Group.objects.get_or_create(name=name)[0] for name in extracted))


class StaffUserFactory(UserFactory):
    username = factory.Sequence(lambda n: f"staff{n}")
    is_staff = True

    @classmethod
    def liaison(cls, *districts, **kwargs):
        """A liaison officer currently assigned to the given districts."""
        user = cls(groups=[roles.LIAISON], **kwargs)
        for district in districts:
            LiaisonAssignmentFactory(user=user, district=district)
        return user

    @classmethod
    def grant_officer(cls, **kwargs):
        return cls(groups=[roles.GRANT_OFFICERS], **kwargs)

    @classmethod
    def grant_approver(cls, **kwargs):
        return cls(groups=[roles.GRANT_APPROVERS], **kwargs)


class SuperUserFactory(StaffUserFactory):
    username = factory.Sequence(lambda n: f"admin{n}")
    is_superuser = True


# Districts ---------------------------------------------------------------------------------


class DistrictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = District

    kind = DistrictKind.ELEMENTARY
    name = factory.Sequence(lambda n: f"みどり第{n}小学校区")
    name_kana = factory.Sequence(lambda n: f"みどりだい{kana_number(n)}しょうがっこうく")
    slug = factory.Sequence(lambda n: f"district-{n}")
    school_name = factory.LazyAttribute(lambda district: district.name.removesuffix("区"))
    hub_name = factory.LazyAttribute(lambda district: f"{district.name}公民館")
    display_order = factory.Sequence(lambda n: n % 30000)


class CouncilFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Council
        skip_postgeneration_save = True

    district = factory.SubFactory(DistrictFactory)
    name = factory.LazyAttribute(lambda council: f"{council.district.name}まちづくり協議会")
    name_kana = factory.LazyAttribute(
        lambda council: f"{council.district.name_kana} まちづくりきょうぎかい"
    )
    stage = CouncilStage.PREPARING

    class Params:
        established = factory.Trait(
            stage=CouncilStage.ESTABLISHED, established_on=dt.date(2024, 4, 1)
        )

    @factory.post_generation
    def coordinators(self, create, extracted, **kwargs):
        if create and extracted:
            self.coordinators.add(*extracted)


class DistrictStatisticFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DistrictStatistic

    district = factory.SubFactory(DistrictFactory)
    as_of = factory.Sequence(lambda n: dt.date(2025, 4, 1) - dt.timedelta(days=n))
    population = 8000
    households = 3500
    under_15 = 900
    aged_65_over = 2400


class LiaisonAssignmentFactory(factory.django.DjangoModelFactory):
    """A current assignment, by default of a new liaison officer."""

    class Meta:
        model = LiaisonAssignment

    user = factory.SubFactory(StaffUserFactory, groups=[roles.LIAISON])
    district = factory.SubFactory(DistrictFactory)
    start_on = factory.LazyFunction(lambda: days_ago(365))
    end_on = None
    public_name = factory.LazyAttribute(lambda assignment: person_name(assignment.user))

    class Params:
        ended = factory.Trait(
            start_on=factory.LazyFunction(lambda: days_ago(730)),
            end_on=factory.LazyFunction(lambda: days_ago(1)),
        )


class AreaFactory(factory.django.DjangoModelFactory):
    """A whole 丁目: AreaFactory(district=d, town="桜台", town_kana="さくらだい", chome=2)."""

    class Meta:
        model = Area

    district = factory.SubFactory(DistrictFactory)
    town = factory.Sequence(lambda n: f"みどり町{n}")
    town_kana = factory.Sequence(lambda n: f"みどりちょう{kana_number(n)}")
    chome = 1


# Organizations -----------------------------------------------------------------------------


class FieldFactory(factory.django.DjangoModelFactory):
    """Activity fields are created by a migration; this fetches one by code."""

    class Meta:
        model = Field
        django_get_or_create = ("code",)

    code = FieldCode.COMMUNITY


class OrganizationFactory(factory.django.DjangoModelFactory):
    """A group; ``districts=[...]`` and ``fields=[codes]`` set its many-to-many links."""

    class Meta:
        model = Organization
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"みどり{n}丁目自治会")
    name_kana = factory.Sequence(lambda n: f"みどり{kana_number(n)}ちょうめじちかい")
    kind = OrganizationKind.NEIGHBORHOOD
    description = ""
    is_published = True

    @factory.post_generation
    def districts(self, create, extracted, **kwargs):
        if create and extracted:
            self.districts.add(*extracted)

    @factory.post_generation
    def fields(self, create, extracted, **kwargs):
        if create and extracted:
            self.fields.add(*(FieldFactory(code=code) for code in extracted))


class MembershipFactory(factory.django.DjangoModelFactory):
    """A seat in a council; a group without districts is placed in the council's district."""

    class Meta:
        model = Membership
        skip_postgeneration_save = True

    organization = factory.SubFactory(OrganizationFactory)
    council = factory.SubFactory(CouncilFactory)
    role = MembershipRole.MEMBER
    start_on = dt.date(2024, 4, 1)
    end_on = None

    @factory.post_generation
    def place_organization(self, create, extracted, **kwargs):
        if create and not self.organization.districts.exists():
            self.organization.districts.add(self.council.district)


class OfficerFactory(factory.django.DjangoModelFactory):
    """An officer of a group; ``OfficerFactory(of_council=True)`` for a council's officer."""

    class Meta:
        model = Officer

    organization = factory.SubFactory(OrganizationFactory)
    council = None
    role = OfficerRole.CHAIR
    person_name = factory.Sequence(lambda n: f"山田 {n}郎")
    person_name_kana = factory.Sequence(lambda n: f"やまだ {kana_number(n)}ろう")
    term_start = dt.date(2024, 4, 1)
    term_end = None
    name_is_public = False

    class Params:
        of_council = factory.Trait(organization=None, council=factory.SubFactory(CouncilFactory))
