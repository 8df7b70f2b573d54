"""Fill the database with the fictional city of みどり野市 (Midorino City) for demos.

Every row comes from the demo city's data (its districts, groups, people's names, officers'
posts and accounts in demo/data/*.toml, read by demo.city) and from random generators with fixed
seeds, keyed on natural keys (slug, name and kind, username), so a second run updates the same rows.
Plans and meetings come from `_demo_plans`; their calendar follows the run date, so the demo
always has past minutes and upcoming meetings.
"""

import datetime as dt
import random
import time
from collections import Counter
from typing import NamedTuple

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import AbstractUser, Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Q, QuerySet, Sum
from django.utils import timezone

from core import search
from core.names import person_name
from core.text import fold
from demo.city import (
    ANNUAL_KINDS,
    ASSOCIATION_FIELDS,
    ASSOCIATION_TEXTS,
    BUSINESS_GROUPS,
    CHILDREN,
    CHILDREN_COUNCIL,
    CHOME,
    CITY,
    CITY_GROUPS,
    CITY_KANA,
    COORDINATED_DISTRICTS,
    CORE_GROUPS,
    COUNCIL_COORDINATORS,
    COUNCIL_MEMBER_KINDS,
    COUNCIL_POSTS,
    DEMO_ACCOUNTS,
    DISTRICT_SUFFIX,
    DISTRICTS,
    ENGLISH_NAMES,
    FAMILY_NAMES,
    FIRE_COMPANIES,
    FIRE_COMPANY,
    FIRST_FOUNDED,
    GIVEN_NAMES,
    GROUP_POSTS,
    GROUPS_AS_WRITTEN,
    JUNIOR_HIGHS,
    LIAISON_ASSIGNMENTS,
    LIAISON_STAFF,
    LOOSE_KINDS,
    ONLINE_SHARE,
    OTHER_GROUPS,
    PTA,
    SCHOOL,
    SCHOOL_PREFIX,
    SENIOR_CLUB,
    SENIOR_CLUBS,
    TOWNS,
    VOLUNTEER_GROUPS,
    WOMEN_GROUP,
    Account,
    DistrictSeed,
    GroupSpec,
    Town,
)
from demo.load import demo_random
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
    OFFICER_ROLE_RANK,
    Field,
    Membership,
    MembershipRole,
    Officer,
    OfficerRole,
    Organization,
)
from organizations.models import OrganizationKind as Kind
from plans.models import IndicatorResult, Initiative, Meeting, Plan, Review
from subsidies.models import FormulaComponent, Program

from ._demo_boundaries import demo_city_boundaries
from ._demo_grants import seed_grants
from ._demo_plans import seed_plans_and_meetings, sync

DEMO_PASSWORD = "kyodo-demo-2026"
# The data describes the city as of this autumn; terms and assignments are current then.
AS_OF = dt.date(2026, 10, 1)

ESTABLISHED, MODEL = CouncilStage.ESTABLISHED, CouncilStage.MODEL
PREPARING, NOT_STARTED = CouncilStage.PREPARING, CouncilStage.NOT_STARTED
# The population figures: April and October, 2022 to 2026.
STATISTIC_DATES = tuple(dt.date(year, month, 1) for year in range(2022, 2027) for month in (4, 10))
# Pools each district draws a few groups from: (templates, at least, at most).
OPTIONAL_GROUPS = ((VOLUNTEER_GROUPS, 2, 4), (OTHER_GROUPS, 1, 2), (BUSINESS_GROUPS, 1, 2))


# --- People and officers -----------------------------------------------------------------------


class Person(NamedTuple):
    name: str
    kana: str
    is_public: bool
    phone: str
    email: str


def new_person(rng: random.Random) -> Person:
    family, family_kana, romaji = rng.choice(FAMILY_NAMES)
    given, given_kana = rng.choice(GIVEN_NAMES)
    return Person(
        name=f"{family} {given}",
        kana=f"{family_kana} {given_kana}",
        is_public=rng.random() < 2 / 3,
        phone=f"0000-{rng.randint(90, 99)}-{rng.randint(0, 9999):04d}",
        email=f"{romaji}{rng.randint(10, 99)}@example.jp" if rng.random() < 0.6 else "",
    )


