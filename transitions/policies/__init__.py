"""Who may see and do what with a transition and its handover.

* Guardians with the right to information see their child's transitions and the whole handover before
  and after it is sent, with who has read it. Custody holders write their own "parents' view" and,
  where the municipality asks for consent, consent or withdraw per section; a parent without custody
  reads but decides nothing.
* Staff serving the child now at the sending institution read the handover; those who write for the
  child there write its sections, send it and start transitions.
* Staff serving the receiving institution see nothing before it is sent, and then only the sections
  that were passed on and not withdrawn since; they confirm receipt. Each opening is logged.
* Everyone else, administrators included, gets 404.
"""

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import translation

from children.models import Enrollment, Guardianship
from children.policies import id_or_404
from portal.access import guardian_child_ids, roles_of, staff_enrollment_scope, staff_scope
from portal.organisation.models import StaffMembership
from portal.organisation.selectors import roles_label_of
from transitions.models import Handover, HandoverSection, Transition

SENT_STATUSES = (Transition.Status.SENT, Transition.Status.RECEIVED)


def _sending(user, *, writing: bool) -> Exists:
    """The child has a place now at the transition's sending institution, within the user's scope."""
    return Exists(
        Enrollment.objects.current().filter(
            staff_enrollment_scope(user, writing=writing),
            child=OuterRef("child_id"),
            institution=OuterRef("sending_institution_id"),
        )
    )


def _receiving(user) -> Q:
    """Sent to an institution where the user works (caseload roles: to one of their groups)."""
    scope = staff_scope(user)
    caseload = StaffMembership.CASELOAD_ROLES
    return Q(status__in=SENT_STATUSES) & (
        Q(receiving_institution_id__in=scope.institutions(lambda role: role not in caseload))
        | Q(receiving_group_id__in=scope.groups(lambda role: role in caseload))
    )


def transitions_visible_to(user) -> QuerySet[Transition]:
    """Transitions of the user's own children, those leaving a place where they serve the child, and
    handovers sent to a place where they work."""
    if not user.is_authenticated:
        return Transition.objects.none()
    condition = Q(child_id__in=guardian_child_ids(user))
    if roles_of(user).staff:
        condition |= _sending(user, writing=False) | _receiving(user)
    return Transition.objects.filter(condition)


def transitions_received_by(user) -> QuerySet[Transition]:
    """Handovers sent to where this staff member works: "children starting with us"."""
    if not user.is_authenticated or not roles_of(user).staff:
        return Transition.objects.none()
    return Transition.objects.filter(_receiving(user))


def transitions_sent_by(user) -> QuerySet[Transition]:
    """Transitions whose handover this staff member writes (for the child at the sending place)."""
    if not user.is_authenticated or not roles_of(user).staff:
        return Transition.objects.none()
    return Transition.objects.filter(_sending(user, writing=True))


def get_handover_for_user_or_404(user, pk) -> Handover:
    pk = id_or_404(pk)
    visible = transitions_visible_to(user).filter(pk=OuterRef("transition_id"))
    handover = (
        Handover.objects.filter(Exists(visible), pk=pk)
        .select_related(
            "transition__child",
            "transition__sending_institution",
            "transition__receiving_institution",
            "transition__receiving_group",
            "transition__readiness",
        )
        .first()
    )
    if handover is None:
        raise Http404
    return handover


@dataclass(frozen=True)
class HandoverViewer:
    """How the reader relates to the handover: a guardian, the sending side or the receiving side."""

    guardianship: Guardianship | None
    role_label: str  # for the access log
    sending: bool  # serves the child at the sending place
    writes: bool  # writes for the child there
    receiving: bool

    @property
    def is_guardian(self) -> bool:
        return self.guardianship is not None

    @property
    def has_custody(self) -> bool:
        return self.guardianship is not None and self.guardianship.has_custody


