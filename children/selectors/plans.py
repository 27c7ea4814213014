"""Reads the plan pages need, each in a fixed number of queries whatever the number of entries."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta

from django.db.models import F, OuterRef, Subquery, Value
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from children.models import (
    Child,
    Competence,
    Evidence,
    FocusPoint,
    Guardianship,
    LearningGoal,
    LearningPlan,
    PlanChange,
    PlanNote,
    PlanRead,
    PlanVersion,
)
from children.policies import children_in_group_visible_to
from children.policies.evidence import evidence_shown_to
from children.policies.plans import PlanViewer
from portal.meetings.models import FollowUp

QUIET_AFTER = timedelta(weeks=8)  # the group overview flags children nobody has written about since


def choice_label(choices, value) -> str:
    """The label of a stored code now (labels may change; an unknown code shows as itself)."""
    try:
        return str(choices(value).label)
    except ValueError:
        return value


@dataclass
class Entry:
    """A goal or focus point as a page shows it, from the live draft or a published snapshot."""

    kind: str  # "goal" or "focus_point"
    pk: int
    title: str
    label: str  # the theme or area
    status: str
    parts: list  # (heading, text) in reading order
    home_text: str
    notes: list = field(default_factory=list)
    follow_ups: list = field(default_factory=list)
    reflections: list = field(default_factory=list)  # the pupil's, on a focus point of a pupil plan
    evidence: list = field(default_factory=list)  # photos and files on the entry itself
    competence_ids: list = field(default_factory=list)  # as published (a draft's are filled in below)
    competences: list = field(default_factory=list)  # the competences of the framework it builds

    @property
    def anchor(self) -> str:
        return f"{'goal' if self.kind == 'goal' else 'focus'}-{self.pk}"

    @property
    def status_label(self) -> str:
        return choice_label(FocusPoint.Status, self.status)

    @property
    def reached(self) -> bool:
        return self.status == FocusPoint.Status.ACHIEVED


def _goal_entry(g: dict) -> Entry:
    return Entry(
        kind="goal",
        pk=g["id"],
        title=g["title"],
        label=choice_label(LearningGoal.Theme, g["theme"]),
        status=g["status"],
        parts=[(_("What it means"), g["description"])],
        home_text=g["home_activity"],
        competence_ids=g.get("competences", []),
    )


def _focus_entry(p: dict) -> Entry:
    parts = [(_("What the school does"), p["school_effort"])]
    if p.get("agreed"):
        parts.append((_("What we agreed"), p["agreed"]))
    return Entry(
        kind="focus_point",
        pk=p["id"],
        title=p["title"],
        label=choice_label(FocusPoint.Area, p["area"]),
        status=p["status"],
        parts=parts,
        home_text=p["home_support"],
        competence_ids=p.get("competences", []),
    )


def entries_from_snapshot(snapshot: dict) -> list[Entry]:
    return [
        *map(_focus_entry, snapshot.get("focus_points", [])),
        *map(_goal_entry, snapshot.get("goals", [])),
    ]


def draft_entries(plan: LearningPlan) -> list[Entry]:
    """The plan's live entries with the competences each builds (three queries)."""
    goals = LearningGoal.objects.filter(plan=plan).order_by("created_at", "pk")
    points = FocusPoint.objects.filter(plan=plan).order_by("created_at", "pk")
    goal_fields = ("title", "theme", "description", "home_activity", "status")
    point_fields = ("area", "title", "school_effort", "agreed", "home_support", "status")
    entries = [
        *(_focus_entry({"id": p.pk, **{n: getattr(p, n) for n in point_fields}}) for p in points),
        *(_goal_entry({"id": g.pk, **{n: getattr(g, n) for n in goal_fields}}) for g in goals),
    ]
    by_key = {(e.kind, e.pk): e for e in entries}
    for kind, entry_id, competence in draft_links(plan):
        entry = by_key.get((kind, entry_id))
        if entry is not None:
            entry.competences.append(competence)
    for entry in entries:
        entry.competences.sort(key=lambda c: (c.position, c.pk))
    return entries


