"""The to-dos meetings contribute to the homes (``portal.todos``): times to book and meetings to prepare
for parents; families who have not booked, this week's meetings and follow-ups due for staff. Each
function costs one query, or a fixed few, whatever the number of rows; the reads are statements
(``portal.statements``), compiled once."""

from datetime import date, datetime, time, timedelta

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, Subquery
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.text import Truncator, format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from children.models import Enrollment, Guardianship
from portal.meetings.ics import title_of
from portal.meetings.models import BookingPeriod, FollowUp, Meeting
from portal.meetings.policies import managed_meeting_ids, meetings_managed_by, periods_managed_by
from portal.meetings.selectors.guardian import meetings_of_family
from portal.meetings.selectors.staff import FOLLOW_UP_WINDOW_DAYS
from portal.statements import Statement
from portal.todos import CHILD_FIELDS, LIMIT, ChildRef, Todo

PREPARE_DAYS = 14  # how far ahead a parent's home shows meetings to get ready for
MEETING_FIELDS = ("pk", "kind", "title", "starts_at", "location", "group__name", *CHILD_FIELDS)


def _title(row: dict, prefix: str = "") -> str:
    return title_of(
        row[f"{prefix}kind"],
        child_name=row[f"{prefix}child__first_name"] if row[f"{prefix}child_id"] else None,
        title=row[f"{prefix}title"],
        group_name=row[f"{prefix}group__name"] or "",
    )


def _places(user):
    custody = Guardianship.objects.active().filter(user=user, has_custody=True).values("child_id")
    return (
        Enrollment.objects.current()
        .filter(group__isnull=False, child__in=custody)
        .order_by("pk")
        .values("group_id", *CHILD_FIELDS)
    )


def _open_periods(user, *, now):
    custody = Guardianship.objects.active().filter(user=user, has_custody=True).values("child_id")
    groups = Enrollment.objects.current().filter(group__isnull=False, child__in=custody).values("group_id")
    return (
        BookingPeriod.objects.filter(
            group_id__in=groups, published_at__isnull=False, booking_deadline__gt=now
        )
        .order_by("booking_deadline", "pk")
        .values("pk", "group_id", "title", "booking_deadline", "institution__name")[:LIMIT]
    )


def _booked(user, *, now):
    custody = Guardianship.objects.active().filter(user=user, has_custody=True).values("child_id")
    return (
        Meeting.objects.live()
        .filter(child__in=custody, period__published_at__isnull=False, period__booking_deadline__gt=now)
        .values("period_id", "child_id")
    )


_PLACES = Statement(_places)
_OPEN_PERIODS = Statement(_open_periods, now=datetime)
_BOOKED = Statement(_booked, now=datetime)


def booking_todos(user, *, now) -> list[Todo]:
    """Open booking rounds of the groups the parent's children are in now, for each child they may book
    for (custody) that has no time yet. Three queries at most (one when no child is in a group)."""
    places = _PLACES.rows(user)
    if not places:
        return []
    periods = _OPEN_PERIODS.rows(user, now=now)
    if not periods:
        return []
    booked = {(row["period_id"], row["child_id"]) for row in _BOOKED.rows(user, now=now)}
    return [
        Todo(
            kind="booking",
            title=_("Book a time for %(name)s's conversation") % {"name": e["child__first_name"]},
            url=format_lazy(
                "{}?child={}", reverse_lazy("meetings:period_book", args=[p["pk"]]), e["child_id"]
            ),
            action=_("Book a time"),
            deadline=p["booking_deadline"],
            note=f"{p['title']}, {p['institution__name']}",
            child=ChildRef.of(e),
        )
        for p in periods
        for e in places
        if e["group_id"] == p["group_id"] and (p["pk"], e["child_id"]) not in booked
    ]


def _family_meetings(user, *, now, until):
    return (
        meetings_of_family(user)
        .upcoming(now=now)
        .filter(starts_at__lte=until)
        .order_by("starts_at", "pk")
        .values(*MEETING_FIELDS, "preparation", "prepare_with", "period__preparation")[:LIMIT]
    )


_FAMILY_MEETINGS = Statement(_family_meetings, now=datetime, until=datetime)


