"""What each message says: every notice kind for every kind of meeting, in Danish and in English, in
the e-mail's text and HTML and in the portal inbox. A group's parent meeting is never "booked" (it
sends an invitation and asks who is coming); a conversation with one family is never an "invitation";
a transition visit is an invitation, never booked and never a "new time"."""

from datetime import timedelta
from html import unescape

import pytest
from django.core import mail
from django.utils import timezone

from portal.meetings.models import Meeting, MeetingKind, Notification, Reminder
from portal.meetings.services import claims, delivery

R = Reminder

# Phrases each message must hold (subject first, then the opening of the text), per language.
EXPECTED = {
    ("group", R.Kind.REMINDER): {
        "da": ("Påmindelse om forældremødet: ", "En venlig påmindelse om forældremødet"),
        "en": ("Reminder of the parent meeting: ", "A friendly reminder of the parent meeting"),
    },
    ("group", R.Kind.CONFIRMATION): {
        "da": ("Invitation til forældremøde: ", "Du er inviteret til forældremøde"),
        "en": ("Invitation to a parent meeting: ", "You are invited to a parent meeting"),
    },
    ("group", R.Kind.INVITATION): {
        "da": ("Invitation til forældremøde: ", "Du er inviteret til forældremøde"),
        "en": ("Invitation to a parent meeting: ", "You are invited to a parent meeting"),
    },
    ("group", R.Kind.CHANGE): {
        "da": ("Forældremødet er ændret: ", "er ændret. Det er nu"),
        "en": ("Parent meeting changed: ", "has been changed. It is now"),
    },
    ("group", R.Kind.CANCELLATION): {
        "da": ("Forældremødet er aflyst: ", "er aflyst."),
        "en": ("Parent meeting cancelled: ", "has been cancelled."),
    },
    ("family", R.Kind.REMINDER): {
        "da": ("Påmindelse: ", "En venlig påmindelse: "),
        "en": ("Reminder: ", "A friendly reminder: "),
    },
    ("family", R.Kind.CONFIRMATION): {
        "da": ("Booket: ", "Tak for din booking."),
        "en": ("Booked: ", "Thank you for booking."),
    },
    ("family", R.Kind.INVITATION): {
        "da": ("Ny tid: ", "Vi har valgt tidspunktet for dig."),
        "en": ("New time: ", "We have chosen the time for you."),
    },
    ("family", R.Kind.CHANGE): {
        "da": ("Ændret: ", "er ændret. Mødet er nu"),
        "en": ("Changed: ", "has been changed. It is now"),
    },
    ("family", R.Kind.CANCELLATION): {
        "da": ("Aflyst: ", "er aflyst."),
        "en": ("Cancelled: ", "has been cancelled."),
    },
}
# A transition visit: planned for the family, so it is invited; the rest reads as a conversation's.
for _kind in (R.Kind.REMINDER, R.Kind.CHANGE, R.Kind.CANCELLATION):
    EXPECTED["visit", _kind] = EXPECTED["family", _kind]
for _kind in (R.Kind.CONFIRMATION, R.Kind.INVITATION):
    EXPECTED["visit", _kind] = {
        "da": ("Invitation: ", "Du er inviteret: "),
        "en": ("Invitation: ", "You are invited: "),
    }
# Words that give a message away as meant for the other kind of meeting.
BOOKING = {"da": ("booking", "Booket", "ny tid"), "en": ("booking", "Booked", "new time")}
GROUP_WORDS = {
    "da": ("invit", "forældremøde", "om du kommer"),
    "en": ("invit", "parent meeting", "are coming"),
}
ANSWER = {"da": "Fortæl os gerne, om du kommer", "en": "Please tell us whether you are coming"}
INBOX_ANSWER = {"da": "Fortæl os, om du kommer.", "en": "Tell us whether you are coming."}


