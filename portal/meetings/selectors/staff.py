"""Reads for the staff's meeting pages. Each page costs a fixed number of queries, however many slots,
bookings, children or follow-ups there are."""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from itertools import groupby

from django.db.models import Count, Exists, Max, Min, OuterRef, Q, Subquery
from django.utils import timezone

from children.models import Child, Guardianship, LearningGoal
from children.selectors.reading import plan_readings
from expectations.models import ExpectationAgreement
from portal.meetings.models import (
    BookingNudge,
    BookingPeriod,
    FollowUp,
    Meeting,
    MeetingKind,
    MeetingResponse,
    Reminder,
    Slot,
)
from portal.meetings.policies import children_for_period, managed_meeting_ids, periods_managed_by
from portal.organisation.models import StaffMembership
from portal.organisation.selectors import roles_label
from portal.statements import Statement
from portal.todos import CHILD_FIELDS, ChildRef

FOLLOW_UP_WINDOW_DAYS = 14
LIST_LIMIT = 100


# ---------------------------------------------------------------------------------------------------
# The staff overview
# ---------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class MeetingRow:
    """One upcoming meeting as the overview shows it, read as values (no model instances)."""

    pk: int
    starts_at: datetime
    ends_at: datetime
    title: str  # its own title, or its kind
    style: str  # "video", "phone" … as a label, or ""
    child: ChildRef | None
    child_name: str
    group_name: str
    interpreter_language: str
    location: str


@dataclass(frozen=True)
class FollowUpRow:
    pk: int
    meeting_id: int
    text: str
    follow_up_on: date
    child: ChildRef | None
    child_name: str
    group_name: str


@dataclass(frozen=True)
class PeriodRow:
    """A booking period with its number of times and bookings (``periods_with_counts``)."""

    pk: int
    title: str
    published_at: datetime | None
    booking_deadline: datetime
    group__name: str
    slot_count: int
    booked_count: int
    first_start: datetime | None
    last_end: datetime | None


@dataclass
class StaffOverview:
    meetings: list[MeetingRow]
    periods: list[PeriodRow]
    follow_ups: list[FollowUpRow]

    @property
    def children(self) -> list:
        """Every child named on the page (for the access log)."""
        shown = [row.child for row in (*self.meetings, *self.follow_ups) if row.child]
        return list({c.pk: c for c in shown}.values())


def periods_with_counts(queryset):
    """Booking periods with their number of slots and live bookings, in one GROUP BY query. A slot has
    at most one live meeting, so counting live meetings over the slot join counts each booking once."""
    live = Q(slots__meetings__status__in=[Meeting.Status.PLANNED, Meeting.Status.HELD])
    return queryset.annotate(
        slot_count=Count("slots", distinct=True),
        booked_count=Count("slots__meetings", filter=live),
        first_start=Min("slots__starts_at"),
        last_end=Max("slots__ends_at"),
    )


def _upcoming(user, *, now):
    return (
        Meeting.objects.filter(pk__in=managed_meeting_ids(user))
        .upcoming(now=now)
        .order_by("starts_at", "pk")
        .values(
            "pk",
            "kind",
            "style",
            "title",
            "starts_at",
            "ends_at",
            "location",
            "interpreter_language",
            "group__name",
            "child__last_name",
            *CHILD_FIELDS,
        )[:LIST_LIMIT]
    )


def _periods(user, *, now):
    return (
        periods_with_counts(periods_managed_by(user))
        .filter(Q(published_at__isnull=True) | Q(last_end__gt=now))
        .order_by("first_start", "pk")
        .values(
            "pk",
            "title",
            "published_at",
            "booking_deadline",
            "group__name",
            "slot_count",
            "booked_count",
            "first_start",
            "last_end",
        )[:LIST_LIMIT]
    )


def _follow_ups_due(user, *, until):
    return (
        FollowUp.objects.filter(
            meeting_id__in=managed_meeting_ids(user), done_at__isnull=True, follow_up_on__lte=until
        )
        .exclude(meeting__status=Meeting.Status.CANCELLED)
        .order_by("follow_up_on", "pk")
        .values(
            "pk",
            "meeting_id",
            "text",
            "follow_up_on",
            "meeting__group__name",
            "meeting__child__last_name",
            *(f"meeting__{name}" for name in CHILD_FIELDS),
        )[:LIST_LIMIT]
    )


