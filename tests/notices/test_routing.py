"""Routing and the daily summary: every notice reaches its person as they chose (at once, in the
summary, or not at all, per topic and channel), urgent ones always at once, quiet hours hold the rest
until the morning, and the summary lists each notice once."""

from datetime import datetime, time

import pytest
from django.conf import settings
from django.core import mail
from django.utils import timezone

from portal.meetings import sms
from portal.meetings.models import Notification
from portal.notices.models import Delivery, Letter, Preference
from portal.notices.services.digests import digests_plan
from portal.notices.services.routing import notices_route
from portal.notices.services.sending import letters_send, letters_sweep
from portal.notices.topics import DEFAULTS, TOPIC_OF_KIND, Channel, Mode, Topic

pytestmark = pytest.mark.django_db

Kind = Notification.Kind


def at(day: int, hour: int, minute: int = 0) -> datetime:
    """A moment in December 2026, local time."""
    return timezone.make_aware(datetime(2026, 12, day, hour, minute))


def notice(user, kind=Kind.PLAN_PUBLISHED, *, created=None, urgent=False, title="Emil's learning plan"):
    created = created or timezone.now()
    return Notification.objects.create(
        user=user, kind=kind, title=title, body="The plan is ready.", url="/children/1/", created_at=created,
        urgent=urgent, key=f"test-{Notification.objects.count()}",
    )  # fmt: skip


def choose(user, topic, channel, mode):
    Preference.objects.update_or_create(user=user, topic=topic, channel=channel, defaults={"mode": mode})


def send_due(now):
    """What the beat does each minute, with the send tasks run here."""
    digests_plan(now=now)
    letters_sweep(now=now)
    ids = list(Letter.objects.filter(status=Letter.Status.QUEUED).values_list("pk", flat=True))
    return letters_send(letter_ids=ids, now=now) if ids else 0


@pytest.fixture(autouse=True)
def _sms(settings):
    settings.SMS_BACKEND = "portal.meetings.sms.LocMemBackend"
    sms.outbox.clear()


def test_every_kind_of_notice_has_a_topic_and_every_topic_a_default_per_channel():
    assert set(TOPIC_OF_KIND) == set(Kind.values)
    assert set(DEFAULTS) == {(t, c) for t in Topic for c in Channel}


def test_by_default_plans_wait_for_the_daily_summary_and_come_in_one_email(cast, settings):
    settings.NOTICE_DIGEST_HOUR = 16
    first = notice(cast.anna, created=at(3, 9))
    second = notice(cast.anna, Kind.HANDOVER_SENT, created=at(3, 11), title="Emil's handover is sent")
    notices_route(now=at(3, 11, 1))
    assert Delivery.objects.filter(user=cast.anna, mode=Mode.DIGEST, letter=None).count() == 2
    assert Letter.objects.count() == 0

    assert send_due(at(3, 15, 59)) == 0 and not mail.outbox  # before the hour
    assert send_due(at(3, 16, 0)) == 1
    (message,) = mail.outbox
    assert message.to == ["anna@example.test"]
    text = message.body
    assert first.title in text and second.title in text and "2 nye beskeder" in message.subject
    assert send_due(at(3, 16, 1)) == 0 and send_due(at(4, 16, 0)) == 0
    assert len(mail.outbox) == 1


def test_a_notice_after_the_summary_hour_waits_for_the_next_day(cast):
    notice(cast.anna, created=at(3, 17))
    notices_route(now=at(3, 17, 1))
    assert send_due(at(3, 18)) == 0
    assert send_due(at(4, 16)) == 1


def test_at_once_by_email_and_text_message_when_chosen(cast):
    cast.anna.phone, cast.anna.notify_by_sms = "+4512345678", True
    cast.anna.save()
    choose(cast.anna, Topic.PLANS, Channel.EMAIL, Mode.INSTANT)
    choose(cast.anna, Topic.PLANS, Channel.SMS, Mode.INSTANT)
    plan = notice(cast.anna, created=at(3, 10))
    notices_route(now=at(3, 10))
    assert send_due(at(3, 10)) == 2
    (message,) = mail.outbox
    assert message.subject == plan.title and "/children/1/" in message.body
    (text,) = sms.outbox
    assert text.to == "+4512345678" and plan.title in text.body


