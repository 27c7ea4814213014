"""Booking periods, slots and meetings: every write, in a transaction, audited, with its outbox rows.

Concurrency: booking, assigning and moving lock the slot row (``SELECT … FOR UPDATE``) before they
look at it, and the database's partial unique constraints (one live meeting per slot, one per child
and period) stand behind the lock, so two people racing for one slot get one booking and one clear
refusal, never two bookings and never an error page.
"""

from collections.abc import Iterable, Sequence
from datetime import date, datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, Min
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from portal.audit.models import AccessEvent
from portal.audit.services import access_record
from portal.meetings.models import GROUP_KINDS, BookingPeriod, Meeting, Reminder, Slot
from portal.meetings.policies import children_for_period
from portal.meetings.services.outbox import notices_plan, outbox_cancel, reminders_plan
from portal.organisation.models import Group

MAX_SLOTS = 600


class BookingError(ValidationError):
    """A booking that cannot be made; the message is for the person who tried."""


def _audit(request, meeting: Meeting, action, subject: str, actor_role: str = "") -> None:
    if request is None or meeting.child_id is None:
        return
    access_record(
        request=request,
        child=meeting.child,
        action=action,
        subject=subject,
        object_id=meeting.pk,
        actor_role=actor_role,
    )


# ---------------------------------------------------------------------------------------------------
# Periods and slots
# ---------------------------------------------------------------------------------------------------
def slot_times(
    *,
    days: Iterable[date],
    start: time,
    end: time,
    slot_minutes: int,
    pause_minutes: int = 0,
    break_start: time | None = None,
    break_end: time | None = None,
) -> list[tuple[datetime, datetime]]:
    """The (start, end) of every slot, in local wall-clock time made aware (DST-safe per day)."""
    if slot_minutes <= 0:
        raise ValidationError(_("A conversation must last at least one minute."))
    if end <= start:
        raise ValidationError(_("The day must end after it starts."))
    if (break_start is None) != (break_end is None) or (break_start and break_end <= break_start):
        raise ValidationError(_("A break needs both a start and a later end."))
    times = []
    step, pause = timedelta(minutes=slot_minutes), timedelta(minutes=pause_minutes)
    for day in sorted(set(days)):
        cursor, day_end = datetime.combine(day, start), datetime.combine(day, end)
        while cursor + step <= day_end:
            slot_end = cursor + step
            if break_start and cursor.time() < break_end and slot_end.time() > break_start:
                cursor = datetime.combine(day, break_end)
                continue
            times.append((timezone.make_aware(cursor), timezone.make_aware(slot_end)))
            cursor = slot_end + pause
    return times


@transaction.atomic
def period_create(
    *,
    user,
    group,
    title: str,
    days: Sequence[date],
    start: time,
    end: time,
    slot_minutes: int,
    booking_deadline: datetime,
    hosts: Sequence = (),
    parallel: bool = False,
    pause_minutes: int = 0,
    break_start: time | None = None,
    break_end: time | None = None,
    kind: str = "conference",
    location: str = "",
    video_url: str = "",
    agenda: str = "",
    preparation: str = "",
    prepare_with: str = "",
) -> BookingPeriod:
    """Create a (draft) booking period with its slots: one row per time, or per time and host when the
    hosts hold conversations in parallel. Refused (nothing written) if it would make no or too many,
    or if its days overlap a published round of the group and kind (publishing checks again)."""
    times = slot_times(
        days=days,
        start=start,
        end=end,
        slot_minutes=slot_minutes,
        pause_minutes=pause_minutes,
        break_start=break_start,
        break_end=break_end,
    )
    hosts = list(hosts) or [user]
    tracks = hosts if parallel else [None]
    if not times:
        raise ValidationError(_("These times leave no room for a single conversation."))
    if len(times) * len(tracks) > MAX_SLOTS:
        raise ValidationError(
            _("That makes more than %(max)d time slots. Choose fewer days or longer conversations.")
            % {"max": MAX_SLOTS}
        )
    if booking_deadline > times[0][0]:
        raise ValidationError(_("The booking deadline must be before the first conversation."))
    period_check_overlap(
        group=group,
        kind=kind,
        first=timezone.localdate(times[0][0]),
        last=timezone.localdate(times[-1][1]),
    )
    period = BookingPeriod.objects.create(
        institution_id=group.institution_id,
        group=group,
        kind=kind,
        title=title,
        location=location,
        video_url=video_url,
        agenda=agenda,
        preparation=preparation,
        prepare_with=prepare_with,
        booking_deadline=booking_deadline,
        slot_minutes=slot_minutes,
        created_by=user,
    )
    period.hosts.set(hosts)
    Slot.objects.bulk_create(
        [Slot(period=period, starts_at=s, ends_at=e, host=h) for s, e in times for h in tracks]
    )
    return period


