from django.urls import path

from portal.community import views

app_name = "community"

urlpatterns = [
    path("children/<int:child_pk>/group/", views.group_names, name="group_names"),
    path(
        "children/<int:child_pk>/group/<int:group_pk>/contact-parent/",
        views.contact_volunteer,
        name="contact_volunteer",
    ),
    path(
        "children/<int:child_pk>/group/<int:group_pk>/message/",
        views.group_message_create,
        name="group_message_create",
    ),
    path("children/<int:child_pk>/group/photo/", views.photo, name="photo"),
    path("children/<int:child_pk>/group/photos/<int:pk>/", views.photo_image, name="photo_image"),
    path(
        "children/<int:child_pk>/group/<int:group_pk>/play-dates/new/",
        views.play_date_create,
        name="play_date_create",
    ),
    path("children/<int:child_pk>/play-dates/<int:pk>/", views.play_date, name="play_date"),
    path(
        "children/<int:child_pk>/group/<int:group_pk>/parent-friend/",
        views.parent_friend,
        name="parent_friend",
    ),
    path("children/<int:child_pk>/parent-friends/<int:pk>/", views.welcome_ask, name="welcome_ask"),
    path("welcomes/<int:pk>/", views.welcome_answer, name="welcome_answer"),
    path("children/<int:child_pk>/group/<int:group_pk>/vote/", views.vote, name="vote"),
    path("groups/<int:group_pk>/contact-parents/", views.group_contact, name="group_contact"),
    path("groups/<int:group_pk>/vote/", views.election_open, name="election_open"),
    path("votes/<int:pk>/close/", views.election_close, name="election_close"),
    path("parent-friends/<int:pk>/end/", views.parent_friend_end, name="parent_friend_end"),
    path("groups/<int:group_pk>/write/", views.staff_message_create, name="staff_message_create"),
    path("contact-parents/<int:pk>/", views.contact_parent_decide, name="contact_parent_decide"),
    path("group-messages/<int:pk>/", views.group_message_decide, name="group_message_decide"),
]
