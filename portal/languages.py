"""Which languages a person may read the portal in: parents every language of ``LANGUAGES``, staff and
administrators the working languages (``STAFF_LANGUAGES``: Danish and English)."""

from django.conf import settings
from django.utils import translation
from django.utils.translation import get_language_info

from portal.access import roles_of


def works_for_the_municipality(user) -> bool:
    roles = roles_of(user)
    return roles.staff or roles.administrator or roles.operator


def language_codes(user) -> list[str]:
    if user is not None and user.is_authenticated and works_for_the_municipality(user):
        return list(settings.STAFF_LANGUAGES)
    return [code for code, _name in settings.LANGUAGES]


def language_choices(user) -> list[tuple[str, str]]:
    """(code, label) with each language's own name first: a reader finds their language by it."""
    choices = []
    for code in language_codes(user):
        info = get_language_info(code)
        local, name = info["name_local"], str(translation.gettext(info["name"]))
        local = local[:1].upper() + local[1:]
        choices.append((code, local if local == name else f"{local} ({name})"))
    return choices


class StaffLanguageMiddleware:
    """Staff pages stay Danish or English: a member of staff whose browser or cookie asks for another
    language reads the portal in Danish."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            translation.get_language() not in settings.STAFF_LANGUAGES
            and user is not None
            and user.is_authenticated
            and works_for_the_municipality(user)
        ):
            translation.activate(settings.LANGUAGE_CODE)
            request.LANGUAGE_CODE = settings.LANGUAGE_CODE
        return self.get_response(request)
