"""Every write to a child's data. Each one is audited in the same transaction."""

from django.db import transaction

from children.models import Child, LearningGoal
from children.services.plans import plan_for_place, record_changes
from portal.audit.models import AccessEvent
from portal.audit.services import access_record

GOAL_FIELDS = ("title", "description", "theme", "status", "home_activity")


@transaction.atomic
def learning_goal_create(*, request, child: Child, institution, actor_role: str, **fields) -> LearningGoal:
    """Record a learning goal with its home activity in the draft of the child's plan at the institution
    (made when missing), keep its first history row, and audit the write."""
    plan = plan_for_place(child=child, institution=institution, created_by=request.user)
    goal = LearningGoal(child=child, institution=institution, plan=plan, created_by=request.user, **fields)
    goal.full_clean()
    goal.save()
    record_changes(plan=plan, user=request.user, entry=goal, before={}, after={}, created=True)
    access_record(
        request=request,
        child=child,
        action=AccessEvent.Action.CREATE,
        subject="learning_goal",
        object_id=goal.pk,
        actor_role=actor_role,
    )
    return goal


@transaction.atomic
def learning_goal_update(*, request, goal: LearningGoal, actor_role: str, **fields) -> LearningGoal:
    """Change a goal; saves only the changed fields, locks the row, keeps each change in the plan's
    history, audits the write."""
    goal = LearningGoal.objects.select_for_update().get(pk=goal.pk)
    before = {name: getattr(goal, name) for name in GOAL_FIELDS}
    changed = [name for name in GOAL_FIELDS if name in fields and before[name] != fields[name]]
    for name in changed:
        setattr(goal, name, fields[name])
    if changed:
        goal.full_clean()
        goal.save(update_fields=[*changed, "updated_at"])
        if goal.plan_id is None:  # a goal from before plans: it joins its plan now
            goal.plan = plan_for_place(child=goal.child, institution=goal.institution)
            LearningGoal.objects.filter(pk=goal.pk).update(plan=goal.plan)
        record_changes(
            plan=goal.plan,
            user=request.user,
            entry=goal,
            before=before,
            after={n: fields[n] for n in changed},
        )
        access_record(
            request=request,
            child=goal.child,
            action=AccessEvent.Action.UPDATE,
            subject="learning_goal",
            object_id=goal.pk,
            actor_role=actor_role,
        )
    return goal
