"""Kinds of meetings and each municipality's meeting settings."""

from django.db import models
from django.utils.translation import gettext_lazy as _

DEFAULT_REMINDER_OFFSETS = [7 * 24 * 60, 24 * 60]  # minutes before the start


class MeetingKind(models.TextChoices):
    CONFERENCE = "conference", _("Parent–teacher conference")
    DAYCARE_CONVERSATION = "daycare_conversation", _("Parent conversation in daycare")
    PARENT_MEETING = "parent_meeting", _("Parent meeting for the group")
    LANGUAGE_ASSESSMENT = "language_assessment", _("Language assessment conversation")
    HANDOVER = "handover", _("Handover meeting")
    AGREEMENT_REVIEW = "agreement_review", _("Review of the expectation agreement")
    # Planned from a transition (``transitions.Visit``): one meeting per child, never booked in a round.
    VISIT = "transition_visit", _("Transition visit")
    # Planned for a parent network (``transitions.NetworkMeeting``): one meeting per family.
    NETWORK = "network_meeting", _("Parent network meeting")


GROUP_KINDS = frozenset({MeetingKind.PARENT_MEETING})
INDIVIDUAL_KINDS = frozenset(MeetingKind) - GROUP_KINDS
# One occasion for several families, planned as one meeting per family (each with its own invitation).
SHARED_KINDS = frozenset({MeetingKind.VISIT, MeetingKind.NETWORK})
BOOKABLE_KINDS = INDIVIDUAL_KINDS - SHARED_KINDS


class PrepareWith(models.TextChoices):
    NOTHING = "", _("Nothing to open")
    LEARNING_PLAN = "learning_plan", _("The child's learning plan")
    AGREEMENT = "agreement", _("The expectation agreement")


def prepare_with_for(kind: str, chosen: str, *, published_plan: bool) -> str:
    """What the family opens to get ready: what staff chose; for a conference with nothing chosen, the
    child's plan once a version of it is published (reading it is the conference's preparation)."""
    if not chosen and kind == MeetingKind.CONFERENCE and published_plan:
        return PrepareWith.LEARNING_PLAN
    return chosen


def default_offsets() -> list[int]:
    return list(DEFAULT_REMINDER_OFFSETS)


class MeetingSettings(models.Model):
    """A municipality's choices for meetings: when reminders go out before a meeting."""

    municipality = models.OneToOneField(
        "organisation.Municipality",
        on_delete=models.CASCADE,
        related_name="meeting_settings",
        verbose_name=_("municipality"),
    )
    reminder_offsets = models.JSONField(
        _("reminders, minutes before the meeting"),
        default=default_offsets,
        help_text=_("For example 10080 (7 days) and 1440 (24 hours)."),
    )

    class Meta:
        verbose_name = _("meeting settings")
        verbose_name_plural = _("meeting settings")

    def __str__(self):
        return str(self.municipality)