def test_off_sends_nothing_and_a_topic_off_in_the_portal_is_not_in_the_inbox(cast, client, login):
    for channel in Channel:
        choose(cast.anna, Topic.PLANS, channel, Mode.OFF)
    hidden = notice(cast.anna)
    notices_route()
    assert not Delivery.objects.exists() and not Letter.objects.exists()
    hidden.refresh_from_db()
    assert hidden.shown_at is None
    login(client, cast.anna)
    page = client.get("/messages/").content.decode()
    assert hidden.title not in page


def test_a_topic_in_the_portals_summary_shows_in_the_inbox_at_the_summary_hour(cast, settings):
    settings.NOTICE_DIGEST_HOUR = 16
    choose(cast.anna, Topic.PLANS, Channel.PORTAL, Mode.DIGEST)
    later = notice(cast.anna, created=at(3, 9))
    notices_route(now=at(3, 9))
    later.refresh_from_db()
    assert later.shown_at == at(3, 16)


def test_an_urgent_notice_comes_at_once_on_every_channel_the_person_has_even_at_night(cast, settings):
    settings.NOTICE_QUIET_HOURS = "20:00-07:00"
    cast.anna.phone, cast.anna.notify_by_sms = "+4512345678", True
    cast.anna.save()
    for channel in Channel:
        choose(cast.anna, Topic.PLANS, channel, Mode.OFF)
    urgent = notice(cast.anna, created=at(3, 23), urgent=True)
    notices_route(now=at(3, 23))
    assert send_due(at(3, 23)) == 2
    assert len(mail.outbox) == 1 and len(sms.outbox) == 1
    urgent.refresh_from_db()
    assert urgent.shown_at is not None


def test_quiet_hours_hold_an_email_until_they_end(cast, settings):
    settings.NOTICE_QUIET_HOURS = "20:00-07:00"
    choose(cast.anna, Topic.PLANS, Channel.EMAIL, Mode.INSTANT)
    notice(cast.anna, created=at(3, 22))
    notices_route(now=at(3, 22))
    assert Letter.objects.get().due_at == at(4, 7)
    assert send_due(at(3, 23)) == 0 and send_due(at(4, 6, 59)) == 0
    assert send_due(at(4, 7)) == 1


def test_a_persons_own_quiet_hours_and_none_at_all(cast, settings):
    settings.NOTICE_QUIET_HOURS = "20:00-07:00"
    choose(cast.anna, Topic.PLANS, Channel.EMAIL, Mode.INSTANT)
    choose(cast.mikkel, Topic.PLANS, Channel.EMAIL, Mode.INSTANT)
    cast.anna.quiet_from, cast.anna.quiet_until = time(22), time(6)
    cast.anna.save()
    cast.mikkel.quiet_from = cast.mikkel.quiet_until = time(0)  # no quiet hours
    cast.mikkel.save()
    notice(cast.anna, created=at(3, 21))
    notice(cast.mikkel, created=at(3, 23))
    notices_route(now=at(3, 23))
    due = dict(Letter.objects.values_list("user_id", "due_at"))
    assert due == {cast.anna.pk: at(4, 6), cast.mikkel.pk: at(3, 23)}


def test_the_summary_comes_at_the_persons_own_hour_in_their_language(cast):
    cast.mikkel.digest_hour, cast.mikkel.language = 7, "en"
    cast.mikkel.save()
    notice(cast.mikkel, created=at(3, 20), title="Emil's plan is ready")
    notices_route(now=at(3, 20))
    assert send_due(at(4, 6, 59)) == 0
    assert send_due(at(4, 7)) == 1
    (message,) = mail.outbox
    assert message.subject == "Godt på vej: 1 new message"
    assert "Here is what is new for you" in message.body and "Emil's plan is ready" in message.body


