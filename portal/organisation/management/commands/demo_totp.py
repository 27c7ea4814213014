"""``manage.py demo_totp [email]``: the current MFA code of the demo staff and administrator logins."""

from django.core.management.base import BaseCommand, CommandError

from portal.demo.personas import current_totp_code, mfa_personas, totp_seconds_left


class Command(BaseCommand):
    help = "Print the current 6-digit TOTP code of each demo login with MFA (their secrets are published)."

    def add_arguments(self, parser):
        parser.add_argument("email", nargs="?", help="Only this demo login, e.g. carla@demo.test.")

    def handle(self, *, email, **options):
        personas = mfa_personas()
        if email:
            personas = [p for p in personas if p.email == email.strip().lower()]
            if not personas:
                known = ", ".join(p.email for p in mfa_personas())
                raise CommandError(f"{email} is not a demo login with MFA. Try one of: {known}.")
        left = totp_seconds_left()
        for persona in personas:
            code = current_totp_code(persona.totp_secret)
            self.stdout.write(f"{persona.email:<18} {code}  ({left} s left)")
