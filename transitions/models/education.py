"""The education plan (uddannelsesplan) in 8.–9. klasse: the pupil's goals and ordered wishes from the
municipality's list of youth educations, the UU counsellor's guidance, the school's targeted effort, the
custody holders' remarks and their confirmation of each version. The plan locks after the national
application deadline; the application itself is signed on Optagelse.dk."""

import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

COPENHAGEN = ZoneInfo("Europe/Copenhagen")
PLAN_CLASS_LEVELS = (8, 9)
MAX_WISHES = 5
PLAN_TEXT_MAX = 3000

# The youth educations as named in 2026, after the 2025 agreement (epx is to replace hf from about 2030;
# 10. klasse remains only at efterskoler). A municipality edits its own copy.
SEED_NAMES = (
    "Gymnasium (stx)",
    "Handelsgymnasium (hhx)",
    "Teknisk gymnasium (htx)",
    "Hf",
    "Erhvervsuddannelse (eud)",
    "Eux (erhvervsuddannelse med studenterniveau)",
    "Forberedende grunduddannelse (FGU)",
    "10. klasse på efterskole",
    "Særligt tilrettelagt ungdomsuddannelse (STU)",
    "Arbejde eller noget andet",
)


def school_year_of(day: datetime.date) -> int:
    """The school year a day belongs to, by the year it starts in (1 August): 2026 is 2026/27."""
    return day.year if day.month >= 8 else day.year - 1


def application_deadline(*, school_year: int, class_level: int) -> datetime.date:
    """The national application deadline for youth education, 1 March of the school year of 9. klasse
    (the one place it is computed)."""
    return datetime.date(school_year + (9 - class_level) + 1, 3, 1)


def is_past_deadline(deadline: datetime.date, *, now=None) -> bool:
    """After the deadline day has ended in Denmark (Europe/Copenhagen), whatever the server's zone."""
    now = now or timezone.now()
    return now.astimezone(COPENHAGEN).date() > deadline


class YouthEducation(models.Model):
    """One entry of the municipality's list of youth educations the pupil picks from. Renamed or
    discontinued ones are marked "no longer offered" and stay readable on old plans."""

    municipality = models.ForeignKey(
        "organisation.Municipality",
        on_delete=models.CASCADE,
        related_name="youth_educations",
        verbose_name=_("municipality"),
    )
    name = models.CharField(_("name"), max_length=120)
    position = models.PositiveSmallIntegerField(_("place in the list"), default=0)
    is_offered = models.BooleanField(_("offered"), default=True)

    class Meta:
        verbose_name = _("youth education")
        verbose_name_plural = _("youth educations")
        ordering = ["municipality", "position", "name"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "name"], name="youtheducation_unique_name"),
        ]

    def __str__(self):
        return self.name


class EducationPlan(models.Model):
    """One pupil's education plan for one school year in 8. or 9. klasse at their school. ``version``
    grows with every change; the custody holders confirm a version."""

    child = models.ForeignKey(
        "children.Child", on_delete=models.CASCADE, related_name="education_plans", verbose_name=_("child")
    )
    institution = models.ForeignKey(
        "organisation.Institution",
        on_delete=models.PROTECT,
        related_name="education_plans",
        verbose_name=_("school"),
    )
    school_year = models.PositiveSmallIntegerField(_("school year"))  # by its first year: 2026 = 2026/27
    class_level = models.PositiveSmallIntegerField(_("class level"))
    deadline = models.DateField(_("application deadline"))
    version = models.PositiveIntegerField(default=1)
    goals = models.TextField(_("my goals"), blank=True, max_length=PLAN_TEXT_MAX)
    goals_at = models.DateTimeField(null=True, blank=True)
    guidance = models.TextField(_("guidance"), blank=True, max_length=PLAN_TEXT_MAX)
    guidance_by_name = models.CharField(max_length=200, blank=True)
    guidance_at = models.DateTimeField(null=True, blank=True)
    effort = models.TextField(_("the school's targeted effort"), blank=True, max_length=PLAN_TEXT_MAX)
    effort_by_name = models.CharField(max_length=200, blank=True)
    effort_at = models.DateTimeField(null=True, blank=True)
    # When the pupil's wishes and the counsellor's guidance were first both there: the plan is ready.
    ready_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("education plan")
        verbose_name_plural = _("education plans")
        ordering = ["-school_year", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["child", "school_year"], name="educationplan_one_per_year"),
            models.CheckConstraint(
                condition=Q(class_level__in=PLAN_CLASS_LEVELS), name="educationplan_class_level"
            ),
        ]

    def __str__(self):
        return f"{self.child_id}: {self.school_year}/{self.school_year + 1}"

    @property
    def school_year_label(self) -> str:
        return f"{self.school_year}/{str(self.school_year + 1)[-2:]}"

    def is_locked(self, *, now=None) -> bool:
        return is_past_deadline(self.deadline, now=now)


class EducationWish(models.Model):
    """The pupil's ``rank``-th wish (1 is the first)."""

    plan = models.ForeignKey(EducationPlan, on_delete=models.CASCADE, related_name="wishes")
    education = models.ForeignKey(
        YouthEducation, on_delete=models.PROTECT, related_name="wishes", verbose_name=_("youth education")
    )
    rank = models.PositiveSmallIntegerField(_("order"))

    class Meta:
        verbose_name = _("education wish")
        verbose_name_plural = _("education wishes")
        ordering = ["plan", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "rank"], name="educationwish_unique_rank"),
            models.UniqueConstraint(fields=["plan", "education"], name="educationwish_unique_education"),
        ]

    def __str__(self):
        return f"{self.rank}. {self.education_id}"


class EducationPlanRemark(models.Model):
    """One custody holder's remarks on the plan (one per person, rewritten in place)."""

    plan = models.ForeignKey(EducationPlan, on_delete=models.CASCADE, related_name="remarks")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    author_name = models.CharField(max_length=200)
    text = models.TextField(_("your remarks"), max_length=PLAN_TEXT_MAX)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("parent's remark")
        verbose_name_plural = _("parents' remarks")
        ordering = ["plan", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "author"], name="educationplanremark_one_per_author"),
        ]

    def __str__(self):
        return f"{self.plan_id}: {self.author_id}"


class EducationPlanConfirmation(models.Model):
    """A custody holder confirmed ``version`` of the plan, after entering their password again."""

    plan = models.ForeignKey(EducationPlan, on_delete=models.CASCADE, related_name="confirmations")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    user_name = models.CharField(max_length=200)
    version = models.PositiveIntegerField()
    confirmed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("confirmation of an education plan")
        verbose_name_plural = _("confirmations of education plans")
        ordering = ["plan", "confirmed_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "user", "version"], name="educationplanconfirmation_once_per_version"
            ),
        ]

    def __str__(self):
        return f"{self.plan_id} v{self.version}: {self.user_id}"