def day_span(first: date, last: date) -> tuple[datetime, datetime]:
    """From the start of ``first`` to the end of ``last``, local time."""
    return (
        timezone.make_aware(datetime.combine(first, time.min)),
        timezone.make_aware(datetime.combine(last + timedelta(days=1), time.min)),
    )


def period_check_overlap(*, group, kind: str, first: date, last: date, exclude=None) -> None:
    """Refuse a round whose days overlap a published round of the same group and kind: families would
    book two conversations for one child."""
    starts, ends = day_span(first, last)
    other = BookingPeriod.objects.overlapping(group_id=group.pk, kind=kind, starts=starts, ends=ends)
    if exclude is not None:
        other = other.exclude(pk=exclude.pk)
    other = other.order_by("first_start", "pk").first()
    if other is not None:
        raise ValidationError(
            _(
                "%(group)s already has “%(title)s” from %(first)s to %(last)s. Two rounds of the same "
                "kind cannot overlap: choose days outside it."
            )
            % {
                "group": group.name,
                "title": other.title,
                "first": date_format(timezone.localtime(other.first_start), "j. F"),
                "last": date_format(timezone.localtime(other.last_end), "j. F Y"),
            },
            code="overlap",
        )


@transaction.atomic
def period_publish(*, user, period: BookingPeriod, now=None) -> bool:
    """Open the period to the group's guardians (once; a second publish changes nothing). Refused if
    it overlaps a published round of the group and kind; the group row is locked, so two rounds
    published at once are checked one after the other."""
    now = now or timezone.now()
    Group.objects.select_for_update().filter(pk=period.group_id).first()
    period = BookingPeriod.objects.select_related("group").get(pk=period.pk)
    if period.is_published:
        return False
    span = period.slots.aggregate(first=Min("starts_at"), last=Max("ends_at"))
    if span["first"] is not None:
        period_check_overlap(
            group=period.group,
            kind=period.kind,
            first=timezone.localdate(span["first"]),
            last=timezone.localdate(span["last"]),
            exclude=period,
        )
    return bool(
        BookingPeriod.objects.filter(pk=period.pk, published_at__isnull=True).update(published_at=now)
    )


# ---------------------------------------------------------------------------------------------------
# Booking
# ---------------------------------------------------------------------------------------------------
def _lock_free_slot(slot_id: int, *, exclude_meeting: int | None = None) -> Slot:
    slot = Slot.objects.select_for_update().select_related("period").get(pk=slot_id)
    taken = Meeting.objects.live().filter(slot=slot)
    if exclude_meeting:
        taken = taken.exclude(pk=exclude_meeting)
    if taken.exists():
        raise BookingError(_("Someone else has just booked this time. Please choose another."), code="taken")
    return slot


def _check_child_in_period(period: BookingPeriod, child) -> None:
    if not children_for_period(period).filter(pk=child.pk).exists():
        raise BookingError(_("This time is not for this child."), code="wrong_child")


