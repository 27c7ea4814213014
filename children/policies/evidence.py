"""Who may see, add, ask to take down and remove evidence (photos and files) in a learning plan.

* Whoever reads the plan sees its evidence as they see the plan: staff serving the child at the plan's
  place everything not taken down; families staff's evidence once a version published it, and what the
  families added to their notes at once.
* Staff who write the plan attach photos and files to its goals and focus points and to their "what we
  saw" notes, and remove any of them. Custody holders attach one to their "what we see at home" and
  "we tried it" notes. A parent without custody adds none.
* Every guardian with the right to information may ask for a photo or file to be taken down; it is
  hidden from everyone at once.
* A file that is asked to be taken down, or that this person may not see, is 404 (never a hint that
  it exists).
"""

from django.http import Http404

from children.models import Evidence, PlanNote
from children.policies.plans import PlanViewer, plan_viewer, plans_visible_to


def can_add_evidence(viewer: PlanViewer) -> bool:
    """Staff who write the plan (to goals, focus points and their notes)."""
    return viewer.writes


def can_attach_to_note(viewer: PlanViewer) -> bool:
    """Staff who write the plan, and custody holders, to the notes they may write with a file."""
    return viewer.writes or viewer.has_custody


def can_request_takedown(viewer: PlanViewer) -> bool:
    return viewer.is_guardian


def can_remove_evidence(viewer: PlanViewer) -> bool:
    return viewer.writes


def evidence_shown_to(viewer: PlanViewer, evidence: Evidence, *, number: int | None = None) -> bool:
    """Whether this viewer sees this evidence with version ``number`` (None: the draft for staff, the
    latest version for families). Nobody sees what was asked to be taken down."""
    if evidence.takedown_requested_at is not None:
        return False
    if not viewer.is_guardian and number is None:
        return True
    if evidence.uploader_role != PlanNote.Role.STAFF:
        return True  # the families' own, on their notes, at once
    return evidence.published_in is not None and (number is None or evidence.published_in <= number)


def get_evidence_for_user_or_404(user, pk, *, taken_down: bool = False) -> tuple[Evidence, PlanViewer]:
    """The evidence and how this person relates to its plan, when they may see it; else 404. With
    ``taken_down``, staff also get one a guardian has asked to be taken down (to remove it)."""
    try:
        evidence = Evidence.objects.select_related("plan__child", "plan__institution").get(
            pk=pk, plan__in=plans_visible_to(user)
        )
    except (Evidence.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    viewer = plan_viewer(user, evidence.plan)
    asked = evidence.takedown_requested_at is not None
    if asked and taken_down and not viewer.is_guardian:
        return evidence, viewer
    if not evidence_shown_to(viewer, evidence):
        raise Http404
    return evidence, viewer
