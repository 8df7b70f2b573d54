"""Grow the database to a large city's size for `manage.py grow_data`.

The city gains a new set of districts (slugs "scale-0001" …) with councils in every rollout
stage, their groups, officers, plans, meetings and grant history. The volumes follow Targets (a
large city, or a fraction of it); the shapes follow the demo city of seed_demo, whose word lists,
text catalogues and builders are reused, so the rows read like the demo's.

How the volumes fit the models' rules:

- Meetings fall in the three fiscal years up to the run date (and the next two months, announced).
- Each council that receives the grant files one open application per program year, from its
  first grant year (councils established before the program began apply from 平成元年度, the
  earliest fiscal year the portal records), so a year's pages look like a real year's. The rest
  of the target are applications withdrawn or rejected before the open one of the same year.
- Every row is written in batches (core.bulk, as bulk_create would write it), district by
  district, in one transaction: a failed run leaves nothing behind. Save-time side effects (a
  meeting's first publication, an officer's rank, a history entry that refuses updates) are set
  here as the save would; the timestamps the models fill on save are given the day each thing
  happened instead.
"""

import datetime as dt
import math
import random
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import groupby
from typing import NamedTuple

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management.base import CommandError
from django.db import connection, reset_queries, transaction
from django.db.models import F
from django.utils import translation
from django.utils.translation import gettext

from core import bulk, roles, search
from core.dates import fiscal_year, format_fiscal_year, format_wareki_date
from core.text import fold
from demo.city import (
    ASSOCIATIONS,
    CHOME,
    CITY,
    COUNCIL_POSTS,
    FAMILY_NAMES,
    GIVEN_NAMES,
    GROUP_POSTS,
    GYOSEIKU,
    HEAD_POSTS,
    Account,
    DistrictSeed,
    GroupSpec,
    Split,
    Town,
)
from demo.grants import (
    PAPERS,
    PAST_YEAR_COMPONENTS,
    PAST_YEAR_SETTINGS,
    SAMPLE_PDF,
    STANDARD_CONDITIONS,
)
from demo.plans import (
    INITIATIVES,
    PREP_MIDDLE,
    Entry,
    PlanSeed,
)
from demo.scale import (
    CHANGES,
    CLOSED_PATHS,
    DISTRICT,
    ENTRY_STATUSES,
    LAST_YEAR_STATES,
    MIX,
    OLD_STATES,
    PLACES,
    PLAN_TEXTS,
    SIZE,
    STEPS,
    TEXTS,
    THIS_YEAR_STATES,
    VERSION_STATUSES,
)
from districts.models import (
    Area,
    Council,
    CouncilStage,
    District,
    DistrictKind,
    DistrictStatistic,
)
from organizations.models import (
    Field,
    Membership,
    Officer,
    Organization,
)
from plans.models import (
    Initiative,
    IssueSource,
    Meeting,
    MeetingKind,
    PlanStage,
)
from plans.models import InitiativeStatus as Status
from subsidies import policy, workflow
from subsidies.models import (
    DECIDED_STATES,
    Allocation,
    AllocationComponent,
    Application,
    ApplicationEvent,
    ApplicationVersion,
    Attachment,
    AttachmentKind,
    BudgetLine,
    ComponentKind,
    ExpenseCategory,
    FormulaComponent,
    Payment,
    PaymentKind,
    PlanRow,
    Program,
    ProgramYear,
    RefundHandling,
    Report,
    ReportLine,
    Side,
    State,
    UnitCount,
)
from subsidies.rules import advance_limit, offsets_refund, settlement_amounts
from subsidies.services.allocations import allocation_rows, move_year
from subsidies.services.applications import version_note
from subsidies.services.program_year import standard_categories

from ._demo_boundaries import scale_city_boundaries
from ._demo_grants import (
    PAST_YEAR,
    applicant,
    budget_lines,
    pdf_bytes,
    seed_program,
    split,
    under_way,
)
from ._demo_plans import (
    SATURDAY,
    SERIES_TITLES,
    SUNDAY,
    TOKYO,
    BuiltPlan,
    DemoDistrict,
    DistrictGroups,
    Rows,
    Slot,
    build_meetings,
    build_plans,
    calendar_slots,
    calendar_window,
    link_issue_sources,
    load_groups,
    meeting_rows,
    nth_weekday,
)
from .seed_demo import (
    council_terms,
    council_values,
    district_groups,
    district_values,
    fire_company,
    fiscal_terms,
    group_links,
    membership_rows,
    new_person,
    officer_rows,
    organization_values,
    statistic_values,
    town_areas,
    user_values,
)

SLUG_PREFIX = "scale-"
USER_PREFIX = "scale-"
# The earliest fiscal year the portal records (FiscalYearField, validate_record_date).
FIRST_RECORDED_FY = 1989

ESTABLISHED, MODEL = CouncilStage.ESTABLISHED, CouncilStage.MODEL
PREPARING, NOT_STARTED = CouncilStage.PREPARING, CouncilStage.NOT_STARTED
GRANTED = (ESTABLISHED, MODEL)


# --- How much ----------------------------------------------------------------------------------

LARGE: dict[str, int] = SIZE["large"]


@dataclass(frozen=True)
class Targets:
    """The rows a run adds: `large` is a city of 400 districts; other scales a fraction."""

    districts: int
    organizations: int
    officers: int
    meetings: int
    plans: int
    applications: int
    budget_lines: int

    @classmethod
    def scaled(cls, factor: float) -> "Targets":
        counts = {name: round(count * factor) for name, count in LARGE.items()}
        counts["districts"] = max(1, counts["districts"])
        return cls(**counts)


def parse_scale(text: str) -> float:
    """The factor of a scale: large is 1, small 1/100, or a number such as 0.05."""
    if text in SIZE["named"]:
        return SIZE["named"][text]
    try:
        factor = float(text)
    except ValueError:
        raise ValueError(f"Scale must be large, small or a number, not {text!r}.") from None
    if not 0 < factor <= SIZE["max_factor"]:  # NaN fails this too
        raise ValueError(f"A scale factor is more than 0 and at most {SIZE['max_factor']:g}.")
    return factor


# --- Helpers -----------------------------------------------------------------------------------


def spread(total: int, weights: Sequence[float], caps: Sequence[int] | None = None) -> list[int]:
    """Whole numbers in proportion to `weights` that add up to `total` (largest remainders win).

    With caps, what an item cannot take goes to the others; the sum falls short only when all
    items are full.
    """
    counts = [0] * len(weights)
    room = list(caps) if caps is not None else [total] * len(weights)
    left = total
    while left > 0:
        open_items = [i for i, w in enumerate(weights) if w > 0 and room[i] > 0]
        if not open_items:
            break
        weight = sum(weights[i] for i in open_items)
        shares = {i: left * weights[i] / weight for i in open_items}
        given = {i: int(shares[i]) for i in open_items}
        rest = left - sum(given.values())
        for i in sorted(open_items, key=lambda i: (given[i] - shares[i], i))[:rest]:
            given[i] += 1
        for i in open_items:
            taken = min(given[i], room[i])
            counts[i] += taken
            room[i] -= taken
            left -= taken
    return counts


class Seeds:
    """Independent random streams per part of the city, so one district's rows do not depend
    on how many came before it, and the same --seed builds the same city."""

    def __init__(self, seed: int):
        self.seed = seed

    def rng(self, *parts) -> random.Random:
        name = "-".join(str(part) for part in (self.seed, *parts))
        return random.Random(f"kyodo-scale-{name}")  # noqa: S311 - repeatable, not secret


def pick(rng: random.Random, table: Sequence[tuple[object, float]]):
    """One value of a (value, weight) table."""
    values, weights = zip(*table, strict=True)
    return rng.choices(values, weights)[0]


def at(day: dt.date, hour: int = 9, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=TOKYO)


def stamp(row, created: dt.datetime, updated: dt.datetime | None, now: dt.datetime) -> None:
    """Give a row the moments its model stamps on save: made at `created`, last changed at
    `updated` (or never since), neither after `now`."""
    row.created_at = min(created, now)
    row.updated_at = max(min(updated or created, now), row.created_at)


