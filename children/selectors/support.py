"""What the child page shows of the competence framework and language assessments."""

from children.models import CompetenceAdvice
from children.selectors.competences import child_competences, focus_point_links
from children.selectors.language import child_assessments


def child_support(child, *, guardian: bool, goals=(), plans=()) -> dict:
    """The advice for the child's age band (for parents, or for professionals when staff read the
    page), with the shown goals and the focus points of ``plans`` (the plans the viewer may open;
    families as published) linked to each competence, and the child's language assessments. Four
    queries."""
    audience = CompetenceAdvice.Audience.PARENTS if guardian else CompetenceAdvice.Audience.PROFESSIONALS
    pupil_plans = [p.pk for p in plans if p.is_pupil_plan]
    focus_points = focus_point_links(pupil_plans, published=guardian)
    return {
        **child_competences(child, audience=audience, goals=goals, focus_points=focus_points),
        "language_assessments": child_assessments(child),
    }
