"""Every existing municipality gets the list of youth educations as named in 2026 (its own copy to edit).
Municipalities made later get theirs when first needed (``services.education.youth_educations_ensure``)."""

from django.db import migrations

NAMES = (
    "Gymnasium (stx)",
    "Handelsgymnasium (hhx)",
    "Teknisk gymnasium (htx)",
    "Hf",
    "Erhvervsuddannelse (eud)",
    "Eux (erhvervsuddannelse med studenterniveau)",
    "Forberedende grunduddannelse (FGU)",
    "10. klasse på efterskole",
    "Særligt tilrettelagt ungdomsuddannelse (STU)",
    "Arbejde eller noget andet",
)


def seed(apps, schema_editor):
    Municipality = apps.get_model("organisation", "Municipality")
    YouthEducation = apps.get_model("transitions", "YouthEducation")
    YouthEducation.objects.bulk_create(
        [
            YouthEducation(municipality_id=pk, name=name, position=position)
            for pk in Municipality.objects.values_list("pk", flat=True)
            for position, name in enumerate(NAMES, start=1)
        ],
        ignore_conflicts=True,
    )


def unseed(apps, schema_editor):
    YouthEducation = apps.get_model("transitions", "YouthEducation")
    YouthEducation.objects.filter(name__in=NAMES, wishes__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("transitions", "0002_education_plans")]

    operations = [migrations.RunPython(seed, unseed)]
