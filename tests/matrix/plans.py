"""Learning plans in the authorization matrix.

Every child of the world has a plan at the place of its goal, published once (so the family reads the
goal with the child's record marker). Emil's plan has a change since then (a draft to publish) and a
note carrying his record marker; Freja's pupil plan at the school has a focus point with hers. Karl, new
in Mariehønen, has no plan yet. Anna (custody) comments, tells what she sees at home and marks a home
activity tried; Mikkel (no custody) only comments; Carla writes for Emil (her group) and only reads Ida's
plan; Lene writes for the whole of Solsikken; administrators never see a plan.
"""

from datetime import timedelta

from django.utils import timezone

from children.models import FocusPoint, LearningPlan, PlanChange, PlanNote, PlanRead, PlanVersion
from tests import factories as f
from tests.matrix.base import DONE, FORM, GET_NOT_ALLOWED, OK, Case, only

SNAPSHOT_MODELS = [LearningPlan, FocusPoint, PlanVersion, PlanRead, PlanChange, PlanNote]
WRITING = {
    "children:plan_start",
    "children:plan_publish",
    "children:plan_note_create",
    "children:focus_point_create",
    "children:focus_point_edit",
}

READERS = {
    "emil": ("anna", "mikkel", "carla", "lene"),
    "ida": ("carla", "lene"),
    "freja": ("bo", "dorte"),
    "baby": ("sofie",),
    "soeren": (),
    "viggo": (),  # left Mariehønen
}
STAFF_READERS = {"emil": ("carla", "lene"), "freja": ("dorte",), "ida": ("carla", "lene")}


def build(w):
    c = w.cast
    karl = f.ChildFactory(municipality=c.aarhus, first_name="Karl", last_name="Bech")
    f.EnrollmentFactory(child=karl, group=c.mariehonen)
    w.children_without_plan = {"karl": karl}
    w.plans = {key: goal.plan for key, goal in w.goals.items()}
    for plan in w.plans.values():
        f.publish_plan(plan)
    freja = w.plans["freja"]
    w.focus_points = {
        "freja": FocusPoint.objects.create(
            plan=freja,
            area=FocusPoint.Area.DANISH,
            title=f"Læse længere tekster {w.record_marks['freja']}",
            school_effort=f"{w.record_marks['freja']} Læsebånd hver morgen.",
            home_support=f"{w.record_marks['freja']} Læs 20 minutter hver aften.",
        )
    }
    emil = w.plans["emil"]
    PlanNote.objects.create(
        plan=emil,
        goal=w.goals["emil"],
        kind=PlanNote.Kind.PROGRESS,
        text=f"Fortalte om turen {w.record_marks['emil']}",
        observed_on=timezone.localdate(),
        author=c.carla,
        author_name="Carla Hansen",
        author_role=PlanNote.Role.STAFF,
        created_at=timezone.now(),
    )
    for key in ("emil", "ida", "freja"):  # each goal's history begins with its writing
        PlanChange.objects.create(
            plan=w.plans[key],
            goal=w.goals[key],
            action=PlanChange.Kind.CREATED,
            after=w.goals[key].title,
            actor=w.goals[key].created_by,
            actor_name="Staff",
            at=timezone.now() - timedelta(days=1),
        )
    for key in ("emil", "freja"):  # a change since the version: a draft to publish
        later = timezone.now() + timedelta(seconds=1)
        LearningPlan.objects.filter(pk=w.plans[key].pk).update(draft_changed_at=later)


def plan(key):
    return lambda w: {"pk": w.plans[key].pk}


def shows_record(key):
    return lambda w, persona: {w.record_marks[key]}


def note(kind, *, date=False):
    def data(w):
        payload = {"entry": f"goal-{w.goals['emil'].pk}", "kind": kind, "text": "Det gik godt i weekenden"}
        if date:
            payload["observed_on"] = timezone.localdate().isoformat()
        return payload

    return data


def focus_point_payload(w):
    return {
        "area": FocusPoint.Area.MATHEMATICS,
        "title": f"Gange med to {w.record_marks['freja']}",
        "school_effort": "Vi øver med terninger.",
        "agreed": "",
        "home_support": "Spil terningespil.",
        "status": FocusPoint.Status.IN_PROGRESS,
    }


