import time

from allauth.account.authentication import get_authentication_records
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.core.exceptions import BadRequest
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from portal.access import roles_of

_STARTED = "portal.started_at"
_SEEN = "portal.seen_at"
# Refresh the idle clock at most once a minute, so a page view does not always write the session.
_SEEN_RESOLUTION = 60


def refuse_nul_bytes(get_response):
    """A NUL byte in the path, the query or a form field is never valid input: answer 400 before a view
    passes it on (PostgreSQL refuses it in text and answers with an error)."""

    def middleware(request):
        values = [request.path_info, *request.GET.keys(), *(v for vs in request.GET.lists() for v in vs[1])]
        if request.method == "POST" and request.content_type in FORM_TYPES:
            values += [*request.POST.keys(), *(v for vs in request.POST.lists() for v in vs[1])]
        if any("\x00" in value for value in values):
            raise BadRequest("NUL byte in the request")
        return get_response(request)

    return middleware


FORM_TYPES = {"application/x-www-form-urlencoded", "multipart/form-data"}


class SessionTimeoutMiddleware:
    """Ends a session after SESSION_IDLE_TIMEOUT without requests or SESSION_ABSOLUTE_TIMEOUT in all."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(time.time())
            started = request.session.setdefault(_STARTED, now)
            seen = request.session.get(_SEEN, now)
            if (
                now - seen > settings.SESSION_IDLE_TIMEOUT
                or now - started > settings.SESSION_ABSOLUTE_TIMEOUT
            ):
                logout(request)
                messages.info(
                    request,
                    _("You were logged out because you had been inactive for a while. Please log in again."),
                )
                return redirect(f"{reverse('account_login')}?next={request.path}")
            if now - seen >= _SEEN_RESOLUTION or _SEEN not in request.session:
                request.session[_SEEN] = now
        return self.get_response(request)


# Paths a signed-in staff member may use before completing MFA: the account pages themselves.
# The API (/api/) never reads the session: only its keys authenticate there.
_MFA_EXEMPT_PREFIXES = (
    "/account/",
    "/static/",
    "/i18n/",
    "/healthz",
    "/invitation/",
    "/accessibility/",
    "/was",
    "/api/",
)


def session_used_mfa(request) -> bool:
    return any(r.get("method") == "mfa" for r in get_authentication_records(request, request.user))


class RequireStaffMFAMiddleware:
    """Staff and administrators must have set up MFA and used it in this session before any child data."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            settings.MFA_REQUIRED_FOR_STAFF
            and user.is_authenticated
            and not request.path.startswith(_MFA_EXEMPT_PREFIXES)
            and roles_of(user).needs_mfa
            and not session_used_mfa(request)
        ):
            if Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
                # Enrolled, but this session did not pass MFA (e.g. it began before enrolment).
                logout(request)
                messages.info(request, _("Please log in again with your authenticator code."))
                return redirect("account_login")
            messages.info(
                request,
                _(
                    "You need to set up an authenticator app before you can see children's information. "
                    "It takes a minute."
                ),
            )
            return redirect("mfa_activate_totp")
        return self.get_response(request)


class NoStoreForSignedInMiddleware:
    """Pages for a signed-in person are never stored by the browser or a proxy."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.user.is_authenticated:
            response["Cache-Control"] = "no-store, private"
        return response


# What a pupil's login may open: their own pages, their account pages (allauth, under /account/), and
# links whose token is the credential whoever holds it.
PUPIL_URL_NAMES = frozenset(
    {
        "home",
        "healthz",
        "accessibility_statement",
        "was",
        "children:pupil_home",
        "children:pupil_reflection_create",
        "children:pupil_message_create",
        "children:pupil_signup",
        "transitions:education_plan_pupil",
        "accounts:invitation_accept",
        "accounts:invitation_accept_with_provider",
        "meetings:calendar_feed",
        "set_language",
    }
)
# The Django admin lets in only is_staff users, which a pupil's login never is; the API only API keys.
_PUPIL_PREFIXES = ("/account/", "/static/", "/i18n/", f"/{settings.ADMIN_URL}", "/api/")


class PupilOnlyMiddleware:
    """A pupil's login sees only the pupil's own pages: every other page of the portal answers 404, as it
    does for anyone who may not see it, whatever its own checks say (the second line of defence)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not user.is_authenticated or not roles_of(user).pupil:
            return None
        match = request.resolver_match
        if request.path_info.startswith(_PUPIL_PREFIXES) or (match and match.view_name in PUPIL_URL_NAMES):
            return None
        raise Http404
