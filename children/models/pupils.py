"""The pupil's own login and voice in the pupil plan.

A teacher or the school's leader gives a pupil a one-time code (``PupilCode``; only its hash is kept);
with it the pupil makes a login of their own, linked to exactly one child (``PupilAccount``). The pupil
reads the published pupil plan, writes reflections on its focus points (``PupilReflection``, every one
kept with its date) and short messages to their parents on how they can help (``PupilMessage``).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .people import Child
from .plans import FocusPoint, LearningPlan, PlanVersion

PUPIL_TEXT_MAX = 1000


class PupilCodeQuerySet(models.QuerySet):
    def pending(self, *, now=None):
        now = now or timezone.now()
        return self.filter(used_at__isnull=True, revoked_at__isnull=True, expires_at__gt=now)


class PupilCode(models.Model):
    """A one-time code a pupil types to make their login. Only the code's SHA-256 is stored."""

    child = models.ForeignKey(
        Child, on_delete=models.CASCADE, related_name="pupil_codes", verbose_name=_("child")
    )
    code_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"))
    used_at = models.DateTimeField(_("used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    objects = PupilCodeQuerySet.as_manager()

    class Meta:
        verbose_name = _("pupil login code")
        verbose_name_plural = _("pupil login codes")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(used_at__isnull=True) | Q(revoked_at__isnull=True),
                name="pupilcode_not_both_used_and_revoked",
            ),
        ]

    def __str__(self):
        return f"{self.child} ({self.created_at:%Y-%m-%d})"


class PupilAccountQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True)


class PupilAccount(models.Model):
    """A pupil's login, linked to exactly one child. Revoking it ends the pupil's access at once."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="pupil_account"
    )
    child = models.ForeignKey(
        Child, on_delete=models.CASCADE, related_name="pupil_accounts", verbose_name=_("child")
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = PupilAccountQuerySet.as_manager()

    class Meta:
        verbose_name = _("pupil login")
        verbose_name_plural = _("pupil logins")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["child"], condition=Q(revoked_at__isnull=True), name="pupilaccount_one_active"
            ),
        ]

    def __str__(self):
        return f"{self.child} ({self.user_id})"


class PupilReflection(models.Model):
    """What the pupil thinks about one focus point of their plan, on a day. Never changed: a new
    reflection is a new row, so the history stays."""

    plan = models.ForeignKey(LearningPlan, on_delete=models.CASCADE, related_name="pupil_reflections")
    focus_point = models.ForeignKey(
        FocusPoint, on_delete=models.CASCADE, related_name="pupil_reflections", verbose_name=_("focus point")
    )
    # The published version the pupil was reading when they wrote it.
    version = models.ForeignKey(
        PlanVersion, on_delete=models.SET_NULL, null=True, blank=True, related_name="pupil_reflections"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    author_name = models.CharField(max_length=200)
    text = models.TextField(_("your thoughts"), max_length=PUPIL_TEXT_MAX)
    created_at = models.DateTimeField(_("written"), default=timezone.now)

    class Meta:
        verbose_name = _("pupil reflection")
        verbose_name_plural = _("pupil reflections")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["plan", "created_at"], name="pupilreflection_plan")]

    def __str__(self):
        return self.text[:50]


class PupilMessage(models.Model):
    """A short message from the pupil to their parents on how they can help."""

    plan = models.ForeignKey(LearningPlan, on_delete=models.CASCADE, related_name="pupil_messages")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    author_name = models.CharField(max_length=200)
    text = models.TextField(_("your message"), max_length=PUPIL_TEXT_MAX)
    created_at = models.DateTimeField(_("sent"), default=timezone.now)

    class Meta:
        verbose_name = _("pupil's message to the parents")
        verbose_name_plural = _("pupils' messages to the parents")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["plan", "created_at"], name="pupilmessage_plan")]

    def __str__(self):
        return self.text[:50]
