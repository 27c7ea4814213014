from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChildrenConfig(AppConfig):
    name = "children"
    label = "children"
    verbose_name = _("Children")

    def ready(self):
        from children import signals  # noqa: F401  (connects the receivers)
        from children.timeline.events import register_sources

        register_sources()
