"""The consolidated grant (一括交付金): the program, its yearly rules and the allocations."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from core.append_only import AppendOnlyModel
from core.dates import format_fiscal_year
from core.english import LocalName, local_name
from core.fields import FiscalYearField
from districts.models import District


class Program(models.Model):
    """The grant scheme and the subsidies it replaced."""

    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(
        _("English name"),
        max_length=200,
        blank=True,
        help_text=_(
            "Optional. Shown on English pages, for example “Consolidated Community Grant”."
        ),
    )
    purpose = models.TextField(_("purpose"), blank=True)

    class Meta:
        verbose_name = _("grant program")
        verbose_name_plural = _("grant programs")

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> LocalName:
        """The name in the language of the page (core.english)."""
        return local_name(self)


class LegacySubsidy(models.Model):
    """A former stand-alone subsidy folded into the grant, so residents see what was merged."""

    program = models.ForeignKey(
        Program,
        on_delete=models.CASCADE,
        related_name="legacy_subsidies",
        verbose_name=_("program"),
    )
    name = models.CharField(_("name"), max_length=200)
    former_department = models.CharField(_("former department"), max_length=100)
    former_yearly_amount = models.PositiveBigIntegerField(_("former yearly amount (yen)"))
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("replaced subsidy")
        verbose_name_plural = _("replaced subsidies")
        ordering = ["program", "order", "pk"]

    def __str__(self) -> str:
        return self.name


class Rounding(models.TextChoices):
    DOWN = "down", _("Round down")
    HALF_UP = "half_up", _("Round half up")
    UP = "up", _("Round up")


class RefundHandling(models.TextChoices):
    RETURN = "return", _("Paid back to the city")
    OFFSET = "offset", _("Offset against next year's grant")


class ProgramYear(models.Model):
    """The program's rules and budget for one fiscal year."""

    program = models.ForeignKey(
        Program, on_delete=models.PROTECT, related_name="years", verbose_name=_("program")
    )
    fiscal_year = FiscalYearField(_("fiscal year"))
    budget = models.PositiveBigIntegerField(_("budget (yen)"))
    rounding_unit = models.PositiveIntegerField(
        _("rounding unit (yen)"),
        default=1000,
        help_text=_("Each district's amount is rounded to a multiple of this: 1000 for 千円単位."),
    )
    rounding = models.CharField(
        _("rounding"), max_length=10, choices=Rounding.choices, default=Rounding.DOWN
    )
    cap_per_district = models.PositiveBigIntegerField(
        _("cap per district (yen)"), null=True, blank=True
    )
    advance_ratio_percent = models.PositiveSmallIntegerField(
        _("advance payment ratio (%)"), default=50, validators=[MaxValueValidator(100)]
    )
    application_opens_on = models.DateField(_("applications open"))
    application_closes_on = models.DateField(_("applications close"))
    report_due_on = models.DateField(_("reports due"))
    refund_handling = models.CharField(
        _("unspent money"),
        max_length=10,
        choices=RefundHandling.choices,
        default=RefundHandling.RETURN,
    )
    remind_after_days = models.PositiveSmallIntegerField(
        _("remind after (days)"),
        default=14,
        validators=[MinValueValidator(1), MaxValueValidator(90)],
        help_text=_(
            "A correction the council owes or a review the city owes is due this many days after "
            "it began: the to-do lists show the date, and whoever must act is reminded by e-mail "
            "once it has passed."
        ),
    )

    class Meta:
        verbose_name = _("program year")
        verbose_name_plural = _("program years")
        ordering = ["program", "-fiscal_year"]
        # Lists ordered by program year (allocations) or newest year first (applications) join
        # the few program years in this order instead of sorting every row.
        indexes = [
            models.Index(fields=["program", "-fiscal_year"], name="program_year_order_idx"),
            models.Index(fields=["fiscal_year"], name="program_year_fiscal_year_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "fiscal_year"],
                name="program_year_once",
                violation_error_message=_("The program already has this fiscal year."),
            ),
            models.CheckConstraint(
                condition=Q(application_closes_on__gte=F("application_opens_on")),
                name="program_year_window_in_order",
                violation_error_message=_("Applications cannot close before they open."),
            ),
            models.CheckConstraint(
                condition=Q(rounding_unit__gte=1),
                name="program_year_rounding_unit_positive",
                violation_error_message=_("The rounding unit is at least 1 yen."),
            ),
            models.CheckConstraint(
                condition=Q(advance_ratio_percent__lte=100),
                name="program_year_advance_ratio_at_most_100",
            ),
            models.CheckConstraint(
                condition=Q(remind_after_days__gte=1, remind_after_days__lte=90),
                name="program_year_remind_after_1_to_90_days",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.program} {format_fiscal_year(self.fiscal_year)}"


class ComponentKind(models.TextChoices):
    """The shapes of formula published in city rules (DESIGN.md section 5)."""

    FIXED = "fixed", _("Fixed amount per district")
    POOL_EQUAL = "pool_equal", _("Share of a pool split equally")
    PER_RESIDENT = "per_resident", _("Rate per resident")
    PER_HOUSEHOLD = "per_household", _("Rate per household")
    PER_AGED_65 = "per_aged_65", _("Rate per resident aged 65 and over")
    POOL_POPULATION = "pool_population", _("Share of a pool by population")
    PER_UNIT = "per_unit", _("Addition at a rate per unit counted in each district")


POOL_KINDS = (ComponentKind.POOL_EQUAL, ComponentKind.POOL_POPULATION)


class FormulaComponent(models.Model):
    """One term of a year's allocation formula; the allocation is the sum of its terms."""

    program_year = models.ForeignKey(
        ProgramYear, on_delete=models.CASCADE, related_name="components", verbose_name=_("year")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ComponentKind.choices)
    label = models.CharField(
        _("label"),
        max_length=100,
        help_text=_("As residents will read it: 「均等割」「防犯灯加算」."),
    )
    label_en = models.CharField(
        _("English label"),
        max_length=100,
        blank=True,
        help_text=_("Optional. Shown on English pages, for example “Street light addition”."),
    )
    rate = models.PositiveBigIntegerField(
        _("amount or rate (yen)"),
        null=True,
        blank=True,
        help_text=_("Yen per district, per resident, per household or per unit."),
    )
    pool = models.PositiveBigIntegerField(
        _("pool (yen)"), null=True, blank=True, help_text=_("For the two pool shares.")
    )
    unit_name = models.CharField(
        _("unit"),
        max_length=50,
        blank=True,
        help_text=_("For per-unit additions: 「防犯灯」「70歳以上」."),
    )
    unit_name_en = models.CharField(
        _("English unit"),
        max_length=50,
        blank=True,
        help_text=_("Optional. Shown on English pages, for example “street lights”."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("formula component")
        verbose_name_plural = _("formula components")
        ordering = ["program_year", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind__in=POOL_KINDS) & Q(pool__isnull=False) & Q(rate__isnull=True))
                | (~Q(kind__in=POOL_KINDS) & Q(pool__isnull=True) & Q(rate__isnull=False)),
                name="component_pool_or_rate",
                violation_error_message=_(
                    "Give a pool for the pool shares and an amount or rate for the others."
                ),
            ),
            models.CheckConstraint(
                condition=Q(kind="per_unit") ^ Q(unit_name=""),
                name="component_unit_named_for_per_unit",
                violation_error_message=_("Name the unit for a per-unit addition, and only then."),
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def display_label(self) -> LocalName:
        """The label in the language of the page (core.english)."""
        return local_name(self, name="label", english="label_en")

    @property
    def display_unit(self) -> LocalName:
        """The unit in the language of the page (core.english)."""
        return local_name(self, name="unit_name", english="unit_name_en")


class UnitCount(models.Model):
    """How many units (street lights, residents aged 70+ …) a district has for an addition."""

    component = models.ForeignKey(
        FormulaComponent,
        on_delete=models.CASCADE,
        related_name="unit_counts",
        verbose_name=_("formula component"),
    )
    district = models.ForeignKey(District, on_delete=models.CASCADE, verbose_name=_("district"))
    count = models.PositiveIntegerField(_("count"))

    class Meta:
        verbose_name = _("unit count")
        verbose_name_plural = _("unit counts")
        constraints = [
            models.UniqueConstraint(
                fields=["component", "district"],
                name="unit_count_once",
                violation_error_message=_("This district already has a count for this item."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.district} {self.component} {self.count}"


class Allocation(models.Model):
    """How much one district may receive in a year (交付限度額), computed from the formula."""

    program_year = models.ForeignKey(
        ProgramYear, on_delete=models.PROTECT, related_name="allocations", verbose_name=_("year")
    )
    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="allocations", verbose_name=_("district")
    )
    counts_as_of = models.DateField(_("counts as of"))
    population = models.PositiveIntegerField(_("population"))
    households = models.PositiveIntegerField(_("households"))
    computed_amount = models.PositiveBigIntegerField(_("computed amount (yen)"))
    adjustment = models.BigIntegerField(_("adjustment (yen)"), default=0)
    adjustment_reason = models.TextField(_("reason for the adjustment"), blank=True)
    amount = models.GeneratedField(
        expression=F("computed_amount") + F("adjustment"),
        output_field=models.BigIntegerField(),
        db_persist=True,
        verbose_name=_("allocation (yen)"),
    )
    computed_at = models.DateTimeField(_("computed"), auto_now=True)

    class Meta:
        verbose_name = _("allocation")
        verbose_name_plural = _("allocations")
        ordering = ["program_year", "district__name_kana"]
        constraints = [
            models.UniqueConstraint(
                fields=["program_year", "district"],
                name="allocation_once_per_district_and_year",
            ),
            models.CheckConstraint(
                condition=Q(adjustment=0) | ~Q(adjustment_reason=""),
                name="allocation_adjustment_has_reason",
                violation_error_message=_("Record the reason for the adjustment."),
            ),
            models.CheckConstraint(
                condition=Q(computed_amount__gte=-F("adjustment")),
                name="allocation_not_negative",
                violation_error_message=_("An adjustment cannot make the allocation negative."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.district} {self.program_year}"


class AllocationComponent(models.Model):
    """One term of a district's allocation, kept so the breakdown can be shown."""

    allocation = models.ForeignKey(
        Allocation,
        on_delete=models.CASCADE,
        related_name="components",
        verbose_name=_("allocation"),
    )
    component = models.ForeignKey(
        FormulaComponent, on_delete=models.PROTECT, verbose_name=_("formula component")
    )
    quantity = models.PositiveIntegerField(
        _("quantity"), help_text=_("Residents, households, units or districts it was counted on.")
    )
    amount = models.PositiveBigIntegerField(_("amount (yen)"))

    class Meta:
        verbose_name = _("allocation component")
        verbose_name_plural = _("allocation components")
        ordering = ["allocation", "component__order", "component__pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["allocation", "component"], name="allocation_component_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.component}: {self.amount}"


class ExpenseCategory(models.Model):
    """An expense category (費目) of a year's budgets, eligible for the grant or not."""

    program_year = models.ForeignKey(
        ProgramYear,
        on_delete=models.CASCADE,
        related_name="expense_categories",
        verbose_name=_("year"),
    )
    name = models.CharField(_("name"), max_length=50, help_text=_("報償費, 消耗品費 …"))
    eligible = models.BooleanField(_("eligible for the grant"), default=True)
    note = models.CharField(
        _("note"),
        max_length=200,
        blank=True,
        help_text=_("What the category covers, or why it is not eligible."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("expense category")
        verbose_name_plural = _("expense categories")
        ordering = ["program_year", "order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["program_year", "name"],
                name="expense_category_once_per_year",
                violation_error_message=_("This year already has a category of that name."),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class YearEventAction(models.TextChoices):
    ADDED = "added", _("Added")
    CHANGED = "changed", _("Changed")
    DELETED = "deleted", _("Deleted")


class ProgramYearEvent(AppendOnlyModel):
    """One change to a year's rules, formula or expense categories: who, when, what from → to.

    Written by subsidies.services.program_year; append-only. A year is deleted only while
    nothing refers to it (setup), and its history goes with it.
    """

    program_year = models.ForeignKey(
        ProgramYear, on_delete=models.CASCADE, related_name="events", verbose_name=_("year")
    )
    at = models.DateTimeField(_("when"), auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    action = models.CharField(_("action"), max_length=10, choices=YearEventAction.choices)
    subject = models.CharField(_("what"), max_length=200)
    changes = models.JSONField(
        _("changes"),
        default=list,
        blank=True,
        help_text=_("Each field that changed, with its value before and after."),
    )

    changed_refusal = _("The history of a program year cannot be changed.")
    deleted_refusal = _("The history of a program year cannot be deleted.")

    class Meta:
        verbose_name = _("program year history entry")
        verbose_name_plural = _("program year history")
        ordering = ["program_year", "-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.program_year} {self.subject}"
