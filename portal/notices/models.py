"""The notification centre: what each person chose (topic, channel, mode), which notices are to reach
them by e-mail or text message (``Delivery``), and the messages that carry them (``Letter``: one notice
at once, or the day's summary)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.meetings.models import Notification, Reminder
from portal.notices.topics import Channel, Mode, Topic


class Preference(models.Model):
    """A person's choice for one topic on one channel; without a row the topic's default holds."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notice_preferences"
    )
    topic = models.CharField(_("topic"), max_length=20, choices=Topic.choices)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    mode = models.CharField(_("when"), max_length=10, choices=Mode.choices)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [
            models.UniqueConstraint(fields=["user", "topic", "channel"], name="preference_once"),
        ]

    def __str__(self):
        return f"{self.user_id} {self.topic} {self.channel} {self.mode}"


class LetterQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=[Letter.Status.PENDING, Letter.Status.QUEUED])


class Letter(models.Model):
    """One message to one person on one channel: a notice at once, or the day's summary of several.

    Sent the way meeting reminders are (``portal/meetings/services/delivery.py``): a sweep claims due
    rows in batches with a lease, the SMTP server's answer is recorded on the row before the next
    message on that connection, a journal in Redis remembers what went out, and the ``Message-ID`` is
    the row's, so nothing goes twice and a row whose worker died is claimed again after its lease.
    """

    class Kind(models.TextChoices):
        INSTANT = "instant", _("At once")
        DIGEST = "digest", _("Daily summary")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        QUEUED = "queued", _("Being sent")
        SENT = "sent", _("Sent")
        SKIPPED = "skipped", _("Not sent")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    channel = models.CharField(max_length=10, choices=[c for c in Channel.choices if c[0] != "portal"])
    kind = models.CharField(max_length=10, choices=Kind.choices)
    created_at = models.DateTimeField(default=timezone.now)
    due_at = models.DateTimeField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    lease_until = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    sent_at = models.DateTimeField(null=True, blank=True)
    skip_reason = models.CharField(max_length=100, blank=True, default="")
    # The columns the meeting reminders' ledger writes (one of the two is used, by ``channel``).
    email_status = models.CharField(
        max_length=10, choices=Reminder.ChannelStatus.choices, blank=True, default=""
    )
    email_detail = models.CharField(max_length=300, blank=True, default="")
    sms_status = models.CharField(
        max_length=10, choices=Reminder.ChannelStatus.choices, blank=True, default=""
    )
    sms_detail = models.CharField(max_length=300, blank=True, default="")

    objects = LetterQuerySet.as_manager()

    # The journal's keys and the ledger's table (shared with the reminders' sending).
    JOURNAL = "letter-"
    sequence = 0

    class Meta:
        verbose_name = _("outgoing message")
        verbose_name_plural = _("outgoing messages")
        ordering = ["due_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="sent") | Q(sent_at__isnull=False), name="letter_sent_has_time"
            ),
        ]
        indexes = [
            models.Index(
                fields=["due_at"], condition=Q(status__in=["pending", "queued"]), name="letter_open_due"
            ),
            models.Index(fields=["user", "channel", "-created_at"], name="letter_user"),
        ]

    def __str__(self):
        return f"{self.kind} {self.channel} #{self.pk}"

    @property
    def message_id(self) -> str:
        return f"<notice-{self.kind}-{self.pk}@{settings.MESSAGE_ID_DOMAIN}>"


class Delivery(models.Model):
    """That one notice is to reach its person on one channel, at once or in the daily summary. Made
    in the transaction that makes the notice; the letter that carries it is made with it (at once) or
    by the summary's planning, which takes every waiting delivery of the person in one statement."""

    notification = models.ForeignKey(Notification, on_delete=models.CASCADE, related_name="deliveries")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    channel = models.CharField(max_length=10, choices=[c for c in Channel.choices if c[0] != "portal"])
    mode = models.CharField(max_length=10, choices=[c for c in Mode.choices if c[0] != "off"])
    created_at = models.DateTimeField(default=timezone.now)
    letter = models.ForeignKey(
        Letter, on_delete=models.CASCADE, null=True, blank=True, related_name="deliveries"
    )

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [
            models.UniqueConstraint(fields=["notification", "channel"], name="delivery_once"),
        ]
        indexes = [
            models.Index(
                fields=["user", "channel"],
                condition=Q(letter__isnull=True),
                name="delivery_awaiting_digest",
            ),
        ]

    def __str__(self):
        return f"{self.notification_id} {self.channel} {self.mode}"
