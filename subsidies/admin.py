"""Admin for the grant program, its yearly rules and the computed allocations, and a read-only
view of the applications (the review screens are where the workflow moves them)."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Sum, Value
from django.db.models.functions import Coalesce
from django.forms.models import BaseInlineFormSet
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from core.admin_input import TypedInputAdminMixin
from core.admin_paging import LargeTablePaginator
from core.admin_search import KanaSearchMixin
from core.admin_widgets import LabelledAutocompleteMixin
from core.dates import format_fiscal_year
from core.forms import add_service_errors
from core.names import person_name
from core.numbers import format_percent
from districts.admin_scope import DistrictScopedAdmin

from . import services
from .models import (
    Allocation,
    AllocationComponent,
    Application,
    ApplicationEvent,
    ApplicationVersion,
    ExpenseCategory,
    FormulaComponent,
    LegacySubsidy,
    Payment,
    Program,
    ProgramYear,
    ProgramYearEvent,
    State,
    UnitCount,
)
from .services import program_year as year_rules


class ProgramYearListFilter(admin.RelatedFieldListFilter):
    """The filter by program year, its choices read with their program in one query.

    Django's related filter reads the years alone, and each year's label (「地域づくり一括交付金
    令和8年度」) then loads its program: one query per year on every page load.
    """

    def field_choices(self, field, request, model_admin):
        years = ProgramYear.objects.select_related("program")
        ordering = self.field_admin_ordering(field, request, model_admin)
        if ordering:
            years = years.order_by(*ordering)
        return [(year.pk, str(year)) for year in years]


class ReadOnlyInline(TypedInputAdminMixin, admin.TabularInline):
    """Rows shown beside their parent, never added, changed or deleted there."""

    extra = 0
    can_delete = False
    show_change_link = False

    def get_readonly_fields(self, request, obj=None):
        return self.fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class LegacySubsidyInline(TypedInputAdminMixin, admin.TabularInline):
    model = LegacySubsidy
    extra = 0


@admin.register(Program)
class ProgramAdmin(KanaSearchMixin, TypedInputAdminMixin, admin.ModelAdmin):
    list_display = ("name",)
    search_fields = ("name",)
    inlines = (LegacySubsidyInline,)


# The year's rules, formula and categories: every change through services.program_year, which
# locks the year, refuses what contradicts its decisions and payments, and writes the history.
# The admin's change view runs in one transaction, so the lock the forms' checks take is held
# until the save.


class YearPartForm(forms.ModelForm):
    """A row of the year's formula or categories: a change is checked beside its fields."""

    check = None  # the service's check for the row's model
    parent_field = "program_year"  # the row's way to its year

    def clean(self):
        cleaned = super().clean()
        # On a component's own page the year is chosen in the form; in an inline it is set.
        if cleaned.get(self.parent_field) is not None:
            setattr(self.instance, self.parent_field, cleaned[self.parent_field])
        if getattr(self.instance, f"{self.parent_field}_id") is None:
            return cleaned  # a row of a year being created: nothing can be decided yet
        if self.instance.pk is not None and not self.has_changed():
            return cleaned
        try:
            type(self).check(self.instance, values=cleaned)
        except ValidationError as refused:
            add_service_errors(self, refused)
        return cleaned


class YearPartFormSet(BaseInlineFormSet):
    """Deleting a row is refused, above the rows, when the service refuses it."""

    def clean(self):
        # Before Django's own check (in super().clean()), which refuses deleting a row that
        # protected records refer to by listing them: the service says why in the city's words.
        refusals = []
        check = self.form.check
        for form in self.forms:
            if form.instance.pk and self.can_delete and self._should_delete_form(form):
                try:
                    check(form.instance, values=None)
                except ValidationError as refused:
                    refusals += refused.messages
        if refusals:
            raise ValidationError(refusals, code="year_rules")
        super().clean()


def _check_component(component, *, values):
    year_rules.check_component(component=component, values=values)


def _check_count(count, *, values):
    year_rules.check_unit_count(unit_count=count, values=values)


def _check_category(category, *, values):
    year_rules.check_category(category=category, values=values)


class FormulaComponentForm(YearPartForm):
    check = _check_component


class UnitCountForm(YearPartForm):
    check = _check_count
    parent_field = "component"


class ExpenseCategoryForm(YearPartForm):
    check = _check_category


# Which service saves and deletes a row of each of the year's parts.
PART_SERVICES = {
    FormulaComponent: (
        lambda obj, by: year_rules.save_component(component=obj, by=by),
        lambda obj, by: year_rules.delete_component(component=obj, by=by),
    ),
    UnitCount: (
        lambda obj, by: year_rules.save_unit_count(unit_count=obj, by=by),
        lambda obj, by: year_rules.delete_unit_count(unit_count=obj, by=by),
    ),
    ExpenseCategory: (
        lambda obj, by: year_rules.save_category(category=obj, by=by),
        lambda obj, by: year_rules.delete_category(category=obj, by=by),
    ),
}


