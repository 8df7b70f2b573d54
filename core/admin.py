"""Django's own admins for accounts, with dates and e-mail addresses read as typed.

The user's e-mail address and dates (last sign-in, joined) follow the site's rules for typed
input (core.admin_input), as every other admin does; nothing else of Django's admin changes.
"""

from django.contrib import admin
from django.contrib.auth import admin as auth_admin
from django.contrib.auth.models import Group, User

from .admin_input import TypedInputAdminMixin

admin.site.unregister(User)
admin.site.unregister(Group)


@admin.register(User)
class UserAdmin(TypedInputAdminMixin, auth_admin.UserAdmin):
    pass


@admin.register(Group)
class GroupAdmin(TypedInputAdminMixin, auth_admin.GroupAdmin):
    pass
