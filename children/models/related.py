"""Related plans: that a child also has a social action plan (Barnets lov) or another special support
plan, and who coordinates it, so the plans can be thought together. Never any content of that plan.

The custody holders decide, institution by institution, whether that institution's staff may see that
the plan exists and who coordinates it (``RelatedPlanConsent``); either custody holder may say yes, and
either may take it back at once.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class RelatedPlanQuerySet(models.QuerySet):
    def active(self, on=None):
        """Not ended (an end date today or later still counts)."""
        on = on or timezone.localdate()
        return self.filter(Q(ended_on__isnull=True) | Q(ended_on__gte=on))


class RelatedPlan(models.Model):
    """A plan made elsewhere in the municipality that a child also has. The coordinator is a municipal
    caseworker, not necessarily a user of the portal."""

    class Kind(models.TextChoices):
        SOCIAL_ACTION = "social_action", _("Social action plan (Barnets lov)")
        OTHER_SUPPORT = "other_support", _("Another special support plan")

    child = models.ForeignKey(
        "children.Child", on_delete=models.CASCADE, related_name="related_plans", verbose_name=_("child")
    )
    kind = models.CharField(_("kind of plan"), max_length=20, choices=Kind.choices)
    coordinator_name = models.CharField(_("coordinator's name"), max_length=200)
    coordinator_role = models.CharField(_("coordinator's role"), max_length=200, blank=True)
    coordinator_phone = models.CharField(_("coordinator's phone"), max_length=30, blank=True)
    coordinator_email = models.EmailField(_("coordinator's e-mail"), blank=True)
    since = models.DateField(_("since"))
    ended_on = models.DateField(_("ended"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_by_name = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = RelatedPlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("related plan")
        verbose_name_plural = _("related plans")
        ordering = ["child", "-since", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("since")),
                name="relatedplan_ends_after_start",
            ),
        ]

    def __str__(self):
        return f"{self.kind} of child {self.child_id}"

    @property
    def phone_href(self) -> str:
        """The phone number as a tel: link (digits and a leading +, no spaces)."""
        return "tel:" + "".join(ch for ch in self.coordinator_phone if ch.isdigit() or ch == "+")

    @property
    def is_active(self) -> bool:
        return self.ended_on is None or self.ended_on >= timezone.localdate()


class RelatedPlanConsent(models.Model):
    """The custody holders' decision for one institution: may its staff who serve the child see that the
    plan exists and who coordinates it? The latest decision of either custody holder holds."""

    plan = models.ForeignKey(RelatedPlan, on_delete=models.CASCADE, related_name="consents")
    institution = models.ForeignKey(
        "organisation.Institution", on_delete=models.CASCADE, related_name="+", verbose_name=_("institution")
    )
    given = models.BooleanField(_("may see it"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_by_name = models.CharField(max_length=200, blank=True)
    decided_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("consent to see a related plan")
        verbose_name_plural = _("consents to see related plans")
        constraints = [
            models.UniqueConstraint(fields=["plan", "institution"], name="relatedplanconsent_once"),
        ]

    def __str__(self):
        return f"plan {self.plan_id} → {self.institution_id}: {self.given}"
