from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TransitionsConfig(AppConfig):
    name = "transitions"
    label = "transitions"
    verbose_name = _("Transitions")

    def ready(self):
        from transitions.timeline import register_sources  # its events on the child's timeline

        register_sources()
