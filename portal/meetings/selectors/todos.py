"""The to-dos meetings contribute to the homes (``portal.todos``): times to book and meetings to prepare
for parents; families who have not booked, this week's meetings and follow-ups due for staff. Each
function costs one query, or a fixed few, whatever the number of rows."""

from datetime import datetime, time, timedelta

from django.db.models import Count, Exists, IntegerField, OuterRef, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from children.models import Enrollment, Guardianship
from portal.meetings.ics import meeting_title
from portal.meetings.models import BookingPeriod, FollowUp, Meeting
from portal.meetings.policies import managed_meeting_ids, meetings_managed_by, periods_managed_by
from portal.meetings.selectors.guardian import meetings_of_family
from portal.meetings.selectors.staff import FOLLOW_UP_WINDOW_DAYS
from portal.todos import LIMIT, Todo

PREPARE_DAYS = 14  # how far ahead a parent's home shows meetings to get ready for


def booking_todos(user, *, now) -> list[Todo]:
    """Open booking rounds of the groups the parent's children are in now, for each child they may book
    for (custody) that has no time yet. Three queries."""
    places = list(
        Enrollment.objects.current()
        .filter(
            group__isnull=False,
            child__in=Guardianship.objects.active().filter(user=user, has_custody=True).values("child_id"),
        )
        .select_related("child")
    )
    if not places:
        return []
    periods = list(
        BookingPeriod.objects.filter(
            group_id__in={e.group_id for e in places}, published_at__isnull=False, booking_deadline__gt=now
        )
        .select_related("institution")
        .order_by("booking_deadline", "pk")[:LIMIT]
    )
    booked = set(
        Meeting.objects.live()
        .filter(period__in=periods, child_id__in={e.child_id for e in places})
        .values_list("period_id", "child_id")
    )
    return [
        Todo(
            kind="booking",
            title=_("Book a time for %(name)s's conversation") % {"name": e.child.first_name},
            url=reverse("meetings:period_book", args=[p.pk]) + f"?child={e.child_id}",
            action=_("Book a time"),
            deadline=p.booking_deadline,
            note=f"{p.title}, {p.institution.name}",
            child=e.child,
        )
        for p in periods
        for e in places
        if e.group_id == p.group_id and (p.pk, e.child_id) not in booked
    ]


def family_meeting_todos(user, *, now) -> list[Todo]:
    """The family's meetings in the next two weeks, to get ready for (agenda, questions, interpreter).
    One query."""
    rows = (
        meetings_of_family(user)
        .upcoming(now=now)
        .filter(starts_at__lte=now + timedelta(days=PREPARE_DAYS))
        .select_related("child", "group", "period")
        .order_by("starts_at", "pk")[:LIMIT]
    )
    todos = []
    for m in rows:
        prepare = m.preparation or m.prepare_with or (m.period_id and m.period.preparation)
        todos.append(
            Todo(
                kind="meeting",
                title=meeting_title(m),
                url=reverse("meetings:meeting_detail", args=[m.pk]),
                action=_("Get ready for the meeting") if prepare else _("See the meeting"),
                deadline=m.starts_at,
                note=m.location,
                child=m.child,
            )
        )
    return todos


def not_booked_todos(user, *, now) -> list[Todo]:
    """Published rounds of the staff member's groups, still open, where some families have not booked:
    how many. One query (the count is a subquery per round)."""
    live = Meeting.objects.live().filter(period=OuterRef(OuterRef("pk")), child=OuterRef("child_id"))
    waiting = (
        Enrollment.objects.current()
        .filter(group=OuterRef("group_id"))
        .exclude(Exists(live))
        .order_by()
        .values("group")
        .annotate(n=Count("child", distinct=True))
        .values("n")
    )
    rows = (
        periods_managed_by(user)
        .filter(published_at__isnull=False, booking_deadline__gt=now)
        .annotate(not_booked=Subquery(waiting, output_field=IntegerField()))
        .filter(not_booked__gt=0)
        .select_related("group")
        .order_by("booking_deadline", "pk")[:LIMIT]
    )
    return [
        Todo(
            kind="booking",
            title=ngettext(
                "%(count)s family has not booked a time",
                "%(count)s families have not booked a time",
                p.not_booked,
            )
            % {"count": p.not_booked},
            url=reverse("meetings:period_detail", args=[p.pk]),
            action=_("See who and send a reminder"),
            deadline=p.booking_deadline,
            note=f"{p.title}, {p.group.name}",
        )
        for p in rows
    ]


def week_meeting_todos(user, *, now) -> list[Todo]:
    """The staff member's meetings from now to the end of this week (Sunday). One query."""
    today = timezone.localdate(now)
    monday = today + timedelta(days=7 - today.weekday())
    end = timezone.make_aware(datetime.combine(monday, time()))
    rows = (
        meetings_managed_by(user)
        .upcoming(now=now)
        .filter(starts_at__lt=end)
        .select_related("child", "group")
        .order_by("starts_at", "pk")[:LIMIT]
    )
    return [
        Todo(
            kind="meeting",
            title=meeting_title(m),
            url=reverse("meetings:staff_meeting_detail", args=[m.pk]),
            action=_("Open the meeting"),
            deadline=m.starts_at,
            note=m.location,
            child=m.child,
        )
        for m in rows
    ]


def follow_up_todos(user, *, now) -> list[Todo]:
    """Open follow-ups of the staff member's meetings due within two weeks, or overdue. One query."""
    rows = (
        FollowUp.objects.filter(
            meeting_id__in=managed_meeting_ids(user),
            done_at__isnull=True,
            follow_up_on__lte=timezone.localdate(now) + timedelta(days=FOLLOW_UP_WINDOW_DAYS),
        )
        .exclude(meeting__status=Meeting.Status.CANCELLED)
        .select_related("meeting__child", "meeting__group")
        .order_by("follow_up_on", "pk")[:LIMIT]
    )
    return [
        Todo(
            kind="follow_up",
            title=_("Follow up: %(text)s") % {"text": Truncator(f.text).chars(80)},
            url=reverse("meetings:staff_meeting_detail", args=[f.meeting_id]),
            action=_("Open the meeting"),
            deadline=f.follow_up_on,
            note=meeting_title(f.meeting),
            child=f.meeting.child,
        )
        for f in rows
    ]
