"""The library of things families can do at home, and the families' "we tried it: how it went"."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .competences import AgeBand, localized
from .goals import LearningGoal

# The six themes of the pedagogical curriculum, as learning goals store them.
CURRICULUM_THEMES = (
    LearningGoal.Theme.PERSONAL,
    LearningGoal.Theme.SOCIAL,
    LearningGoal.Theme.LANGUAGE,
    LearningGoal.Theme.BODY,
    LearningGoal.Theme.NATURE,
    LearningGoal.Theme.CULTURE,
)


class LanguageResult(models.TextChoices):
    """The result of a language assessment: how much extra effort the child's language needs."""

    GENERAL = "general", _("General effort")
    FOCUSED = "focused", _("Focused effort")
    SPECIAL = "special", _("Special effort")


class HomeActivityQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def for_age_band(self, band: AgeBand):
        first, last = band.years
        return self.filter(age_from__lte=last, age_to__gte=first)

    def for_age(self, years: int):
        return self.filter(age_from__lte=years, age_to__gte=years)


class HomeActivity(models.Model):
    """Something concrete a family can do at home, in plain words, for an age range, by curriculum
    theme or school subject, linked to the competences it builds. Each municipality keeps its own
    library, seeded with the same suggestions."""

    class Subject(models.TextChoices):
        DANISH = "danish", _("Danish")
        MATHEMATICS = "mathematics", _("Mathematics")
        ENGLISH = "english", _("English")
        SCIENCE = "science", _("Science")

    municipality = models.ForeignKey(
        "organisation.Municipality",
        on_delete=models.CASCADE,
        related_name="home_activities",
        verbose_name=_("municipality"),
    )
    code = models.SlugField(_("code"), max_length=60)
    title_da = models.CharField(_("title in Danish"), max_length=150)
    title_en = models.CharField(_("title in English"), max_length=150, blank=True)
    text_da = models.TextField(_("what to do, in Danish"), max_length=2000)
    text_en = models.TextField(_("what to do, in English"), max_length=2000, blank=True)
    theme = models.CharField(
        _("theme"),
        max_length=20,
        blank=True,
        choices=[(t.value, t.label) for t in CURRICULUM_THEMES],
    )
    subject = models.CharField(_("school subject"), max_length=20, blank=True, choices=Subject.choices)
    age_from = models.PositiveSmallIntegerField(_("from age"))
    age_to = models.PositiveSmallIntegerField(_("to age"))
    competences = models.ManyToManyField(
        "children.Competence", blank=True, related_name="home_activities", verbose_name=_("competences")
    )
    # The results of a language assessment this activity suits (LanguageResult values); empty when it
    # is not a language activity.
    language_results = models.JSONField(_("suits language assessment results"), default=list, blank=True)
    # Can be done in whatever language the family speaks at home (else it is about Danish).
    any_language = models.BooleanField(_("works in any home language"), default=True)
    is_active = models.BooleanField(_("offered"), default=True)

    objects = HomeActivityQuerySet.as_manager()

    class Meta:
        verbose_name = _("home activity")
        verbose_name_plural = _("home activities")
        ordering = ["age_from", "code"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "code"], name="homeactivity_unique_code"),
            models.CheckConstraint(condition=Q(age_to__gte=F("age_from")), name="homeactivity_age_range"),
        ]
        indexes = [models.Index(fields=["municipality", "age_from"], name="homeactivity_municipality")]

    def __str__(self):
        return self.title

    @property
    def title(self) -> str:
        return localized(self, "title")

    @property
    def text(self) -> str:
        return localized(self, "text")

    def text_in(self, language: str) -> str:
        return localized(self, "text", language)

    @property
    def topic_label(self) -> str:
        """The theme or subject it belongs to, for lists."""
        return self.get_theme_display() if self.theme else self.get_subject_display()

    def suits(self, result: str) -> bool:
        return result in (self.language_results or [])


class HomeActivityTry(models.Model):
    """A family's answer "we tried it: how it went" about one library activity, from a learning goal
    whose home activity came from the library or from a home language plan. Counted per activity, so
    staff see which suggestions work."""

    class Outcome(models.TextChoices):
        WELL = "well", _("It went well")
        PARTLY = "partly", _("It went so-so")
        NOT_FOR_US = "not_for_us", _("It did not work for us")

    activity = models.ForeignKey(
        HomeActivity, on_delete=models.CASCADE, related_name="tries", verbose_name=_("home activity")
    )
    child = models.ForeignKey("children.Child", on_delete=models.CASCADE, related_name="+")
    goal = models.ForeignKey(
        LearningGoal, on_delete=models.SET_NULL, null=True, blank=True, related_name="activity_tries"
    )
    language_plan = models.ForeignKey(
        "children.HomeLanguagePlan", on_delete=models.CASCADE, null=True, blank=True, related_name="tries"
    )
    outcome = models.CharField(_("how it went"), max_length=20, choices=Outcome.choices)
    note = models.TextField(_("a few words (optional)"), max_length=1000, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    by_name = models.CharField(max_length=200)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("tried at home")
        verbose_name_plural = _("tried at home")
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["activity", "outcome"], name="homeactivitytry_activity"),
            models.Index(fields=["language_plan", "-at"], name="homeactivitytry_plan"),
        ]

    def __str__(self):
        return f"{self.activity_id} {self.outcome}"
