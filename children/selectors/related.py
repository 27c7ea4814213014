"""What the pages about a child's related plans read, each in a fixed number of queries."""

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _

from children.models import Enrollment, Guardianship, RelatedPlan, RelatedPlanConsent
from children.policies.related import consented_for, registrar_group_ids
from portal.access import roles_of
from portal.organisation.models import Institution
from portal.statements import Statement
from portal.todos import CHILD_FIELDS, LIMIT, ChildRef, Todo

SHOWN = 20  # a child has one or two; a page never grows without bound


def _is_current(enrollment, today) -> bool:
    return enrollment.started_on <= today and (enrollment.ended_on is None or enrollment.ended_on >= today)


def child_related_plans(child, user, *, guardian: bool, enrollments) -> dict:
    """The related plans the child page shows this person: all of them, with since and ended, for the
    family and the staff who record them; for other staff only the active ones their institution may
    see. ``enrollments`` are the child's places, already read by the page. One query."""
    today = timezone.localdate()
    groups = set(registrar_group_ids(user)) if not guardian else set()
    registrar = any(e.group_id in groups and _is_current(e, today) for e in enrollments)
    plans = RelatedPlan.objects.filter(child_id=child.pk).order_by("-since", "-pk")
    if guardian or registrar:
        shown = list(plans[:SHOWN])
    elif roles_of(user).staff:
        shown = list(plans.active().filter(consented_for(user, child.pk))[:SHOWN])
    else:
        shown = []
    return {
        "related_plans": shown,
        "related_plans_in_full": guardian or registrar,
        "can_register_related_plan": registrar,
    }


@dataclass
class Decision:
    institution: Institution
    consent: RelatedPlanConsent | None

    @property
    def given(self) -> bool:
        return self.consent is not None and self.consent.given


def related_plan_page(plan: RelatedPlan) -> dict:
    """The plan with, for each place the child has now or will have, the custody holders' decision.
    Two queries."""
    today = timezone.localdate()
    places = list(
        Institution.objects.filter(
            Exists(
                Enrollment.objects.filter(
                    Q(ended_on__isnull=True) | Q(ended_on__gte=today),
                    child_id=plan.child_id,
                    institution=OuterRef("pk"),
                )
            )
        ).order_by("name", "pk")
    )
    consents = {c.institution_id: c for c in RelatedPlanConsent.objects.filter(plan=plan)}
    return {
        "plan": plan,
        "child": plan.child,
        "decisions": [Decision(place, consents.get(place.pk)) for place in places],
    }


def _undecided_for_custody_holder(user):
    custody = Guardianship.objects.active().filter(user_id=user.pk, has_custody=True).values("child_id")
    decided = RelatedPlanConsent.objects.filter(
        plan=OuterRef(OuterRef("pk")), institution=OuterRef("institution_id")
    )
    undecided_place = (
        Enrollment.objects.current().filter(child_id=OuterRef("child_id")).exclude(Exists(decided))
    )
    return (
        RelatedPlan.objects.active()
        .filter(Exists(undecided_place), child_id__in=custody)
        .order_by("since", "pk")
        .values("pk", *CHILD_FIELDS)[:LIMIT]
    )


_UNDECIDED = Statement(_undecided_for_custody_holder)


def related_plan_todos(user) -> list[Todo]:
    """Per active related plan of this custody holder's children: decide who may see it, while a place
    the child has now has no decision yet. One query, precompiled."""
    return [
        Todo(
            kind="related_plan",
            title=_("Decide who may see that %(name)s has a related plan")
            % {"name": row["child__first_name"]},
            url=reverse_lazy("children:related_plan_detail", args=[row["pk"]]),
            action=_("Read and decide"),
            child=ChildRef.of(row),
        )
        for row in _UNDECIDED.rows(user)
    ]
