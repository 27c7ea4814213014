"""Booking nudges: staff ask the families who have not booked a time to do so.

A nudge is one row per period, child, custody holder and day (a unique constraint), so pressing the
button twice on one day asks once. The rows are written in the request; the e-mails go out from a
Celery task after commit, which claims the rows with one conditional ``UPDATE … WHERE sent_at IS NULL``
so two workers never send the same nudge.
"""

import logging
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives, mailers
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from children.models import Guardianship
from portal.audit.models import AccessEvent
from portal.audit.services import access_record_many
from portal.context_processors import site
from portal.enqueue import enqueue
from portal.meetings.models import BookingNudge, BookingPeriod, Meeting, Notification
from portal.meetings.policies import children_for_period
from portal.notices.selectors import wants_email_now
from portal.notices.topics import Topic

logger = logging.getLogger(__name__)


def children_without_booking(period: BookingPeriod):
    """The children of the period's group who have no live meeting in it."""
    booked = Meeting.objects.live().filter(period=period, child__isnull=False).values("child_id")
    return children_for_period(period).exclude(pk__in=booked)


@transaction.atomic
def nudges_request(
    *, request, user, period: BookingPeriod, child_ids: Iterable[int] | None = None
) -> list[int]:
    """Ask the custody holders of the children without a booking (all, or those in ``child_ids``) to
    book. Idempotent per day: returns the ids of nudges still to send, and queues them after commit."""
    now = timezone.now()
    if not period.is_open(now):
        raise ValidationError(
            _("Families can only be reminded to book while booking is open."), code="closed"
        )
    children = children_without_booking(period)
    if child_ids is not None:
        children = children.filter(pk__in=list(child_ids))
    children = list(children)
    if not children:
        return []
    today = timezone.localdate(now)
    pairs = list(
        Guardianship.objects.active()
        .filter(has_custody=True, child__in=children)
        .values_list("child_id", "user_id")
        .distinct()
    )
    if not pairs:
        return []
    BookingNudge.objects.bulk_create(
        [
            BookingNudge(period=period, child_id=c, recipient_id=u, requested_by=user, requested_on=today)
            for c, u in pairs
        ],
        ignore_conflicts=True,
    )
    wanted = set(pairs)
    ids = [
        pk
        for pk, c, u in BookingNudge.objects.filter(
            period=period, requested_on=today, sent_at__isnull=True, child__in=children
        ).values_list("pk", "child_id", "recipient_id")
        if (c, u) in wanted
    ]
    if request is not None:
        nudged = {c for c, _u in pairs}
        access_record_many(
            request=request,
            children=[c for c in children if c.pk in nudged],
            action=AccessEvent.Action.CREATE,
            subject="booking_nudge",
        )
    if ids:
        enqueue("meetings.send_nudges", ids)
    return ids


def booking_url(period_id: int) -> str:
    """The guardian's booking page for the period (the start page if it is not installed)."""
    try:
        path = reverse("meetings:period_book", args=[period_id])
    except NoReverseMatch:
        path = reverse("home")
    return settings.SITE_URL + path


def _message(nudge: BookingNudge, *, url: str) -> tuple[str, str, str, str]:
    """(subject, text, html, notification body) in the recipient's language."""
    user, period, child = nudge.recipient, nudge.period, nudge.child
    context = {
        "user": user,
        "child": child,
        "period": period,
        "institution": period.institution,
        "url": url,
        "deadline": timezone.localtime(period.booking_deadline),
        **site(),
    }
    subject = _("Please book a time for the conversation about %(name)s") % {"name": child.first_name}
    text = render_to_string("meetings/email/nudge.txt", context)
    html = render_to_string("meetings/email/nudge.html", context)
    body = _("%(place)s asks you to book a time for “%(title)s” about %(name)s.") % {
        "place": period.institution.name,
        "title": period.title,
        "name": child.first_name,
    }
    return subject, text, html, body


def nudges_send(*, nudge_ids: Iterable[int]) -> int:
    """Send each nudge at most once: claim the unsent ones in one conditional UPDATE (the claim is the
    exact time written), e-mail those whose recipients want e-mail over one connection, and leave an
    in-portal notification for everyone. A failing mail server releases the unsent claims and raises
    (the task retries). Returns the number of nudges delivered."""
    ids = list(nudge_ids)
    if not ids:
        return 0
    claim = timezone.now()
    if not BookingNudge.objects.filter(pk__in=ids, sent_at__isnull=True).update(sent_at=claim):
        return 0
    nudges = list(
        BookingNudge.objects.filter(pk__in=ids, sent_at=claim)
        .select_related("recipient", "child", "period__institution")
        .order_by("pk")
    )
    done: list[BookingNudge] = []
    notifications: list[Notification] = []
    connection = None
    try:
        for nudge in nudges:
            user = nudge.recipient
            url = booking_url(nudge.period_id)
            with translation.override(user.language or settings.LANGUAGE_CODE):
                subject, text, html, body = _message(nudge, url=url)
            email_now = wants_email_now(user, Topic.MEETINGS)
            if email_now:
                if connection is None:
                    connection = mailers.default
                    connection.open()
                message = EmailMultiAlternatives(subject, text, to=[user.email])
                message.attach_alternative(html, "text/html")
                connection.send_messages([message])
            done.append(nudge)
            notifications.append(
                Notification(
                    user=user,
                    period=nudge.period,
                    title=subject,
                    body=body,
                    url=url,
                    created_at=claim,
                    sent_by="email" if email_now else "",
                )
            )
    except Exception:
        unsent = [n.pk for n in nudges if n not in done]
        logger.exception("booking nudges %s not sent", unsent)
        BookingNudge.objects.filter(pk__in=unsent, sent_at=claim).update(sent_at=None)
        raise
    finally:
        if notifications:
            Notification.objects.bulk_create(notifications)
        if connection is not None:
            connection.close()
    return len(done)
