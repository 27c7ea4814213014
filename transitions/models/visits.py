"""Visits before and after a transition: the children visit the new place with staff they know, staff
of the new place visit the children, or children and parents visit together (Randers' bridges)."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Visit(models.Model):
    """One visit for one or more transitions to the same place (one child, or a cohort as a group).
    Each child's family is invited through a meeting of its own (``VisitInvitation``), so the
    invitation, the reminders and the calendar entry are the meetings' own; the visit holds what they
    share and is cancelled as one."""

    class Kind(models.TextChoices):
        CHILDREN_VISIT = "children_visit", _("The children visit the new place with staff they know")
        STAFF_VISIT = "staff_visit", _("Staff from the new place visit the children")
        FAMILY_VISIT = "family_visit", _("Children and parents visit the new place together")

    class Timing(models.TextChoices):
        BEFORE = "before", _("Before the move")
        AFTER = "after", _("After the move")

    kind = models.CharField(_("kind of visit"), max_length=20, choices=Kind.choices)
    timing = models.CharField(_("when"), max_length=10, choices=Timing.choices, default=Timing.BEFORE)
    # Where the planner works: the sending or the receiving place. The meetings belong to it.
    institution = models.ForeignKey(
        "organisation.Institution",
        on_delete=models.PROTECT,
        related_name="visits_planned",
        verbose_name=_("planned by"),
    )
    receiving_institution = models.ForeignKey(
        "organisation.Institution",
        on_delete=models.PROTECT,
        related_name="visits_in",
        verbose_name=_("the new place"),
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    location = models.CharField(_("place"), max_length=200, blank=True)
    description = models.TextField(_("what happens"), max_length=4000, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="visit_ends_after_start"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {timezone.localtime(self.starts_at):%Y-%m-%d %H:%M}"

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None


class VisitInvitation(models.Model):
    """A transition's part in a visit: its child's family is invited through ``meeting``."""

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="invitations")
    transition = models.ForeignKey(
        "transitions.Transition", on_delete=models.CASCADE, related_name="visit_invitations"
    )
    meeting = models.OneToOneField(
        "meetings.Meeting", on_delete=models.CASCADE, related_name="visit_invitation"
    )

    class Meta:
        verbose_name = _("invitation to a visit")
        verbose_name_plural = _("invitations to visits")
        constraints = [
            models.UniqueConstraint(fields=["visit", "transition"], name="visit_one_invitation_per_move"),
        ]

    def __str__(self):
        return f"{self.visit_id}: {self.transition_id}"
