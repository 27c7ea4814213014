"""MFA secrets at rest: TOTP secrets and recovery-code seeds are stored encrypted with Fernet.

The keys come from MFA_ENCRYPTION_KEYS (the first encrypts, every one decrypts), kept apart from the
database. Without it one key is derived from SECRET_KEY (and one from each SECRET_KEY_FALLBACKS), so a
development setup needs nothing. Stored values start with ``fernet:``, which tells an encrypted value
from one written in clear before encryption existed.
"""

import base64

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.utils.crypto import salted_hmac

PREFIX = "fernet:"
# The values in Authenticator.data that are secret, per authenticator type.
SECRET_FIELDS = {"totp": ("secret",), "recovery_codes": ("seed", "migrated_codes")}


def _derived_key(secret_key: str) -> bytes:
    digest = salted_hmac("portal.accounts.mfa", "fernet", secret=secret_key, algorithm="sha256").digest()
    return base64.urlsafe_b64encode(digest)


def encryption_keys() -> list[bytes]:
    """The Fernet keys in use, the one that encrypts first."""
    if settings.MFA_ENCRYPTION_KEYS:
        return [key.encode() for key in settings.MFA_ENCRYPTION_KEYS]
    return [_derived_key(key) for key in [settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS]]


def fernet(keys: list[bytes] | None = None) -> MultiFernet:
    return MultiFernet([Fernet(key) for key in keys or encryption_keys()])


def is_encrypted(value: str) -> bool:
    return value.startswith(PREFIX)


def encrypt(text: str, *, with_fernet: MultiFernet | None = None) -> str:
    token = (with_fernet or fernet()).encrypt(text.encode())
    return PREFIX + token.decode()


def decrypt(value: str, *, with_fernet: MultiFernet | None = None) -> str:
    """The clear text; a value without the prefix is returned as it is (written before encryption)."""
    if not is_encrypted(value):
        return value
    return (with_fernet or fernet()).decrypt(value.removeprefix(PREFIX).encode()).decode()


def is_current(value: str, keys: list[bytes]) -> bool:
    """True if the value is encrypted under the first key (nothing to rotate)."""
    if not is_encrypted(value):
        return False
    try:
        Fernet(keys[0]).decrypt(value.removeprefix(PREFIX).encode())
    except InvalidToken:
        return False
    return True


def secret_values(kind: str, data: dict) -> list[str]:
    """The secret values in an authenticator's data."""
    values = []
    for field in SECRET_FIELDS.get(kind, ()):
        value = data.get(field)
        values.extend([value] if isinstance(value, str) else value or [])
    return values


def map_secrets(kind: str, data: dict, change) -> dict:
    """A copy of an authenticator's data with `change` applied to each secret value in it."""
    data = dict(data)
    for field in SECRET_FIELDS.get(kind, ()):
        value = data.get(field)
        if isinstance(value, str):
            data[field] = change(value)
        elif isinstance(value, list):
            data[field] = [change(item) for item in value]
    return data


def rotate(value: str, *, with_fernet: MultiFernet) -> str:
    """The value encrypted under the first key: encrypted values are re-encrypted, clear ones encrypted."""
    if not is_encrypted(value):
        return encrypt(value, with_fernet=with_fernet)
    return PREFIX + with_fernet.rotate(value.removeprefix(PREFIX).encode()).decode()
