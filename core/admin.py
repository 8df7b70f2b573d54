"""Staff accounts and permission groups in the admin: names family name first, permissions in
the staff's language (「会議を追加できる」 rather than "Can add meeting"); e-mail addresses and
dates as typed (core.admin_input) and searches that find names however they are written
(core.admin_search), as in every other admin."""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.forms import ReadOnlyPasswordHashWidget, UserChangeForm
from django.contrib.auth.models import Group, Permission
from django.utils.translation import gettext, pgettext, pgettext_lazy
from django_tasks_db.models import DBTaskResult

from core.admin_input import KeyCheckedMultipleChoiceField, TypedInputAdminMixin
from core.admin_search import KanaSearchMixin
from core.admin_site import section_of
from core.names import person_name

User = get_user_model()

# The task queue's own admin is a developer's view (ids, module paths, tracebacks), not staff
# work: a message that could not be sent is logged as an error (core.tasks).
admin.site.unregister(DBTaskResult)

# Django's default permissions by action, worded from the model's translated name.
ACTION_WORDING = {
    "add": lambda model: pgettext("permission", "Can add %(model)s") % {"model": model},
    "change": lambda model: pgettext("permission", "Can change %(model)s") % {"model": model},
    "delete": lambda model: pgettext("permission", "Can delete %(model)s") % {"model": model},
    "view": lambda model: pgettext("permission", "Can view %(model)s") % {"model": model},
}


def permission_name(permission: Permission) -> str:
    """What the permission allows, in the current language.

    The names stored with the permissions are English ("Can add action item"), written once
    when the tables were made. Default permissions are worded again from the action and the
    model's translated name; a model's own permissions (Meta.permissions) by translating the
    name declared there.
    """
    model = permission.content_type.model_class()
    if model is None:  # a table removed from the code since
        return permission.name
    opts = model._meta
    action, _sep, model_name = permission.codename.partition("_")
    if model_name == opts.model_name and action in opts.default_permissions:
        return ACTION_WORDING[action](opts.verbose_name)
    for codename, name in opts.permissions:
        if codename == permission.codename:
            return gettext(str(name))
    return permission.name


def permission_label(permission: Permission) -> str:
    """「会議 | 宿題事項 | 宿題事項を追加できる」: the admin's section (or the app, for tables
    outside the admin), the table, the permission."""
    model = permission.content_type.model_class()
    if model is None:
        return str(permission)
    opts = model._meta
    section = section_of(opts.label_lower)
    where = section.name if section is not None else opts.app_config.verbose_name
    return f"{where} | {opts.verbose_name} | {permission_name(permission)}"


class PermissionChoiceField(KeyCheckedMultipleChoiceField):
    def label_from_instance(self, obj):
        return permission_label(obj)


class PermissionLabelsMixin:
    """The permission pickers of the user and group pages, worded by permission_label."""

    permission_fields = ("permissions", "user_permissions")

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name in self.permission_fields:
            kwargs["form_class"] = PermissionChoiceField
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class PasswordSummaryWidget(ReadOnlyPasswordHashWidget):
    """The password's summary as Django draws it, without ``disabled`` on its <div>.

    The field is read-only (disabled) so nothing posted can change the password; on a <div> the
    attribute means nothing and is not valid HTML.
    """

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"].pop("disabled", None)
        return context


class StaffUserChangeForm(UserChangeForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        password = self.fields.get("password")
        if password is not None:
            password.widget = PasswordSummaryWidget()


admin.site.unregister(User)
admin.site.unregister(Group)


@admin.register(User)
class StaffUserAdmin(KanaSearchMixin, TypedInputAdminMixin, PermissionLabelsMixin, UserAdmin):
    form = StaffUserChangeForm
    list_display = ("username", "name", "email", "is_staff", "is_active", "last_login")
    # The family name first, as the form and the list read it.
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (UserAdmin.fieldsets[1][0], {"fields": ("last_name", "first_name", "email")}),
        *UserAdmin.fieldsets[2:],
    )
    ordering = ("last_name", "first_name", "username")

    @admin.display(description=pgettext_lazy("admin", "Name"), ordering="last_name")
    def name(self, obj):
        return person_name(obj)


@admin.register(Group)
class PermissionGroupAdmin(
    KanaSearchMixin, TypedInputAdminMixin, PermissionLabelsMixin, GroupAdmin
):
    pass
