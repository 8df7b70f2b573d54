"""The queries the plan and meeting pages (and the district page's sections) need.

Each selector returns everything its template uses, with the related rows fetched up front, so a
page's query count stays the same whatever the amount of data.
"""

import datetime as dt
import mimetypes
from dataclasses import dataclass
from decimal import Decimal
from itertools import groupby

from django.db.models import Case, IntegerField, Prefetch, Q, QuerySet, Subquery, Value, When
from django.shortcuts import get_object_or_404

from core.charts import LineChart, line_chart
from core.dates import current_fiscal_year, format_short_fiscal_year
from districts.models import District
from organizations.models import Field, Organization, field_labels

from .models import (
    ActionItem,
    Decision,
    Indicator,
    IndicatorResult,
    Initiative,
    InitiativeStatus,
    Meeting,
    MeetingAttachment,
    Plan,
    PlanIssue,
    PlanStage,
    Review,
    ReviewRating,
    RoleAssignment,
)
from .models.plan import PUBLIC_PLAN_STAGES

# Plans ---------------------------------------------------------------------------------------


def _current_first(plans: QuerySet[Plan], fy: int) -> QuerySet[Plan]:
    """Plans ordered so the adopted plan covering `fy` comes first, then the newest."""
    covering = Q(stage=PlanStage.ADOPTED, start_fy__lte=fy, end_fy__gte=fy)
    return plans.annotate(
        is_current=Case(
            When(covering, then=Value(1)), default=Value(0), output_field=IntegerField()
        )
    ).order_by("-is_current", "-start_fy", "-pk")


def current_plan(district: District) -> Plan | None:
    """The district's plan residents should see: the adopted plan covering this fiscal year,
    else the newest plan that is not a draft."""
    plans = Plan.objects.public().filter(district=district)
    return _current_first(plans, current_fiscal_year()).first()


def current_adopted_plan(district_id: int, *, excluding: Plan | None = None) -> Plan | None:
    """The adopted plan covering this fiscal year, else the newest adopted one."""
    plans = Plan.objects.filter(district_id=district_id, stage=PlanStage.ADOPTED)
    if excluding is not None:
        plans = plans.exclude(pk=excluding.pk)
    return _current_first(plans, current_fiscal_year()).first()


@dataclass(frozen=True)
class YearValue:
    """One row of an indicator's table: a fiscal year and its actual value, if recorded."""

    fiscal_year: int
    value: Decimal | None
    progress: Decimal | None
    achieved: bool
    note: str = ""

    @property
    def recorded(self) -> bool:
        return self.value is not None


@dataclass(frozen=True)
class IndicatorProgress:
    indicator: Indicator
    years: list[YearValue]
    latest: YearValue | None
    chart: LineChart | None


def indicator_progress(indicator: Indicator, years) -> IndicatorProgress:
    """Baseline, each fiscal year's actual (None when not recorded) and progress to target.

    Progress is the model's computation (Indicator.progress / achieved), never a stored figure.
    """
    results: dict[int, IndicatorResult] = {row.fiscal_year: row for row in indicator.results.all()}
    rows = []
    for fy in sorted(set(years) | set(results)):
        result = results.get(fy)
        value = result.actual_value if result else None
        rows.append(
            YearValue(
                fiscal_year=fy,
                value=value,
                progress=indicator.progress(value),
                achieved=indicator.achieved(value),
                note=result.note if result else "",
            )
        )
    recorded = [row for row in rows if row.recorded]
    # The axis names fiscal years in the era style of the table beside it (「R8年度」).
    series = [(format_short_fiscal_year(indicator.baseline_fy), indicator.baseline_value)] + [
        (format_short_fiscal_year(row.fiscal_year), row.value) for row in recorded
    ]
    figures = [Decimal(str(value)) for _, value in series] + [Decimal(str(indicator.target_value))]
    chart = (
        line_chart(
            series,
            whole=all(value == value.to_integral_value() for value in figures),
            percent=indicator.unit.strip() in ("%", "％"),
            target=indicator.target_value,
        )
        if recorded
        else None
    )
    return IndicatorProgress(
        indicator=indicator,
        years=rows,
        latest=recorded[-1] if recorded else None,
        chart=chart,
    )


