"""A council's application for the year's grant, its versions, payments, report and history."""

from django.conf import settings
from django.db import models
from django.db.models import Count, F, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from core.append_only import AppendOnlyModel
from core.fields import PhoneNumberField
from core.uploads import FileTypeValidator, RandomName, UploadField
from districts.models import Council

from ..states import DECIDED_STATES, IN_FORCE_STATES, State
from .program import ExpenseCategory, ProgramYear


def paid_sum(application=None, *, kind: str | None = None):
    """Σ of an application's payments (of one kind if given) as an expression, 0 when none:
    what was paid so far, refunds not deducted (they are the application's refund_amount)."""
    payments = Payment.objects.filter(
        application=OuterRef("pk") if application is None else application
    )
    if kind:
        payments = payments.filter(kind=kind)
    return Coalesce(
        Subquery(
            payments.order_by()
            .values("application")
            .annotate(total=Sum("amount"))
            .values("total")[:1]
        ),
        Value(0),
    )


def _in_states(states, path: str) -> Q:
    return Q(**{f"{path}__state__in" if path else "state__in": states})


# The conditions behind the figures every page shows, as Q objects, so that a page that reaches
# applications through a relation ("council__grant_applications") or sums them in an aggregate
# uses the same definition as the queryset's filters below. `path` leads to the application.


def decided_condition(path: str = "") -> Q:
    """Decided by the city (DECIDED_STATES): the applications whose figures are public."""
    return _in_states(DECIDED_STATES, path)


def in_force_condition(path: str = "") -> Q:
    """A grant in force (IN_FORCE_STATES): decided and not cancelled, counted in the totals."""
    return _in_states(IN_FORCE_STATES, path)


def settled_condition(path: str = "") -> Q:
    """Settled: the amount is confirmed (額の確定)."""
    return Q(**{f"{path}__state" if path else "state": State.SETTLED})


class ApplicationQuerySet(models.QuerySet):
    def decided(self):
        """The applications the city has decided (DECIDED_STATES), cancelled ones included."""
        return self.filter(decided_condition())

    def in_force(self):
        """The grants in force: decided and not cancelled (IN_FORCE_STATES)."""
        return self.filter(in_force_condition())

    def figures(self) -> dict[str, int]:
        """What these applications add up to, in one query: `granted` (Σ of the grants in
        force) and `in_force` (how many), `confirmed` (Σ confirmed of the settled ones) and
        `settled` (how many)."""
        return self.aggregate(
            granted=Coalesce(Sum("granted_amount", filter=in_force_condition()), 0),
            in_force=Count("pk", filter=in_force_condition()),
            confirmed=Coalesce(Sum("confirmed_amount", filter=settled_condition()), 0),
            settled=Count("pk", filter=settled_condition()),
        )

    def with_paid(self):
        """Each application with `paid_total`: Σ of its payments so far, summed by the database."""
        return self.annotate(paid_total=paid_sum())

    def with_advances(self):
        """Each application with `advance_total`: Σ of its advance payments (概算払)."""
        return self.annotate(advance_total=paid_sum(kind=PaymentKind.ADVANCE))

    def with_entered_at(self):
        """Each application with `entered_at`: when it moved into the state it is in (its latest
        such history entry; filed or created when it has none), where a wait began."""
        moves = (
            ApplicationEvent.objects.filter(application=OuterRef("pk"), to_state=OuterRef("state"))
            .exclude(from_state=F("to_state"))
            .order_by("-at", "-pk")
            .values("at")[:1]
        )
        return self.annotate(entered_at=Coalesce(Subquery(moves), "submitted_at", "created_at"))