class YearPartsAdminMixin:
    """A ModelAdmin whose inlines are parts of a year: saved and deleted through the services."""

    def save_formset(self, request, form, formset, change):
        if formset.model not in PART_SERVICES:
            return super().save_formset(request, form, formset, change)
        save, delete = PART_SERVICES[formset.model]
        instances = formset.save(commit=False)
        for obj in formset.deleted_objects:
            delete(obj, request.user)
        for obj in instances:
            save(obj, request.user)
        formset.save_m2m()
        return None


class FormulaComponentInline(TypedInputAdminMixin, admin.TabularInline):
    model = FormulaComponent
    form = FormulaComponentForm
    formset = YearPartFormSet
    fields = ("order", "kind", "label", "label_en", "rate", "pool", "unit_name", "unit_name_en")
    extra = 0
    show_change_link = True


class ExpenseCategoryInline(TypedInputAdminMixin, admin.TabularInline):
    model = ExpenseCategory
    form = ExpenseCategoryForm
    formset = YearPartFormSet
    fields = ("order", "name", "eligible", "note")
    extra = 0


class ProgramYearEventInline(ReadOnlyInline):
    """The year's history, newest first: read only."""

    model = ProgramYearEvent
    fields = ("at", "actor_name", "action", "subject", "changes_text")
    verbose_name_plural = _("history of the rules")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor").order_by("-at", "-pk")

    def has_view_permission(self, request, obj=None):
        # Whoever may read the year reads its history; nobody writes it here.
        return request.user.has_perm("subsidies.view_programyear")

    @admin.display(description=_("by"))
    def actor_name(self, obj):
        return person_name(obj.actor)

    @admin.display(description=_("changes"))
    def changes_text(self, obj):
        if not obj.changes:
            return "—"
        return format_html_join(
            "",
            "<p>{}: {} → {}</p>",
            ((row["field"], row["before"], row["after"]) for row in obj.changes),
        )


class ProgramYearForm(forms.ModelForm):
    """The year's rules: a change that contradicts its decisions is refused beside its field."""

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is None:
            return cleaned
        values = {name: cleaned[name] for name in year_rules.RULE_FIELDS if name in cleaned}
        try:
            year_rules.check_year_change(program_year=self.instance, values=values)
        except ValidationError as refused:
            self.add_error(None, refused)
        return cleaned


@admin.register(ProgramYear)
class ProgramYearAdmin(YearPartsAdminMixin, TypedInputAdminMixin, admin.ModelAdmin):
    form = ProgramYearForm
    list_display = ("program", "fiscal_year_label", "budget", "allocated", "rounding_unit")
    list_filter = ("program",)
    list_select_related = ("program",)
    inlines = (FormulaComponentInline, ExpenseCategoryInline, ProgramYearEventInline)
    actions = ("compute", "copy_to_next_year", "add_standard_categories")
    fieldsets = (
        (None, {"fields": ("program", "fiscal_year", "budget")}),
        (
            _("Allocation rules"),
            {"fields": (("rounding_unit", "rounding"), "cap_per_district")},
        ),
        (
            _("Schedule and payments"),
            {
                "fields": (
                    ("application_opens_on", "application_closes_on"),
                    "report_due_on",
                    "advance_ratio_percent",
                    "refund_handling",
                    "remind_after_days",
                )
            },
        ),
    )

    @admin.display(description=_("fiscal year"), ordering="fiscal_year")
    def fiscal_year_label(self, obj):
        return format_fiscal_year(obj.fiscal_year, western=True)

    def save_model(self, request, obj, form, change):
        if not change:
            super().save_model(request, obj, form, change)
            return
        year_rules.change_year(
            program_year=obj,
            by=request.user,
            values={name: getattr(obj, name) for name in year_rules.RULE_FIELDS},
        )

    def get_queryset(self, request):
        # Each year's allocated total in the list's own query (one pass over the allocations),
        # not one query per row.
        return (
            super()
            .get_queryset(request)
            .annotate(allocated_total=Coalesce(Sum("allocations__amount"), Value(0)))
        )

    @admin.display(description=_("allocated (yen)"))
    def allocated(self, obj):
        total = obj.allocated_total
        share = format_percent(total * 100 / obj.budget) if obj.budget else "—"
        return f"{total:,}（{share}）"

    @admin.action(description=_("Compute the allocations of the selected years"))
    def compute(self, request, queryset):
        for year in queryset:
            try:
                allocations = services.compute_allocations(program_year=year)
            except ValidationError as refused:
                for message in refused.messages:
                    self.message_user(request, f"{year}: {message}", messages.ERROR)
                continue
            self.message_user(
                request,
                _("%(year)s: %(count)d allocations computed.")
                % {"year": year, "count": len(allocations)},
                messages.SUCCESS,
            )

    @admin.action(description=_("Set up the following fiscal year from the selected years"))
    def copy_to_next_year(self, request, queryset):
        for year in queryset:
            try:
                new_year = services.copy_program_year(
                    program_year=year, fiscal_year=year.fiscal_year + 1
                )
            except ValidationError as refused:
                for message in refused.messages:
                    self.message_user(request, f"{year}: {message}", messages.ERROR)
                continue
            self.message_user(
                request, _("%(year)s was set up.") % {"year": new_year}, messages.SUCCESS
            )

    @admin.action(
        description=_("Add the standard expense categories to the selected years"),
        permissions=("change",),
    )
    def add_standard_categories(self, request, queryset):
        for year in queryset:
            added, kept = year_rules.add_standard_categories(program_year=year, by=request.user)
            self.message_user(
                request,
                _("%(year)s: %(added)d categories added, %(kept)d already there.")
                % {"year": year, "added": added, "kept": kept},
                messages.SUCCESS,
            )


