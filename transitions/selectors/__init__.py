"""What the transition pages read, each in a fixed number of queries."""

from dataclasses import dataclass, field

from django.db.models import Case, IntegerField, Value, When
from django.utils import timezone

from children.models import Guardianship
from portal.audit.models import AccessEvent
from portal.statements import Statement, related_columns
from transitions.forms import SECTION_QUESTIONS
from transitions.models import HandoverConsent, HandoverSection, SectionEdit, Transition
from transitions.policies import (
    HandoverViewer,
    can_see_section,
    transitions_received_by,
    transitions_visible_to,
)

ORDER = {kind: i for i, kind in enumerate([*HandoverSection.STAFF_KINDS, HandoverSection.Kind.PARENTS_VIEW])}


@dataclass
class SectionRow:
    section: HandoverSection
    question: str
    # (custody holder's name, consent in force?) for each custody holder, consent model only.
    consents: list = field(default_factory=list)
    mine: bool | None = None  # the reader's own consent in force, when they hold custody
    edits: list = field(default_factory=list)

    @property
    def label(self):
        return self.section.get_kind_display()


def _label(kind):
    return HandoverSection.Kind(kind).label if kind in HandoverSection.Kind.values else kind


def _sections_in_order(handover) -> list[HandoverSection]:
    return list(
        HandoverSection.objects.filter(handover=handover)
        .annotate(
            order=Case(*(When(kind=k, then=Value(i)) for k, i in ORDER.items()), output_field=IntegerField())
        )
        .order_by("order", "pk")
    )


def _not_passed(handover, every) -> list[dict]:
    """The transfer note written when it was sent, and the sections withdrawn since."""
    return [
        {"label": _label(n["kind"]), "author_name": n.get("author_name", ""), "reason": n["reason"]}
        for n in handover.not_passed_on
    ] + [
        {"label": s.get_kind_display(), "author_name": s.author_name, "reason": "withdrawn"}
        for s in every
        if s.passed_on and s.withdrawn_at is not None
    ]


def handover_page(handover, viewer: HandoverViewer, user) -> dict:
    """The sections the viewer may see with their consents and history, what was not passed on, and who
    at the receiving place has opened it. Five queries."""
    transition = handover.transition
    every = _sections_in_order(handover)
    sections = [s for s in every if can_see_section(viewer, s)]
    custody = list(
        Guardianship.objects.active()
        .filter(child_id=transition.child_id, has_custody=True)
        .select_related("user")
        .order_by("user__first_name", "user_id")
    )
    in_force: dict[int, set] = {}
    rows = []
    family_or_sender = not viewer.receiving
    if handover.uses_consent and family_or_sender:
        for section_id, user_id in HandoverConsent.objects.filter(
            section__handover=handover,
            recipient_id=transition.receiving_institution_id,
            withdrawn_at__isnull=True,
        ).values_list("section_id", "user_id"):
            in_force.setdefault(section_id, set()).add(user_id)
    edits: dict[int, list] = {}
    if family_or_sender:
        for edit in SectionEdit.objects.filter(section__handover=handover).order_by("-at", "-pk"):
            edits.setdefault(edit.section_id, []).append(edit)
    for s in sections:
        row = SectionRow(section=s, question=SECTION_QUESTIONS[s.kind], edits=edits.get(s.pk, []))
        if s.basis == HandoverSection.Basis.CONSENT and family_or_sender:
            given = in_force.get(s.pk, set())
            row.consents = [(g.user.get_full_name() or g.user.email, g.user_id in given) for g in custody]
            if viewer.has_custody:
                row.mine = user.pk in given
        rows.append(row)
    reads = []
    if family_or_sender and handover.sent_at:
        reads = list(
            AccessEvent.objects.filter(
                child_id=transition.child_id, subject="handover_received", object_id=handover.pk
            ).order_by("at", "pk")[:50]
        )
    return {
        "transition": transition,
        "handover": handover,
        "staff_rows": [r for r in rows if not r.section.is_parents_view],
        "parent_rows": [r for r in rows if r.section.is_parents_view],
        "custody": custody,
        "reads": reads,
        "not_passed": _not_passed(handover, every),
    }


def handover_form(handover) -> dict:
    """The handover form the parents take with them: the sections that reached the new place (staff
    sections and each custody holder's view, in the page's order) and what was not passed on. One query."""
    every = _sections_in_order(handover)
    passed = [s for s in every if s.reaches_receiver and s.text]
    return {
        "transition": handover.transition,
        "handover": handover,
        "staff_sections": [s for s in passed if not s.is_parents_view],
        "parent_sections": [s for s in passed if s.is_parents_view],
        "not_passed": _not_passed(handover, every),
    }


def incoming(user, *, now=None) -> list[Transition]:
    """Handovers sent to where this staff member works: the children starting with us, each with the
    start of their next visit. One query."""
    from transitions.selectors.visits import next_visit_start

    return list(
        transitions_received_by(user)
        .annotate(next_visit=next_visit_start(now or timezone.now()))
        .select_related(
            "child", "sending_institution", "receiving_institution", "receiving_group", "handover"
        )
        .order_by("planned_on", "child__first_name", "pk")[:500]
    )


_CHILD_TRANSITIONS = Statement(
    lambda user, *, child: (
        transitions_visible_to(user)
        .filter(child_id=child)
        .exclude(status=Transition.Status.CANCELLED)
        .order_by("planned_on", "pk")
        .values(*related_columns(Transition, *CHILD_TRANSITION_RELATED))
    ),
    child=int,
)
CHILD_TRANSITION_RELATED = ("receiving_institution", "handover", "readiness")


def child_transitions(child, user) -> list[Transition]:
    """The child's transitions this person may see, for the child page. One query, its SQL compiled
    once per shape of person."""
    if not user.is_authenticated:
        return []
    return _CHILD_TRANSITIONS.objects(user, Transition, *CHILD_TRANSITION_RELATED, child=child.pk)
