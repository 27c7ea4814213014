"""Which languages a person may read the portal in: parents every language of ``LANGUAGES``, staff and
administrators the working languages (``STAFF_LANGUAGES``: Danish and English)."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import translation
from django.utils.translation import get_language_info
from django.views import i18n
from django.views.decorators.http import require_POST

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


def _account_default() -> str:
    """The language every account starts with (Danish): an account still on it has chosen nothing."""
    return get_user_model()._meta.get_field("language").default


class PersonLanguageMiddleware:
    """One language per person: a signed-in person who chose a language on their account reads the
    portal in it also where no language cookie says so (a new phone, a cleared browser), as their mails,
    summaries and PDFs do; staff pages stay Danish or English whatever the browser or cookie asks for."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            allowed = language_codes(user)
            language = translation.get_language()
            chosen = user.language != _account_default()
            if settings.LANGUAGE_COOKIE_NAME not in request.COOKIES and chosen and user.language in allowed:
                language = user.language
            if language not in allowed:
                language = settings.LANGUAGE_CODE
            if language != translation.get_language():
                translation.activate(language)
                request.LANGUAGE_CODE = language
        return self.get_response(request)


@require_POST
def set_language(request):
    """Django's language switch, which also saves the choice on a signed-in person's account, so their
    mails, summaries and PDFs follow the pages."""
    response = i18n.set_language(request)
    language = request.POST.get("language")
    user = request.user
    if user.is_authenticated and language in language_codes(user) and user.language != language:
        get_user_model().objects.filter(pk=user.pk).update(language=language)
    return response
