"""Encrypt the TOTP secrets and recovery-code seeds that were stored in clear (portal/accounts/mfa.py)."""

from django.db import migrations

from portal.accounts import mfa


def encrypt_clear_secrets(apps, schema_editor):
    """Encrypt every secret that has no ``fernet:`` prefix; encrypted ones are left as they are."""
    Authenticator = apps.get_model("mfa", "Authenticator")
    fernet = mfa.fernet()

    def encrypt(value):
        return value if mfa.is_encrypted(value) else mfa.encrypt(value, with_fernet=fernet)

    for authenticator in Authenticator.objects.filter(type__in=list(mfa.SECRET_FIELDS)).order_by("pk"):
        data = mfa.map_secrets(authenticator.type, authenticator.data, encrypt)
        if data != authenticator.data:
            authenticator.data = data
            authenticator.save(update_fields=["data"])


def decrypt_secrets(apps, schema_editor):
    """The way back: every secret in clear again, as allauth without the portal's adapter reads it."""
    Authenticator = apps.get_model("mfa", "Authenticator")
    fernet = mfa.fernet()
    for authenticator in Authenticator.objects.filter(type__in=list(mfa.SECRET_FIELDS)).order_by("pk"):
        data = mfa.map_secrets(
            authenticator.type, authenticator.data, lambda value: mfa.decrypt(value, with_fernet=fernet)
        )
        if data != authenticator.data:
            authenticator.data = data
            authenticator.save(update_fields=["data"])


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_user_notification_channels"),
        ("mfa", "0003_authenticator_type_uniq"),
    ]

    operations = [migrations.RunPython(encrypt_clear_secrets, decrypt_secrets)]