class UnitCountInline(TypedInputAdminMixin, LabelledAutocompleteMixin, admin.TabularInline):
    model = UnitCount
    form = UnitCountForm
    formset = YearPartFormSet
    autocomplete_fields = ("district",)
    extra = 0


@admin.register(FormulaComponent)
class FormulaComponentAdmin(YearPartsAdminMixin, TypedInputAdminMixin, admin.ModelAdmin):
    form = FormulaComponentForm
    list_display = ("label", "program_year", "kind", "rate", "pool")
    list_filter = ("kind", ("program_year", ProgramYearListFilter))
    list_select_related = ("program_year__program",)
    inlines = (UnitCountInline,)

    def get_readonly_fields(self, request, obj=None):
        # A component stays in its year: moving it would change two years' formulas at once.
        return ("program_year",) if obj is not None else ()

    def save_model(self, request, obj, form, change):
        year_rules.save_component(component=obj, by=request.user)

    def get_deleted_objects(self, objs, request):
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        for component in objs:
            try:
                year_rules.check_component(component=component, values=None)
            except ValidationError as refused:
                protected = [*protected, *refused.messages]
        return deleted, counts, perms_needed, protected

    def delete_model(self, request, obj):
        year_rules.delete_component(component=obj, by=request.user)

    def delete_queryset(self, request, queryset):
        for component in queryset:
            year_rules.delete_component(component=component, by=request.user)


class AllocationComponentInline(TypedInputAdminMixin, admin.TabularInline):
    model = AllocationComponent
    fields = ("component", "quantity", "amount")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class AllocationForm(forms.ModelForm):
    """Staff change an allocation only through the adjustment service, with a reason."""

    class Meta:
        model = Allocation
        fields = ("adjustment", "adjustment_reason")

    def clean(self):
        cleaned = super().clean()
        if self.errors or self.instance.pk is None:
            return cleaned
        try:
            # Refused here too, so staff read why beside the form rather than an error page.
            services.refuse_once_decided(self.instance.program_year)
            services.check_adjustment(
                allocation=self.instance,
                adjustment=cleaned.get("adjustment") or 0,
                reason=cleaned.get("adjustment_reason") or "",
            )
        except ValidationError as refused:
            self.add_error(None, refused)
        return cleaned

    def _post_clean(self):
        # The service decides; the database constraints speak only if something slipped by.
        pass


@admin.register(Allocation)
class AllocationAdmin(KanaSearchMixin, TypedInputAdminMixin, admin.ModelAdmin):
    form = AllocationForm
    list_display = (
        "district",
        "program_year",
        "population",
        "households",
        "computed_amount",
        "adjustment",
        "amount",
    )
    list_filter = (("program_year", ProgramYearListFilter),)
    list_select_related = ("district", "program_year__program")
    search_fields = ("district__name", "district__name_kana")
    # A row per district and year: counted from the table's statistics, not row by row.
    paginator = LargeTablePaginator
    show_full_result_count = False
    readonly_fields = (
        "program_year",
        "district",
        "counts_as_of",
        "population",
        "households",
        "computed_amount",
        "amount",
        "computed_at",
    )
    fields = (*readonly_fields[:-2], "adjustment", "adjustment_reason", "amount", "computed_at")
    inlines = (AllocationComponentInline,)

    def has_add_permission(self, request):
        return False  # allocations are computed, never typed

    def save_model(self, request, obj, form, change):
        services.adjust_allocation(
            allocation=obj,
            adjustment=form.cleaned_data["adjustment"],
            reason=form.cleaned_data["adjustment_reason"],
        )


