"""Learning plans in the authorization matrix.

Every child of the world has a plan at the place of its goal, published once (so the family reads the
goal with the child's record marker). Emil's plan has a change since then (a draft to publish) and a
note carrying his record marker; Freja's pupil plan at the school has a focus point with hers. Karl, new
in Mariehønen, has no plan yet. Anna (custody) comments, tells what she sees at home and marks a home
activity tried; Mikkel (no custody) only comments; Carla writes for Emil (her group) and only reads Ida's
plan; Lene writes for the whole of Solsikken; administrators never see a plan.

Evidence: Emil's plan has a published PDF (its bytes and caption carry his record marker), a photo still
in the draft (staff only) and one a guardian asked to take down (nobody gets it); Freja's and Ida's
plans have a published photo. A file is only ever served to those who read the plan it belongs to.
"""

from datetime import timedelta

from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from children.models import (
    Evidence,
    FocusPoint,
    LearningPlan,
    PlanChange,
    PlanNote,
    PlanRead,
    PlanVersion,
)
from tests import factories as f
from tests.matrix.base import DONE, FORM, GET_NOT_ALLOWED, OK, Case, only

SNAPSHOT_MODELS = [LearningPlan, FocusPoint, PlanVersion, PlanRead, PlanChange, PlanNote, Evidence]
WRITING = {
    "children:plan_start",
    "children:plan_publish",
    "children:plan_note_create",
    "children:focus_point_create",
    "children:focus_point_edit",
    "children:evidence_upload",
    "children:evidence_takedown",
    "children:evidence_remove",
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
    w.evidence = {
        "emil": _evidence(w, "emil", "pdf", published=True),
        "emil_draft": _evidence(w, "emil", "jpg", published=False),
        "emil_taken_down": _evidence(w, "emil", "jpg", published=True, taken_down=c.mikkel),
        "freja": _evidence(w, "freja", "jpg", published=True),
        "ida": _evidence(w, "ida", "jpg", published=True),
    }
    for key in ("emil", "freja"):  # a change since the version: a draft to publish
        later = timezone.now() + timedelta(seconds=1)
        LearningPlan.objects.filter(pk=w.plans[key].pk).update(draft_changed_at=later)


# A tiny valid JPEG (1×1) for photos; documents are PDFs with the child's record marker inside.
JPEG = bytes.fromhex(
    "ffd8ffe000104a46494600010100000100010000ffdb004300080606070605080707070909080a0c140d0c0b0b0c1912"
    "130f141d1a1f1e1d1a1c1c20242e2720222c231c1c2837292c30313434341f27393d38323c2e333432ffc0000b08000100"
    "0101011100ffc4001f0000010501010101010100000000000000000102030405060708090a0bffc400b5100002010303"
    "020403050504040000017d01020300041105122131410613516107227114328191a1082342b1c11552d1f02433627282"
    "090a161718191a25262728292a3435363738393a434445464748494a535455565758595a636465666768696a73747576"
    "7778797a838485868788898a92939495969798999aa2a3a4a5a6a7a8a9aab2b3b4b5b6b7b8b9bac2c3c4c5c6c7c8c9ca"
    "d2d3d4d5d6d7d8d9dae1e2e3e4e5e6e7e8e9eaf1f2f3f4f5f6f7f8f9faffda0008010100003f00fbd3ffd9"
)


def _pdf(marker: str) -> bytes:
    return b"%PDF-1.4\n% " + marker.encode() + b"\ntrailer <<>>\n%%EOF\n"


def _evidence(w, key, extension, *, published, taken_down=None):
    """A stored file in the child's plan, on its goal, by the staff member who wrote the goal."""
    plan, goal, marker = w.plans[key], w.goals[key], w.record_marks[key]
    storage = storages["evidence"]
    content = _pdf(marker) if extension == "pdf" else JPEG
    stored = storage.save(f"plans/{plan.pk}/{key}.{extension}", ContentFile(content))
    thumbnail = (
        storage.save(f"plans/{plan.pk}/{key}-thumb.jpg", ContentFile(JPEG)) if extension == "jpg" else ""
    )
    return Evidence.objects.create(
        plan=plan,
        goal=goal,
        kind="document" if extension == "pdf" else "image",
        caption=f"Tegning {marker}",
        content_type="application/pdf" if extension == "pdf" else "image/jpeg",
        size=len(content),
        original_name=f"tegning.{extension}",
        storage_key=stored,
        thumbnail_key=thumbnail,
        uploaded_by=goal.created_by,
        uploaded_by_name="Staff",
        uploader_role=PlanNote.Role.STAFF,
        uploaded_at=timezone.now(),
        published_in=1 if published else None,
        takedown_requested_at=timezone.now() if taken_down else None,
        takedown_requested_by=taken_down,
    )


def evidence(key):
    return lambda w: {"pk": w.evidence[key].pk}


def upload_payload(key, entry="goal"):
    def data(w):
        target = w.goals[key] if entry == "goal" else w.focus_points[key]
        return {
            "entry": f"{'goal' if entry == 'goal' else 'focus'}-{target.pk}",
            "caption": "Tegning af et hus",
            "file": SimpleUploadedFile("hus.pdf", _pdf("hus"), content_type="application/pdf"),
        }

    return data


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
    "children:evidence_upload": [
        Case(
            "Emil's goal",
            plan("emil"),
            get=GET_NOT_ALLOWED,
            post=only(carla=DONE, lene=DONE),
            data=upload_payload("emil"),
        ),
        Case(
            "Freja's focus point", plan("freja"), post=only(dorte=DONE), data=upload_payload("freja", "focus")
        ),
        Case("Ida's goal (Carla only reads)", plan("ida"), post=only(lene=DONE), data=upload_payload("ida")),
        Case("Emil's goal under Ida's plan", plan("ida"), post=only(lene=FORM), data=upload_payload("emil")),
        Case("Søren's plan", plan("soeren"), post=only(), data=upload_payload("soeren")),
    ],
    "children:evidence_file": [
        Case(
            "Emil's published PDF",
            evidence("emil"),
            get=only(anna=OK, mikkel=OK, carla=OK, lene=OK),
            shows=shows_record("emil"),
        ),
        Case("Emil's photo in the draft", evidence("emil_draft"), get=only(carla=OK, lene=OK)),
        Case("Emil's photo asked to be taken down", evidence("emil_taken_down"), get=only()),
        Case("Freja's photo", evidence("freja"), get=only(bo=OK, dorte=OK)),
        Case("Ida's photo", evidence("ida"), get=only(carla=OK, lene=OK)),
    ],
    "children:evidence_thumbnail": [
        Case("Freja's photo", evidence("freja"), get=only(bo=OK, dorte=OK)),
        Case("Emil's PDF (no thumbnail)", evidence("emil"), get=only()),
        Case("Emil's photo in the draft", evidence("emil_draft"), get=only(carla=OK, lene=OK)),
        Case("Emil's photo asked to be taken down", evidence("emil_taken_down"), get=only()),
    ],
    "children:evidence_takedown": [
        Case(
            "Emil's published PDF",
            evidence("emil"),
            get=GET_NOT_ALLOWED,
            post=only(anna=DONE, mikkel=DONE),
            data=lambda w: {},
        ),
        Case("Emil's photo in the draft", evidence("emil_draft"), post=only(), data=lambda w: {}),
        Case("Freja's photo", evidence("freja"), post=only(bo=DONE), data=lambda w: {}),
    ],
    "children:evidence_remove": [
        Case(
            "Emil's published PDF",
            evidence("emil"),
            get=GET_NOT_ALLOWED,
            post=only(carla=DONE, lene=DONE),
            data=lambda w: {},
        ),
        Case(
            "Emil's photo asked to be taken down",
            evidence("emil_taken_down"),
            post=only(carla=DONE, lene=DONE),
            data=lambda w: {},
        ),
        Case("Ida's photo (Carla only reads)", evidence("ida"), post=only(lene=DONE), data=lambda w: {}),
        Case("Freja's photo", evidence("freja"), post=only(dorte=DONE), data=lambda w: {}),
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
