"""What the school readiness assessment page reads, in a fixed number of queries."""

from dataclasses import dataclass, field

from children.models import Guardianship
from transitions.models import ReadinessConfirmation, ReadinessEdit, ReadinessPart

ORDER = {
    ReadinessPart.Kind.LEADER_VIEW: 0,
    ReadinessPart.Kind.DAYCARE_SUPPORT: 1,
    ReadinessPart.Kind.PARENTS_VIEW: 2,
    ReadinessPart.Kind.SCHOOL_VIEW: 3,
}


@dataclass
class PartRow:
    part: ReadinessPart
    edits: list = field(default_factory=list)

    @property
    def label(self):
        return self.part.get_kind_display()


def readiness_page(assessment, user) -> dict:
    """The parts in the order of the law (the leader's view, what daycare will do, the parents' views,
    the school's view) with their history, and each custody holder's confirmation. Four queries."""
    parts = sorted(
        ReadinessPart.objects.filter(assessment=assessment), key=lambda p: (ORDER.get(p.kind, 9), p.pk)
    )
    edits: dict[int, list] = {}
    for edit in ReadinessEdit.objects.filter(part__assessment=assessment).order_by("-at", "-pk"):
        edits.setdefault(edit.part_id, []).append(edit)
    rows = [PartRow(part=p, edits=edits.get(p.pk, [])) for p in parts]
    confirmations = {c.user_id: c for c in ReadinessConfirmation.objects.filter(assessment=assessment)}
    custody = list(
        Guardianship.objects.active()
        .filter(child_id=assessment.transition.child_id, has_custody=True)
        .select_related("user")
        .order_by("user__first_name", "user_id")
    )
    holders = [(g.user.get_full_name() or g.user.email, confirmations.get(g.user_id)) for g in custody]
    by_kind = {r.part.kind: r for r in rows if r.part.author_id is None}
    return {
        "assessment": assessment,
        "transition": assessment.transition,
        "child": assessment.transition.child,
        "leader_rows": [by_kind[k] for k in ReadinessPart.LEADER_KINDS if k in by_kind],
        "parent_rows": [r for r in rows if r.part.kind == ReadinessPart.Kind.PARENTS_VIEW],
        "school_row": by_kind.get(ReadinessPart.Kind.SCHOOL_VIEW),
        "own_view": next((r for r in rows if r.part.author_id == user.pk), None),
        "holders": holders,
        "my_confirmation": confirmations.get(user.pk),
        "disagreements": [c for c in confirmations.values() if c.disagrees],
    }
