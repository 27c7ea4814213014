"""Who may plan, see and cancel visits before and after a transition.

* Staff plan a visit for the transitions they work on: at the sending place those who write for the
  child (for children moving from there to the same new place), at the receiving place those who see
  the sent handovers ("children starting with us"). A visit never names a child to the receiving place
  before that child's handover is sent.
* Staff who may plan for one of a visit's transitions see the visit (only the children they may see);
  those of the place that planned it cancel it. Families see their own child's visits, as meetings
  and on the handover page.
* Everyone else gets 404.
"""

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404

from children.policies import id_or_404
from portal.organisation.models import StaffMembership
from transitions.models import Transition, Visit, VisitInvitation

from . import transitions_received_by, transitions_sent_by


@dataclass(frozen=True)
class VisitSide:
    """Where the planner stands for a transition: the place that holds the visit's meetings and the
    transitions they may gather into one visit."""

    anchor: Transition
    institution_id: int
    candidates: QuerySet[Transition]
    sending: bool

    @property
    def institution(self):
        return self.anchor.sending_institution if self.sending else self.anchor.receiving_institution


def plannable_transitions(user) -> QuerySet[Transition]:
    """Live transitions this staff member may plan visits for (sending writers and receivers)."""
    sent = transitions_sent_by(user).values("pk")
    received = transitions_received_by(user).values("pk")
    return Transition.objects.exclude(status=Transition.Status.CANCELLED).filter(
        Exists(sent.filter(pk=OuterRef("pk"))) | Exists(received.filter(pk=OuterRef("pk")))
    )


def visit_side_or_404(user, transition_pk) -> VisitSide:
    """The planner's side for a transition they may plan a visit for; 404 otherwise. Two queries."""
    pk = id_or_404(transition_pk)
    live = Transition.objects.exclude(status=Transition.Status.CANCELLED)
    anchor = (
        live.filter(pk=pk)
        .annotate(
            sending=Exists(transitions_sent_by(user).filter(pk=OuterRef("pk"))),
            receiving=Exists(transitions_received_by(user).filter(pk=OuterRef("pk"))),
        )
        .select_related("child", "sending_institution", "receiving_institution", "handover")
        .first()
    )
    if anchor is None or not (anchor.sending or anchor.receiving):
        raise Http404
    if anchor.sending:
        candidates = live.filter(
            pk__in=transitions_sent_by(user).values("pk"),
            sending_institution_id=anchor.sending_institution_id,
            receiving_institution_id=anchor.receiving_institution_id,
        )
        return VisitSide(anchor, anchor.sending_institution_id, candidates, sending=True)
    candidates = live.filter(
        pk__in=transitions_received_by(user).values("pk"),
        receiving_institution_id=anchor.receiving_institution_id,
    )
    return VisitSide(anchor, anchor.receiving_institution_id, candidates, sending=False)


def visits_visible_to(user) -> QuerySet[Visit]:
    """Visits with at least one transition this staff member may plan for."""
    if not user.is_authenticated:
        return Visit.objects.none()
    mine = VisitInvitation.objects.filter(
        visit=OuterRef("pk"), transition__in=plannable_transitions(user).values("pk")
    )
    return Visit.objects.filter(Exists(mine))


def get_visit_for_staff_or_404(user, pk) -> Visit:
    pk = id_or_404(pk)
    visit = (
        visits_visible_to(user)
        .filter(pk=pk)
        .select_related("institution", "receiving_institution", "created_by")
        .first()
    )
    if visit is None:
        raise Http404
    return visit


def can_cancel_visit(user, visit: Visit, *, now) -> bool:
    """Staff of the place that planned it, who see it, cancel a visit until it begins (the other
    place's staff may not see every child on it)."""
    if visit.is_cancelled or visit.starts_at <= now:
        return False
    return StaffMembership.objects.active().filter(user=user, institution_id=visit.institution_id).exists()
