"""What families have read of the plans: the parents' to-dos for a new version, and before a
conference who has opened the published plan (for the meeting pages and staff's to-dos)."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import Exists, F, OuterRef, Q, Subquery
from django.urls import reverse_lazy
from django.utils.text import format_lazy
from django.utils.translation import gettext as _

from children.models import Guardianship, LearningPlan, PlanRead
from children.selectors.plans import ReadReceipt, choice_label
from portal.access import guardian_child_ids
from portal.meetings.models import Meeting, MeetingKind
from portal.meetings.policies import meetings_managed_by
from portal.statements import Statement
from portal.todos import CHILD_FIELDS, LIMIT, ChildRef, Todo


# ---------------------------------------------------------------------------------------------------
# To-dos for the homes (portal.todos)
# ---------------------------------------------------------------------------------------------------
def unread_plans(user):
    """Plans of this guardian's children whose latest published version they have not opened."""
    read = PlanRead.objects.filter(
        user=user, version__plan=OuterRef("pk"), version__number=OuterRef("published_number")
    )
    return LearningPlan.objects.filter(child_id__in=guardian_child_ids(user), published_number__gt=0).exclude(
        Exists(read)
    )


_UNREAD_PLANS = Statement(
    lambda user: (
        unread_plans(user).order_by("child__first_name", "pk").values("pk", "kind", *CHILD_FIELDS)[:LIMIT]
    )
)


def plan_read_todos(user) -> list[Todo]:
    """Per plan of this parent's children: a new version they have not read yet. One query."""
    todos = []
    for plan in _UNREAD_PLANS.rows(user):
        name = {"name": plan["child__first_name"]}
        if plan["kind"] == LearningPlan.Kind.PUPIL:
            title = _("%(name)s's pupil plan has a new version") % name
        else:
            title = _("%(name)s's learning plan has a new version") % name
        todos.append(
            Todo(
                kind="plan",
                title=title,
                url=reverse_lazy("children:plan_detail", args=[plan["pk"]]),
                action=_("Read the new plan"),
                child=ChildRef.of(plan),
            )
        )
    return todos


# ---------------------------------------------------------------------------------------------------
# Before a conference: who of the family has read the published plan
# ---------------------------------------------------------------------------------------------------
CONFERENCE_READ_DAYS = 14  # staff's home names conferences this close where the family has not read


@dataclass
class PlanReading:
    """A child's published plan at one place and which guardians have opened its latest version."""

    plan_id: int
    kind: str
    number: int
    published_at: object
    readers: list = field(default_factory=list)  # ReadReceipt per guardian with the right to information

    @property
    def read(self) -> bool:
        return any(r.read_at for r in self.readers)

    @property
    def kind_label(self) -> str:
        return choice_label(LearningPlan.Kind, self.kind)


def plan_readings(child_ids, institution_id) -> dict[int, PlanReading]:
    """Per child with a published plan at the institution: the latest version and who of the guardians
    has read it. Two queries (one when no plan is published), whatever the number of children."""
    child_ids = list(child_ids)
    if not child_ids:
        return {}
    readings = {
        p["child_id"]: PlanReading(p["pk"], p["kind"], p["published_number"], p["published_at"])
        for p in LearningPlan.objects.filter(
            child_id__in=child_ids, institution_id=institution_id, published_number__gt=0
        )
        .order_by()
        .values("pk", "child_id", "kind", "published_number", "published_at")
    }
    if not readings:
        return {}
    read_at = PlanRead.objects.filter(
        user_id=OuterRef("user_id"),
        version__plan__child_id=OuterRef("child_id"),
        version__plan__institution_id=institution_id,
        version__number=F("version__plan__published_number"),
    ).values("read_at")[:1]
    guardians = (
        Guardianship.objects.with_information()
        .filter(child_id__in=list(readings))
        .select_related("user")
        .annotate(read_at=Subquery(read_at))
        .order_by("child_id", "-has_custody", "user__first_name", "pk")
    )
    for g in guardians:
        readings[g.child_id].readers.append(ReadReceipt(g, g.read_at))
    return readings


def _unread_conferences(user, *, now, until):
    plan = LearningPlan.objects.filter(
        child_id=OuterRef("child_id"), institution_id=OuterRef("institution_id"), published_number__gt=0
    ).order_by()
    read = PlanRead.objects.filter(
        version__plan_id=OuterRef("plan_id"), version__number=OuterRef("plan_number")
    )
    window = Q(kind=MeetingKind.CONFERENCE, child__isnull=False, starts_at__lte=until, ends_at__gt=now)
    return (
        meetings_managed_by(user, within=window)
        .live()
        .exclude(status=Meeting.Status.HELD)
        .annotate(
            plan_id=Subquery(plan.values("pk")[:1]),
            plan_number=Subquery(plan.values("published_number")[:1]),
        )
        .filter(plan_id__isnull=False)
        .exclude(Exists(read))
        .order_by("starts_at", "pk")
        .values("pk", "starts_at", *CHILD_FIELDS)[:LIMIT]
    )


_UNREAD_CONFERENCES = Statement(_unread_conferences, now=datetime, until=datetime)


def conference_unread_plan_todos(user, *, now) -> list[Todo]:
    """Staff's conferences in the next two weeks where no one of the family has opened the latest
    published plan yet: a nudge to remind them, due when the conference begins. One query."""
    rows = _UNREAD_CONFERENCES.rows(user, now=now, until=now + timedelta(days=CONFERENCE_READ_DAYS))
    return [
        Todo(
            kind="plan_unread",
            title=_("%(name)s's family has not read the plan before the conference")
            % {"name": row["child__first_name"]},
            url=format_lazy("{}#plan-read", reverse_lazy("meetings:staff_meeting_detail", args=[row["pk"]])),
            action=_("See who has read it"),
            deadline=row["starts_at"],
            child=ChildRef.of(row),
        )
        for row in rows
    ]
