"""The learning plan: one per child and institution. Daycare plans hold goals along the six themes of the
pedagogical curriculum; the pupil plan (meddelelsesbog) holds a few forward-looking focus points.

Staff work in the plan's live entries (the draft); publishing freezes what the family reads as a
numbered, immutable ``PlanVersion``. Every change to a goal or focus point is kept as a ``PlanChange``,
and the conversation around them (progress, next steps, comments, what we see at home, "tried it")
as ``PlanNote`` rows.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .people import Child

STATUS_NOT_STARTED = "planned"
STATUS_WORKING = "in_progress"
STATUS_REACHED = "achieved"


class LearningPlan(models.Model):
    """A child's plan at one institution: the daycare plan or the pupil plan."""

    class Kind(models.TextChoices):
        DAYCARE = "daycare", _("Learning plan")
        PUPIL = "pupil", _("Pupil plan")

    child = models.ForeignKey(
        Child, on_delete=models.CASCADE, related_name="learning_plans", verbose_name=_("child")
    )
    institution = models.ForeignKey(
        "organisation.Institution",
        on_delete=models.PROTECT,
        related_name="learning_plans",
        verbose_name=_("institution"),
    )
    kind = models.CharField(_("kind of plan"), max_length=10, choices=Kind.choices)
    # The pupil's class level (0 for 0. klasse) when the plan was last written: it decides the areas.
    school_year = models.PositiveSmallIntegerField(_("class level"), null=True, blank=True)
    # The number of the latest published version (0: never published); the versions hold the rest.
    published_number = models.PositiveIntegerField(_("latest version"), default=0)
    published_at = models.DateTimeField(_("last published"), null=True, blank=True)
    # Set by every write to its entries; "changed since published" compares it with published_at.
    draft_changed_at = models.DateTimeField(_("draft changed"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("learning plan")
        verbose_name_plural = _("learning plans")
        ordering = ["child", "institution"]
        constraints = [
            models.UniqueConstraint(fields=["child", "institution"], name="learningplan_one_per_place"),
            models.CheckConstraint(
                condition=Q(school_year__isnull=True) | Q(school_year__lte=10),
                name="learningplan_school_year_range",
            ),
        ]
        indexes = [models.Index(fields=["institution", "child"], name="learningplan_institution")]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.child}"

    @property
    def is_pupil_plan(self) -> bool:
        return self.kind == self.Kind.PUPIL

    @property
    def has_unpublished_changes(self) -> bool:
        if self.draft_changed_at is None:
            return False
        return self.published_at is None or self.draft_changed_at > self.published_at


class FocusPoint(models.Model):
    """A forward-looking focus point of the pupil plan: what the school does, what was agreed, and how
    the parents can support it at home."""

    class Area(models.TextChoices):
        LANGUAGE_AWARENESS = "language_awareness", _("Language awareness")
        MATHS_AWARENESS = "maths_awareness", _("Mathematical awareness")
        DANISH = "danish", _("Danish")
        MATHEMATICS = "mathematics", _("Mathematics")
        AFTER_SCHOOL = "after_school", _("Education after school")
        SUPPORT = "support", _("Support and follow-up")

    class Status(models.TextChoices):
        PLANNED = STATUS_NOT_STARTED, _("Not started yet")
        IN_PROGRESS = STATUS_WORKING, _("Working on it")
        ACHIEVED = STATUS_REACHED, _("Reached")

    plan = models.ForeignKey(
        LearningPlan, on_delete=models.CASCADE, related_name="focus_points", verbose_name=_("plan")
    )
    area = models.CharField(_("area"), max_length=30, choices=Area.choices)
    title = models.CharField(_("focus point"), max_length=200)
    school_effort = models.TextField(_("what the school does"), max_length=2000)
    agreed = models.TextField(_("what we agreed"), max_length=2000, blank=True)
    home_support = models.TextField(_("how you can support at home"), max_length=2000)
    # The competences of the municipality's framework the focus point builds, as a goal's do.
    competences = models.ManyToManyField(
        "children.Competence", blank=True, related_name="focus_points", verbose_name=_("competences")
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.IN_PROGRESS)
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
        verbose_name = _("focus point")
        verbose_name_plural = _("focus points")
        ordering = ["plan", "created_at", "pk"]
        indexes = [models.Index(fields=["plan", "created_at"], name="focuspoint_plan")]

    def __str__(self):
        return self.title

    @staticmethod
    def areas_for(school_year: int | None, *, support: bool = True) -> list[str]:
        """The areas the pupil plan covers at this class level (Folkeskoleloven § 13 b, 2022/23 onward):
        0. klasse language and mathematical awareness; 1.–9. Danish and mathematics; 7.–9. also education
        after school; for pupils with difficulties the school's efforts and follow-up."""
        Area = FocusPoint.Area
        if school_year is None:
            areas = [Area.DANISH, Area.MATHEMATICS]
        elif school_year == 0:
            areas = [Area.LANGUAGE_AWARENESS, Area.MATHS_AWARENESS]
        else:
            areas = [Area.DANISH, Area.MATHEMATICS]
            if school_year >= 7:
                areas.append(Area.AFTER_SCHOOL)
        if support:
            areas.append(Area.SUPPORT)
        return [str(a) for a in areas]


class PlanVersion(models.Model):
    """What was published, frozen: number, who, when, and a snapshot of the plan's entries. Never
    changed after it is written (services only create them; the admin shows them read-only)."""

    plan = models.ForeignKey(
        LearningPlan, on_delete=models.CASCADE, related_name="versions", verbose_name=_("plan")
    )
    number = models.PositiveIntegerField(_("version"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("published by"),
    )
    published_by_name = models.CharField(_("published by"), max_length=200)
    published_at = models.DateTimeField(_("published"))
    note = models.CharField(_("what is new"), max_length=300, blank=True)
    snapshot = models.JSONField(_("what was published"))

    class Meta:
        verbose_name = _("published plan version")
        verbose_name_plural = _("published plan versions")
        ordering = ["plan", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="planversion_unique_number"),
            models.CheckConstraint(condition=Q(number__gte=1), name="planversion_number_positive"),
        ]

    def __str__(self):
        return f"{self.plan} v{self.number}"


class PlanRead(models.Model):
    """A guardian opened this published version (the read receipt staff see before a conference)."""

    version = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="reads")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="plan_reads")
    read_at = models.DateTimeField(_("read"))

    class Meta:
        verbose_name = _("plan read")
        verbose_name_plural = _("plan reads")
        constraints = [models.UniqueConstraint(fields=["version", "user"], name="planread_once")]
        indexes = [models.Index(fields=["user", "version"], name="planread_user")]

    def __str__(self):
        return f"{self.user} read {self.version}"


