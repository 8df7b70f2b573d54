from django.apps import AppConfig
from django.apps import apps as global_apps
from django.utils.translation import gettext_lazy as _


class SubsidiesConfig(AppConfig):
    name = "subsidies"
    verbose_name = _("Consolidated grant")

    def ready(self):
        from django.db.models.signals import post_migrate

        from . import policy, search

        search.register_kinds()
        policy.declare_city_wide_roles()
        post_migrate.connect(
            create_role_groups, sender=self, dispatch_uid="subsidies.create_role_groups"
        )


def create_role_groups(sender, apps=global_apps, **kwargs):
    """After migrate (and flush): the groups of the roles policy.ROLES declares with their own
    permissions. Django has created the permissions of this app and those before it by now."""
    from . import policy

    policy.create_role_groups(apps)
