"""Notices in the portal's own inbox, one per person, each written in that person's language."""

from collections.abc import Callable, Iterable

from django.conf import settings
from django.utils import translation

from portal.meetings.models import Notification


def user_language(user) -> str:
    """The language a notice to this person is written in: theirs when the portal speaks it."""
    return user.language if user.language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def inbox_notify(people: Iterable, *, kind: str, key: str, url: str, text: Callable) -> int:
    """A notice of ``kind`` for each person, whose title and body ``text(person)`` writes while the
    person's language is active. ``key`` and the person's id make it once per person: asking again adds
    nothing. Returns how many were asked for."""
    notices = inbox_notices(people, kind=kind, key=key, url=url, text=text)
    Notification.objects.bulk_create(notices, ignore_conflicts=True)
    return len(notices)


def inbox_notices(people: Iterable, *, kind: str, key: str, url: str, text: Callable) -> list[Notification]:
    """The notices ``inbox_notify`` writes, unsaved, for a sender that writes many batches' at once."""
    notices = []
    for user in people:
        with translation.override(user_language(user)):
            title, body = text(user)
        notices.append(
            Notification(
                user=user, kind=kind, key=f"{key}-{user.pk}", title=str(title)[:200], body=str(body), url=url
            )
        )
    return notices
