from allauth.account.decorators import reauthentication_required, secure_admin_login
from allauth.usersessions.views import list_usersessions
from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from portal import languages, views
from portal.accounts import views as accounts_views

admin.site.login = secure_admin_login(admin.site.login)
admin.site.site_header = "Godt på vej"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("accessibility/", views.accessibility_statement, name="accessibility_statement"),
    path("was", views.was, name="was"),
    # The language switch saves the choice on the account too (portal.languages.set_language).
    path("i18n/setlang/", languages.set_language, name="set_language"),
    # Before allauth's own: the first authenticator needs a mailed code too, and logging out the other
    # sessions asks for the password again.
    path("account/2fa/totp/activate/", accounts_views.mfa_activate_totp, name="mfa_activate_totp"),
    path(
        "account/sessions/",
        reauthentication_required(list_usersessions, allow_get=True),
        name="usersessions_list",
    ),
    path("account/", include("allauth.urls")),
    path("", include("portal.accounts.urls")),
    path("", include("portal.organisation.urls")),
    path("", include("children.urls")),
    path("", include("expectations.urls")),
    path("", include("portal.meetings.urls")),
    path("", include("transitions.urls")),
    path("", include("portal.community.urls")),
    path("api/v1/", include("portal.api.urls")),
    path("", include("portal.api.client_urls")),
    path("", include("portal.privacy.urls")),
    path("", include("portal.roster.urls")),
    path("", include("portal.notices.urls")),
    path(settings.ADMIN_URL, admin.site.urls),
]
