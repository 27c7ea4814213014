"""Every write to a child's data. Each one is audited in the same transaction."""

from django.db import transaction

from children.models import Child, LearningGoal
from portal.audit.models import AccessEvent
from portal.audit.services import access_record

GOAL_FIELDS = ("title", "description", "theme", "status", "home_activity")


@transaction.atomic
def learning_goal_create(*, request, child: Child, institution, actor_role: str, **fields) -> LearningGoal:
    """Record a learning goal with its home activity, and audit the write."""
    goal = LearningGoal(child=child, institution=institution, created_by=request.user, **fields)
    goal.full_clean()
    goal.save()
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
    """Change a goal; saves only the changed fields, locks the row, audits the write."""
    goal = LearningGoal.objects.select_for_update().get(pk=goal.pk)
    changed = [name for name in GOAL_FIELDS if name in fields and getattr(goal, name) != fields[name]]
    for name in changed:
        setattr(goal, name, fields[name])
    if changed:
        goal.full_clean()
        goal.save(update_fields=[*changed, "updated_at"])
        access_record(
            request=request,
            child=goal.child,
            action=AccessEvent.Action.UPDATE,
            subject="learning_goal",
            object_id=goal.pk,
            actor_role=actor_role,
        )
    return goal
