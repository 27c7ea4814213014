"""MFA secrets at rest: TOTP secrets and recovery-code seeds are stored encrypted with keys kept apart
from the database, logging in with TOTP still works, rows written in clear are encrypted by a
migration, and the keys can be rotated without locking anyone out."""

import importlib
import time
from io import StringIO

import pytest
from allauth.mfa.adapter import get_adapter
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
from cryptography.fernet import Fernet, InvalidToken
from django.apps import apps
from django.core.checks import run_checks
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse

from tests import factories as f
from tests.conftest import TOTP_SECRET

migration = importlib.import_module("portal.accounts.migrations.0004_encrypt_mfa_secrets")

KEY_A, KEY_B = Fernet.generate_key().decode(), Fernet.generate_key().decode()
SEED = "5eed" * 20  # what RecoveryCodes.generate_seed makes: 80 hex digits


def table_text() -> str:
    """Every column of every row of the authenticator table."""
    return repr(list(Authenticator.objects.values_list()))


def current_code() -> str:
    return format_hotp_value(hotp_value(TOTP_SECRET, int(time.time()) // 30))


def stored(user, kind) -> dict:
    return Authenticator.objects.get(user=user, type=kind).data


def test_activating_totp_and_recovery_codes_stores_no_secret_in_clear(cast):
    RecoveryCodes.activate(cast.carla)  # Carla's TOTP is activated by the cast
    seed = get_adapter().decrypt(stored(cast.carla, "recovery_codes")["seed"])

    text = table_text()
    assert TOTP_SECRET not in text and seed not in text
    assert stored(cast.carla, "totp")["secret"].startswith("fernet:")
    assert stored(cast.carla, "recovery_codes")["seed"].startswith("fernet:")


def test_carla_logs_in_with_her_totp_code(client, cast):
    client.post(reverse("account_login"), {"login": cast.carla.email, "password": "correct-horse-battery"})
    response = client.post(reverse("mfa_authenticate"), {"code": current_code()})

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(cast.carla.pk)


def test_the_recovery_codes_work_from_the_encrypted_seed(cast):
    codes = RecoveryCodes.activate(cast.carla).generate_codes()

    authenticator = Authenticator.objects.get(user=cast.carla, type="recovery_codes")
    assert RecoveryCodes(authenticator).validate_code(codes[0])
    assert not RecoveryCodes(authenticator).validate_code(codes[0])


def test_the_migration_encrypts_secrets_written_in_clear_and_can_undo_it(db):
    anna, bo = f.UserFactory(), f.UserFactory()
    Authenticator.objects.create(user=anna, type="totp", data={"secret": TOTP_SECRET})
    Authenticator.objects.create(
        user=anna, type="recovery_codes", data={"seed": SEED, "used_mask": 0, "migrated_codes": ["12345678"]}
    )
    Authenticator.objects.create(user=bo, type="recovery_codes", data={"seed": SEED, "used_mask": 5})
    codes = RecoveryCodes(Authenticator.objects.get(user=bo)).generate_codes()

    migration.encrypt_clear_secrets(apps, connection.schema_editor())

    text = table_text()
    assert TOTP_SECRET not in text and SEED not in text and "12345678" not in text
    assert stored(anna, "recovery_codes")["migrated_codes"][0].startswith("fernet:")
    assert stored(bo, "recovery_codes")["used_mask"] == 5
    assert TOTP(Authenticator.objects.get(user=anna, type="totp")).validate_code(current_code())
    assert RecoveryCodes(Authenticator.objects.get(user=bo)).generate_codes() == codes

    # Run again, nothing is encrypted twice; backwards, everything is in clear as before.
    before = stored(anna, "totp")
    migration.encrypt_clear_secrets(apps, connection.schema_editor())
    assert stored(anna, "totp") == before
    migration.decrypt_secrets(apps, connection.schema_editor())
    assert stored(anna, "totp") == {"secret": TOTP_SECRET}
    assert stored(anna, "recovery_codes")["migrated_codes"] == ["12345678"]
    assert stored(bo, "recovery_codes") == {"seed": SEED, "used_mask": 5}


def test_during_a_rotation_old_and_new_keys_decrypt_and_the_command_moves_every_row_to_the_new_key(
    db, settings
):
    settings.MFA_ENCRYPTION_KEYS = [KEY_A]
    erik = f.UserFactory()
    TOTP.activate(erik, TOTP_SECRET)
    seed = get_adapter().decrypt(RecoveryCodes.activate(erik).instance.data["seed"])

    # Step 1: the new key first, the old one after it. Rows written with A still decrypt.
    settings.MFA_ENCRYPTION_KEYS = [KEY_B, KEY_A]
    assert get_adapter().decrypt(stored(erik, "totp")["secret"]) == TOTP_SECRET
    call_command("rotate_mfa_keys", stdout=(out := StringIO()))
    assert "Re-encrypted 2 authenticator(s); 0 already" in out.getvalue()

    # Step 2: B alone decrypts everything; A alone no longer does.
    settings.MFA_ENCRYPTION_KEYS = [KEY_B]
    assert get_adapter().decrypt(stored(erik, "totp")["secret"]) == TOTP_SECRET
    assert get_adapter().decrypt(stored(erik, "recovery_codes")["seed"]) == seed
    assert TOTP(Authenticator.objects.get(user=erik, type="totp")).validate_code(current_code())
    settings.MFA_ENCRYPTION_KEYS = [KEY_A]
    with pytest.raises(InvalidToken):
        get_adapter().decrypt(stored(erik, "totp")["secret"])

    # Running it again changes nothing.
    settings.MFA_ENCRYPTION_KEYS = [KEY_B, KEY_A]
    before = list(Authenticator.objects.order_by("pk").values_list("data", flat=True))
    call_command("rotate_mfa_keys", stdout=(out := StringIO()))
    assert "Re-encrypted 0 authenticator(s); 2 already" in out.getvalue()
    assert list(Authenticator.objects.order_by("pk").values_list("data", flat=True)) == before


def test_rotating_without_the_old_key_fails_and_changes_nothing(db, settings):
    settings.MFA_ENCRYPTION_KEYS = [KEY_A]
    TOTP.activate(f.UserFactory(), TOTP_SECRET)
    TOTP.activate(f.UserFactory(), TOTP_SECRET)
    Authenticator.objects.filter(pk=Authenticator.objects.order_by("pk").first().pk).update(
        data={"secret": TOTP_SECRET}  # one row still in clear: the command would encrypt it
    )
    before = list(Authenticator.objects.order_by("pk").values_list("data", flat=True))

    settings.MFA_ENCRYPTION_KEYS = [KEY_B]
    with pytest.raises(CommandError, match="none of the keys"):
        call_command("rotate_mfa_keys")

    assert list(Authenticator.objects.order_by("pk").values_list("data", flat=True)) == before


def test_without_keys_a_new_secret_key_decrypts_while_the_old_one_is_a_fallback(db, settings):
    settings.MFA_ENCRYPTION_KEYS = []
    old = settings.SECRET_KEY
    user = f.UserFactory()
    TOTP.activate(user, TOTP_SECRET)

    settings.SECRET_KEY, settings.SECRET_KEY_FALLBACKS = "a-new-secret-key-" + "x" * 40, [old]
    assert get_adapter().decrypt(stored(user, "totp")["secret"]) == TOTP_SECRET
    call_command("rotate_mfa_keys", stdout=StringIO())
    settings.SECRET_KEY_FALLBACKS = []
    assert get_adapter().decrypt(stored(user, "totp")["secret"]) == TOTP_SECRET


def test_a_key_that_is_not_a_fernet_key_is_a_configuration_error(settings):
    settings.MFA_ENCRYPTION_KEYS = [KEY_A, "not-a-key"]

    ids = [message.id for message in run_checks()]

    assert "portal.E001" in ids
    settings.MFA_ENCRYPTION_KEYS = [KEY_A]
    assert "portal.E001" not in [message.id for message in run_checks()]


def test_the_deploy_check_warns_when_the_keys_come_from_secret_key(settings):
    settings.MFA_ENCRYPTION_KEYS = []
    assert "portal.W001" in [m.id for m in run_checks(include_deployment_checks=True)]
    settings.MFA_ENCRYPTION_KEYS = [KEY_A]
    assert "portal.W001" not in [m.id for m in run_checks(include_deployment_checks=True)]
