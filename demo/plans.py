"""The plans and meeting topics of the demo city, read from demo/data into named tuples.

issues.toml, initiatives.toml, plans.toml, topics.toml and calendar.toml hold the text; here each
row becomes the tuple the seeding reads, with its choices checked against the models' (a misspelt
status or an unknown field name stops the load with the row's key).
"""

import datetime as dt
from typing import NamedTuple

from demo.load import keyed, listed, read, typed
from districts.models import CouncilStage
from organizations.models import OrganizationKind
from plans.models import (
    Direction,
    InitiativeStatus,
    IssueSource,
    MeetingKind,
    PlanStage,
    RoleKind,
    RoleParty,
    Sector,
)


class IssueSpec(NamedTuple):
    field: str  # an organizations.Field code
    title: str
    description: str


class RoleSpec(NamedTuple):
    party: RoleParty
    role: RoleKind
    sector: Sector
    description: str
    who: str = ""  # a group: selectors tried in order ("name:…|kind:…"); the city: a department


class IndicatorSpec(NamedTuple):
    name: str
    unit: str
    direction: Direction
    baseline: float
    target: float


class InitiativeSpec(NamedTuple):
    field: str
    title: str
    description: str
    issues: tuple[str, ...]
    roles: tuple[RoleSpec, ...]
    indicators: tuple[IndicatorSpec, ...]
    obstacle: str  # why it falls behind, for the reviews: 「…ため」
    remedy: str  # what the council will change


class Entry(NamedTuple):
    """One initiative in a plan, with its status and years as offsets from the plan's start."""

    key: str
    status: InitiativeStatus
    first: int = 0
    last: int | None = None  # None: the plan's last year
    title: str = ""  # a title of its own where the catalogue's does not fit the district


class ResultNote(NamedTuple):
    """A year that went differently: scale the value (0 to record nothing done), or skip it."""

    initiative: str  # its key
    indicator: int  # its position in the initiative
    offset: int  # years after the plan's first year
    factor: float | None = None  # None: no result that year
    note: str = ""


class SourcedIssue(NamedTuple):
    issue: str  # its key
    source: IssueSource  # where it came from


class PlanSeed(NamedTuple):
    slug: str
    title: str
    start: int  # 年度, as of BASE_FY
    end: int
    stage: PlanStage
    adopted_on: dt.date | None  # as of BASE_FY; None for plans not adopted
    vision: str
    issues: tuple[SourcedIssue, ...]
    initiatives: tuple[Entry, ...]
    notes: tuple[ResultNote, ...] = ()


class Action(NamedTuple):
    what: str
    who: str  # "role:…" or group selectors
    days: int


class Topic(NamedTuple):
    """What one meeting is about. Text takes {base}, {council}, {hub}, {school}, {fy}, {prev_fy},
    {next_fy}, {chair}, {division} and the numbers {n1} (a few), {n2} (tens), {n3} (hundreds)."""

    agenda: tuple[str, ...]
    paragraphs: tuple[str, ...]
    decisions: tuple[str, ...]
    actions: tuple[Action, ...]
    fields: tuple[str, ...] = ()  # the plan's initiatives in these fields are related
    plan_related: bool = False


ISSUES: dict[str, IssueSpec] = keyed("issues", IssueSpec)
INITIATIVES: dict[str, InitiativeSpec] = keyed("initiatives", InitiativeSpec)
PLANS: tuple[PlanSeed, ...] = listed("plans", "plan", PlanSeed, "title")
REVIEW: dict = read("plans")["review"]  # the words of a yearly review and its ratings
# How a plan issue's source is noted, by IssueSource: takes {fy} and {base}.
SOURCES = {IssueSource(source): note for source, note in read("plans")["issue_sources"].items()}
TOPICS: dict[str, Topic] = keyed("topics", Topic)


# --- When the councils meet (calendar.toml) ------------------------------------------------------


class DivisionMeeting(NamedTuple):
    month: int
    topic: str


class Division(NamedTuple):
    name: str
    meetings: tuple[DivisionMeeting, ...]
    saturday_morning: bool  # otherwise weekday evenings


_calendar = read("calendar")
BOARD_MONTHS = {meeting["month"]: meeting["topic"] for meeting in _calendar["board"]}
DIVISIONS = {
    CouncilStage(stage): tuple(typed(Division, division) for division in divisions)
    for stage, divisions in _calendar["divisions"].items()
}
FORUMS = tuple((forum["topic"], forum["title"]) for forum in _calendar["forums"])
OTHERS = tuple((other["topic"], other["title"]) for other in _calendar["others"])
PREP_MIDDLE = tuple(_calendar["preparatory_middle"])


class MeetingType(NamedTuple):
    kind: MeetingKind
    title: str
    topic: str
    start: dt.time
    minutes: int
    room: str


ROOMS = {"": "", **_calendar["rooms"]}
MEETING_TYPES = {
    name: typed(MeetingType, row | {"topic": row.get("topic", name), "room": ROOMS[row["room"]]})
    for name, row in _calendar["meetings"].items()
}
OPEN_TOPICS = frozenset(_calendar["open_topics"])
REGISTRATION_TOPICS = frozenset(_calendar["registration_topics"])
_attending = _calendar["attending"]
GENERAL_KINDS, BOARD_KINDS = (
    tuple(map(OrganizationKind, _attending[key])) for key in ("general", "board")
)
DIVISION_FIELDS = {name: tuple(fields) for name, fields in _attending["division_fields"].items()}
MINUTES: dict = _calendar["minutes"]  # the words around each topic's own text
# Attendance when it happened: (fewest, most).
ATTENDANCE = {
    MeetingKind(kind): (counts["fewest"], counts["most"])
    for kind, counts in _calendar["attendance"].items()
}
