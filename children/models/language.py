"""Language assessments (sprogvurdering): around age 3 in daycare and in 0. klasse with the national
tool, the parents' own observations before it, the talk with the family, and a home language plan of
activities from the library with a date to follow up (Dagtilbudsloven § 11, stk. 7: parents are
involved and get guidance on supporting language at home)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .activities import HomeActivity, LanguageResult
from .people import Child


class LanguageAssessment(models.Model):
    """One language assessment of one child at one place; the one in 0. klasse links back to the one
    from daycare."""

    class Stage(models.TextChoices):
        AGE_THREE = "age_three", _("Around age 3")
        SCHOOL_START = "school_start", _("0. klasse (the national tool)")

    Result = LanguageResult

    child = models.ForeignKey(
        Child, on_delete=models.CASCADE, related_name="language_assessments", verbose_name=_("child")
    )
    institution = models.ForeignKey(
        "organisation.Institution", on_delete=models.PROTECT, related_name="+", verbose_name=_("place")
    )
    stage = models.CharField(_("kind of assessment"), max_length=20, choices=Stage.choices)
    planned_on = models.DateField(_("planned for"), null=True, blank=True)
    assessed_on = models.DateField(_("assessed on"), null=True, blank=True)
    result = models.CharField(_("result"), max_length=10, choices=LanguageResult.choices, blank=True)
    # The national tool's own wording of the result in 0. klasse, entered by hand.
    tool_result = models.CharField(_("result as the national tool gives it"), max_length=200, blank=True)
    summary = models.TextField(_("what we saw, in plain words"), max_length=3000, blank=True)
    earlier = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="later",
        verbose_name=_("the assessment from daycare"),
    )
    meeting = models.ForeignKey(
        "meetings.Meeting",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("the talk with the family"),
    )
    # When the family may read the result (usually at the talk); before it they see that it is planned.
    shared_at = models.DateTimeField(_("shown to the family"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("language assessment")
        verbose_name_plural = _("language assessments")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(result="") | Q(assessed_on__isnull=False), name="languageassessment_result_dated"
            ),
            models.CheckConstraint(
                condition=Q(shared_at__isnull=True) | ~Q(result=""), name="languageassessment_shared_result"
            ),
        ]
        indexes = [models.Index(fields=["child", "-created_at"], name="languageassessment_child")]

    def __str__(self):
        return f"{self.get_stage_display()} {self.child_id}"

    @property
    def has_result(self) -> bool:
        return bool(self.result)

    @property
    def is_shared(self) -> bool:
        return self.shared_at is not None


class LanguageObservation(models.Model):
    """What the parents see of the child's language at home, written before the assessment (the
    ministry's material has a parent form too). One per assessment; either custody holder may fill
    it in or change it until the result is recorded."""

    class Answer(models.TextChoices):
        OFTEN = "often", _("Yes, often")
        SOMETIMES = "sometimes", _("Sometimes")
        NOT_YET = "not_yet", _("Not yet")

    assessment = models.OneToOneField(
        LanguageAssessment, on_delete=models.CASCADE, related_name="observation"
    )
    home_languages = models.CharField(_("languages you speak with your child at home"), max_length=200)
    danish_at_home = models.BooleanField(_("Danish is one of them"))
    tells_about_things = models.CharField(
        _("tells you about things that happened, in short sentences"), max_length=10, choices=Answer.choices
    )
    follows_two_steps = models.CharField(
        _("does two things you ask in a row"), max_length=10, choices=Answer.choices
    )
    enjoys_stories = models.CharField(
        _("likes books, stories or songs"), max_length=10, choices=Answer.choices
    )
    wonders = models.TextField(_("what you wonder or worry about"), max_length=1500, blank=True)
    filled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    filled_by_name = models.CharField(max_length=200)
    filled_at = models.DateTimeField()

    class Meta:
        verbose_name = _("parents' observations")
        verbose_name_plural = _("parents' observations")

    def __str__(self):
        return f"{self.assessment_id} {self.filled_by_name}"


class HomeLanguagePlan(models.Model):
    """The home language plan after an assessment: a few activities from the library chosen by the
    result, the child's age and the family's languages, a word to the family, and a date when staff
    and family follow up."""

    assessment = models.OneToOneField(LanguageAssessment, on_delete=models.CASCADE, related_name="home_plan")
    activities = models.ManyToManyField(
        HomeActivity, related_name="language_plans", verbose_name=_("activities")
    )
    note = models.TextField(_("a few words to the family"), max_length=1500, blank=True)
    follow_up_on = models.DateField(_("follow up on"))
    followed_up_at = models.DateTimeField(_("followed up"), null=True, blank=True)
    follow_up_note = models.TextField(_("how the follow-up went"), max_length=1500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("home language plan")
        verbose_name_plural = _("home language plans")
        indexes = [models.Index(fields=["follow_up_on"], name="homelanguageplan_follow_up")]

    def __str__(self):
        return f"{self.assessment_id} {self.follow_up_on}"