@dataclass(frozen=True)
class FieldIssues:
    field: Field | None
    issues: list[PlanIssue]


@dataclass(frozen=True)
class InitiativeDetail:
    initiative: Initiative
    roles: list[RoleAssignment]
    indicators: list[IndicatorProgress]


@dataclass(frozen=True)
class StatusCount:
    status: InitiativeStatus
    count: int


def status_counts(initiatives) -> list[StatusCount]:
    """How many initiatives are at each status, in the statuses' order."""
    totals = {status: 0 for status in InitiativeStatus}
    for initiative in initiatives:
        totals[InitiativeStatus(initiative.status)] += 1
    return [StatusCount(status, count) for status, count in totals.items()]


@dataclass(frozen=True)
class PlanDetail:
    plan: Plan
    issues_by_field: list[FieldIssues]
    initiatives: list[InitiativeDetail]
    status_counts: list[StatusCount]
    reviews: list[Review]
    current_plan: Plan | None

    @property
    def has_indicators(self) -> bool:
        return any(detail.indicators for detail in self.initiatives)


def plan_for_page(pk: int) -> PlanDetail:
    """One public plan (not a draft) with its issues, initiatives, roles, indicators and reviews."""
    plan = get_object_or_404(Plan.objects.public().select_related("district"), pk=pk)
    issues = list(
        plan.issues.select_related("field").order_by("field__order", "field__pk", "order", "pk")
    )
    # Issues with no field come last, under their own heading.
    issues.sort(key=lambda issue: issue.field is None)
    issues_by_field = [
        FieldIssues(field, list(members))
        for field, members in groupby(issues, key=lambda issue: issue.field)
    ]
    initiatives = list(
        plan.initiatives.select_related("field").prefetch_related(
            Prefetch("issues", queryset=PlanIssue.objects.order_by("order", "pk")),
            # The template names a group only when it is published.
            Prefetch("roles", queryset=RoleAssignment.objects.select_related("organization")),
            Prefetch(
                "indicators",
                queryset=Indicator.objects.prefetch_related(
                    Prefetch("results", queryset=IndicatorResult.objects.order_by("fiscal_year"))
                ),
            ),
        )
    )
    years = range(plan.start_fy, min(plan.end_fy, current_fiscal_year()) + 1)
    details = [
        InitiativeDetail(
            initiative=initiative,
            roles=list(initiative.roles.all()),
            indicators=[indicator_progress(i, years) for i in initiative.indicators.all()],
        )
        for initiative in initiatives
    ]
    reviews = list(
        plan.reviews.order_by("-fiscal_year").prefetch_related(
            Prefetch(
                "ratings",
                queryset=ReviewRating.objects.select_related("initiative").order_by(
                    "initiative__order", "initiative__pk"
                ),
            )
        )
    )
    successor = (
        current_adopted_plan(plan.district_id, excluding=plan)
        if plan.stage == PlanStage.SUPERSEDED
        else None
    )
    return PlanDetail(
        plan=plan,
        issues_by_field=issues_by_field,
        initiatives=details,
        status_counts=status_counts(initiatives),
        reviews=reviews,
        current_plan=successor,
    )


@dataclass(frozen=True)
class PlanSummary:
    plan: Plan | None
    initiatives: list["InitiativeRow"]
    status_counts: list[StatusCount]


@dataclass(frozen=True)
class InitiativeRow:
    """An initiative as the district page's table shows it."""

    pk: int
    title: str
    field: str  # the activity field's label, or ""
    status: str

    def get_status_display(self) -> str:
        return InitiativeStatus(self.status).label


def district_plan_summary(district: District) -> PlanSummary:
    """The district page's plan section: the current public plan, its initiatives' status.

    The initiatives as plain rows: a large plan has dozens, and the page prints four things of
    each."""
    plan = current_plan(district)
    if plan is None:
        return PlanSummary(plan=None, initiatives=[], status_counts=[])
    fields = field_labels()
    initiatives = [
        InitiativeRow(pk=pk, title=title, field=fields.get(code, code or ""), status=status)
        for pk, title, status, code in plan.initiatives.values_list(
            "pk", "title", "status", "field__code"
        )
    ]
    return PlanSummary(plan=plan, initiatives=initiatives, status_counts=status_counts(initiatives))


