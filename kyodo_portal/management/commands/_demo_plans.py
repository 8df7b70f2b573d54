"""Plans and meetings of the demo city: the builders of their rows, which seed_demo and grow_data
share, and the writing of them in place for seed_demo.

The text (district issues, the initiatives' catalogue, the plans, the meeting topics and which
meetings a year holds) is data, read by demo.plans from demo/data/*.toml.

Plans are written as of 令和8年度 (BASE_FY) and move forward with the calendar, so every adopted
plan covers the current fiscal year whenever the command runs. Meetings follow a yearly calendar
for the fiscal years around the run date: the past ones carry attendance, minutes, decisions and
action items, the next two months' are announcements. Randomness comes from generators with fixed
seeds per district, fiscal year and meeting, so the same day gives the same rows.

Plans, initiatives, indicators and meetings are matched on natural keys (a second run updates the
same rows, and their addresses stay stable); the rest is rebuilt per parent.
"""

import datetime as dt
import random
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal
from typing import NamedTuple
from zoneinfo import ZoneInfo

from django.db import models
from django.utils import timezone, translation

from core import bulk
from core.dates import fiscal_year, fiscal_year_range, format_fiscal_year
from demo.city import DISTRICTS, SCHOOL_PREFIX, DistrictSeed
from demo.load import demo_random
from demo.plans import (
    ATTENDANCE,
    BOARD_KINDS,
    BOARD_MONTHS,
    DIVISION_FIELDS,
    DIVISIONS,
    FORUMS,
    GENERAL_KINDS,
    INITIATIVES,
    ISSUES,
    MEETING_TYPES,
    MINUTES,
    OPEN_TOPICS,
    OTHERS,
    PLANS,
    PREP_MIDDLE,
    REGISTRATION_TOPICS,
    REVIEW,
    ROOMS,
    SOURCES,
    TOPICS,
    Entry,
    IndicatorSpec,
    InitiativeSpec,
    PlanSeed,
    Topic,
)
from districts.models import Council, CouncilStage, District
from organizations.models import Field, Organization
from organizations.models import OrganizationKind as Kind
from plans.models import (
    ActionItem,
    ActionStatus,
    Admission,
    Decision,
    Direction,
    Indicator,
    IndicatorResult,
    Initiative,
    IssueSource,
    Meeting,
    MeetingKind,
    Plan,
    PlanIssue,
    PlanStage,
    Rating,
    Review,
    ReviewRating,
    RoleAssignment,
    RoleKind,
    RoleParty,
    Sector,
)
from plans.models import InitiativeStatus as Status

TOKYO = ZoneInfo("Asia/Tokyo")
BASE_FY = 2026  # the fiscal year demo/data/plans.toml is written for
UPCOMING_DAYS = 62  # meetings this far ahead are on the calendar as announcements

# The new rows of a build, by model, each model after those its rows refer to.
Rows = dict[type, list]

ESTABLISHED, MODEL = CouncilStage.ESTABLISHED, CouncilStage.MODEL
PREPARING, NOT_STARTED = CouncilStage.PREPARING, CouncilStage.NOT_STARTED


class DemoDistrict(NamedTuple):
    """What seed_demo knows about a district that the database does not say directly."""

    slug: str
    base: str  # the place name: 桜台
    district: District
    council: Council | None
    formed_on: dt.date | None  # council founded, or its preparatory body started

    @classmethod
    def of(cls, seed: DistrictSeed, district: District, council: Council | None) -> "DemoDistrict":
        return cls(seed.slug, seed.base, district, council, seed.formed_on)


# --- Meetings: when ----------------------------------------------------------------------------

SUNDAY, SATURDAY = 6, 5
HALL, ROOM = ROOMS["hall"], ROOMS["room"]


class Slot(NamedTuple):
    """One meeting on the calendar, before its content is written."""

    day: dt.date
    start: dt.time
    minutes: int
    kind: str
    title: str
    topic: str
    room: str = ROOM
    division: str = ""
    adopts: Plan | None = None  # the 総会 that adopts a plan


def slot(name: str, day: dt.date, **changes) -> Slot:
    """A meeting of a type in demo/data/calendar.toml on `day`, with `changes` to its fields."""
    m = MEETING_TYPES[name]
    return Slot(day, m.start, m.minutes, m.kind, m.title, m.topic, m.room)._replace(**changes)


def nth_weekday(year: int, month: int, weekday: int, n: int) -> dt.date:
    """The n-th weekday of a month; a month past 12 (or before 1) counts on into the next year
    (or back into the one before): month 14 of 2026 is February 2027."""
    first = dt.date(year + (month - 1) // 12, (month - 1) % 12 + 1, 1)
    return first + dt.timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))


def fy_weekday(fy: int, month: int, weekday: int, n: int) -> dt.date:
    """The n-th weekday of a month of a fiscal year: January of 2026年度 is in 2027."""
    return nth_weekday(fy if month >= 4 else fy + 1, month, weekday, n)


