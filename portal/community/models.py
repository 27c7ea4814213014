"""The children's community: what the parents of a group know of each other's children, by each family's
own choice."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class NameSharing(models.Model):
    """A custody holder's answer: may the other parents in the child's group see the child's first name?
    The name is shown only while every custody holder of the child says yes; a no hides it at once."""

    child = models.ForeignKey("children.Child", on_delete=models.CASCADE, related_name="name_sharing")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    show_name = models.BooleanField(_("the group's parents may see our child's first name"))
    decided_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("choice on showing the child's name in the group")
        verbose_name_plural = _("choices on showing the child's name in the group")
        constraints = [
            models.UniqueConstraint(fields=["child", "user"], name="name_sharing_one_per_person"),
        ]

    def __str__(self):
        return f"{self.child_id} {self.user_id} {self.show_name}"


class ContactParent(models.Model):
    """A contact parent (kontaktforælder) of a group: a parent offers to help, staff appoint them. Their
    messages to the group's parents go through the portal, so no parent sees another's address."""

    class Status(models.TextChoices):
        VOLUNTEERED = "volunteered", _("Offered to be a contact parent")
        APPOINTED = "appointed", _("Contact parent")

    group = models.ForeignKey(
        "organisation.Group",
        on_delete=models.CASCADE,
        related_name="contact_parents",
        verbose_name=_("group"),
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    # The child through whom the parent belongs to the group.
    child = models.ForeignKey("children.Child", on_delete=models.CASCADE, related_name="+")
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    volunteered_at = models.DateTimeField(default=timezone.now)
    appointed_at = models.DateTimeField(null=True, blank=True)
    appointed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("contact parent")
        verbose_name_plural = _("contact parents")
        ordering = ["group", "volunteered_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "user"],
                condition=models.Q(ended_at__isnull=True),
                name="contact_parent_once_per_group",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="appointed") | models.Q(appointed_at__isnull=False),
                name="contact_parent_appointed_has_time",
            ),
        ]

    def __str__(self):
        return f"{self.group_id} {self.user_id} {self.status}"


class GroupMessage(models.Model):
    """A message to the group's parents: a contact parent's, which staff read first and send or decline
    with a reason, or the staff's own, sent at once or at a time they chose (``send_at``). Sent, it
    reaches every parent of the group in the portal's inbox (and by their choices, by e-mail or text)."""

    class Status(models.TextChoices):
        WAITING = "waiting", _("Waiting for staff")
        SCHEDULED = "scheduled", _("Goes out later")
        SENT = "sent", _("Sent")
        DECLINED = "declined", _("Not sent")

    group = models.ForeignKey("organisation.Group", on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    author_name = models.CharField(max_length=200)
    body = models.TextField(_("message"), max_length=2000)
    created_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.WAITING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.CharField(_("why it is not sent"), max_length=300, blank=True)
    from_staff = models.BooleanField(default=False, db_default=False)
    send_at = models.DateTimeField(_("send at"), null=True, blank=True)

    class Meta:
        verbose_name = _("message to the group's parents")
        verbose_name_plural = _("messages to the group's parents")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(
                fields=["group", "created_at"],
                name="groupmessage_waiting",
                condition=models.Q(status="waiting"),
            ),
            models.Index(
                fields=["send_at"], name="groupmessage_scheduled", condition=models.Q(status="scheduled")
            ),
        ]

    def __str__(self):
        return f"{self.group_id} {self.status}"
