"""``manage.py rotate_mfa_keys``: re-encrypt every MFA secret under the first key of MFA_ENCRYPTION_KEYS.

Run it after putting a new key first in MFA_ENCRYPTION_KEYS (the old ones still after it); once it has
run, the old keys can be removed. Safe to run again: rows already under the first key are not touched.
"""

from cryptography.fernet import InvalidToken
from django.core.management.base import BaseCommand, CommandError

from portal.accounts.services import mfa_secrets_rotate


class Command(BaseCommand):
    help = "Re-encrypt every stored MFA secret under the first key of MFA_ENCRYPTION_KEYS."

    def handle(self, *args, **options):
        try:
            rewritten, unchanged = mfa_secrets_rotate()
        except InvalidToken:
            raise CommandError(
                "An MFA secret decrypts with none of the keys in MFA_ENCRYPTION_KEYS: nothing was changed. "
                "Put the key it was encrypted with back in the list (after the new one) and run again."
            ) from None
        self.stdout.write(
            f"Re-encrypted {rewritten} authenticator(s); {unchanged} already used the first key."
        )
