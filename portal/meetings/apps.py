from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "portal.meetings"
    label = "meetings"
    verbose_name = _("Meetings")

    def ready(self):
        from portal.meetings.timeline import register_sources  # its events on the child's timeline

        register_sources()