# --- Building the data -------------------------------------------------------------------------


def statistic_values(seed: DistrictSeed, day: dt.date) -> dict[str, int]:
    """A slow trend from the 2022 figures: population drifts, aging rises, children fall.
    Aging never falls below 6%, however far back (the grown city's records reach 1989)."""
    years = (day - STATISTIC_DATES[0]).days / 365.25
    population = round(seed.population * (1 + seed.growth) ** years)
    return {
        "population": population,
        "households": round(population / (seed.household_size - 0.015 * years)),
        "under_15": round(population * (0.22 - 0.35 * seed.aging - 0.002 * years)),
        "aged_65_over": round(population * max(0.06, seed.aging + 0.006 * years)),
    }


def association_areas(seed: DistrictSeed) -> list[tuple[str, str, str]]:
    numbered = [
        (f"{seed.base}{kanji}丁目", f"{seed.base_kana}{kana}ちょうめ", f"{number}chome")
        for number, (kanji, kana) in enumerate(CHOME[: seed.chome], start=1)
    ]
    return numbered + list(seed.areas)


def from_template(spec: GroupSpec, districts: tuple[str, ...], **words) -> GroupSpec:
    """A group of a template in groups.toml, its text filled in with `words`."""
    return spec._replace(
        name=spec.name.format(**words),
        kana=spec.kana.format(**words),
        code=spec.code.format(**words),
        description=spec.description.format(**words),
        districts=districts,
    )


def for_district(spec: GroupSpec, seed: DistrictSeed) -> GroupSpec:
    return from_template(spec, (seed.slug,), base=seed.base, kana=seed.base_kana, slug=seed.slug)


def school_groups(name: str, kana: str, code: str, districts: tuple[str, ...]) -> list[GroupSpec]:
    """A school and its PTA."""
    prefix, prefix_kana = SCHOOL_PREFIX
    words = {"name": name, "kana": kana, "code": code, "prefix": prefix, "prefix_kana": prefix_kana}
    return [from_template(spec, districts, **words) for spec in (SCHOOL, PTA)]


def association_spec(seed: DistrictSeed, area: tuple[str, str, str], households: int, rng):
    """The neighbourhood association of an area: (name, reading, code)."""
    name, kana, code = area
    suffix, suffix_kana = seed.association
    return GroupSpec(
        f"{name}{suffix}",
        f"{kana}{suffix_kana}",
        Kind.NEIGHBORHOOD,
        f"{seed.slug}-{code}",
        tuple(rng.sample(ASSOCIATION_FIELDS, rng.randint(2, 4))),
        rng.choice(ASSOCIATION_TEXTS).format(area=name, suffix=suffix),
        (seed.slug,),
        households,
    )


def fire_company(number: str, kana: str, districts: tuple[str, ...]) -> GroupSpec:
    """A company (分団) of the city's volunteer fire brigade, named for its first district."""
    words = {"city": CITY, "city_kana": CITY_KANA, "number": number, "kana": kana}
    return from_template(FIRE_COMPANY, districts, **words, district=districts[0])


