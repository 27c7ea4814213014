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

import secrets
from datetime import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

DEFAULT_REMINDER_OFFSETS = [7 * 24 * 60, 24 * 60]  # minutes before the start


class MeetingKind(models.TextChoices):
    CONFERENCE = "conference", _("Parent–teacher conference")
    DAYCARE_CONVERSATION = "daycare_conversation", _("Parent conversation in daycare")
    PARENT_MEETING = "parent_meeting", _("Parent meeting for the group")
    LANGUAGE_ASSESSMENT = "language_assessment", _("Language assessment conversation")
    HANDOVER = "handover", _("Handover meeting")
    AGREEMENT_REVIEW = "agreement_review", _("Review of the expectation agreement")


GROUP_KINDS = frozenset({MeetingKind.PARENT_MEETING})
INDIVIDUAL_KINDS = frozenset(MeetingKind) - GROUP_KINDS


class PrepareWith(models.TextChoices):
    NOTHING = "", _("Nothing to open")
    LEARNING_PLAN = "learning_plan", _("The child's learning plan")
    AGREEMENT = "agreement", _("The expectation agreement")


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


class BookingPeriodQuerySet(models.QuerySet):
    def overlapping(self, *, group_id: int, kind: str, starts: datetime, ends: datetime):
        """Published rounds of the group and kind with a conversation between ``starts`` and ``ends``'
        span, with their own span (``first_start``, ``last_end``) annotated."""
        return (
            self.filter(group_id=group_id, kind=kind, published_at__isnull=False)
            .annotate(first_start=models.Min("slots__starts_at"), last_end=models.Max("slots__ends_at"))
            .filter(first_start__lt=ends, last_end__gt=starts)
        )


class BookingPeriod(models.Model):
    """A round of individual conversations (e.g. the autumn parent–teacher conferences of 1.A): time
    slots that staff publish to the guardians of a group, who book one slot per child. Two published
    rounds of one group and kind never overlap (``booking.period_publish`` checks under a lock), so a
    family never has two open rounds for the same conversation."""

    institution = models.ForeignKey(
        "organisation.Institution",
        on_delete=models.CASCADE,
        related_name="booking_periods",
        verbose_name=_("institution"),
    )
    group = models.ForeignKey(
        "organisation.Group",
        on_delete=models.CASCADE,
        related_name="booking_periods",
        verbose_name=_("group"),
    )
    kind = models.CharField(
        _("kind of meeting"),
        max_length=30,
        choices=[(k.value, k.label) for k in MeetingKind if k in INDIVIDUAL_KINDS],
        default=MeetingKind.CONFERENCE,
    )
    title = models.CharField(_("title"), max_length=150)
    hosts = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="hosted_booking_periods", verbose_name=_("held by")
    )
    location = models.CharField(_("place"), max_length=200, blank=True)
    video_url = models.URLField(_("video link"), blank=True)
    agenda = models.TextField(_("agenda"), blank=True)
    preparation = models.TextField(_("how to prepare"), blank=True)
    prepare_with = models.CharField(
        _("link for preparation"), max_length=20, choices=PrepareWith.choices, blank=True, default=""
    )
    booking_deadline = models.DateTimeField(
        _("book, move or cancel until"),
        help_text=_("After this, only staff can change bookings."),
    )
    slot_minutes = models.PositiveSmallIntegerField(_("minutes per conversation"), default=20)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)

    objects = BookingPeriodQuerySet.as_manager()

    class Meta:
        verbose_name = _("booking period")
        verbose_name_plural = _("booking periods")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["group", "published_at"], name="bookingperiod_group")]

    def __str__(self):
        return self.title

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    def is_open(self, now=None) -> bool:
        """Guardians may book, move and cancel."""
        return self.is_published and (now or timezone.now()) < self.booking_deadline


