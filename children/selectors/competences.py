"""Reads of the competence framework and the home activity library, each in a fixed number of queries."""

import functools
from dataclasses import dataclass, field

from django.db.models import Count, F, IntegerField, OuterRef, Prefetch, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.urls import reverse

from children.models import (
    AgeBand,
    Competence,
    CompetenceAdvice,
    CompetenceChange,
    FocusPoint,
    HomeActivity,
    HomeActivityTry,
    LearningGoal,
    PlanVersion,
    age_band_of,
)
from portal.statements import Statement, related_columns

CHANGES_SHOWN = 20


@dataclass
class CompetenceCard:
    competence: Competence
    advice: dict = field(default_factory=dict)  # (age band, audience) -> CompetenceAdvice
    goals: list = field(default_factory=list)  # the child's goals that work on it
    focus_points: list = field(default_factory=list)  # the child's focus points that work on it
    shown_advice: CompetenceAdvice | None = None  # the advice a page shows for one band and audience
    rows: list = field(default_factory=list)  # (band, advice for parents, for professionals) per band shown


def framework(municipality, *, bands=None) -> list[CompetenceCard]:
    """The municipality's competences with their advice (for ``bands``, else every band). Two queries."""
    advice = CompetenceAdvice.objects.all()
    if bands is not None:
        advice = advice.filter(age_band__in=bands)
    competences = Competence.objects.filter(municipality=municipality).prefetch_related(
        Prefetch("advice", queryset=advice, to_attr="advice_rows")
    )
    cards = [
        CompetenceCard(c, advice={(a.age_band, a.audience): a for a in c.advice_rows}) for c in competences
    ]
    shown = [AgeBand(b) for b in bands] if bands is not None else list(AgeBand)
    Audience = CompetenceAdvice.Audience
    for card in cards:
        card.rows = [
            (
                band,
                card.advice.get((band.value, Audience.PARENTS)),
                card.advice.get((band.value, Audience.PROFESSIONALS)),
            )
            for band in shown
        ]
    return cards


def competence_page(competence) -> dict:
    """One competence for its administrators: its advice per band and its latest changes. Two queries."""
    advice = {(a.age_band, a.audience): a for a in CompetenceAdvice.objects.filter(competence=competence)}
    changes = list(CompetenceChange.objects.filter(competence=competence)[:CHANGES_SHOWN])
    bands = [
        {
            "band": band,
            "parents": advice.get((band.value, CompetenceAdvice.Audience.PARENTS)),
            "professionals": advice.get((band.value, CompetenceAdvice.Audience.PROFESSIONALS)),
        }
        for band in AgeBand
    ]
    return {"bands": bands, "changes": changes}


@dataclass(frozen=True)
class LinkedFocusPoint:
    """A focus point of one of the child's pupil plans, as the child page links to it."""

    pk: int
    title: str
    plan_id: int

    @property
    def url(self) -> str:
        return f"{reverse('children:plan_detail', args=[self.plan_id])}#focus-{self.pk}"


def focus_point_links(plan_ids, *, published: bool) -> dict[int, list[LinkedFocusPoint]]:
    """Per competence, the focus points of these plans that build it: as the latest published version
    of each plan names them (``published``: what families read), else the live draft (staff). One query
    (none without plans), whatever the number of focus points."""
    plan_ids = list(plan_ids)
    links: dict[int, list[LinkedFocusPoint]] = {}
    if not plan_ids:
        return links
    if published:
        versions = (
            PlanVersion.objects.filter(plan_id__in=plan_ids, number=F("plan__published_number"))
            .order_by("plan_id")
            .values_list("plan_id", "snapshot")
        )
        for plan_id, snapshot in versions:
            for p in snapshot.get("focus_points", []):
                point = LinkedFocusPoint(p["id"], p["title"], plan_id)
                for competence_id in p.get("competences", []):
                    links.setdefault(competence_id, []).append(point)
        return links
    rows = (
        FocusPoint.competences.through.objects.filter(focuspoint__plan_id__in=plan_ids)
        .order_by("focuspoint__plan_id", "focuspoint__created_at", "focuspoint_id")
        .values_list("competence_id", "focuspoint_id", "focuspoint__title", "focuspoint__plan_id")
    )
    for competence_id, pk, title, plan_id in rows:
        links.setdefault(competence_id, []).append(LinkedFocusPoint(pk, title, plan_id))
    return links


_GOAL_LINKS = Statement(
    lambda user, *, child: (
        LearningGoal.competences.through.objects.filter(learninggoal__child_id=child)
        .order_by()
        .values("learninggoal_id", "competence_id")
    ),
    child=int,
)


