"""Learning goals, each with something concrete the family can do at home."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .people import Child


class LearningGoal(models.Model):
    """A learning goal for one child, with something concrete the family can do at home."""

    class Theme(models.TextChoices):
        PERSONAL = "personal", _("Comprehensive personal development")
        SOCIAL = "social", _("Social development")
        LANGUAGE = "language", _("Communication and language")
        BODY = "body", _("Body, senses and movement")
        NATURE = "nature", _("Nature, outdoor life and science")
        CULTURE = "culture", _("Culture, aesthetics and community")
        DANISH = "danish", _("Danish")
        MATHEMATICS = "mathematics", _("Mathematics")
        ENGLISH = "english", _("English")
        WELLBEING = "wellbeing", _("Wellbeing and friendships")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Not started yet")
        IN_PROGRESS = "in_progress", _("Working on it")
        ACHIEVED = "achieved", _("Reached")

    child = models.ForeignKey(
        Child, on_delete=models.CASCADE, related_name="learning_goals", verbose_name=_("child")
    )
    institution = models.ForeignKey(
        "organisation.Institution",
        on_delete=models.PROTECT,
        related_name="learning_goals",
        verbose_name=_("institution"),
    )
    title = models.CharField(_("goal"), max_length=200)
    description = models.TextField(_("what it means, in plain words"), max_length=2000)
    # The competences of the municipality's framework the goal builds, and the library activity its
    # home activity started from (the text may be adapted; the link says which suggestion it was).
    competences = models.ManyToManyField(
        "children.Competence", blank=True, related_name="goals", verbose_name=_("competences")
    )
    home_activity_source = models.ForeignKey(
        "children.HomeActivity",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="goals",
        verbose_name=_("idea from the library"),
    )
    theme = models.CharField(_("theme"), max_length=20, choices=Theme.choices)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.IN_PROGRESS)
    home_activity = models.TextField(_("what you can do at home"), max_length=2000)
    # The plan the goal belongs to (the child's plan at ``institution``); set by the services.
    plan = models.ForeignKey(
        "children.LearningPlan",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="goals",
        verbose_name=_("plan"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("written by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("learning goal")
        verbose_name_plural = _("learning goals")
        ordering = ["-updated_at"]
        indexes = [
            models.Index(fields=["child", "-updated_at"], name="learninggoal_child"),
            models.Index(fields=["plan", "created_at"], name="learninggoal_plan"),
        ]

    def __str__(self):
        return self.title
