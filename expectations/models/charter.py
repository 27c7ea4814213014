from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from expectations.models.common import Side


class CharterVersionQuerySet(models.QuerySet):
    def in_force(self):
        return self.filter(status=CharterVersion.Status.IN_FORCE)


class CharterVersion(models.Model):
    """One version of a municipality's charter of shared responsibility (its policy on who does what).

    Versions move draft → approved (by a named political body, on a date) → in force → retired;
    exactly one version is in force per municipality, and older versions stay readable.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        APPROVED = "approved", _("Approved")
        IN_FORCE = "in_force", _("In force")
        RETIRED = "retired", _("No longer in force")

    municipality = models.ForeignKey(
        "organisation.Municipality",
        on_delete=models.CASCADE,
        related_name="charter_versions",
        verbose_name=_("municipality"),
    )
    number = models.PositiveIntegerField(_("version"))
    title = models.CharField(_("title"), max_length=200)
    introduction = models.TextField(_("introduction"), max_length=4000, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    approved_on = models.DateField(_("approved on"), null=True, blank=True)
    approved_by_body = models.CharField(
        _("approved by"),
        max_length=200,
        blank=True,
        help_text=_("The political body, e.g. the children and youth committee."),
    )
    in_force_from = models.DateField(_("in force from"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CharterVersionQuerySet.as_manager()

    class Meta:
        verbose_name = _("charter version")
        verbose_name_plural = _("charter versions")
        ordering = ["municipality", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "number"], name="charterversion_unique_number"),
            models.UniqueConstraint(
                fields=["municipality"], condition=Q(status="in_force"), name="charterversion_one_in_force"
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | (Q(approved_on__isnull=False) & ~Q(approved_by_body="")),
                name="charterversion_approved_has_date_and_body",
            ),
            models.CheckConstraint(
                condition=~Q(status="in_force") | Q(in_force_from__isnull=False),
                name="charterversion_in_force_has_date",
            ),
        ]

    def __str__(self):
        return f"{self.title} (v{self.number})"


class CharterItem(models.Model):
    """One responsibility in the charter: whose it is, in a short plain-language text."""

    version = models.ForeignKey(CharterVersion, on_delete=models.CASCADE, related_name="items")
    side = models.CharField(_("whose responsibility"), max_length=20, choices=Side.choices)
    title = models.CharField(_("heading"), max_length=200)
    text = models.TextField(_("text"), max_length=2000)
    age_from_months = models.PositiveSmallIntegerField(_("from age (months)"), null=True, blank=True)
    age_to_months = models.PositiveSmallIntegerField(_("to age (months)"), null=True, blank=True)
    institution_kinds = models.JSONField(
        _("institution kinds"), default=list, blank=True, help_text=_("Empty: applies to all kinds.")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("charter item")
        verbose_name_plural = _("charter items")
        ordering = ["version", "side", "position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(age_from_months__isnull=True)
                | Q(age_to_months__isnull=True)
                | Q(age_to_months__gte=models.F("age_from_months")),
                name="charteritem_age_band_order",
            ),
        ]

    def __str__(self):
        return self.title


class InstitutionPrinciples(models.Model):
    """A school board's or parent board's principles for the collaboration (Folkeskoleloven § 44, stk. 2).

    Each adoption is a new row; the newest is the one parents see.
    """

    institution = models.ForeignKey(
        "organisation.Institution",
        on_delete=models.CASCADE,
        related_name="principles",
        verbose_name=_("institution"),
    )
    charter_version = models.ForeignKey(
        CharterVersion,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="institution_principles",
        verbose_name=_("builds on charter version"),
    )
    text = models.TextField(_("principles"), max_length=8000)
    adopted_on = models.DateField(_("adopted on"))
    adopted_by = models.CharField(_("adopted by"), max_length=200, help_text=_("E.g. the school board."))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("institution principles")
        verbose_name_plural = _("institution principles")
        ordering = ["institution", "-adopted_on", "-pk"]
        get_latest_by = ["adopted_on", "pk"]

    def __str__(self):
        return f"{self.institution} ({self.adopted_on})"