def district_groups(seed: DistrictSeed, rng: random.Random) -> list[GroupSpec]:
    """The groups named after one district, with a mix that differs from district to district."""
    areas = association_areas(seed)
    households = statistic_values(seed, STATISTIC_DATES[-1])["households"]
    weights = [rng.uniform(0.6, 1.4) for _ in areas]
    members = households * seed.joining_rate / sum(weights)
    specs = [
        association_spec(seed, area, round(members * weight), rng)
        for area, weight in zip(areas, weights, strict=True)
    ]
    specs += [for_district(spec, seed) for spec in CORE_GROUPS]
    for school in seed.schools:
        specs += school_groups(*school, (seed.slug,))
    if rng.random() < 0.6:
        specs.append(for_district(CHILDREN_COUNCIL, seed))
    for index, (area, kana, _) in enumerate(rng.sample(areas, rng.randint(1, 3)), start=1):
        words = {"area": area, "kana": kana, "slug": seed.slug, "index": index}
        specs.append(from_template(CHILDREN, (seed.slug,), **words))
    places = [(seed.base, seed.base_kana), rng.choice(areas)[:2]][: rng.randint(1, 2)]
    clubs = rng.sample(SENIOR_CLUBS, len(places))
    for index, ((place, place_kana), (club, club_kana)) in enumerate(
        zip(places, clubs, strict=True), start=1
    ):
        words = {"place": place, "place_kana": place_kana, "club": club, "club_kana": club_kana}
        specs.append(from_template(SENIOR_CLUB, (seed.slug,), **words, slug=seed.slug, index=index))
    if rng.random() < 0.6:
        specs.append(for_district(WOMEN_GROUP, seed))
    for pool, low, high in OPTIONAL_GROUPS:
        specs += [for_district(spec, seed) for spec in rng.sample(pool, rng.randint(low, high))]
    return specs


def shared_groups() -> list[GroupSpec]:
    """Junior high schools, fire brigade companies, NPOs and businesses of several districts."""
    specs = []
    for name, kana, code, districts in JUNIOR_HIGHS:
        specs += school_groups(name, kana, code, districts)
    specs += [fire_company(*company) for company in FIRE_COMPANIES]
    return specs + list(CITY_GROUPS) + list(GROUPS_AS_WRITTEN)


def organization_values(spec: GroupSpec, rng: random.Random) -> dict:
    chance = ONLINE_SHARE.get(spec.kind, 0.2)
    founded = rng.randint(FIRST_FOUNDED.get(spec.kind, 1970), 2019)
    return {
        "name_kana": spec.kana,
        "description": spec.description,
        "founded_on": dt.date(founded, 4, 1),
        "member_households": spec.member_households,
        "website": f"https://example.jp/{spec.code}/" if rng.random() < chance else "",
        "email": f"{spec.code}@example.jp" if rng.random() < chance + 0.15 else "",
        "is_published": spec.kind not in LOOSE_KINDS or rng.random() >= 0.12,
    }


def terms(starts: list[dt.date]) -> list[tuple[dt.date, dt.date | None]]:
    """Terms from these first days, each to the day before the next. The latest officers serve
    until their successors are registered, so the demo city keeps current officers in the years
    after it was written."""
    ends = [following - dt.timedelta(days=1) for following in starts[1:]]
    return list(zip(starts, [*ends, None], strict=True))


def fiscal_terms(kind: str, current: int = AS_OF.year) -> list[tuple[dt.date, dt.date | None]]:
    """One-year terms of the last four fiscal years to `current` for associations, PTAs and
    children's groups; two-year terms of the last five for others."""
    if kind in ANNUAL_KINDS:
        years = range(current - 3, current + 1)
    else:
        years = range(current - 4, current + 1, 2)
    return terms([dt.date(fy, 4, 1) for fy in years])


def council_terms(
    formed_on: dt.date, as_of: dt.date = AS_OF
) -> list[tuple[dt.date, dt.date | None]]:
    """Two-year terms from the day the council (or its preparatory body) was formed."""
    starts = []
    start = formed_on
    while start <= as_of:
        starts.append(start)
        # The same day two years on (1 March for 29 February).
        start = dt.date(start.year + 2, start.month, 1) + dt.timedelta(days=start.day - 1)
    return terms(starts)


