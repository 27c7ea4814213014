"""Demo data of the competence framework, the home activity library and language assessments."""

from datetime import timedelta

from children.models import LanguageAssessment
from children.services.competences import competence_framework_seed


def seed_support(*, municipalities, emil, institution, author, today) -> None:
    """Every municipality's suggested framework and library; Emil's language assessment at Solsikken,
    planned in ten days, waiting for his parents' observations (Anna sees it on her home)."""
    for municipality in municipalities:
        competence_framework_seed(municipality=municipality)
    LanguageAssessment.objects.create(
        child=emil,
        institution=institution,
        stage=LanguageAssessment.Stage.AGE_THREE,
        planned_on=today + timedelta(days=10),
        created_by=author,
    )
