"""What the visit pages read, each in a fixed number of queries."""

from dataclasses import dataclass

from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import timezone

from transitions.models import Transition, Visit, VisitInvitation
from transitions.policies.visits import plannable_transitions


@dataclass
class VisitRow:
    """A visit as one transition's page shows it."""

    visit: Visit
    meeting_id: int
    cancelled: bool
    upcoming: bool


def transition_visits(transition: Transition, *, now=None) -> list[VisitRow]:
    """The visits of one transition (its child's invitations only), by time. One query."""
    now = now or timezone.now()
    invitations = (
        VisitInvitation.objects.filter(transition=transition)
        .select_related("visit__institution", "meeting")
        .order_by("visit__starts_at", "pk")
    )
    return [
        VisitRow(
            visit=i.visit,
            meeting_id=i.meeting_id,
            cancelled=i.visit.is_cancelled or i.meeting.is_cancelled,
            upcoming=i.visit.ends_at > now,
        )
        for i in invitations
    ]


def visit_children(visit: Visit, user) -> list[VisitInvitation]:
    """The visit's children this staff member may see, with each family's meeting. One query."""
    return list(
        VisitInvitation.objects.filter(visit=visit, transition__in=plannable_transitions(user).values("pk"))
        .select_related(
            "transition__child", "transition__sending_institution", "transition__handover", "meeting"
        )
        .order_by("transition__child__first_name", "transition__child__last_name", "pk")
    )


def next_visit_start(now) -> Subquery:
    """For a transition: when its next visit that is not cancelled begins (an annotation)."""
    return Subquery(
        VisitInvitation.objects.filter(
            transition=OuterRef("pk"), visit__cancelled_at__isnull=True, visit__starts_at__gt=now
        )
        .order_by("visit__starts_at")
        .values("visit__starts_at")[:1]
    )


def visit_candidates(candidates: QuerySet[Transition]) -> list[Transition]:
    """The children a planner may bring on a visit (for the access log). One query."""
    return list(candidates.select_related("child"))
