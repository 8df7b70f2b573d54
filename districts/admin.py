"""Admin for districts, councils, statistics and liaison assignments, scoped by district."""

from django.contrib import admin
from django.db.models import Exists, OuterRef, Prefetch
from django.utils.translation import gettext_lazy as _

from core.admin_paging import LargeTableAdminMixin, ScopedRelatedListFilter
from core.admin_scope import DistrictScopedAdmin, DistrictScopeMixin
from core.numbers import format_percent, percent
from districts.forms import DistrictAdminForm
from districts.maps import boundary_preview
from districts.models import (
    Council,
    District,
    DistrictStatistic,
    LiaisonAssignment,
)


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


class CouncilInline(CoordinatorsReadOnlyMixin, DistrictScopeMixin, admin.StackedInline):
    model = Council
    district_paths = ("district",)
    fields = (
        ("name", "name_kana"),
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
        (None, {"fields": ("kind", ("name", "name_kana"), "slug", "school_name", "display_order")}),
        (_("Hub facility"), {"fields": ("hub_name", "hub_address", "hub_phone")}),
        (_("Description"), {"fields": ("summary",)}),
        (_("Map"), {"fields": ("current_boundary", "boundary_file", "remove_boundary")}),
    )
    form = DistrictAdminForm
    readonly_fields = ("current_boundary",)
    inlines = (CouncilInline, DistrictStatisticInline, LiaisonAssignmentInline)

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

    @admin.display(description=_("current stage"), ordering="council__stage")
    def current_stage(self, obj):
        return obj.rollout_stage.label

    @admin.display(description=_("aging rate"))
    def latest_aging_rate(self, obj):
        return format_percent(percent(obj.latest_aged_65_over or 0, obj.latest_population))

    @admin.display(description=_("liaison officer"))
    def liaison_officers(self, obj):
        return ", ".join(
            assignment.user.get_full_name() or assignment.user.get_username()
            for assignment in obj.current_liaisons
        )


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
            {"fields": ("district", ("name", "name_kana"), ("stage", "established_on"), "bylaws")},
        ),
        (
            _("Public profile"),
            {"fields": ("introduction", "contact_name", "contact_phone", "contact_email")},
        ),
        (_("Accounts"), {"fields": ("coordinators",)}),
    )

    # organizations/admin.py adds the member-group and officer inlines: organizations depends
    # on districts, not the other way round.


@admin.register(DistrictStatistic)
class DistrictStatisticAdmin(LargeTableAdminMixin, DistrictScopedAdmin, admin.ModelAdmin):
    district_paths = ("district",)
    list_display = (
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
    fields = (
        "district",
        "as_of",
        "population",
        "households",
        "under_15",
        "aged_65_over",
        "aging_rate",
    )
    readonly_fields = ("aging_rate",)

    @admin.display(description=_("aging rate"))
    def aging_rate(self, obj):
        return format_percent(obj.aging_rate)


@admin.register(LiaisonAssignment)
class LiaisonAssignmentAdmin(DistrictScopedAdmin, admin.ModelAdmin):
    district_paths = ("district",)
    list_display = ("district", "user", "start_on", "end_on", "is_current", "public_name")
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
