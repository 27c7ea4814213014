from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "portal.api"
    label = "api"
    verbose_name = _("API for municipal systems")

    def ready(self):
        from portal.api import schema  # noqa: F401  (registers the key's security scheme)