def shift_date(day: dt.date, years: int) -> dt.date:
    """The same weekday of the same week of the month, `years` later."""
    return nth_weekday(day.year + years, day.month, day.weekday(), (day.day - 1) // 7 + 1)


class Calendar:
    """A district's meetings; a second meeting on a taken day moves a week later."""

    def __init__(self):
        self.slots: list[Slot] = []
        self.taken: set[dt.date] = set()

    def add(self, slot: Slot, *, fixed: bool = False) -> None:
        while not fixed and slot.day in self.taken:
            slot = slot._replace(day=slot.day + dt.timedelta(days=7))
        self.taken.add(slot.day)
        self.slots.append(slot)


# The meetings numbered in a series: a board's and a division's within their fiscal year, the
# preparatory body's from its first.
SERIES_TITLES = {
    MeetingKind.BOARD: "{fy}第{n}回役員会",
    MeetingKind.DIVISION: "{division}（{fy}第{n}回）",
    MeetingKind.PREPARATORY: "第{n}回設立準備会",
}


def council_calendar(dd: DemoDistrict, index: int, years: range, plans) -> list[Slot]:
    """Every meeting of a district in the given fiscal years, from its rhythm of the year."""
    stage, formed = dd.council.stage, dd.formed_on
    pattern = demo_random(f"meeting-pattern-{dd.slug}")
    board = (pattern.randrange(5), pattern.choice((1, 2, 3)))
    division_days = [(pattern.randrange(5), pattern.choice((1, 2, 3, 4))) for _ in range(3)]
    calendar = Calendar()
    active = stage in (ESTABLISHED, MODEL)
    council_years = [fy for fy in years if active and fiscal_year(formed) <= fy]
    # Fixed days first: founding or the yearly general assembly, and the adoption of a plan.
    adoptions = {plan.adopted_on: plan for plan in plans if plan.adopted_on}
    for fy in council_years:
        if fiscal_year(formed) == fy:
            general = slot("general_founding", formed)
        else:
            title = f"{format_fiscal_year(fy)}定期総会"
            general = slot("general_regular", nth_weekday(fy, 5, SUNDAY, 4), title=title)
        calendar.add(general._replace(adopts=adoptions.pop(general.day, None)), fixed=True)
    for day, plan in adoptions.items():
        if fiscal_year(day) in years:
            calendar.add(slot("general_plan", day, adopts=plan), fixed=True)
    for fy in council_years:
        council_year(calendar, dd, index, fy, board, division_days)
    if stage == NOT_STARTED and formed:
        for months in (0, 3, 6, 9):
            day = formed if months == 0 else nth_weekday(formed.year, formed.month + months, *board)
            if fiscal_year(day) in years:
                start = dt.time(10) if day.weekday() >= SATURDAY else dt.time(19)
                calendar.add(slot("other_study", day, start=start))
    elif formed:
        preparatory_series(calendar, dd, board, years)
    return sorted(calendar.slots, key=lambda slot: (slot.day, slot.start))


def council_year(calendar, dd, index, fy, board, division_days) -> None:
    formed, label = dd.formed_on, format_fiscal_year(fy)

    def numbered(meetings, weekday, week, start, kind, division="") -> None:
        """A series of the year, numbered from its first meeting after the founding."""
        number = 0
        for month, topic in meetings:
            day = fy_weekday(fy, month, weekday, week)
            if day > formed:
                number += 1
                title = SERIES_TITLES[kind].format(fy=label, n=number, division=division)
                calendar.add(Slot(day, start, 90, kind, title, topic, division=division))

    numbered(BOARD_MONTHS.items(), *board, dt.time(19), MeetingKind.BOARD)
    for (division, meetings, saturday), (weekday, week) in zip(
        DIVISIONS[dd.council.stage], division_days, strict=False
    ):
        weekday, start = (SATURDAY, dt.time(10)) if saturday else (weekday, dt.time(19))
        numbered(meetings, weekday, week, start, MeetingKind.DIVISION, division)
    day = fy_weekday(fy, 11, (board[0] + 2) % 5, 2)
    if day > formed:
        calendar.add(slot("dialogue_city", day))
    if dd.council.stage == ESTABLISHED and (fy + index) % 2 == 0:
        calendar.add(slot("dialogue_residents", fy_weekday(fy, 1, SATURDAY, 3)))
    topic, theme = FORUMS[(fy + index) % len(FORUMS)]
    title = f"{dd.base}地域フォーラム「{theme.format(base=dd.base)}」"
    calendar.add(slot("forum", fy_weekday(fy, 2, SUNDAY, 2), title=title, topic=topic))
    if (fy + index) % 2:
        workshop = slot("workshop_map", fy_weekday(fy, 6, SATURDAY, 4))
    else:
        workshop = slot("workshop_plan", fy_weekday(fy, 11, SATURDAY, 3))
    topic, title = OTHERS[(fy + index) % len(OTHERS)]
    when = {"other_tour": (10, 3, 3), "other_training": (3, SATURDAY, 1)}
    other = slot(topic, fy_weekday(fy, *when.get(topic, (7, board[0], 4))), title=title)
    for meeting in (workshop, other):
        if meeting.day > formed:
            calendar.add(meeting)


def preparatory_series(calendar: Calendar, dd: DemoDistrict, board, years: range) -> None:
    """The preparatory body's meetings: every other month from its start until the founding.

    A preparing district's body started on its formed_on; a council that already exists had one
    for about a year before its founding assembly.
    """
    until = None if dd.council.stage == PREPARING else dd.formed_on
    first = dd.formed_on
    if until is not None:
        first = nth_weekday(first.year, first.month - 14, *board)
    days = [first]
    while True:
        day = nth_weekday(days[-1].year, days[-1].month + 2, *board)
        if fiscal_year(day) > max(years) or (until and day >= until):
            break
        days.append(day)
    for number, day in enumerate(days, start=1):
        if number == 1:
            topic = "prep_first"
        elif until and number == len(days):
            topic = "prep_officers"
        else:
            topic = PREP_MIDDLE[min(number - 2, len(PREP_MIDDLE) - 1)]
        if fiscal_year(day) in years:
            title = SERIES_TITLES[MeetingKind.PREPARATORY].format(n=number)
            calendar.add(slot("preparatory", day, title=title, topic=topic))
    extras = ((4, SATURDAY, "prep_dialogue"), (7, SATURDAY, "workshop_vision"))
    extras += ((10, 3, "other_tour"), (13, SATURDAY, "plan_dialogue"))
    for months, weekday, name in extras:
        day = nth_weekday(first.year, first.month + months, weekday, 3)
        if fiscal_year(day) in years and (until is None or day < until):
            calendar.add(slot(name, day))


def calendar_window(today: dt.date) -> tuple[dt.date, dt.date]:
    """The days with meetings on the calendar: the fiscal years before and of the run date, and
    the next two months (as announcements)."""
    return fiscal_year_range(fiscal_year(today) - 2)[0], today + dt.timedelta(days=UPCOMING_DAYS)


def calendar_slots(dd: DemoDistrict, index: int, plans: list, today: dt.date) -> list[Slot]:
    """A council's meetings in the calendar window, adopting its plans (BuiltPlan) on their days."""
    first_day, last_day = calendar_window(today)
    years = range(fiscal_year(first_day), fiscal_year(last_day) + 1)
    public = [item.plan for item in plans if item.plan.stage != PlanStage.DRAFT]
    calendar = council_calendar(dd, index, years, public)
    return [slot for slot in calendar if first_day <= slot.day <= last_day]


# --- Writing -----------------------------------------------------------------------------------


def sync(model, scope: models.QuerySet, rows: list, key: tuple[str, ...], keep=()) -> list:
    """Make `scope` hold exactly `rows`: a row whose `key` fields match a stored one takes its
    primary key and, where it differs, is written over it; the others are created, and the
    stored rows left over are deleted. Every column is written but the key, the timestamps and
    the fields in `keep`, which the demo leaves to whoever fills them in.

    Matched rows keep their primary key, so addresses of plans and meetings survive a second run;
    only rows that differ are written, which keeps a second run as fast as the first.
    """
    bulk.refer(model, rows)  # rows built before their parents were written
    key_attnames = [model._meta.get_field(name).attname for name in key]
    fields = [
        field
        for field in model._meta.concrete_fields
        if not (field.primary_key or field.name in (*key, *keep))
        and not (getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False))
    ]

    def key_of(row) -> tuple:
        return tuple(getattr(row, attname) for attname in key_attnames)

    if len({key_of(row) for row in rows}) != len(rows):
        raise ValueError(f"The demo data names two {model._meta.verbose_name_plural} alike.")
    stored = {key_of(obj): obj for obj in scope}
    changed = []
    for row in rows:
        match = stored.pop(key_of(row), None)
        if match is None:
            continue
        row.pk = match.pk
        if any(getattr(row, field.attname) != getattr(match, field.attname) for field in fields):
            changed.append(row)
    model.objects.filter(pk__in=[obj.pk for obj in stored.values()]).delete()
    model.objects.bulk_update(changed, [field.name for field in fields])
    model.objects.bulk_create([row for row in rows if row.pk is None])
    return rows


