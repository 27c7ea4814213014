import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ReviewTheme(models.TextChoices):
    """KL 2017's three themes, which give the reflection questions their order."""

    SHARED_RESPONSIBILITY = "shared_responsibility", _("Shared responsibility")
    COLLABORATION = "collaboration", _("Clear, equal and concrete collaboration")
    COHERENCE = "coherence", _("Coherence across services")


class ReviewRound(models.Model):
    """A policy expectation review the municipality runs across its institutions (e.g. once a year)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Being prepared")
        OPEN = "open", _("Open for answers")
        CLOSED = "closed", _("Closed")

    municipality = models.ForeignKey(
        "organisation.Municipality",
        on_delete=models.CASCADE,
        related_name="review_rounds",
        verbose_name=_("municipality"),
    )
    title = models.CharField(_("title"), max_length=200)
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    answers_due_on = models.DateField(_("answers due"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    previous = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("compare with"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("review round")
        verbose_name_plural = _("review rounds")
        ordering = ["municipality", "-period_end"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")), name="reviewround_period_order"
            ),
        ]

    def __str__(self):
        return self.title


class ReflectionQuestion(models.Model):
    """A question each institution's leader answers in a round; seeded from the paper, editable."""

    round = models.ForeignKey(ReviewRound, on_delete=models.CASCADE, related_name="questions")
    theme = models.CharField(_("theme"), max_length=30, choices=ReviewTheme.choices)
    text = models.CharField(_("question"), max_length=500)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("reflection question")
        verbose_name_plural = _("reflection questions")
        ordering = ["round", "position", "pk"]

    def __str__(self):
        return self.text


class InstitutionReview(models.Model):
    """One institution's answers in a round, and the next steps its leader states."""

    round = models.ForeignKey(ReviewRound, on_delete=models.CASCADE, related_name="institution_reviews")
    institution = models.ForeignKey(
        "organisation.Institution",
        on_delete=models.CASCADE,
        related_name="reviews",
        verbose_name=_("institution"),
    )
    next_steps = models.TextField(_("our next steps"), max_length=4000, blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("institution review")
        verbose_name_plural = _("institution reviews")
        constraints = [
            models.UniqueConstraint(fields=["round", "institution"], name="institutionreview_once_per_round"),
        ]

    def __str__(self):
        return f"{self.institution} – {self.round}"


class ReflectionAnswer(models.Model):
    review = models.ForeignKey(InstitutionReview, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(ReflectionQuestion, on_delete=models.CASCADE, related_name="answers")
    text = models.TextField(_("answer"), max_length=4000)

    class Meta:
        verbose_name = _("reflection answer")
        verbose_name_plural = _("reflection answers")
        constraints = [models.UniqueConstraint(fields=["review", "question"], name="reflectionanswer_once")]

    def __str__(self):
        return self.text[:50]


class SatisfactionAnswer(models.Model):
    """A parent's anonymous rating of the collaboration with one institution.

    Nothing links an answer to its author: who answered is kept apart, in SurveyParticipation, only to
    stop a second answer. Random keys and no timestamps keep the order of answers from matching the
    order of participations. Figures are never shown for fewer than five answers.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    round = models.ForeignKey(ReviewRound, on_delete=models.CASCADE, related_name="satisfaction_answers")
    institution = models.ForeignKey("organisation.Institution", on_delete=models.CASCADE, related_name="+")
    clear = models.PositiveSmallIntegerField(_("clear"))
    equal = models.PositiveSmallIntegerField(_("equal"))
    concrete = models.PositiveSmallIntegerField(_("concrete"))
    comment = models.TextField(_("comment"), max_length=2000, blank=True)

    class Meta:
        verbose_name = _("satisfaction answer")
        verbose_name_plural = _("satisfaction answers")
        constraints = [
            models.CheckConstraint(
                condition=Q(clear__gte=1, clear__lte=5)
                & Q(equal__gte=1, equal__lte=5)
                & Q(concrete__gte=1, concrete__lte=5),
                name="satisfactionanswer_scale_1_to_5",
            ),
        ]
        indexes = [
            models.Index(fields=["round", "institution"], name="satisfaction_round_institution"),
            # The report reads only the answers with a comment.
            models.Index(fields=["round"], condition=~Q(comment=""), name="satisfaction_round_commented"),
        ]

    def __str__(self):
        return f"{self.clear}/{self.equal}/{self.concrete}"


class SurveyParticipation(models.Model):
    """That a person has answered for an institution in a round (never what they answered)."""

    round = models.ForeignKey(ReviewRound, on_delete=models.CASCADE, related_name="+")
    institution = models.ForeignKey("organisation.Institution", on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["round", "institution", "user"], name="surveyparticipation_once"),
        ]

    def __str__(self):
        return f"{self.user_id} answered {self.institution_id} in {self.round_id}"


class RoundFigures(models.Model):
    """A round's figures as last computed (by a Celery task): the report renders from them instead of
    counting the municipality on every view. ``requested_at`` is set while a new computation is on its
    way, so the report can say so."""

    round = models.OneToOneField(ReviewRound, on_delete=models.CASCADE, related_name="figures")
    data = models.JSONField(default=dict)
    computed_at = models.DateTimeField(_("computed at"), null=True, blank=True)
    requested_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("figures of a review round")
        verbose_name_plural = _("figures of review rounds")

    def __str__(self):
        return f"Figures of round {self.round_id} at {self.computed_at}"