def _one_entry() -> Q:
    return (Q(goal__isnull=False) & Q(focus_point__isnull=True)) | (
        Q(goal__isnull=True) & Q(focus_point__isnull=False)
    )


class PlanChange(models.Model):
    """One change to a goal or focus point: created, a field edited (before and after), who and when."""

    class Kind(models.TextChoices):
        CREATED = "created", pgettext_lazy("plan history", "Written")
        EDITED = "edited", pgettext_lazy("plan history", "Edited")
        STATUS = "status", pgettext_lazy("plan history", "Status changed")

    plan = models.ForeignKey(LearningPlan, on_delete=models.CASCADE, related_name="changes")
    goal = models.ForeignKey(
        "children.LearningGoal", on_delete=models.CASCADE, null=True, blank=True, related_name="changes"
    )
    focus_point = models.ForeignKey(
        FocusPoint, on_delete=models.CASCADE, null=True, blank=True, related_name="changes"
    )
    action = models.CharField(max_length=10, choices=Kind.choices)
    field = models.CharField(max_length=40, blank=True)
    before = models.TextField(blank=True)
    after = models.TextField(blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    actor_name = models.CharField(max_length=200)
    at = models.DateTimeField()

    class Meta:
        verbose_name = _("plan change")
        verbose_name_plural = _("plan changes")
        ordering = ["-at", "-pk"]
        constraints = [models.CheckConstraint(condition=_one_entry(), name="planchange_one_entry")]
        indexes = [models.Index(fields=["plan", "-at"], name="planchange_plan")]

    def __str__(self):
        return f"{self.get_action_display()} {self.field}".strip()


class PlanNote(models.Model):
    """A note on a goal or focus point: staff's progress ("what we saw", dated) and next steps, anyone's
    comment, the family's "what we see at home" and "we tried it: how it went"."""

    class Kind(models.TextChoices):
        PROGRESS = "progress", _("What we saw")
        NEXT_STEP = "next_step", _("Next step")
        COMMENT = "comment", _("Comment")
        AT_HOME = "at_home", _("What we see at home")
        TRIED = "tried", _("We tried it at home")

    class Role(models.TextChoices):
        STAFF = "staff", _("Staff")
        CUSTODY = "custody", _("Parent")
        INFORMATION = "information", _("Parent without custody")

    plan = models.ForeignKey(LearningPlan, on_delete=models.CASCADE, related_name="notes")
    goal = models.ForeignKey(
        "children.LearningGoal", on_delete=models.CASCADE, null=True, blank=True, related_name="notes"
    )
    focus_point = models.ForeignKey(
        FocusPoint, on_delete=models.CASCADE, null=True, blank=True, related_name="notes"
    )
    kind = models.CharField(_("kind of note"), max_length=20, choices=Kind.choices)
    text = models.TextField(_("text"), max_length=2000)
    observed_on = models.DateField(_("date"), null=True, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    author_name = models.CharField(max_length=200)
    author_role = models.CharField(max_length=20, choices=Role.choices)
    created_at = models.DateTimeField(_("written"))

    class Meta:
        verbose_name = _("plan note")
        verbose_name_plural = _("plan notes")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=_one_entry(), name="plannote_one_entry"),
            # Progress is "what we saw" on a day.
            models.CheckConstraint(
                condition=~Q(kind="progress") | Q(observed_on__isnull=False), name="plannote_progress_dated"
            ),
        ]
        indexes = [
            models.Index(fields=["plan", "created_at"], name="plannote_plan"),
            models.Index(fields=["goal", "-created_at"], name="plannote_goal"),
            models.Index(fields=["focus_point", "-created_at"], name="plannote_focus_point"),
        ]

    def __str__(self):
        return self.text[:50]
