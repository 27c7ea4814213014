# ruff: noqa: S106
# (The TOTP secrets below are published on purpose, for demo databases only.)
"""The named demo logins. They mirror the test cast in ``tests/conftest.py``.

Every persona signs in with ``DEMO_PASSWORD``. Staff and administrators must use MFA, so each of
them has a fixed, published TOTP secret (the base32 encoding of ``godtpaavej-<name>`` padded with
``-`` to 20 bytes). ``python manage.py demo_totp`` prints the current codes; browser tests call
``current_totp_code()``. These secrets are public: never load the demo data into production.
"""

import time
from dataclasses import dataclass

from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

DEMO_PASSWORD = "godtpaavej-demo"  # noqa: S105 - published on purpose, demo databases only


@dataclass(frozen=True)
class Persona:
    key: str
    email: str
    first_name: str
    last_name: str
    role: str  # how the logins table describes the persona (English, developer-facing)
    totp_secret: str | None = None
    password: str = DEMO_PASSWORD

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


PERSONAS: dict[str, Persona] = {
    p.key: p
    for p in (
        Persona("anna", "anna@demo.test", "Anna", "Jensen", "mother of Emil (custody), Aarhus"),
        Persona("mikkel", "mikkel@demo.test", "Mikkel", "Jensen", "father of Emil, without custody"),
        Persona("bo", "bo@demo.test", "Bo", "Nielsen", "father of Freja (1.A, Skovvangskolen)"),
        Persona(
            "carla", "carla@demo.test", "Carla", "Hansen", "pedagogue, Mariehønen at Børnehuset Solsikken",
            totp_secret="M5XWI5DQMFQXMZLKFVRWC4TMMEWS2LJN",
        ),
        Persona(
            "lene", "lene@demo.test", "Lene", "Schmidt", "leader of Børnehuset Solsikken",
            totp_secret="M5XWI5DQMFQXMZLKFVWGK3TFFUWS2LJN",
        ),
        Persona(
            "dorte", "dorte@demo.test", "Dorte", "Madsen", "teacher of 0.A and 1.A at Skovvangskolen",
            totp_secret="M5XWI5DQMFQXMZLKFVSG64TUMUWS2LJN",
        ),
        Persona(
            "sofie", "sofie@demo.test", "Sofie", "Christensen", "health visitor, caseload Sundhedspleje Vest",
            totp_secret="M5XWI5DQMFQXMZLKFVZW6ZTJMUWS2LJN",
        ),
        Persona(
            "erik", "erik@demo.test", "Erik", "Larsen", "municipal administrator, Aarhus Kommune",
            totp_secret="M5XWI5DQMFQXMZLKFVSXE2LLFUWS2LJN",
        ),
        Persona(
            "frida", "frida@demo.test", "Frida", "Poulsen", "municipal administrator, Skanderborg Kommune",
            totp_secret="M5XWI5DQMFQXMZLKFVTHE2LEMEWS2LJN",
        ),
    )
}  # fmt: skip


def mfa_personas() -> list[Persona]:
    """The staff and administrator personas, who have TOTP set up."""
    return [p for p in PERSONAS.values() if p.totp_secret]


def current_totp_code(secret: str, *, at: float | None = None) -> str:
    """The 6-digit code an authenticator app shows for ``secret`` now (or at the Unix time ``at``)."""
    counter = int(time.time() if at is None else at) // mfa_settings.TOTP_PERIOD
    return format_hotp_value(hotp_value(secret, counter))


def totp_seconds_left(*, at: float | None = None) -> int:
    """Seconds until the current TOTP window closes and the code changes."""
    period = mfa_settings.TOTP_PERIOD
    return period - int(time.time() if at is None else at) % period
