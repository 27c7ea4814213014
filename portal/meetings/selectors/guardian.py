"""Reads the guardians' meeting pages need, each in a fixed number of queries whatever the number of
children, periods and meetings.

A guardian sees a meeting as family when it is about one of their children (with the right to
information) or is a parent meeting of a group one of their children is in now; custody holders may
book, move and cancel before the period's deadline (``portal.meetings.policies``).
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from children.models import Child, Enrollment, Guardianship, LearningPlan
from portal.access import children_of_guardian, guardian_child_ids
from portal.meetings.ics import meeting_title
from portal.meetings.models import (
    BookingPeriod,
    FollowUp,
    Meeting,
    MeetingResponse,
    MeetingTopic,
    PrepareWith,
    Slot,
    prepare_with_for,
)
from portal.meetings.policies import can_book_for, guardian_group_ids
from portal.statements import Statement, instances, related_columns

PAST_DAYS = 400  # how far back "my meetings" shows earlier meetings and their summaries


def meetings_of_family(user) -> QuerySet[Meeting]:
    """The meetings this person sees as a guardian (not as staff): their children's and their
    children's groups'. Each found along its own index and the ids united: one condition with an OR
    would make PostgreSQL read the municipality's meetings in time order."""
    if not user.is_authenticated:
        return Meeting.objects.none()
    ids = (
        Meeting.objects.filter(child__in=children_of_guardian(user))
        .values("pk")
        .union(Meeting.objects.filter(group__in=guardian_group_ids(user)).values("pk"))
    )
    return Meeting.objects.filter(pk__in=ids)


