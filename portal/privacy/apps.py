from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "portal.privacy"
    label = "privacy"
    verbose_name = _("Data rights and retention")

    def ready(self):
        from portal.privacy import signals  # noqa: F401  (export files follow their rows)