# The rows a second run matches on a natural key, keeping their primary keys (and so the
# addresses of plans and meetings), and the fields it leaves to whoever fills them in. Plans are
# keyed without the years, which move with the date of the run: the same plan (and what refers
# to it, such as grant reports) is kept from one fiscal year to the next.
KEPT = {
    Plan: (("district", "title"), ("document",)),
    Initiative: (("plan", "title"), ()),
    Indicator: (("initiative", "name"), ()),
    Meeting: (("district", "starts_at", "kind", "title"), ("place_address",)),
}


def write_in_place(rows: Rows, districts: list[District]) -> None:
    """Make the districts hold exactly `rows` (from a build): each model's rows replace those
    under the same parents (the rows of its first relation already written), matched on their
    natural key where KEPT has one (sync)."""
    written: Rows = {District: districts}
    for model, new in rows.items():
        parent = next(
            field
            for field in model._meta.concrete_fields
            if field.is_relation and field.related_model in written
        )
        scope = model.objects.filter(**{f"{parent.name}__in": written[parent.related_model]})
        if model in KEPT:
            key, keep = KEPT[model]
            sync(model, scope, new, key=key, keep=keep)
        else:
            scope.delete()
            model.objects.bulk_create(new)
        written[model] = new


class DistrictGroups:
    """The published groups of one district, for roles, attendance and action items."""

    def __init__(self, base: str, organizations: list[Organization], fields: dict[int, set[str]]):
        self.base = base
        self.all = organizations
        self.fields = fields

    def pick(
        self, selectors: str, exclude: Iterable[Organization] = ()
    ) -> Organization | str | None:
        """The first match of "name:…|kind:…|role:…": a group, a role's name, or None."""
        skip = {org.pk for org in exclude}
        for selector in selectors.split("|"):
            how, _, value = selector.partition(":")
            value = value.format(base=self.base)
            if how == "role":
                return value
            for org in self.all:
                if org.pk in skip:
                    continue
                if (how == "name" and org.name == value) or (how == "kind" and org.kind == value):
                    return org
        return None

    def of_kinds(self, kinds: Iterable[str], most: int = 99) -> list[Organization]:
        kinds = set(kinds)
        found = [org for org in self.all if org.kind in kinds]
        neighborhoods = [org for org in found if org.kind == Kind.NEIGHBORHOOD][:4]
        others = [org for org in found if org.kind != Kind.NEIGHBORHOOD]
        return (neighborhoods + others)[:most]

    def sample(self, rng: random.Random, low: int, high: int, fields=None) -> list[Organization]:
        pool = self.all
        if fields:
            pool = [org for org in pool if self.fields.get(org.pk, set()) & set(fields)]
        chosen = rng.sample(pool, min(len(pool), rng.randint(low, high)))
        return sorted(chosen, key=lambda org: org.pk)


