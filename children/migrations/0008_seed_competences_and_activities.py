"""Every municipality gets the suggested competence framework and home activity library."""

from django.db import migrations


def seed(apps, schema_editor):
    from children.seed import load

    models = {name: apps.get_model("children", name) for name in ("Competence", "CompetenceAdvice", "HomeActivity")}
    for municipality_id in apps.get_model("organisation", "Municipality").objects.values_list("pk", flat=True):
        load(municipality_id=municipality_id, **models)


class Migration(migrations.Migration):
    dependencies = [
        ("children", "0007_language_assessments"),
        ("organisation", "0001_initial"),
    ]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