# Meetings ------------------------------------------------------------------------------------


def published_meetings() -> QuerySet[Meeting]:
    """Published meetings with the district and council a list row names."""
    return Meeting.objects.published().select_related("district", "council")


# What a row of the meeting list shows: the meetings' minutes and the districts' boundaries stay
# in the database.
LIST_FIELDS = (
    "kind",
    "title",
    "starts_at",
    "ends_at",
    "place",
    "admission",
    "district__name",
    "district__name_en",
    "district__name_kana",
)


def search_meetings(
    *, district: District | None = None, kind: str = "", fiscal_year: int | None = None
) -> QuerySet[Meeting]:
    """Published meetings matching the filters, with what a list row shows (any order: take
    upcoming() or past())."""
    meetings = Meeting.objects.published().select_related("district").only(*LIST_FIELDS)
    if district is not None:
        meetings = meetings.filter(district=district)
    if kind:
        meetings = meetings.filter(kind=kind)
    if fiscal_year is not None:
        meetings = meetings.in_fiscal_year(fiscal_year)
    return meetings


# A big city announces thousands of meetings ahead; the list shows the soonest and says when
# there are more (the filters and the calendar feeds reach the rest).
UPCOMING_SHOWN = 30


class UpcomingMeetings(list):
    """The soonest announced meetings; `more` says whether others match too."""

    def __init__(self, meetings, *, more: bool):
        super().__init__(meetings)
        self.more = more


def upcoming_meetings(*, now: dt.datetime | None = None, **filters) -> UpcomingMeetings:
    """Published meetings still to come, soonest first: at most UPCOMING_SHOWN, in one query
    that reads one more to know whether there are others (never a COUNT: in a large city that
    reads every announced meeting)."""
    meetings = list(search_meetings(**filters).upcoming(now)[: UPCOMING_SHOWN + 1])
    return UpcomingMeetings(meetings[:UPCOMING_SHOWN], more=len(meetings) > UPCOMING_SHOWN)


def past_meetings(*, now: dt.datetime | None = None, **filters) -> QuerySet[Meeting]:
    """Published meetings already held, newest first."""
    return search_meetings(**filters).past(now)


PAST_PAGE_SIZE = 20


@dataclass(frozen=True)
class PastMeetingsPage:
    """A page of past meetings, newest first, and where the pages beside it start.

    Pages are reached by a cursor, a meeting's id: a page shows the meetings held after it
    (older, in the list's order). `older_than` is the next page's cursor (None at the oldest);
    `has_newer` says there is a page before, which starts at `newer_than` (None: the first).
    """

    meetings: list[Meeting]
    is_first: bool
    older_than: int | None
    has_newer: bool
    newer_than: int | None


def _after(cursor: int, *, newer: bool) -> Q:
    """Meetings after the cursor meeting in the list's order (newest first), or from it on
    towards the newest. The cursor's start comes from a subquery, so a page stays one query;
    a cursor that is not a published meeting matches nothing."""
    starts_at = Subquery(
        Meeting.objects.published().filter(pk=cursor).order_by().values("starts_at")[:1]
    )
    if newer:
        # The first condition alone bounds the index scan; the second settles equal starts.
        return Q(starts_at__gte=starts_at) & (Q(starts_at__gt=starts_at) | Q(pk__gte=cursor))
    return Q(starts_at__lte=starts_at) & (Q(starts_at__lt=starts_at) | Q(pk__lt=cursor))


def past_meetings_page(
    *, older_than: int | None = None, now: dt.datetime | None = None, **filters
) -> PastMeetingsPage:
    """One page of past meetings matching the filters: the newest, or those after `older_than`.

    Without a COUNT and without OFFSET, so every page costs the same however many meetings the
    city has held: two short index reads (the page, one row more to know whether older ones
    exist; and, after the first page, the ids of the page before).
    """
    past = past_meetings(now=now, **filters)
    if older_than is None:
        meetings = list(past[: PAST_PAGE_SIZE + 1])
        newer = []
    else:
        meetings = list(past.filter(_after(older_than, newer=False))[: PAST_PAGE_SIZE + 1])
        newer = list(
            past.filter(_after(older_than, newer=True))
            .order_by("starts_at", "pk")
            .values_list("pk", flat=True)[: PAST_PAGE_SIZE + 1]
        )
    has_older = len(meetings) > PAST_PAGE_SIZE
    meetings = meetings[:PAST_PAGE_SIZE]
    return PastMeetingsPage(
        meetings=meetings,
        is_first=older_than is None,
        older_than=meetings[-1].pk if has_older else None,
        has_newer=bool(newer),
        # The page before holds the PAST_PAGE_SIZE meetings from the cursor on; it starts after
        # the one beyond them, or is the first page when there is none.
        newer_than=newer[PAST_PAGE_SIZE] if len(newer) > PAST_PAGE_SIZE else None,
    )


