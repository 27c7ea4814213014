"""System checks for the MFA encryption keys (`manage.py check`, `check --deploy`)."""

from cryptography.fernet import Fernet
from django.conf import settings
from django.core.checks import Error, Tags, Warning, register


@register(Tags.security)
def check_mfa_encryption_keys(app_configs, **kwargs):
    errors = []
    for position, key in enumerate(settings.MFA_ENCRYPTION_KEYS, start=1):
        try:
            Fernet(key.encode())
        except ValueError:
            errors.append(
                Error(
                    f"Key {position} in MFA_ENCRYPTION_KEYS is not a Fernet key.",
                    hint="Make one with: python -c 'from cryptography.fernet import Fernet; "
                    "print(Fernet.generate_key().decode())'",
                    id="portal.E001",
                )
            )
    return errors


@register(Tags.security, deploy=True)
def check_mfa_encryption_keys_deploy(app_configs, **kwargs):
    if settings.MFA_ENCRYPTION_KEYS:
        return []
    return [
        Warning(
            "MFA_ENCRYPTION_KEYS is not set: the MFA secrets are encrypted with a key derived from "
            "SECRET_KEY, so changing SECRET_KEY locks out everyone with MFA.",
            hint="Set MFA_ENCRYPTION_KEYS to a Fernet key kept apart from the database (README: "
            "Configuration).",
            id="portal.W001",
        )
    ]