# Applications: read-only here; the review screens move them through the workflow. --------------


class ApplicationVersionInline(ReadOnlyInline):
    model = ApplicationVersion
    fields = ("number", "status", "requested_amount", "purpose", "change_reason", "created_at")


class PaymentInline(ReadOnlyInline):
    model = Payment
    fields = ("paid_on", "kind", "amount", "recorded_by_name", "recorded_at")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("recorded_by")

    @admin.display(description=_("recorded by"))
    def recorded_by_name(self, obj):
        return person_name(obj.recorded_by)


class ApplicationEventInline(ReadOnlyInline):
    model = ApplicationEvent
    fields = (
        "at",
        "actor_name",
        "action",
        "from_state",
        "to_state",
        "amount_before",
        "amount_after",
        "comment",
        "reasons_text",
    )

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor")

    @admin.display(description=_("by"))
    def actor_name(self, obj):
        return person_name(obj.actor)

    @admin.display(description=_("reasons by part"))
    def reasons_text(self, obj):
        if not obj.reasons:
            return "—"
        return format_html_join("", "<p>{}: {}</p>", obj.reasons.items())


@admin.register(Application)
class ApplicationAdmin(DistrictScopedAdmin, admin.ModelAdmin):
    """Every application in the user's district scope, to read; nobody adds, edits or deletes."""

    district_paths = ("council__district",)
    list_display = (
        "council",
        "fiscal_year_label",
        "state",
        "requested_amount",
        "granted_amount",
        "paid",
        "review_link",
    )
    list_filter = (("program_year", ProgramYearListFilter), "state")
    list_select_related = ("council__district", "program_year__program")
    search_fields = ("council__name", "council__name_kana")
    ordering = ("-program_year__fiscal_year", "council__district__name_kana")
    # Every council applies every year: counted from the table's statistics, not row by row.
    paginator = LargeTablePaginator
    show_full_result_count = False
    inlines = (ApplicationVersionInline, PaymentInline, ApplicationEventInline)
    fieldsets = (
        (None, {"fields": ("review_link", "program_year", "council", "state")}),
        (
            _("Applicant"),
            {
                "fields": (
                    ("representative_title", "representative_name"),
                    "address",
                    ("contact_name", "contact_phone", "contact_email"),
                )
            },
        ),
        (
            _("Amounts and decision"),
            {
                "fields": (
                    "requested_amount",
                    "granted_amount",
                    "paid",
                    ("decision_number", "decided_on"),
                    "decision_conditions",
                    ("recommended_by_name", "decided_by_name"),
                    "confirmed_amount",
                    ("refund_amount", "refund_offset"),
                    ("settled_on", "cancelled_on"),
                )
            },
        ),
        (None, {"fields": ("submitted_at", "created_at", "updated_at")}),
    )

    def get_readonly_fields(self, request, obj=None):
        return [
            name
            for fieldset in self.fieldsets
            for entry in fieldset[1]["fields"]
            for name in (entry if isinstance(entry, tuple) else (entry,))
        ]

    def get_queryset(self, request):
        # Only what the list shows. The two users who recommended and decided are read on the
        # application's own page (a query each): joined here as well, the scoped list has more
        # tables than PostgreSQL reorders (join_collapse_limit), and a liaison officer's list
        # joined all 20,000 applications instead of starting from their councils (32 → 0.2 ms).
        return (
            super()
            .get_queryset(request)
            .select_related("council__district", "program_year__program")
            .with_paid()
        )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("fiscal year"), ordering="program_year__fiscal_year")
    def fiscal_year_label(self, obj):
        return format_fiscal_year(obj.program_year.fiscal_year)

    @admin.display(description=_("recommended by"))
    def recommended_by_name(self, obj):
        return person_name(obj.recommended_by) if obj.recommended_by_id else "—"

    @admin.display(description=_("decided by"))
    def decided_by_name(self, obj):
        return person_name(obj.decided_by) if obj.decided_by_id else "—"

    @admin.display(description=_("paid (yen)"), ordering="paid_total")
    def paid(self, obj):
        return obj.paid_total

    @admin.display(description=_("review screen"))
    def review_link(self, obj):
        if obj.state == State.DRAFT or (obj.state == State.WITHDRAWN and not obj.submitted_at):
            return _("Not submitted: the council is still preparing it.")
        return format_html(
            '<a href="{}">{}</a>',
            reverse("grants:review_application", args=[obj.pk]),
            _("Open in the review screen"),
        )
