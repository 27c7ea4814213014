"""The handover to-dos on the homes (``portal.todos``): each one query, precompiled, due on the planned
date of the move."""

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse_lazy
from django.utils.translation import gettext as _

from children.models import Guardianship
from portal.access import roles_of
from portal.statements import Statement
from portal.todos import CHILD_FIELDS, LIMIT, ChildRef, Todo
from transitions.models import (
    Handover,
    HandoverConsent,
    HandoverSection,
    ReadinessAssessment,
    ReadinessConfirmation,
    ReadinessPart,
    SharingModel,
    Transition,
)
from transitions.policies import leads_institution_ids, transitions_received_by, transitions_sent_by

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


# School readiness assessments (Dagtilbudsloven § 29 a), due on the planned date of the move.
READINESS_FIELDS = ("pk", "status", "transition__planned_on", *HANDOVER_CHILD_FIELDS)
Readiness = ReadinessAssessment.Status


def _readiness_for_daycare_leader(user):
    leading = transitions_sent_by(user).filter(sending_institution_id__in=leads_institution_ids(user))
    return (
        ReadinessAssessment.objects.filter(
            status__in=[Readiness.REQUESTED, Readiness.OPEN], transition__in=leading.values("pk")
        )
        .exclude(transition__status=Transition.Status.CANCELLED)
        .order_by("transition__planned_on", "pk")
        .values(*READINESS_FIELDS)[:LIMIT]
    )


def _readiness_for_school_leader(user):
    school_view = ReadinessPart.objects.filter(
        assessment=OuterRef("pk"), kind=ReadinessPart.Kind.SCHOOL_VIEW
    ).exclude(text="")
    return (
        ReadinessAssessment.objects.filter(
            transition__receiving_institution_id__in=leads_institution_ids(user),
        )
        .exclude(transition__status=Transition.Status.CANCELLED)
        .annotate(written=Exists(school_view))
        .filter(Q(status=Readiness.OPEN, written=False) | Q(status=Readiness.COMPLETE, outcome=""))
        .order_by("transition__planned_on", "pk")
        .values(*READINESS_FIELDS, "transition__sending_institution__name")[:LIMIT]
    )


def _readiness_for_parents(user):
    own_view = ReadinessPart.objects.filter(
        assessment=OuterRef("pk"), kind=ReadinessPart.Kind.PARENTS_VIEW, author_id=user.pk
    ).exclude(text="")
    confirmed = ReadinessConfirmation.objects.filter(assessment=OuterRef("pk"), user_id=user.pk)
    custody = Guardianship.objects.active().filter(user_id=user.pk, has_custody=True).values("child_id")
    return (
        ReadinessAssessment.objects.filter(transition__child_id__in=custody)
        .exclude(transition__status=Transition.Status.CANCELLED)
        .annotate(has_view=Exists(own_view), confirmed=Exists(confirmed))
        .filter(Q(status=Readiness.OPEN, has_view=False) | Q(status=Readiness.COMPLETE, confirmed=False))
        .order_by("transition__planned_on", "pk")
        .values(*READINESS_FIELDS)[:LIMIT]
    )


_READINESS_DAYCARE = Statement(_readiness_for_daycare_leader)
_READINESS_SCHOOL = Statement(_readiness_for_school_leader)
_READINESS_PARENTS = Statement(_readiness_for_parents)


def _readiness_todo(row, title, action) -> Todo:
    return Todo(
        kind="readiness",
        title=title,
        url=reverse_lazy("transitions:readiness_detail", args=[row["pk"]]),
        action=action,
        deadline=row["transition__planned_on"],
        child=ChildRef.of(row, prefix="transition__child"),
    )


def readiness_staff_todos(user) -> list[Todo]:
    """Leaders only: the daycare's leader starts and finishes the assessments of children leaving; the
    school's leader adds their view and, once complete, records the decision. One query each."""
    if not roles_of(user).leader:
        return []
    todos = []
    for row in _READINESS_DAYCARE.rows(user):
        names = {"name": row["transition__child__first_name"]}
        if row["status"] == Readiness.REQUESTED:
            title = _("Start %(name)s's school readiness assessment: the parents asked") % names
        else:
            title = _("Write and complete %(name)s's school readiness assessment") % names
        todos.append(_readiness_todo(row, title, _("Open the assessment")))
    for row in _READINESS_SCHOOL.rows(user):
        names = {
            "name": row["transition__child__first_name"],
            "place": row["transition__sending_institution__name"],
        }
        if row["status"] == Readiness.OPEN:
            title = _("Add your view on %(name)s's school readiness (from %(place)s)") % names
        else:
            title = _("Record the decision on %(name)s's school start with the parents") % names
        todos.append(_readiness_todo(row, title, _("Open the assessment")))
    return todos


def readiness_parent_todos(user) -> list[Todo]:
    """Custody holders: add their view while it is written, then confirm they have seen it. One query."""
    todos = []
    for row in _READINESS_PARENTS.rows(user):
        names = {"name": row["transition__child__first_name"]}
        if row["status"] == Readiness.OPEN:
            todos.append(
                _readiness_todo(
                    row, _("Add your view on %(name)s's school start") % names, _("Write your view")
                )
            )
        else:
            todos.append(
                _readiness_todo(
                    row,
                    _("Confirm you have seen %(name)s's school readiness assessment") % names,
                    _("Read and confirm"),
                )
            )
    return todos