def draft_links(plan: LearningPlan) -> list[tuple[str, int, Competence]]:
    """The competences linked to the plan's live goals and focus points, as (entry kind, entry id,
    competence). One query (a union), whatever the number of entries."""
    columns = ("entry_kind", "entry_id", "pk", "position", "name_da", "name_en")
    of_goals = (
        Competence.objects.filter(goals__plan=plan)
        .annotate(entry_kind=Value("goal"), entry_id=F("goals__pk"))
        .values_list(*columns)
        .order_by()
    )
    of_points = (
        Competence.objects.filter(focus_points__plan=plan)
        .annotate(entry_kind=Value("focus_point"), entry_id=F("focus_points__pk"))
        .values_list(*columns)
        .order_by()
    )
    return [
        (kind, entry_id, Competence(pk=pk, position=position, name_da=name_da, name_en=name_en))
        for kind, entry_id, pk, position, name_da, name_en in of_goals.union(of_points, all=True).order_by()
    ]


def _published_links(entries: list[Entry]) -> None:
    """The competences a published version names, by id (one query when it names any; a competence
    removed from the framework since is left out)."""
    ids = {pk for e in entries for pk in e.competence_ids}
    if not ids:
        return
    found = {
        c.pk: c for c in Competence.objects.filter(pk__in=ids).only("pk", "position", "name_da", "name_en")
    }
    for entry in entries:
        entry.competences = sorted(
            (found[pk] for pk in entry.competence_ids if pk in found), key=lambda c: (c.position, c.pk)
        )


@dataclass
class ReadReceipt:
    guardian: Guardianship
    read_at: object  # datetime or None


def plan_page(
    plan: LearningPlan, viewer: PlanViewer, *, number: int | None = None, with_evidence: bool = True
) -> dict:
    """What the plan page shows this viewer: families the published version (the latest, or ``number``),
    staff the draft (or a version when asked) with who has read the latest, and on a pupil plan what the
    pupil wrote; ``with_evidence``, the photos and files the viewer may open. At most twelve queries."""
    versions = list(PlanVersion.objects.filter(plan=plan).defer("snapshot").order_by("-number"))
    if number is None and viewer.is_guardian:
        number = plan.published_number or None
    version = None
    if number is not None:
        version = PlanVersion.objects.filter(plan=plan, number=number).first()
        if version is None:
            raise Http404
        entries = entries_from_snapshot(version.snapshot)
        _published_links(entries)
    elif viewer.is_guardian:
        entries = []  # nothing published yet: the family sees no draft
    else:
        entries = draft_entries(plan)

    by_key = {(e.kind, e.pk): e for e in entries}
    notes = PlanNote.objects.filter(plan=plan).order_by("created_at", "pk")
    notes_by_pk = {}
    for note in notes:
        key = ("goal", note.goal_id) if note.goal_id else ("focus_point", note.focus_point_id)
        note.attached = []
        notes_by_pk[note.pk] = note
        if key in by_key:
            by_key[key].notes.append(note)

    # Photos and files: on the entry, or on one of its notes. Staff also see those a guardian has asked
    # to be taken down (hidden from everyone else), to remove them.
    taken_down = []
    shown = Evidence.objects.filter(plan=plan).order_by("uploaded_at", "pk") if with_evidence else ()
    for evidence in shown:
        if evidence.takedown_requested_at is not None:
            if not viewer.is_guardian:
                taken_down.append(evidence)
            continue
        if not evidence_shown_to(viewer, evidence, number=number):
            continue
        if evidence.note_id is not None:
            if evidence.note_id in notes_by_pk:
                notes_by_pk[evidence.note_id].attached.append(evidence)
            continue
        key = ("goal", evidence.goal_id) if evidence.goal_id else ("focus_point", evidence.focus_point_id)
        if key in by_key:
            by_key[key].evidence.append(evidence)

    follow_ups = FollowUp.objects.filter(
        meeting__child_id=plan.child_id, meeting__institution_id=plan.institution_id
    ).select_related("meeting")
    if viewer.is_guardian:  # families see what was agreed once staff have shared the summary
        follow_ups = follow_ups.filter(meeting__summary_shared_at__isnull=False)
    loose = []
    for follow_up in follow_ups.order_by("follow_up_on", "pk"):
        entry = by_key.get(("goal", follow_up.learning_goal_id))
        (entry.follow_ups if entry else loose).append(follow_up)

    from children.selectors.pupils import pupil_voice

    pupil_messages = pupil_voice(plan, entries)

    reads = []
    if not viewer.is_guardian and plan.published_number:
        guardians = list(
            Guardianship.objects.with_information()
            .filter(child_id=plan.child_id)
            .select_related("user")
            .order_by("-has_custody", "user__first_name", "pk")
        )
        read_at = dict(
            PlanRead.objects.filter(
                version__plan=plan,
                version__number=plan.published_number,
                user__in=[g.user_id for g in guardians],
            ).values_list("user_id", "read_at")
        )
        reads = [ReadReceipt(g, read_at.get(g.user_id)) for g in guardians]
    return {
        "plan": plan,
        "viewer": viewer,
        "versions": versions,
        "version": version,
        "entries": entries,
        "follow_ups": loose,
        "pupil_messages": pupil_messages,
        "reads": reads,
        "taken_down": taken_down,
        "note_kinds": [
            (k, choice_label(PlanNote.Kind, k)) for k in PlanNote.Kind.values if k in viewer.note_kinds
        ],
    }


