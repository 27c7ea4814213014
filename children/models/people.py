"""The child, the people who hold responsibility for them, and where they are enrolled."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Child(models.Model):
    """A child the municipality serves, from pregnancy (expected date) to youth education."""

    municipality = models.ForeignKey(
        "organisation.Municipality",
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name=_("home municipality"),
    )
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    expected_on = models.DateField(
        _("expected date"), null=True, blank=True, help_text=_("For a family met during pregnancy.")
    )
    # Set when the child moves away: the retention task erases the child and their family's data.
    left_municipality_on = models.DateField(_("left the municipality"), null=True, blank=True)
    # The source system's own id of the child (never a CPR number): the roster import's key.
    external_id = models.CharField(_("id in the source system"), max_length=50, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("child")
        verbose_name_plural = _("children")
        ordering = ["first_name", "last_name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(birth_date__isnull=False) | Q(expected_on__isnull=False),
                name="child_born_or_expected",
            ),
            models.UniqueConstraint(
                fields=["municipality", "external_id"],
                condition=~Q(external_id=""),
                name="child_unique_external_id",
            ),
        ]

    def __str__(self):
        return self.full_name

    @property
    def full_name(self):
        return f"{self.first_name} {self.last_name}"

    @property
    def is_expected(self):
        return self.birth_date is None


class GuardianshipQuerySet(models.QuerySet):
    def active(self):
        return self.filter(ended_on__isnull=True)

    def with_information(self):
        """Guardians who may see the child's data: custody holders, and others with a right to information."""
        return self.active().filter(Q(has_custody=True) | Q(information_withdrawn=False))


class Guardianship(models.Model):
    """An adult in the child's close care: parent, foster parent or other guardian.

    A parent without custody keeps a right to information (forældreansvarsloven § 23) unless the
    family court has withdrawn it; they see the child's data but make no decisions.
    """

    class Relation(models.TextChoices):
        MOTHER = "mother", _("Mother")
        FATHER = "father", _("Father")
        PARENT = "parent", _("Parent")
        FOSTER_PARENT = "foster_parent", _("Foster parent")
        GUARDIAN = "guardian", _("Legal guardian")
        OTHER = "other", _("Other close adult")

    child = models.ForeignKey(
        Child, on_delete=models.CASCADE, related_name="guardianships", verbose_name=_("child")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="guardianships",
        verbose_name=_("adult"),
    )
    relation = models.CharField(_("relation"), max_length=20, choices=Relation.choices)
    has_custody = models.BooleanField(_("holds custody"), default=True)
    information_withdrawn = models.BooleanField(
        _("right to information withdrawn"),
        default=False,
        help_text=_(
            "Only when the family court has withdrawn a non-custodial parent's right to information."
        ),
    )
    preferred_language = models.CharField(_("preferred language"), max_length=50, default="da")
    interpreter_wanted = models.BooleanField(_("would like an interpreter"), default=False)
    started_on = models.DateField(_("from"), default=timezone.localdate)
    ended_on = models.DateField(_("until"), null=True, blank=True)

    objects = GuardianshipQuerySet.as_manager()

    class Meta:
        verbose_name = _("guardianship")
        verbose_name_plural = _("guardianships")
        ordering = ["child", "-has_custody", "user"]
        constraints = [
            models.UniqueConstraint(
                fields=["child", "user"], condition=Q(ended_on__isnull=True), name="guardianship_one_open"
            ),
        ]
        indexes = [models.Index(fields=["user", "child"], name="guardianship_user_child")]

    def __str__(self):
        return f"{self.user} – {self.child} ({self.get_relation_display()})"


def current_enrollment(*, on=None, prefix: str = "") -> Q:
    """ "Enrolled on ``on`` (today)" as a condition on Enrollment's columns, or with ``prefix`` (such as
    ``"enrollments__"``) on the columns of a join to it, so a query need not scan every enrollment."""
    on = on or timezone.localdate()
    return Q(**{f"{prefix}started_on__lte": on}) & (
        Q(**{f"{prefix}ended_on__isnull": True}) | Q(**{f"{prefix}ended_on__gte": on})
    )


class EnrollmentQuerySet(models.QuerySet):
    def current(self, *, on=None):
        return self.filter(current_enrollment(on=on))


class Enrollment(models.Model):
    """A child's place at an institution (and group) for a period; the history follows the child."""

    child = models.ForeignKey(
        Child, on_delete=models.CASCADE, related_name="enrollments", verbose_name=_("child")
    )
    institution = models.ForeignKey(
        "organisation.Institution",
        on_delete=models.PROTECT,
        related_name="enrollments",
        verbose_name=_("institution"),
    )
    group = models.ForeignKey(
        "organisation.Group",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="enrollments",
        verbose_name=_("group"),
    )
    started_on = models.DateField(_("from"))
    ended_on = models.DateField(_("until"), null=True, blank=True)

    objects = EnrollmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("enrollment")
        verbose_name_plural = _("enrollments")
        ordering = ["child", "-started_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="enrollment_ends_after_start",
            ),
            models.UniqueConstraint(
                fields=["child", "institution"],
                condition=Q(ended_on__isnull=True),
                name="enrollment_one_open",
            ),
        ]
        indexes = [
            models.Index(fields=["institution", "ended_on"], name="enrollment_institution"),
            models.Index(fields=["group", "ended_on"], name="enrollment_group"),
        ]

    def __str__(self):
        return f"{self.child} @ {self.institution}"
