"""A person's private calendar feed: the address (a secret token, revocable) and what it contains.

Calendar apps fetch the feed without logging in, so the token is the only key. Only its hash is stored:
the address can be shown once, when it is made. A new address revokes the old one at once; stopping the
feed, logging out the other sessions and changing the password delete it. The feed is built for the
feed's owner (never for whoever fetches it) and each fetch is recorded in the access log as the owner
seeing the children whose meetings are in it.
"""

from datetime import timedelta
from types import SimpleNamespace

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from portal.access import children_of_guardian
from portal.accounts.models import hash_token
from portal.audit.models import AccessEvent
from portal.audit.services import access_record_many
from portal.meetings.ics import calendar, meeting_event
from portal.meetings.models import SHARED_KINDS, CalendarFeed, Meeting, new_feed_token
from portal.meetings.policies import guardian_group_ids
from portal.organisation.models import StaffMembership

PAST_DAYS = 30  # meetings that ended up to this long ago stay in the calendar
CANCELLED_DAYS = 30  # a cancelled meeting is sent as CANCELLED this long, so calendars remove it
TOUCH_EVERY = timedelta(hours=1)  # last_used_at is written at most this often


def calendar_feed_for(user) -> CalendarFeed | None:
    """The person's feed, if they have one."""
    return CalendarFeed.objects.filter(user=user).first()


@transaction.atomic
def calendar_feed_rotate(*, user) -> tuple[CalendarFeed, str]:
    """Give the person a new secret address; the old one stops working in the same transaction.
    Returns the feed and the new token: only its hash is stored, so this is the one time it is known."""
    token = new_feed_token()
    feed, created = CalendarFeed.objects.select_for_update().get_or_create(
        user=user, defaults={"token_hash": hash_token(token)}
    )
    if not created:
        feed.token_hash = hash_token(token)
        feed.last_used_at = None
        feed.save(update_fields=["token_hash", "last_used_at"])
    return feed, token


def calendar_feed_delete(*, user) -> bool:
    """Stop the feed: its address no longer works. True if there was one."""
    deleted, _rows = CalendarFeed.objects.filter(user=user).delete()
    return bool(deleted)


def calendar_feed_by_token(token: str) -> CalendarFeed | None:
    """The live feed with this token, with its owner (an inactive owner has no feed)."""
    if not token or len(token) > 64:
        return None
    return (
        CalendarFeed.objects.select_related("user")
        .filter(token_hash=hash_token(token), user__is_active=True)
        .first()
    )


def calendar_feed_touch(feed: CalendarFeed, *, now=None) -> None:
    """Remember when the feed was last fetched, at most once an hour (no write on most fetches)."""
    now = now or timezone.now()
    if feed.last_used_at is None or now - feed.last_used_at >= TOUCH_EVERY:
        CalendarFeed.objects.filter(pk=feed.pk).update(last_used_at=now)
        feed.last_used_at = now


def _own_group_ids(user):
    memberships = StaffMembership.objects.active().filter(user=user)
    return StaffMembership.groups.through.objects.filter(staffmembership__in=memberships).values("group_id")


def feed_meetings(user, *, now=None) -> QuerySet[Meeting]:
    """The meetings in a person's feed: as a guardian every meeting of their children and their
    children's groups; as staff the meetings they hold and the parent meetings of their own groups.
    From 30 days back; cancelled ones only for 30 days after the cancellation."""
    now = now or timezone.now()
    scope = (
        Q(child__in=children_of_guardian(user))
        | Q(group__in=guardian_group_ids(user))
        | Q(Exists(Meeting.hosts.through.objects.filter(meeting=OuterRef("pk"), user=user)))
        | Q(group__in=_own_group_ids(user))
    )
    recent = ~Q(status=Meeting.Status.CANCELLED) | Q(cancelled_at__gte=now - timedelta(days=CANCELLED_DAYS))
    return (
        Meeting.objects.filter(scope)
        .filter(recent, ends_at__gte=now - timedelta(days=PAST_DAYS))
        .select_related("child", "group", "institution", "period")
        .order_by("starts_at", "pk")
    )