def load_groups(districts: list[DemoDistrict]) -> dict[str, DistrictGroups]:
    links = Organization.districts.through.objects.filter(
        district__in=[dd.district for dd in districts], organization__is_published=True
    ).values_list("district_id", "organization_id")
    organizations = Organization.objects.in_bulk({org for _, org in links})
    fields: dict[int, set[str]] = defaultdict(set)
    for org, code in Organization.fields.through.objects.filter(
        organization__in=organizations
    ).values_list("organization_id", "field__code"):
        fields[org].add(code)
    by_district: dict[int, list[Organization]] = defaultdict(list)
    for district, org in sorted(links, key=lambda link: link[1]):
        by_district[district].append(organizations[org])
    return {
        dd.slug: DistrictGroups(dd.base, by_district[dd.district.pk], fields) for dd in districts
    }


def amount(value: Decimal, unit: str) -> str:
    """「72.5%」「1,240人」: a value with its unit, as the reviews write it."""
    text = f"{value:,.1f}" if unit == "%" else f"{int(value):,}"
    return f"{text.removesuffix('.0')}{unit}"


def nice(value: float) -> int:
    """Round a target the way people write them: 231 → 230, 3,140 → 3,100."""
    for limit, step in ((30, 1), (200, 5), (1000, 10)):
        if value < limit:
            return round(value / step) * step
    return round(value / 100) * 100


def scaled(spec: IndicatorSpec, rng: random.Random) -> tuple[Decimal, Decimal]:
    """The catalogue's baseline and target, varied a little for each district."""
    if spec.unit == "%":
        baseline = round(spec.baseline + rng.uniform(-6, 6), 1)
        target = min(100.0, max(spec.target, round(baseline + 5)))
        return Decimal(str(baseline)), Decimal(str(target))
    factor = rng.uniform(0.75, 1.3)
    baseline, target = nice(spec.baseline * factor), nice(spec.target * factor)
    # A target never behind its baseline, in the indicator's direction.
    better = (
        max(target, baseline + 1)
        if spec.direction == Direction.HIGHER
        else min(target, baseline - 1)
    )
    return Decimal(baseline), Decimal(better)


class BuiltInitiative(NamedTuple):
    entry: Entry
    spec: InitiativeSpec
    initiative: Initiative
    indicators: list[Indicator]
    # indicator position → {fiscal year: (value, note, factor)}
    results: dict[int, dict[int, tuple[Decimal, str, float]]]


class BuiltPlan(NamedTuple):
    seed: PlanSeed
    dd: DemoDistrict
    plan: Plan
    issues: dict[str, PlanIssue]
    initiatives: list[BuiltInitiative]


def build_plans(
    seeds: list[tuple[DemoDistrict, PlanSeed]],
    groups: dict[str, DistrictGroups],
    fields: dict[str, Field],
    current: int,
    shift: int = 0,
) -> tuple[list[BuiltPlan], Rows]:
    """The districts' plans with issues, initiatives, roles, indicators, results, reviews and
    ratings, not yet written; each plan `shift` fiscal years later than its seed."""
    rows: Rows = {
        model: []
        for model in (Plan, PlanIssue, Initiative, Initiative.issues.through, RoleAssignment)
        + (Indicator, IndicatorResult, Review, ReviewRating)
    }
    built = []
    for dd, seed in seeds:
        plan = Plan(
            district=dd.district,
            title=seed.title,
            start_fy=seed.start + shift,
            end_fy=seed.end + shift,
            vision=seed.vision,
            stage=seed.stage,
            adopted_on=shift_date(seed.adopted_on, shift) if seed.adopted_on else None,
        )
        item = BuiltPlan(seed, dd, plan, {}, initiative_rows(plan, seed, fields))
        built.append(item)
        rows[Plan].append(plan)
        rows[PlanIssue] += issue_rows(item, fields, current)
        rows[Initiative] += [b.initiative for b in item.initiatives]
        indicator_rows(item, groups[dd.slug], current, plan_random("plan", item), rows)
        # Yearly results, and the reviews of the years over.
        rng = plan_random("results", item)
        for initiative in item.initiatives:
            rows[IndicatorResult] += result_rows(item, initiative, current, rng)
        for fy in review_years(plan, current):
            review, ratings = review_rows(item, fy, current)
            rows[Review].append(review)
            rows[ReviewRating] += ratings
    return built, rows


def plan_random(part: str, item: BuiltPlan) -> random.Random:
    return demo_random(f"{part}-{item.dd.slug}-{item.seed.start}")


