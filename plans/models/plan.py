"""The district plan: issues, initiatives with roles and indicators, yearly results and reviews."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.dates import format_fiscal_year
from core.fields import FiscalYearField
from core.uploads import RandomName, UploadField, validate_pdf_document
from districts.models import District
from organizations.models import Field, Organization


class PlanStage(models.TextChoices):
    DRAFT = "draft", _("Draft")
    DISCUSSION = "discussion", _("Under discussion")
    ADOPTED = "adopted", _("Adopted")
    SUPERSEDED = "superseded", _("Superseded")


PUBLIC_PLAN_STAGES = (PlanStage.DISCUSSION, PlanStage.ADOPTED, PlanStage.SUPERSEDED)


class PlanQuerySet(models.QuerySet):
    def public(self):
        """Plans residents may see: everything but drafts."""
        return self.filter(stage__in=PUBLIC_PLAN_STAGES)

    def covering(self, fiscal_year: int):
        return self.filter(start_fy__lte=fiscal_year, end_fy__gte=fiscal_year)


class Plan(models.Model):
    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="plans", verbose_name=_("district")
    )
    title = models.CharField(_("title"), max_length=200)
    start_fy = FiscalYearField(_("first fiscal year"))
    end_fy = FiscalYearField(_("last fiscal year"))
    vision = models.TextField(_("future vision"), blank=True)
    stage = models.CharField(
        _("stage"), max_length=20, choices=PlanStage.choices, default=PlanStage.DRAFT
    )
    adopted_on = models.DateField(_("date adopted"), null=True, blank=True)
    document = UploadField(
        _("plan document (PDF)"),
        upload_to=RandomName("plans/documents"),
        blank=True,
        validators=[validate_pdf_document],
        help_text=_("A PDF of 10 MB or less."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = PlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("district plan")
        verbose_name_plural = _("district plans")
        ordering = ["district", "-start_fy"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_fy__gte=F("start_fy")),
                name="plan_end_not_before_start",
                violation_error_message=_("The last fiscal year cannot be before the first."),
            ),
            models.CheckConstraint(
                condition=~Q(stage="adopted") | Q(adopted_on__isnull=False),
                name="plan_adopted_has_date",
                violation_error_message=_("An adopted plan needs its date adopted."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title}（{self.span_label}）"

    def save(self, *args, **kwargs):
        with transaction.atomic():
            if self.stage == PlanStage.ADOPTED and self.district_id:
                # Two adoptions at once: the district row is the lock both must take.
                District.objects.select_for_update().filter(pk=self.district_id).first()
                self.refuse_overlapping_adoption()
            super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("plan_detail", kwargs={"pk": self.pk})

    @property
    def span_label(self) -> str:
        if self.start_fy is None or self.end_fy is None:
            return ""
        return f"{format_fiscal_year(self.start_fy)}〜{format_fiscal_year(self.end_fy)}"

    @property
    def fiscal_years(self) -> range:
        return range(self.start_fy, self.end_fy + 1)

    def covers(self, fiscal_year: int) -> bool:
        return self.start_fy <= fiscal_year <= self.end_fy

    def refuse_overlapping_adoption(self) -> None:
        """Only one adopted plan of a district may cover a fiscal year."""
        if self.stage != PlanStage.ADOPTED or None in (self.start_fy, self.end_fy):
            return
        clash = (
            Plan.objects.filter(district_id=self.district_id, stage=PlanStage.ADOPTED)
            .filter(start_fy__lte=self.end_fy, end_fy__gte=self.start_fy)
            .exclude(pk=self.pk)
            .first()
        )
        if clash is not None:
            raise ValidationError(
                _("%(plan)s is already adopted for part of these years. Supersede it first."),
                code="overlapping_adopted_plan",
                params={"plan": clash},
            )

    def clean(self):
        years_known = self.start_fy is not None and self.end_fy is not None
        if self.district_id and years_known and self.end_fy >= self.start_fy:
            self.refuse_overlapping_adoption()


def plan_of(row) -> Plan | None:
    """The plan a row belongs to, for its clean(); under a new plan in an admin inline the
    plan is set but has no id yet, so the cached object is used before the database."""
    cached = row._state.fields_cache.get("plan")
    if cached is not None:
        return cached
    return Plan.objects.filter(pk=row.plan_id).first() if row.plan_id else None


def refuse_year_outside(plan: Plan | None, fiscal_year: int | None, *, code: str) -> None:
    """A result or review names a fiscal year inside its plan's span."""
    if plan is None or fiscal_year is None or plan.covers(fiscal_year):
        return
    raise ValidationError(
        {
            "fiscal_year": ValidationError(
                _("Enter a fiscal year within the plan (%(span)s)."),
                code=code,
                params={"span": plan.span_label},
            )
        }
    )