def _meeting(cast, kind, *, cancelled):
    starts = timezone.now() + timedelta(days=3)
    about = {"group": cast.mariehonen} if kind in (MeetingKind.PARENT_MEETING,) else {"child": cast.emil}
    return Meeting.objects.create(
        kind=kind,
        institution=cast.solsikken,
        starts_at=starts,
        ends_at=starts + timedelta(hours=1),
        location="Stuen",
        agenda="Legepladsen",
        status=Meeting.Status.CANCELLED if cancelled else Meeting.Status.PLANNED,
        **about,
    )


@pytest.mark.parametrize("meeting_kind", MeetingKind.values)
@pytest.mark.parametrize("kind", R.Kind.values)
def test_each_notice_says_what_happened_to_this_kind_of_meeting(cast, mailoutbox, kind, meeting_kind):
    """Anna reads Danish, Mikkel English; both are told about Emil's meetings and Mariehønen's."""
    cast.mikkel.language = "en"
    cast.mikkel.save(update_fields=["language"])
    meeting = _meeting(cast, meeting_kind, cancelled=kind == R.Kind.CANCELLATION)
    now = timezone.now()
    R.objects.bulk_create(
        [R(meeting=meeting, recipient=u, kind=kind, due_at=now) for u in (cast.anna, cast.mikkel)]
    )
    ids, lease = claims.reminders_claim(now=now, size=10)
    assert delivery.reminders_send(reminder_ids=ids, now=now, lease=lease) == 2

    voice = "group" if meeting.group_id else "visit" if meeting_kind == MeetingKind.VISIT else "family"
    for user, language in ((cast.anna, "da"), (cast.mikkel, "en")):
        subject_start, opening = EXPECTED[voice, kind][language]
        (message,) = [m for m in mail.outbox if m.to == [user.email]]
        html = unescape(message.alternatives[0].content)
        inbox = Notification.objects.get(user=user, meeting=meeting)
        assert message.subject.startswith(subject_start)
        assert inbox.title == message.subject
        assert opening in message.body and opening in html
        everything = " ".join((message.subject, message.body, html, inbox.title, inbox.body)).lower()
        unwanted = {
            "group": BOOKING[language],
            "family": GROUP_WORDS[language],
            "visit": (*BOOKING[language], *GROUP_WORDS[language][1:], "chosen the time", "valgt tidspunktet"),
        }[voice]
        assert not any(word.lower() in everything for word in unwanted), (voice, kind, language)
        asks = voice == "group" and kind != R.Kind.CANCELLATION
        assert (ANSWER[language] in message.body) is asks
        assert (ANSWER[language] in html) is asks
        assert (INBOX_ANSWER[language] in inbox.body) is asks
        assert ("Legepladsen" in message.body) is (kind != R.Kind.CANCELLATION)


@pytest.mark.parametrize(
    ("language", "subject_start", "direction"),
    [
        ("ar", "تذكير: ", "rtl"),
        ("uk", "Нагадування: ", "ltr"),
        ("tr", "Hatırlatma: ", "ltr"),
        ("pl", "Przypomnienie: ", "ltr"),
    ],
)
def test_a_reminder_is_written_in_the_parents_language_and_arabic_reads_right_to_left(
    cast, mailoutbox, language, subject_start, direction
):
    cast.anna.language = language
    cast.anna.save(update_fields=["language"])
    meeting = _meeting(cast, MeetingKind.DAYCARE_CONVERSATION, cancelled=False)
    now = timezone.now()
    R.objects.create(meeting=meeting, recipient=cast.anna, kind=R.Kind.REMINDER, due_at=now)
    ids, lease = claims.reminders_claim(now=now, size=10)
    assert delivery.reminders_send(reminder_ids=ids, now=now, lease=lease) == 1
    (message,) = mail.outbox
    html = message.alternatives[0].content
    assert message.subject.startswith(subject_start)
    assert f'<html lang="{language}" dir="{direction}">' in html
    # Every word around the staff's own (Danish) texts is in the parent's language.
    for english_or_danish in ("Kind regards", "Venlig hilsen", "conversation", "samtale", "reminder"):
        assert english_or_danish not in message.body
