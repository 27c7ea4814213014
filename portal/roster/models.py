"""An import of the municipality's roster from its own systems: the file as read, what checking it found
row by row, and what applying it did. The file's content is kept only until it is applied (then only the
counts and the outcome of each row remain, without names) and runs go after 30 days (retention)."""

import json
import zlib

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportRun(models.Model):
    class Status(models.TextChoices):
        CHECKING = "checking", _("Being checked")
        CHECKED = "checked", _("Checked: ready to apply")
        APPLYING = "applying", _("Being applied")
        APPLIED = "applied", _("Applied")
        FAILED = "failed", _("Could not be read")

    municipality = models.ForeignKey("organisation.Municipality", on_delete=models.CASCADE, related_name="+")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.CHECKING)
    files = models.CharField(_("files"), max_length=500)
    # The uploaded files in the private "imports" storage until the dry run has read them.
    file_keys = models.JSONField(default=list)
    # The sheets as read (zlib-compressed JSON), until applied.
    data = models.BinaryField(default=b"")
    # One outcome per row (zlib-compressed JSON): sheet, line, key, outcome, reason; never a name.
    report = models.BinaryField(default=b"")
    counts = models.JSONField(default=dict)
    dropped_columns = models.JSONField(default=list)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    applied_at = models.DateTimeField(_("applied"), null=True, blank=True)
    error = models.CharField(max_length=300, blank=True)

    class Meta:
        verbose_name = _("roster import")
        verbose_name_plural = _("roster imports")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"import #{self.pk}"

    @staticmethod
    def pack(value) -> bytes:
        return zlib.compress(json.dumps(value, ensure_ascii=False).encode(), 6)

    @staticmethod
    def unpack(blob) -> object:
        return json.loads(zlib.decompress(bytes(blob))) if blob else None

    @property
    def percent(self) -> int:
        return int(100 * self.done / self.total) if self.total else 0

    @property
    def running(self) -> bool:
        return self.status in (self.Status.CHECKING, self.Status.APPLYING)
