"""Making, revoking and using API keys."""

import secrets
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.api.models import ApiClient

# A key's last use is written at most this often: a busy client does not update its row per request.
TOUCH_EVERY = timedelta(minutes=1)


def _new_key() -> tuple[str, str]:
    prefix = f"gpv_{secrets.token_hex(4)}"
    return prefix, f"{prefix}_{secrets.token_urlsafe(32)}"


@transaction.atomic
def api_client_create(*, municipality, name: str, scopes: list[str], created_by) -> tuple[ApiClient, str]:
    """A new client of the municipality and its key; the key is returned here once and never stored."""
    name = name.strip()
    unknown = set(scopes) - set(ApiClient.Scope.values)
    if not name:
        raise ValidationError({"name": _("Give the client a name.")})
    if not scopes or unknown:
        raise ValidationError({"scopes": _("Choose what the client may read.")})
    prefix, key = _new_key()
    client = ApiClient.objects.create(
        municipality=municipality,
        name=name,
        key_prefix=prefix,
        key_hash=ApiClient.hash_key(key),
        scopes=[s for s in ApiClient.Scope.values if s in scopes],
        created_by=created_by,
    )
    return client, key


def api_client_revoke(*, client: ApiClient, now=None) -> bool:
    """Revoke the key (a conditional UPDATE: idempotent); False when it was already revoked."""
    now = now or timezone.now()
    revoked = ApiClient.objects.filter(pk=client.pk, revoked_at__isnull=True).update(revoked_at=now)
    if revoked:
        client.revoked_at = now
    return bool(revoked)


def api_client_touch(*, client: ApiClient, now=None) -> None:
    """Note that the key was used: one UPDATE at most a minute, none when it was noted just now."""
    now = now or timezone.now()
    if client.last_used_at and client.last_used_at > now - TOUCH_EVERY:
        return
    ApiClient.objects.filter(pk=client.pk).filter(
        Q(last_used_at__isnull=True) | Q(last_used_at__lte=now - TOUCH_EVERY)
    ).update(last_used_at=now)
    client.last_used_at = now
