"""What the child page shows of the competence framework and language assessments."""

from children.models import CompetenceAdvice
from children.selectors.competences import child_competences
from children.selectors.language import child_assessments


def child_support(child, *, guardian: bool, goals=()) -> dict:
    """The advice for the child's age band (for parents, or for professionals when staff read the
    page), with the shown goals linked to each competence, and the child's language assessments.
    Three queries."""
    audience = CompetenceAdvice.Audience.PARENTS if guardian else CompetenceAdvice.Audience.PROFESSIONALS
    return {
        **child_competences(child, audience=audience, goals=goals),
        "language_assessments": child_assessments(child),
    }
