"""Admin for groups, their council seats and officers, scoped by district."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from core.admin_input import TypedInputAdminMixin
from core.admin_paging import LargeTableAdminMixin
from districts.admin import CouncilAdmin
from districts.admin_scope import (
    DistrictScopedAdmin,
    DistrictScopeMixin,
    ScopedRelatedListFilter,
)
from districts.models import Council
from organizations.models import Field, Membership, Officer, Organization

# An officer belongs to a group or to a council; either leads to the districts of the scope.
OFFICER_DISTRICT_PATHS = ("organization__districts", "council__district")

# Nine fields are too many columns for a row at 1024px: each officer is a short block instead.
OFFICER_INLINE_FIELDS = (
    ("role", "title_detail"),
    ("person_name", "person_name_kana"),
    ("term_start", "term_end", "name_is_public"),
    ("private_phone", "private_email"),
)


@admin.register(Field)
class FieldAdmin(TypedInputAdminMixin, admin.ModelAdmin):
    """The fixed list of activity fields: their labels are translations, only the order moves."""

    list_display = ("__str__", "code", "order")
    list_editable = ("order",)
    fields = ("code", "order")
    readonly_fields = ("code",)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class OrganizationMembershipInline(DistrictScopeMixin, admin.TabularInline):
    """The group's seats in councils (of the user's districts only)."""

    model = Membership
    district_paths = ("council__district",)
    fields = ("council", "role", "start_on", "end_on")
    autocomplete_fields = ("council",)
    extra = 0


class CouncilMembershipInline(DistrictScopeMixin, admin.TabularInline):
    """The council's member groups."""

    model = Membership
    district_paths = ("council__district",)
    fields = ("organization", "role", "start_on", "end_on")
    autocomplete_fields = ("organization",)
    extra = 0


class OrganizationOfficerInline(DistrictScopeMixin, admin.StackedInline):
    model = Officer
    fk_name = "organization"
    district_paths = OFFICER_DISTRICT_PATHS
    fields = OFFICER_INLINE_FIELDS
    extra = 0
    show_change_link = True


class CouncilOfficerInline(DistrictScopeMixin, admin.StackedInline):
    model = Officer
    fk_name = "council"
    district_paths = OFFICER_DISTRICT_PATHS
    fields = OFFICER_INLINE_FIELDS
    extra = 0
    show_change_link = True


@admin.register(Organization)
class OrganizationAdmin(LargeTableAdminMixin, DistrictScopedAdmin, admin.ModelAdmin):
    district_paths = ("districts",)
    list_display = ("name", "name_kana", "kind", "district_names", "is_published", "updated_at")
    list_filter = (
        "kind",
        "is_published",
        "fields",
        ("districts", ScopedRelatedListFilter),
    )
    search_fields = ("name", "name_kana", "districts__name", "districts__name_kana")
    autocomplete_fields = ("districts",)
    readonly_fields = ("created_at", "updated_at")
    fieldsets = (
        (None, {"fields": (("name", "name_kana"), "name_en", "kind", "districts", "fields")}),
        (
            _("Profile"),
            {"fields": ("description", "founded_on", "member_households", "website", "email")},
        ),
        (_("Publication"), {"fields": ("is_published", ("created_at", "updated_at"))}),
    )
    inlines = (OrganizationMembershipInline, OrganizationOfficerInline)

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("districts")

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "fields":
            kwargs.setdefault("widget", forms.CheckboxSelectMultiple)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    @admin.display(description=_("districts"))
    def district_names(self, obj):
        return ", ".join(district.name for district in obj.districts.all())


@admin.register(Membership)
class MembershipAdmin(LargeTableAdminMixin, DistrictScopedAdmin, admin.ModelAdmin):
    district_paths = ("council__district",)
    list_display = ("organization", "council", "role", "start_on", "end_on")
    list_filter = ("role", ("council", ScopedRelatedListFilter))
    list_select_related = ("organization", "council")
    search_fields = (
        "organization__name",
        "organization__name_kana",
        "council__name",
        "council__name_kana",
    )
    autocomplete_fields = ("organization", "council")
    fields = ("council", "organization", "role", ("start_on", "end_on"))


@admin.register(Officer)
class OfficerAdmin(LargeTableAdminMixin, DistrictScopedAdmin, admin.ModelAdmin):
    district_paths = OFFICER_DISTRICT_PATHS
    list_display = (
        "person_name",
        "title",
        "belongs_to",
        "term_start",
        "term_end",
        "name_is_public",
    )
    list_filter = ("role", "name_is_public")
    list_select_related = ("organization", "council")
    search_fields = (
        "person_name",
        "person_name_kana",
        "title_detail",
        "organization__name",
        "organization__name_kana",
        "council__name",
        "council__name_kana",
    )
    autocomplete_fields = ("organization", "council")
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "organization",
                    "council",
                    ("role", "title_detail"),
                    ("person_name", "person_name_kana"),
                    ("term_start", "term_end"),
                    "name_is_public",
                ),
                "description": _("Choose either a group or a council."),
            },
        ),
        (
            _("Staff only"),
            {
                "fields": ("private_phone", "private_email", "private_note"),
                "description": _("Never shown on the public pages."),
            },
        ),
    )

    @admin.display(description=_("title"), ordering="rank")
    def title(self, obj):
        return obj.title

    @admin.display(description=_("group or council"))
    def belongs_to(self, obj):
        return obj.organization or obj.council


# The council's member groups and officers are edited on the council's page. The inlines live
# here, so the council admin is re-registered with them rather than districts importing
# organizations.
class CouncilWithMembersAdmin(CouncilAdmin):
    inlines = (*CouncilAdmin.inlines, CouncilMembershipInline, CouncilOfficerInline)


admin.site.unregister(Council)
admin.site.register(Council, CouncilWithMembersAdmin)
