"""Learning plans for every child's current place, written once with COPY, for ``bench_plans``.

Each child with a current place at a daycare or a school gets its plan there: a pupil plan with three
focus points at school, a daycare plan with three goals elsewhere. Each entry has its history (written,
a status change, an edit), staff's "what we saw" and next step, a parent's comment and "what we see at
home", and two photos' metadata (on the entry and on "what we saw"; no file behind them); each plan
two published versions (the second with a snapshot of the entries), read by most
custody holders, and a draft changed since for some. Children who already have a plan at the place
(the small demo's) keep theirs. Written only when missing, so the benchmark can run again and again.
"""

import datetime
import random
import time

from django.db import transaction
from django.utils import timezone

from children.models import (
    Enrollment,
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
from portal.benchmarks.data import _done
from portal.demo.bulk import BulkWriter
from portal.organisation.models import Institution, StaffMembership

VERSION_NOTE = "Før samtalerne (benchmark)"  # marks the benchmark's versions: seeded once
PLAN_KINDS = (
    Institution.Kind.CHILDMINDING,
    Institution.Kind.NURSERY,
    Institution.Kind.KINDERGARTEN,
    Institution.Kind.INTEGRATED,
    Institution.Kind.SCHOOL,
)
PLAN = [
    "id", "child_id", "institution_id", "kind", "school_year", "published_number", "published_at",
    "draft_changed_at", "created_by_id", "created_at",
]  # fmt: skip
GOAL = [
    "id", "child_id", "institution_id", "title", "description", "theme", "status", "home_activity",
    "plan_id", "created_by_id", "created_at", "updated_at",
]  # fmt: skip
POINT = [
    "id", "plan_id", "area", "title", "school_effort", "agreed", "home_support", "status", "created_by_id",
    "created_at", "updated_at",
]  # fmt: skip
VERSION = [
    "id",
    "plan_id",
    "number",
    "published_by_id",
    "published_by_name",
    "published_at",
    "note",
    "snapshot",
]
READ = ["id", "version_id", "user_id", "read_at"]
CHANGE = [
    "id", "plan_id", "goal_id", "focus_point_id", "action", "field", "before", "after", "actor_id",
    "actor_name", "at",
]  # fmt: skip
NOTE = [
    "id", "plan_id", "goal_id", "focus_point_id", "kind", "text", "observed_on", "author_id", "author_name",
    "author_role", "created_at",
]  # fmt: skip
EVIDENCE = [
    "id", "plan_id", "goal_id", "focus_point_id", "note_id", "kind", "caption", "content_type", "size",
    "original_name", "storage_key", "thumbnail_key", "uploaded_by_id", "uploaded_by_name", "uploader_role",
    "uploaded_at", "published_in",
]  # fmt: skip

GOALS = [
    ("language", "Kan fortælle om sin dag", "Øver at fortælle med hele sætninger.",
     "Spørg ved aftensmaden: hvad var det sjoveste i dag?"),
    ("social", "Leger med nye børn", "Tør invitere andre ind i legen.", "Lav en legeaftale med et nyt barn."),
    ("body", "Tager selv tøj på", "Øver lynlås og sko.", "Giv god tid om morgenen, og lad barnet prøve."),
    ("nature", "Undrer sig over naturen", "Samler og sorterer ting fra skoven.",
     "Gå en tur og tal om det, I finder."),
    ("personal", "Venter på sin tur", "Øver at vente i spil og samtaler.", "Spil et brætspil sammen."),
]  # fmt: skip
POINTS = {
    "language_awareness": ("Hører rim og første lyde", "Vi leger med rim hver dag.", "Læs rim og remser."),
    "maths_awareness": ("Tæller og sammenligner", "Vi tæller i hverdagen.", "Tæl trapper og tallerkener."),
    "danish": ("Læser med forståelse", "Læsebånd og samtale om teksten.", "Læs højt 15 minutter om dagen."),
    "mathematics": ("Regner i hovedet", "Daglig hovedregning i klassen.", "Regn med, når I handler ind."),
    "after_school": ("Tanker om uddannelse", "Vi besøger ungdomsuddannelser.", "Tal om jeres egne job."),
    "support": ("Ro til at arbejde", "Faste pladser og pauser.", "Aftal en fast lektietid."),
}
STATUSES = ["planned", "in_progress", "in_progress", "in_progress", "achieved"]


def _areas(school_year) -> list[str]:
    return FocusPoint.areas_for(school_year, support=True)[:3]


def plans(municipality, out, *, seed: int = 2017) -> None:
    """The benchmark's plans (see the module's docstring); nothing when they are there already."""
    if PlanVersion.objects.filter(plan__institution__municipality=municipality, note=VERSION_NOTE).exists():
        return
    rng = random.Random(seed)
    started = time.perf_counter()
    now = timezone.now()
    places = (
        Enrollment.objects.current()
        .filter(institution__municipality=municipality, institution__kind__in=PLAN_KINDS)
        .order_by("child_id", "institution_id", "pk")
        .values_list("child_id", "institution_id", "institution__kind", "institution__name", "group_id",
                     "group__school_year")
    )  # fmt: skip
    existing = set(
        LearningPlan.objects.filter(institution__municipality=municipality).values_list(
            "child_id", "institution_id"
        )
    )
    custody: dict[int, list[tuple[int, str]]] = {}
    for child_id, user_id, first, last in (
        Guardianship.objects.active()
        .filter(child__municipality=municipality)
        .order_by("child_id", "-has_custody", "user_id")
        .values_list("child_id", "user_id", "user__first_name", "user__last_name")
    ):
        custody.setdefault(child_id, []).append((user_id, f"{first} {last}"))
    staff_of_group: dict[int, tuple[int, str]] = {}
    staff_of_place: dict[int, tuple[int, str]] = {}
    for institution_id, group_id, user_id, first, last in (
        StaffMembership.objects.active()
        .filter(institution__municipality=municipality)
        .order_by("-pk")
        .values_list("institution_id", "groups", "user_id", "user__first_name", "user__last_name")
    ):
        staff_of_place[institution_id] = (user_id, f"{first} {last}")
        if group_id:
            staff_of_group[group_id] = (user_id, f"{first} {last}")

    writer = BulkWriter(
        tables=[
            (LearningPlan, PLAN),
            (LearningGoal, GOAL),
            (FocusPoint, POINT),
            (PlanVersion, VERSION),
            (PlanRead, READ),
            (PlanChange, CHANGE),
            (PlanNote, NOTE),
            (Evidence, EVIDENCE),
        ]
    )
    ids = {model: writer.ids(model) for model in writer.tables}
    seen = set()
    with transaction.atomic():
        for child_id, institution_id, kind, place_name, group_id, school_year in places.iterator(5000):
            if (child_id, institution_id) in existing or (child_id, institution_id) in seen:
                continue
            seen.add((child_id, institution_id))
            staff = (
                staff_of_group.get(group_id) or staff_of_place.get(institution_id) or (None, "Medarbejder")
            )
            parents = custody.get(child_id, [])
            _plan(
                writer, ids, rng, now, child_id, institution_id, kind, place_name, school_year, staff, parents
            )
        writer.flush()
    writer.analyze()
    _done(out, "plans", started, writer)


def _plan(w, ids, rng, now, child_id, institution_id, kind, place_name, school_year, staff, parents):
    pupil = kind == Institution.Kind.SCHOOL
    plan_id = next(ids[LearningPlan])
    created = now - datetime.timedelta(days=rng.randint(120, 400))
    first_published = created + datetime.timedelta(days=rng.randint(10, 40))
    published = now - datetime.timedelta(days=rng.randint(5, 60))
    draft_changed = published + datetime.timedelta(hours=2) if rng.random() < 0.3 else published
    staff_id, staff_name = staff
    w.rows(LearningPlan).append(
        (plan_id, child_id, institution_id, "pupil" if pupil else "daycare", school_year if pupil else None,
         2, published, draft_changed, staff_id, created)
    )  # fmt: skip
    snapshot = {"kind": "pupil" if pupil else "daycare", "school_year": school_year if pupil else None,
                "institution": place_name, "goals": [], "focus_points": []}  # fmt: skip
    entries = []  # (goal id, focus point id, title)
    if pupil:
        for area in _areas(school_year):
            title, effort, home = POINTS[area]
            point_id, status = next(ids[FocusPoint]), rng.choice(STATUSES)
            agreed = "Vi følger op til næste samtale." if rng.random() < 0.5 else ""
            w.rows(FocusPoint).append(
                (point_id, plan_id, area, title, effort, agreed, home, status, staff_id, created, published)
            )
            snapshot["focus_points"].append(
                {"id": point_id, "area": area, "title": title, "school_effort": effort, "agreed": agreed,
                 "home_support": home, "status": status}
            )  # fmt: skip
            entries.append((None, point_id, title))
    else:
        for theme, title, description, home in rng.sample(GOALS, 3):
            goal_id, status = next(ids[LearningGoal]), rng.choice(STATUSES)
            w.rows(LearningGoal).append(
                (goal_id, child_id, institution_id, title, description, theme, status, home, plan_id,
                 staff_id, created, published)
            )  # fmt: skip
            snapshot["goals"].append(
                {"id": goal_id, "title": title, "theme": theme, "description": description,
                 "home_activity": home, "status": status}
            )  # fmt: skip
            entries.append((goal_id, None, title))
    first = {**snapshot, "goals": snapshot["goals"][:2], "focus_points": snapshot["focus_points"][:2]}
    version_ids = []
    for number, at, shot in ((1, first_published, first), (2, published, snapshot)):
        version_ids.append(next(ids[PlanVersion]))
        w.rows(PlanVersion).append(
            (version_ids[-1], plan_id, number, staff_id, staff_name, at, VERSION_NOTE if number == 2 else "",
             shot)
        )  # fmt: skip
    for user_id, _name in parents:
        if rng.random() < 0.85:
            w.rows(PlanRead).append((next(ids[PlanRead]), version_ids[0], user_id, first_published))
        if rng.random() < 0.6:
            w.rows(PlanRead).append((next(ids[PlanRead]), version_ids[1], user_id, published))
    parent = parents[0] if parents else (None, "Forælder")
    for goal_id, point_id, title in entries:
        written = created + datetime.timedelta(minutes=rng.randint(0, 600))
        changes = [
            ("created", "", "", title, written),
            ("status", "status", "planned", "in_progress", written + datetime.timedelta(days=20)),
        ]
        if rng.random() < 0.5:
            changes.append(
                ("edited", "title", title + " (kladde)", title, written + datetime.timedelta(days=1))
            )
        for action, field, before, after, at in changes:
            w.rows(PlanChange).append(
                (next(ids[PlanChange]), plan_id, goal_id, point_id, action, field, before, after, staff_id,
                 staff_name, at)
            )  # fmt: skip
        saw = published - datetime.timedelta(days=rng.randint(1, 60))
        notes = [
            ("progress", "Vi så det i samlingen i dag.", saw.date(), staff_id, staff_name, "staff", saw),
            ("next_step", "Næste skridt: øve det i små grupper.", None, staff_id, staff_name, "staff", saw),
            ("comment", "Tak, det lyder godt.", None, parent[0], parent[1], "custody", published),
            ("at_home", "Derhjemme taler vi om det ved aftensmaden.", None, parent[0], parent[1], "custody",
             published + datetime.timedelta(days=1)),
        ]  # fmt: skip
        for kind, text, observed_on, author_id, author_name, role, at in notes:
            note_id = next(ids[PlanNote])
            w.rows(PlanNote).append(
                (note_id, plan_id, goal_id, point_id, kind, text, observed_on, author_id, author_name,
                 role, at)
            )  # fmt: skip
            if kind == "progress":  # a photo of what they saw, and one on the entry itself
                for on_note, caption in ((note_id, "Billede fra samlingen"), (None, "Tegning")):
                    evidence_id = next(ids[Evidence])
                    w.rows(Evidence).append(
                        (evidence_id, plan_id, goal_id, point_id, on_note, "image", caption, "image/jpeg",
                         180_000, "billede.jpg", f"bench/{plan_id}/{evidence_id}.jpg",
                         f"bench/{plan_id}/{evidence_id}-thumb.jpg", staff_id, staff_name, "staff", at, 2)
                    )  # fmt: skip