@contextmanager
def historical_timestamps():
    """bulk_create stamps auto_now(_add) fields with the present; let the rows say when. The
    fields are turned off on every model for the run: each row written gives its own moments."""
    saved = [
        (f, f.auto_now, f.auto_now_add)
        for model in apps.get_models()
        for f in model._meta.concrete_fields
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
    ]
    for f, _, _ in saved:
        f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, auto_now, auto_now_add in saved:
            f.auto_now, f.auto_now_add = auto_now, auto_now_add


class Writer:
    """Writes rows in batches (core.bulk), counting what each model gained."""

    def __init__(self):
        self.counts: Counter = Counter()

    def create(self, model, rows: Iterable) -> list:
        rows = bulk.create(model, list(rows))
        self.counts[model] += len(rows)
        return rows

    def create_all(self, rows: Rows) -> None:
        """Rows of several models, each model after those its rows refer to."""
        for model, batch in rows.items():
            self.create(model, batch)


# --- Names -------------------------------------------------------------------------------------

# Place names, neighbourhoods and the districts' texts: demo/data/scale.toml (demo.scale).
PLACE_FIRSTS, PLACE_ENDINGS, SIDES, AREA_WORDS = (
    tuple(PLACES[part].items()) for part in ("firsts", "endings", "sides", "neighbourhoods")
)
COUNCIL_NAMES = tuple((row["name"], row["kana"]) for row in DISTRICT["council_names"])
COUNCIL_SUFFIXES = {
    CouncilStage(stage): (row["name"], row["kana"])
    for stage, row in DISTRICT["council_suffixes"].items()
}
HUBS = tuple((row["name"], row["address"]) for row in DISTRICT["hubs"])
SUMMARIES, VISIONS = DISTRICT["summaries"], DISTRICT["visions"]


def place_names(count: int, rng: random.Random) -> list[tuple[str, str]]:
    """`count` different place names with their readings: 桜台, 緑が丘 …, then 桜台東 …"""
    bases = [(f + e, fk + ek) for f, fk in PLACE_FIRSTS for e, ek in PLACE_ENDINGS]
    sided = [(b + s, bk + sk) for s, sk in SIDES for b, bk in bases]
    if count > len(bases) + len(sided):
        raise ValueError(f"Cannot name {count} districts.")
    chosen = rng.sample(bases, min(count, len(bases)))
    if count > len(bases):
        chosen += rng.sample(sided, count - len(bases))
    return chosen


def area_names(base: str, kana: str, count: int) -> list[tuple[str, str, str]]:
    """Neighbourhood names after the numbered blocks: (name, reading, code)."""
    words = list(AREA_WORDS) + [
        (word + side, word_kana + side_kana)
        for side, side_kana in SIDES
        for word, word_kana in AREA_WORDS
    ]
    return [
        (f"{base}{word}", f"{kana}{word_kana}", f"a{number}")
        for number, (word, word_kana) in enumerate(words[:count], start=1)
    ]


# --- The plan of the city: who is where, and how many of each ----------------------------------

STAGE_MIX = tuple((CouncilStage(stage), share) for stage, share in MIX["stages"].items())
KIND_MIX = tuple((DistrictKind(kind), weight) for kind, weight in MIX["kinds"].items())
ASSOCIATION_MIX = tuple((ASSOCIATIONS[key], weight) for key, weight in MIX["associations"].items())
SCHOOL_SUFFIX = {kind: (row["name"], row["kana"]) for kind, row in MIX["schools"].items()}
MEETING_WEIGHT, PLAN_WEIGHT = MIX["meetings"], MIX["plans"]
PLAN_YEARS = 5


class DistrictLayout(NamedTuple):
    index: int
    slug: str
    seed: DistrictSeed  # names, school, hub, council and the demographic trend
    stage: str
    has_council: bool
    established_on: dt.date | None
    first_grant_fy: int | None
    lights: int  # street lights on April 1, 2022
    organizations: int = 0
    officers: int = 0
    meetings: int = 0
    plans: int = 0

    @property
    def base(self) -> str:
        return self.seed.base

    @property
    def formed(self) -> dt.date | None:
        """The day the council was founded, or its preparatory body started."""
        return self.seed.formed_on


class AppSpec(NamedTuple):
    """One application as planned: its year and where its story ends."""

    district: int
    fy: int
    state: str
    path: str  # how a closed application closed; empty for the open one
    change: str  # "", "requested", "approved" or "refused"
    lines: int = 0  # budget lines, all versions together


@dataclass
class City:
    as_of: dt.date
    current: int
    layouts: list[DistrictLayout]
    grant_years: list[int]
    applications: dict[int, list[AppSpec]] = field(default_factory=dict)


MIN_LINES = 5  # a version's budget lines at least: the grant, own funds, other income, 2 expenses


def change_for(state: str, rng: random.Random) -> str:
    """How a change request (変更申請) of an application ending in `state` went."""
    if state == State.CHANGE_REQUESTED:
        return "requested"
    return pick(rng, CHANGES) if state in DECIDED_STATES else ""


def open_state(fy: int, current: int, rng: random.Random) -> str:
    age = current - fy
    table = OLD_STATES if age >= 2 else LAST_YEAR_STATES if age == 1 else THIS_YEAR_STATES
    return pick(rng, table)


def district_layout(index: int, name: tuple[str, str], stage: str, seeds: Seeds, as_of):
    rng = seeds.rng("district", index)
    base, kana = name
    current = fiscal_year(as_of)
    kind = pick(rng, KIND_MIX)
    school, school_kana = SCHOOL_SUFFIX[kind]
    slug = f"{SLUG_PREFIX}{index + 1:04d}"
    has_council = stage != NOT_STARTED or rng.random() < 0.5
    first_grant_fy = None
    if stage == ESTABLISHED:
        first_grant_fy = min(current, FIRST_RECORDED_FY + rng.choices(range(5), (5, 3, 2, 1, 1))[0])
        formed = nth_weekday(first_grant_fy - 1, rng.choice((5, 6)), SUNDAY, rng.randint(1, 4))
    elif stage == MODEL:
        formed = nth_weekday(current - rng.randint(1, 3), rng.choice((5, 6, 10)), SUNDAY, 2)
        first_grant_fy = fiscal_year(formed) + 1
    elif stage == PREPARING:
        formed = as_of - dt.timedelta(days=rng.randint(60, 700))
    else:
        formed = as_of - dt.timedelta(days=rng.randint(30, 300)) if has_council else None
    council = None
    if has_council:
        council_name, council_kana = rng.choice(COUNCIL_NAMES)
        suffix, suffix_kana = COUNCIL_SUFFIXES.get(stage, ("", ""))
        council = (
            council_name.format(base=base) + suffix,
            council_kana.format(kana=kana) + suffix_kana,
        )
    hub_name, address = rng.choice(HUBS)
    number, _ = rng.choice(CHOME)
    address = address.format(number=number, block=rng.randint(1, 20), lot=rng.randint(1, 30))
    population = min(40_000, max(2_000, round(rng.lognormvariate(math.log(9_000), 0.45))))
    seed = DistrictSeed(
        slug=slug,
        base=base,
        base_kana=kana,
        kind=kind,
        schools=((f"{base}{school}", f"{kana}{school_kana}", f"{slug}-school"),),
        chome=0,
        areas=(),
        association=GYOSEIKU if kind == DistrictKind.AREA else pick(rng, ASSOCIATION_MIX),
        hub=(
            hub_name.format(base=base),
            f"{CITY}{base}{address}",
            f"0000-{rng.randint(10, 89)}-{rng.randint(0, 9999):04d}",
        ),
        council=council,
        stage=stage,
        formed_on=formed,
        population=population,
        growth=rng.uniform(-0.018, 0.006),
        aging=rng.uniform(0.18, 0.42),
        household_size=rng.uniform(2.0, 2.8),
        joining_rate=rng.uniform(0.5, 0.95),
        summary=rng.choice(SUMMARIES).format(base=base, school=f"{base}{school}"),
    )
    return DistrictLayout(
        index=index,
        slug=slug,
        seed=seed,
        stage=stage,
        has_council=has_council,
        established_on=formed if stage in GRANTED else None,
        first_grant_fy=first_grant_fy,
        lights=round(population / rng.uniform(15, 30)),
    )


