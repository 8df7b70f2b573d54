"""Admin for districts, councils, statistics and liaison assignments, scoped by district."""

import base64
import zlib

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Exists, OuterRef, Prefetch
from django.forms.models import BaseInlineFormSet
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.admin_paging import LargeTableAdminMixin
from core.names import person_name
from core.numbers import format_percent, percent
from districts.admin_scope import (
    DistrictScopedAdmin,
    DistrictScopeMixin,
    ScopedRelatedListFilter,
)
from districts.area_import import (
    PlanChanged,
    apply_import,
    file_digest,
    plan_import,
)
from districts.forms import AreaImportForm, DistrictAdminForm
from districts.maps import boundary_preview
from districts.models import (
    Area,
    Council,
    District,
    DistrictStatistic,
    LiaisonAssignment,
)
from districts.permissions import can_import_areas

# The file checked in the import's first step, kept for the second (never a plan from the form).
AREA_IMPORT_SESSION_KEY = "districts_area_import"
# The dry run lists at most this many rows of each kind; the counts are always whole.
AREA_IMPORT_LISTED = 300


class CoordinatorsReadOnlyMixin:
    """Only staff who may see user accounts pick a council's coordinator accounts.

    The autocomplete behind the field lists users, which needs ``auth.view_user``; and linking
    an account to a council gives it that council's applications, so liaison officers see the
    list but leave the choice to the administrators.
    """

    def get_readonly_fields(self, request, obj=None):
        readonly = tuple(super().get_readonly_fields(request, obj))
        if not request.user.has_perm("auth.view_user"):
            readonly += ("coordinators",)
        return readonly


class DistrictStatisticInline(DistrictScopeMixin, admin.TabularInline):
    model = DistrictStatistic
    district_paths = ("district",)
    fields = ("as_of", "population", "households", "under_15", "aged_65_over", "aging_rate")
    readonly_fields = ("aging_rate",)
    extra = 0

    @admin.display(description=_("aging rate"))
    def aging_rate(self, obj):
        return format_percent(obj.aging_rate)


class LiaisonAssignmentInline(DistrictScopeMixin, admin.TabularInline):
    model = LiaisonAssignment
    district_paths = ("district",)
    fields = ("user", "start_on", "end_on", "public_name", "public_phone", "public_email")
    autocomplete_fields = ("user",)
    extra = 0


class AreaInlineFormSet(BaseInlineFormSet):
    """The district's areas, checked together: a row may not overlap another row of the form.

    Each row's own check (Area.clean) looks in the database for other districts' areas; the rows
    this form rewrites are left out of that look, and their new values are compared here.
    """

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        form.instance.rewritten_pks = self._rewritten_pks()
        return form

    def _rewritten_pks(self) -> frozenset[int]:
        if not hasattr(self, "_rewritten"):
            self._rewritten = frozenset(
                area.pk for area in self.get_queryset()[: self.initial_form_count()]
            )
        return self._rewritten

    def clean(self):
        super().clean()
        kept: list[tuple[int, Area]] = []
        for number, form in enumerate(self.forms, start=1):
            if not form.has_changed() and form.instance.pk is None:
                continue
            if self.can_delete and self._should_delete_form(form):
                continue
            if form.errors or not getattr(form, "cleaned_data", None):
                continue
            area = form.instance
            for other_number, other in kept:
                if area.overlaps(other):
                    form.add_error(
                        None,
                        ValidationError(
                            gettext("%(area)s overlaps %(other)s in row %(row)s of this form.")
                            % {"area": area.label, "other": other.label, "row": other_number},
                            code="overlapping_area",
                        ),
                    )
                    break
            else:
                kept.append((number, area))
        if any(form.errors for form in self.forms):
            raise ValidationError(gettext("Correct the areas marked below."))


class AreaInline(DistrictScopeMixin, admin.TabularInline):
    """The district's 町丁目 in address order; Area.clean refuses a row another area claims."""

    model = Area
    formset = AreaInlineFormSet
    district_paths = ("district",)
    fields = ("town", "town_kana", "chome", "banchi_from", "banchi_to")
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).in_address_order()


