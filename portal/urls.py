from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from portal import views

admin.site.login = secure_admin_login(admin.site.login)
admin.site.site_header = "Godt på vej"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("account/", include("allauth.urls")),
    path("", include("portal.accounts.urls")),
    path("", include("portal.organisation.urls")),
    path("", include("children.urls")),
    path("", include("expectations.urls")),
    path("", include("portal.meetings.urls")),
    path(settings.ADMIN_URL, admin.site.urls),
]
