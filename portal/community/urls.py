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
    path("groups/<int:group_pk>/contact-parents/", views.group_contact, name="group_contact"),
    path("groups/<int:group_pk>/write/", views.staff_message_create, name="staff_message_create"),
    path("contact-parents/<int:pk>/", views.contact_parent_decide, name="contact_parent_decide"),
    path("group-messages/<int:pk>/", views.group_message_decide, name="group_message_decide"),
]
