from types import SimpleNamespace
from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from portal.context_processors import site


def on_site(url: str) -> str:
    """``url`` at the portal's configured address (SITE_URL), whatever host the request came in on."""
    parts = urlsplit(url)
    return settings.SITE_URL + parts.path + (f"?{parts.query}" if parts.query else "")


class AccountAdapter(DefaultAccountAdapter):
    """No open sign-up: people join through an invitation from their institution or municipality.

    allauth names the request's host in its mails ("Hello from 127.0.0.1:8811!") and builds its links
    from it; ours name SITE_NAME and link to SITE_URL.
    """

    def is_open_for_signup(self, request):
        return False

    def send_mail(self, template_prefix, email, context):
        names = site()
        current_site = SimpleNamespace(name=names["site_name"], domain=urlsplit(names["site_url"]).netloc)
        super().send_mail(template_prefix, email, {**context, **names, "current_site": current_site})

    def get_reset_password_from_key_url(self, key):
        return on_site(super().get_reset_password_from_key_url(key))

    def get_email_confirmation_url(self, request, emailconfirmation):
        return on_site(super().get_email_confirmation_url(request, emailconfirmation))


class MFAAdapter(DefaultMFAAdapter):
    """allauth's MFA errors in the portal's words, with one name for two-step verification."""

    error_messages = {
        **DefaultMFAAdapter.error_messages,
        "add_email_blocked": _("You cannot add an e-mail address while two-step verification is on."),
        "cannot_delete_authenticator": _("You cannot turn two-step verification off."),
        "cannot_generate_recovery_codes": _("Set up two-step verification before you make recovery codes."),
        "incorrect_code": _("The code is not right. Try the newest code from the app."),
        "unverified_email": _("Confirm your e-mail address before you set up two-step verification."),
    }


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    """A MitID broker login connects to an invited account by verified e-mail; it never creates one."""

    def is_open_for_signup(self, request, sociallogin):
        return False
