from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SubsidiesConfig(AppConfig):
    name = "subsidies"
    verbose_name = _("Consolidated grant")

    def ready(self):
        from . import search

        search.register_kinds()
