"""Every write to a municipality's competence framework. Administrators' changes are kept, text before
and after, in ``CompetenceChange``: the framework's own audit trail (it holds no child's data, so the
access log is not the place)."""

from django.db import transaction
from django.utils import timezone

from children import seed
from children.models import AgeBand, Competence, CompetenceAdvice, CompetenceChange, HomeActivity

COMPETENCE_FIELDS = ("name_da", "name_en", "description_da", "description_en")


@transaction.atomic
def competence_framework_seed(*, municipality) -> tuple[int, int]:
    """Give the municipality what is missing of the suggested framework and library (idempotent; what
    exists, perhaps edited, is left alone). Returns (competences added, activities added)."""
    return seed.load(
        municipality_id=municipality.pk,
        Competence=Competence,
        CompetenceAdvice=CompetenceAdvice,
        HomeActivity=HomeActivity,
    )


def _record(*, competence, user, changes: list[tuple[str, str, str]], now) -> None:
    CompetenceChange.objects.bulk_create(
        CompetenceChange(
            competence=competence,
            field=field,
            before=before,
            after=after,
            changed_by=user,
            changed_by_name=user.get_full_name() or user.email,
            changed_at=now,
        )
        for field, before, after in changes
    )


@transaction.atomic
def competence_update(*, user, competence: Competence, **fields) -> Competence:
    """Change a competence's name and description; locks the row, saves only what changed and keeps
    each change with who made it."""
    competence = Competence.objects.select_for_update().get(pk=competence.pk)
    changes = [
        (name, getattr(competence, name), fields[name])
        for name in COMPETENCE_FIELDS
        if name in fields and getattr(competence, name) != fields[name]
    ]
    if changes:
        for name, _before, after in changes:
            setattr(competence, name, after)
        competence.full_clean()
        competence.save(update_fields=[name for name, _b, _a in changes] + ["updated_at"])
        _record(competence=competence, user=user, changes=changes, now=timezone.now())
    return competence


@transaction.atomic
def competence_advice_update(
    *, user, competence: Competence, age_band: str, texts: dict[tuple[str, str], str]
) -> list[CompetenceAdvice]:
    """Save the advice of one age band: ``texts`` maps (audience, language) to the text. Locks the
    competence, so two administrators' saves of one band follow each other; keeps each change."""
    competence = Competence.objects.select_for_update().get(pk=competence.pk)
    band = AgeBand(age_band)
    existing = {a.audience: a for a in CompetenceAdvice.objects.filter(competence=competence, age_band=band)}
    changes, saved = [], []
    for audience in CompetenceAdvice.Audience.values:
        advice = existing.get(audience) or CompetenceAdvice(
            competence=competence, age_band=band, audience=audience, text_da="", text_en=""
        )
        changed = []
        for language in ("da", "en"):
            key = (audience, language)
            name = f"text_{language}"
            if key in texts and getattr(advice, name) != texts[key]:
                changes.append((f"{band.value} {audience} {name}", getattr(advice, name), texts[key]))
                setattr(advice, name, texts[key])
                changed.append(name)
        if changed:
            advice.full_clean()
            advice.save()
        saved.append(advice)
    if changes:
        Competence.objects.filter(pk=competence.pk).update(updated_at=timezone.now())
        _record(competence=competence, user=user, changes=changes, now=timezone.now())
    return saved
