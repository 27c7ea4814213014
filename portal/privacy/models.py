"""Data rights (GDPR art. 15 and 20: a family's own copy) and retention (art. 5(1)(e): kept no longer than
needed). What the portal deletes is recorded as counts only, never content."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class DataExport(models.Model):
    """A guardian's copy of everything the portal holds about one child and about themselves: a JSON file
    and a readable PDF, built in Celery and offered for a limited time."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Being prepared")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Could not be made")
        EXPIRED = "expired", _("No longer available")

    child = models.ForeignKey(
        "children.Child", on_delete=models.CASCADE, related_name="+", verbose_name=_("child")
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("asked by")
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    requested_at = models.DateTimeField(_("asked for"), auto_now_add=True)
    ready_at = models.DateTimeField(_("ready"), null=True, blank=True)
    expires_at = models.DateTimeField(_("available until"), null=True, blank=True)
    # Keys in the private "exports" storage (never a public address).
    json_key = models.CharField(max_length=300, blank=True)
    pdf_key = models.CharField(max_length=300, blank=True)
    downloads = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("data export")
        verbose_name_plural = _("data exports")
        ordering = ["-requested_at", "-id"]
        constraints = [
            # One copy in the making per guardian and child: asking twice makes one.
            models.UniqueConstraint(
                fields=["requested_by", "child"],
                condition=models.Q(status="queued"),
                name="dataexport_one_queued",
            )
        ]
        indexes = [
            models.Index(fields=["requested_by", "child", "-requested_at"], name="dataexport_requester"),
            models.Index(fields=["status", "expires_at"], name="dataexport_expiry"),
        ]

    def __str__(self):
        return f"export #{self.pk} of child #{self.child_id}"


class RetentionSetting(models.Model):
    """A municipality's own period for one kind of data, where it differs from the documented default
    (``portal.privacy.retention.KINDS``)."""

    municipality = models.ForeignKey(
        "organisation.Municipality", on_delete=models.CASCADE, related_name="retention_settings"
    )
    kind = models.CharField(_("kind of data"), max_length=40)
    keep_days = models.PositiveIntegerField(_("days kept"))
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    changed_at = models.DateTimeField(_("changed"), auto_now=True)

    class Meta:
        verbose_name = _("retention period")
        verbose_name_plural = _("retention periods")
        constraints = [
            models.UniqueConstraint(fields=["municipality", "kind"], name="retentionsetting_one_per_kind")
        ]

    def __str__(self):
        return f"{self.kind}: {self.keep_days} days"


class ErasureRecord(models.Model):
    """That the portal deleted something, and how much: counts per table, files and cache keys. Never
    what was deleted, nor whose it was."""

    class Reason(models.TextChoices):
        RETENTION = "retention", _("Retention period ended")
        LEFT_MUNICIPALITY = "left", _("Child left the municipality")
        EXPORT_EXPIRED = "export", _("Data export expired")

    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    municipality = models.ForeignKey(
        "organisation.Municipality", on_delete=models.CASCADE, related_name="+", null=True, blank=True
    )
    reason = models.CharField(_("why"), max_length=20, choices=Reason.choices)
    kind = models.CharField(_("kind of data"), max_length=40)
    rows = models.JSONField(_("rows deleted per table"), default=dict)
    files = models.PositiveIntegerField(_("files deleted"), default=0)
    cache_keys = models.PositiveIntegerField(_("cached keys deleted"), default=0)

    class Meta:
        verbose_name = _("erasure record")
        verbose_name_plural = _("erasure records")
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"{self.at:%Y-%m-%d} {self.kind}: {sum(self.rows.values())} rows"

    @property
    def total_rows(self) -> int:
        return sum(self.rows.values())