def _url(name: str, pk: int) -> str:
    try:
        return settings.SITE_URL + reverse(name, args=[pk])
    except NoReverseMatch:
        return ""


def _description(meeting: Meeting) -> str:
    agenda = meeting.agenda or (meeting.period.agenda if meeting.period_id else "")
    preparation = meeting.preparation or (meeting.period.preparation if meeting.period_id else "")
    parts = [meeting.institution.name]
    if meeting.video_url and meeting.location:
        parts.append(_("Video link: %(url)s") % {"url": meeting.video_url})
    if agenda:
        parts.append(_("Agenda: %(agenda)s") % {"agenda": agenda})
    if preparation:
        parts.append(_("How to prepare: %(preparation)s") % {"preparation": preparation})
    return "\n\n".join(parts)


def calendar_feed_render(feed: CalendarFeed, *, now=None) -> tuple[bytes, list]:
    """The feed's iCalendar text in the owner's language, and the children whose meetings are in it.

    A fixed number of queries whatever the number of meetings."""
    now = now or timezone.now()
    user = feed.user
    meetings = list(feed_meetings(user, now=now))
    family_children = set(children_of_guardian(user).values_list("pk", flat=True))
    family_groups = set(guardian_group_ids(user).values_list("group_id", flat=True))
    events, children = [], {}
    with translation.override(user.language or settings.LANGUAGE_CODE):
        for meeting, copies in _occasions(meetings, family_children, family_groups):
            as_family = meeting.child_id in family_children or meeting.group_id in family_groups
            url = _url(
                "meetings:meeting_detail" if as_family else "meetings:staff_meeting_detail", meeting.pk
            )
            description, title = _description(meeting), None
            if len(copies) > 1:
                names = ", ".join(sorted(m.child.first_name for m in copies if m.child_id))
                n = len(copies)
                title = ngettext("%(kind)s, %(n)s family", "%(kind)s, %(n)s families", n) % {
                    "kind": meeting.get_kind_display(),
                    "n": n,
                }
                description = f"{names}\n\n{description}"
            events.append(meeting_event(meeting, url=url, description=description, now=now, title=title))
            for m in copies:
                if m.child_id:
                    children[m.child_id] = m.child
        body = calendar(events, name=str(_("Meetings – Godt på vej")))
    return body, list(children.values())


def _occasions(meetings, family_children, family_groups):
    """(meeting, its copies) in the feed's order. Staff see a visit or a network meeting planned for
    several families once, not once per family: the copies of one occasion (same kind, place, time,
    title, place of meeting and status) fold into the first of them."""
    folded = {}
    for meeting in meetings:
        as_family = meeting.child_id in family_children or meeting.group_id in family_groups
        if as_family or meeting.kind not in SHARED_KINDS:
            folded[("meeting", meeting.pk)] = (meeting, [meeting])
            continue
        key = (
            meeting.kind, meeting.institution_id, meeting.starts_at, meeting.ends_at, meeting.title,
            meeting.location, meeting.status,
        )  # fmt: skip
        folded.setdefault(key, (meeting, []))[1].append(meeting)
    return folded.values()


def calendar_feed_access_record(*, request, feed: CalendarFeed, token: str, children) -> None:
    """Record that the feed's owner saw these children in a list (one INSERT). The request comes from a
    calendar app without a session, so the owner of the feed is recorded as the one who looked."""
    # The token is a secret: it stays out of the access log, which administrators read.
    path = request.path.replace(token, "…")
    as_owner = SimpleNamespace(user=feed.user, path=path, META=request.META)
    with translation.override(settings.LANGUAGE_CODE):
        role = str(_("Calendar feed"))
    access_record_many(
        request=as_owner,
        children=children,
        action=AccessEvent.Action.LIST,
        subject="calendar_feed",
        actor_role=role,
    )
