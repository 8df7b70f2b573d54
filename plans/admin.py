"""Admin for plans and meetings, scoped by district: the main way staff record them.

A meeting with its decisions, action items and attachments is one page; so is a plan with its
issues, initiatives and reviews. Django does not nest inlines, so an initiative's roles and
indicators are on the initiative's page (linked from the plan's), an indicator's yearly results
on the indicator's, and a review's ratings on the review's.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.db.models import Max, Min
from django.forms.models import BaseInlineFormSet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.admin_paging import LargeTableAdminMixin
from core.dates import fiscal_year_range, format_fiscal_year
from core.numbers import format_percent
from districts.admin_scope import (
    DistrictScopedAdmin,
    DistrictScopeMixin,
    ScopedRelatedListFilter,
    districts_in_scope,
)
from plans.models import (
    ActionItem,
    Decision,
    Indicator,
    IndicatorResult,
    Initiative,
    Meeting,
    MeetingAttachment,
    Plan,
    PlanIssue,
    Review,
    ReviewRating,
    RoleAssignment,
)
from plans.services import set_meetings_published

PLAN_PATHS = ("plan__district",)
INITIATIVE_PATHS = ("initiative__plan__district",)
MEETING_PATHS = ("meeting__district",)

# Text areas in tabular inlines: a few lines, not a page each.
SHORT_TEXT = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 2, "cols": 50})}}


# Forms -------------------------------------------------------------------------------------


class ConstraintMessagesBesideFieldsForm(forms.ModelForm):
    """Shows a check constraint's message beside the field it is about, not above the form.

    ``constraint_fields`` maps a constraint of the model (by name) to that field. The rule and
    its message stay on the model; only where the message appears is decided here.
    """

    constraint_fields: dict[str, str] = {}

    def add_error(self, field, error):
        if field is None and isinstance(error, ValidationError) and hasattr(error, "error_dict"):
            error = self._place_constraint_messages(error)
        super().add_error(field, error)

    def _place_constraint_messages(self, error: ValidationError) -> ValidationError:
        targets = {
            str(constraint.get_violation_error_message()): self.constraint_fields[constraint.name]
            for constraint in self._meta.model._meta.constraints
            if self.constraint_fields.get(constraint.name) in self.fields
        }
        if not targets:
            return error
        placed: dict[str, list[ValidationError]] = {}
        for field, errors in error.error_dict.items():
            for item in errors:
                target = field
                if field == NON_FIELD_ERRORS:
                    target = targets.get(str(item.message), field)
                placed.setdefault(target, []).append(item)
        return ValidationError(placed)


class PlanForm(ConstraintMessagesBesideFieldsForm):
    constraint_fields = {
        "plan_end_not_before_start": "end_fy",
        "plan_adopted_has_date": "adopted_on",
    }


class InitiativeForm(ConstraintMessagesBesideFieldsForm):
    constraint_fields = {"initiative_end_not_before_start": "end_fy"}

    def clean(self):
        cleaned = super().clean()
        plan, issues = cleaned.get("plan"), cleaned.get("issues")
        if plan is not None and issues and any(issue.plan_id != plan.pk for issue in issues):
            self.add_error("issues", _("Choose issues of the initiative's plan."))
        return cleaned


class IndicatorForm(ConstraintMessagesBesideFieldsForm):
    constraint_fields = {
        "indicator_target_not_before_baseline": "target_fy",
        "indicator_target_in_its_direction": "target_value",
    }


def held_after(starts_at) -> bool:
    """Whether a meeting starting then is still to come: a record of it would be premature."""
    return starts_at is not None and starts_at > timezone.now()


def record_confirmed(data, files) -> bool:
    """Whether the meeting form's 「会議の前に記録を保存する」 box was ticked."""
    return forms.CheckboxInput().value_from_datadict(data, files, RECORD_CONFIRMATION_FIELD)


RECORD_CONFIRMATION_FIELD = "confirm_record_before_meeting"
CONFIRM_LABEL = _("Save the record although the meeting has not been held yet")


