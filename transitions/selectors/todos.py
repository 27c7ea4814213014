"""The handover to-dos on the homes (``portal.todos``): each one query, precompiled, due on the planned
date of the move."""

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse_lazy
from django.utils.translation import gettext as _

from children.models import Guardianship
from portal.statements import Statement
from portal.todos import CHILD_FIELDS, LIMIT, ChildRef, Todo
from transitions.models import Handover, HandoverConsent, HandoverSection, SharingModel, Transition
from transitions.policies import transitions_received_by, transitions_sent_by

OPEN = (Transition.Status.PLANNED, Transition.Status.IN_PROGRESS)
HANDOVER_CHILD_FIELDS = tuple(f"transition__{name}" for name in CHILD_FIELDS)


def _to_send(user):
    return (
        transitions_sent_by(user)
        .filter(status__in=OPEN, handover__send_requested_at__isnull=True)
        .order_by("planned_on", "pk")
        .values("handover__id", "planned_on", "receiving_institution__name", *CHILD_FIELDS)[:LIMIT]
    )


def _for_parents(user):
    own_view = HandoverSection.objects.filter(
        handover=OuterRef("pk"), kind=HandoverSection.Kind.PARENTS_VIEW, author_id=user.pk
    ).exclude(text="")
    decided = HandoverConsent.objects.filter(
        section=OuterRef("pk"),
        user_id=user.pk,
        recipient_id=OuterRef("handover__transition__receiving_institution_id"),
    )
    undecided = (
        HandoverSection.objects.filter(
            handover=OuterRef("pk"), author__isnull=True, basis=HandoverSection.Basis.CONSENT
        )
        .exclude(text="")
        .exclude(Exists(decided))
    )
    custody = Guardianship.objects.active().filter(user_id=user.pk, has_custody=True).values("child_id")
    return (
        Handover.objects.filter(
            transition__child_id__in=custody,
            transition__status__in=OPEN,
            send_requested_at__isnull=True,
        )
        .annotate(has_view=Exists(own_view), undecided=Exists(undecided))
        .filter(Q(has_view=False) | Q(sharing_model=SharingModel.CONSENT, undecided=True))
        .order_by("transition__planned_on", "pk")
        .values("pk", "transition__planned_on", *HANDOVER_CHILD_FIELDS, "has_view", "undecided")[:LIMIT]
    )


def _to_confirm(user):
    return (
        transitions_received_by(user)
        .filter(status=Transition.Status.SENT)
        .order_by("planned_on", "pk")
        .values("handover__id", "planned_on", "sending_institution__name", *CHILD_FIELDS)[:LIMIT]
    )


_TO_SEND = Statement(_to_send)
_FOR_PARENTS = Statement(_for_parents)
_TO_CONFIRM = Statement(_to_confirm)


def send_todos(user) -> list[Todo]:
    """Handovers this staff member writes that are not sent yet, due on the planned date. One query."""
    return [
        Todo(
            kind="handover",
            title=_("Write and send %(name)s's handover to %(place)s")
            % {"name": row["child__first_name"], "place": row["receiving_institution__name"]},
            url=reverse_lazy("transitions:handover_detail", args=[row["handover__id"]]),
            action=_("Open the handover"),
            deadline=row["planned_on"],
            child=ChildRef.of(row),
        )
        for row in _TO_SEND.rows(user)
    ]


def parent_handover_todos(user) -> list[Todo]:
    """Per handover of this custody holder's children still being written: add their own view, or
    (consent model) say yes or no to the written sections they have not decided on. One query."""
    todos = []
    for row in _FOR_PARENTS.rows(user):
        name = row["transition__child__first_name"]
        if row["undecided"]:
            title = _("Decide what %(name)s's new place may receive") % {"name": name}
            action = _("Read and decide")
        else:
            title = _("Add your view to %(name)s's handover") % {"name": name}
            action = _("Write your view")
        todos.append(
            Todo(
                kind="handover",
                title=title,
                url=reverse_lazy("transitions:handover_detail", args=[row["pk"]]),
                action=action,
                deadline=row["transition__planned_on"],
                child=ChildRef.of(row, prefix="transition__child"),
            )
        )
    return todos


def receipt_todos(user) -> list[Todo]:
    """Handovers sent to where this staff member works and not yet confirmed as received. One query."""
    return [
        Todo(
            kind="handover_receipt",
            title=_("Confirm you have received %(name)s's handover from %(place)s")
            % {"name": row["child__first_name"], "place": row["sending_institution__name"]},
            url=reverse_lazy("transitions:handover_detail", args=[row["handover__id"]]),
            action=_("Read and confirm"),
            deadline=row["planned_on"],
            child=ChildRef.of(row),
        )
        for row in _TO_CONFIRM.rows(user)
    ]
