"""Every existing learning goal joins its child's plan at the goal's institution (made when missing).

Families saw these goals as soon as they were saved, so each plan made here starts with version 1
published: what the family already read stays readable, and later edits are drafts until published.
"""

from django.db import migrations
from django.utils import timezone

GOAL_FIELDS = ("title", "theme", "description", "home_activity", "status")

SCHOOL = "school"


def goals_into_plans(apps, schema_editor):
    LearningGoal = apps.get_model("children", "LearningGoal")
    LearningPlan = apps.get_model("children", "LearningPlan")
    pairs = (
        LearningGoal.objects.filter(plan__isnull=True)
        .values_list("child_id", "institution_id", "institution__kind")
        .distinct()
    )
    PlanVersion = apps.get_model("children", "PlanVersion")
    now = timezone.now()
    for child_id, institution_id, kind in list(pairs):
        plan, _created = LearningPlan.objects.get_or_create(
            child_id=child_id,
            institution_id=institution_id,
            defaults={"kind": "pupil" if kind == SCHOOL else "daycare"},
        )
        LearningGoal.objects.filter(child_id=child_id, institution_id=institution_id, plan__isnull=True).update(
            plan=plan
        )
        if plan.published_number:
            continue
        goals = LearningGoal.objects.filter(plan=plan).order_by("created_at", "pk")
        PlanVersion.objects.create(
            plan=plan,
            number=1,
            published_by=None,
            published_by_name=plan.institution.name,
            published_at=now,
            snapshot={
                "kind": plan.kind,
                "school_year": None,
                "institution": plan.institution.name,
                "goals": [{"id": g.pk, **{f: getattr(g, f) for f in GOAL_FIELDS}} for g in goals],
                "focus_points": [],
            },
        )
        LearningPlan.objects.filter(pk=plan.pk).update(published_number=1, published_at=now)


def goals_out_of_plans(apps, schema_editor):
    # The plans and versions themselves go with the reversed 0003; the goals only lose their link.
    apps.get_model("children", "LearningGoal").objects.update(plan=None)


class Migration(migrations.Migration):
    dependencies = [("children", "0003_plans")]

    operations = [migrations.RunPython(goals_into_plans, goals_out_of_plans)]