def officer_rows(posts, terms, rng: random.Random, **parent) -> list[Officer]:
    """Officers over several terms; some are reappointed and a vice-chair may become chair."""
    rows = []
    holders: dict[int, Person] = {}
    vice = next((i for i, (role, _) in enumerate(posts) if role == OfficerRole.VICE_CHAIR), None)
    for start, end in terms:
        previous, holders, taken = holders, {}, set()
        for index, (role, title) in enumerate(posts):
            person = None
            if index in previous and rng.random() < 0.4:
                person = previous[index]
            elif role == OfficerRole.CHAIR and vice in previous and rng.random() < 0.5:
                person = previous[vice]
            if person is None or person.name in taken:
                person = new_person(rng)
            holders[index] = person
            taken.add(person.name)
            rows.append(
                Officer(
                    role=role,
                    title_detail=title,
                    rank=OFFICER_ROLE_RANK[role],
                    person_name=person.name,
                    person_name_kana=person.kana,
                    term_start=start,
                    term_end=end,
                    name_is_public=person.is_public,
                    private_phone=person.phone,
                    private_email=person.email,
                    **parent,
                )
            )
    return rows


def membership_rows(
    council: Council, formed: dt.date, organizations, rng: random.Random
) -> list[Membership]:
    """Seats from the council's start; some groups joined later and a few have left."""
    rows = []
    for organization in organizations:
        if organization.kind not in COUNCIL_MEMBER_KINDS and rng.random() < 0.5:
            continue
        start, end = formed, None
        loose = organization.kind in LOOSE_KINDS
        later = [dt.date(year, 4, 1) for year in range(formed.year + 1, AS_OF.year + 1)]
        if loose and later and rng.random() < 0.3:
            start = rng.choice(later)
        endings = [dt.date(year, 3, 31) for year in range(start.year + 1, AS_OF.year + 1)]
        if loose and endings and rng.random() < 0.12:
            end = rng.choice(endings)
        rows.append(
            Membership(
                organization=organization,
                council=council,
                start_on=start,
                end_on=end,
                role=membership_role(council, organization.kind, rng),
            )
        )
    return rows


def membership_role(council: Council, kind: str, rng: random.Random) -> str:
    if kind == Kind.SOCIAL_WELFARE and council.stage == ESTABLISHED:
        return MembershipRole.SECRETARIAT
    if kind == Kind.SCHOOL:
        return MembershipRole.ADVISOR
    if kind == Kind.BUSINESS and rng.random() < 0.5:
        return MembershipRole.OBSERVER
    return MembershipRole.MEMBER


# --- Writing -----------------------------------------------------------------------------------


def district_values(seed: DistrictSeed, school: str) -> dict:
    """A district's fields; `school` is the school it is named after."""
    suffix, suffix_kana = DISTRICT_SUFFIX[seed.kind]
    hub_name, hub_address, hub_phone = seed.hub
    return {
        "kind": seed.kind,
        "name": f"{seed.base}{suffix}",
        "name_kana": f"{seed.base_kana}{suffix_kana}",
        "school_name": f"{SCHOOL_PREFIX[0]}{school}",
        "hub_name": hub_name,
        "hub_address": hub_address,
        "hub_phone": hub_phone,
        "summary": seed.summary,
    }


def council_values(seed: DistrictSeed, established_on: dt.date | None) -> dict:
    """A council's fields: its name, stage and contact (an office once it is active)."""
    name, kana = seed.council
    active = seed.stage in (ESTABLISHED, MODEL)
    return {
        "name": name,
        "name_kana": kana,
        "stage": seed.stage,
        "established_on": established_on,
        "contact_name": f"{name}事務局",
        "contact_phone": seed.hub[2] if seed.stage != NOT_STARTED else "",
        "contact_email": f"{seed.slug}-machi@example.jp" if active else "",
    }


def seed_districts() -> dict[str, District]:
    districts = {}
    for order, seed in enumerate(DISTRICTS, start=1):
        school = seed.schools[0][0]
        if seed.kind == DistrictKind.JUNIOR_HIGH:
            school = next(jhs[0] for jhs in JUNIOR_HIGHS if jhs[3] == (seed.slug,))
        districts[seed.slug], _ = District.objects.update_or_create(
            slug=seed.slug, defaults=district_values(seed, school) | {"display_order": order}
        )
    return districts