def plan_cap(layout: DistrictLayout, current: int) -> int:
    """How many five-year plans fit between the council's founding and the next period."""
    if layout.stage == ESTABLISHED:
        earliest = max(FIRST_RECORDED_FY + 1, fiscal_year(layout.established_on) + 1)
        return (current - (PLAN_YEARS - 1) - earliest) // PLAN_YEARS + 2
    return {MODEL: 2, PREPARING: 1}.get(layout.stage, 0)


def lay_out(targets: Targets, seeds: Seeds, as_of: dt.date) -> City:
    """Every district's stage, history and share of each target; the applications to write."""
    current = fiscal_year(as_of)
    rng = seeds.rng("layout")
    count = targets.districts
    names = place_names(count, rng)
    stage_counts = spread(count, [share for _, share in STAGE_MIX])
    stages = [
        stage for (stage, _), n in zip(STAGE_MIX, stage_counts, strict=True) for _ in range(n)
    ]
    rng.shuffle(stages)
    layouts = [
        district_layout(index, names[index], stages[index], seeds, as_of) for index in range(count)
    ]
    organizations = spread(targets.organizations, [rng.uniform(0.75, 1.25) for _ in layouts])
    officers = spread(
        targets.officers,
        [
            n + (8 if layout.has_council else 0)
            for n, layout in zip(organizations, layouts, strict=True)
        ],
    )
    meetings = spread(
        targets.meetings,
        [
            MEETING_WEIGHT[layout.stage] * rng.uniform(0.8, 1.2) if layout.has_council else 0
            for layout in layouts
        ],
    )
    plans = spread(
        targets.plans,
        [PLAN_WEIGHT[layout.stage] * rng.uniform(0.8, 1.2) for layout in layouts],
        caps=[plan_cap(layout, current) for layout in layouts],
    )
    layouts = [
        layout._replace(organizations=o, officers=f, meetings=m, plans=p)
        for layout, o, f, m, p in zip(
            layouts, organizations, officers, meetings, plans, strict=True
        )
    ]
    layouts = fit_grant_history(layouts, targets.applications, current)
    # From the first council's first grant year to this one.
    first_years = [layout.first_grant_fy for layout in layouts if layout.first_grant_fy]
    first = min(first_years, default=current + 1)
    city = City(as_of, current, layouts, grant_years=list(range(first, current + 1)))
    city.applications = plan_applications(city, targets, seeds)
    return city


def grant_years(layout: DistrictLayout, current: int) -> range:
    if layout.first_grant_fy is None:
        return range(0)
    return range(layout.first_grant_fy, current + 1)


def fit_grant_history(
    layouts: list[DistrictLayout], target: int, current: int
) -> list[DistrictLayout]:
    """Start the earliest councils' grants later until their open applications fit the target:
    of all councils' years, the earliest go."""
    years = sorted((fy, layout.index) for layout in layouts for fy in grant_years(layout, current))
    first: dict[int, int] = {}
    for fy, index in years[max(0, len(years) - target) :]:
        first.setdefault(index, fy)
    return [layout._replace(first_grant_fy=first.get(layout.index)) for layout in layouts]


def plan_applications(city: City, targets: Targets, seeds: Seeds) -> dict[int, list[AppSpec]]:
    """One open application per council and year; the rest of the target closed before it."""
    rng = seeds.rng("applications")
    slots = [
        (layout.index, fy) for layout in city.layouts for fy in grant_years(layout, city.current)
    ]
    extra = max(0, targets.applications - len(slots))
    closed = spread(extra, [rng.random() for _ in slots])
    specs = []
    for (index, fy), count in zip(slots, closed, strict=True):
        slot_rng = seeds.rng("application", index, fy)
        for _ in range(count):
            state, path = pick(slot_rng, CLOSED_PATHS)
            specs.append(AppSpec(index, fy, state, path, ""))
        state = open_state(fy, city.current, slot_rng)
        specs.append(AppSpec(index, fy, state, "", change_for(state, slot_rng)))
    counts = line_counts(specs, targets.budget_lines, rng)
    planned: dict[int, list[AppSpec]] = defaultdict(list)
    for spec, lines in zip(specs, counts, strict=True):
        planned[spec.district].append(spec._replace(lines=lines))
    return dict(planned)


def line_counts(specs: list[AppSpec], total: int, rng: random.Random) -> list[int]:
    """Budget lines per application, all its versions together, adding up to `total`: at least
    MIN_LINES a version, the rest shared by the versions with some chance."""
    least = [MIN_LINES * (2 if spec.change else 1) for spec in specs]
    more = spread(max(0, total - sum(least)), [n * rng.uniform(0.6, 1.4) for n in least])
    return [n + m for n, m in zip(least, more, strict=True)]


# --- Districts, councils and the people who run the grant --------------------------------------


class Setup(NamedTuple):
    districts: dict[int, District]
    councils: dict[int, Council]
    statistics: dict[tuple[int, dt.date], DistrictStatistic]  # by district index and day


def write_districts(city: City, writer: Writer, seeds: Seeds) -> Setup:
    """The districts with their boundaries, their councils, April figures and areas."""
    districts = {
        layout.index: District(
            slug=layout.slug,
            display_order=1000 + layout.index,
            **district_values(layout.seed, layout.seed.schools[0][0]),
        )
        for layout in city.layouts
    }
    scale_city_boundaries(list(districts.values()))
    writer.create(District, districts.values())
    councils = {
        layout.index: Council(
            district=districts[layout.index],
            updated_at=at(city.as_of - dt.timedelta(days=1)),
            **council_values(layout.seed, layout.established_on),
        )
        for layout in city.layouts
        if layout.has_council
    }
    writer.create(Council, councils.values())
    # April 1 figures for every year of the grant history, and the three years of meetings.
    first = min([*city.grant_years, city.current - 2])
    days = [dt.date(fy, 4, 1) for fy in range(first, city.current + 1)]
    statistics = {
        (layout.index, day): DistrictStatistic(
            district=districts[layout.index], as_of=day, **statistic_values(layout.seed, day)
        )
        for layout in city.layouts
        for day in days
    }
    writer.create(DistrictStatistic, statistics.values())
    writer.create(Area, area_rows(city, districts, seeds))
    return Setup(districts, councils, statistics)


# Each district's 通学区域: about this many rows.
AREAS_PER_DISTRICT = (22, 28)
# Every this many districts, the last 丁目 of the district's own town is shared with the next one.
SPLIT_EVERY = 4


def area_rows(city: City, districts: dict[int, District], seeds: Seeds) -> list[Area]:
    """Each district's 町丁目: its own town with 丁目, then neighbourhood towns, whole or with 丁目,
    every fourth district's last 丁目 split by 番地 with the next district. A town name already
    in the database (the demo city's 桜台) or taken by an earlier district is passed over, so no
    address belongs to two districts. The rows are the demo's (town_areas)."""
    taken = set(Area.objects.values_list("town_key", flat=True).distinct())
    by_slug = {layout.slug: districts[layout.index] for layout in city.layouts}
    rows: list[Area] = []
    for position, layout in enumerate(city.layouts):
        rng = seeds.rng("areas", layout.index)
        base, kana = layout.seed.base, layout.seed.base_kana
        wanted = rng.randint(*AREAS_PER_DISTRICT)
        towns = [(base, kana), *(name[:2] for name in area_names(base, kana, 60))]
        count = 0
        for town_index, (town, reading) in enumerate(towns):
            if count >= wanted:
                break
            if fold(town) in taken:
                continue
            taken.add(fold(town))
            chome = rng.randint(3, 6) if town_index == 0 else rng.choice((0, 0, 2, 3, 4))
            chome = min(chome, wanted - count)
            count += chome or 1
            split = ()
            if town_index == 0 and position % SPLIT_EVERY == 0 and position + 1 < len(city.layouts):
                cut = rng.randint(5, 25)
                neighbour = city.layouts[position + 1].slug
                split = (Split(chome, 1, cut, layout.slug), Split(chome, cut + 1, None, neighbour))
            numbered = tuple(range(1, chome if split else chome + 1))
            rows += town_areas(Town(layout.slug, town, reading, numbered, split), by_slug)
    return rows


class Staff(NamedTuple):
    officers: list
    approvers: list
    coordinators: dict[int, object]  # district index → the council's coordinator


