from django.urls import path

from portal.meetings.views import staff as views

urlpatterns = [
    path("staff/meetings/", views.staff_meetings, name="staff_meetings"),
    path("staff/meetings/periods/new/", views.period_create, name="period_create"),
    path("staff/meetings/periods/<int:pk>/", views.period_detail, name="period_detail"),
    path("staff/meetings/periods/<int:pk>/publish/", views.period_publish, name="period_publish"),
    path("staff/meetings/periods/<int:pk>/nudge/", views.period_nudge, name="period_nudge"),
    path("staff/meetings/periods/<int:pk>/assign/", views.slot_assign, name="slot_assign"),
    path("staff/meetings/parent-meetings/new/", views.group_meeting_create, name="group_meeting_create"),
    path("staff/meetings/<int:pk>/", views.staff_meeting_detail, name="staff_meeting_detail"),
    path("staff/meetings/<int:pk>/move/", views.staff_meeting_move, name="staff_meeting_move"),
    path("staff/meetings/<int:pk>/cancel/", views.staff_meeting_cancel, name="staff_meeting_cancel"),
    path("staff/meetings/<int:pk>/prepare/", views.meeting_prepare, name="meeting_prepare"),
    path("staff/meetings/<int:pk>/record/", views.meeting_record, name="meeting_record"),
    path("staff/meetings/<int:pk>/follow-ups/", views.followup_add, name="followup_add"),
    path("staff/meetings/follow-ups/<int:pk>/done/", views.followup_done, name="followup_done"),
]
