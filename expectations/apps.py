from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExpectationsConfig(AppConfig):
    name = "expectations"
    label = "expectations"
    verbose_name = _("Shared responsibility")

    def ready(self):
        from expectations.timeline import register_sources  # its events on the child's timeline

        register_sources()