def initiative_rows(plan: Plan, seed: PlanSeed, fields: dict) -> list[BuiltInitiative]:
    """The plan's initiatives from the catalogue (initiatives.toml), in the seed's order."""
    items = []
    for order, entry in enumerate(seed.initiatives, start=1):
        spec = INITIATIVES[entry.key]
        initiative = Initiative(
            plan=plan,
            title=entry.title or spec.title,
            description=spec.description,
            field=fields[spec.field],
            start_fy=plan.start_fy + entry.first,
            end_fy=plan.end_fy if entry.last is None else plan.start_fy + entry.last,
            status=entry.status,
            order=order,
        )
        items.append(BuiltInitiative(entry, spec, initiative, [], {}))
    return items


def issue_rows(item: BuiltPlan, fields: dict, current: int) -> list[PlanIssue]:
    """The plan's issues, each noted with where it came from and kept in item.issues by key."""
    survey = format_fiscal_year(min(item.plan.start_fy - 1, current - 1))
    notes = {source: note.format(fy=survey, base=item.dd.base) for source, note in SOURCES.items()}
    rows = []
    for order, (key, source) in enumerate(item.seed.issues, start=1):
        field, title, description = ISSUES[key]
        item.issues[key] = PlanIssue(
            plan=item.plan,
            field=fields[field],
            title=title,
            description=description,
            source=source,
            source_note=notes[source],
            order=order,
        )
        rows.append(item.issues[key])
    return rows


def indicator_rows(item: BuiltPlan, groups: DistrictGroups, current: int, rng, rows: Rows):
    """The issue links, roles and indicators of the plan's initiatives, added to `rows`; each
    initiative keeps its indicators."""
    baseline_fy = min(item.plan.start_fy - 1, current - 1)
    for built in item.initiatives:
        initiative, spec = built.initiative, built.spec
        rows[Initiative.issues.through] += [
            Initiative.issues.through(initiative=initiative, planissue=item.issues[key])
            for key in spec.issues
            if key in item.issues
        ]
        rows[RoleAssignment] += role_rows(initiative, spec, groups)
        for order, measure in enumerate(spec.indicators, start=1):
            baseline, target = scaled(measure, rng)
            built.indicators.append(
                Indicator(
                    initiative=initiative,
                    name=measure.name,
                    unit=measure.unit,
                    baseline_value=baseline,
                    baseline_fy=baseline_fy,
                    target_value=target,
                    target_fy=initiative.end_fy,
                    direction=measure.direction,
                    order=order,
                )
            )
        rows[Indicator] += built.indicators


def role_rows(initiative: Initiative, spec: InitiativeSpec, groups: DistrictGroups):
    """The initiative's roles; a group's role goes to the first group that fits and is not yet
    given one, and a lead no group can take goes to the council."""
    rows, used = [], []
    for role in spec.roles:
        values = {"party": role.party, "role": role.role, "sector": role.sector}
        if role.party == RoleParty.CITY:
            values["department"] = role.who
        elif role.party == RoleParty.GROUP:
            organization = groups.pick(role.who, exclude=used)
            if isinstance(organization, Organization):
                used.append(organization)
                values["organization"] = organization
            elif role.role == RoleKind.LEAD:
                values = {"party": RoleParty.COUNCIL, "role": role.role, "sector": Sector.MUTUAL}
            else:
                continue
        rows.append(RoleAssignment(initiative=initiative, description=role.description, **values))
    return rows


def result_rows(item: BuiltPlan, built: BuiltInitiative, current: int, rng: random.Random):
    """Yearly actuals from the baseline toward the target, at a pace that fits the status."""
    initiative, entry = built.initiative, built.entry
    notes = {
        (note.indicator, item.plan.start_fy + note.offset): note
        for note in item.seed.notes
        if note.initiative == entry.key
    }
    pace_range = {Status.DONE: (1.0, 1.15), Status.PAUSED: (0.15, 0.35)}.get(
        entry.status, (0.55, 1.15)
    )
    rows = []
    for position, indicator in enumerate(built.indicators):
        pace = rng.uniform(*pace_range)
        yearly = built.results.setdefault(position, {})
        for fy in range(initiative.start_fy, min(initiative.end_fy, current - 1) + 1):
            share = (fy - indicator.baseline_fy) / (indicator.target_fy - indicator.baseline_fy)
            progress = share * pace + rng.gauss(0, 0.05)
            if entry.status == Status.DONE and fy == initiative.end_fy:
                progress = max(progress, 1.0)
            note = notes.get((position, fy))
            if note and note.factor is None:
                continue
            span = float(indicator.target_value - indicator.baseline_value)
            value = max(0.0, float(indicator.baseline_value) + span * progress)
            factor = note.factor if note else 1.0
            value *= factor
            if indicator.unit == "%":
                value = Decimal(str(round(min(value, 100.0), 1)))
            else:
                value = Decimal(round(value))
            yearly[fy] = (value, note.note if note else "", factor)
            rows.append(
                IndicatorResult(
                    indicator=indicator,
                    fiscal_year=fy,
                    actual_value=value,
                    note=note.note if note else "",
                )
            )
    return rows


