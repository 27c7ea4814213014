from django.urls import path

from portal.meetings.views import calendar as views

urlpatterns = [
    path("calendar/", views.calendar_settings, name="calendar_settings"),
    path("calendar/new-address/", views.calendar_rotate, name="calendar_rotate"),
    path("calendar/stop/", views.calendar_delete, name="calendar_delete"),
    path("calendar/<str:token>.ics", views.calendar_feed, name="calendar_feed"),
]