@functools.cache
def _advice(band: str, audience: str) -> Statement:
    """The advice of a municipality's competences for one age band and audience (a statement each)."""
    return Statement(
        lambda user, *, municipality: (
            CompetenceAdvice.objects.filter(
                competence__municipality_id=municipality, age_band=band, audience=audience
            )
            .order_by("competence__position", "competence__pk")
            .values(*related_columns(CompetenceAdvice, "competence"))
        ),
        municipality=int,
    )


def child_competences(child, *, audience: str, goals=(), focus_points=None) -> dict:
    """For the child page: the child's age band, and per competence of the child's municipality the
    advice for that band and audience, with those of ``goals`` (the goals the page shows, as it shows
    them) that are linked to it, and the focus points of ``focus_points`` ({competence id: focus
    points}, from ``focus_point_links``). Two queries (none for a child not born yet or older than the
    bands)."""
    band = age_band_of(child)
    if band is None:
        return {"competence_band": None, "competence_cards": []}
    advice = _advice(band.value, audience).objects(
        None, CompetenceAdvice, "competence", municipality=child.municipality_id
    )
    shown_goals = {goal.pk: goal for goal in goals}
    links: dict[int, list] = {}
    # The links of all the child's goals (one query, with or without goals), kept for the goals shown.
    for row in _GOAL_LINKS.rows(None, child=child.pk):
        if row["learninggoal_id"] in shown_goals:
            links.setdefault(row["competence_id"], []).append(shown_goals[row["learninggoal_id"]])
    focus_points = focus_points or {}
    cards = [
        CompetenceCard(
            a.competence,
            shown_advice=a,
            goals=links.get(a.competence_id, []),
            focus_points=focus_points.get(a.competence_id, []),
        )
        for a in advice
    ]
    return {"competence_band": band, "competence_cards": cards, "competence_audience": audience}


# ---------------------------------------------------------------------------------------------------
# The library
# ---------------------------------------------------------------------------------------------------
def _count(queryset) -> Coalesce:
    return Coalesce(
        Subquery(queryset.order_by().values("activity_id").annotate(n=Count("pk")).values("n")[:1]),
        Value(0),
        output_field=IntegerField(),
    )


def home_ideas(
    municipality, *, theme="", subject="", competence=None, band=None, text=""
) -> list[HomeActivity]:
    """The municipality's activities that match the filters, each with its competences and with how
    often staff picked it for a goal and how families said it went (``picked``, ``tried_well``,
    ``tried_partly``, ``tried_not``). Two queries, whatever the number of activities or answers."""
    activities = HomeActivity.objects.active().filter(municipality=municipality)
    if theme:
        activities = activities.filter(theme=theme)
    if subject:
        activities = activities.filter(subject=subject)
    if competence is not None:
        activities = activities.filter(competences=competence)
    if band is not None:
        activities = activities.for_age_band(band)
    if text:
        activities = activities.filter(
            Q(title_da__icontains=text)
            | Q(title_en__icontains=text)
            | Q(text_da__icontains=text)
            | Q(text_en__icontains=text)
        )
    tries = HomeActivityTry.objects.filter(activity=OuterRef("pk"))
    picked = LearningGoal.objects.filter(home_activity_source=OuterRef("pk"))
    Outcome = HomeActivityTry.Outcome
    return list(
        activities.annotate(
            picked=Coalesce(
                Subquery(
                    picked.order_by()
                    .values("home_activity_source_id")
                    .annotate(n=Count("pk"))
                    .values("n")[:1]
                ),
                Value(0),
                output_field=IntegerField(),
            ),
            tried_well=_count(tries.filter(outcome=Outcome.WELL)),
            tried_partly=_count(tries.filter(outcome=Outcome.PARTLY)),
            tried_not=_count(tries.filter(outcome=Outcome.NOT_FOR_US)),
        )
        .prefetch_related(Prefetch("competences", queryset=Competence.objects.order_by("position")))
        .order_by("age_from", "age_to", "code")
    )


def try_counts(activity_ids) -> dict[int, dict[str, int]]:
    """How families said each activity went: {activity id: {outcome: count}}. One query; for any page
    that shows activities (the plan's "tried it" answers are counted here too once they name the
    activity)."""
    counts: dict[int, dict[str, int]] = {pk: {} for pk in activity_ids}
    for row in (
        HomeActivityTry.objects.filter(activity_id__in=list(activity_ids))
        .values("activity_id", "outcome")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        counts[row["activity_id"]][row["outcome"]] = row["n"]
    return counts


def activities_for_goal(municipality_id, child) -> list[HomeActivity]:
    """The library's activities that suit the child's age (every one when the age is unknown), for
    staff to pick from when they write a goal. One query."""
    activities = HomeActivity.objects.active().filter(municipality_id=municipality_id)
    band = age_band_of(child)
    if band is not None:
        activities = activities.for_age_band(band)
    return list(activities.order_by("theme", "subject", "age_from", "code"))
