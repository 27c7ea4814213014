from django.conf import settings

from portal.access import roles_of


def portal(request):
    user = getattr(request, "user", None)
    return {
        "roles": roles_of(user) if user is not None else None,
        "development_banner": not settings.PRODUCTION,
    }


def site(request=None):
    """The portal's name and public address, for pages and for every mail (which has no request)."""
    return {"site_name": settings.SITE_NAME, "site_url": settings.SITE_URL}
