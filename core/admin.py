"""Django's own admins for accounts, with dates, e-mail addresses and searches as typed.

The user's e-mail address and dates (last sign-in, joined) follow the site's rules for typed
input (core.admin_input), and the search finds names however they are written
(core.admin_search), as in every other admin; nothing else of Django's admin changes.
"""

from django.contrib import admin
from django.contrib.auth import admin as auth_admin
from django.contrib.auth.models import Group, User

from .admin_input import TypedInputAdminMixin
from .admin_search import KanaSearchMixin

admin.site.unregister(User)
admin.site.unregister(Group)


@admin.register(User)
class UserAdmin(KanaSearchMixin, TypedInputAdminMixin, auth_admin.UserAdmin):
    pass


@admin.register(Group)
class GroupAdmin(KanaSearchMixin, TypedInputAdminMixin, auth_admin.GroupAdmin):
    pass