def meeting_book(
    *,
    request,
    user,
    slot: Slot,
    child,
    interpreter_language: str = "",
    topic: str = "",
    by_staff: bool = False,
    now=None,
) -> Meeting:
    """Book a slot for a child (a guardian before the deadline, or staff assigning any time).

    Locks the slot; the unique constraints refuse a second booking of the slot or of the child in the
    period, also across concurrent transactions. Reminders and confirmations are planned in the same
    transaction."""
    now = now or timezone.now()
    try:
        with transaction.atomic():
            slot = _lock_free_slot(slot.pk)
            period = slot.period
            if not by_staff and not period.is_open(now):
                raise BookingError(_("Booking for these conversations has closed."), code="closed")
            if slot.starts_at <= now:
                raise BookingError(_("This time has passed."), code="past")
            _check_child_in_period(period, child)
            if Meeting.objects.live().filter(period=period, child=child).exists():
                raise BookingError(
                    _("%(name)s already has a time. Move it instead of booking a new one.")
                    % {"name": child.first_name},
                    code="already_booked",
                )
            meeting = Meeting.objects.create(
                kind=period.kind,
                institution_id=period.institution_id,
                child=child,
                period=period,
                slot=slot,
                starts_at=slot.starts_at,
                ends_at=slot.ends_at,
                location=period.location,
                video_url=period.video_url,
                interpreter_language=interpreter_language.strip(),
                booked_by=user,
                booked_at=now,
            )
            meeting.hosts.set([slot.host_id] if slot.host_id else period.hosts.all())
            if topic.strip():
                meeting.topics.create(author=user, text=topic.strip())
            reminders_plan(meeting=meeting, now=now)
            # The family gets a receipt for their own booking; a time staff chose for them is news.
            notice = Reminder.Kind.INVITATION if by_staff else Reminder.Kind.CONFIRMATION
            notices_plan(meeting=meeting, kind=notice, now=now)
            _audit(request, meeting, AccessEvent.Action.CREATE, "meeting_book")
    except IntegrityError:
        # A concurrent booking won between our check and our insert; the constraint decided.
        raise BookingError(
            _("Someone else has just booked this time. Please choose another."), code="taken"
        ) from None
    return meeting


@transaction.atomic
def meeting_move(*, request, user, meeting: Meeting, slot: Slot, by_staff: bool = False, now=None) -> Meeting:
    """Move a booked meeting to another free slot of its period; re-plans reminders, tells the family."""
    now = now or timezone.now()
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.is_cancelled:
        raise BookingError(_("This meeting has been cancelled."), code="cancelled")
    if meeting.slot_id == slot.pk:
        return meeting
    if slot.period_id != meeting.period_id:
        raise BookingError(_("Choose a time from the same round of conversations."), code="wrong_period")
    try:
        with transaction.atomic():
            slot = _lock_free_slot(slot.pk, exclude_meeting=meeting.pk)
            if not by_staff and not slot.period.is_open(now):
                raise BookingError(_("Booking for these conversations has closed."), code="closed")
            if slot.starts_at <= now or (not by_staff and meeting.starts_at <= now):
                raise BookingError(_("This time has passed."), code="past")
            meeting.slot = slot
            meeting.starts_at, meeting.ends_at = slot.starts_at, slot.ends_at
            meeting.sequence += 1
            meeting.save(update_fields=["slot", "starts_at", "ends_at", "sequence", "updated_at"])
            meeting.hosts.set([slot.host_id] if slot.host_id else slot.period.hosts.all())
    except IntegrityError:
        raise BookingError(
            _("Someone else has just booked this time. Please choose another."), code="taken"
        ) from None
    reminders_plan(meeting=meeting, now=now)
    notices_plan(meeting=meeting, kind=Reminder.Kind.CHANGE, now=now)
    _audit(request, meeting, AccessEvent.Action.UPDATE, "meeting_move")
    return meeting


