"""A small city whose size can be multiplied, for the pages' query-count tests."""

import datetime as dt

from districts.models import CouncilStage
from organizations.models import FieldCode, OfficerRole, OrganizationKind
from tests.factories import (
    AreaFactory,
    CouncilFactory,
    DistrictFactory,
    DistrictStatisticFactory,
    LiaisonAssignmentFactory,
    MembershipFactory,
    OfficerFactory,
    OrganizationFactory,
)

STAGES = list(CouncilStage)
KINDS = list(OrganizationKind)
FIELDS = list(FieldCode)


def populate_district(district, scale: int) -> None:
    """Give a district `scale` times the data: statistics, areas, groups, members, officers,
    liaisons."""
    council = district.council_or_none
    first_chome = district.areas.count() + 1
    for chome in range(first_chome, first_chome + 2 * scale):
        AreaFactory(
            district=district, town=f"桜台{district.pk}", town_kana="さくらだい", chome=chome
        )
    start = district.statistics.count()
    for n in range(start, start + 2 * scale):
        DistrictStatisticFactory(
            district=district,
            as_of=dt.date(2000, 4, 1) + dt.timedelta(days=30 * n),
            population=8000 - n,
            households=3500,
            under_15=900,
            aged_65_over=2400 + n,
        )
    for n in range(3 * scale):
        group = OrganizationFactory(
            districts=[district],
            kind=KINDS[n % len(KINDS)],
            fields=[FIELDS[n % len(FIELDS)], FIELDS[(n + 3) % len(FIELDS)]],
        )
        OfficerFactory(organization=group, name_is_public=True)
        if council is not None:
            MembershipFactory(organization=group, council=council)
    if council is not None:
        for n in range(scale):
            OfficerFactory(
                organization=None,
                council=council,
                role=OfficerRole.DIRECTOR,
                name_is_public=True,
                person_name=f"理事 {district.pk}-{n}",
            )
    for _ in range(scale):
        LiaisonAssignmentFactory(district=district)


def populate_city(scale: int) -> list:
    """`scale` districts per stage (and one with no council per scale), each populated."""
    districts = []
    for _ in range(scale):
        for stage in STAGES:
            council = CouncilFactory(
                stage=stage,
                established_on=dt.date(2023, 4, 1) if stage == CouncilStage.ESTABLISHED else None,
            )
            districts.append(council.district)
        districts.append(DistrictFactory())
    for district in districts:
        populate_district(district, scale)
    return districts
