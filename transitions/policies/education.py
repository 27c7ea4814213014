"""Who may see and do what with an education plan (8.–9. klasse).

* The pupil, from their own login, reads their current plan and writes their goals and wishes.
* Guardians with the right to information read it; each custody holder writes their own remarks and
  confirms each version (with the password again); a parent without custody reads but decides nothing.
* Staff serving the child now read it. The UU counsellor with the pupil in their caseload writes the
  guidance; the teacher of the pupil's class and the school's leader write the targeted effort; either
  of them starts the school year's plan.
* Everyone else, administrators included, gets 404. Nothing is written after the application deadline.
"""

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import translation

from children.models import Enrollment, Guardianship
from children.policies import id_or_404
from portal.access import guardian_child_ids, roles_of, staff_enrollment_scope, staff_scope
from portal.organisation.models import Institution, StaffMembership
from transitions.models import EducationPlan
from transitions.models.education import PLAN_CLASS_LEVELS

Role = StaffMembership.Role


@dataclass(frozen=True)
class PlanViewer:
    """How the reader relates to the pupil: a guardian (with or without custody) or staff."""

    guardianship: Guardianship | None
    role_label: str  # for the access log
    reads: bool
    guides: bool  # the pupil's UU counsellor
    supports: bool  # the teacher of the class or the school's leader

    @property
    def has_custody(self) -> bool:
        return self.guardianship is not None and self.guardianship.has_custody

    @property
    def may_start(self) -> bool:
        return self.guides or self.supports


NOBODY = PlanViewer(None, "", reads=False, guides=False, supports=False)


def class_enrollment_filter() -> Q:
    """A place in a class in 8. or 9. klasse at a school (on ``Enrollment``)."""
    return Q(institution__kind=Institution.Kind.SCHOOL, group__school_year__in=PLAN_CLASS_LEVELS)


def _staff_flags(user, enrollments: list[tuple[int, int | None]], school_id: int | None) -> tuple[bool, ...]:
    """(reads, guides, supports) from the user's memberships and the child's current places."""
    scope = staff_scope(user)
    caseload = StaffMembership.CASELOAD_ROLES
    read_places = set(scope.institutions(lambda role: role not in caseload))
    read_groups = set(scope.groups(lambda role: role in caseload))
    counsellor_groups = set(scope.groups(lambda role: role == Role.UU_COUNSELLOR))
    teacher_groups = set(scope.groups(lambda role: role == Role.TEACHER))
    leads = set(scope.institutions(lambda role: role == Role.LEADER))
    reads = any(place in read_places or group in read_groups for place, group in enrollments)
    guides = any(group in counsellor_groups for _place, group in enrollments)
    supports = any(
        place == school_id and (place in leads or group in teacher_groups) for place, group in enrollments
    )
    return reads, guides, supports


def plan_viewer(user, child, *, school_id: int | None) -> PlanViewer:
    """The reader's relation to the child (``school_id``: the school of the plan). Two queries at most."""
    if not user.is_authenticated:
        return NOBODY
    if child.pk in guardian_child_ids(user):
        guardianship = Guardianship.objects.with_information().filter(user=user, child=child).first()
        if guardianship is not None:
            with translation.override(settings.LANGUAGE_CODE):
                label = str(guardianship.get_relation_display())
            return PlanViewer(guardianship, label, reads=True, guides=False, supports=False)
    if not roles_of(user).staff:
        return NOBODY
    places = list(Enrollment.objects.current().filter(child=child).values_list("institution_id", "group_id"))
    reads, guides, supports = _staff_flags(user, places, school_id)
    if not reads:
        return NOBODY
    with translation.override(settings.LANGUAGE_CODE):
        label = str(
            Role.UU_COUNSELLOR.label
            if guides
            else Role.TEACHER.label
            if supports
            else translation.gettext("Staff")
        )
    return PlanViewer(None, label, reads=True, guides=guides, supports=supports)


def plans_visible_to(user) -> QuerySet[EducationPlan]:
    """Plans of the user's own children and of the children they serve now."""
    if not user.is_authenticated:
        return EducationPlan.objects.none()
    condition = Q(child_id__in=guardian_child_ids(user))
    if roles_of(user).staff:
        served = Enrollment.objects.current().filter(staff_enrollment_scope(user), child=OuterRef("child_id"))
        condition |= Exists(served)
    return EducationPlan.objects.filter(condition)


def get_plan_for_user_or_404(user, pk) -> tuple[EducationPlan, PlanViewer]:
    pk = id_or_404(pk)
    plan = plans_visible_to(user).filter(pk=pk).select_related("child", "institution").first()
    if plan is None:
        raise Http404
    viewer = plan_viewer(user, plan.child, school_id=plan.institution_id)
    if not viewer.reads:
        raise Http404
    return plan, viewer


def can_write_remarks(viewer: PlanViewer) -> bool:
    return viewer.has_custody


def can_confirm(viewer: PlanViewer, plan: EducationPlan) -> bool:
    """Custody holders confirm once the plan is ready (wishes and guidance are there)."""
    return viewer.has_custody and plan.ready_at is not None