_UPCOMING = Statement(_upcoming, now=datetime)
_PERIODS = Statement(_periods, now=datetime)
_FOLLOW_UPS_DUE = Statement(_follow_ups_due, until=date)


def _full_name(row: dict, prefix: str = "child") -> str:
    return f"{row[f'{prefix}__first_name']} {row[f'{prefix}__last_name']}" if row[f"{prefix}_id"] else ""


def staff_overview(user, *, now=None) -> StaffOverview:
    """The staff member's upcoming meetings, the current booking periods of their groups with how many
    times are booked, and the open follow-ups due within two weeks (or overdue). Three queries, as
    statements: the page's rows are values, not models."""
    now = now or timezone.now()
    kinds = {value: str(label) for value, label in MeetingKind.choices}
    styles = {value: str(label) for value, label in Meeting.Style.choices}
    meetings = [
        MeetingRow(
            pk=m["pk"],
            starts_at=m["starts_at"],
            ends_at=m["ends_at"],
            title=m["title"] or kinds.get(m["kind"], m["kind"]),
            style=styles.get(m["style"], ""),
            child=ChildRef.of(m),
            child_name=_full_name(m),
            group_name=m["group__name"] or "",
            interpreter_language=m["interpreter_language"],
            location=m["location"],
        )
        for m in _UPCOMING.rows(user, now=now)
    ]
    periods = [PeriodRow(**row) for row in _PERIODS.rows(user, now=now)]
    until = timezone.localdate(now) + timedelta(days=FOLLOW_UP_WINDOW_DAYS)
    follow_ups = [
        FollowUpRow(
            pk=f["pk"],
            meeting_id=f["meeting_id"],
            text=f["text"],
            follow_up_on=f["follow_up_on"],
            child=ChildRef.of(f, "meeting__child"),
            child_name=_full_name(f, "meeting__child"),
            group_name=f["meeting__group__name"] or "",
        )
        for f in _FOLLOW_UPS_DUE.rows(user, until=until)
    ]
    return StaffOverview(meetings=meetings, periods=periods, follow_ups=follow_ups)


# ---------------------------------------------------------------------------------------------------
# The slot grid of a booking period
# ---------------------------------------------------------------------------------------------------
@dataclass
class SlotRow:
    slot: Slot
    meeting: Meeting | None
    plan_reading: object = None  # children.selectors.reading.PlanReading of the booked child, if published

    @property
    def is_free(self) -> bool:
        return self.meeting is None


@dataclass
class GridDay:
    day: date
    rows: list[SlotRow]

    @property
    def booked(self) -> int:
        return sum(1 for r in self.rows if r.meeting)


@dataclass
class PeriodPage:
    period: BookingPeriod
    days: list[GridDay]
    not_booked: list  # children, annotated: last_nudged (date or None), has_custodian
    hosts: list
    free_future: list[Slot] = field(default_factory=list)

    @property
    def slot_count(self) -> int:
        return sum(len(d.rows) for d in self.days)

    @property
    def booked_count(self) -> int:
        return sum(d.booked for d in self.days)

    @property
    def children(self) -> list:
        """Every child named on the page (for the access log)."""
        shown = [r.meeting.child for d in self.days for r in d.rows if r.meeting]
        return list({c.pk: c for c in [*shown, *self.not_booked]}.values())


def period_page(period: BookingPeriod, *, now=None) -> PeriodPage:
    """The grid (days, each slot free or booked with the child's name), the children of the group who
    have not booked, and the free future times staff can assign."""
    now = now or timezone.now()
    slots = list(period.slots.select_related("host").order_by("starts_at", "host_id", "pk"))
    meetings = {
        m.slot_id: m
        for m in Meeting.objects.live().filter(period=period, slot__isnull=False).select_related("child")
    }
    readings = plan_readings({m.child_id for m in meetings.values()}, period.institution_id)
    rows = []
    for s in slots:
        meeting = meetings.get(s.pk)
        rows.append(SlotRow(s, meeting, readings.get(meeting.child_id) if meeting else None))
    days = [
        GridDay(day=day, rows=list(day_rows))
        for day, day_rows in groupby(rows, key=lambda r: timezone.localdate(r.slot.starts_at))
    ]
    booked_children = {m.child_id for m in meetings.values()}
    last_nudged = (
        BookingNudge.objects.filter(period=period, child=OuterRef("pk"))
        .order_by("-requested_on")
        .values("requested_on")[:1]
    )
    not_booked = list(
        children_for_period(period)
        .exclude(pk__in=booked_children)
        .annotate(
            last_nudged=Subquery(last_nudged),
            has_custodian=Exists(
                Guardianship.objects.active().filter(child=OuterRef("pk"), has_custody=True)
            ),
        )
        .order_by("first_name", "last_name", "pk")
    )
    free_future = [r.slot for r in rows if r.meeting is None and r.slot.starts_at > now]
    return PeriodPage(
        period=period,
        days=days,
        not_booked=not_booked,
        hosts=list(period.hosts.order_by("first_name", "last_name")),
        free_future=free_future,
    )


