from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class CommitmentSide(models.TextChoices):
    INSTITUTION = "institution", _("What we do (the institution)")
    FAMILY = "family", _("What you do (the family)")


class CommitmentSuggestion(models.Model):
    """The catalogue of suggested commitments staff and families choose from (or write their own)."""

    municipality = models.ForeignKey(
        "organisation.Municipality",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="commitment_suggestions",
        help_text=_("Empty: offered in every municipality."),
    )
    side = models.CharField(_("side"), max_length=20, choices=CommitmentSide.choices)
    text = models.CharField(_("commitment"), max_length=300)
    how_often = models.CharField(_("how often"), max_length=100, blank=True)
    age_from_months = models.PositiveSmallIntegerField(_("from age (months)"), null=True, blank=True)
    age_to_months = models.PositiveSmallIntegerField(_("to age (months)"), null=True, blank=True)
    institution_kinds = models.JSONField(
        _("institution kinds"), default=list, blank=True, help_text=_("Empty: applies to all kinds.")
    )
    is_active = models.BooleanField(_("offered"), default=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("suggested commitment")
        verbose_name_plural = _("suggested commitments")
        ordering = ["side", "position", "pk"]

    def __str__(self):
        return self.text


class AgreementQuerySet(models.QuerySet):
    def in_force(self):
        return self.filter(status=ExpectationAgreement.Status.IN_FORCE)

    def due_for_review(self, *, on=None, within_days=30):
        on = on or timezone.localdate()
        return self.in_force().filter(review_due_on__lte=on + timedelta(days=within_days))


class ExpectationAgreement(models.Model):
    """What the institution and one child's family each agree to do in the coming period.

    Everything here is visible to the child's guardians: there are no hidden notes and no labels of
    the family. It is agreed when every guardian with custody and one staff member have accepted.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PROPOSED = "proposed", _("Waiting for answers")
        IN_FORCE = "in_force", _("Agreed")
        SUPERSEDED = "superseded", _("Replaced by a newer agreement")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    class ContactForm(models.TextChoices):
        CONVERSATION = "conversation", _("A talk at drop-off or pick-up")
        MEETING = "meeting", _("A planned meeting")
        PHONE = "phone", _("Phone")
        MESSAGE = "message", _("Written message")

    class ContactFrequency(models.TextChoices):
        WEEKLY = "weekly", _("Every week")
        MONTHLY = "monthly", _("Every month")
        QUARTERLY = "quarterly", _("A few times a year")
        AS_NEEDED = "as_needed", _("When there is something")

    class Topic(models.TextChoices):
        SCHOOL_READINESS = "school_readiness", _("Getting ready for school")
        LEARNING = "learning", _("Learning")
        SOCIAL = "social", _("Friends and social life")
        LANGUAGE = "language", _("Language")
        # Care topics are offered only when the parents themselves ask for them.
        FOOD = "food", _("Food and meals")
        SLEEP = "sleep", _("Sleep")
        BOUNDARIES = "boundaries", _("Rules and boundaries")

    CARE_TOPICS = frozenset({Topic.FOOD, Topic.SLEEP, Topic.BOUNDARIES})

    child = models.ForeignKey(
        "children.Child", on_delete=models.CASCADE, related_name="agreements", verbose_name=_("child")
    )
    institution = models.ForeignKey(
        "organisation.Institution",
        on_delete=models.PROTECT,
        related_name="agreements",
        verbose_name=_("institution"),
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    # Optimistic locking: every change bumps it; a save based on an older number is refused.
    revision = models.PositiveIntegerField(default=1)
    starts_on = models.DateField(_("from"), default=timezone.localdate)
    review_due_on = models.DateField(_("talk about it again by"))
    # The family's own wishes and resources, in their words.
    preferred_language = models.CharField(_("language for our talks"), max_length=50, default="da")
    interpreter_wanted = models.BooleanField(_("we would like an interpreter"), default=False)
    contact_form = models.CharField(
        _("how we prefer to be contacted"), max_length=20, choices=ContactForm.choices, blank=True
    )
    contact_frequency = models.CharField(
        _("how often we would like to hear from you"),
        max_length=20,
        choices=ContactFrequency.choices,
        blank=True,
    )
    guidance_topics = models.JSONField(_("what we would like guidance on"), default=list, blank=True)
    care_topics_wanted = models.BooleanField(
        _("we would also like to talk about food, sleep or boundaries"), default=False
    )
    family_words = models.TextField(_("what matters to us"), max_length=2000, blank=True)
    extra_support = models.TextField(_("extra support the institution offers"), max_length=2000, blank=True)
    supersedes = models.OneToOneField(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="superseded_by"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    proposed_at = models.DateTimeField(null=True, blank=True)
    agreed_at = models.DateTimeField(null=True, blank=True)

    objects = AgreementQuerySet.as_manager()

    class Meta:
        verbose_name = _("expectation agreement")
        verbose_name_plural = _("expectation agreements")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["child", "institution"], condition=Q(status="in_force"), name="agreement_one_in_force"
            ),
            models.CheckConstraint(
                condition=~Q(status="in_force") | Q(agreed_at__isnull=False),
                name="agreement_in_force_has_date",
            ),
            models.CheckConstraint(
                condition=Q(review_due_on__gte=models.F("starts_on")), name="agreement_review_after_start"
            ),
        ]
        indexes = [
            models.Index(fields=["institution", "status"], name="agreement_institution_status"),
            models.Index(fields=["child", "status"], name="agreement_child_status"),
        ]

    def __str__(self):
        return f"{self.child} – {self.institution} ({self.get_status_display()})"


class Commitment(models.Model):
    """One concrete thing one side will do: who, what, how often; with light follow-up."""

    class Progress(models.TextChoices):
        NOT_STARTED = "not_started", _("Not started")
        GOING_WELL = "going_well", _("Going well")
        HARD = "hard", _("Hard for us")

    agreement = models.ForeignKey(ExpectationAgreement, on_delete=models.CASCADE, related_name="commitments")
    side = models.CharField(_("side"), max_length=20, choices=CommitmentSide.choices)
    text = models.CharField(_("what"), max_length=300)
    who = models.CharField(_("who"), max_length=100, blank=True)
    how_often = models.CharField(_("how often"), max_length=100, blank=True)
    suggestion = models.ForeignKey(
        CommitmentSuggestion, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    position = models.PositiveSmallIntegerField(default=0)
    progress = models.CharField(
        _("how it goes"), max_length=20, choices=Progress.choices, default=Progress.NOT_STARTED
    )
    progress_note = models.CharField(_("note"), max_length=500, blank=True)
    progress_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    progress_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
        # The institution's commitments come first on every page.
        ordering = ["agreement", "-side", "position", "pk"]

    def __str__(self):
        return self.text


class AgreementAcceptance(models.Model):
    """One person's 'yes' to one revision of an agreement, time-stamped."""

    class Role(models.TextChoices):
        GUARDIAN = "guardian", _("Parent or guardian")
        STAFF = "staff", _("Staff")

    agreement = models.ForeignKey(ExpectationAgreement, on_delete=models.CASCADE, related_name="acceptances")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    role = models.CharField(max_length=20, choices=Role.choices)
    revision = models.PositiveIntegerField()
    accepted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("acceptance")
        verbose_name_plural = _("acceptances")
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "user", "revision"], name="acceptance_once_per_revision"
            )
        ]

    def __str__(self):
        return f"{self.user} accepted {self.agreement_id} r{self.revision}"


class AgreementComment(models.Model):
    """A comment or a request for changes on an agreement, from either side."""

    agreement = models.ForeignKey(ExpectationAgreement, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    text = models.TextField(_("comment"), max_length=2000)
    asks_for_change = models.BooleanField(_("we would like a change"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created_at"]

    def __str__(self):
        return self.text[:50]


class AgreementReminder(models.Model):
    """A notice sent about an agreement (by e-mail and to the portal's inbox): the row is the claim,
    so each kind reaches each person at most once per agreement."""

    class Kind(models.TextChoices):
        PROPOSED = "proposed", _("A new agreement to read and answer")
        ANSWER = "answer", _("Please answer the proposed agreement")
        LAST_ANSWER = "last_answer", _("Only your answer is missing")
        IN_FORCE = "in_force", _("The agreement is in force")

    agreement = models.ForeignKey(ExpectationAgreement, on_delete=models.CASCADE, related_name="reminders")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    claimed_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["agreement", "user", "kind"], name="agreementreminder_once"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} → {self.user_id} ({self.agreement_id})"