class CouncilInline(CoordinatorsReadOnlyMixin, DistrictScopeMixin, admin.StackedInline):
    model = Council
    district_paths = ("district",)
    fields = (
        ("name", "name_kana"),
        "name_en",
        ("stage", "established_on"),
        "bylaws",
        "introduction",
        ("contact_name", "contact_phone", "contact_email"),
        "coordinators",
    )
    autocomplete_fields = ("coordinators",)
    extra = 0
    max_num = 1
    show_change_link = True


@admin.register(District)
class DistrictAdmin(DistrictScopedAdmin, admin.ModelAdmin):
    district_paths = ("id",)
    list_display = (
        "name",
        "name_kana",
        "kind",
        "school_name",
        "current_stage",
        "latest_aging_rate",
        "liaison_officers",
        "display_order",
    )
    list_filter = ("kind", "council__stage")
    search_fields = (
        "name",
        "name_kana",
        "school_name",
        "slug",
        "council__name",
        "council__name_kana",
    )
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "kind",
                    ("name", "name_kana"),
                    "name_en",
                    "slug",
                    "school_name",
                    "display_order",
                )
            },
        ),
        (_("Hub facility"), {"fields": ("hub_name", "hub_address", "hub_phone")}),
        (_("Description"), {"fields": ("summary",)}),
        (_("Map"), {"fields": ("current_boundary", "boundary_file", "remove_boundary")}),
    )
    form = DistrictAdminForm
    readonly_fields = ("current_boundary",)
    inlines = (CouncilInline, AreaInline, DistrictStatisticInline, LiaisonAssignmentInline)

    class Media:
        css = {"all": ("css/admin-map.css",)}

    @admin.display(description=_("current boundary"))
    def current_boundary(self, obj):
        return boundary_preview(obj) or _("No boundary yet.")

    def get_queryset(self, request):
        current_liaisons = LiaisonAssignment.objects.current().select_related("user")
        return (
            super()
            .get_queryset(request)
            .select_related("council")
            .with_latest_figures()
            .prefetch_related(
                Prefetch("liaison_assignments", current_liaisons, to_attr="current_liaisons")
            )
        )

    def get_urls(self):
        return [
            path(
                "import-areas/",
                self.admin_site.admin_view(self.import_areas_view),
                name="districts_district_import_areas",
            ),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "can_import_areas": can_import_areas(request.user),
        }
        return super().changelist_view(request, extra_context)

    def import_areas_view(self, request):
        """Upload the 通学区域 table, see what would change, then confirm (area_import.py)."""
        if not can_import_areas(request.user):
            raise PermissionDenied
        form = AreaImportForm()
        plan = None
        plan_changed = False
        digest = ""
        if request.method == "POST" and "confirm" in request.POST:
            stored = request.session.get(AREA_IMPORT_SESSION_KEY)
            if not stored or stored["digest"] != request.POST.get("file_digest"):
                messages.error(
                    request, gettext("The checked file is no longer at hand. Upload it again.")
                )
                return redirect("admin:districts_district_import_areas")
            content = zlib.decompress(base64.b64decode(stored["content"]))
            try:
                plan = apply_import(
                    content=content,
                    expected_fingerprint=request.POST.get("plan", ""),
                    by=request.user,
                )
            except PlanChanged as changed:
                plan, plan_changed, digest = changed.plan, True, stored["digest"]
                if not (plan.is_valid and plan.has_changes):
                    request.session.pop(AREA_IMPORT_SESSION_KEY, None)
            else:
                request.session.pop(AREA_IMPORT_SESSION_KEY, None)
                messages.success(
                    request,
                    gettext(
                        "The 通学区域 table was imported: %(added)s added, %(changed)s changed, "
                        "%(removed)s removed."
                    )
                    % {
                        "added": len(plan.added),
                        "changed": len(plan.changed),
                        "removed": len(plan.removed),
                    },
                )
                return redirect("admin:districts_district_changelist")
        elif request.method == "POST":
            form = AreaImportForm(request.POST, request.FILES)
            if form.is_valid():
                upload = form.cleaned_data["file"]
                content = upload.read()
                plan = plan_import(content)
                request.session.pop(AREA_IMPORT_SESSION_KEY, None)
                if plan.is_valid and plan.has_changes:
                    digest = file_digest(content)
                    request.session[AREA_IMPORT_SESSION_KEY] = {
                        "digest": digest,
                        "name": upload.name,
                        "content": base64.b64encode(zlib.compress(content)).decode("ascii"),
                    }
                form = AreaImportForm()
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": gettext("Import areas (通学区域)"),
            "form": form,
            "plan": plan,
            "plan_changed": plan_changed,
            "file_digest": digest,
            "listed": AREA_IMPORT_LISTED,
            "more": {
                name: max(0, len(getattr(plan, name)) - AREA_IMPORT_LISTED)
                for name in ("problems", "added", "changed", "removed")
            }
            if plan
            else {},
        }
        return TemplateResponse(request, "admin/districts/district/import_areas.html", context)

    @admin.display(description=_("current stage"), ordering="council__stage")
    def current_stage(self, obj):
        return obj.rollout_stage.label

    @admin.display(description=_("aging rate"))
    def latest_aging_rate(self, obj):
        return format_percent(percent(obj.latest_aged_65_over or 0, obj.latest_population))

    @admin.display(description=_("liaison officer"))
    def liaison_officers(self, obj):
        return ", ".join(person_name(assignment.user) for assignment in obj.current_liaisons)


