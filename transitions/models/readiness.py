"""The school readiness assessment (Dagtilbudsloven § 29 a): when readiness for school is in doubt or the
parents ask, the daycare leader writes it in dialogue with the parents and the receiving school's leader."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ReadinessAssessment(models.Model):
    """One assessment per daycare → school transition, in four parts (``ReadinessPart``)."""

    class Reason(models.TextChoices):
        DOUBT = "doubt", _("Readiness for school is in doubt")
        PARENTS_ASKED = "parents_asked", _("The parents asked for it")

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Asked for by the parents")
        OPEN = "open", _("Being written")
        COMPLETE = "complete", _("Complete")

    class Outcome(models.TextChoices):
        AS_PLANNED = "as_planned", _("Starts school as planned")
        POSTPONED = "postponed", _("One more year in daycare (school start postponed)")

    transition = models.OneToOneField(
        "transitions.Transition",
        on_delete=models.CASCADE,
        related_name="readiness",
        verbose_name=_("transition"),
    )
    reason = models.CharField(_("why"), max_length=20, choices=Reason.choices)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    requested_by_name = models.CharField(max_length=200, blank=True)
    requested_at = models.DateTimeField(null=True, blank=True)
    started_by_name = models.CharField(max_length=200, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    completed_by_name = models.CharField(max_length=200, blank=True)
    # Decided by the receiving school's leader together with the parents, once it is complete.
    outcome = models.CharField(_("decision"), max_length=20, choices=Outcome.choices, blank=True)
    outcome_note = models.TextField(_("note"), blank=True, max_length=2000)
    outcome_at = models.DateTimeField(null=True, blank=True)
    outcome_by_name = models.CharField(max_length=200, blank=True)

    class Meta:
        verbose_name = _("school readiness assessment")
        verbose_name_plural = _("school readiness assessments")
        constraints = [
            models.CheckConstraint(
                condition=Q(completed_at__isnull=True) | Q(status="complete"),
                name="readiness_completed_is_complete",
            ),
            models.CheckConstraint(
                condition=Q(outcome="") | Q(status="complete"), name="readiness_outcome_after_complete"
            ),
        ]

    def __str__(self):
        return f"Readiness assessment of transition {self.transition_id}"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class ReadinessPart(models.Model):
    """One voice of the assessment. The daycare leader writes two parts, the receiving school's leader
    one, and each custody holder their own "parents' view"."""

    class Kind(models.TextChoices):
        LEADER_VIEW = "leader_view", _("The daycare leader's assessment")
        DAYCARE_SUPPORT = "daycare_support", _("What daycare will do until school starts")
        PARENTS_VIEW = "parents_view", _("The parents' view")
        SCHOOL_VIEW = "school_view", _("The school leader's view")

    LEADER_KINDS = (Kind.LEADER_VIEW, Kind.DAYCARE_SUPPORT)

    assessment = models.ForeignKey(ReadinessAssessment, on_delete=models.CASCADE, related_name="parts")
    kind = models.CharField(_("part"), max_length=20, choices=Kind.choices)
    # The parent who writes a "parents' view"; empty for the leaders' parts.
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    author_name = models.CharField(max_length=200, blank=True)
    text = models.TextField(_("text"), blank=True, max_length=5000)
    updated_at = models.DateTimeField(null=True, blank=True)
    updated_by_name = models.CharField(max_length=200, blank=True)

    class Meta:
        verbose_name = _("part of a readiness assessment")
        verbose_name_plural = _("parts of readiness assessments")
        ordering = ["assessment", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "kind"],
                condition=Q(author__isnull=True),
                name="readinesspart_one_staff",
            ),
            models.UniqueConstraint(
                fields=["assessment", "author"],
                condition=Q(author__isnull=False),
                name="readinesspart_one_per_parent",
            ),
            models.CheckConstraint(
                condition=Q(kind="parents_view", author__isnull=False)
                | (~Q(kind="parents_view") & Q(author__isnull=True)),
                name="readinesspart_parents_view_is_theirs",
            ),
        ]

    def __str__(self):
        return f"{self.kind} of readiness assessment {self.assessment_id}"


class ReadinessEdit(models.Model):
    """The history of a part: each save with who and when, and the text it was given."""

    part = models.ForeignKey(ReadinessPart, on_delete=models.CASCADE, related_name="edits")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    actor_name = models.CharField(max_length=200)
    at = models.DateTimeField(default=timezone.now)
    text = models.TextField(blank=True)

    class Meta:
        verbose_name = _("readiness assessment edit")
        verbose_name_plural = _("readiness assessment edits")
        ordering = ["part", "-at", "-pk"]

    def __str__(self):
        return f"{self.part_id} at {self.at}"


class ReadinessConfirmation(models.Model):
    """A custody holder has seen the complete assessment (after logging in again), and may disagree."""

    assessment = models.ForeignKey(
        ReadinessAssessment, on_delete=models.CASCADE, related_name="confirmations"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    user_name = models.CharField(max_length=200)
    confirmed_at = models.DateTimeField(default=timezone.now)
    disagrees = models.BooleanField(default=False)
    disagreement = models.TextField(_("what you disagree with"), blank=True, max_length=3000)

    class Meta:
        verbose_name = _("confirmation of a readiness assessment")
        verbose_name_plural = _("confirmations of readiness assessments")
        ordering = ["assessment", "confirmed_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "user"], name="readinessconfirmation_once"),
            models.CheckConstraint(
                condition=Q(disagrees=True) | Q(disagreement=""),
                name="readinessconfirmation_text_if_disagrees",
            ),
        ]

    def __str__(self):
        return f"{self.user_id} saw assessment {self.assessment_id}"