def seed_councils(districts: dict[str, District]) -> dict[str, Council]:
    councils = {}
    for seed in DISTRICTS:
        if seed.council is None:
            continue
        active = seed.stage in (ESTABLISHED, MODEL)
        councils[seed.slug], _ = Council.objects.update_or_create(
            district=districts[seed.slug],
            defaults=council_values(seed, seed.formed_on if active else None),
        )
    return councils


def seed_statistics(districts: dict[str, District]) -> None:
    DistrictStatistic.objects.filter(
        district__in=districts.values(), as_of__in=STATISTIC_DATES
    ).delete()
    DistrictStatistic.objects.bulk_create(
        DistrictStatistic(district=districts[seed.slug], as_of=day, **statistic_values(seed, day))
        for seed in DISTRICTS
        for day in STATISTIC_DATES
    )


def seed_organizations(districts: dict[str, District]) -> list[Organization]:
    """Create or update the groups by name and kind, then reset their districts and fields."""
    rng = demo_random("groups")
    specs = [spec for seed in DISTRICTS for spec in district_groups(seed, rng)] + shared_groups()
    organizations = [
        Organization(name=spec.name, kind=spec.kind, **organization_values(spec, rng))
        for spec in specs
    ]
    sync(
        Organization,
        Organization.objects.filter(name__in=[spec.name for spec in specs]),
        organizations,
        key=("name", "kind"),
        keep=("name_en",),  # set by seed_english_names
    )
    fields = {field.code: field for field in Field.objects.all()}
    pairs = list(zip(organizations, specs, strict=True))
    for model, rows in group_links(pairs, districts, fields).items():
        model.objects.filter(organization__in=organizations).delete()
        model.objects.bulk_create(rows)
    return organizations


def group_links(pairs: list[tuple[Organization, GroupSpec]], districts, fields) -> dict:
    """The groups' links to the districts (by slug) and fields (by code), by model."""
    district_links, field_links = Organization.districts.through, Organization.fields.through
    return {
        district_links: [
            district_links(organization=org, district=districts[slug])
            for org, spec in pairs
            for slug in spec.districts
        ],
        field_links: [
            field_links(organization=org, field=fields[code])
            for org, spec in pairs
            for code in spec.fields
        ],
    }


def seed_memberships_and_officers(
    councils: dict[str, Council], organizations: list[Organization]
) -> None:
    """Replace the seats and officers of the demo councils and groups."""
    rng = demo_random("people")
    Membership.objects.filter(council__in=councils.values()).delete()
    Officer.objects.filter(
        Q(council__in=councils.values()) | Q(organization__in=organizations)
    ).delete()
    links = Organization.districts.through.objects.filter(organization__in=organizations)
    linked = set(links.values_list("district_id", "organization_id"))
    memberships, officers = [], []
    for seed in DISTRICTS:
        council = councils.get(seed.slug)
        if council is None:
            continue
        if council.stage != NOT_STARTED:
            members = [org for org in organizations if (council.district_id, org.pk) in linked]
            memberships += membership_rows(council, seed.formed_on, members, rng)
        terms = council_terms(seed.formed_on)
        officers += officer_rows(COUNCIL_POSTS[council.stage], terms, rng, council=council)
    for organization in organizations:
        posts = GROUP_POSTS.get(organization.kind)
        if posts and rng.random() < 0.8:
            terms = fiscal_terms(organization.kind)
            officers += officer_rows(posts, terms, rng, organization=organization)
    Membership.objects.bulk_create(memberships)
    Officer.objects.bulk_create(officers)


def user_values(account: Account, password: str) -> dict:
    """The user fields of an account (its e-mail at example.jp), for a new user or an update."""
    return {
        "first_name": account.first_name,
        "last_name": account.last_name,
        "email": f"{account.username}@example.jp",
        "is_active": True,
        "is_staff": account.is_staff,
        "is_superuser": account.is_superuser,
        "password": password,
    }


