"""Meetings, the families' topics and answers, and what was agreed to follow up."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .booking import BookingPeriod, Slot
from .common import MeetingKind, PrepareWith


class MeetingQuerySet(models.QuerySet):
    def live(self):
        return self.exclude(status=Meeting.Status.CANCELLED)

    def upcoming(self, *, now=None):
        return self.live().filter(ends_at__gt=now or timezone.now())


class Meeting(models.Model):
    """A meeting with one child's family (booked in a slot, assigned or planned directly) or with the
    families of a group (parent meeting)."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        CANCELLED = "cancelled", _("Cancelled")
        HELD = "held", _("Held")

    class Style(models.TextChoices):
        STANDARD = "", _("Ordinary meeting")
        CAFE = "cafe", _("Café meeting")
        FATHERS = "fathers", _("Meeting for fathers")

    class Attendance(models.TextChoices):
        UNKNOWN = "", _("Not recorded")
        ATTENDED = "attended", _("The family came")
        NOT_ATTENDED = "not_attended", _("The family did not come")

    kind = models.CharField(_("kind of meeting"), max_length=30, choices=MeetingKind.choices)
    style = models.CharField(_("form"), max_length=20, choices=Style.choices, blank=True, default="")
    institution = models.ForeignKey(
        "organisation.Institution",
        on_delete=models.CASCADE,
        related_name="meetings",
        verbose_name=_("institution"),
    )
    child = models.ForeignKey(
        "children.Child",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="meetings",
        verbose_name=_("child"),
    )
    group = models.ForeignKey(
        "organisation.Group",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="meetings",
        verbose_name=_("group"),
    )
    period = models.ForeignKey(
        BookingPeriod, on_delete=models.CASCADE, null=True, blank=True, related_name="meetings"
    )
    slot = models.ForeignKey(Slot, on_delete=models.PROTECT, null=True, blank=True, related_name="meetings")
    title = models.CharField(_("title"), max_length=150, blank=True)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    location = models.CharField(_("place"), max_length=200, blank=True)
    video_url = models.URLField(_("video link"), blank=True)
    hosts = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="hosted_meetings", verbose_name=_("held by")
    )
    agenda = models.TextField(_("agenda"), blank=True)
    preparation = models.TextField(_("how to prepare"), blank=True)
    prepare_with = models.CharField(
        _("link for preparation"), max_length=20, choices=PrepareWith.choices, blank=True, default=""
    )
    interpreter_language = models.CharField(
        _("interpreter needed for"), max_length=50, blank=True, help_text=_("Leave empty if not needed.")
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PLANNED)
    # Bumped on every change of time or place: the iCalendar SEQUENCE and part of each notice's key.
    sequence = models.PositiveIntegerField(default=0)
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    booked_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    cancelled_at = models.DateTimeField(null=True, blank=True)
    attendance = models.CharField(
        _("attendance"), max_length=20, choices=Attendance.choices, blank=True, default=""
    )
    families_attended = models.PositiveIntegerField(_("families who came"), null=True, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    summary_shared_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="meeting_ends_after_start"
            ),
            models.CheckConstraint(
                condition=(Q(child__isnull=False) & Q(group__isnull=True))
                | (Q(child__isnull=True) & Q(group__isnull=False)),
                name="meeting_child_or_group",
            ),
            models.UniqueConstraint(
                fields=["slot"], condition=~Q(status="cancelled"), name="meeting_one_per_slot"
            ),
            models.UniqueConstraint(
                fields=["period", "child"], condition=~Q(status="cancelled"), name="meeting_one_per_child"
            ),
        ]
        indexes = [
            models.Index(fields=["child", "starts_at"], name="meeting_child_start"),
            models.Index(fields=["group", "starts_at"], name="meeting_group_start"),
            models.Index(fields=["period", "status"], name="meeting_period_status"),
            # A staff member's meetings of the week: the week's meetings first, then whose they are.
            models.Index(fields=["starts_at"], name="meeting_start"),
            # Upcoming meetings (ends after now): a few rows at the end, however many have been.
            models.Index(fields=["ends_at"], name="meeting_end"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {timezone.localtime(self.starts_at):%Y-%m-%d %H:%M}"

    @property
    def is_group_meeting(self) -> bool:
        return self.group_id is not None

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED


class MeetingTopic(models.Model):
    """A question or topic a guardian would like to talk about, written before the meeting."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="topics")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    text = models.TextField(_("question or topic"), max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return self.text[:50]


class FollowUp(models.Model):
    """Something agreed at the meeting, with a date to follow up; linked to the child's learning goal
    or expectation agreement where it belongs to one."""

    class Responsible(models.TextChoices):
        FAMILY = "family", _("The family")
        INSTITUTION = "institution", _("The institution")
        BOTH = "both", _("Both")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="follow_ups")
    text = models.TextField(_("what we agreed"), max_length=2000)
    responsible = models.CharField(
        _("who does it"), max_length=20, choices=Responsible.choices, default=Responsible.BOTH
    )
    follow_up_on = models.DateField(_("follow up on"))
    learning_goal = models.ForeignKey(
        "children.LearningGoal",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="meeting_follow_ups",
        verbose_name=_("learning goal"),
    )
    agreement = models.ForeignKey(
        "expectations.ExpectationAgreement",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="meeting_follow_ups",
        verbose_name=_("expectation agreement"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        ordering = ["follow_up_on", "pk"]
        indexes = [models.Index(fields=["follow_up_on"], name="followup_date")]

    def __str__(self):
        return self.text[:50]


class MeetingResponse(models.Model):
    """A guardian's answer to a parent meeting's invitation: coming or not, and how many adults come.
    One per guardian and meeting; they may change it until the meeting begins."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="responses")
    guardian = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    coming = models.BooleanField(_("coming"))
    adults = models.PositiveSmallIntegerField(_("adults coming"), default=1)
    answered_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("answer to an invitation")
        verbose_name_plural = _("answers to invitations")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "guardian"], name="response_one_per_guardian"),
            models.CheckConstraint(
                condition=Q(coming=True, adults__gte=1) | Q(coming=False, adults=0),
                name="response_adults_when_coming",
            ),
        ]

    def __str__(self):
        return f"{self.meeting_id} {self.guardian_id} {self.coming}"
