from allauth.account.adapter import DefaultAccountAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    """No open sign-up: people join through an invitation from their institution or municipality."""

    def is_open_for_signup(self, request):
        return False


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    """A MitID broker login connects to an invited account by verified e-mail; it never creates one."""

    def is_open_for_signup(self, request, sociallogin):
        return False