def seed_accounts(councils: dict[str, Council]) -> dict[str, AbstractUser]:
    """The demo logins (one password for all), and the liaison staff and the other councils'
    coordinators without a login."""
    user_model = get_user_model()
    groups = {group.name: group for group in Group.objects.all()}
    accounts = DEMO_ACCOUNTS + LIAISON_STAFF + COUNCIL_COORDINATORS
    missing = {account.role for account in accounts if account.role} - set(groups)
    if missing:
        raise CommandError(f"Role groups missing ({', '.join(sorted(missing))}); run migrate.")
    password = make_password(DEMO_PASSWORD)
    users = {}
    for account in accounts:
        user, _ = user_model.objects.update_or_create(
            username=account.username,
            defaults=user_values(
                account, password if account in DEMO_ACCOUNTS else make_password(None)
            ),
        )
        user.groups.set([groups[account.role]] if account.role else [])
        users[account.username] = user
    for username, slug in COORDINATED_DISTRICTS.items():
        users[username].coordinated_councils.set([councils[slug]])
    return users


def seed_liaison_assignments(
    districts: dict[str, District], users: dict[str, AbstractUser]
) -> None:
    LiaisonAssignment.objects.filter(user__in=users.values()).delete()
    accounts = {account.username: account for account in DEMO_ACCOUNTS + LIAISON_STAFF}
    rows = []
    for username, slug, start, end in LIAISON_ASSIGNMENTS:
        user, account = users[username], accounts[username]
        rows.append(
            LiaisonAssignment(
                user=user,
                district=districts[slug],
                start_on=start,
                end_on=end,
                public_name=person_name(user),
                public_phone=account.phone,
                public_email=f"{account.email or username}@city.midorino.example.jp",
            )
        )
    LiaisonAssignment.objects.bulk_create(rows)


def seed_areas(districts: dict[str, District]) -> int:
    """Replace the districts' 通学区域 with areas.toml's. Returns how many rows there are."""
    Area.objects.filter(district__in=districts.values()).delete()
    rows = [row for town in TOWNS for row in town_areas(town, districts)]
    return len(Area.objects.bulk_create(rows))


def town_areas(town: Town, districts: dict[str, District]) -> list[Area]:
    """A town's rows of the 通学区域 (which 町丁目, and where a 丁目 is split by 番地 between two
    districts which 番地, belong to each district by slug); town_key is set here, as
    bulk_create does not call save()."""
    parts = [(town.district, chome, None, None) for chome in town.chome]
    if not town.chome and not town.split:
        parts.append((town.district, None, None, None))
    parts += [(slug, chome, start, end) for chome, start, end, slug in town.split]
    return [
        Area(
            district=districts[slug],
            town=town.town,
            town_kana=town.kana,
            town_key=fold(town.town),
            chome=chome,
            banchi_from=start,
            banchi_to=end,
        )
        for slug, chome, start, end in parts
    ]


# Where english.toml's tables go: (table, model, the field it names rows by, the English field).
ENGLISH_FIELDS = (
    ("districts", District, "slug", "name_en"),
    ("councils", Council, "district__slug", "name_en"),
    ("programs", Program, "name", "name_en"),
    ("components", FormulaComponent, "label", "label_en"),
    ("units", FormulaComponent, "unit_name", "unit_name_en"),
)


def seed_english_names() -> None:
    """Set the demo's English names (english.toml) by natural key: updates only, so a rerun
    changes nothing."""
    for table, model, key, field in ENGLISH_FIELDS:
        for value, english in ENGLISH_NAMES[table].items():
            model.objects.filter(**{key: value}).update(**{field: english})
    bases = {seed.slug: seed.base for seed in DISTRICTS}
    for slug, base_en in ENGLISH_NAMES["group_districts"].items():
        for name, name_en in ENGLISH_NAMES["groups"].items():
            Organization.objects.filter(name=name.format(base=bases[slug])).update(
                name_en=name_en.format(base=base_en)
            )