MATRIX = {
    "children:plan_start": [
        Case(
            "Karl (no plan yet)",
            lambda w: {"child_pk": w.children_without_plan["karl"].pk},
            get=GET_NOT_ALLOWED,
            post=only(carla=DONE, lene=DONE),
            data=lambda w: {},
        ),
        Case("Søren", lambda w: {"child_pk": w.children["soeren"].pk}, post=only(), data=lambda w: {}),
    ],
    "children:plan_detail": [
        Case(key, plan(key), get=only(**dict.fromkeys(readers, OK)), shows=shows_record(key))
        for key, readers in READERS.items()
    ],
    "children:plan_version": [
        Case(
            f"{key}, version 1",
            lambda w, key=key: {"pk": w.plans[key].pk, "number": 1},
            get=only(**dict.fromkeys(readers, OK)),
            shows=shows_record(key),
        )
        for key, readers in READERS.items()
    ],
    # A PDF's text is compressed: the markers are checked in tests/children/test_plan_pdf.py.
    "children:plan_pdf": [
        Case(key, plan(key), get=only(**dict.fromkeys(readers, OK))) for key, readers in READERS.items()
    ],
    "children:plan_history": [
        Case(key, plan(key), get=only(**dict.fromkeys(readers, OK)), shows=shows_record(key))
        for key, readers in STAFF_READERS.items()
    ],
    "children:plan_publish": [
        Case(
            "Emil (changed)",
            plan("emil"),
            get=GET_NOT_ALLOWED,
            post=only(carla=DONE, lene=DONE),
            data=lambda w: {},
        ),
        Case("Ida (nothing new)", plan("ida"), post=only(lene=FORM), data=lambda w: {}),
        Case("Freja (changed)", plan("freja"), post=only(dorte=DONE), data=lambda w: {"note": "Ny læsning"}),
        Case("Søren", plan("soeren"), post=only(), data=lambda w: {}),
    ],
    "children:plan_note_create": [
        Case(
            "a comment on Emil's goal",
            plan("emil"),
            get=GET_NOT_ALLOWED,
            post=only(anna=DONE, mikkel=DONE, carla=DONE, lene=DONE),
            data=note("comment"),
        ),
        Case(
            "what we see at home",
            plan("emil"),
            post=only(anna=DONE, mikkel=FORM, carla=FORM, lene=FORM),
            data=note("at_home"),
        ),
        Case(
            "tried it",
            plan("emil"),
            post=only(anna=DONE, mikkel=FORM, carla=FORM, lene=FORM),
            data=note("tried"),
        ),
        Case(
            "what we saw (progress)",
            plan("emil"),
            post=only(anna=FORM, mikkel=FORM, carla=DONE, lene=DONE),
            data=note("progress", date=True),
        ),
        Case(
            "Emil's goal under Ida's plan",
            plan("ida"),
            post=only(lene=FORM),  # Lene writes Ida's plan, but the goal is not in it
            data=note("comment"),
        ),
        Case("Søren's plan", plan("soeren"), post=only(), data=note("comment")),
    ],
    "children:focus_point_create": [
        Case(
            "Freja's pupil plan",
            plan("freja"),
            get=only(dorte=OK),
            post=only(dorte=DONE),
            data=focus_point_payload,
        ),
        Case("Emil's daycare plan", plan("emil"), get=only(), post=only(), data=focus_point_payload),
    ],
    "children:focus_point_edit": [
        Case(
            "Freja's focus point",
            lambda w: {"pk": w.plans["freja"].pk, "point_pk": w.focus_points["freja"].pk},
            get=only(dorte=OK),
            post=only(dorte=DONE),
            data=focus_point_payload,
            shows=shows_record("freja"),
        ),
        Case(
            "Freja's focus point under Emil's plan",
            lambda w: {"pk": w.plans["emil"].pk, "point_pk": w.focus_points["freja"].pk},
            get=only(),
            post=only(),
            data=focus_point_payload,
        ),
    ],
    "children:group_plans": [
        Case(
            "Mariehønen",
            lambda w: {"pk": w.groups["mariehonen"].pk},
            get=only(carla=OK, lene=OK),
            shows=lambda w, p: {w.name_marks["emil"], w.record_marks["emil"]},
        ),
        Case("Bien", lambda w: {"pk": w.groups["bien"].pk}, get=only(lene=OK), shows=shows_record("ida")),
        Case(
            "1.A", lambda w: {"pk": w.groups["class_1a"].pk}, get=only(dorte=OK), shows=shows_record("freja")
        ),
        Case("Skanderborg group", lambda w: {"pk": w.groups["other_group"].pk}, get=only()),
    ],
}