def meeting_fiscal_years() -> list[int]:
    """The fiscal years that have published meetings, newest first (the filter's choices)."""
    return sorted(Meeting.objects.published().fiscal_years(), reverse=True)


@dataclass(frozen=True)
class AttachmentLink:
    attachment: MeetingAttachment
    type_label: str
    size: int | None


_TYPE_LABELS = {"application/pdf": "PDF", "image/png": "PNG", "image/jpeg": "JPEG"}


def attachment_link(attachment: MeetingAttachment) -> AttachmentLink:
    """The attachment with its type (checked from the content on upload) and size in bytes."""
    mime, _encoding = mimetypes.guess_type(attachment.file.name)
    try:
        size = attachment.file.size
    except OSError:
        # The record stays readable even when the stored file is missing.
        size = None
    return AttachmentLink(attachment, _TYPE_LABELS.get(mime or "", ""), size)


@dataclass(frozen=True)
class MeetingDetail:
    meeting: Meeting
    attending_groups: list[Organization]
    decisions: list[Decision]
    action_items: list[ActionItem]
    attachments: list[AttachmentLink]
    plan: Plan | None
    initiatives: list[Initiative]

    @property
    def is_upcoming(self) -> bool:
        return self.meeting.is_upcoming


def meeting_for_page(pk: int) -> MeetingDetail:
    """One published meeting with its groups, decisions, actions, attachments and plan links.

    Only published groups and public plans (not drafts) are included.
    """
    meeting = get_object_or_404(
        Meeting.objects.published()
        .select_related("district", "council", "plan")
        .prefetch_related(
            Prefetch(
                "attending_groups",
                queryset=Organization.objects.published().order_by("name_kana", "name"),
            ),
            Prefetch("decisions", queryset=Decision.objects.order_by("order", "pk")),
            Prefetch(
                "action_items",
                queryset=ActionItem.objects.select_related("owner_organization"),
            ),
            "attachments",
            Prefetch(
                "initiatives",
                queryset=Initiative.objects.filter(plan__stage__in=PUBLIC_PLAN_STAGES)
                .select_related("plan")
                .order_by("plan__start_fy", "order", "pk"),
            ),
        ),
        pk=pk,
    )
    plan = meeting.plan if meeting.plan and meeting.plan.stage in PUBLIC_PLAN_STAGES else None
    return MeetingDetail(
        meeting=meeting,
        attending_groups=list(meeting.attending_groups.all()),
        decisions=list(meeting.decisions.all()),
        action_items=list(meeting.action_items.all()),
        attachments=[attachment_link(a) for a in meeting.attachments.all()],
        plan=plan,
        initiatives=list(meeting.initiatives.all()),
    )


@dataclass(frozen=True)
class DistrictMeetings:
    next_meeting: Meeting | None
    latest_record: Meeting | None


def district_meetings(district: District) -> DistrictMeetings:
    """The district page's meetings section: the next published meeting and the latest held."""
    # Only what the two cards show: the district is the page's, the council is not named.
    meetings = (
        Meeting.objects.published()
        .filter(district=district)
        .only(
            "district_id",
            "kind",
            "title",
            "starts_at",
            "ends_at",
            "place",
            "place_address",
            "admission",
            "minutes",
        )
    )
    next_meeting = meetings.upcoming().first()
    if next_meeting is not None:
        next_meeting.district = district  # its address may be the hub's: no query for it
    return DistrictMeetings(
        next_meeting=next_meeting,
        # The latest meeting whose minutes are out: a meeting just held has none yet.
        latest_record=meetings.past().exclude(minutes="").first(),
    )
