"""Booking periods and their time slots."""

from datetime import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .common import BOOKABLE_KINDS, MeetingKind, PrepareWith


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
        choices=[(k.value, k.label) for k in MeetingKind if k in BOOKABLE_KINDS],
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