class Slot(models.Model):
    """A time a guardian can book. ``host`` is one staff member, or empty when the period's team
    holds every conversation together."""

    period = models.ForeignKey(BookingPeriod, on_delete=models.CASCADE, related_name="slots")
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    host = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("held by"),
    )

    class Meta:
        verbose_name = _("time slot")
        verbose_name_plural = _("time slots")
        ordering = ["starts_at", "host_id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="slot_ends_after_start"
            ),
        ]
        indexes = [models.Index(fields=["period", "starts_at"], name="slot_period_start")]

    def __str__(self):
        return f"{self.period} {timezone.localtime(self.starts_at):%Y-%m-%d %H:%M}"


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


class ReminderQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=[Reminder.Status.PENDING, Reminder.Status.QUEUED])


class Reminder(models.Model):
    """The outbox: one message to one guardian about one meeting, written in the same transaction as
    the booking, cancellation or change that calls for it.

    A beat sweep claims due rows (``PENDING`` → ``QUEUED`` with a lease) and hands their ids to short
    send tasks; a send marks the row ``SENT`` or ``SKIPPED`` (with the reason). A lease that runs out
    (a worker died) makes the row claimable again. ``sequence`` is the meeting's sequence when the row
    was planned, so a notice for a later change is a new message with a new ``Message-ID``.
    """

    class Kind(models.TextChoices):
        REMINDER = "reminder", _("Reminder")
        CONFIRMATION = "confirmation", _("Booking confirmed")
        INVITATION = "invitation", _("Invitation")
        CHANGE = "change", _("Meeting changed")
        CANCELLATION = "cancellation", _("Meeting cancelled")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        QUEUED = "queued", _("Being sent")
        SENT = "sent", _("Sent")
        SKIPPED = "skipped", _("Not sent")
        CANCELLED = "cancelled", _("Cancelled")

    class SkipReason(models.TextChoices):
        NONE = "", "—"
        STARTED = "started", _("The meeting had begun")
        TOO_LATE = "too_late", _("Booked after the reminder's time")
        NO_ACCESS = "no_access", _("The guardian no longer has access to the child")
        NO_CHANNEL = "no_channel", _("No way to reach the guardian")
        GAVE_UP = "gave_up", _("Sending failed again and again")
        NOT_COMING = "not_coming", _("The guardian said they are not coming")

    class ChannelStatus(models.TextChoices):
        """What happened on one channel (e-mail, text message); the detail says why it was refused."""

        NOT_ATTEMPTED = "", _("Not attempted")
        SENT = "sent", _("Sent")
        REFUSED = "refused", _("Refused by the recipient's server")
        INVALID = "invalid", _("Not sent: the address is not valid")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="reminders")
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.REMINDER)
    offset_minutes = models.PositiveIntegerField(default=0)
    due_at = models.DateTimeField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    sequence = models.PositiveIntegerField(default=0)
    lease_until = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    sent_at = models.DateTimeField(null=True, blank=True)
    skip_reason = models.CharField(max_length=20, choices=SkipReason.choices, blank=True, default="")
    channels = models.CharField(max_length=50, blank=True, help_text="Channels used, comma-separated.")
    # Written as each message goes out (the e-mail's before the next e-mail on its connection), so a
    # send that is repeated after a crash knows what the servers already took.
    email_status = models.CharField(max_length=10, choices=ChannelStatus.choices, blank=True, default="")
    email_detail = models.CharField(max_length=300, blank=True, default="")
    sms_status = models.CharField(max_length=10, choices=ChannelStatus.choices, blank=True, default="")
    sms_detail = models.CharField(max_length=300, blank=True, default="")

    objects = ReminderQuerySet.as_manager()

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        ordering = ["due_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "recipient", "kind", "offset_minutes"], name="reminder_once"
            ),
            models.CheckConstraint(
                condition=~Q(status="sent") | Q(sent_at__isnull=False), name="reminder_sent_has_time"
            ),
        ]
        indexes = [
            models.Index(
                fields=["due_at"], condition=Q(status__in=["pending", "queued"]), name="reminder_open_due"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} #{self.pk}"

    @property
    def email_outcome(self) -> str:
        """What happened to the e-mail, in words for staff ("" when nothing was tried)."""
        return self._outcome(
            self.email_status,
            self.email_detail,
            sent=_("Sent by e-mail"),
            refused=_("E-mail refused by the recipient's server: %(detail)s"),
            invalid=_("E-mail not sent: %(detail)s is not a valid address"),
        )

    @property
    def sms_outcome(self) -> str:
        """What happened to the text message, in words for staff ("" when nothing was tried)."""
        return self._outcome(
            self.sms_status,
            self.sms_detail,
            sent=_("Sent as a text message"),
            refused=_("Text message refused: %(detail)s"),
            invalid=_("Text message not sent: %(detail)s is not a valid number"),
        )

    @staticmethod
    def _outcome(status: str, detail: str, **words) -> str:
        return str(words[status]) % {"detail": detail} if status else ""

    @property
    def message_id(self) -> str:
        """Stable across resends of this row's message, new for a re-planned one."""
        return f"<meeting-{self.kind}-{self.pk}.{self.sequence}@{settings.MESSAGE_ID_DOMAIN}>"


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


class Notification(models.Model):
    """A message in the portal's own inbox ("Beskeder"), of any kind: meeting notices, agreements,
    surveys. Written in the recipient's language when it is sent; ``url`` is where to act on it."""

    class Kind(models.TextChoices):
        MEETING = "meeting", _("Meeting")
        AGREEMENT_PROPOSED = "agreement_proposed", _("Agreement to answer")
        AGREEMENT_REMINDER = "agreement_reminder", _("Agreement to answer")
        AGREEMENT_LAST_ANSWER = "agreement_last_answer", _("Agreement waiting for you")
        AGREEMENT_IN_FORCE = "agreement_in_force", _("Agreement in force")
        SURVEY_OPENED = "survey_opened", _("Survey")
        PLAN_PUBLISHED = "plan_published", _("Learning plan")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    reminder = models.OneToOneField(
        Reminder, on_delete=models.CASCADE, null=True, blank=True, related_name="notification"
    )
    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, null=True, blank=True, related_name="notifications"
    )
    period = models.ForeignKey(
        BookingPeriod, on_delete=models.CASCADE, null=True, blank=True, related_name="notifications"
    )
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    # Meeting notices (the outbox and nudges) leave the kind at its default.
    kind = models.CharField(
        max_length=30, choices=Kind.choices, default=Kind.MEETING, db_default=Kind.MEETING
    )
    # Set by senders outside the meetings outbox: one notice per key, however often the send is retried.
    key = models.CharField(max_length=100, unique=True, null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "-created_at"], name="notification_user")]

    def __str__(self):
        return self.title


class BookingNudge(models.Model):
    """Staff asked a family who has not booked to do so; sent once (the row is the claim)."""

    period = models.ForeignKey(BookingPeriod, on_delete=models.CASCADE, related_name="nudges")
    child = models.ForeignKey("children.Child", on_delete=models.CASCADE, related_name="+")
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    requested_on = models.DateField(default=timezone.localdate)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("booking nudge")
        verbose_name_plural = _("booking nudges")
        constraints = [
            # At most one nudge a day per family member and period.
            models.UniqueConstraint(
                fields=["period", "child", "recipient", "requested_on"], name="nudge_once_a_day"
            ),
        ]

    def __str__(self):
        return f"{self.period} → {self.recipient}"


def new_feed_token() -> str:
    return secrets.token_urlsafe(32)


class CalendarFeed(models.Model):
    """A person's private calendar address. The token in it is the only key, and only its hash is
    stored (so the address is shown once, when it is made); making a new one revokes the old."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self):
        return f"{self.user}"
