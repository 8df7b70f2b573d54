"""Meetings and plans in the site search.

Meetings: published ones, by title, agenda, minutes and place, newest first. Plans: those
residents see (PUBLIC_PLAN_STAGES), by title, vision, issues and initiatives.
"""

from django.db.models import Prefetch
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.search import Document, Feed, Kind, register

from .models import Initiative, Meeting, Plan, PlanIssue


def meeting_documents(ids=None):
    meetings = (
        Meeting.objects.published()
        .order_by("pk")
        .select_related("district")
        .only(
            "pk",
            "title",
            "agenda",
            "minutes",
            "place",
            "starts_at",
            "district__id",
            "district__name",
        )
    )
    if ids is not None:
        meetings = meetings.filter(pk__in=ids)
    for meeting in meetings.iterator(chunk_size=1000):
        yield Document(
            object_id=meeting.pk,
            title=meeting.title,
            url=reverse("meeting_detail", kwargs={"pk": meeting.pk}),
            body="\n".join(part for part in (meeting.agenda, meeting.minutes) if part),
            context=meeting.district.name,
            district_ids=(meeting.district_id,),
            sorted_at=meeting.starts_at,
            extra=meeting.place,
        )


def plan_documents(ids=None):
    plans = (
        Plan.objects.public()
        .order_by("pk")
        .select_related("district")
        .prefetch_related(
            Prefetch("issues", queryset=PlanIssue.objects.order_by("pk")),
            Prefetch("initiatives", queryset=Initiative.objects.order_by("pk")),
        )
    )
    if ids is not None:
        plans = plans.filter(pk__in=ids)
    for plan in plans.iterator(chunk_size=200):
        parts = [plan.vision]
        for item in [*plan.issues.all(), *plan.initiatives.all()]:
            parts += [item.title, item.description]
        yield Document(
            object_id=plan.pk,
            title=plan.title,
            url=reverse("plan_detail", kwargs={"pk": plan.pk}),
            body="\n".join(part for part in parts if part),
            context=plan.district.name,
            district_ids=(plan.district_id,),
            fiscal_year=plan.start_fy,
            reading=plan.district.name_kana,
        )


def register_kinds():
    register(
        Kind(
            key="meeting",
            label=_("Meetings"),
            documents=meeting_documents,
            order="-sorted_at",
            feeds=(
                Feed("plans.Meeting", "SELECT {row}.id AS object_id"),
                Feed(
                    "districts.District",
                    "SELECT id AS object_id FROM plans_meeting WHERE district_id = {row}.id",
                ),
            ),
        )
    )
    register(
        Kind(
            key="plan",
            label=_("Plans"),
            documents=plan_documents,
            feeds=(
                Feed("plans.Plan", "SELECT {row}.id AS object_id"),
                Feed("plans.PlanIssue", "SELECT {row}.plan_id AS object_id"),
                Feed("plans.Initiative", "SELECT {row}.plan_id AS object_id"),
                Feed(
                    "districts.District",
                    "SELECT id AS object_id FROM plans_plan WHERE district_id = {row}.id",
                ),
            ),
        )
    )