class MeetingForm(ConstraintMessagesBesideFieldsForm):
    constraint_fields = {
        "meeting_ends_after_start": "ends_at",
        "meeting_attendance_not_negative": "attendance",
    }

    confirm_record_before_meeting = forms.BooleanField(label=CONFIRM_LABEL, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.record_needs_confirmation = False
        council = self.fields.get("council")
        if council is not None:
            # static/js/admin-council-follows-district.js asks the council autocomplete for
            # the chosen district's council only (CouncilAdmin.get_search_results).
            widget = getattr(council.widget, "widget", council.widget)  # inside the admin's links
            widget.attrs["data-follows"] = "district"

    def clean(self):
        # The plan's and the council's district are checked by Meeting.clean(); many-to-many
        # choices only here, because the model cannot see them before it is saved.
        cleaned = super().clean()
        self._check_record_before_meeting(cleaned)
        district = cleaned.get("district")
        if district is None:
            return cleaned
        initiatives = cleaned.get("initiatives")
        if initiatives and initiatives.exclude(plan__district=district).exists():
            self.add_error("initiatives", _("Choose initiatives of the meeting's district."))
        return cleaned

    def _check_record_before_meeting(self, cleaned) -> None:
        """Minutes typed for a meeting still to come are kept only once staff confirm them."""
        if not (cleaned.get("minutes") or "").strip() or not held_after(cleaned.get("starts_at")):
            return
        if not {"minutes", "starts_at"} & set(self.changed_data):
            return  # confirmed when they were saved
        self.record_needs_confirmation = True
        if not cleaned.get(RECORD_CONFIRMATION_FIELD):
            self.add_error(
                "minutes",
                _(
                    "This meeting has not been held yet. Check its date, or tick “%(confirm)s” "
                    "below the form to save the minutes as they are."
                )
                % {"confirm": CONFIRM_LABEL},
            )

    @property
    def asks_record_confirmation(self) -> bool:
        """Whether the page shows the confirmation box (the minutes or the decisions ask)."""
        return self.record_needs_confirmation or getattr(
            self.instance, "_decisions_before_meeting", False
        )


class DecisionFormSet(BaseInlineFormSet):
    """The meeting's decisions: entered for a meeting still to come only once confirmed."""

    def clean(self):
        super().clean()
        if not held_after(self.instance.starts_at):
            return
        entered = [
            form
            for form in self.forms
            if form.has_changed()
            and not (self.can_delete and self._should_delete_form(form))
            and (getattr(form, "cleaned_data", None) or {}).get("text")
        ]
        if not entered:
            return
        # The meeting's form shows the confirmation box (MeetingForm.asks_record_confirmation).
        self.instance._decisions_before_meeting = True
        if not record_confirmed(self.data, self.files):
            raise ValidationError(
                _(
                    "This meeting has not been held yet. Check its date, or tick “%(confirm)s” "
                    "below the form to save the decisions as they are."
                )
                % {"confirm": CONFIRM_LABEL},
                code="decisions_before_meeting",
            )


# List filters ------------------------------------------------------------------------------


class FiscalYearListFilter(admin.SimpleListFilter):
    """A filter by fiscal year (年度), offering only the years of the rows in the user's scope."""

    title = _("fiscal year")
    parameter_name = "fiscal_year"

    def lookups(self, request, model_admin):
        years = self.fiscal_years(model_admin.get_queryset(request))
        return [(str(fy), format_fiscal_year(fy)) for fy in sorted(years, reverse=True)]

    def queryset(self, request, queryset):
        if self.value() is None:
            return queryset
        try:
            fy = int(self.value())
            fiscal_year_range(fy)  # refuses years a date cannot hold
        except (TypeError, ValueError, OverflowError) as error:
            raise IncorrectLookupParameters(error) from error
        return self.in_fiscal_year(queryset, fy)

    def fiscal_years(self, queryset) -> set[int]:
        raise NotImplementedError

    def in_fiscal_year(self, queryset, fy: int):
        raise NotImplementedError


class MeetingFiscalYearFilter(FiscalYearListFilter):
    """Meetings held in a fiscal year, April to March, Japan time."""

    def fiscal_years(self, queryset) -> set[int]:
        return queryset.fiscal_years()

    def in_fiscal_year(self, queryset, fy: int):
        return queryset.in_fiscal_year(fy)


class PlanFiscalYearFilter(FiscalYearListFilter):
    """Plans whose span covers a fiscal year."""

    title = _("fiscal year covered")

    def fiscal_years(self, queryset) -> set[int]:
        span = queryset.aggregate(first=Min("start_fy"), last=Max("end_fy"))
        if span["first"] is None:
            return set()
        return set(range(span["first"], span["last"] + 1))

    def in_fiscal_year(self, queryset, fy: int):
        return queryset.covering(fy)


# Plans -------------------------------------------------------------------------------------


class PlanIssueInline(DistrictScopeMixin, admin.StackedInline):
    """The district's issues, three lines each: too many columns for a table."""

    model = PlanIssue
    district_paths = PLAN_PATHS
    fields = (
        ("title", "field", "order"),
        "description",
        ("source", "source_meeting", "source_note"),
    )
    autocomplete_fields = ("source_meeting",)
    formfield_overrides = SHORT_TEXT
    extra = 0


class InitiativeInline(DistrictScopeMixin, admin.TabularInline):
    """The plan's initiatives; their roles and indicators are on each initiative's page."""

    model = Initiative
    form = InitiativeForm
    district_paths = PLAN_PATHS
    fields = ("order", "title", "field", "start_fy", "end_fy", "status")
    extra = 0
    show_change_link = True


class ReviewInline(DistrictScopeMixin, admin.TabularInline):
    """The yearly reviews; each initiative's rating is on the review's page."""

    model = Review
    district_paths = PLAN_PATHS
    fields = ("fiscal_year", "summary", "next_steps")
    formfield_overrides = SHORT_TEXT
    extra = 0
    show_change_link = True


@admin.register(Plan)
class PlanAdmin(LargeTableAdminMixin, DistrictScopedAdmin, admin.ModelAdmin):
    form = PlanForm
    district_paths = ("district",)
    list_display = ("title", "district", "fiscal_years", "stage", "adopted_on", "updated_at")
    list_filter = (
        ("district", ScopedRelatedListFilter),
        "stage",
        PlanFiscalYearFilter,
    )
    list_select_related = ("district",)
    search_fields = ("title", "vision", "district__name", "district__name_kana")
    search_help_text = _("Searches titles, visions and district names (kana too).")
    autocomplete_fields = ("district",)
    readonly_fields = ("created_at", "updated_at")
    fieldsets = (
        (None, {"fields": ("district", "title", ("start_fy", "end_fy"), "vision")}),
        (_("Adoption"), {"fields": (("stage", "adopted_on"), "document")}),
        (_("Record"), {"fields": (("created_at", "updated_at"),)}),
    )
    inlines = (PlanIssueInline, InitiativeInline, ReviewInline)

    @admin.display(description=_("fiscal years"), ordering="start_fy")
    def fiscal_years(self, obj):
        return obj.span_label


# The lists of a plan's parts filter first by the plan's district, and search their own text,
# then the plan's title and its district's names.
PLAN_DISTRICT_FILTER = ("plan__district", ScopedRelatedListFilter)
PLAN_SEARCH_FIELDS = ("plan__title", "plan__district__name", "plan__district__name_kana")


class PlanPartAdmin(LargeTableAdminMixin, DistrictScopedAdmin, admin.ModelAdmin):
    """A part of the plans (issues, initiatives, reviews): scoped by the plan's district,
    which its list shows in a column."""

    district_paths = PLAN_PATHS
    list_select_related = ("plan__district",)
    autocomplete_fields = ("plan",)

    @admin.display(description=_("district"), ordering="plan__district")
    def district(self, obj):
        return obj.plan.district


@admin.register(PlanIssue)
class PlanIssueAdmin(PlanPartAdmin):
    list_display = ("title", "plan", "district", "field", "source")
    list_filter = (PLAN_DISTRICT_FILTER, "field", "source")
    list_select_related = ("plan__district", "field")
    search_fields = ("title", "description", *PLAN_SEARCH_FIELDS)
    autocomplete_fields = ("plan", "source_meeting")
    fields = ("plan", "title", "field", "description", "source", "source_meeting", "source_note")


class RoleAssignmentInline(DistrictScopeMixin, admin.TabularInline):
    model = RoleAssignment
    district_paths = INITIATIVE_PATHS
    fields = ("party", "organization", "department", "role", "sector", "description")
    autocomplete_fields = ("organization",)
    extra = 0


class IndicatorInline(DistrictScopeMixin, admin.TabularInline):
    """The initiative's indicators; each one's yearly results are on the indicator's page."""

    model = Indicator
    form = IndicatorForm
    district_paths = INITIATIVE_PATHS
    fields = (
        "order",
        "name",
        "unit",
        "baseline_value",
        "baseline_fy",
        "target_value",
        "target_fy",
        "direction",
    )
    extra = 0
    show_change_link = True


@admin.register(Initiative)
class InitiativeAdmin(PlanPartAdmin):
    form = InitiativeForm
    list_display = ("title", "plan", "district", "field", "start_fy", "end_fy", "status")
    list_filter = (PLAN_DISTRICT_FILTER, "status", "field")
    list_select_related = ("plan__district", "field")
    search_fields = ("title", "description", *PLAN_SEARCH_FIELDS)
    fields = (
        "plan",
        "title",
        "description",
        "field",
        "issues",
        ("start_fy", "end_fy"),
        "status",
        "order",
    )
    inlines = (RoleAssignmentInline, IndicatorInline)

    def get_fields(self, request, obj=None):
        # The issues to choose from are the plan's: they are offered once the plan is saved.
        fields = super().get_fields(request, obj)
        return fields if obj is not None else [name for name in fields if name != "issues"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        if obj is not None and "issues" in form.base_fields:
            form.base_fields["issues"].queryset = PlanIssue.objects.filter(plan=obj.plan_id)
        return form

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "issues":
            kwargs.setdefault("widget", forms.CheckboxSelectMultiple)
        return super().formfield_for_manytomany(db_field, request, **kwargs)


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(LargeTableAdminMixin, DistrictScopedAdmin, admin.ModelAdmin):
    district_paths = INITIATIVE_PATHS
    list_display = ("initiative", "party_name", "role", "sector")
    list_filter = ("party", "role", "sector")
    list_select_related = ("initiative", "organization")
    search_fields = (
        "initiative__title",
        "organization__name",
        "organization__name_kana",
        "department",
        "description",
    )
    autocomplete_fields = ("initiative", "organization")
    fields = ("initiative", "party", "organization", "department", "role", "sector", "description")

    @admin.display(description=_("who"))
    def party_name(self, obj):
        return obj.party_name


def value_in_year(value, unit: str, fy: int) -> str:
    """「120人（令和6年度）」: trailing zeros of the decimal dropped."""
    return f"{value.normalize():f}{unit}（{format_fiscal_year(fy)}）"


class IndicatorResultInline(DistrictScopeMixin, admin.TabularInline):
    model = IndicatorResult
    district_paths = ("indicator__initiative__plan__district",)
    fields = ("fiscal_year", "actual_value", "note")
    extra = 0


@admin.register(Indicator)
class IndicatorAdmin(LargeTableAdminMixin, DistrictScopedAdmin, admin.ModelAdmin):
    form = IndicatorForm
    district_paths = INITIATIVE_PATHS
    list_display = ("name", "initiative", "unit", "baseline", "target", "direction")
    list_filter = (("initiative__plan__district", ScopedRelatedListFilter), "direction")
    list_select_related = ("initiative",)
    search_fields = ("name", "initiative__title", "initiative__plan__title")
    autocomplete_fields = ("initiative",)
    fields = (
        "initiative",
        ("name", "unit"),
        ("baseline_value", "baseline_fy"),
        ("target_value", "target_fy"),
        "direction",
        "order",
    )
    inlines = (IndicatorResultInline,)

    def get_inlines(self, request, obj):
        # A result's year must fall within the plan's: results are entered once the
        # indicator, and so its plan, is saved.
        return self.inlines if obj is not None else ()

    @admin.display(description=_("baseline"))
    def baseline(self, obj):
        return value_in_year(obj.baseline_value, obj.unit, obj.baseline_fy)

    @admin.display(description=_("target"))
    def target(self, obj):
        return value_in_year(obj.target_value, obj.unit, obj.target_fy)


@admin.register(IndicatorResult)
class IndicatorResultAdmin(LargeTableAdminMixin, DistrictScopedAdmin, admin.ModelAdmin):
    district_paths = ("indicator__initiative__plan__district",)
    list_display = ("indicator", "fiscal_year_label", "actual_value", "progress")
    list_filter = (("indicator__initiative__plan__district", ScopedRelatedListFilter),)
    list_select_related = ("indicator",)
    search_fields = ("indicator__name", "indicator__initiative__title", "note")
    autocomplete_fields = ("indicator",)
    fields = ("indicator", "fiscal_year", "actual_value", "note")

    @admin.display(description=_("fiscal year"), ordering="fiscal_year")
    def fiscal_year_label(self, obj):
        return format_fiscal_year(obj.fiscal_year)

    @admin.display(description=_("progress toward the target"))
    def progress(self, obj):
        return format_percent(obj.indicator.progress(obj.actual_value))


class ReviewRatingInline(DistrictScopeMixin, admin.TabularInline):
    model = ReviewRating
    district_paths = ("review__plan__district",)
    fields = ("initiative", "rating", "reason")
    formfield_overrides = SHORT_TEXT
    extra = 0

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        if obj is not None and "initiative" in formset.form.base_fields:
            field = formset.form.base_fields["initiative"]
            field.queryset = field.queryset.filter(plan=obj.plan_id)
        return formset


@admin.register(Review)
class ReviewAdmin(PlanPartAdmin):
    list_display = ("plan", "district", "fiscal_year_label")
    list_filter = (PLAN_DISTRICT_FILTER,)
    search_fields = ("summary", "next_steps", *PLAN_SEARCH_FIELDS)
    fields = ("plan", "fiscal_year", "summary", "next_steps")
    inlines = (ReviewRatingInline,)

    def get_inlines(self, request, obj):
        # The initiatives to rate are the plan's: they are offered once the review is saved.
        return self.inlines if obj is not None else ()

    @admin.display(description=_("fiscal year"), ordering="fiscal_year")
    def fiscal_year_label(self, obj):
        return format_fiscal_year(obj.fiscal_year)


@admin.register(ReviewRating)
class ReviewRatingAdmin(LargeTableAdminMixin, DistrictScopedAdmin, admin.ModelAdmin):
    district_paths = ("review__plan__district",)
    list_display = ("initiative", "review", "rating")
    list_filter = ("rating",)
    list_select_related = ("initiative", "review__plan")
    search_fields = ("initiative__title", "reason", "review__plan__title")
    autocomplete_fields = ("review", "initiative")
    fields = ("review", "initiative", "rating", "reason")


# Meetings ----------------------------------------------------------------------------------


class DecisionInline(DistrictScopeMixin, admin.TabularInline):
    model = Decision
    formset = DecisionFormSet
    district_paths = MEETING_PATHS
    fields = ("order", "text")
    formfield_overrides = SHORT_TEXT
    extra = 1


class ActionItemInline(DistrictScopeMixin, admin.TabularInline):
    model = ActionItem
    district_paths = MEETING_PATHS
    fields = ("what", "owner_organization", "owner_role", "due_on", "status")
    autocomplete_fields = ("owner_organization",)
    extra = 1


class MeetingAttachmentInline(DistrictScopeMixin, admin.TabularInline):
    model = MeetingAttachment
    district_paths = MEETING_PATHS
    fields = ("title", "file")
    extra = 0


@admin.register(Meeting)
class MeetingAdmin(LargeTableAdminMixin, DistrictScopedAdmin, admin.ModelAdmin):
    """One page for a meeting: the announcement before it, the record after it."""

    form = MeetingForm
    district_paths = ("district",)
    list_display = ("starts_at", "title", "district", "kind", "attendance", "is_published")
    list_display_links = ("starts_at", "title")
    list_filter = (
        ("district", ScopedRelatedListFilter),
        "kind",
        MeetingFiscalYearFilter,
        "is_published",
    )
    list_select_related = ("district",)
    # No date_hierarchy: its year links are a DISTINCT over every meeting's date on each page
    # load (docs/performance.md). The fiscal-year filter above finds the years with index probes.
    search_fields = (
        "title",
        "agenda",
        "minutes",
        "place",
        "district__name",
        "district__name_kana",
        "council__name",
    )
    search_help_text = _("Searches titles, agendas, minutes, places and district names.")
    autocomplete_fields = ("district", "council", "attending_groups", "plan", "initiatives")
    readonly_fields = ("published_at", "created_at", "updated_at")
    fieldsets = (
        (None, {"fields": ("district", "council", "kind", "title")}),
        (
            _("When and where"),
            {
                "fields": (
                    ("starts_at", "ends_at"),
                    "place",
                    "place_address",
                    "attendance",
                    "attending_groups",
                )
            },
        ),
        (
            _("Attending"),
            {
                "fields": (
                    "admission",
                    "registration_how",
                    ("registration_contact", "registration_deadline"),
                )
            },
        ),
        (_("Agenda and minutes"), {"fields": ("agenda", "minutes")}),
        (_("Plan"), {"fields": ("plan", "initiatives")}),
        (
            _("Publication"),
            {"fields": ("is_published", "published_at", ("created_at", "updated_at"))},
        ),
    )
    inlines = (DecisionInline, ActionItemInline, MeetingAttachmentInline)
    actions = ("publish", "unpublish")

    class Media:
        js = ("js/admin-council-follows-district.js",)

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        if "district" not in initial:
            # Most liaison officers serve one district: start from it.
            districts = list(districts_in_scope(request.user).values_list("pk", flat=True)[:2])
            if len(districts) == 1:
                initial["district"] = districts[0]
        return initial

    @admin.action(description=_("Publish the selected meetings"), permissions=["change"])
    def publish(self, request, queryset):
        changed = set_meetings_published(meetings=queryset, published=True, by=request.user)
        self._report(
            request,
            len(changed),
            ngettext("Published %(count)d meeting.", "Published %(count)d meetings.", len(changed)),
            _("The selected meetings were already published."),
        )

    @admin.action(description=_("Unpublish the selected meetings"), permissions=["change"])
    def unpublish(self, request, queryset):
        changed = set_meetings_published(meetings=queryset, published=False, by=request.user)
        self._report(
            request,
            len(changed),
            ngettext(
                "Unpublished %(count)d meeting.", "Unpublished %(count)d meetings.", len(changed)
            ),
            _("None of the selected meetings was published."),
        )

    def _report(self, request, count: int, done: str, nothing: str) -> None:
        if count:
            self.message_user(request, done % {"count": count}, messages.SUCCESS)
        else:
            self.message_user(request, nothing, messages.WARNING)


@admin.register(Decision)
class DecisionAdmin(LargeTableAdminMixin, DistrictScopedAdmin, admin.ModelAdmin):
    district_paths = MEETING_PATHS
    list_display = ("__str__", "meeting", "meeting_starts_at")
    list_select_related = ("meeting",)
    list_filter = (("meeting__district", ScopedRelatedListFilter),)
    search_fields = ("text", "meeting__title")
    autocomplete_fields = ("meeting",)
    fields = ("meeting", "text", "order")

    @admin.display(description=_("meeting date"), ordering="meeting__starts_at")
    def meeting_starts_at(self, obj):
        return obj.meeting.starts_at


@admin.register(ActionItem)
class ActionItemAdmin(LargeTableAdminMixin, DistrictScopedAdmin, admin.ModelAdmin):
    district_paths = MEETING_PATHS
    list_display = ("what", "meeting", "owner", "due_on", "status")
    list_select_related = ("meeting", "owner_organization")
    list_filter = (("meeting__district", ScopedRelatedListFilter), "status")
    search_fields = (
        "what",
        "owner_role",
        "owner_organization__name",
        "owner_organization__name_kana",
        "meeting__title",
    )
    autocomplete_fields = ("meeting", "owner_organization")
    fields = ("meeting", "what", ("owner_organization", "owner_role"), "due_on", "status")

    @admin.display(description=_("who"))
    def owner(self, obj):
        return obj.owner


@admin.register(MeetingAttachment)
class MeetingAttachmentAdmin(LargeTableAdminMixin, DistrictScopedAdmin, admin.ModelAdmin):
    district_paths = MEETING_PATHS
    list_display = ("title", "meeting")
    list_select_related = ("meeting",)
    list_filter = (("meeting__district", ScopedRelatedListFilter),)
    search_fields = ("title", "meeting__title")
    autocomplete_fields = ("meeting",)
    fields = ("meeting", "title", "file")
