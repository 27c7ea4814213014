"""The outbox of reminders and notices, nudges to book, and calendar feeds."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .booking import BookingPeriod
from .meetings import Meeting


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
        HANDOVER_SENT = "handover_sent", _("Handover")
        LANGUAGE_RESULT = "language_result", _("Language assessment")
        EDUCATION_PLAN = "education_plan", _("Education plan")
        VISIT = "visit", _("Visit")
        READINESS = "readiness", _("School readiness")
        RELATED_PLAN = "related_plan", _("Related plan")
        NETWORK = "network", _("Parent network")
        GROUP_MESSAGE = "group_message", _("Message to the group's parents")
        CONTACT_PARENT = "contact_parent", _("Contact parent")
        PLAY_DATE = "play_date", _("Play date")
        PARENT_FRIEND = "parent_friend", _("Parent friend")
        DATA_EXPORT = "data_export", _("Your copy of the data")

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
    # Urgent (a meeting cancelled or moved within a day): at once on every channel, whatever was chosen.
    urgent = models.BooleanField(default=False, db_default=False)
    # When the inbox shows it: at once, at the person's daily summary, or never (they turned the topic
    # off here). Set by the notification centre's routing (portal/notices), which also sets routed_at.
    shown_at = models.DateTimeField(null=True, blank=True, default=timezone.now)
    routed_at = models.DateTimeField(null=True, blank=True)
    # The channels its sender already took care of at once ("email,sms"): the meeting reminders, the
    # booking nudges and the agreement notices send their own e-mails; routing adds nothing there.
    sent_by = models.CharField(max_length=20, blank=True, default="", db_default="")

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["user", "-created_at"], name="notification_user"),
            models.Index(fields=["id"], condition=Q(routed_at__isnull=True), name="notification_unrouted"),
        ]

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