def with_current(label: str, rows) -> tuple[str, int, str]:
    """A summary line of dated rows: how many, and how many are current."""
    return label, rows.count(), f"current {rows.current().count()}"


def tally(rows: QuerySet, field: str) -> str:
    """「draft 1, adopted 6, …」: how many of the rows have each of the field's choices."""
    counts = Counter(rows.values_list(field, flat=True))
    choices = rows.model._meta.get_field(field).choices
    return ", ".join(f"{value} {counts[value]}" for value, _ in choices if counts[value])


class Command(BaseCommand):
    help = f"Fill the database with the fictional city of {CITY} and demo logins (idempotent)."

    def handle(self, *args, **options):
        started = time.monotonic()
        with transaction.atomic():
            districts = seed_districts()
            demo_city_boundaries(districts)
            councils = seed_councils(districts)
            seed_statistics(districts)
            seed_areas(districts)
            organizations = seed_organizations(districts)
            seed_memberships_and_officers(councils, organizations)
            users = seed_accounts(councils)
            seed_liaison_assignments(districts, users)
            seed_plans_and_meetings(districts, councils)
        # In a transaction of its own: the grant services e-mail after each commit.
        program = seed_grants(councils, users)
        seed_english_names()
        search.rebuild()
        if options["verbosity"] > 0:
            seconds = time.monotonic() - started
            self.write_summary(districts, councils, organizations, program, seconds)
            self.write_accounts()

    def write_summary(self, districts, councils, organizations, program, seconds) -> None:
        in_districts = {"district__in": districts.values()}
        officers = Officer.objects.filter(
            Q(council__in=councils.values()) | Q(organization__in=organizations)
        )
        memberships = Membership.objects.filter(council__in=councils.values())
        unpublished = sum(not org.is_published for org in organizations)
        plans = Plan.objects.filter(**in_districts)
        results = IndicatorResult.objects.filter(indicator__initiative__plan__in=plans).count()
        reviews = Review.objects.filter(plan__in=plans).count()
        meetings = Meeting.objects.filter(**in_districts)
        upcoming = meetings.filter(starts_at__date__gte=timezone.localdate()).count()
        unannounced = meetings.filter(is_published=False).count()
        rows = [
            ("districts", len(districts), f"without a council {len(districts) - len(councils)}"),
            ("councils", len(councils), tally(Council.objects.filter(**in_districts), "stage")),
            ("groups", len(organizations), f"unpublished {unpublished}"),
            with_current("council memberships", memberships),
            with_current("officers", officers),
            ("population figures", DistrictStatistic.objects.filter(**in_districts).count(), ""),
            with_current("liaison assignments", LiaisonAssignment.objects.filter(**in_districts)),
            ("plans", plans.count(), tally(plans, "stage")),
            (
                "plan initiatives",
                Initiative.objects.filter(plan__in=plans).count(),
                f"indicator results {results}, reviews {reviews}",
            ),
            ("meetings", meetings.count(), f"upcoming {upcoming}, unpublished {unannounced}"),
        ]
        for year in program.years.order_by("fiscal_year"):
            applications = year.applications.all()
            paid = applications.aggregate(paid=Sum("payments__amount"))["paid"] or 0
            allocated = f"allocations {year.allocations.count()}"
            detail = f"{allocated}; {tally(applications, 'state')}; paid ¥{paid:,}"
            rows.append((f"applications {year.fiscal_year}", applications.count(), detail))
        self.stdout.write(self.style.SUCCESS(f"Seeded {CITY} in {seconds:.1f} s."))
        for label, count, detail in rows:
            self.stdout.write(f"  {label:<20} {count:>5}  {detail}".rstrip())

    def write_accounts(self) -> None:
        """The demo logins; README.md says what each of them sees."""
        self.stdout.write("")
        self.stdout.write(f"Demo accounts (password for all: {DEMO_PASSWORD})")
        for account in DEMO_ACCOUNTS:
            name = f"{account.last_name} {account.first_name}"
            self.stdout.write(f"  {account.username:<18} {account.label:<16} {name}")
