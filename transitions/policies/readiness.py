"""Who may see and do what with a school readiness assessment (Dagtilbudsloven § 29 a).

* Guardians with the right to information read it; custody holders ask for one, write their own
  "parents' view" and, once it is complete, confirm they have seen it (and may disagree). A parent
  without custody reads but decides nothing.
* Staff serving the child at the sending daycare read it; its leaders start it, write the leader's two
  parts and mark it complete.
* Leaders of the receiving school see this assessment only (none of the child's other data before the
  handover is sent): they write their view and record the decision with the parents.
* Everyone else, the receiving school's other staff and administrators included, gets 404.
"""

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import translation

from children.models import Guardianship
from children.policies import id_or_404
from portal.access import guardian_child_ids, roles_of
from portal.organisation.models import StaffMembership
from portal.organisation.selectors import roles_label_of
from transitions.models import ReadinessAssessment, ReadinessPart, Transition
from transitions.policies import _sending, leads_institution_ids

SCHOOL_START = Transition.Kind.DAYCARE_TO_SCHOOL


def _visible_transitions(user) -> Q:
    condition = Q(child_id__in=guardian_child_ids(user))
    if roles_of(user).staff:
        condition |= _sending(user, writing=False)
        condition |= Q(receiving_institution_id__in=leads_institution_ids(user))
    return condition


def readiness_visible_to(user) -> QuerySet[ReadinessAssessment]:
    """Assessments of the user's own children, of children they serve at the sending daycare, and of
    children starting at a school they lead; never of a cancelled move."""
    if not user.is_authenticated:
        return ReadinessAssessment.objects.none()
    transitions = Transition.objects.filter(_visible_transitions(user), pk=OuterRef("transition_id")).exclude(
        status=Transition.Status.CANCELLED
    )
    return ReadinessAssessment.objects.filter(Exists(transitions))


def get_readiness_for_user_or_404(user, pk) -> ReadinessAssessment:
    pk = id_or_404(pk)
    assessment = (
        readiness_visible_to(user)
        .filter(pk=pk)
        .select_related(
            "transition__child",
            "transition__sending_institution",
            "transition__receiving_institution",
            "transition__handover",
        )
        .first()
    )
    if assessment is None:
        raise Http404
    return assessment


@dataclass(frozen=True)
class ReadinessViewer:
    """How the reader relates to the assessment."""

    guardianship: Guardianship | None
    role_label: str  # for the access log
    sending: bool  # serves the child at the daycare
    leads_sending: bool
    leads_receiving: bool

    @property
    def is_guardian(self) -> bool:
        return self.guardianship is not None

    @property
    def has_custody(self) -> bool:
        return self.guardianship is not None and self.guardianship.has_custody


def readiness_viewer(user, transition: Transition) -> ReadinessViewer:
    """The viewer of an assessment (or a transition) they may see. Two queries at most."""
    guardianship = (
        Guardianship.objects.with_information().filter(user=user, child_id=transition.child_id).first()
        if transition.child_id in guardian_child_ids(user)
        else None
    )
    if guardianship is not None:
        with translation.override(settings.LANGUAGE_CODE):
            label = str(guardianship.get_relation_display())
        return ReadinessViewer(guardianship, label, sending=False, leads_sending=False, leads_receiving=False)
    sending = (
        Transition.objects.filter(pk=transition.pk)
        .annotate(reads=_sending(user, writing=False))
        .values_list("reads", flat=True)
        .first()
    )
    leads = set(leads_institution_ids(user))
    place = transition.sending_institution if sending else transition.receiving_institution
    roles = {
        m.role for m in StaffMembership.objects.active().filter(user=user, institution=place).only("role")
    }
    return ReadinessViewer(
        None,
        roles_label_of((role, place.name) for role in sorted(roles)),
        sending=bool(sending),
        leads_sending=bool(sending) and transition.sending_institution_id in leads,
        leads_receiving=transition.receiving_institution_id in leads,
    )


def _live(transition: Transition) -> bool:
    return transition.status != Transition.Status.CANCELLED


def can_ask_for_readiness(viewer: ReadinessViewer, transition: Transition) -> bool:
    """A custody holder asks for an assessment of a move from daycare to school (none made yet)."""
    return viewer.has_custody and transition.kind == SCHOOL_START and _live(transition)


def can_start_readiness(viewer: ReadinessViewer, transition: Transition) -> bool:
    """The daycare's leader starts one when readiness is in doubt or the parents have asked."""
    return viewer.leads_sending and transition.kind == SCHOOL_START and _live(transition)


def can_write_part(viewer: ReadinessViewer, assessment: ReadinessAssessment, kind: str) -> bool:
    """While it is being written: the daycare leader their two parts, the school's leader theirs, each
    custody holder their own view."""
    if not assessment.is_open or not _live(assessment.transition):
        return False
    if kind in ReadinessPart.LEADER_KINDS:
        return viewer.leads_sending
    if kind == ReadinessPart.Kind.SCHOOL_VIEW:
        return viewer.leads_receiving
    return kind == ReadinessPart.Kind.PARENTS_VIEW and viewer.has_custody


def can_complete_readiness(viewer: ReadinessViewer, assessment: ReadinessAssessment) -> bool:
    return viewer.leads_sending and assessment.is_open and _live(assessment.transition)


def can_confirm_readiness(viewer: ReadinessViewer, assessment: ReadinessAssessment) -> bool:
    """Each custody holder confirms once it is complete (the service refuses a second time)."""
    return (
        viewer.has_custody
        and assessment.status == ReadinessAssessment.Status.COMPLETE
        and _live(assessment.transition)
    )


def can_decide_readiness(viewer: ReadinessViewer, assessment: ReadinessAssessment) -> bool:
    """The receiving school's leader records the decision, with the parents, once it is complete."""
    return (
        viewer.leads_receiving
        and assessment.status == ReadinessAssessment.Status.COMPLETE
        and _live(assessment.transition)
    )
