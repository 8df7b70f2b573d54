"""Admin for the grant program, its yearly rules and the computed allocations."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.dates import format_fiscal_year
from core.numbers import format_percent

from . import services
from .models import (
    Allocation,
    AllocationComponent,
    FormulaComponent,
    LegacySubsidy,
    Program,
    ProgramYear,
    UnitCount,
)


class LegacySubsidyInline(admin.TabularInline):
    model = LegacySubsidy
    extra = 0


@admin.register(Program)
class ProgramAdmin(admin.ModelAdmin):
    list_display = ("name",)
    search_fields = ("name",)
    inlines = (LegacySubsidyInline,)


class FormulaComponentInline(admin.TabularInline):
    model = FormulaComponent
    fields = ("order", "kind", "label", "rate", "pool", "unit_name")
    extra = 0
    show_change_link = True


class CopyYearForm(forms.Form):
    fiscal_year = forms.IntegerField(min_value=1989, max_value=2100)


@admin.register(ProgramYear)
class ProgramYearAdmin(admin.ModelAdmin):
    list_display = ("program", "fiscal_year_label", "budget", "allocated", "rounding_unit")
    list_filter = ("program",)
    list_select_related = ("program",)
    inlines = (FormulaComponentInline,)
    actions = ("compute", "copy_to_next_year")
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
                )
            },
        ),
    )

    @admin.display(description=_("fiscal year"), ordering="fiscal_year")
    def fiscal_year_label(self, obj):
        return format_fiscal_year(obj.fiscal_year, western=True)

    @admin.display(description=_("allocated (yen)"))
    def allocated(self, obj):
        total = sum(obj.allocations.values_list("amount", flat=True))
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


class UnitCountInline(admin.TabularInline):
    model = UnitCount
    autocomplete_fields = ("district",)
    extra = 0


@admin.register(FormulaComponent)
class FormulaComponentAdmin(admin.ModelAdmin):
    list_display = ("label", "program_year", "kind", "rate", "pool")
    list_filter = ("kind", "program_year")
    list_select_related = ("program_year__program",)
    inlines = (UnitCountInline,)


class AllocationComponentInline(admin.TabularInline):
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
class AllocationAdmin(admin.ModelAdmin):
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
    list_filter = ("program_year",)
    list_select_related = ("district", "program_year__program")
    search_fields = ("district__name", "district__name_kana")
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
