"""A child's move from one service to the next."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class TransitionQuerySet(models.QuerySet):
    def open(self):
        """Not cancelled and not yet received."""
        return self.exclude(status__in=[Transition.Status.CANCELLED, Transition.Status.RECEIVED])


class Transition(models.Model):
    """A child's move between services (health visiting → daycare, nursery → kindergarten, daycare →
    school and after-school care, school → youth education), with its handover."""

    class Kind(models.TextChoices):
        HEALTH_TO_DAYCARE = "health_daycare", _("From health visiting to daycare")
        NURSERY_TO_KINDERGARTEN = "nursery_kindergarten", _("From nursery to kindergarten")
        DAYCARE_TO_SCHOOL = "daycare_school", _("From daycare to school and after-school care")
        SCHOOL_TO_YOUTH = "school_youth", _("From school to youth education")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        IN_PROGRESS = "in_progress", _("Handover being written")
        SENT = "sent", _("Handover sent")
        RECEIVED = "received", _("Handover received")
        CANCELLED = "cancelled", _("Cancelled")

    child = models.ForeignKey(
        "children.Child", on_delete=models.CASCADE, related_name="transitions", verbose_name=_("child")
    )
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    planned_on = models.DateField(_("planned date"))
    sending_institution = models.ForeignKey(
        "organisation.Institution",
        on_delete=models.PROTECT,
        related_name="transitions_out",
        verbose_name=_("from"),
    )
    receiving_institution = models.ForeignKey(
        "organisation.Institution",
        on_delete=models.PROTECT,
        related_name="transitions_in",
        verbose_name=_("to"),
    )
    receiving_group = models.ForeignKey(
        "organisation.Group",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="transitions_in",
        verbose_name=_("group at the new place"),
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PLANNED)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = TransitionQuerySet.as_manager()

    class Meta:
        verbose_name = _("transition")
        verbose_name_plural = _("transitions")
        ordering = ["planned_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(sending_institution=F("receiving_institution")), name="transition_moves"
            ),
            # One live transition per child and receiving place: a cohort run twice adds nobody twice.
            models.UniqueConstraint(
                fields=["child", "receiving_institution"],
                condition=~Q(status="cancelled"),
                name="transition_one_live_per_place",
            ),
        ]
        indexes = [
            models.Index(fields=["receiving_institution", "status"], name="transition_receiving"),
            models.Index(fields=["sending_institution", "status"], name="transition_sending"),
        ]

    def __str__(self):
        return f"{self.child_id}: {self.sending_institution_id} → {self.receiving_institution_id}"

    @property
    def is_sent(self) -> bool:
        return self.status in {self.Status.SENT, self.Status.RECEIVED}
