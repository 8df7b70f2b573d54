from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Shared")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in
        from django.db.models.signals import post_migrate, pre_migrate

        from . import cache, middleware, search

        cache.start_watching()
        pre_migrate.connect(search.migrating, dispatch_uid="core.search.migrating")
        post_migrate.connect(search.installed, dispatch_uid="core.search.installed")
        user_logged_in.connect(
            middleware.staff_signed_in, dispatch_uid="core.middleware.staff_signed_in"
        )
