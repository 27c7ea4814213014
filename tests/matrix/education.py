"""Education plans in the authorization matrix.

Vera is in 9.A at Skovvangskolen. Bo (already a parent at the school) and Karsten, who is not one of the
personas, hold custody. Anna and Mikkel are parents of other children and stand here for every other
parent: making either of them Vera's parent would give them other rights at the school in the other
parts of the matrix, so the unit tests (tests/transitions/test_education.py) cover the second custody
holder and a parent without custody. Dorte teaches 9.A too; Sofie is also UU counsellor at UU Aarhus
with Vera in her caseload. Vera's plan is ready (wishes and guidance written, nobody has confirmed yet);
last year's plan is locked. Theo (9.A, in Sofie's caseload) has no plan yet. Every text of Vera's plans
carries a marker that only her family, the school's staff and her counsellor may see.
"""

import datetime
import uuid

from django.test import RequestFactory
from django.utils import timezone

from portal.organisation.models import Institution, StaffMembership
from tests import factories as f
from tests.matrix.base import DONE, FORM, GET_NOT_ALLOWED, OK, Case, only
from transitions.models import (
    EducationPlan,
    EducationPlanConfirmation,
    EducationPlanRemark,
    EducationWish,
    YouthEducation,
)
from transitions.models.education import school_year_of
from transitions.services import education as services

SNAPSHOT_MODELS = [
    EducationPlan,
    EducationWish,
    EducationPlanRemark,
    EducationPlanConfirmation,
    YouthEducation,
]
WRITING = {
    "transitions:education_plan_start",
    "transitions:education_plan_guidance",
    "transitions:education_plan_effort",
    "transitions:education_plan_remarks",
    "transitions:education_plan_confirm",
    "transitions:education_plan_pupil",
    "transitions:youth_educations",
    "transitions:youth_education_edit",
}
READERS = ("bo", "dorte", "sofie")  # Vera's family, her school's staff, her counsellor


def _request(user):
    request = RequestFactory().post("/")
    request.user = user
    return request


def _mark(w, what):
    marker = f"MARK-eduplan-{''.join(ch for ch in what if ch.isalpha())}-{uuid.uuid4().hex[:10]}"
    w.labels[marker] = f"the education plan's {what}"
    return marker


def build(w):
    c = w.cast
    class_9a = f.GroupFactory(institution=c.school, name="9.A", school_year=9)
    uu = f.InstitutionFactory(municipality=c.aarhus, name="UU Aarhus", kind=Institution.Kind.YOUTH_GUIDANCE)
    caseload = f.GroupFactory(institution=uu, name="UU Skovvangskolen")
    StaffMembership.objects.get(user=c.dorte).groups.add(class_9a)
    f.StaffMembershipFactory(
        user=c.sofie, institution=uu, role=StaffMembership.Role.UU_COUNSELLOR, groups=[caseload]
    )
    vera = f.ChildFactory(municipality=c.aarhus, first_name="Vera", last_name="Krogh")
    theo = f.ChildFactory(municipality=c.aarhus, first_name="Theo", last_name="Holm")
    for child in (vera, theo):
        f.EnrollmentFactory(child=child, group=class_9a)
        f.EnrollmentFactory(child=child, group=caseload)
    karsten = f.UserFactory(email="karsten.matrix@example.test", first_name="Karsten", last_name="Krogh")
    f.GuardianshipFactory(child=vera, user=karsten)
    f.GuardianshipFactory(child=vera, user=c.bo, relation="father")
    w.vera_name = _mark(w, "pupil's name")
    vera.first_name = f"Vera {w.vera_name}"
    vera.save(update_fields=["first_name"])

    plan = services.education_plan_start(request=_request(c.sofie), child=vera)
    educations = list(YouthEducation.objects.filter(municipality=c.aarhus)[:2])
    w.eduplan_marks = {_mark(w, what) for what in ("goals", "guidance", "effort", "remark")}
    goals, guidance, effort, remark = (
        next(m for m in w.eduplan_marks if what in w.labels[m])
        for what in ("goals", "guidance", "effort", "remark")
    )
    plan = services.education_plan_wishes_save(
        request=_request(c.sofie), plan=plan, goals=f"Dyr {goals}", educations=educations
    )
    plan = services.education_plan_guidance_save(request=_request(c.sofie), plan=plan, text=f"Vej {guidance}")
    plan = services.education_plan_effort_save(request=_request(c.dorte), plan=plan, text=f"Mentor {effort}")
    plan = services.education_plan_remarks_save(request=_request(c.bo), plan=plan, text=f"Glad {remark}")
    year = school_year_of(timezone.localdate())
    last_year = EducationPlan.objects.create(
        child=vera,
        institution=c.school,
        school_year=year - 1,
        class_level=8,
        deadline=timezone.localdate() - datetime.timedelta(days=1),
        guidance=f"Sidste år {guidance}",
    )
    w.aarhus_only = _mark(w, "Aarhus list entry")
    w.education = YouthEducation.objects.create(
        municipality=c.aarhus, name=f"Særlig {w.aarhus_only}", position=99
    )
    w.eduplans = {"vera": plan, "last_year": last_year}
    w.eduplan_children = {"vera": vera, "theo": theo}