class IssueSource(models.TextChoices):
    MEETING = "meeting", _("A meeting")
    SURVEY = "survey", _("A survey")
    WORKSHOP = "workshop", _("A workshop")
    OTHER = "other", _("Other")


class PlanIssue(models.Model):
    """A problem the district named (地域課題)."""

    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="issues", verbose_name=_("plan")
    )
    field = models.ForeignKey(
        Field, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("activity field")
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("details"), blank=True)
    source = models.CharField(
        _("where it came from"), max_length=20, choices=IssueSource.choices, blank=True
    )
    source_meeting = models.ForeignKey(
        "plans.Meeting",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="raised_issues",
        verbose_name=_("meeting it came from"),
    )
    source_note = models.CharField(
        _("source detail"),
        max_length=200,
        blank=True,
        help_text=_("For example 「令和6年度住民アンケート」."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("district issue")
        verbose_name_plural = _("district issues")
        ordering = ["plan", "order", "pk"]

    def __str__(self) -> str:
        return self.title

    def clean(self):
        plan = plan_of(self)
        if plan is None or not self.source_meeting_id or not plan.district_id:
            return
        if self.source_meeting.district_id != plan.district_id:
            raise ValidationError(
                {"source_meeting": _("Choose a meeting of the plan's district.")},
                code="meeting_of_another_district",
            )


class InitiativeStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    PAUSED = "paused", _("Paused")


class Initiative(models.Model):
    """Something the plan will do (取組・事業)."""

    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="initiatives", verbose_name=_("plan")
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("details"), blank=True)
    field = models.ForeignKey(
        Field, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("activity field")
    )
    issues = models.ManyToManyField(
        PlanIssue, blank=True, related_name="initiatives", verbose_name=_("issues it answers")
    )
    start_fy = FiscalYearField(_("first fiscal year"))
    end_fy = FiscalYearField(_("last fiscal year"))
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=InitiativeStatus.choices,
        default=InitiativeStatus.PLANNED,
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("initiative")
        verbose_name_plural = _("initiatives")
        ordering = ["plan", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_fy__gte=F("start_fy")),
                name="initiative_end_not_before_start",
                violation_error_message=_("The last fiscal year cannot be before the first."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self):
        plan = plan_of(self)
        if plan is None or None in (self.start_fy, self.end_fy, plan.start_fy, plan.end_fy):
            return
        if not (plan.covers(self.start_fy) and plan.covers(self.end_fy)):
            raise ValidationError(
                _("An initiative runs within its plan's years (%(span)s)."),
                code="initiative_outside_plan",
                params={"span": plan.span_label},
            )


class RoleParty(models.TextChoices):
    GROUP = "group", _("A group")
    COUNCIL = "council", _("The council")
    CITY = "city", _("A city department")


class RoleKind(models.TextChoices):
    LEAD = "lead", _("Leads")
    SUPPORT = "support", _("Supports")


class Sector(models.TextChoices):
    """自助・共助・公助: residents themselves, the community together, the public sector."""

    SELF = "self", _("Self-help")
    MUTUAL = "mutual", _("Mutual help")
    PUBLIC = "public", _("Public help")


class RoleAssignment(models.Model):
    """Who leads or supports an initiative (役割分担)."""

    initiative = models.ForeignKey(
        Initiative, on_delete=models.CASCADE, related_name="roles", verbose_name=_("initiative")
    )
    party = models.CharField(_("who"), max_length=20, choices=RoleParty.choices)
    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="plan_roles",
        verbose_name=_("group"),
    )
    department = models.CharField(
        _("city department"), max_length=100, blank=True, help_text=_("For example 「危機管理課」.")
    )
    role = models.CharField(_("role"), max_length=20, choices=RoleKind.choices)
    sector = models.CharField(
        _("self, mutual or public help"), max_length=20, choices=Sector.choices
    )
    description = models.CharField(_("what they do"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        ordering = ["initiative", "role", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(party="group") & Q(organization__isnull=False) & Q(department=""))
                | (Q(party="council") & Q(organization__isnull=True) & Q(department=""))
                | (Q(party="city") & Q(organization__isnull=True) & ~Q(department="")),
                name="role_party_matches_details",
                violation_error_message=_(
                    "Choose the group for a group's role, the department's name for the city's, "
                    "and neither for the council's."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.party_name}（{self.get_role_display()}）"

    @property
    def party_name(self) -> str:
        if self.party == RoleParty.GROUP and self.organization_id:
            return self.organization.name
        if self.party == RoleParty.CITY:
            return self.department
        return str(RoleParty.COUNCIL.label)


class Direction(models.TextChoices):
    HIGHER = "higher", _("Higher is better")
    LOWER = "lower", _("Lower is better")


class Indicator(models.Model):
    """A measurable target of an initiative (指標)."""

    initiative = models.ForeignKey(
        Initiative,
        on_delete=models.CASCADE,
        related_name="indicators",
        verbose_name=_("initiative"),
    )
    name = models.CharField(_("name"), max_length=200)
    unit = models.CharField(_("unit"), max_length=20, help_text=_("For example 人, 回, %."))
    baseline_value = models.DecimalField(_("baseline"), max_digits=12, decimal_places=2)
    baseline_fy = FiscalYearField(_("baseline fiscal year"))
    target_value = models.DecimalField(_("target"), max_digits=12, decimal_places=2)
    target_fy = FiscalYearField(_("target fiscal year"))
    direction = models.CharField(
        _("direction"), max_length=10, choices=Direction.choices, default=Direction.HIGHER
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["initiative", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(target_fy__gte=F("baseline_fy")),
                name="indicator_target_not_before_baseline",
                violation_error_message=_("The target year cannot be before the baseline year."),
            ),
            models.CheckConstraint(
                condition=Q(direction="higher", target_value__gte=F("baseline_value"))
                | Q(direction="lower", target_value__lte=F("baseline_value")),
                name="indicator_target_in_its_direction",
                violation_error_message=_(
                    "The target must not be worse than the baseline in the indicator's direction."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def progress(self, actual: Decimal | None) -> Decimal | None:
        """How far from baseline to target a value is, in percent (0 = baseline, 100 = target).

        Computed, never typed. Below 0 means worse than the baseline; above 100, beyond the
        target. A target equal to the baseline (keep the level) counts as 100 when kept.
        """
        if actual is None:
            return None
        span = self.target_value - self.baseline_value
        if span == 0:
            kept = (
                actual >= self.target_value
                if self.direction == Direction.HIGHER
                else (actual <= self.target_value)
            )
            return Decimal(100) if kept else Decimal(0)
        return ((actual - self.baseline_value) * 100 / span).quantize(Decimal("0.1"))

    def achieved(self, actual: Decimal | None) -> bool:
        if actual is None:
            return False
        if self.direction == Direction.HIGHER:
            return actual >= self.target_value
        return actual <= self.target_value


class IndicatorResult(models.Model):
    """An indicator's actual value for one fiscal year (実績)."""

    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="results", verbose_name=_("indicator")
    )
    fiscal_year = FiscalYearField(_("fiscal year"))
    actual_value = models.DecimalField(_("actual value"), max_digits=12, decimal_places=2)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("indicator result")
        verbose_name_plural = _("indicator results")
        ordering = ["indicator", "fiscal_year"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "fiscal_year"],
                name="indicator_result_one_per_year",
                violation_error_message=_("This indicator already has a result for that year."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} {self.fiscal_year}"

    def clean(self):
        if not self.indicator_id:
            return
        plan = Plan.objects.filter(initiatives__indicators=self.indicator_id).first()
        refuse_year_outside(plan, self.fiscal_year, code="result_outside_plan")


class Review(models.Model):
    """The council's yearly look back on the plan (評価)."""

    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="reviews", verbose_name=_("plan")
    )
    fiscal_year = FiscalYearField(_("fiscal year"))
    summary = models.TextField(_("summary"))
    next_steps = models.TextField(_("next steps"), blank=True)

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        ordering = ["plan", "-fiscal_year"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "fiscal_year"],
                name="review_one_per_plan_and_year",
                violation_error_message=_("This plan already has a review for that year."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.plan.title} {format_fiscal_year(self.fiscal_year)}"

    def clean(self):
        refuse_year_outside(plan_of(self), self.fiscal_year, code="review_outside_plan")


class Rating(models.TextChoices):
    A = "A", _("A: going well")
    B = "B", _("B: mostly on track")
    C = "C", _("C: behind")
    D = "D", _("D: not started or stopped")


class ReviewRating(models.Model):
    review = models.ForeignKey(
        Review, on_delete=models.CASCADE, related_name="ratings", verbose_name=_("review")
    )
    initiative = models.ForeignKey(
        Initiative, on_delete=models.CASCADE, related_name="ratings", verbose_name=_("initiative")
    )
    rating = models.CharField(_("rating"), max_length=1, choices=Rating.choices)
    reason = models.TextField(_("reason"))

    class Meta:
        verbose_name = _("initiative rating")
        verbose_name_plural = _("initiative ratings")
        ordering = ["review", "initiative__order", "initiative__pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["review", "initiative"],
                name="rating_one_per_initiative",
                violation_error_message=_("This initiative is already rated in this review."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.initiative} {self.rating}"

    def clean(self):
        if not (self.review_id and self.initiative_id):
            return
        if self.initiative.plan_id != Review.objects.get(pk=self.review_id).plan_id:
            raise ValidationError(
                {"initiative": _("Choose an initiative of the reviewed plan.")},
                code="initiative_of_another_plan",
            )
