"""System checks of the portal's own settings (`manage.py check --deploy`)."""

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def check_accessibility_contact(app_configs, **kwargs):
    """The accessibility statement must name a phone number and a written contact, or point to WAS-Tool."""
    if settings.ACCESSIBILITY_STATEMENT_URL or (
        settings.ACCESSIBILITY_EMAIL and settings.ACCESSIBILITY_PHONE
    ):
        return []
    return [
        Warning(
            "The accessibility statement has no contact: the law asks for a phone number and a written "
            "contact.",
            hint="Set ACCESSIBILITY_EMAIL and ACCESSIBILITY_PHONE, or ACCESSIBILITY_STATEMENT_URL to the "
            "municipality's statement in WAS-Tool (README: Configuration).",
            id="portal.W002",
        )
    ]
