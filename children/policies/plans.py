"""Who may read and write a learning plan.

* Guardians with the right to information read every published version of their child's plans (never
  the draft) and comment. Custody holders also add "what we see at home" and mark a home activity
  "tried". A parent without custody reads and comments only: they decide nothing.
* Staff serving the child at the plan's institution now read the draft, the versions, the history and
  who has read what. Those who write for the child there (their own group; leaders the whole
  institution) write goals, focus points, progress and next steps, and publish.
* Everyone else, administrators included, gets 404.
"""

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from children.models import Enrollment, Guardianship, LearningPlan, PlanNote
from children.policies import viewer_role
from portal.access import guardian_child_ids, staff_enrollment_scope

Kind = PlanNote.Kind
STAFF_NOTE_KINDS = frozenset({Kind.PROGRESS, Kind.NEXT_STEP, Kind.COMMENT})
CUSTODY_NOTE_KINDS = frozenset({Kind.COMMENT, Kind.AT_HOME, Kind.TRIED})
INFORMATION_NOTE_KINDS = frozenset({Kind.COMMENT})


def _served_at_plan_institution(user, *, writing: bool) -> Exists:
    return Exists(
        Enrollment.objects.current().filter(
            staff_enrollment_scope(user, writing=writing),
            child=OuterRef("child_id"),
            institution=OuterRef("institution_id"),
        )
    )


def plans_visible_to(user) -> QuerySet[LearningPlan]:
    """Plans of the user's own children (any institution), and plans at an institution where the user
    serves the child now."""
    if not user.is_authenticated:
        return LearningPlan.objects.none()
    return LearningPlan.objects.filter(
        Q(child_id__in=guardian_child_ids(user)) | _served_at_plan_institution(user, writing=False)
    )


def plans_written_by(user) -> QuerySet[LearningPlan]:
    """Plans this staff member writes: the child has a place at the plan's institution in their scope."""
    if not user.is_authenticated:
        return LearningPlan.objects.none()
    return LearningPlan.objects.filter(_served_at_plan_institution(user, writing=True))


def get_plan_for_user_or_404(user, pk) -> LearningPlan:
    try:
        return plans_visible_to(user).select_related("child", "institution").get(pk=pk)
    except (LearningPlan.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


@dataclass(frozen=True)
class PlanViewer:
    """How the person reading a plan relates to it. Read once per request (three queries at most)."""

    guardianship: Guardianship | None
    role_label: str  # for the access log
    writes: bool

    @property
    def is_guardian(self) -> bool:
        return self.guardianship is not None

    @property
    def has_custody(self) -> bool:
        return self.guardianship is not None and self.guardianship.has_custody

    @property
    def note_role(self) -> str:
        if not self.is_guardian:
            return PlanNote.Role.STAFF
        return PlanNote.Role.CUSTODY if self.has_custody else PlanNote.Role.INFORMATION

    @property
    def note_kinds(self) -> frozenset:
        if self.writes:
            return STAFF_NOTE_KINDS
        if self.has_custody:
            return CUSTODY_NOTE_KINDS
        if self.is_guardian:
            return INFORMATION_NOTE_KINDS
        return frozenset()


def plan_viewer(user, plan: LearningPlan) -> PlanViewer:
    """The viewer of a plan they may see (``get_plan_for_user_or_404`` first)."""
    guardianship, role_label = viewer_role(user, plan.child)
    writes = guardianship is None and plans_written_by(user).filter(pk=plan.pk).exists()
    return PlanViewer(guardianship=guardianship, role_label=role_label, writes=writes)


# "May X?" questions, each for a viewer already allowed to see the plan.
def can_view_plan(user, plan: LearningPlan) -> bool:
    return plans_visible_to(user).filter(pk=plan.pk).exists()


def can_edit_plan(viewer: PlanViewer) -> bool:
    """Write goals and focus points (the draft)."""
    return viewer.writes


def can_publish_plan(viewer: PlanViewer) -> bool:
    return viewer.writes


def can_view_plan_draft(viewer: PlanViewer) -> bool:
    """Staff see the draft; families see what was published."""
    return not viewer.is_guardian


def can_view_plan_history(viewer: PlanViewer) -> bool:
    return not viewer.is_guardian


def can_view_plan_reads(viewer: PlanViewer) -> bool:
    """Which families have read the latest version: staff serving the child."""
    return not viewer.is_guardian


def can_add_plan_note(viewer: PlanViewer, kind: str) -> bool:
    """Staff write progress, next steps and comments; custody holders comment, tell what they see at
    home and mark a home activity tried; a parent without custody comments only."""
    return kind in viewer.note_kinds


def can_comment_on_plan(viewer: PlanViewer) -> bool:
    return can_add_plan_note(viewer, PlanNote.Kind.COMMENT)
