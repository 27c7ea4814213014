"""The municipality's own systems that read the API, each with a key of its own."""

import hashlib

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ApiClient(models.Model):
    """A system of one municipality that reads the API. Only a prefix and a SHA-256 hash of its key are
    stored: the key itself is shown once, when it is made."""

    class Scope(models.TextChoices):
        ORGANISATION = "organisation:read", _("Institutions and groups")
        CHILDREN = "children:read", _("Children and their places")
        AGREEMENTS = "agreements:read", _("Whether an expectation agreement is in force (never its text)")
        STATISTICS = "statistics:read", _("Meeting statistics and review figures")

    municipality = models.ForeignKey(
        "organisation.Municipality",
        on_delete=models.CASCADE,
        related_name="api_clients",
        verbose_name=_("municipality"),
    )
    name = models.CharField(_("name"), max_length=100)
    key_prefix = models.CharField(_("key begins with"), max_length=16, unique=True)
    key_hash = models.CharField(max_length=64, unique=True)
    # A list of Scope values; JSON works alike on SQLite and PostgreSQL.
    scopes = models.JSONField(_("may read"), default=list)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", db_index=False
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("API client")
        verbose_name_plural = _("API clients")
        ordering = ["name", "id"]
        indexes = [models.Index(fields=["municipality", "name"], name="apiclient_municipality")]

    def __str__(self):
        return self.name

    @staticmethod
    def hash_key(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    def has_scope(self, scope: str) -> bool:
        return scope in (self.scopes or [])

    def scope_labels(self) -> list[str]:
        return [str(label) for value, label in self.Scope.choices if value in (self.scopes or [])]
