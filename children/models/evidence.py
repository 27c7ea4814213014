"""Evidence in a learning plan: a photo, a drawing, a piece of work, a short video or a PDF attached to a
goal or focus point, or to a note about one.

The bytes live in the private "evidence" storage (``settings.STORAGES``) under a random key; this row
holds what the portal needs to serve them (type, size, original name) and who added them. Images are
stored re-encoded, without their camera and location metadata. Staff's evidence reaches the family with
the next published version (``published_in``); what parents add to their own notes shows at once. A
guardian may ask for a file to be taken down: from then on nobody sees it, and staff get a to-do to
remove it. Deleting the row (the child, the plan, the entry or the note going with it) deletes the
stored objects after commit (``children.signals``).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .plans import FocusPoint, LearningPlan, PlanNote, _one_entry


class EvidenceQuerySet(models.QuerySet):
    def shown(self):
        """Not asked to be taken down."""
        return self.filter(takedown_requested_at__isnull=True)

    def for_family(self, number: int | None = None):
        """What a family sees with version ``number`` (or with any version): staff's evidence from the
        version that first published it, and the families' own at once."""
        published = Q(published_in__isnull=False) if number is None else Q(published_in__lte=number)
        return self.filter(published | ~Q(uploader_role=PlanNote.Role.STAFF))


class Evidence(models.Model):
    class Kind(models.TextChoices):
        IMAGE = "image", _("Photo")
        DOCUMENT = "document", _("Document")
        VIDEO = "video", _("Video")

    plan = models.ForeignKey(
        LearningPlan, on_delete=models.CASCADE, related_name="evidence", verbose_name=_("plan")
    )
    goal = models.ForeignKey(
        "children.LearningGoal", on_delete=models.CASCADE, null=True, blank=True, related_name="evidence"
    )
    focus_point = models.ForeignKey(
        FocusPoint, on_delete=models.CASCADE, null=True, blank=True, related_name="evidence"
    )
    note = models.ForeignKey(
        PlanNote, on_delete=models.CASCADE, null=True, blank=True, related_name="evidence"
    )
    kind = models.CharField(_("kind of file"), max_length=10, choices=Kind.choices)
    caption = models.CharField(_("what it shows"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    original_name = models.CharField(_("file name"), max_length=200)
    storage_key = models.CharField(max_length=300, unique=True)
    thumbnail_key = models.CharField(max_length=300, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_by_name = models.CharField(max_length=200)
    uploader_role = models.CharField(max_length=20, choices=PlanNote.Role.choices)
    uploaded_at = models.DateTimeField(_("added"))
    # The first published version that shows it to the family (staff's evidence only).
    published_in = models.PositiveIntegerField(null=True, blank=True)
    takedown_requested_at = models.DateTimeField(_("asked to be taken down"), null=True, blank=True)
    takedown_requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = EvidenceQuerySet.as_manager()

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["plan", "uploaded_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=_one_entry(), name="evidence_one_entry"),
            models.CheckConstraint(condition=Q(size__gt=0), name="evidence_not_empty"),
        ]
        indexes = [
            models.Index(fields=["plan", "uploaded_at"], name="evidence_plan"),
            models.Index(
                fields=["takedown_requested_at"],
                name="evidence_takedown",
                condition=Q(takedown_requested_at__isnull=False),
            ),
        ]

    def __str__(self):
        return self.caption

    @property
    def is_image(self) -> bool:
        return self.kind == self.Kind.IMAGE

    @property
    def anchor(self) -> str:
        return f"evidence-{self.pk}"
