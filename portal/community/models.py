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