def forbidden(w, persona, url_name) -> set:
    """Vera's plan texts and name: her family, her school's staff and her counsellor only (administrators
    see her name on the access log); the Aarhus list entry: not the other municipality."""
    markers = set()
    if persona not in READERS:
        markers |= w.eduplan_marks
        if not (persona == "erik" and url_name == "organisation:audit_search"):
            markers.add(w.vera_name)
    if persona == "olga":
        markers.add(w.aarhus_only)
    return markers


def plan(key):
    return lambda w: {"pk": w.eduplans[key].pk}


def text(value):
    return lambda w: {"text": value}


MATRIX = {
    "transitions:education_plans": [
        Case(
            "pupils in 8.–9. klasse I serve",
            lambda w: {},
            get=only(carla=OK, lene=OK, dorte=OK, sofie=OK),
            shows=lambda w, p: {w.vera_name} if p in ("dorte", "sofie") else set(),
        )
    ],
    "transitions:education_plan_start": [
        Case(
            "Theo (9.A)",
            lambda w: {"child_pk": w.eduplan_children["theo"].pk},
            get=GET_NOT_ALLOWED,
            post=only(dorte=DONE, sofie=DONE),
            data=lambda w: {},
        ),
        Case(
            "Freja (1.A)",
            lambda w: {"child_pk": w.children["freja"].pk},
            post=only(),
            data=lambda w: {},
        ),
    ],
    "transitions:education_plan_detail": [
        Case(
            "Vera's, ready to confirm",
            plan("vera"),
            get=only(**dict.fromkeys(READERS, OK)),
            shows=lambda w, p: w.eduplan_marks | {w.vera_name},
        ),
        Case("Vera's last year (locked)", plan("last_year"), get=only(**dict.fromkeys(READERS, OK))),
    ],
    "transitions:education_plan_guidance": [
        Case(
            "Vera's",
            plan("vera"),
            get=GET_NOT_ALLOWED,
            post=only(sofie=DONE),
            data=text("Ny vejledning"),
        ),
        Case("Vera's last year (locked)", plan("last_year"), post=only(sofie=FORM), data=text("For sent")),
    ],
    "transitions:education_plan_effort": [
        Case("Vera's", plan("vera"), get=GET_NOT_ALLOWED, post=only(dorte=DONE), data=text("Lektiecafé")),
    ],
    "transitions:education_plan_remarks": [
        Case(
            "Vera's",
            plan("vera"),
            get=GET_NOT_ALLOWED,
            post=only(bo=DONE),
            data=text("Vi bakker op"),
        ),
        Case("Vera's, empty", plan("vera"), post=only(bo=DONE), data=text("")),
    ],
    "transitions:education_plan_confirm": [
        Case(
            "Vera's current version",
            plan("vera"),
            get=GET_NOT_ALLOWED,
            post=only(bo=DONE),
            data=lambda w: {"version": w.eduplans["vera"].version},
        ),
        Case(
            "Vera's, an old version",
            plan("vera"),
            post=only(bo=FORM),
            data=lambda w: {"version": 1},
        ),
    ],
    "transitions:education_plan_pupil": [
        Case(
            "my own (Freja has none)",
            lambda w: {},
            get=only(freja_pupil=OK),
            post=only(),
            data=lambda w: {"wish_1": w.education.pk},
        ),
    ],
    "transitions:youth_educations": [
        Case(
            "the municipality's list",
            lambda w: {},
            get=only(erik=OK, olga=OK),
            post=only(erik=DONE, olga=DONE),
            data=lambda w: {"name": "Epx"},
            shows=lambda w, p: {w.aarhus_only} if p == "erik" else set(),
        ),
        Case("no name", lambda w: {}, post=only(erik=FORM, olga=FORM), data=lambda w: {"name": ""}),
    ],
    "transitions:youth_education_edit": [
        Case(
            "an Aarhus entry",
            lambda w: {"pk": w.education.pk},
            get=GET_NOT_ALLOWED,
            post=only(erik=DONE),
            data=lambda w: {f"e{w.education.pk}-name": "Omdøbt", f"e{w.education.pk}-position": 3},
        ),
    ],
}