def test_routing_twice_or_planning_twice_adds_nothing(cast):
    notice(cast.anna, created=at(3, 9))
    notices_route(now=at(3, 9))
    notices_route(now=at(3, 9))
    assert Delivery.objects.count() == 1
    assert digests_plan(now=at(3, 16)) == 1
    assert digests_plan(now=at(3, 16, 1)) == 0
    assert Letter.objects.count() == 1


def test_a_sender_that_emailed_at_once_gets_nothing_more_on_that_channel(cast):
    sent = notice(cast.anna, Kind.AGREEMENT_PROPOSED)
    Notification.objects.filter(pk=sent.pk).update(sent_by="email")
    notices_route()
    assert not Delivery.objects.exists()


def test_an_agreement_notice_in_quiet_hours_waits_for_the_morning(cast, settings):
    """Agreements come by e-mail at once by default; the agreement's own e-mail keeps quiet hours, and
    the notification centre sends it when they end."""
    from portal.notices.selectors import wants_email_now

    settings.NOTICE_QUIET_HOURS = "20:00-07:00"
    assert wants_email_now(cast.anna, Topic.AGREEMENTS, now=at(3, 12))
    assert not wants_email_now(cast.anna, Topic.AGREEMENTS, now=at(3, 22))
    notice(cast.anna, Kind.AGREEMENT_PROPOSED, created=at(3, 22))
    notices_route(now=at(3, 22))
    assert Letter.objects.get().due_at == at(4, 7)


def test_an_address_that_cannot_be_used_costs_only_its_own_letter(cast):
    cast.anna.email = "anna@@example.test"
    cast.anna.save()
    notice(cast.anna, created=at(3, 9))
    notice(cast.mikkel, created=at(3, 9))
    notices_route(now=at(3, 9))
    assert send_due(at(3, 16)) == 1
    assert [m.to for m in mail.outbox] == [["mikkel@example.test"]]
    bad = Letter.objects.get(user=cast.anna)
    assert bad.status == Letter.Status.SKIPPED and bad.email_status == "invalid"


def test_each_letter_has_its_own_stable_message_id(cast):
    notice(cast.anna, created=at(3, 9))
    notices_route(now=at(3, 9))
    send_due(at(3, 16))
    letter = Letter.objects.get()
    assert mail.outbox[0].extra_headers["Message-ID"] == letter.message_id
    assert letter.status == Letter.Status.SENT and letter.sent_at == at(3, 16)


def test_people_without_email_get_no_letters(cast):
    cast.anna.notify_by_email = False
    cast.anna.save()
    notice(cast.anna, created=at(3, 9))
    notices_route(now=at(3, 9))
    assert not Delivery.objects.exists()


def test_a_summary_by_text_message_says_how_many_and_links_to_the_inbox_in_each_language(cast):
    for user, language in ((cast.anna, "da"), (cast.mikkel, "en")):
        user.phone, user.notify_by_sms, user.notify_by_email, user.language = (
            "+4512345678",
            True,
            False,
            language,
        )
        user.save()
        choose(user, Topic.PLANS, Channel.SMS, Mode.DIGEST)
        notice(user, created=at(3, 9))
        notice(user, created=at(3, 10))
    notice(cast.anna, created=at(3, 11))
    notices_route(now=at(3, 11))
    assert send_due(at(3, 16)) == 2
    bodies = sorted(text.body for text in sms.outbox)
    assert bodies == [
        "Godt på vej: 2 new messages. Read them here: http://testserver/messages/".replace(
            "http://testserver", settings.SITE_URL
        ),
        "Godt på vej: 3 nye beskeder. Læs dem her: http://testserver/messages/".replace(
            "http://testserver", settings.SITE_URL
        ),
    ]
