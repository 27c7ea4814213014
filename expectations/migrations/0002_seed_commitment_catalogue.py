"""The national catalogue of suggested commitments, from KL 2017's examples (municipalities add their own)."""

from django.db import migrations

DAYCARE = ["childminding", "nursery", "kindergarten", "integrated"]
SCHOOL = ["school", "after_school"]

# (side, text, how often, age from months, age to months, institution kinds)
SUGGESTIONS = [
    ("family", "Læse højt for barnet", "hver dag", 6, 96, []),
    ("family", "Tale med barnet om dagen ved aftensmaden", "hver dag", 18, None, []),
    ("family", "Lære navnene på alle børnene i stuen eller klassen", "i de første uger", 24, 120, DAYCARE + SCHOOL),
    ("family", "Lave legeaftaler med forskellige børn fra gruppen", "en gang om måneden", 36, 144, DAYCARE + SCHOOL),
    ("family", "Se læringsplanen igennem før en samtale", "før hver samtale", None, None, []),
    ("family", "Sige til, hvis der sker noget derhjemme, som påvirker barnet", "når det sker", None, None, []),
    ("family", "Tale med barnet om det, klassen arbejder med", "hver uge", 72, None, SCHOOL),
    ("family", "Være med til forældremøder og byde nye forældre velkommen", "ved hvert møde", None, None, []),
    ("institution", "Fortælle jer, hvad jeres barn arbejder med", "hver måned", None, None, []),
    ("institution", "Tilbyde tolk til samtaler og møder", "ved hver samtale", None, None, []),
    ("institution", "Ringe til jer, før en bekymring vokser", "når det er nødvendigt", None, None, []),
    ("institution", "Give konkrete idéer til, hvad I kan gøre derhjemme", "hver måned", None, None, []),
    ("institution", "Invitere til en samtale om barnets trivsel og læring", "to gange om året", None, None, []),
    ("institution", "Tage imod nye forældre og vise dem rundt", "ved start", None, None, DAYCARE + SCHOOL),
]


def add(apps, schema_editor):
    CommitmentSuggestion = apps.get_model("expectations", "CommitmentSuggestion")
    CommitmentSuggestion.objects.bulk_create(
        CommitmentSuggestion(
            municipality=None,
            side=side,
            text=text,
            how_often=how_often,
            age_from_months=age_from,
            age_to_months=age_to,
            institution_kinds=kinds,
            position=position,
        )
        for position, (side, text, how_often, age_from, age_to, kinds) in enumerate(SUGGESTIONS)
    )


def remove(apps, schema_editor):
    CommitmentSuggestion = apps.get_model("expectations", "CommitmentSuggestion")
    CommitmentSuggestion.objects.filter(municipality=None, text__in=[s[1] for s in SUGGESTIONS]).delete()


class Migration(migrations.Migration):
    dependencies = [("expectations", "0001_charter_and_agreements")]

    operations = [migrations.RunPython(add, remove)]
