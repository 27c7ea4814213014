from types import SimpleNamespace
from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.adapter import get_adapter as get_account_adapter
from allauth.account.models import EmailAddress
from allauth.core import context as allauth_context
from allauth.core.context import request_context
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.core.internal import ratelimit
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.providers.base import AuthProcess
from allauth.usersessions.adapter import DefaultUserSessionsAdapter
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from portal.accounts import mfa, services
from portal.accounts.policies import can_log_in_with_identity
from portal.client_address import client_ip
from portal.context_processors import site

# The invitation whose link started a broker login; the identity that comes back is linked to it.
INVITATION_SESSION_KEY = "accounts.invitation_token"


def on_site(url: str) -> str:
    """``url`` at the portal's configured address (SITE_URL), whatever host the request came in on."""
    parts = urlsplit(url)
    return settings.SITE_URL + parts.path + (f"?{parts.query}" if parts.query else "")


def _end_calendar_feed(user) -> None:
    """Delete the person's (a user or its pk) calendar feed."""
    # A calendar app holding the address keeps fetching it without a session: ending the sessions or
    # changing the password must end the feed too.
    from portal.meetings.services.calendar import calendar_feed_delete

    calendar_feed_delete(user=user)


class AccountAdapter(DefaultAccountAdapter):
    """No open sign-up: people join through an invitation from their institution or municipality.

    allauth names the request's host in its mails ("Hello from 127.0.0.1:8811!") and builds its links
    from it; ours name SITE_NAME and link to SITE_URL.
    """

    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "too_many_password_attempts": _(
            "Too many wrong passwords for this account. Try again later, or log in without a password "
            "with a code we e-mail you."
        ),
    }

    def is_open_for_signup(self, request):
        return False

    def send_mail(self, template_prefix, email, context):
        names = site()
        current_site = SimpleNamespace(name=names["site_name"], domain=urlsplit(names["site_url"]).netloc)
        # allauth's MFA mails go out on commit, which may be after its request context has ended.
        with request_context(allauth_context.request or self.request):
            super().send_mail(template_prefix, email, {**context, **names, "current_site": current_site})

    def send_notification_mail(self, template_prefix, user, context=None, email=None):
        """A security notice goes to every confirmed address, not only the primary one: whoever added an
        address of their own cannot keep the owner from being told."""
        if email:
            return super().send_notification_mail(template_prefix, user, context, email)
        addresses = EmailAddress.objects.filter(user_id=user.pk, verified=True).order_by("email")
        for address in addresses.values_list("email", flat=True):
            super().send_notification_mail(template_prefix, user, context, address)

    def get_reset_password_from_key_url(self, key):
        return on_site(super().get_reset_password_from_key_url(key))

    def get_email_confirmation_url(self, request, emailconfirmation):
        return on_site(super().get_email_confirmation_url(request, emailconfirmation))

    def get_client_ip(self, request):
        """The portal's one client address (NUM_PROXIES): rate limits agree with the access log."""
        ip = client_ip(request)
        if not ip:
            raise PermissionDenied("No client address.")
        return ip

    def pre_authenticate(self, request, **credentials):
        """Count each password try per address and per account from that address ("login_failed"), and
        per account from anywhere ("login_failed_account", longer waits as failures add up). One
        person's typos never lock out another, and the owner elsewhere keeps trying until the account's
        own, higher cap. A successful login gives its counts back (allauth's authenticate)."""
        account = self._get_login_attempts_cache_key(request, **credentials)
        keys = {"login_failed": f"{account}|{self.get_client_ip(request)}", "login_failed_account": account}
        usages = []
        for action, key in keys.items():
            usage = ratelimit.consume(request, app="allauth.account", action=action, key=key)
            if usage is None:
                for earlier in usages:
                    earlier.rollback()
                raise self.validation_error("too_many_password_attempts")
            usages.append(usage)
        self._login_failed_rl_usage = ratelimit.RateLimitUsage(usage=[u for x in usages for u in x.usage])

    def _delete_login_attempts_cached_email(self, request, **credentials):
        # allauth calls this after a password reset: the new password works at once.
        account = self._get_login_attempts_cache_key(request, **credentials)
        ratelimit.clear(request, app="allauth.account", action="login_failed_account", key=account)

    def set_password(self, user, password) -> None:
        """Changing, setting or resetting the password also stops the person's calendar feed, and
        unlocks two-step verification locked by wrong codes."""
        user.mfa_failures = 0
        super().set_password(user, password)
        _end_calendar_feed(user)


class MFAAdapter(DefaultMFAAdapter):
    """allauth's MFA errors in the portal's words, with one name for two-step verification; TOTP secrets
    and recovery-code seeds are stored encrypted (portal/accounts/mfa.py)."""

    error_messages = {
        **DefaultMFAAdapter.error_messages,
        "add_email_blocked": _("You cannot add an e-mail address while two-step verification is on."),
        "cannot_delete_authenticator": _("You cannot turn two-step verification off."),
        "cannot_generate_recovery_codes": _("Set up two-step verification before you make recovery codes."),
        "incorrect_code": _("The code is not right. Try the newest code from the app."),
        "mfa_locked": _(
            "Two-step verification is locked after too many wrong codes. Choose a new password with “Forgot "
            "your password?” on the login page to open it again."
        ),
        "unverified_email": _("Confirm your e-mail address before you set up two-step verification."),
    }

    def encrypt(self, text: str) -> str:
        return mfa.encrypt(text)

    def decrypt(self, encrypted_text: str) -> str:
        return mfa.decrypt(encrypted_text)


class UserSessionsAdapter(DefaultUserSessionsAdapter):
    """Logging out the other sessions also stops the calendar feed of the person whose sessions end, and
    every confirmed address of theirs is told."""

    def end_sessions(self, sessions) -> None:
        sessions = list(sessions)
        super().end_sessions(sessions)
        for user in {session.user for session in sessions}:
            _end_calendar_feed(user.pk)
            get_account_adapter().send_notification_mail("account/email/sessions_ended", user)


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    """A broker (MitID) login must vouch for OIDC_MIN_ASSURANCE. It logs in only an identity linked to an
    account, through an invitation link or by the signed-in owner (allauth's connect, which asks for the
    password again); never by e-mail address alone, and it never creates an account."""

    def is_open_for_signup(self, request, sociallogin):
        return False

    def pre_social_login(self, request, sociallogin):
        token = request.session.pop(INVITATION_SESSION_KEY, None)
        context = {"provider": sociallogin.account.get_provider(request).name}
        if not can_log_in_with_identity(sociallogin.account.extra_data):
            raise ImmediateHttpResponse(
                render(request, "socialaccount/assurance_too_low.html", context, status=403)
            )
        if sociallogin.is_existing or sociallogin.state.get("process") == AuthProcess.CONNECT:
            return
        if token:
            try:
                services.invitation_accept_with_identity(
                    request=request, token=token, sociallogin=sociallogin
                )
                return
            except ValidationError:
                raise ImmediateHttpResponse(
                    render(request, "accounts/invitation_invalid.html", status=404)
                ) from None
        raise ImmediateHttpResponse(render(request, "socialaccount/not_linked.html", context, status=403))
