"""factory-boy factories for plans and meetings.

Plans default to an adopted plan for 2024–2028年度 in a new district; ``PlanFactory(draft=True)``,
``(discussion=True)`` or ``(superseded=True)`` give the other stages. Meetings default to a
published meeting held 30 days ago (a record with minutes); ``MeetingFactory(upcoming=True)`` is
an announcement 30 days ahead and ``(unpublished=True)`` hides it from residents.
``MeetingAttachmentFactory`` and ``PlanFactory(with_document=True)`` write a file: use them with
``settings.MEDIA_ROOT`` pointed at ``tmp_path``.
"""

import datetime as dt
from decimal import Decimal

import factory
from django.utils import timezone

from organizations.models import FieldCode
from plans.models import (
    ActionItem,
    ActionStatus,
    Admission,
    Decision,
    Direction,
    Indicator,
    IndicatorResult,
    Initiative,
    InitiativeStatus,
    IssueSource,
    Meeting,
    MeetingAttachment,
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
from tests.factories import DistrictFactory, FieldFactory, OrganizationFactory

# The smallest file the upload check accepts as a PDF.
PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def at_two_pm(days_from_today: int) -> dt.datetime:
    """14:00 Asia/Tokyo, `days_from_today` days from today (negative: in the past)."""
    day = timezone.localdate() + dt.timedelta(days=days_from_today)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(14, 0)))


# Plans -------------------------------------------------------------------------------------


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Plan

    district = factory.SubFactory(DistrictFactory)
    title = factory.Sequence(lambda n: f"第{n + 1}期 地域づくり計画")
    start_fy = 2024
    end_fy = 2028
    vision = "みんなで支え合い、子どもからお年寄りまで安心して暮らせるまち"
    stage = PlanStage.ADOPTED
    adopted_on = factory.LazyAttribute(
        lambda plan: (
            dt.date(plan.start_fy, 3, 15)
            if plan.stage in (PlanStage.ADOPTED, PlanStage.SUPERSEDED)
            else None
        )
    )

    class Params:
        draft = factory.Trait(stage=PlanStage.DRAFT)
        discussion = factory.Trait(stage=PlanStage.DISCUSSION)
        superseded = factory.Trait(stage=PlanStage.SUPERSEDED)
        with_document = factory.Trait(
            document=factory.django.FileField(data=PDF, filename="plan.pdf")
        )


class PlanIssueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PlanIssue

    plan = factory.SubFactory(PlanFactory)
    field = factory.SubFactory(FieldFactory, code=FieldCode.DISASTER)
    title = factory.Sequence(lambda n: f"地域課題{n}")
    description = "避難所の運営を担う人が足りない。"
    source = IssueSource.SURVEY
    source_note = "令和5年度住民アンケート"
    order = factory.Sequence(lambda n: n % 30000)


class InitiativeFactory(factory.django.DjangoModelFactory):
    """An initiative running through its plan's years; ``issues=[...]`` links what it answers."""

    class Meta:
        model = Initiative
        skip_postgeneration_save = True

    plan = factory.SubFactory(PlanFactory)
    title = factory.Sequence(lambda n: f"取組{n}")
    description = "年2回の防災訓練を自治会と学校が一緒に行う。"
    field = factory.SubFactory(FieldFactory, code=FieldCode.DISASTER)
    start_fy = factory.SelfAttribute("plan.start_fy")
    end_fy = factory.SelfAttribute("plan.end_fy")
    status = InitiativeStatus.IN_PROGRESS
    order = factory.Sequence(lambda n: n % 30000)

    @factory.post_generation
    def issues(self, create, extracted, **kwargs):
        if create and extracted:
            self.issues.add(*extracted)


class RoleAssignmentFactory(factory.django.DjangoModelFactory):
    """A group leading an initiative (共助); traits ``council=True`` and ``city=True``."""

    class Meta:
        model = RoleAssignment

    initiative = factory.SubFactory(InitiativeFactory)
    party = RoleParty.GROUP
    organization = factory.SubFactory(OrganizationFactory)
    department = ""
    role = RoleKind.LEAD
    sector = Sector.MUTUAL
    description = "訓練の企画と呼びかけ"

    class Params:
        council = factory.Trait(party=RoleParty.COUNCIL, organization=None)
        city = factory.Trait(
            party=RoleParty.CITY,
            organization=None,
            department="危機管理課",
            role=RoleKind.SUPPORT,
            sector=Sector.PUBLIC,
        )