def write_accounts(city: City, setup: Setup, writer: Writer, seeds: Seeds) -> Staff:
    """Grant staff and one coordinator per council that applies; none of them can sign in."""
    user_model = get_user_model()
    rng = seeds.rng("accounts")
    unusable = make_password(None)
    held = []  # (account, its role group)

    def staff_user(name: str, role: str, *, staff: bool = True):
        family, _, _ = rng.choice(FAMILY_NAMES)
        given, _ = rng.choice(GIVEN_NAMES)
        account = Account(f"{USER_PREFIX}{name}", family, given, role, is_staff=staff)
        user = user_model(username=account.username, **user_values(account, unusable))
        held.append((user, role))
        return user

    staff = Staff(
        officers=[staff_user(f"officer-{n}", roles.GRANT_OFFICERS) for n in range(1, 4)],
        approvers=[staff_user(f"approver-{n}", roles.GRANT_APPROVERS) for n in range(1, 3)],
        coordinators={
            index: staff_user(f"coordinator-{index + 1:04d}", roles.COORDINATORS, staff=False)
            for index in setup.councils
            if city.layouts[index].stage in GRANTED
        },
    )
    writer.create(user_model, [user for user, _ in held])
    groups = {group.name: group for group in Group.objects.filter(name__in=ACCOUNT_ROLES)}
    membership = user_model.groups.through
    writer.create(membership, (membership(user=user, group=groups[role]) for user, role in held))
    links = Council.coordinators.through
    writer.create(
        links,
        (
            links(council=setup.councils[index], user=user)
            for index, user in staff.coordinators.items()
        ),
    )
    return staff


ACCOUNT_ROLES = (roles.COORDINATORS, roles.GRANT_OFFICERS, roles.GRANT_APPROVERS)


class ScaleError(CommandError):
    """The database is not in a state this command can grow."""


# --- The grant: program years, formula and allocations -----------------------------------------


class YearRules(NamedTuple):
    year: ProgramYear
    categories: list[ExpenseCategory]  # the eligible ones, which budgets may use
    conditions: str
    allocations: dict[int, int]  # the applying districts' amounts, by their index


def new_year(program: Program, fy: int, rng: random.Random) -> ProgramYear:
    """A year the program did not have, with the rules the demo's first year was set up with
    (grants.toml); its budget is set once its allocations are known."""
    refund = RefundHandling.OFFSET if rng.random() < 0.25 else RefundHandling.RETURN
    values = PAST_YEAR_SETTINGS | {"budget": 0, "refund_handling": refund}
    year = ProgramYear(program=program, fiscal_year=PAST_YEAR, **values)
    move_year(year, fy)
    return year