def review_years(plan: Plan, current: int) -> range:
    """The fiscal years the council has looked back on: adopted, and over."""
    if plan.stage not in (PlanStage.ADOPTED, PlanStage.SUPERSEDED) or plan.adopted_on is None:
        return range(0)
    return range(
        max(plan.start_fy, fiscal_year(plan.adopted_on)), min(plan.end_fy, current - 1) + 1
    )


def review_rows(item: BuiltPlan, fy: int, current: int):
    review = Review(plan=item.plan, fiscal_year=fy, summary="", next_steps="")
    rated = []  # (built initiative, rating, reason, note)
    for built in item.initiatives:
        initiative = built.initiative
        if not initiative.start_fy <= fy <= initiative.end_fy:
            continue
        rating, reason, note = rate(built, fy, current)
        rated.append((built, rating, reason, note))
    counts = [(letter, sum(1 for _, r, _, _ in rated if r == letter)) for letter in Rating.values]
    tally = "、".join(REVIEW["tally"].format(letter=letter, n=n) for letter, n in counts if n)
    fy_label = format_fiscal_year(fy)
    summary = [REVIEW["rated"].format(fy=fy_label, count=len(rated), tally=tally)]
    best = next((entry for entry in rated if entry[1] == Rating.A), None)
    if best:
        summary.append(REVIEW["best"].format(title=best[0].initiative.title, reason=best[2]))
    behind = [entry for entry in rated if entry[1] in (Rating.C, Rating.D)]
    steps = []
    for number, (built, _, _, note) in enumerate(behind):
        words = {
            "title": built.initiative.title,
            "but": REVIEW["but"][min(number, 1)],
            "note": note,
            "obstacle": built.spec.obstacle,
            "remedy": built.spec.remedy,
        }
        paused = built.entry.status == Status.PAUSED and fy == current - 1
        said = "noted" if note else "paused" if paused else "late"
        summary.append(REVIEW[said].format(**words))
        steps.append(REVIEW["noted_step" if note else "remedy_step"].format(**words))
    if not behind:
        summary.append(REVIEW["on_track"])
    if fy == item.plan.end_fy:
        steps.append(REVIEW["last_year"])
    else:
        steps.append(REVIEW["next_year"].format(fy=format_fiscal_year(fy + 1)))
    review.summary = "".join(summary)
    review.next_steps = "\n".join(steps)
    ratings = [
        ReviewRating(review=review, initiative=built.initiative, rating=rating, reason=reason)
        for built, rating, reason, _ in rated
    ]
    return review, ratings


# The rating of a year's progress against the pace its target asks for: (at least, rating).
RATINGS = ((0.95, Rating.A), (0.65, Rating.B), (0.3, Rating.C), (-99, Rating.D))


def rate(built: BuiltInitiative, fy: int, current: int) -> tuple[str, str, str]:
    """A rating (A–D), its reason and the year's note, from the first indicator with a result."""
    spec, entry, reasons = built.spec, built.entry, REVIEW["reasons"]
    if entry.status == Status.PAUSED and fy == current - 1:
        paused = reasons["paused"].format(obstacle=spec.obstacle, fy=format_fiscal_year(fy))
        return Rating.D, paused, ""
    for position, indicator in enumerate(built.indicators):
        found = built.results.get(position, {}).get(fy)
        if found is None:
            continue
        value, note, factor = found
        share = (fy - indicator.baseline_fy) / (indicator.target_fy - indicator.baseline_fy)
        progress = float(indicator.progress(value) or 0) / 100
        ratio = progress / share if share else 1.0
        rating = next(letter for bound, letter in RATINGS if ratio >= bound)
        unit, direction = indicator.unit, indicator.direction
        words = {
            "name": indicator.name,
            "now": amount(value, unit),
            "note": note,
            "base": amount(indicator.baseline_value, unit),
            "target": amount(indicator.target_value, unit),
            "target_fy": format_fiscal_year(indicator.target_fy),
            "obstacle": spec.obstacle,
            "moved": reasons["moved"][direction],
            "pace": reasons["pace"][direction],
        }
        if factor < 1:
            return rating, reasons["noted"].format(**words), note
        return rating, reasons[rating].format(**words), ""
    return Rating.C, reasons["unknown"].format(obstacle=spec.obstacle), ""


# --- Meetings ------------------------------------------------------------------------------------


class BuiltMeeting(NamedTuple):
    slot: Slot
    meeting: Meeting
    groups: list[Organization]
    initiatives: list[Initiative]
    decisions: list[str]
    actions: list[tuple[str, Organization | None, str, int]]  # (what, group, role, days)


def build_meetings(
    dd: DemoDistrict,
    slots: list[Slot],
    groups: DistrictGroups,
    plans: list[BuiltPlan],
    today: dt.date,
) -> list[BuiltMeeting]:
    """The district's meetings on these days, not yet written."""
    # A district's last meeting on the calendar, over a month ahead, is not yet announced.
    later = [slot for slot in slots if slot.day > today + dt.timedelta(days=30)]
    unannounced = later[-1] if later else None
    return [meeting_for(dd, slot, groups, plans, today, slot is unannounced) for slot in slots]


def meeting_rows(built: list[BuiltMeeting], today: dt.date) -> Rows:
    """The meetings with their attending groups, initiatives, decisions and action items."""
    attending, related = Meeting.attending_groups.through, Meeting.initiatives.through
    return {
        Meeting: [item.meeting for item in built],
        attending: [attending(meeting=i.meeting, organization=o) for i in built for o in i.groups],
        related: [related(meeting=i.meeting, initiative=r) for i in built for r in i.initiatives],
        Decision: [
            Decision(meeting=item.meeting, text=text, order=order)
            for item in built
            for order, text in enumerate(item.decisions, start=1)
        ],
        ActionItem: [
            action_item(item, what, org, role, days, today)
            for item in built
            for what, org, role, days in item.actions
        ],
    }


