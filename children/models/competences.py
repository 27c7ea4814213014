"""The municipality's shared competences (after Hedensted's "KLAR til læring"), with advice for parents
and for professionals per age band, and the record of every change an administrator makes to them.

Texts are stored in Danish and English side by side (``name_da``, ``name_en`` …): the framework is the
municipality's own words, not a translation catalogue, and the page shows the reader's language.
"""

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

LANGUAGES = ("da", "en")


def localized(obj, field: str, language: str | None = None) -> str:
    """``obj.<field>_<language>`` in the active language, falling back to Danish when it is empty."""
    language = (language or translation.get_language() or "da")[:2]
    if language not in LANGUAGES:
        language = "da"
    return getattr(obj, f"{field}_{language}") or getattr(obj, f"{field}_da")


class AgeBand(models.TextChoices):
    """The age bands the advice is written for, in whole years."""

    TODDLER = "0-2", _("0–2 years")
    PRESCHOOL = "3-5", _("3–5 years")
    EARLY_SCHOOL = "6-9", _("6–9 years")
    MIDDLE_SCHOOL = "10-12", _("10–12 years")
    TEENAGE = "13-16", _("13–16 years")

    @property
    def years(self) -> tuple[int, int]:
        first, last = self.value.split("-")
        return int(first), int(last)

    @classmethod
    def for_age(cls, years: int | None) -> "AgeBand | None":
        if years is None:
            return None
        return next((band for band in cls if band.years[0] <= years <= band.years[1]), None)


def age_in_years(birth_date: date | None, on: date | None = None) -> int | None:
    """Whole years of age on ``on`` (today); None for a child not born yet."""
    if birth_date is None:
        return None
    on = on or timezone.localdate()
    years = on.year - birth_date.year - ((on.month, on.day) < (birth_date.month, birth_date.day))
    return years if years >= 0 else None


def age_band_of(child, on: date | None = None) -> AgeBand | None:
    return AgeBand.for_age(age_in_years(child.birth_date, on))


class Competence(models.Model):
    """One competence of the municipality's framework, such as curiosity or persistence."""

    municipality = models.ForeignKey(
        "organisation.Municipality",
        on_delete=models.CASCADE,
        related_name="competences",
        verbose_name=_("municipality"),
    )
    # A stable key for the seven of the suggested framework ("curiosity"); matches the library's links.
    code = models.SlugField(_("code"), max_length=40)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    name_da = models.CharField(_("name in Danish"), max_length=100)
    name_en = models.CharField(_("name in English"), max_length=100, blank=True)
    description_da = models.TextField(_("what it means, in Danish"), max_length=1000)
    description_en = models.TextField(_("what it means, in English"), max_length=1000, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("competence")
        verbose_name_plural = _("competences")
        ordering = ["municipality_id", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "code"], name="competence_unique_code"),
        ]

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        return localized(self, "name")

    @property
    def description(self) -> str:
        return localized(self, "description")


class CompetenceAdvice(models.Model):
    """Advice on one competence for one age band, for parents or for professionals."""

    class Audience(models.TextChoices):
        PARENTS = "parents", _("For parents")
        PROFESSIONALS = "professionals", _("For professionals")

    competence = models.ForeignKey(
        Competence, on_delete=models.CASCADE, related_name="advice", verbose_name=_("competence")
    )
    age_band = models.CharField(_("age"), max_length=5, choices=AgeBand.choices)
    audience = models.CharField(_("for"), max_length=15, choices=Audience.choices)
    text_da = models.TextField(_("advice in Danish"), max_length=1500)
    text_en = models.TextField(_("advice in English"), max_length=1500, blank=True)

    class Meta:
        verbose_name = _("advice")
        verbose_name_plural = _("advice")
        ordering = ["competence", "age_band", "audience"]
        constraints = [
            models.UniqueConstraint(
                fields=["competence", "age_band", "audience"], name="competenceadvice_unique"
            ),
        ]

    def __str__(self):
        return f"{self.competence_id} {self.age_band} {self.audience}"

    @property
    def text(self) -> str:
        return localized(self, "text")


class CompetenceChange(models.Model):
    """One change an administrator made to the framework: which text, before and after, who and when.
    Append-only; the framework's pages show it as its history."""

    competence = models.ForeignKey(Competence, on_delete=models.CASCADE, related_name="changes")
    # The field changed: "name_da", or for advice "<age band> <audience> text_en".
    field = models.CharField(max_length=60)
    before = models.TextField(blank=True)
    after = models.TextField(blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    changed_by_name = models.CharField(max_length=200)
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("change to a competence")
        verbose_name_plural = _("changes to competences")
        ordering = ["-changed_at", "-pk"]
        indexes = [models.Index(fields=["competence", "-changed_at"], name="competencechange_competence")]
        constraints = [models.CheckConstraint(condition=~Q(field=""), name="competencechange_field")]

    def __str__(self):
        return f"{self.changed_at:%Y-%m-%d %H:%M} {self.changed_by_name} {self.field}"
