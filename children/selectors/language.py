"""Reads of language assessments, their home language plans and the to-dos they give, each in a fixed
number of queries."""

from datetime import date, timedelta

from django.db.models import Exists, F, OuterRef, Prefetch
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext as _

from children.models import (
    Enrollment,
    Guardianship,
    HomeActivity,
    HomeActivityTry,
    HomeLanguagePlan,
    LanguageAssessment,
    LanguageObservation,
)
from children.models.competences import age_in_years
from portal.access import staff_enrollment_scope
from portal.meetings.models import Meeting
from portal.statements import Statement, related_columns
from portal.todos import CHILD_FIELDS, LIMIT, ChildRef, Todo

FOLLOW_UP_WINDOW_DAYS = 14  # the staff home shows home plan follow-ups due within two weeks
TRIES_SHOWN = 10
DETAIL = "children:language_assessment_detail"


_ASSESSMENTS = Statement(
    lambda user, *, child: (
        LanguageAssessment.objects.filter(child_id=child)
        .order_by("-created_at", "-pk")
        .values(*related_columns(LanguageAssessment, "institution"))
    ),
    child=int,
)


def child_assessments(child) -> list[LanguageAssessment]:
    """The child's language assessments, newest first, with their place. One query."""
    return _ASSESSMENTS.objects(None, LanguageAssessment, "institution", child=child.pk)


def assessment_page(assessment: LanguageAssessment) -> dict:
    """What the assessment's page shows: the parents' observations, the talk, the home plan with its
    activities and the latest "how it went". Four queries at most."""
    observation = LanguageObservation.objects.filter(assessment=assessment).first()
    meeting = (
        Meeting.objects.filter(pk=assessment.meeting_id).first()
        if assessment.meeting_id is not None
        else None
    )
    plan = (
        HomeLanguagePlan.objects.filter(assessment=assessment)
        .prefetch_related(
            Prefetch("activities", queryset=HomeActivity.objects.order_by("age_from", "code")),
            Prefetch(
                "tries",
                queryset=HomeActivityTry.objects.select_related("activity").order_by("-at", "-pk"),
                to_attr="recent_tries",
            ),
        )
        .first()
    )
    if plan is not None:
        plan.recent_tries = plan.recent_tries[:TRIES_SHOWN]
    return {"observation": observation, "meeting": meeting, "plan": plan}


def plan_suggestions(
    assessment: LanguageAssessment, observation: LanguageObservation | None
) -> list[HomeActivity]:
    """Library activities for the home language plan: those that suit the result, the child's age at the
    assessment and the family's languages (when Danish is not spoken at home, those that work in any
    language). One query; the library is small, so the result is matched in Python."""
    activities = HomeActivity.objects.active().filter(municipality_id=assessment.institution.municipality_id)
    years = age_in_years(assessment.child.birth_date, assessment.assessed_on)
    if years is not None:
        activities = activities.for_age(years)
    danish = observation is None or observation.danish_at_home
    return [
        a
        for a in activities.order_by("theme", "subject", "age_from", "code")
        if a.suits(assessment.result) and (danish or a.any_language)
    ]


# ---------------------------------------------------------------------------------------------------
# To-dos for the homes (portal.todos)
# ---------------------------------------------------------------------------------------------------
def _awaiting_observations(user):
    return (
        LanguageAssessment.objects.filter(
            child__in=Guardianship.objects.active().filter(user=user, has_custody=True).values("child_id"),
            result="",
            observation__isnull=True,
        )
        .order_by(F("planned_on").asc(nulls_last=True), "pk")
        .values("pk", "planned_on", *CHILD_FIELDS)[:LIMIT]
    )


def _follow_ups_due(user, *, until):
    writes_here = Enrollment.objects.current().filter(
        staff_enrollment_scope(user, writing=True),
        child_id=OuterRef("assessment__child_id"),
        institution_id=OuterRef("assessment__institution_id"),
    )
    return (
        HomeLanguagePlan.objects.filter(
            Exists(writes_here), followed_up_at__isnull=True, follow_up_on__lte=until
        )
        .order_by("follow_up_on", "pk")
        .values("assessment_id", "follow_up_on", *(f"assessment__{name}" for name in CHILD_FIELDS))[:LIMIT]
    )


_AWAITING_OBSERVATIONS = Statement(_awaiting_observations)
_FOLLOW_UPS_DUE = Statement(_follow_ups_due, until=date)


def observation_todos(user) -> list[Todo]:
    """Per child of this parent with custody: language assessments waiting for the parents'
    observations (no answers yet, no result yet), soonest planned first. One query."""
    return [
        Todo(
            kind="language",
            title=_("Tell us about %(name)s's language before the assessment")
            % {"name": row["child__first_name"]},
            url=reverse_lazy("children:language_observation", args=[row["pk"]]),
            action=_("Answer a few questions"),
            deadline=row["planned_on"],
            child=ChildRef.of(row),
        )
        for row in _AWAITING_OBSERVATIONS.rows(user)
    ]


def follow_up_todos(user, *, now=None) -> list[Todo]:
    """Home language plans whose follow-up is due within two weeks (or overdue) and not done, for the
    children this staff member writes for at the assessment's place, soonest first. One query."""
    until = timezone.localdate(now) + timedelta(days=FOLLOW_UP_WINDOW_DAYS)
    return [
        Todo(
            kind="language",
            title=_("Follow up on %(name)s's home language plan")
            % {"name": row["assessment__child__first_name"]},
            url=format_lazy(
                "{}#home-plan",
                reverse_lazy("children:language_assessment_detail", args=[row["assessment_id"]]),
            ),
            action=_("Follow up"),
            deadline=row["follow_up_on"],
            child=ChildRef.of(row, prefix="assessment__child"),
        )
        for row in _FOLLOW_UPS_DUE.rows(user, until=until)
    ]
