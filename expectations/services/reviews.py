"""Writes for policy expectation reviews."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from expectations.models import ReflectionQuestion, ReviewRound, ReviewTheme

# The default reflection questions, written for this portal after the three themes of KL 2017.
# A round gets a copy the administrator can edit.
DEFAULT_QUESTIONS = [
    (
        ReviewTheme.SHARED_RESPONSIBILITY,
        "Hvordan ved forældrene hos jer, hvad I forventer af dem – og hvad de kan forvente af jer?",
    ),
    (
        ReviewTheme.SHARED_RESPONSIBILITY,
        "Hvilke konkrete forventninger har I til forældrene, fx om sprog, læsning og legeaftaler?",
    ),
    (
        ReviewTheme.SHARED_RESPONSIBILITY,
        "Hvordan afstemmer I forventningerne med den enkelte familie, "
        "så de passer til dens ønsker og muligheder?",
    ),
    (
        ReviewTheme.COLLABORATION,
        "Hvordan kan alle forældre tage aktivt del i samarbejdet om deres barns læring og trivsel?",
    ),
    (
        ReviewTheme.COLLABORATION,
        "Hvordan tilpasser I samarbejdet til familier med forskellige behov, sprog og ressourcer?",
    ),
    (ReviewTheme.COLLABORATION, "Hvordan får forældrene konkrete idéer til, hvad de kan gøre derhjemme?"),
    (
        ReviewTheme.COHERENCE,
        "Hvordan hænger samarbejdet med forældrene sammen på tværs af sundhedspleje, dagtilbud, skole og UU?",
    ),
    (ReviewTheme.COHERENCE, "Hvordan følger relevant viden barnet ved overgange – med forældrenes samtykke?"),
    (ReviewTheme.COHERENCE, "Hvad er jeres næste skridt?"),
]


@transaction.atomic
def review_round_create(*, municipality, title, period_start, period_end, created_by, answers_due_on=None):
    """Create a round in preparation with the default reflection questions, compared with the last round."""
    if period_end < period_start:
        raise ValidationError({"period_end": _("The period must end after it starts.")})
    previous = ReviewRound.objects.filter(municipality=municipality).order_by("-period_end").first()
    review = ReviewRound.objects.create(
        municipality=municipality,
        title=title,
        period_start=period_start,
        period_end=period_end,
        answers_due_on=answers_due_on,
        previous=previous,
        created_by=created_by,
    )
    ReflectionQuestion.objects.bulk_create(
        ReflectionQuestion(round=review, theme=theme, text=text, position=position)
        for position, (theme, text) in enumerate(DEFAULT_QUESTIONS)
    )
    return review