def plan_history(plan: LearningPlan) -> list[PlanChange]:
    """Every change to the plan's goals and focus points, newest first, with what it was about. One query."""
    return list(
        PlanChange.objects.filter(plan=plan)
        .select_related("goal", "focus_point")
        .only("action", "field", "before", "after", "actor_name", "at", "goal__title", "focus_point__title")
        .order_by("-at", "-pk")
    )


def latest_version(plan: LearningPlan) -> PlanVersion | None:
    if not plan.published_number:
        return None
    return PlanVersion.objects.filter(plan=plan, number=plan.published_number).first()


# ---------------------------------------------------------------------------------------------------
# The group overview
# ---------------------------------------------------------------------------------------------------
@dataclass
class OverviewRow:
    child: Child
    plan_id: int | None
    entries: list  # (title, label, status label, last note text or "")
    last_written: object  # datetime or None
    quiet: bool  # nobody has written about the child for QUIET_AFTER


def group_plan_overview(user, group, *, now=None) -> list[OverviewRow]:
    """Children in the group (as far as this staff member sees them) × their goals and focus points at
    the group's institution, each with status and last note, and whether the child has been written
    about in the last eight weeks. Four queries, whatever the number of children."""
    now = now or timezone.now()
    institution_id = group.institution_id
    plan_of_child = LearningPlan.objects.filter(child=OuterRef("pk"), institution_id=institution_id)
    last_note = PlanNote.objects.filter(
        plan__child=OuterRef("pk"), plan__institution_id=institution_id
    ).order_by("-created_at")
    last_change = PlanChange.objects.filter(
        plan__child=OuterRef("pk"), plan__institution_id=institution_id
    ).order_by("-at")
    children = list(
        children_in_group_visible_to(user, group)
        .annotate(
            plan_id=Subquery(plan_of_child.values("pk")[:1]),
            last_note_at=Subquery(last_note.values("created_at")[:1]),
            last_change_at=Subquery(last_change.values("at")[:1]),
        )
        .order_by("first_name", "last_name", "pk")
    )
    plan_ids = [c.plan_id for c in children if c.plan_id]

    def with_last_note(qs, fk):
        latest = PlanNote.objects.filter(**{fk: OuterRef("pk")}).order_by("-created_at", "-pk")
        return qs.filter(plan_id__in=plan_ids).annotate(last_note=Subquery(latest.values("text")[:1]))

    rows_by_plan = defaultdict(list)
    for p in with_last_note(FocusPoint.objects.all(), "focus_point").order_by("created_at", "pk"):
        rows_by_plan[p.plan_id].append(
            (p.title, p.get_area_display(), p.get_status_display(), p.last_note or "")
        )
    for g in with_last_note(LearningGoal.objects.all(), "goal").order_by("created_at", "pk"):
        rows_by_plan[g.plan_id].append(
            (g.title, g.get_theme_display(), g.get_status_display(), g.last_note or "")
        )
    rows = []
    for child in children:
        written = max((t for t in (child.last_note_at, child.last_change_at) if t), default=None)
        rows.append(
            OverviewRow(
                child=child,
                plan_id=child.plan_id,
                entries=rows_by_plan.get(child.plan_id, []),
                last_written=written,
                quiet=written is None or now - written > QUIET_AFTER,
            )
        )
    return rows
