"""``manage.py seed_competences``: give municipalities the suggested competence framework and home
activity library (what they miss of it; nothing they changed is touched)."""

from django.core.management.base import BaseCommand, CommandError

from children.services.competences import competence_framework_seed
from portal.organisation.models import Municipality


class Command(BaseCommand):
    help = "Add what is missing of the suggested competences and home activities to every municipality."

    def add_arguments(self, parser):
        parser.add_argument("--municipality", help="Only this municipality (its three-digit code).")

    def handle(self, *, municipality, **options):
        municipalities = Municipality.objects.order_by("code")
        if municipality:
            municipalities = municipalities.filter(code=municipality)
            if not municipalities:
                raise CommandError(f"No municipality has the code {municipality}.")
        for m in municipalities:
            competences, activities = competence_framework_seed(municipality=m)
            self.stdout.write(
                f"{m.code} {m.name}: {competences} competences and {activities} activities added"
            )
