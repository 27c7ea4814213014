"""Parent networks from pregnancy (after Holstebro's "Familie med Hjerte", KL 2017): a health visitor
gathers 8–10 expecting families from pregnancy week 26 until the children are 1½, with a schedule of
meetings. Members see each other's first names only when both families have agreed."""

from datetime import date, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

AIM_MIN, AIM_MAX = 8, 10  # families a network aims at (a warning outside it)
HARD_MAX = 12  # families a network never exceeds
END_MONTHS = 18  # a network lasts until its youngest child is 1½
JOIN_FROM_WEEK = 26  # pregnancy week from which a family may join
PREGNANCY_WEEKS = 40


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later (the month's last day when it is shorter: 31 Aug + 6 = 28/29 Feb)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for d in (day.day, 30, 29, 28):
        try:
            return date(year, month, d)
        except ValueError:
            continue
    raise ValueError(day)  # pragma: no cover


def may_join_from(expected_on: date) -> date:
    """The first day of pregnancy week 26 for a child expected on ``expected_on`` (14 weeks before)."""
    return expected_on - timedelta(weeks=PREGNANCY_WEEKS - JOIN_FROM_WEEK)


def one_and_a_half(child) -> date:
    """The day the child turns 1½ (counted from the expected date while not born)."""
    return add_months(child.birth_date or child.expected_on, END_MONTHS)


def is_eligible(child, *, on: date) -> bool:
    """From pregnancy week 26, or born and not yet 1½."""
    if child.birth_date is None:
        return child.expected_on is not None and may_join_from(child.expected_on) <= on
    return on < add_months(child.birth_date, END_MONTHS)


class Network(models.Model):
    """A parent network at a health-visiting institution, led by one health visitor."""

    institution = models.ForeignKey(
        "organisation.Institution",
        on_delete=models.PROTECT,
        related_name="networks",
        verbose_name=_("health visiting"),
    )
    health_visitor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="networks_led",
        verbose_name=_("health visitor"),
    )
    name = models.CharField(_("name"), max_length=100)
    starts_on = models.DateField(_("starts"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    # Closed early by the health visitor; otherwise it ends by itself when the youngest child is 1½.
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("parent network")
        verbose_name_plural = _("parent networks")
        ordering = ["starts_on", "pk"]
        indexes = [models.Index(fields=["health_visitor", "closed_at"], name="network_health_visitor")]

    def __str__(self):
        return self.name

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None


class NetworkMember(models.Model):
    """A family in a network: the child (expected or born) and their custody holders. ``number`` is
    how the others know the family until both have agreed to share first names ("Family 3")."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="members")
    child = models.ForeignKey("children.Child", on_delete=models.CASCADE, related_name="network_members")
    number = models.PositiveSmallIntegerField(_("family number"))
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    added_at = models.DateTimeField(default=timezone.now)
    left_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("family in a network")
        verbose_name_plural = _("families in networks")
        ordering = ["network", "number"]
        constraints = [
            # A child is in at most one network at a time.
            models.UniqueConstraint(
                fields=["child"],
                condition=Q(left_at__isnull=True),
                name="network_member_one_active_per_child",
            ),
            models.UniqueConstraint(fields=["network", "number"], name="network_member_unique_number"),
        ]

    def __str__(self):
        return f"{self.network_id}: {self.number}"

    @property
    def is_active(self) -> bool:
        return self.left_at is None


class NetworkNameChoice(models.Model):
    """A custody holder's answer: may the network's other families see our first names? The family's
    names are shown only while every custody holder of the child says yes; a no takes them away at once."""

    member = models.ForeignKey(NetworkMember, on_delete=models.CASCADE, related_name="name_choices")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    agreed = models.BooleanField(_("the others may see our first names"))
    decided_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("choice on sharing names")
        verbose_name_plural = _("choices on sharing names")
        constraints = [
            models.UniqueConstraint(fields=["member", "user"], name="network_name_choice_one_per_person"),
        ]

    def __str__(self):
        return f"{self.member_id} {self.user_id} {self.agreed}"


class NetworkMeeting(models.Model):
    """One meeting of the network. Each family is invited through a meeting of its own
    (``NetworkInvitation``), so invitations, reminders and the calendar feed are the meetings' own."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="meetings")
    title = models.CharField(_("title"), max_length=150)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    location = models.CharField(_("place"), max_length=200, blank=True)
    agenda = models.TextField(_("what we talk about"), max_length=4000, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("network meeting")
        verbose_name_plural = _("network meetings")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="network_meeting_ends_after_start"
            ),
        ]

    def __str__(self):
        return f"{self.title} {timezone.localtime(self.starts_at):%Y-%m-%d %H:%M}"

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None


class NetworkInvitation(models.Model):
    """A family's invitation to a network meeting, through a meeting of its own."""

    network_meeting = models.ForeignKey(NetworkMeeting, on_delete=models.CASCADE, related_name="invitations")
    member = models.ForeignKey(NetworkMember, on_delete=models.CASCADE, related_name="invitations")
    meeting = models.OneToOneField(
        "meetings.Meeting", on_delete=models.CASCADE, related_name="network_invitation"
    )

    class Meta:
        verbose_name = _("invitation to a network meeting")
        verbose_name_plural = _("invitations to network meetings")
        constraints = [
            models.UniqueConstraint(
                fields=["network_meeting", "member"], name="network_invitation_one_per_family"
            ),
        ]

    def __str__(self):
        return f"{self.network_meeting_id}: {self.member_id}"
