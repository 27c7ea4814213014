"""Who may see and record a child's related plans (a social action plan or another special support plan).

* The child's guardians with the right to information always see them, with every institution's
  decision; custody holders decide, per institution where the child has a place, whether its staff may
  see that the plan exists and who coordinates it, and either of them may take it back at once.
* A psychologist (PPR) or health visitor with the child in their caseload now records them and marks them
  ended. Administrators do not: they never open a child's record here.
* Other staff serving the child see an active plan's kind and coordinator, nothing else, and only when
  the custody holders said yes for their institution. Without it they see nothing, not even that
  something is hidden.
"""

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404

from children.models import Enrollment, Guardianship, RelatedPlan, RelatedPlanConsent
from children.policies import id_or_404, informed_guardianship, viewer_role
from portal.access import staff_enrollment_scope, staff_scope
from portal.organisation.models import StaffMembership

REGISTRAR_ROLES = frozenset({StaffMembership.Role.PPR_CONSULTANT, StaffMembership.Role.HEALTH_VISITOR})


def registrar_group_ids(user) -> list[int]:
    """The caseload groups of the user's roles that record related plans (no query)."""
    if not user.is_authenticated:
        return []
    return staff_scope(user).groups(lambda role: role in REGISTRAR_ROLES)


def registers_for(user, child_id: int) -> bool:
    """A psychologist (PPR) or health visitor with the child in their caseload now. One query at most."""
    groups = registrar_group_ids(user)
    return (
        bool(groups) and Enrollment.objects.current().filter(child_id=child_id, group_id__in=groups).exists()
    )


def served_institution_ids(user, child_id: int) -> QuerySet:
    """The institutions where this staff member serves the child now (a subquery)."""
    return (
        Enrollment.objects.current()
        .filter(staff_enrollment_scope(user), child_id=child_id)
        .values("institution_id")
    )


def consented_for(user, child_id: int) -> Exists:
    """The custody holders said yes to one of the institutions where this staff member serves the child."""
    return Exists(
        RelatedPlanConsent.objects.filter(
            plan=OuterRef("pk"), given=True, institution_id__in=served_institution_ids(user, child_id)
        )
    )


@dataclass(frozen=True)
class RelatedPlanViewer:
    guardianship: Guardianship | None
    registrar: bool
    role_label: str

    @property
    def has_custody(self) -> bool:
        return self.guardianship is not None and self.guardianship.has_custody


def get_related_plan_for_user_or_404(user, pk) -> tuple[RelatedPlan, RelatedPlanViewer]:
    """The plan's own page is for the family and the staff who record it; everyone else gets 404 (staff
    with consent see it on the child page)."""
    pk = id_or_404(pk)
    if not user.is_authenticated:
        raise Http404
    plan = RelatedPlan.objects.select_related("child").filter(pk=pk).first()
    if plan is None:
        raise Http404
    guardianship = informed_guardianship(user, plan.child)
    registrar = guardianship is None and registers_for(user, plan.child_id)
    if guardianship is None and not registrar:
        raise Http404
    _g, label = viewer_role(user, plan.child)
    return plan, RelatedPlanViewer(guardianship, registrar, label)


def can_decide_related_plan(viewer: RelatedPlanViewer, plan: RelatedPlan) -> bool:
    """Custody holders decide who may see an active plan."""
    return viewer.has_custody and plan.is_active


def can_end_related_plan(viewer: RelatedPlanViewer, plan: RelatedPlan) -> bool:
    """The staff who record related plans mark an active one ended."""
    return viewer.registrar and plan.is_active
