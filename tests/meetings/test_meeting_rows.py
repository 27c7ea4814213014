"""The staff's list of upcoming meetings, written in Python (``portal.rows``): each row's time, link,
form, whom it is with, the interpreter and the place, escaped, in the reader's language."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from portal.formats import format_date
from portal.meetings.models import Meeting, MeetingKind


def _meeting(cast, **extra):
    starts = timezone.now() + timedelta(days=3)
    return Meeting.objects.create(
        institution=cast.solsikken, starts_at=starts, ends_at=starts + timedelta(minutes=30), **extra
    )


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["da", "en"])
def test_upcoming_meeting_rows_say_when_what_with_whom_and_where(client, cast, login, language):
    talk = _meeting(
        cast,
        kind=MeetingKind.DAYCARE_CONVERSATION,
        child=cast.emil,
        style=Meeting.Style.values[-1],
        interpreter_language="arabisk",
        location="<Stuen>",
    )
    evening = _meeting(cast, kind=MeetingKind.PARENT_MEETING, group=cast.mariehonen, title="Forældremøde")
    login(client, cast.carla)
    page = client.get(reverse("meetings:staff_meetings"), HTTP_ACCEPT_LANGUAGE=language).content.decode()
    with translation.override(language):
        when = (
            format_date(talk.starts_at, "ABBR_WEEKDAY_DATETIME_FORMAT")
            + "–"
            + format_date(talk.ends_at, "H:i")
        )
        style = str(Meeting.Style(talk.style).label)
        families = translation.gettext("The families in %(group)s") % {"group": "Mariehønen"}
        interpreter = translation.gettext("Interpreter: %(language)s") % {"language": "arabisk"}
    assert when in page
    assert f'href="{reverse("meetings:staff_meeting_detail", args=[talk.pk])}"' in page
    assert f'<span class="form-hint">{style}</span>' in page
    assert "Emil Jensen" in page and interpreter in page
    assert "&lt;Stuen&gt;" in page and "<Stuen>" not in page
    assert f'href="{reverse("meetings:staff_meeting_detail", args=[evening.pk])}">Forældremøde</a>' in page
    assert families in page
