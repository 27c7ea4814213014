"""Meetings between families and the institutions: booking periods and slots, meetings, follow-up,
and the outbox of reminders and notices that tell guardians about them.

Invariants the database enforces:

* one live meeting per slot (a partial unique constraint; booking also locks the slot row);
* one live booking per child in a booking period (and, checked under a lock on the group, no two
  published booking periods of one group and kind that overlap);
* a meeting concerns one child or one group, never both;
* one reminder row per (meeting, recipient, kind, offset): the row is the outbox and its own claim;
* one answer per guardian to a parent meeting's invitation.
"""

from .booking import BookingPeriod, BookingPeriodQuerySet, Slot
from .common import (
    BOOKABLE_KINDS,
    DEFAULT_REMINDER_OFFSETS,
    GROUP_KINDS,
    INDIVIDUAL_KINDS,
    SHARED_KINDS,
    MeetingKind,
    MeetingSettings,
    PrepareWith,
    default_offsets,
    prepare_with_for,
)
from .delivery import (
    BookingNudge,
    CalendarFeed,
    Notification,
    Reminder,
    ReminderQuerySet,
    new_feed_token,
)
from .meetings import FollowUp, Meeting, MeetingQuerySet, MeetingResponse, MeetingTopic

__all__ = [
    "BOOKABLE_KINDS",
    "DEFAULT_REMINDER_OFFSETS",
    "GROUP_KINDS",
    "INDIVIDUAL_KINDS",
    "SHARED_KINDS",
    "BookingNudge",
    "BookingPeriod",
    "BookingPeriodQuerySet",
    "CalendarFeed",
    "FollowUp",
    "Meeting",
    "MeetingKind",
    "MeetingQuerySet",
    "MeetingResponse",
    "MeetingSettings",
    "MeetingTopic",
    "Notification",
    "PrepareWith",
    "Reminder",
    "ReminderQuerySet",
    "Slot",
    "default_offsets",
    "new_feed_token",
    "prepare_with_for",
]