# ---------------------------------------------------------------------------------------------------
# One meeting
# ---------------------------------------------------------------------------------------------------
@dataclass
class MeetingPage:
    meeting: Meeting
    hosts: list
    topics: list
    follow_ups: list[FollowUp]
    goals: list[LearningGoal]
    agreements: list[ExpectationAgreement]
    free_slots: list[Slot]
    messages: list[Reminder]
    responses: list[MeetingResponse] = field(default_factory=list)  # a parent meeting's answers
    plan_reading: object = None  # the child's published plan here and who has read it (PlanReading)

    @property
    def coming(self) -> list[MeetingResponse]:
        return [r for r in self.responses if r.coming]

    @property
    def not_coming(self) -> list[MeetingResponse]:
        return [r for r in self.responses if not r.coming]

    @property
    def adults_coming(self) -> int:
        return sum(r.adults for r in self.coming)


def free_slots_for_move(meeting: Meeting, *, now=None) -> list[Slot]:
    """The free future slots of the meeting's period (where staff may move it)."""
    if meeting.period_id is None or meeting.is_cancelled:
        return []
    now = now or timezone.now()
    taken = Meeting.objects.live().filter(slot=OuterRef("pk")).exclude(pk=meeting.pk)
    return list(
        Slot.objects.filter(period_id=meeting.period_id, starts_at__gt=now)
        .exclude(Exists(taken))
        .exclude(pk=meeting.slot_id)
        .select_related("host")
        .order_by("starts_at", "host_id")
    )


def meeting_page(meeting: Meeting, *, now=None) -> MeetingPage:
    child_id = meeting.child_id
    return MeetingPage(
        meeting=meeting,
        hosts=list(meeting.hosts.order_by("first_name", "last_name")),
        topics=list(meeting.topics.select_related("author")),
        follow_ups=list(
            meeting.follow_ups.select_related("learning_goal", "agreement", "created_by").order_by(
                "follow_up_on", "pk"
            )
        ),
        goals=list(LearningGoal.objects.filter(child_id=child_id).order_by("-updated_at"))
        if child_id
        else [],
        agreements=(
            list(ExpectationAgreement.objects.filter(child_id=child_id).order_by("-pk")) if child_id else []
        ),
        free_slots=free_slots_for_move(meeting, now=now),
        responses=list(
            meeting.responses.select_related("guardian").order_by(
                "guardian__first_name", "guardian__last_name", "pk"
            )
        )
        if meeting.group_id
        else [],
        plan_reading=(plan_readings([child_id], meeting.institution_id).get(child_id) if child_id else None),
        messages=list(
            meeting.reminders.exclude(status=Reminder.Status.CANCELLED)
            .select_related("recipient")
            .order_by("due_at", "recipient__first_name", "pk")
        ),
    )


def staff_label(user, institution_id=None) -> str:
    """How the user acts here (their roles, at ``institution_id`` if given), for the access log."""
    memberships = StaffMembership.objects.active().filter(user=user).select_related("institution")
    if institution_id is not None:
        memberships = memberships.filter(institution_id=institution_id)
    return roles_label(memberships)[:100]


def slot_of_period(period_id, pk) -> Slot | None:
    """A slot of the period (one the staff member may already manage), or None."""
    return Slot.objects.filter(period_id=period_id, pk=pk).first() if period_id else None


def child_of_period(period: BookingPeriod, pk) -> Child | None:
    """A child the period is for (in its group now), or None."""
    return children_for_period(period).filter(pk=pk).first()
