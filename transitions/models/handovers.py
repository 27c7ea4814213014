"""The handover: what the sending staff and the parents pass on to the next place, section by section."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .settings import SharingModel


class Handover(models.Model):
    """The handover of one transition. The sharing model is the municipality's when it was made."""

    transition = models.OneToOneField(
        "transitions.Transition",
        on_delete=models.CASCADE,
        related_name="handover",
        verbose_name=_("transition"),
    )
    sharing_model = models.CharField(_("how it is shared"), max_length=20, choices=SharingModel.choices)
    send_requested_at = models.DateTimeField(null=True, blank=True)
    send_requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    # What was not passed on, written when it is sent: [{"kind", "author_name", "reason"}].
    not_passed_on = models.JSONField(default=list, blank=True)
    received_at = models.DateTimeField(_("received"), null=True, blank=True)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    received_by_name = models.CharField(max_length=200, blank=True)

    class Meta:
        verbose_name = _("handover")
        verbose_name_plural = _("handovers")
        constraints = [
            models.CheckConstraint(
                condition=Q(received_at__isnull=True) | Q(sent_at__isnull=False),
                name="handover_received_after_sent",
            ),
        ]

    def __str__(self):
        return f"Handover of transition {self.transition_id}"

    @property
    def uses_consent(self) -> bool:
        return self.sharing_model == SharingModel.CONSENT


class HandoverSection(models.Model):
    """One part of the handover. Staff write one of each kind; each custody holder writes their own
    "parents' view". ``basis`` says why it may be passed on; ``passed_on`` is decided when it is sent."""

    class Kind(models.TextChoices):
        STRENGTHS = "strengths", _("Strengths and interests")
        FRIENDSHIPS = "friendships", _("Friendships")
        LANGUAGE = "language", _("Language")
        WHAT_HELPS = "what_helps", _("What helps the child")
        PLAN_SUMMARY = "plan_summary", _("Learning plan and competences")
        CONCERNS = "concerns", _("Concerns and support")
        PARENTS_VIEW = "parents_view", _("The parents' view")

    class Basis(models.TextChoices):
        GUIDELINES = "guidelines", _("The municipality's guidelines; the parents are informed")
        CONSENT = "consent", _("The consent of the custody holders")
        PARENT = "parent", _("Written by the parent to be passed on")

    STAFF_KINDS = (
        Kind.STRENGTHS,
        Kind.FRIENDSHIPS,
        Kind.LANGUAGE,
        Kind.WHAT_HELPS,
        Kind.PLAN_SUMMARY,
        Kind.CONCERNS,
    )

    handover = models.ForeignKey(Handover, on_delete=models.CASCADE, related_name="sections")
    kind = models.CharField(_("section"), max_length=20, choices=Kind.choices)
    # The parent who writes a "parents' view"; empty for the staff's sections.
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    author_name = models.CharField(max_length=200, blank=True)
    text = models.TextField(_("text"), blank=True, max_length=5000)
    basis = models.CharField(_("legal basis"), max_length=20, choices=Basis.choices)
    passed_on = models.BooleanField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)  # consent withdrawn after it was sent
    updated_at = models.DateTimeField(null=True, blank=True)
    updated_by_name = models.CharField(max_length=200, blank=True)

    class Meta:
        verbose_name = _("handover section")
        verbose_name_plural = _("handover sections")
        ordering = ["handover", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["handover", "kind"],
                condition=Q(author__isnull=True),
                name="handoversection_one_staff",
            ),
            models.UniqueConstraint(
                fields=["handover", "author"],
                condition=Q(author__isnull=False),
                name="handoversection_one_per_parent",
            ),
            models.CheckConstraint(
                condition=Q(kind="parents_view", basis="parent")
                | (~Q(kind="parents_view") & ~Q(basis="parent")),
                name="handoversection_parents_view_is_theirs",
            ),
        ]

    def __str__(self):
        return f"{self.kind} of handover {self.handover_id}"

    @property
    def is_parents_view(self) -> bool:
        return self.kind == self.Kind.PARENTS_VIEW

    @property
    def reaches_receiver(self) -> bool:
        return bool(self.passed_on) and self.withdrawn_at is None


class HandoverConsent(models.Model):
    """A custody holder's consent to pass one section on to one recipient; withdrawable."""

    section = models.ForeignKey(HandoverSection, on_delete=models.CASCADE, related_name="consents")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    recipient = models.ForeignKey("organisation.Institution", on_delete=models.CASCADE, related_name="+")
    given_at = models.DateTimeField(default=timezone.now)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("consent to a handover section")
        verbose_name_plural = _("consents to handover sections")
        constraints = [
            models.UniqueConstraint(fields=["section", "user", "recipient"], name="handoverconsent_once"),
        ]

    def __str__(self):
        return f"{self.user_id} → {self.recipient_id}: section {self.section_id}"

    @property
    def in_force(self) -> bool:
        return self.withdrawn_at is None


class SectionEdit(models.Model):
    """The history of a section: each save with who and when, and the text it was given."""

    section = models.ForeignKey(HandoverSection, on_delete=models.CASCADE, related_name="edits")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    actor_name = models.CharField(max_length=200)
    at = models.DateTimeField(default=timezone.now)
    text = models.TextField(blank=True)

    class Meta:
        verbose_name = _("handover section edit")
        verbose_name_plural = _("handover section edits")
        ordering = ["section", "-at", "-pk"]

    def __str__(self):
        return f"{self.section_id} at {self.at}"