@transaction.atomic
def meeting_reschedule(
    *,
    request,
    user,
    meeting: Meeting,
    starts_at: datetime,
    ends_at: datetime,
    location=None,
    video_url=None,
    now=None,
) -> Meeting:
    """Change the time or place of a meeting outside a period (e.g. a parent meeting); re-plans."""
    now = now or timezone.now()
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.is_cancelled:
        raise BookingError(_("This meeting has been cancelled."), code="cancelled")
    if ends_at <= starts_at:
        raise BookingError(_("The meeting must end after it starts."), code="times")
    if meeting.slot_id:
        raise BookingError(_("Move a booked conversation to another time slot instead."), code="slot")
    changed = (
        (meeting.starts_at, meeting.ends_at) != (starts_at, ends_at)
        or (location is not None and location != meeting.location)
        or (video_url is not None and video_url != meeting.video_url)
    )
    if not changed:
        return meeting
    meeting.starts_at, meeting.ends_at = starts_at, ends_at
    if location is not None:
        meeting.location = location
    if video_url is not None:
        meeting.video_url = video_url
    meeting.sequence += 1
    meeting.save()
    reminders_plan(meeting=meeting, now=now)
    notices_plan(meeting=meeting, kind=Reminder.Kind.CHANGE, now=now)
    _audit(request, meeting, AccessEvent.Action.UPDATE, "meeting_reschedule")
    return meeting


@transaction.atomic
def meeting_cancel(*, request, user, meeting: Meeting, by_staff: bool = False, now=None) -> Meeting:
    """Cancel a meeting: its slot is free again, unsent reminders are withdrawn, everyone is told."""
    now = now or timezone.now()
    meeting = Meeting.objects.select_for_update(of=("self",)).select_related("period").get(pk=meeting.pk)
    if meeting.is_cancelled:
        return meeting
    if meeting.status == Meeting.Status.HELD or meeting.starts_at <= now:
        raise BookingError(_("A meeting that has begun cannot be cancelled."), code="past")
    if not by_staff and meeting.period and not meeting.period.is_open(now):
        raise BookingError(
            _("The deadline for changes has passed. Please contact the institution."), code="closed"
        )
    meeting.status = Meeting.Status.CANCELLED
    meeting.cancelled_by, meeting.cancelled_at = user, now
    meeting.sequence += 1
    meeting.save(update_fields=["status", "cancelled_by", "cancelled_at", "sequence", "updated_at"])
    outbox_cancel(meeting=meeting)
    notices_plan(meeting=meeting, kind=Reminder.Kind.CANCELLATION, now=now)
    _audit(request, meeting, AccessEvent.Action.UPDATE, "meeting_cancel")
    return meeting


@transaction.atomic
def meeting_plan(
    *,
    request,
    user,
    kind: str,
    institution,
    starts_at: datetime,
    ends_at: datetime,
    child=None,
    group=None,
    title: str = "",
    style: str = "",
    location: str = "",
    video_url: str = "",
    agenda: str = "",
    preparation: str = "",
    prepare_with: str = "",
    hosts: Sequence = (),
    now=None,
) -> Meeting:
    """Plan a meeting directly: a parent meeting for a group, or one conversation with a family
    (e.g. a handover meeting). Reminders and an invitation (nobody booked it) are planned with it."""
    now = now or timezone.now()
    if (child is None) == (group is None):
        raise ValidationError(_("A meeting is with one family or with a group."))
    if (kind in GROUP_KINDS) != (group is not None):
        raise ValidationError(_("This kind of meeting does not fit a group."))
    if ends_at <= starts_at:
        raise ValidationError(_("The meeting must end after it starts."))
    if starts_at <= now:
        raise ValidationError(_("Choose a time in the future."))
    meeting = Meeting.objects.create(
        kind=kind,
        style=style,
        institution=institution,
        child=child,
        group=group,
        title=title,
        starts_at=starts_at,
        ends_at=ends_at,
        location=location,
        video_url=video_url,
        agenda=agenda,
        preparation=preparation,
        prepare_with=prepare_with,
        booked_by=user,
        booked_at=now,
    )
    meeting.hosts.set(list(hosts) or [user])
    reminders_plan(meeting=meeting, now=now)
    notices_plan(meeting=meeting, kind=Reminder.Kind.INVITATION, now=now)
    _audit(request, meeting, AccessEvent.Action.CREATE, "meeting_plan")
    return meeting
