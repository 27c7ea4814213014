from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AccessEvent(models.Model):
    """One read or write of a child's data: who, when, which child, what, from where. Append-only."""

    class Action(models.TextChoices):
        VIEW = "view", _("Looked at")
        LIST = "list", _("Saw in a list")
        CREATE = "create", _("Added")
        UPDATE = "update", _("Changed")
        DELETE = "delete", _("Removed")

    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("who"),
        db_index=False,
    )
    actor_name = models.CharField(_("who"), max_length=200)
    actor_role = models.CharField(_("as"), max_length=100, blank=True)
    child = models.ForeignKey(
        "children.Child", on_delete=models.CASCADE, related_name="+", verbose_name=_("child"), db_index=False
    )
    municipality = models.ForeignKey(
        "organisation.Municipality", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    subject = models.CharField(_("what"), max_length=50)
    object_id = models.BigIntegerField(null=True, blank=True)
    path = models.CharField(_("page"), max_length=300, blank=True)
    ip = models.GenericIPAddressField(_("from address"), null=True, blank=True)

    class Meta:
        verbose_name = _("access event")
        verbose_name_plural = _("access events")
        ordering = ["-at"]
        indexes = [
            models.Index(fields=["child", "-at"], name="accessevent_child"),
            models.Index(fields=["actor", "-at"], name="accessevent_actor"),
            # The administrators' search pages through it newest first, keyset on (at, id).
            models.Index(fields=["municipality", "-at", "-id"], name="accessevent_municipality_time"),
        ]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.action} {self.subject} #{self.child_id}"