class Application(models.Model):
    """One council's application for one fiscal year's grant (交付申請)."""

    program_year = models.ForeignKey(
        ProgramYear,
        on_delete=models.PROTECT,
        related_name="applications",
        verbose_name=_("year"),
    )
    council = models.ForeignKey(
        Council,
        on_delete=models.PROTECT,
        related_name="grant_applications",
        verbose_name=_("council"),
    )
    state = models.CharField(
        _("state"), max_length=20, choices=State.choices, default=State.DRAFT, db_index=True
    )
    representative_title = models.CharField(
        _("representative's title"), max_length=50, default="会長"
    )
    representative_name = models.CharField(_("representative's name"), max_length=100)
    address = models.CharField(
        _("address of the council"),
        max_length=200,
        help_text=_(
            "Where the city sends the notices: the office or the representative's address."
        ),
    )
    contact_name = models.CharField(_("person in charge"), max_length=100)
    contact_phone = PhoneNumberField(_("phone"))
    contact_email = models.EmailField(_("e-mail"), blank=True)
    requested_amount = models.PositiveBigIntegerField(_("requested amount (yen)"), default=0)
    granted_amount = models.PositiveBigIntegerField(
        _("granted amount (yen)"), null=True, blank=True
    )
    decision_number = models.CharField(_("decision number"), max_length=50, blank=True)
    decision_conditions = models.TextField(_("conditions of the grant"), blank=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    recommended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recommended by"),
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    confirmed_amount = models.PositiveBigIntegerField(
        _("confirmed amount (yen)"), null=True, blank=True
    )
    refund_amount = models.PositiveBigIntegerField(_("amount to return (yen)"), default=0)
    refund_offset = models.BooleanField(
        _("offset against next year's grant"),
        default=False,
        help_text=_("The refund is deducted from next year's grant instead of paid back."),
    )
    settled_on = models.DateField(_("settled on"), null=True, blank=True)
    cancelled_on = models.DateField(_("cancelled on"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("first submitted"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("grant application")
        verbose_name_plural = _("grant applications")
        ordering = ["program_year", "council__district__name_kana"]
        constraints = [
            models.UniqueConstraint(
                fields=["council", "program_year"],
                condition=~Q(state__in=[State.REJECTED, State.WITHDRAWN]),
                name="application_one_open_per_council_and_year",
                violation_error_message=_("The council already has an application for this year."),
            ),
            models.CheckConstraint(
                condition=Q(granted_amount__isnull=True)
                | Q(granted_amount__lte=F("requested_amount")),
                name="application_granted_within_requested",
                violation_error_message=_("The granted amount cannot exceed the request."),
            ),
            models.CheckConstraint(
                condition=Q(confirmed_amount__isnull=True)
                | Q(confirmed_amount__lte=F("granted_amount")),
                name="application_confirmed_within_granted",
                violation_error_message=_("The confirmed amount cannot exceed the grant."),
            ),
            models.CheckConstraint(
                condition=Q(state__in=[s.value for s in DECIDED_STATES])
                | Q(granted_amount__isnull=True),
                name="application_granted_only_when_decided",
            ),
        ]
        indexes = [models.Index(fields=["program_year", "state"])]

    def __str__(self) -> str:
        return f"{self.council} {self.program_year}"

    @property
    def is_decided(self) -> bool:
        return self.state in DECIDED_STATES

    @property
    def fiscal_year(self) -> int:
        return self.program_year.fiscal_year


class VersionStatus(models.TextChoices):
    CURRENT = "current", _("Current")
    PROPOSED = "proposed", _("Proposed change")
    SUPERSEDED = "superseded", _("Superseded")
    REFUSED = "refused", _("Change refused")


class ApplicationVersion(models.Model):
    """The business plan and budget as filed; a change request (変更申請) makes a new version."""

    application = models.ForeignKey(
        Application,
        on_delete=models.CASCADE,
        related_name="versions",
        verbose_name=_("application"),
    )
    number = models.PositiveSmallIntegerField(_("version"))
    status = models.CharField(
        _("status"), max_length=20, choices=VersionStatus.choices, default=VersionStatus.CURRENT
    )
    purpose = models.TextField(
        _("purpose and outline"),
        blank=True,
        max_length=2000,
        help_text=_("What the council will do with the grant this year, in a few sentences."),
    )
    change_reason = models.TextField(_("reason for the change"), blank=True, max_length=2000)
    requested_amount = models.PositiveBigIntegerField(
        _("requested amount (yen)"),
        default=0,
        help_text=_("The grant line of the income budget."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("created by"),
    )

    class Meta:
        verbose_name = _("application version")
        verbose_name_plural = _("application versions")
        ordering = ["application", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "number"], name="application_version_number_once"
            ),
            models.UniqueConstraint(
                fields=["application"],
                condition=Q(status="current"),
                name="application_one_current_version",
            ),
            models.UniqueConstraint(
                fields=["application"],
                condition=Q(status="proposed"),
                name="application_one_proposed_version",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application} v{self.number}"


class PlanRow(models.Model):
    """One activity of the business plan (事業計画書)."""

    version = models.ForeignKey(
        ApplicationVersion,
        on_delete=models.CASCADE,
        related_name="plan_rows",
        verbose_name=_("version"),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    activity = models.CharField(_("activity"), max_length=200)
    initiatives = models.ManyToManyField(
        "plans.Initiative",
        blank=True,
        related_name="grant_plan_rows",
        verbose_name=_("district plan initiatives"),
    )
    schedule = models.CharField(
        _("schedule"), max_length=100, help_text=_("When: 「5月〜翌3月」「8月 第1土曜日」.")
    )
    expected_effect = models.TextField(_("expected effect"), max_length=1000)
    cost = models.PositiveBigIntegerField(_("cost (yen)"))

    class Meta:
        verbose_name = _("business plan row")
        verbose_name_plural = _("business plan rows")
        ordering = ["version", "order", "pk"]

    def __str__(self) -> str:
        return self.activity


class Side(models.TextChoices):
    INCOME = "income", _("Income")
    EXPENSE = "expense", _("Expenses")


class IncomeSource(models.TextChoices):
    GRANT = "grant", _("This grant")
    OWN_FUNDS = "own_funds", _("Own funds (membership fees, etc.)")
    OTHER = "other", _("Other income")


def _line_shape():
    """An income line names its source; an expense line its category (費目)."""
    return (Q(side=Side.INCOME) & ~Q(income_source="") & Q(category__isnull=True)) | (
        Q(side=Side.EXPENSE) & Q(income_source="") & Q(category__isnull=False)
    )


class MoneyLine(models.Model):
    """A line of a budget or of its actual figures: income by source, expenses by category."""

    order = models.PositiveSmallIntegerField(_("order"), default=0)
    side = models.CharField(_("income or expense"), max_length=10, choices=Side.choices)
    income_source = models.CharField(
        _("source of income"), max_length=10, choices=IncomeSource.choices, blank=True
    )
    category = models.ForeignKey(
        ExpenseCategory,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("expense category"),
    )
    description = models.CharField(_("description"), max_length=200, blank=True)
    amount = models.PositiveBigIntegerField(_("amount (yen)"))

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.category or self.get_income_source_display()} {self.amount}"


class BudgetLine(MoneyLine):
    """One line of the budget (収支予算書)."""

    version = models.ForeignKey(
        ApplicationVersion,
        on_delete=models.CASCADE,
        related_name="budget_lines",
        verbose_name=_("version"),
    )

    class Meta:
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        ordering = ["version", "side", "order", "pk"]
        constraints = [
            models.CheckConstraint(condition=_line_shape(), name="budget_line_shape"),
        ]


class AttachmentKind(models.TextChoices):
    MINUTES = "minutes", _("General meeting minutes (総会資料)")
    QUOTE = "quote", _("Quote (見積書)")
    RECEIPT = "receipt", _("Receipt (領収書)")
    OTHER = "other", _("Other")


validate_grant_document = FileTypeValidator(kinds=("pdf", "png", "jpeg"), max_bytes=10 * 1024**2)


class Attachment(models.Model):
    """A file filed with the application or its report: minutes, quotes, receipts."""

    application = models.ForeignKey(
        Application,
        on_delete=models.CASCADE,
        related_name="attachments",
        verbose_name=_("application"),
    )
    for_report = models.BooleanField(_("filed with the report"), default=False)
    kind = models.CharField(_("kind"), max_length=10, choices=AttachmentKind.choices)
    title = models.CharField(_("title"), max_length=150)
    file = UploadField(
        _("file"),
        upload_to=RandomName("grants/attachments"),
        validators=[validate_grant_document],
        help_text=_("PDF, PNG or JPEG, 10 MB or less."),
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("uploaded by"),
    )

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["application", "uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.title


class PaymentKind(models.TextChoices):
    ADVANCE = "advance", _("Advance payment (概算払)")
    FULL = "full", _("Payment in full")
    FINAL = "final", _("Final payment after settlement (精算払)")


class PaymentQuerySet(models.QuerySet):
    def total(self) -> int:
        """Σ of these payments' amounts, read now in one query (0 when none)."""
        return self.aggregate(total=Coalesce(Sum("amount"), 0))["total"]

    def advances(self):
        return self.filter(kind=PaymentKind.ADVANCE)

    def before_settlement(self):
        """What was paid before the amount was confirmed: every payment but the final one."""
        return self.exclude(kind=PaymentKind.FINAL)


class Payment(models.Model):
    """Money the city paid out on a decided grant; never edited, never deleted."""

    application = models.ForeignKey(
        Application,
        on_delete=models.PROTECT,
        related_name="payments",
        verbose_name=_("application"),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=PaymentKind.choices)
    amount = models.PositiveBigIntegerField(_("amount (yen)"))
    paid_on = models.DateField(_("paid on"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    objects = PaymentQuerySet.as_manager()

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["application", "paid_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="payment_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount}"


class Report(models.Model):
    """The year-end report (実績報告書) with the actual budget (収支決算書)."""

    application = models.OneToOneField(
        Application,
        on_delete=models.CASCADE,
        related_name="report",
        verbose_name=_("application"),
    )
    summary = models.TextField(
        _("what was done"),
        max_length=4000,
        blank=True,
        help_text=_("The activities carried out, with dates and how many took part."),
    )
    outcomes = models.TextField(_("outcomes and next steps"), max_length=2000, blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")

    def __str__(self) -> str:
        return str(self.application)


class ReportLine(MoneyLine):
    """One line of the actual budget (収支決算書); expenses carry the date they were paid."""

    report = models.ForeignKey(
        Report, on_delete=models.CASCADE, related_name="lines", verbose_name=_("report")
    )
    spent_on = models.DateField(_("paid on"), null=True, blank=True)

    class Meta:
        verbose_name = _("report line")
        verbose_name_plural = _("report lines")
        ordering = ["report", "side", "order", "pk"]
        constraints = [
            models.CheckConstraint(condition=_line_shape(), name="report_line_shape"),
            models.CheckConstraint(
                condition=Q(side=Side.INCOME) | Q(spent_on__isnull=False),
                name="report_expense_dated",
                violation_error_message=_("Enter the date each expense was paid."),
            ),
        ]


class ReportIndicator(models.Model):
    """An indicator result reported with the grant; accepted reports feed the plan's results."""

    report = models.ForeignKey(
        Report,
        on_delete=models.CASCADE,
        related_name="indicator_results",
        verbose_name=_("report"),
    )
    indicator = models.ForeignKey(
        "plans.Indicator", on_delete=models.PROTECT, related_name="+", verbose_name=_("indicator")
    )
    actual_value = models.DecimalField(_("actual value"), max_digits=12, decimal_places=2)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("reported indicator result")
        verbose_name_plural = _("reported indicator results")
        ordering = ["report", "indicator__order", "indicator__pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "indicator"],
                name="report_indicator_once",
                violation_error_message=_("This indicator is already in the report."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator}: {self.actual_value}"


class ApplicationEvent(AppendOnlyModel):
    """One entry of an application's history: append-only, never changed or deleted."""

    application = models.ForeignKey(
        Application,
        on_delete=models.PROTECT,
        related_name="events",
        verbose_name=_("application"),
    )
    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("by"),
    )
    action = models.CharField(_("action"), max_length=30)
    from_state = models.CharField(_("from"), max_length=20, choices=State.choices)
    to_state = models.CharField(_("to"), max_length=20, choices=State.choices)
    amount_before = models.BigIntegerField(_("amount before (yen)"), null=True, blank=True)
    amount_after = models.BigIntegerField(_("amount after (yen)"), null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    reasons = models.JSONField(
        _("reasons by field"),
        default=dict,
        blank=True,
        help_text=_("When returning for correction: what to correct, by the part it concerns."),
    )

    changed_refusal = _("The history of an application cannot be changed.")
    deleted_refusal = _("The history of an application cannot be deleted.")

    class Meta:
        verbose_name = _("application event")
        verbose_name_plural = _("application events")
        ordering = ["application", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.application} {self.action}"