def handover_viewer(user, handover: Handover) -> HandoverViewer:
    """The viewer of a handover they may see (``get_handover_for_user_or_404`` first). Two queries at most."""
    transition = handover.transition
    guardianship = (
        Guardianship.objects.with_information().filter(user=user, child_id=transition.child_id).first()
        if transition.child_id in guardian_child_ids(user)
        else None
    )
    if guardianship is not None:
        with translation.override(settings.LANGUAGE_CODE):
            label = str(guardianship.get_relation_display())
        return HandoverViewer(guardianship, label, sending=False, writes=False, receiving=False)
    flags = (
        Transition.objects.filter(pk=transition.pk)
        .annotate(reads=_sending(user, writing=False), writes=_sending(user, writing=True))
        .values("reads", "writes")
        .first()
    ) or {"reads": False, "writes": False}
    place = transition.sending_institution if flags["reads"] else transition.receiving_institution
    roles = {
        m.role for m in StaffMembership.objects.active().filter(user=user, institution=place).only("role")
    }
    label = roles_label_of((role, place.name) for role in sorted(roles))
    receiving = not flags["reads"] and transition.is_sent
    return HandoverViewer(None, label, sending=flags["reads"], writes=flags["writes"], receiving=receiving)


def is_open(transition: Transition) -> bool:
    return transition.status in (Transition.Status.PLANNED, Transition.Status.IN_PROGRESS)


def can_edit_handover(viewer: HandoverViewer, handover: Handover) -> bool:
    """The sending staff who write for the child write the staff sections until it is sent."""
    return viewer.writes and is_open(handover.transition) and handover.send_requested_at is None


def can_write_parents_view(viewer: HandoverViewer, handover: Handover) -> bool:
    """Each custody holder writes their own view until it is sent."""
    return viewer.has_custody and is_open(handover.transition) and handover.send_requested_at is None


def can_give_consent(viewer: HandoverViewer, handover: Handover) -> bool:
    """Custody holders consent per section while the handover is open (consent model only)."""
    return viewer.has_custody and handover.uses_consent and can_write_parents_view(viewer, handover)


def can_withdraw_consent(viewer: HandoverViewer, handover: Handover) -> bool:
    """Custody holders withdraw until it is sent, and after: the section is then hidden from then on."""
    return (
        viewer.has_custody
        and handover.uses_consent
        and handover.transition.status != Transition.Status.CANCELLED
    )


def can_send_handover(viewer: HandoverViewer, handover: Handover) -> bool:
    return viewer.writes and is_open(handover.transition) and handover.send_requested_at is None


def can_cancel_transition(viewer: HandoverViewer, handover: Handover) -> bool:
    """The sending staff who write for the child cancel the move until the handover is sent."""
    return can_send_handover(viewer, handover)


def can_confirm_receipt(viewer: HandoverViewer, handover: Handover) -> bool:
    return viewer.receiving and handover.transition.status == Transition.Status.SENT


def can_plan_visit(viewer: HandoverViewer, handover: Handover) -> bool:
    """The sending staff who write for the child, and the receiving staff once it is sent, plan visits
    while the move is not cancelled (``transitions.policies.visits`` checks it again)."""
    return (viewer.writes or viewer.receiving) and handover.transition.status != Transition.Status.CANCELLED


def can_print_handover(viewer: HandoverViewer, handover: Handover) -> bool:
    """Once it is sent, the family and the sending staff print the handover form the parents take with
    them: what was passed on and what was not. The receiver reads it on the page."""
    return (viewer.is_guardian or viewer.sending) and handover.transition.status in SENT_STATUSES


def can_see_section(viewer: HandoverViewer, section: HandoverSection) -> bool:
    """The receiver sees only what was passed on and not withdrawn since; the family and the sending
    staff see every section."""
    if viewer.receiving:
        return section.reaches_receiver
    return viewer.is_guardian or viewer.sending


def can_create_transition(user, child) -> bool:
    """Staff who write for the child at its current place start a transition from there."""
    from children.policies import writing_enrollment

    return writing_enrollment(user, child) is not None


def leads_institution_ids(user) -> list[int]:
    return staff_scope(user).institutions(lambda role: role == StaffMembership.Role.LEADER)
