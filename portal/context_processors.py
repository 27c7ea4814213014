from django.conf import settings
from django.urls import reverse

from portal.access import roles_of
from portal.languages import language_choices


def portal(request):
    user = getattr(request, "user", None)
    return {
        "roles": roles_of(user) if user is not None else None,
        "development_banner": not settings.PRODUCTION,
        # A broker (MitID) is configured: people can link it to their login.
        "linked_logins": bool(settings.SOCIALACCOUNT_PROVIDERS),
        # The footer's link: the municipality's statement in WAS-Tool, else the portal's own page.
        "accessibility_url": settings.ACCESSIBILITY_STATEMENT_URL or reverse("accessibility_statement"),
        # The language menu: every language for parents and visitors, Danish and English for staff.
        "language_choices": lambda: language_choices(user),
        "unreviewed_languages": settings.UNREVIEWED_LANGUAGES,
    }


def site(request=None):
    """The portal's name and public address, for pages and for every mail (which has no request)."""
    return {"site_name": settings.SITE_NAME, "site_url": settings.SITE_URL}