def new_components(year: ProgramYear, fy: int) -> list[FormulaComponent]:
    """The demo's formula (均等割 + 人口割 + 防犯灯加算, grants.toml), the rates creeping up over
    the years as budgets did."""
    years = fy - FIRST_RECORDED_FY
    rates = (200_000 + min(100_000, years // 4 * 10_000), min(60, 40 + years // 2))
    rates += (800 if fy < 2000 else 1000,)
    return [
        FormulaComponent(program_year=year, order=order, **component | {"rate": rate})
        for order, (component, rate) in enumerate(
            zip(PAST_YEAR_COMPONENTS, rates, strict=True), start=1
        )
    ]


def unit_count(layout: DistrictLayout, component: FormulaComponent, fy: int, counts) -> int:
    if "防犯灯" in component.unit_name:
        return max(10, round(layout.lights * (1 + 0.01 * (fy - 2022))))
    return round(counts.aged_65_over * 0.7)


def write_program(city: City, setup: Setup, writer: Writer, seeds: Seeds) -> dict[int, YearRules]:
    """The program's years with their rules and every applying district's allocation.

    Years the program already has keep their rules; their budget grows by the new districts'
    allocations, so the sum of allocations stays within it. A new year's budget is its
    allocations' sum rounded up to a hundred thousand yen.
    """
    program = Program.objects.order_by("pk").first() or seed_program()
    existing = {
        year.fiscal_year: year
        for year in ProgramYear.objects.filter(program=program, fiscal_year__in=city.grant_years)
    }
    rng = seeds.rng("program")
    rules = {}
    for fy in city.grant_years:
        year = existing.get(fy) or writer.create(ProgramYear, [new_year(program, fy, rng)])[0]
        # A year set up without a formula or categories gets the usual ones.
        components = list(year.components.order_by("order", "pk")) or writer.create(
            FormulaComponent, new_components(year, fy)
        )
        categories = list(year.expense_categories.all()) or writer.create(
            ExpenseCategory, standard_categories(year)
        )
        day = dt.date(fy, 4, 1)
        applying = [
            layout
            for layout in city.layouts
            if layout.first_grant_fy is not None and layout.first_grant_fy <= fy
        ]
        counted = [setup.statistics[layout.index, day] for layout in applying]
        units = writer.create(
            UnitCount,
            (
                UnitCount(
                    component=component,
                    district=counts.district,
                    count=unit_count(layout, component, fy, counts),
                )
                for layout, counts in zip(applying, counted, strict=True)
                for component in components
                if component.kind == ComponentKind.PER_UNIT
            ),
        )
        # Pool shares are divided among the districts the year already allocates to as well:
        # they are counted last, and their rows left out.
        others = [
            (other.district, other.counts_as_of, other.population, other.households, 0)
            for other in year.allocations.select_related("district")
        ]
        computed = allocation_rows(
            year,
            components,
            [(c.district, day, c.population, c.households, c.aged_65_over) for c in counted]
            + others,
            units,
        )[: len(applying)]
        for allocation, _ in computed:
            allocation.computed_at = at(day + dt.timedelta(days=1), 9, 30)
        writer.create(Allocation, [allocation for allocation, _ in computed])
        writer.create(AllocationComponent, [share for _, shares in computed for share in shares])
        total = sum(allocation.computed_amount for allocation, _ in computed)
        added = total if fy in existing else -(-total // 100_000) * 100_000
        ProgramYear.objects.filter(pk=year.pk).update(budget=F("budget") + added)
        rules[fy] = YearRules(
            year=year,
            categories=[category for category in categories if category.eligible],
            conditions=STANDARD_CONDITIONS.format(due=format_wareki_date(year.report_due_on)),
            allocations={
                layout.index: allocation.computed_amount
                for layout, (allocation, _) in zip(applying, computed, strict=True)
            },
        )
    return rules


# --- Groups, seats and officers ----------------------------------------------------------------


def group_specs(city: City, layout: DistrictLayout, rng) -> list[GroupSpec]:
    """The district's share of groups as seed_demo names them: every other district's company
    (分団) of the fire brigade, shared with the next district, then an association for each
    numbered block (丁目) and neighbourhood, as many as leave room for its other groups."""
    quota = layout.organizations
    specs = []
    if quota and layout.index % 2 == 0:
        slugs = tuple(shared.slug for shared in city.layouts[layout.index : layout.index + 2])
        specs.append(fire_company(layout.base, layout.seed.base_kana, slugs))
        quota -= 1
    if quota <= 0:
        return specs
    chome = min(len(CHOME), quota)
    areas = area_names(layout.base, layout.seed.base_kana, quota - chome)
    own = district_groups(layout.seed._replace(chome=chome, areas=tuple(areas)), rng)
    associations, others = own[:quota], own[quota:]
    return specs + (associations[: max(1, quota - len(others))] + others)[:quota]


def write_groups(ctx: "Context", chunk: list[DistrictLayout], dds) -> dict[str, DistrictGroups]:
    """The districts' groups, their seats on the councils and their officers; returns each
    district's published groups, as the demo's plan and meeting builders take them."""
    city, writer = ctx.city, ctx.writer
    owned: dict[str, list[tuple[Organization, GroupSpec]]] = {}  # counted in the district
    for layout in chunk:
        rng = ctx.seeds.rng("groups", layout.index)
        owned[layout.slug] = []
        for spec in group_specs(city, layout, rng):
            created = at(city.as_of - dt.timedelta(days=rng.randint(1, 900)), rng.randint(9, 17))
            updated = created + dt.timedelta(days=rng.randint(0, 400))
            organization = Organization(
                name=spec.name, kind=spec.kind, **organization_values(spec, rng)
            )
            stamp(organization, created, updated, ctx.now)
            owned[layout.slug].append((organization, spec))
    pairs = [pair for district_pairs in owned.values() for pair in district_pairs]
    writer.create(Organization, (organization for organization, _ in pairs))
    # A shared fire company's districts are in the same chunk (CHUNK is even).
    districts = {layout.slug: ctx.districts[layout.index] for layout in chunk}
    writer.create_all(group_links(pairs, districts, ctx.fields))

    memberships, officers = [], []
    for layout in chunk:
        rng = ctx.seeds.rng("people", layout.index)
        council = ctx.councils.get(layout.index)
        if council is not None and layout.stage != NOT_STARTED:
            members = [org for org, spec in pairs if layout.slug in spec.districts]
            memberships += membership_rows(council, layout.formed, members, rng)
        groups = [organization for organization, _ in owned[layout.slug]]
        officers += officer_rows_for(city, layout, council, groups, rng)
    writer.create(Membership, memberships)
    writer.create(Officer, officers)
    return load_groups(dds)


def officer_rows_for(city: City, layout, council, organizations, rng) -> list[Officer]:
    """The district's share of officers over its council and groups: the latest of the terms
    seed_demo gives them, as many as the share holds."""
    holders = []  # (posts, terms, parent)
    if council is not None:
        terms = council_terms(layout.formed, city.as_of)
        holders.append((COUNCIL_POSTS[layout.stage], terms, {"council": council}))
    for organization in organizations:
        kind = organization.kind
        posts = GROUP_POSTS.get(kind) or HEAD_POSTS.get(kind) or HEAD_POSTS["other"]
        holders.append((posts, fiscal_terms(kind, city.current), {"organization": organization}))
    counts = spread(
        layout.officers,
        [len(posts) * (3 if "council" in parent else 1) for posts, _, parent in holders],
        caps=[len(posts) * len(terms) for posts, terms, _ in holders],
    )
    rows = []
    for (posts, terms, parent), count in zip(holders, counts, strict=True):
        if count:
            kept = terms[-math.ceil(count / len(posts)) :]
            rows += officer_rows(posts, kept, rng, **parent)[-count:]
    return rows


# --- Plans -------------------------------------------------------------------------------------

ISSUE_SOURCES = tuple(
    (IssueSource(source), weight) for source, weight in PLAN_TEXTS["issue_sources"].items()
)


def adoption_day(start_fy: int, as_of: dt.date) -> dt.date:
    """The regular general meeting of the plan's first year, or a special one before it."""
    day = nth_weekday(start_fy, 5, SUNDAY, 4)
    return day if day <= as_of else nth_weekday(start_fy, 3, SUNDAY, 2)


def plan_seeds(layout: DistrictLayout, city: City, rng) -> list[PlanSeed]:
    """The district's share of plans, oldest first: a council's five-year periods from its first
    full year (the running one adopted, those before superseded, the next one being written), or
    the first plan of a council still to be founded."""
    if layout.stage in GRANTED:
        first = max(FIRST_RECORDED_FY + 1, fiscal_year(layout.established_on) + 1)
        started = (city.current - first) // PLAN_YEARS + 1
        following = PlanStage.DISCUSSION if layout.stage == ESTABLISHED else PlanStage.DRAFT
        stages = [PlanStage.SUPERSEDED] * (started - 1) + [PlanStage.ADOPTED, following]
    else:
        first, started = city.current + 1, 0
        stages = [PlanStage.DISCUSSION if rng.random() < 0.6 else PlanStage.DRAFT]
    last = max(started, layout.plans)
    return [
        plan_seed(layout, n, first + PLAN_YEARS * (n - 1), stages[n - 1], city, rng)
        for n in range(last - layout.plans + 1, last + 1)
    ]


def plan_seed(layout: DistrictLayout, n: int, start: int, stage: str, city: City, rng) -> PlanSeed:
    """The plan of the n-th period: initiatives from the catalogue, and the issues they answer."""
    keys = rng.sample(list(INITIATIVES), rng.randint(3, 6))
    issues = dict.fromkeys(issue for key in keys for issue in INITIATIVES[key].issues)
    entries = []
    for key in keys:
        status = pick(rng, ENTRY_STATUSES[stage]) if stage in ENTRY_STATUSES else Status.PLANNED
        # What the plan in force still plans starts next year, or is under way in its last year.
        first = 0
        if status == Status.PLANNED and stage == PlanStage.ADOPTED:
            first = city.current + 1 - start
            if first >= PLAN_YEARS:
                status, first = Status.IN_PROGRESS, 0
        entries.append(Entry(key, status, first))
    adopted = stage in (PlanStage.ADOPTED, PlanStage.SUPERSEDED)
    return PlanSeed(
        slug=layout.slug,
        title=rng.choice(PLAN_TEXTS["titles"]).format(base=layout.base, n=n),
        start=start,
        end=start + PLAN_YEARS - 1,
        stage=stage,
        adopted_on=adoption_day(start, city.as_of) if adopted else None,
        vision=rng.choice(VISIONS).format(base=layout.base) + PLAN_TEXTS["vision_close"],
        issues=tuple((key, pick(rng, ISSUE_SOURCES)) for key in issues),
        initiatives=tuple(entries),
    )


def write_plans(ctx: "Context", chunk, dds, groups) -> list[BuiltPlan]:
    """Plans with issues, initiatives, roles, indicators, yearly results, reviews and ratings."""
    city, seeds, moments = ctx.city, [], []
    for layout, dd in zip(chunk, dds, strict=True):
        rng = ctx.seeds.rng("plans", layout.index)
        for seed in plan_seeds(layout, city, rng):
            # Written over a few months, up to its adoption or lately.
            written = seed.adopted_on or city.as_of - dt.timedelta(days=rng.randint(1, 60))
            created = at(written - dt.timedelta(days=rng.randint(60, 200)))
            seeds.append((dd, seed))
            moments.append((created, at(written, 15)))
    built, rows = build_plans(seeds, groups, ctx.fields, city.current)
    for item, (created, updated) in zip(built, moments, strict=True):
        stamp(item.plan, created, updated, ctx.now)
    ctx.writer.create_all(rows)
    return built


# --- Meetings ----------------------------------------------------------------------------------

MONTH = dt.timedelta(days=30)
# The meetings a grown council holds as the demo's calendar has them (the general assembly, the
# board every other month); its divisions and the rest meet more often.
ONCE = (MeetingKind.GENERAL, MeetingKind.BOARD)


def meeting_slots(city: City, layout, dd: DemoDistrict, plans: list[BuiltPlan], rng) -> list[Slot]:
    """Exactly the district's share of meetings in the calendar window: its year as a demo
    council's calendar has it and, as a large city's councils meet more often, its other meetings
    since it formed held again on other days."""
    first_day, last_day = calendar_window(city.as_of)
    calendar = calendar_slots(dd, layout.index, plans, city.as_of)
    slots = rng.sample(calendar, min(len(calendar), layout.meetings))
    begin = max(first_day, dd.formed_on)
    again = [p for p in calendar if p.kind not in ONCE and p.day >= begin]
    while len(slots) < layout.meetings:
        planned = rng.choice(again)
        day = begin + dt.timedelta(days=rng.randint(0, (last_day - begin).days))
        slots.append(planned._replace(day=day_like(day, planned.day, last_day)))
    return numbered(slots)


def day_like(day: dt.date, model: dt.date, last: dt.date) -> dt.date:
    """`day` moved to a day of the week like `model`'s: the same day at a weekend, any working
    day otherwise; a week earlier where that would pass `last`."""
    if model.weekday() >= SATURDAY:
        day += dt.timedelta(days=(model.weekday() - day.weekday()) % 7)
    elif day.weekday() >= SATURDAY:
        day += dt.timedelta(days=7 - day.weekday())
    return day if day <= last else day - dt.timedelta(days=7)


def numbered(slots: list[Slot]) -> list[Slot]:
    """The meetings in order, those of a series numbered (a preparatory meeting's topic follows
    its number)."""
    counts: Counter = Counter()
    ordered = []
    for planned in sorted(slots, key=lambda planned: (planned.day, planned.start, planned.title)):
        title = SERIES_TITLES.get(planned.kind)
        if title is not None:
            fy = fiscal_year(planned.day)
            preparatory = planned.kind == MeetingKind.PREPARATORY
            series = (planned.kind, planned.division, None if preparatory else fy)
            counts[series] += 1
            n = counts[series]
            title = title.format(fy=format_fiscal_year(fy), n=n, division=planned.division)
            planned = planned._replace(title=title)
            if preparatory:
                topic = "prep_first" if n == 1 else PREP_MIDDLE[(n - 2) % len(PREP_MIDDLE)]
                planned = planned._replace(topic=topic)
        ordered.append(planned)
    return ordered


def write_meetings(ctx: "Context", chunk, dds, groups, plans) -> None:
    """Records with minutes, decisions and action items, and announcements of those to come."""
    city, built = ctx.city, []
    for layout, dd in zip(chunk, dds, strict=True):
        if dd.council is not None and layout.meetings:
            own = [item for item in plans if item.dd is dd]
            rng = ctx.seeds.rng("meetings", layout.index)
            slots = meeting_slots(city, layout, dd, own, rng)
            built += build_meetings(dd, slots, groups[layout.slug], own, city.as_of)
    for item in built:
        meeting = item.meeting
        minuted = meeting.starts_at + dt.timedelta(days=3) if meeting.minutes else None
        stamp(meeting, meeting.published_at or meeting.starts_at - MONTH, minuted, ctx.now)
    ctx.writer.create_all(meeting_rows(built, city.as_of))
    link_issue_sources(plans, built, city.as_of)


# --- Grant applications ------------------------------------------------------------------------
#
# Which actions an application went through, with what amounts and when, is a script
# (Story.tell); where each action leads and who takes it is read from the workflow's table, the
# settlement and the advance limit from the rules the services apply (subsidies/rules.py).

COORDINATOR, OFFICER, APPROVER = policy.COORDINATOR, policy.OFFICER, policy.APPROVER


# Who takes each action of the workflow in a state, and the state it leads to.
MOVES = {
    (state, row.action): (row.role, row.moves_to(state))
    for row in workflow.TRANSITIONS
    for state in row.sources
}


class Budget(NamedTuple):
    """A version's budget, or the report's actual figures: the grant, the other income, and the
    expenses as (category, description, weight), sharing the total by weight."""

    requested: int
    own: int
    other: int
    other_label: str
    expenses: list[tuple[ExpenseCategory, str, int]]

    @property
    def total(self) -> int:
        return self.requested + self.own + self.other

    def lines(self) -> list[dict]:
        return budget_lines(self.requested, self.own, self.other, self.other_label, self.expenses)


class Story:
    """An application's history as it happened: its events, with the payments and files some of
    them recorded.

    tell() walks it to the planned state; what the history settled is kept for the application's
    rows: the grant, the change's reason, the report's figures, the amount confirmed, the refund.
    """

    def __init__(self, spec: AppSpec, rules: YearRules, budgets: list[Budget], start, actors, rng):
        self.spec, self.rules, self.rng = spec, rules, rng
        self.budgets = budgets  # of version 1 and, with a change, version 2
        self.actors = actors  # who acts in each role of the workflow
        self.granted = 0  # once decided
        self.start = self.now = start
        self.state = State.DRAFT
        self.events: list[ApplicationEvent] = []
        self.payments: list[tuple[ApplicationEvent, str, int]] = []  # (event, kind, amount)
        self.files: list[tuple[ApplicationEvent, str, str, bool]] = []  # (…, title, for report)
        self.change_reason = ""
        self.actual: Budget | None = None  # the report's figures, once it is written
        self.confirmed: int | None = None
        self.refund = 0

    @property
    def current(self) -> Budget:
        """The budget in force: version 2's once its change was approved."""
        return self.budgets[-1] if self.spec.change == "approved" else self.budgets[0]

    def add(
        self, name, *, before=None, after=None, comment="", paid=None, filed=None, not_after=None
    ):
        """Take the step `name` of STEPS after its pause, `before` and `after` its amounts. Its
        comment is drawn from the texts the step names, or says what was paid (`paid`: the
        payment's kind and amount) or filed (`filed`: the file's kind, title and whether it is
        the report's)."""
        step, reasons = STEPS[name], {}
        if "comment_from" in step:
            comment = self.rng.choice(TEXTS[step["comment_from"]])
        elif "reasons_from" in step:
            texts = TEXTS[step["reasons_from"]]
            parts = self.rng.sample(list(texts), self.rng.randint(1, min(2, len(texts))))
            reasons = {part: self.rng.choice(texts[part]) for part in parts}
        elif paid:
            comment = str(paid[0].label)
        elif filed:
            comment = f"{filed[0].label}: {filed[1]}"
        if "days" in step:
            self.now += dt.timedelta(days=self.rng.uniform(*step["days"]))
        elif "minutes" in step:
            self.now += dt.timedelta(minutes=self.rng.randint(*step["minutes"]))
        if not_after is not None and self.now > not_after:
            self.now = max(self.events[-1].at if self.events else self.start, not_after)
        action = step.get("action", name)
        # An action the workflow does not hold (create, budget, upload …) is the coordinator's
        # edit: the state stays.
        if action in workflow.ACTIONS:
            role, state = MOVES[(self.state, action)]
        else:
            role, state = COORDINATOR, self.state
        event = ApplicationEvent(
            at=self.now,
            actor=self.actors[role],
            action=action,
            from_state=self.state,
            to_state=state,
            amount_before=before,
            amount_after=after,
            comment=comment,
            reasons=reasons,
        )
        self.events.append(event)
        if paid:
            self.payments.append((event, *paid))
        if filed:
            self.files.append((event, *filed))
        self.state = state

    def ends(self, state: str) -> bool:
        """Whether the story ends in `state`: as planned, or by a withdrawal or a rejection when
        the application was to close from there."""
        if self.spec.path == state:
            self.add("withdraw" if self.spec.state == State.WITHDRAWN else "reject")
        return state in (self.spec.state, self.spec.path)

    def squeeze(self, limit: dt.datetime) -> None:
        """Fit the history before `limit`, keeping its order and proportions."""
        last = self.events[-1].at
        if last <= limit:
            return
        ratio = max(0.0, (limit - self.start) / (last - self.start))
        for event in self.events:
            event.at = self.start + (event.at - self.start) * ratio

    def when(self, action: str) -> dt.datetime | None:
        """The moment of the first step that took `action`."""
        return next((event.at for event in self.events if event.action == action), None)

    def day(self, action: str) -> dt.date | None:
        when = self.when(action)
        return when and when.date()

    def has(self, action: str) -> bool:
        return any(event.action == action for event in self.events)

    # The script ---------------------------------------------------------------------------------

    def tell(self) -> None:
        """Walk the workflow to the planned state, as coordinator, officer and approver did."""
        final, rng = self.spec.state, self.rng
        requested = self.budgets[0].requested
        self.add("create")
        self.add("budget", before=0, after=requested, comment=version_note(1))
        if self.ends(State.DRAFT):
            return
        minutes = PAPERS["minutes"].format(fy=format_fiscal_year(self.spec.fy))
        self.add("minutes", filed=(AttachmentKind.MINUTES, minutes, False))
        if rng.random() < 0.2:
            self.add("quote", filed=(AttachmentKind.QUOTE, PAPERS["quote"], False))
        closes = at(self.rules.year.application_closes_on, 17)
        self.add("submit", after=requested, not_after=closes)
        if State.RETURNED in (final, self.spec.path) or rng.random() < 0.12:
            self.add("return")
            if self.ends(State.RETURNED):
                return
            self.add("resubmit", after=requested)
        if self.ends(State.SUBMITTED):
            return
        self.add("recommend", after=requested)
        if self.ends(State.RECOMMENDED):
            return
        # Now and then the city grants less than was asked.
        cut = 0 if rng.random() < 0.9 else min(requested // 5, rng.randint(1, 10) * 10_000)
        self.granted = requested - cut
        self.add("approve", before=requested, after=self.granted, comment=self.rules.conditions)
        if self.spec.change:
            self.change()
        if final in (State.APPROVED, State.CHANGE_REQUESTED):
            return
        paid = self.pay()
        if final == State.CANCELLED:
            self.add("cancel", before=paid, after=paid)
            self.refund = paid
            return
        self.report(paid)

    def change(self) -> None:
        """A change request (変更申請): version 2 prepared, then requested and decided."""
        requested, changed = self.budgets[0].requested, self.budgets[1].requested
        self.change_reason = reason = self.rng.choice(TEXTS["change"])
        self.add("start_change", comment=version_note(2, reason))
        self.add("change_budget", before=requested, after=changed, comment=version_note(2))
        self.add("request_change", before=requested, after=changed, comment=reason)
        if self.spec.change == "approved":
            approved = gettext("Version %(number)s approved") % {"number": 2}
            self.add("approve_change", before=self.granted, after=changed, comment=approved)
            self.granted = changed
        elif self.spec.change == "refused":
            self.add("refuse_change")

    def pay(self) -> int:
        """An advance within the year's limit, or the grant in full; returns what was paid."""
        grant = self.granted
        granted = Application(program_year=self.rules.year, granted_amount=grant)
        advance = advance_limit(granted) // 1000 * 1000
        if advance > 0 and self.rng.random() < 0.6:
            self.add("pay", before=0, after=advance, paid=(PaymentKind.ADVANCE, advance))
            return advance
        self.add("pay", before=0, after=grant, paid=(PaymentKind.FULL, grant))
        return grant

    def report(self, paid: int) -> None:
        """The year-end report (実績報告), its review and the settlement, as far as planned."""
        final, rng, grant, fy = self.spec.state, self.rng, self.granted, self.spec.fy
        shortfall = 0 if rng.random() < 0.8 else min(grant // 3, rng.randint(1, 15) * 10_000)
        actual = self.current._replace(requested=grant)
        if shortfall:  # what was left of the grant goes back; no other income was needed
            actual = actual._replace(requested=grant - shortfall, own=0, other=0)
        if final == State.PAID:
            if rng.random() < 0.4:  # the report is being written
                self.add("draft_report", before=0, after=actual.total)
                self.actual = actual
            return
        self.now = max(self.now, at(dt.date(fy + 1, 4, 1)) + dt.timedelta(days=rng.uniform(3, 40)))
        self.add("report_budget", before=0, after=actual.total)
        self.actual = actual
        label = format_fiscal_year(fy)
        for title in PAPERS["receipts"]:
            self.add("receipts", filed=(AttachmentKind.RECEIPT, title.format(fy=label), True))
        self.add("photos", filed=(AttachmentKind.OTHER, PAPERS["photos"], True))
        self.add("submit_report", after=actual.total)
        if final == State.REPORTED:
            return
        if final == State.REPORT_RETURNED or rng.random() < 0.1:
            self.add("return_report")
            if final == State.REPORT_RETURNED:
                return
            more = PAPERS["more_receipts"].format(fy=label)
            self.add("more_receipts", filed=(AttachmentKind.RECEIPT, more, True))
            self.add("resubmit_report", after=actual.total)
        self.add("accept_report")
        if final == State.REPORT_ACCEPTED:
            return
        # Every budget category is eligible, so all that was spent is eligible spending.
        settled = settlement_amounts(grant, actual.total, paid)
        self.confirmed, self.refund = settled["confirmed"], settled["refund"]
        self.add("settle", before=grant, after=self.confirmed)
        if rest := settled["final_payment"]:
            self.add("pay_final", before=paid, after=paid + rest, paid=(PaymentKind.FINAL, rest))


class GrantBuilder:
    """Builds each application of a district with everything its state implies: versions,
    budgets, files, payments, report and history, the states as the workflow moves them."""

    def __init__(self, ctx: "Context"):
        self.ctx = ctx
        self.numbers: Counter = Counter()  # decisions per fiscal year

    def write(self, chunk: list[DistrictLayout], plans: list[BuiltPlan]) -> None:
        ctx, rows = self.ctx, defaultdict(list)
        for layout in chunk:
            specs = ctx.city.applications.get(layout.index, [])
            for fy, specs_of_year in groupby(specs, key=lambda spec: spec.fy):
                year = ctx.rules[fy].year
                rng = ctx.seeds.rng("grant", layout.index, fy)
                first = max(year.application_opens_on, dt.date(fy, 4, 1))
                start = at(first) + dt.timedelta(days=rng.uniform(0, 12))
                for serial, spec in enumerate(specs_of_year):
                    story_rng = ctx.seeds.rng("application", layout.index, fy, serial)
                    story = self.application(rows, spec, layout, start, plans, story_rng)
                    # A council starts its next application of the year soon after closing one,
                    # in time to file it before applications close.
                    start = min(
                        story.events[-1].at + dt.timedelta(days=rng.uniform(0.5, 3)),
                        at(year.application_closes_on - dt.timedelta(days=3)),
                    )
        # Every row was gathered after the rows it refers to: the models go in that order.
        ctx.writer.create_all(rows)

    def application(
        self, rows: dict[type, list], spec: AppSpec, layout, start, plans, rng
    ) -> Story:
        ctx, rules = self.ctx, self.ctx.rules[spec.fy]
        first_day = at(dt.date(spec.fy, 4, 1))
        if start >= ctx.now:
            start = first_day + (ctx.now - first_day) * 0.05
        council = ctx.councils[layout.index]
        coordinator = ctx.staff.coordinators[layout.index]
        officer, approver = rng.choice(ctx.staff.officers), rng.choice(ctx.staff.approvers)
        actors = {COORDINATOR: coordinator, OFFICER: officer, APPROVER: approver}
        budgets = self.budgets(spec, rules, rules.allocations[layout.index], rng)
        story = Story(spec, rules, budgets, start, actors, rng)
        story.tell()
        if story.state != spec.state:
            raise ScaleError(f"An application meant to end {spec.state} ended {story.state}.")
        story.squeeze(ctx.now)

        application = Application(
            program_year=rules.year,
            council=council,
            state=story.state,
            **applicant(council, coordinator, new_person(rng).name),
            requested_amount=story.current.requested,
            confirmed_amount=story.confirmed,
            refund_amount=story.refund,
            refund_offset=story.has("settle") and offsets_refund(rules.year, story.refund),
            settled_on=story.day("settle"),
            cancelled_on=story.day("cancel"),
            submitted_at=story.when("submit"),
            recommended_by=officer if story.has("recommend") else None,
            created_at=story.start,
            updated_at=story.events[-1].at,
        )
        if story.has("approve"):
            self.numbers[spec.fy] += 1
            number = 1000 + self.numbers[spec.fy]
            application.granted_amount = story.granted
            application.decision_number = PAPERS["decision_number"].format(number=number)
            application.decision_conditions = rules.conditions
            application.decided_on = story.day("approve")
            application.decided_by = approver
        rows[Application].append(application)

        initiatives = self.covering(layout, spec.fy, plans)
        activities = self.activities(initiatives, rng)
        if initiatives:
            purpose = TEXTS["purposes"]["with_plan"].format(
                plan=initiatives[0].plan.title, initiative=initiatives[0].title
            )
        else:
            purpose = TEXTS["purposes"]["without_plan"].format(base=layout.base)
        versions = zip(VERSION_STATUSES[spec.change], budgets, strict=True)
        for number, (status, budget) in enumerate(versions, start=1):
            version = ApplicationVersion(
                application=application,
                number=number,
                status=status,
                purpose=purpose,
                change_reason=story.change_reason if number == 2 else "",
                requested_amount=budget.requested,
                created_at=story.when("start_change") if number == 2 else story.start,
                created_by=coordinator,
            )
            rows[ApplicationVersion].append(version)
            rows[BudgetLine] += [
                BudgetLine(version=version, order=order, **line)
                for order, line in enumerate(budget.lines())
            ]
            self.plan_rows(rows, version, budget.total, activities, rng)

        for event in story.events:
            event.application = application
        rows[ApplicationEvent] += story.events
        rows[Payment] += [
            Payment(
                application=application,
                kind=kind,
                amount=amount,
                paid_on=event.at.date(),
                recorded_by=officer,
                recorded_at=event.at,
            )
            for event, kind, amount in story.payments
        ]
        rows[Attachment] += [
            Attachment(
                application=application,
                for_report=for_report,
                kind=kind,
                title=title,
                file=ctx.attachment_name,
                uploaded_at=event.at,
                uploaded_by=coordinator,
            )
            for event, kind, title, for_report in story.files
        ]
        if story.actual is not None:
            self.report(rows, application, story, activities, rng)
        return story

    # What the council wrote -------------------------------------------------------------------

    def budgets(self, spec: AppSpec, rules: YearRules, allocation: int, rng) -> list[Budget]:
        """Version 1's budget and, with a change, version 2's.

        Version 1 holds half the application's budget lines; version 2 asks for a little more or
        less, gives its first expense more and adds another when the lines are odd."""
        below = 0 if rng.random() < 0.7 else min(allocation // 2, rng.randint(1, 20) * 10_000)
        requested = allocation - below
        own = 0 if rng.random() < 0.3 else rng.randint(2, 30) * 10_000
        other = 0 if rng.random() < 0.6 else rng.randint(1, 10) * 10_000
        lines = spec.lines // 2 if spec.change else spec.lines
        expenses = self.expenses(rules, lines - 1 - bool(own) - bool(other), rng)
        first = Budget(requested, own, other, rng.choice(TEXTS["other_income"]), expenses)
        if not spec.change:
            return [first]
        (category, text, weight), *rest = expenses
        rest += self.expenses(rules, spec.lines - 2 * lines, rng)
        second = first._replace(
            requested=min(allocation, requested + rng.randint(-5, 5) * 10_000),
            expenses=[(category, text, weight + 3), *rest],
        )
        return [first, second]

    def expenses(self, rules: YearRules, count: int, rng) -> list[tuple[ExpenseCategory, str, int]]:
        """`count` expenses in the year's eligible categories, as budgets describe them."""
        items = TEXTS["expense_items"]
        return [
            (category, rng.choice(items.get(category.name, (category.name,))), rng.randint(1, 10))
            for category in rng.choices(rules.categories, k=count)
        ]

    def covering(self, layout, fy: int, plans) -> list[Initiative]:
        """The initiatives of the district's plans under way in the year."""
        return [
            b.initiative
            for item in plans
            if item.dd.slug == layout.slug
            for b in item.initiatives
            if under_way(item.plan, b.initiative, fy)
        ]

    def activities(self, initiatives, rng) -> list[tuple[str, str, Initiative | None]]:
        """(activity, expected effect, plan initiative) for the rows of the business plan."""
        count = rng.randint(3, 6)
        rows = [
            (item.title, item.description, item)
            for item in rng.sample(initiatives, min(count, len(initiatives)))
        ]
        taken = {title for title, _, _ in rows}
        spare = [spec for spec in INITIATIVES.values() if spec.title not in taken]
        rows += [
            (spec.title, spec.description, None)
            for spec in rng.sample(spare, max(0, count - len(rows)))
        ]
        return rows

    def plan_rows(self, rows: dict[type, list], version, total: int, activities, rng) -> None:
        costs = split(total, [rng.randint(2, 10) for _ in activities])
        for order, ((activity, effect, initiative), cost) in enumerate(
            zip(activities, costs, strict=True)
        ):
            row = PlanRow(
                version=version,
                order=order,
                activity=activity,
                schedule=rng.choice(TEXTS["schedules"]),
                expected_effect=effect[:1000],
                cost=cost,
            )
            rows[PlanRow].append(row)
            if initiative is not None:
                rows[PlanRow.initiatives.through].append(
                    PlanRow.initiatives.through(planrow=row, initiative=initiative)
                )

    def report(self, rows, application, story: Story, activities, rng) -> None:
        """The report and its actual figures: the budget's lines, each expense dated."""
        filed = [event.at for event in story.events if event.action == "submit_report"]
        report = Report(
            application=application,
            summary=rng.choice(TEXTS["report_summaries"]).format(
                activities="、".join(title for title, _, _ in activities),
                people=rng.randint(150, 2000),
            ),
            outcomes=rng.choice(TEXTS["report_outcomes"]),
            # Last filed, or still being written when the history ends.
            submitted_at=filed[-1] if filed else None,
            updated_at=filed[-1] if filed else story.events[-1].at,
        )
        rows[Report].append(report)
        first = dt.date(story.spec.fy, 4, 1)
        for order, line in enumerate(story.actual.lines()):
            if line["side"] == Side.EXPENSE:
                line["spent_on"] = first + dt.timedelta(days=rng.randint(0, 364))
            rows[ReportLine].append(ReportLine(report=report, order=order, **line))


# --- The run -----------------------------------------------------------------------------------

CHUNK = 8  # districts written together; even, so a shared fire company's districts meet
SAMPLE_NAME = "grants/attachments/scale-sample.pdf"


@dataclass
class Context:
    city: City
    seeds: Seeds
    writer: Writer
    now: dt.datetime  # nothing in the history happens after this moment
    fields: dict[str, Field]
    districts: dict[int, District]
    councils: dict[int, Council]
    staff: Staff | None = None
    rules: dict[int, YearRules] = field(default_factory=dict)
    attachment_name: str = ""


def refuse_second_run() -> None:
    """Refuse a database not migrated yet, or one an earlier run has grown: nothing changes."""
    roles_found = Group.objects.filter(name__in=ACCOUNT_ROLES).count()
    if not Field.objects.exists() or roles_found < len(ACCOUNT_ROLES):
        raise ScaleError("The activity fields or the role groups are missing; run migrate.")
    if (
        District.objects.filter(slug__startswith=SLUG_PREFIX).exists()
        or get_user_model().objects.filter(username__startswith=USER_PREFIX).exists()
    ):
        raise ScaleError(
            f"Districts or accounts from an earlier run exist (named {SLUG_PREFIX}…); this "
            "command adds its set of districts once. Nothing was changed."
        )


def grow(
    targets: Targets,
    *,
    seed: int,
    as_of: dt.date,
    now: dt.datetime,
    progress: Callable[[str], None] = lambda message: None,
) -> Writer:
    """Add the scaled city in one transaction; returns the writer with the rows per model."""
    refuse_second_run()
    seeds = Seeds(seed)
    city = lay_out(targets, seeds, as_of)
    progress(f"Laid out {len(city.layouts)} districts, {len(city.grant_years)} grant years.")
    writer = Writer()
    with translation.override("ja"), historical_timestamps(), transaction.atomic():
        setup = write_districts(city, writer, seeds)
        ctx = Context(
            city=city,
            seeds=seeds,
            writer=writer,
            now=now,
            fields={row.code: row for row in Field.objects.all()},
            districts=setup.districts,
            councils=setup.councils,
        )
        ctx.staff = write_accounts(city, setup, writer, seeds)
        ctx.rules = write_program(city, setup, writer, seeds)
        progress(f"Program years and allocations written ({writer.counts[Allocation]}).")
        sample = ContentFile(pdf_bytes(*SAMPLE_PDF["scale"]))
        ctx.attachment_name = default_storage.save(SAMPLE_NAME, sample)
        grants = GrantBuilder(ctx)
        for first in range(0, len(city.layouts), CHUNK):
            chunk = city.layouts[first : first + CHUNK]
            dds = [
                DemoDistrict.of(
                    layout.seed, ctx.districts[layout.index], ctx.councils.get(layout.index)
                )
                for layout in chunk
            ]
            groups = write_groups(ctx, chunk, dds)
            plans = write_plans(ctx, chunk, dds, groups)
            write_meetings(ctx, chunk, dds, groups, plans)
            grants.write(chunk, plans)
            # With DEBUG on, Django keeps each query's SQL, values and all: forget them.
            reset_queries()
            progress(
                f"{first + len(chunk)}/{len(city.layouts)} districts: "
                f"{writer.counts[Organization]} groups, {writer.counts[Meeting]} meetings, "
                f"{writer.counts[Application]} applications."
            )
        # One pass over what was written, rather than the change queue's record by record.
        written = search.rebuild()
        progress(f"Search index written ({sum(written.values())} entries).")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # Until autovacuum gets to them the planner takes the grown tables for nearly empty,
            # and pages would read them with the wrong plans.
            cursor.execute("ANALYZE")
            if not connection.in_atomic_block:
                # The search's change queue took a row for every record written and was emptied
                # by the rebuild: vacuum it, or every search reads past the dead entries of its
                # index.
                cursor.execute("VACUUM core_searchchange")
        progress("The planner's statistics updated (ANALYZE).")
    return writer
