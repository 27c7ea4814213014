from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.usersessions.adapter import DefaultUserSessionsAdapter

from portal.accounts import mfa


def _end_calendar_feed(user) -> None:
    """Delete the person's (a user or its pk) calendar feed."""
    # A calendar app holding the address keeps fetching it without a session: ending the sessions or
    # changing the password must end the feed too.
    from portal.meetings.services.calendar import calendar_feed_delete

    calendar_feed_delete(user=user)


class AccountAdapter(DefaultAccountAdapter):
    """No open sign-up: people join through an invitation from their institution or municipality."""

    def is_open_for_signup(self, request):
        return False

    def set_password(self, user, password) -> None:
        """Changing, setting or resetting the password also stops the person's calendar feed."""
        super().set_password(user, password)
        _end_calendar_feed(user)


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    """A MitID broker login connects to an invited account by verified e-mail; it never creates one."""

    def is_open_for_signup(self, request, sociallogin):
        return False


class MFAAdapter(DefaultMFAAdapter):
    """TOTP secrets and recovery-code seeds are stored encrypted (portal/accounts/mfa.py)."""

    def encrypt(self, text: str) -> str:
        return mfa.encrypt(text)

    def decrypt(self, encrypted_text: str) -> str:
        return mfa.decrypt(encrypted_text)


class UserSessionsAdapter(DefaultUserSessionsAdapter):
    """Logging out the other sessions also stops the calendar feed of the person whose sessions end."""

    def end_sessions(self, sessions) -> None:
        sessions = list(sessions)
        super().end_sessions(sessions)
        for user_id in {session.user_id for session in sessions}:
            _end_calendar_feed(user_id)