class IndicatorFactory(factory.django.DjangoModelFactory):
    """Higher is better from 100 to 150 by the plan's last year; ``lower=True`` for 20 → 10."""

    class Meta:
        model = Indicator

    initiative = factory.SubFactory(InitiativeFactory)
    name = factory.Sequence(lambda n: f"防災訓練の参加者数{n}")
    unit = "人"
    baseline_value = Decimal(100)
    baseline_fy = factory.LazyAttribute(lambda indicator: indicator.initiative.plan.start_fy - 1)
    target_value = Decimal(150)
    target_fy = factory.SelfAttribute("initiative.plan.end_fy")
    direction = Direction.HIGHER
    order = factory.Sequence(lambda n: n % 30000)

    class Params:
        lower = factory.Trait(
            name=factory.Sequence(lambda n: f"空き家の数{n}"),
            unit="件",
            direction=Direction.LOWER,
            baseline_value=Decimal(20),
            target_value=Decimal(10),
        )


class IndicatorResultFactory(factory.django.DjangoModelFactory):
    """A result for the plan's first year unless ``fiscal_year`` is given."""

    class Meta:
        model = IndicatorResult

    indicator = factory.SubFactory(IndicatorFactory)
    fiscal_year = factory.SelfAttribute("indicator.initiative.plan.start_fy")
    actual_value = Decimal(120)
    note = ""


class ReviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Review

    plan = factory.SubFactory(PlanFactory)
    fiscal_year = factory.SelfAttribute("plan.start_fy")
    summary = "防災訓練の参加者が増えた。見守り活動の担い手が不足している。"
    next_steps = "若い世代に向けた呼びかけを学校と一緒に行う。"


class ReviewRatingFactory(factory.django.DjangoModelFactory):
    """A rating of an initiative of the review's own plan."""

    class Meta:
        model = ReviewRating

    review = factory.SubFactory(ReviewFactory)
    initiative = factory.SubFactory(InitiativeFactory, plan=factory.SelfAttribute("..review.plan"))
    rating = Rating.B
    reason = "参加者は増えたが目標にはまだ届かない。"


# Meetings ----------------------------------------------------------------------------------


class MeetingFactory(factory.django.DjangoModelFactory):
    """A published record of a meeting 30 days ago; ``attending_groups``/``initiatives`` lists."""

    class Meta:
        model = Meeting
        skip_postgeneration_save = True

    district = factory.SubFactory(DistrictFactory)
    council = factory.LazyAttribute(lambda meeting: meeting.district.council_or_none)
    kind = MeetingKind.GENERAL
    title = factory.Sequence(lambda n: f"まちづくり協議会 第{n + 1}回会議")
    starts_at = factory.LazyFunction(lambda: at_two_pm(-30))
    ends_at = factory.LazyAttribute(lambda meeting: meeting.starts_at + dt.timedelta(hours=2))
    place = "みどり公民館 大会議室"
    admission = Admission.MEMBERS
    attendance = 24
    agenda = "1. 防災訓練について\n2. 夏祭りについて"
    minutes = "防災訓練の日程を話し合った。\n夏祭りの担当を決めた。"
    plan = None
    is_published = True

    class Params:
        upcoming = factory.Trait(
            starts_at=factory.LazyFunction(lambda: at_two_pm(30)), attendance=None, minutes=""
        )
        unpublished = factory.Trait(is_published=False)

    @factory.post_generation
    def attending_groups(self, create, extracted, **kwargs):
        if create and extracted:
            self.attending_groups.add(*extracted)

    @factory.post_generation
    def initiatives(self, create, extracted, **kwargs):
        if create and extracted:
            self.initiatives.add(*extracted)


class DecisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Decision

    meeting = factory.SubFactory(MeetingFactory)
    text = factory.Sequence(lambda n: f"決定事項{n}：防災訓練を10月に行う。")
    order = factory.Sequence(lambda n: n % 30000)


class ActionItemFactory(factory.django.DjangoModelFactory):
    """Owned by a named role; pass ``owner_organization`` for a group."""

    class Meta:
        model = ActionItem

    meeting = factory.SubFactory(MeetingFactory)
    what = factory.Sequence(lambda n: f"案内チラシを作る{n}")
    owner_organization = None
    owner_role = "事務局"
    due_on = factory.LazyAttribute(lambda item: item.meeting.starts_at.date() + dt.timedelta(30))
    status = ActionStatus.OPEN


class MeetingAttachmentFactory(factory.django.DjangoModelFactory):
    """A small PDF; ``image=True`` for a PNG. Writes to MEDIA_ROOT."""

    class Meta:
        model = MeetingAttachment

    meeting = factory.SubFactory(MeetingFactory)
    title = factory.Sequence(lambda n: f"会議資料{n}")
    file = factory.django.FileField(data=PDF, filename="shiryo.pdf")

    class Params:
        image = factory.Trait(file=factory.django.FileField(data=PNG, filename="photo.png"))
