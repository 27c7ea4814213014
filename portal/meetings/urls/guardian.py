from django.urls import path

from portal.meetings.views import guardian as views

urlpatterns = [
    path("meetings/", views.my_meetings, name="my_meetings"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("meetings/<int:pk>/move/", views.meeting_move, name="meeting_move"),
    path("meetings/<int:pk>/cancel/", views.meeting_cancel, name="meeting_cancel"),
    path("meetings/<int:pk>/topics/", views.topic_add, name="topic_add"),
    path("meetings/<int:pk>/answer/", views.meeting_respond, name="meeting_respond"),
    path("meetings/<int:pk>/interpreter/", views.meeting_interpreter, name="meeting_interpreter"),
    path("meetings/periods/<int:pk>/book/", views.period_book, name="period_book"),
    path("messages/", views.notifications, name="notifications"),
    path("messages/read/", views.notifications_read, name="notifications_read"),
    path("contact/", views.contact_settings, name="contact_settings"),
]