def action_item(item: BuiltMeeting, what, org, role, days, today) -> ActionItem:
    due = item.slot.day + dt.timedelta(days=days)
    rng = demo_random(f"action-{item.meeting.title}-{item.slot.day}-{what}")
    if due < today - dt.timedelta(days=60):
        status = ActionStatus.DONE if rng.random() < 0.9 else ActionStatus.DROPPED
    elif due < today:
        status = ActionStatus.DONE if rng.random() < 0.6 else ActionStatus.IN_PROGRESS
    else:
        status = ActionStatus.IN_PROGRESS if rng.random() < 0.5 else ActionStatus.OPEN
    return ActionItem(
        meeting=item.meeting,
        what=what,
        owner_organization=org,
        owner_role=role,
        due_on=due,
        status=status,
    )


def meeting_for(
    dd: DemoDistrict,
    slot: Slot,
    groups: DistrictGroups,
    plans: list[BuiltPlan],
    today: dt.date,
    unannounced: bool,
) -> BuiltMeeting:
    """One meeting: an announcement if it is still to come, the full record if it is over."""
    rng = demo_random(f"meeting-{dd.slug}-{slot.day}-{slot.title}")
    topic = TOPICS[slot.topic]
    fy = fiscal_year(slot.day)
    held = slot.day < today
    stage = dd.council.stage
    low, high = ATTENDANCE[slot.kind]
    attendance = rng.randint(low, high)
    proxies = rng.randint(4, 12)
    context = {
        "base": dd.base,
        "council": dd.council.name,
        "hub": dd.district.hub_name,
        "school": dd.district.school_name.removeprefix(SCHOOL_PREFIX[0]),
        "fy": format_fiscal_year(fy),
        "prev_fy": format_fiscal_year(fy - 1),
        "next_fy": format_fiscal_year(fy + 1),
        "chair": MINUTES["chair"].get(stage, MINUTES["chair"]["other"]),
        "division": slot.division,
        "n1": rng.randint(3, 8),
        "n2": rng.randint(12, 30),
        "n3": rng.randint(150, 420),
        "present": attendance,
        "proxies": proxies,
        "delegates": attendance + proxies + rng.randint(0, 6),
    }
    if slot.topic == "other_tour":
        attendance = context["n2"]

    agenda = [item.format(**context) for item in topic.agenda]
    decisions = [text.format(**context) for text in topic.decisions]
    adopted = slot.adopts
    if adopted is not None:
        words = {"title": adopted.title, "span": adopted.span_label}
        if slot.topic == "general_regular":
            agenda.insert(5, MINUTES["adoption_item"].format(**words))
        elif slot.topic == "general_founding":
            agenda.append(MINUTES["founding_item"].format(**words))
        first = slot.topic == "general_plan"
        decisions.insert(
            0 if first else len(decisions), MINUTES["adoption_decision"].format(**words)
        )
    lines = [MINUTES["opening"], *agenda, *MINUTES["closing"]]
    agenda_text = "\n".join(f"{number}. {line}" for number, line in enumerate(lines, start=1))

    paragraphs = [text.format(**context) for text in topic.paragraphs]
    words = {"chair": context["chair"], "division": slot.division}
    words["month"] = (slot.day.month + 1) % 12 + 1  # of the meeting two months on
    kind = str(slot.kind)  # a board, division or preparatory meeting opens in set words
    if f"{kind}_opening" in MINUTES:
        paragraphs.insert(0, MINUTES[f"{kind}_opening"].format(**words))
    if f"{kind}_next" in MINUTES:
        paragraphs.append(MINUTES[f"{kind}_next"].format(**words))

    plan = adopted or related_plan(plans, slot, topic)
    initiatives = []
    if plan is not None and topic.fields:
        built_plan = next(item for item in plans if item.plan is plan)
        initiatives = [
            built.initiative
            for built in built_plan.initiatives
            if built.spec.field in topic.fields
            and built.initiative.start_fy <= fy <= built.initiative.end_fy
        ][:3]

    actions = []
    for what, who, days in topic.actions:
        owner = groups.pick(who) or "事務局"  # a group, or the name of a role
        group = owner if isinstance(owner, Organization) else None
        actions.append((what.format(**context), group, "" if group else owner, days))

    starts = dt.datetime.combine(slot.day, slot.start, tzinfo=TOKYO)
    announced = dt.datetime.combine(slot.day - dt.timedelta(days=21), dt.time(9), tzinfo=TOKYO)
    announced = min(announced, dt.datetime.combine(today, dt.time(0), tzinfo=TOKYO))
    published = not unannounced and (adopted is not None or not held or rng.random() >= 0.08)
    hub = dd.district.hub_name
    place = f"{hub} {slot.room}" if slot.room else MINUTES["tour_place"].format(hub=hub)
    meeting = Meeting(
        district=dd.district,
        council=dd.council,
        kind=slot.kind,
        title=slot.title,
        starts_at=starts,
        ends_at=starts + dt.timedelta(minutes=slot.minutes),
        place=place,
        **admission_values(dd, slot),
        attendance=attendance if held else None,
        agenda=agenda_text,
        minutes="\n\n".join(paragraphs) if held else "",
        plan=plan,
        is_published=published,
        published_at=announced if published else None,
    )
    return BuiltMeeting(
        slot,
        meeting,
        attending(groups, slot, rng),
        initiatives,
        decisions if held else [],
        actions if held else [],
    )