def family_meeting_todos(user, *, now) -> list[Todo]:
    """The family's meetings in the next two weeks, to get ready for (agenda, questions, interpreter).
    One query."""
    rows = _FAMILY_MEETINGS.rows(user, now=now, until=now + timedelta(days=PREPARE_DAYS))
    return [
        Todo(
            kind="meeting",
            title=_title(m),
            url=reverse_lazy("meetings:meeting_detail", args=[m["pk"]]),
            action=_("Get ready for the meeting")
            if m["preparation"] or m["prepare_with"] or m["period__preparation"]
            else _("See the meeting"),
            deadline=m["starts_at"],
            note=m["location"],
            child=ChildRef.of(m),
        )
        for m in rows
    ]


def _not_booked(user, *, now):
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
    return (
        periods_managed_by(user)
        .filter(published_at__isnull=False, booking_deadline__gt=now)
        .annotate(not_booked=Subquery(waiting, output_field=IntegerField()))
        .filter(not_booked__gt=0)
        .order_by("booking_deadline", "pk")
        .values("pk", "title", "booking_deadline", "group__name", "not_booked")[:LIMIT]
    )


_NOT_BOOKED = Statement(_not_booked, now=datetime)


def not_booked_todos(user, *, now) -> list[Todo]:
    """Published rounds of the staff member's groups, still open, where some families have not booked:
    how many. One query (the count is a subquery per round)."""
    return [
        Todo(
            kind="booking",
            title=ngettext(
                "%(count)s family has not booked a time",
                "%(count)s families have not booked a time",
                p["not_booked"],
            )
            % {"count": p["not_booked"]},
            url=reverse_lazy("meetings:period_detail", args=[p["pk"]]),
            action=_("See who and send a reminder"),
            deadline=p["booking_deadline"],
            note=f"{p['title']}, {p['group__name']}",
        )
        for p in _NOT_BOOKED.rows(user, now=now)
    ]


def _week_meetings(user, *, now, until):
    return (
        meetings_managed_by(user, within=Q(starts_at__lt=until, ends_at__gt=now))
        .live()
        .order_by("starts_at", "pk")
        .values(*MEETING_FIELDS)[:LIMIT]
    )


_WEEK_MEETINGS = Statement(_week_meetings, now=datetime, until=datetime)


def week_meeting_todos(user, *, now) -> list[Todo]:
    """The staff member's meetings from now to the end of this week (Sunday). One query."""
    today = timezone.localdate(now)
    monday = today + timedelta(days=7 - today.weekday())
    end = timezone.make_aware(datetime.combine(monday, time()))
    return [
        Todo(
            kind="meeting",
            title=_title(m),
            url=reverse_lazy("meetings:staff_meeting_detail", args=[m["pk"]]),
            action=_("Open the meeting"),
            deadline=m["starts_at"],
            note=m["location"],
            child=ChildRef.of(m),
        )
        for m in _WEEK_MEETINGS.rows(user, now=now, until=end)
    ]


def _follow_ups(user, *, until):
    return (
        FollowUp.objects.filter(
            meeting_id__in=managed_meeting_ids(user), done_at__isnull=True, follow_up_on__lte=until
        )
        .exclude(meeting__status=Meeting.Status.CANCELLED)
        .order_by("follow_up_on", "pk")
        .values(
            "text",
            "follow_up_on",
            "meeting_id",
            *(f"meeting__{field}" for field in ("kind", "title", "group__name", *CHILD_FIELDS)),
        )[:LIMIT]
    )


_FOLLOW_UPS = Statement(_follow_ups, until=date)


def follow_up_todos(user, *, now) -> list[Todo]:
    """Open follow-ups of the staff member's meetings due within two weeks, or overdue. One query."""
    until = timezone.localdate(now) + timedelta(days=FOLLOW_UP_WINDOW_DAYS)
    return [
        Todo(
            kind="follow_up",
            title=_("Follow up: %(text)s") % {"text": Truncator(f["text"]).chars(80)},
            url=reverse_lazy("meetings:staff_meeting_detail", args=[f["meeting_id"]]),
            action=_("Open the meeting"),
            deadline=f["follow_up_on"],
            note=_title(f, "meeting__"),
            child=ChildRef.of(f, "meeting__child"),
        )
        for f in _FOLLOW_UPS.rows(user, until=until)
    ]