@admin.register(Council)
class CouncilAdmin(CoordinatorsReadOnlyMixin, DistrictScopedAdmin, admin.ModelAdmin):
    district_paths = ("district",)
    list_display = ("name", "district", "stage", "established_on", "contact_name")
    list_filter = ("stage", "district__kind")
    list_select_related = ("district",)
    search_fields = ("name", "name_kana", "district__name", "district__name_kana")
    autocomplete_fields = ("district", "coordinators")
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "district",
                    ("name", "name_kana"),
                    "name_en",
                    ("stage", "established_on"),
                    "bylaws",
                )
            },
        ),
        (
            _("Public profile"),
            {"fields": ("introduction", "contact_name", "contact_phone", "contact_email")},
        ),
        (_("Accounts"), {"fields": ("coordinators",)}),
    )

    # organizations/admin.py adds the member-group and officer inlines: organizations depends
    # on districts, not the other way round.

    def get_search_results(self, request, queryset, search_term):
        """In an autocomplete that names its district (a meeting's council: the script
        admin-council-follows-district.js sends it), that district's council only."""
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        district = request.GET.get("district", "")
        match = getattr(request, "resolver_match", None)
        if match is not None and match.url_name == "autocomplete" and district.isdigit():
            queryset = queryset.filter(district_id=int(district))
        return queryset, may_have_duplicates


@admin.register(DistrictStatistic)
class DistrictStatisticAdmin(LargeTableAdminMixin, DistrictScopedAdmin, admin.ModelAdmin):
    district_paths = ("district",)
    # The list shows every field the form has, the aging rate computed in both.
    fields = list_display = (
        "district",
        "as_of",
        "population",
        "households",
        "under_15",
        "aged_65_over",
        "aging_rate",
    )
    list_filter = (("district", ScopedRelatedListFilter),)
    list_select_related = ("district",)
    date_hierarchy = "as_of"
    search_fields = ("district__name", "district__name_kana")
    autocomplete_fields = ("district",)
    readonly_fields = ("aging_rate",)

    @admin.display(description=_("aging rate"))
    def aging_rate(self, obj):
        return format_percent(obj.aging_rate)


@admin.register(LiaisonAssignment)
class LiaisonAssignmentAdmin(DistrictScopedAdmin, admin.ModelAdmin):
    district_paths = ("district",)
    list_display = ("district", "staff_name", "start_on", "end_on", "is_current", "public_name")
    list_filter = (("district", admin.RelatedOnlyFieldListFilter), "start_on")
    list_select_related = ("district", "user")
    search_fields = (
        "district__name",
        "district__name_kana",
        "user__username",
        "user__last_name",
        "user__first_name",
        "public_name",
    )
    autocomplete_fields = ("user", "district")
    fieldsets = (
        (None, {"fields": ("district", "user", ("start_on", "end_on"))}),
        (_("Shown to residents"), {"fields": ("public_name", "public_phone", "public_email")}),
    )

    def get_queryset(self, request):
        current = LiaisonAssignment.objects.current().filter(pk=OuterRef("pk"))
        return super().get_queryset(request).annotate(current=Exists(current))

    @admin.display(description=_("current"), boolean=True, ordering="current")
    def is_current(self, obj):
        return obj.current

    @admin.display(description=_("staff member"), ordering="user__last_name")
    def staff_name(self, obj):
        return person_name(obj.user)