def admission_values(dd: DemoDistrict, slot: Slot) -> dict:
    """Who may attend the meeting, and for a registration how, with whom and by when."""
    if slot.kind == MeetingKind.FORUM or slot.topic in OPEN_TOPICS:
        return {"admission": Admission.OPEN}
    if slot.topic not in REGISTRATION_TOPICS:
        return {"admission": Admission.MEMBERS}
    office = dd.council.contact_name or f"{dd.council.name}事務局"
    phone = dd.council.contact_phone or dd.district.hub_phone
    email = dd.council.contact_email
    contact = MINUTES["contact"].format(office=office, hub=dd.district.hub_name, phone=phone)
    if email:
        contact += MINUTES["contact_email"].format(email=email)
    how = MINUTES["registration"].format(seats=40 if slot.topic == "other_tour" else 30)
    if slot.topic == "other_tour":
        how += MINUTES["tour_registration"]
    return {
        "admission": Admission.REGISTRATION,
        "registration_how": how,
        "registration_contact": contact,
        "registration_deadline": slot.day - dt.timedelta(days=7),
    }


def related_plan(plans: list[BuiltPlan], slot: Slot, topic: Topic) -> Plan | None:
    """The plan a meeting talks about: the adopted one in force, or the one under discussion."""
    if not (topic.plan_related or topic.fields):
        return None
    fy = fiscal_year(slot.day)
    talks = slot.kind in (MeetingKind.PREPARATORY, MeetingKind.DIALOGUE, MeetingKind.WORKSHOP)
    for item in plans:
        plan = item.plan
        if plan.stage == PlanStage.DRAFT:
            continue
        if plan.stage == PlanStage.DISCUSSION and talks:
            return plan
        if plan.adopted_on and plan.adopted_on <= slot.day and plan.covers(fy):
            return plan
    return None


def attending(groups: DistrictGroups, slot: Slot, rng: random.Random) -> list[Organization]:
    if slot.kind == MeetingKind.GENERAL:
        return groups.of_kinds(GENERAL_KINDS, 14)
    if slot.kind in (MeetingKind.BOARD, MeetingKind.PREPARATORY):
        return groups.of_kinds(BOARD_KINDS, 8)
    if slot.kind == MeetingKind.DIVISION:
        return groups.sample(rng, 3, 6, DIVISION_FIELDS.get(slot.division))
    if slot.topic == "other_study":
        return groups.of_kinds((Kind.NEIGHBORHOOD,), 8)
    if slot.kind == MeetingKind.OTHER:
        return groups.sample(rng, 3, 6)
    return groups.sample(rng, 6, 11)


def link_issue_sources(plans: list[BuiltPlan], meetings: list[BuiltMeeting], today) -> None:
    """Point an issue at the published meeting or workshop it came from, where one is on record."""
    kinds = {
        IssueSource.MEETING: (MeetingKind.DIALOGUE, MeetingKind.PREPARATORY),
        IssueSource.WORKSHOP: (MeetingKind.WORKSHOP,),
    }
    held = defaultdict(list)
    for item in meetings:
        meeting = item.meeting
        if meeting.is_published and item.slot.day < today:
            held[meeting.district_id].append(item)
    changed = []
    for item in plans:
        before = item.plan.adopted_on or today
        for issue in item.issues.values():
            candidates = [
                held_meeting.meeting
                for held_meeting in held[item.plan.district_id]
                if held_meeting.meeting.kind in kinds.get(issue.source, ())
                and held_meeting.slot.day < before
            ]
            if candidates:
                issue.source_meeting = candidates[-1]
                issue.source_note = ""
                changed.append(issue)
    PlanIssue.objects.bulk_update(changed, ["source_meeting", "source_note"])


# --- The entry point ---------------------------------------------------------------------------


def seed_plans_and_meetings(
    districts: dict[str, District], councils: dict[str, Council], today: dt.date | None = None
) -> None:
    """Write the demo plans and meetings of the districts (by slug); call inside a transaction."""
    today = today or timezone.localdate()
    current = fiscal_year(today)
    demo = [
        DemoDistrict.of(seed, districts[seed.slug], councils.get(seed.slug)) for seed in DISTRICTS
    ]
    by_slug = {dd.slug: dd for dd in demo}
    seeds = [(by_slug[seed.slug], seed) for seed in PLANS]
    with translation.override("ja"):
        groups = load_groups(demo)
        fields = {field.code: field for field in Field.objects.all()}
        plans, rows = build_plans(seeds, groups, fields, current, max(0, current - BASE_FY))
        write_in_place(rows, list(districts.values()))
        meetings = []
        for index, dd in enumerate(demo):
            if dd.council is not None:
                own = [item for item in plans if item.dd.slug == dd.slug]
                slots = calendar_slots(dd, index, own, today)
                meetings += build_meetings(dd, slots, groups[dd.slug], own, today)
        write_in_place(meeting_rows(meetings, today), list(districts.values()))
        link_issue_sources(plans, meetings, today)
