"""Writes that tie learning goals to the competence framework and the home activity library, and the
families' "we tried it: how it went". Each in one transaction, audited."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from children.models import Child, HomeActivity, HomeActivityTry, LearningGoal
from children.services import learning_goal_create, learning_goal_update
from children.services.plans import check_competences, links_set, plan_for_place
from portal.audit.models import AccessEvent
from portal.audit.services import access_record

_UNCHANGED = object()


def _check_links(*, municipality_id: int, competences, source) -> None:
    """Competences and library activities come from the framework of the goal's municipality."""
    check_competences(municipality_id=municipality_id, competences=competences)
    if source is not None and source.municipality_id != municipality_id:
        raise ValidationError({"home_activity_source": _("Choose an idea from your municipality's library.")})


@transaction.atomic
def learning_goal_create_linked(
    *, request, child: Child, institution, actor_role: str, competences=(), **fields
) -> LearningGoal:
    """Record a goal (``learning_goal_create``) together with the competences it builds and the library
    activity its home activity started from, if any."""
    competences = list(competences)
    _check_links(
        municipality_id=institution.municipality_id,
        competences=competences,
        source=fields.get("home_activity_source"),
    )
    goal = learning_goal_create(
        request=request, child=child, institution=institution, actor_role=actor_role, **fields
    )
    if competences:
        goal.competences.set(competences)
    return goal


@transaction.atomic
def learning_goal_update_linked(
    *,
    request,
    goal: LearningGoal,
    actor_role: str,
    competences=None,
    home_activity_source=_UNCHANGED,
    **fields,
) -> LearningGoal:
    """Change a goal (``learning_goal_update``) and its links to competences and the library; a change
    of links alone is audited as a change of the goal, and a change of competences is kept in the
    plan's history."""
    municipality_id = goal.institution.municipality_id
    _check_links(
        municipality_id=municipality_id,
        competences=list(competences or ()),
        source=None if home_activity_source is _UNCHANGED else home_activity_source,
    )
    before = goal.updated_at
    goal = learning_goal_update(request=request, goal=goal, actor_role=actor_role, **fields)
    links_changed = False
    if home_activity_source is not _UNCHANGED:
        new_id = home_activity_source.pk if home_activity_source else None
        if goal.home_activity_source_id != new_id:
            LearningGoal.objects.filter(pk=goal.pk).update(home_activity_source_id=new_id)
            goal.home_activity_source_id = new_id
            links_changed = True
    if competences is not None:
        if goal.plan_id is None:  # a goal from before plans: it joins its plan now
            goal.plan = plan_for_place(child=goal.child, institution=goal.institution)
            LearningGoal.objects.filter(pk=goal.pk).update(plan=goal.plan)
        if links_set(plan=goal.plan, user=request.user, entry=goal, competences=competences):
            links_changed = True
    if links_changed and goal.updated_at == before:  # the goal's own fields did not change
        LearningGoal.objects.filter(pk=goal.pk).update(updated_at=timezone.now())
        access_record(
            request=request,
            child=goal.child,
            action=AccessEvent.Action.UPDATE,
            subject="learning_goal",
            object_id=goal.pk,
            actor_role=actor_role,
        )
    return goal


@transaction.atomic
def home_activity_try_record(
    *,
    request,
    activity: HomeActivity,
    child: Child,
    outcome: str,
    note: str = "",
    goal: LearningGoal | None = None,
    language_plan=None,
    actor_role: str = "",
) -> HomeActivityTry:
    """Record a family's "we tried it: how it went" about a library activity, and audit it."""
    user = request.user
    attempt = HomeActivityTry(
        activity=activity,
        child=child,
        goal=goal,
        language_plan=language_plan,
        outcome=outcome,
        note=note,
        by=user,
        by_name=user.get_full_name() or user.email,
    )
    attempt.full_clean()
    attempt.save()
    access_record(
        request=request,
        child=child,
        action=AccessEvent.Action.CREATE,
        subject="home_activity_try",
        object_id=attempt.pk,
        actor_role=actor_role,
    )
    return attempt