def get_family_meeting_or_404(user, pk) -> Meeting:
    """One meeting the person sees as a guardian; 404 for everyone else (staff have their own page)."""
    try:
        return meetings_of_family(user).select_related("child", "group", "institution", "period").get(pk=pk)
    except (Meeting.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


# ---------------------------------------------------------------------------------------------------
# One meeting as the family sees it
# ---------------------------------------------------------------------------------------------------
@dataclass
class FamilyMeeting:
    meeting: Meeting
    title: str
    agenda: str
    preparation: str
    prepare_label: str
    prepare_url: str
    topics: list
    follow_ups: list
    summary: str  # only once staff have shared it
    deadline: datetime | None
    custody: bool
    can_change: bool  # move or cancel: custody, a booked time, before the deadline and the start
    can_add_topic: bool
    can_set_interpreter: bool
    can_answer: bool = False  # a parent meeting that has not begun asks whether they come
    response: MeetingResponse | None = None  # their answer (on the meeting page only)

    @property
    def is_upcoming(self) -> bool:
        return not self.meeting.is_cancelled and self.meeting.ends_at > timezone.now()


def _prepare(meeting: Meeting, prepare_with: str) -> tuple[str, str]:
    """The link to open before the meeting, and its text: the child's plan at the meeting's place (the
    published version; the child's page while nothing is published) or agreements."""
    if not meeting.child_id or not prepare_with:
        return "", ""
    name = meeting.child.first_name
    if prepare_with == PrepareWith.LEARNING_PLAN:
        plan_id = getattr(meeting, "published_plan_id", None)
        if plan_id:
            return (
                _("Read %(name)s's plan before the meeting") % {"name": name},
                reverse("children:plan_detail", args=[plan_id]),
            )
        return (
            _("Look at %(name)s's learning plan") % {"name": name},
            reverse("children:child_detail", args=[meeting.child_id]),
        )
    if prepare_with == PrepareWith.AGREEMENT:
        return (
            _("Look at what we agreed about %(name)s") % {"name": name},
            reverse("expectations:child_agreements", kwargs={"child_pk": meeting.child_id}),
        )
    return "", ""


def family_meeting(user, meeting: Meeting, *, custody: bool, now: datetime) -> FamilyMeeting:
    """What the family sees of one meeting. Topics and follow-ups must be prefetched (``_meetings``)."""
    period = meeting.period if meeting.period_id else None
    prepare_with = prepare_with_for(
        meeting.kind,
        meeting.prepare_with or (period.prepare_with if period else ""),
        published_plan=bool(getattr(meeting, "published_plan_id", None)),
    )
    label, url = _prepare(meeting, prepare_with)
    topics = list(meeting.topics.all())
    if meeting.group_id:
        # Other families' questions for a parent meeting are theirs: each sees only their own.
        topics = [t for t in topics if t.author_id == user.pk]
    open_ = not meeting.is_cancelled and meeting.starts_at > now
    shared = meeting.summary_shared_at is not None
    return FamilyMeeting(
        meeting=meeting,
        title=meeting_title(meeting),
        agenda=meeting.agenda or (period.agenda if period else ""),
        preparation=meeting.preparation or (period.preparation if period else ""),
        prepare_label=label,
        prepare_url=url,
        topics=topics,
        follow_ups=list(meeting.follow_ups.all()) if shared else [],
        summary=meeting.summary if shared else "",
        deadline=period.booking_deadline if period else None,
        custody=custody,
        can_change=bool(custody and open_ and period and meeting.slot_id and period.is_open(now)),
        can_add_topic=open_,
        can_set_interpreter=bool(custody and open_ and meeting.child_id),
        can_answer=bool(open_ and meeting.group_id),
    )


def published_plan_of_meeting() -> Subquery:
    """The id of the meeting's child's plan at the meeting's place, once a version is published."""
    return Subquery(
        LearningPlan.objects.filter(
            child_id=OuterRef("child_id"), institution_id=OuterRef("institution_id"), published_number__gt=0
        )
        .order_by()
        .values("pk")[:1]
    )


def _meetings(queryset) -> QuerySet[Meeting]:
    return (
        queryset.select_related("child", "group", "institution", "period")
        .annotate(published_plan_id=published_plan_of_meeting())
        .prefetch_related(
            Prefetch("topics", queryset=MeetingTopic.objects.select_related("author")),
            Prefetch(
                "follow_ups",
                queryset=FollowUp.objects.select_related("learning_goal", "agreement"),
            ),
            "hosts",
        )
        .order_by("starts_at", "pk")
    )


def meeting_page(user, meeting: Meeting, *, now=None) -> FamilyMeeting:
    """The meeting page of a guardian."""
    now = now or timezone.now()
    meeting = _meetings(Meeting.objects.filter(pk=meeting.pk)).get()
    custody = bool(meeting.child_id) and can_book_for(user, meeting.child)
    page = family_meeting(user, meeting, custody=custody, now=now)
    if meeting.group_id:
        page.response = MeetingResponse.objects.filter(meeting=meeting, guardian=user).first()
    return page


# ---------------------------------------------------------------------------------------------------
# "My meetings"
# ---------------------------------------------------------------------------------------------------
@dataclass
class ChildMeetings:
    child: Child
    custody: bool
    open_periods: list = field(default_factory=list)
    upcoming: list = field(default_factory=list)
    past: list = field(default_factory=list)


MEETING_RELATED = ("child", "group", "institution", "period")


def _my_meetings(user, *, since):
    """The family's meetings since then: the children's and their groups' now, each found along its own
    index (see ``meetings_of_family``)."""
    groups_now = Enrollment.objects.current().filter(child_id__in=guardian_child_ids(user)).values("group_id")
    meetings = Meeting.objects.filter(~Q(status=Meeting.Status.CANCELLED), ends_at__gte=since)
    ids = (
        meetings.filter(child_id__in=guardian_child_ids(user))
        .values("pk")
        .union(meetings.filter(group_id__in=groups_now).values("pk"))
    )
    return Meeting.objects.filter(pk__in=ids)


_MY_GUARDIANSHIPS = Statement(
    lambda user: (
        Guardianship.objects.with_information()
        .filter(user=user)
        .order_by("child__birth_date", "child__first_name", "child_id")
        .values(*related_columns(Guardianship, "child"))
    )
)
_MY_GROUPS_NOW = Statement(
    lambda user: (
        Enrollment.objects.current()
        .filter(child_id__in=guardian_child_ids(user))
        .order_by()
        .values("child_id", "group_id")
    )
)
_MY_MEETINGS = Statement(
    lambda user, *, since: (
        _my_meetings(user, since=since)
        .annotate(published_plan_id=published_plan_of_meeting())
        .order_by("starts_at", "pk")
        .values("published_plan_id", *related_columns(Meeting, *MEETING_RELATED))
    ),
    since=datetime,
)
_MY_TOPICS = Statement(
    lambda user, *, since: (
        MeetingTopic.objects.filter(meeting__in=_my_meetings(user, since=since))
        .order_by("created_at", "pk")
        .values(*related_columns(MeetingTopic, "author"))
    ),
    since=datetime,
)
_MY_FOLLOW_UPS = Statement(
    lambda user, *, since: (
        FollowUp.objects.filter(meeting__in=_my_meetings(user, since=since))
        .order_by("follow_up_on", "pk")
        .values(*related_columns(FollowUp, "learning_goal", "agreement"))
    ),
    since=datetime,
)
_MY_HOSTS = Statement(
    lambda user, *, since: (
        Meeting.hosts.through.objects.filter(meeting__in=_my_meetings(user, since=since))
        .order_by("user__first_name", "user__last_name", "pk")
        .values("meeting_id", *related_columns(get_user_model(), prefix="user__"))
    ),
    since=datetime,
)


def _by_meeting(items) -> dict[int, list]:
    found = defaultdict(list)
    for item in items:
        found[item.meeting_id].append(item)
    return found


def my_meetings(user, *, now=None) -> list[ChildMeetings]:
    """Per child: the booking periods still to book, upcoming meetings (the child's own and the group's
    parent meetings) and earlier ones with their shared summary. Seven queries, all but the periods'
    compiled once per shape of family."""
    now = now or timezone.now()
    since = now - timedelta(days=PAST_DAYS)
    children: dict[int, ChildMeetings] = {}
    for g in _MY_GUARDIANSHIPS.objects(user, Guardianship, "child"):
        entry = children.setdefault(g.child_id, ChildMeetings(child=g.child, custody=False))
        entry.custody = entry.custody or g.has_custody
    groups_of: dict[int, set] = defaultdict(set)
    for row in _MY_GROUPS_NOW.rows(user):
        groups_of[row["child_id"]].add(row["group_id"])
    group_ids = {g for groups in groups_of.values() for g in groups}

    rows = _MY_MEETINGS.rows(user, since=since)
    meetings = instances(Meeting, rows, *MEETING_RELATED)
    topics = _by_meeting(_MY_TOPICS.objects(user, MeetingTopic, "author", since=since))
    follow_ups = _by_meeting(
        _MY_FOLLOW_UPS.objects(user, FollowUp, "learning_goal", "agreement", since=since)
    )
    host_rows = _MY_HOSTS.rows(user, since=since)
    hosts = defaultdict(list)
    for row, host in zip(host_rows, instances(get_user_model(), host_rows, prefix="user__"), strict=True):
        hosts[row["meeting_id"]].append(host)
    for m, row in zip(meetings, rows, strict=True):
        m.published_plan_id = row["published_plan_id"]
        m._prefetched_objects_cache = {
            "topics": topics.get(m.pk, []),
            "follow_ups": follow_ups.get(m.pk, []),
            "hosts": hosts.get(m.pk, []),
        }
    booked = {(m.period_id, m.child_id) for m in meetings if m.period_id and m.child_id}
    periods = list(
        BookingPeriod.objects.filter(
            group_id__in=group_ids, published_at__isnull=False, booking_deadline__gt=now
        )
        .select_related("institution")
        .order_by("booking_deadline", "pk")
    )
    for child_id, entry in children.items():
        groups = groups_of.get(child_id, set())
        entry.open_periods = [p for p in periods if p.group_id in groups and (p.pk, child_id) not in booked]
        for m in meetings:
            if m.child_id == child_id or (m.group_id and m.group_id in groups):
                view = family_meeting(user, m, custody=entry.custody, now=now)
                (entry.upcoming if m.ends_at > now else entry.past).append(view)
        entry.past.reverse()  # the latest first
    return list(children.values())


# ---------------------------------------------------------------------------------------------------
# Booking
# ---------------------------------------------------------------------------------------------------
def free_slots(period: BookingPeriod, *, now=None, exclude_meeting: int | None = None) -> QuerySet[Slot]:
    """The period's times nobody has booked that have not begun."""
    now = now or timezone.now()
    taken = Meeting.objects.live().filter(slot=OuterRef("pk"))
    if exclude_meeting:
        taken = taken.exclude(pk=exclude_meeting)
    return (
        period.slots.filter(starts_at__gt=now)
        .exclude(Exists(taken))
        .select_related("host")
        .order_by("starts_at", "host__first_name", "pk")
    )


def slots_by_day(slots) -> list[tuple[date, list[Slot]]]:
    """Slots grouped by their local date, in order."""
    days: dict[date, list[Slot]] = {}
    for slot in slots:
        days.setdefault(timezone.localdate(slot.starts_at), []).append(slot)
    return list(days.items())


def booked_meeting(period: BookingPeriod, child) -> Meeting | None:
    return Meeting.objects.live().filter(period=period, child=child).first()
