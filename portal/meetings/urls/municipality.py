from django.urls import path

from portal.meetings.views import municipality

urlpatterns = [
    path("municipality/meetings/reminders/", municipality.reminder_settings, name="reminder_settings"),
]
