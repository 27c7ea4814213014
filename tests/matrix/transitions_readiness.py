"""School readiness assessments in the authorization matrix (built after ``transitions``).

Emil's assessment is being written (Lene started it; Anna wrote her view); Viggo's (Mariehønen, Anna
holds custody, Mikkel has none) is complete; Alma's move (sent to the school) has none yet. The family and
Solsikken see the assessments; the school's teacher Dorte, the third place, other parents and the
administrators see nothing: each part carries a marker they must never see. (The receiving school's
leader, who writes the school's part, is tested in ``tests/transitions/test_readiness.py``.)
"""

import uuid
from datetime import timedelta

from django.test import RequestFactory
from django.utils import timezone

from tests import factories as f
from tests.matrix.base import DONE, FORM, GET_NOT_ALLOWED, OK, Case, only
from transitions import services as handovers
from transitions.models import (
    ReadinessAssessment,
    ReadinessConfirmation,
    ReadinessEdit,
    ReadinessPart,
    Transition,
)
from transitions.services import readiness as services

SNAPSHOT_MODELS = [ReadinessAssessment, ReadinessPart, ReadinessEdit, ReadinessConfirmation]
WRITING = {
    "transitions:readiness_start",
    "transitions:readiness_part_save",
    "transitions:readiness_complete",
    "transitions:readiness_confirm",
    "transitions:readiness_decide",
}
FAMILY_AND_SENDER = ("anna", "mikkel", "carla", "lene")
Kind = ReadinessPart.Kind


def _request(user):
    request = RequestFactory().post("/")
    request.user = user
    return request


def _mark(w, what):
    marker = f"MARK-readiness-{''.join(ch for ch in what if ch.isalpha())}-{uuid.uuid4().hex[:10]}"
    w.labels[marker] = f"the readiness assessment's {what}"
    return marker


def build(w):
    c = w.cast
    w.readiness_marks = {}

    def write(user, assessment, kind, what):
        marker = _mark(w, what)
        w.readiness_marks[what] = marker
        services.readiness_part_save(request=_request(user), assessment=assessment, kind=kind, text=marker)

    emil = services.readiness_start(request=_request(c.lene), transition=w.handovers["emil"].transition)
    write(c.lene, emil, Kind.LEADER_VIEW, "leader's view")
    write(c.lene, emil, Kind.DAYCARE_SUPPORT, "daycare's support")
    write(c.anna, emil, Kind.PARENTS_VIEW, "parents' view")

    viggo = f.ChildFactory(municipality=c.aarhus, first_name="Viggo", last_name="Krogh")
    f.EnrollmentFactory(child=viggo, group=c.mariehonen)
    f.GuardianshipFactory(child=viggo, user=c.anna)
    f.GuardianshipFactory(child=viggo, user=c.mikkel, relation="father", has_custody=False)
    transition = handovers.transition_create(
        request=_request(c.carla),
        child=viggo,
        enrollment=viggo.enrollments.get(institution=c.solsikken),
        kind=Transition.Kind.DAYCARE_TO_SCHOOL,
        receiving_institution=c.school,
        planned_on=timezone.localdate() + timedelta(days=60),
    )
    complete = services.readiness_start(request=_request(c.lene), transition=transition)
    write(c.lene, complete, Kind.LEADER_VIEW, "complete leader's view")
    write(c.lene, complete, Kind.DAYCARE_SUPPORT, "complete daycare's support")
    services.readiness_complete(request=_request(c.lene), assessment=complete)
    w.readiness = {"emil": emil, "viggo": complete}


def forbidden(w, persona, url_name) -> set:
    """What the assessments say: the family and Solsikken only."""
    return set() if persona in FAMILY_AND_SENDER else set(w.readiness_marks.values())


def assessment(key):
    return lambda w: {"pk": w.readiness[key].pk}


def part(key, kind):
    return lambda w: {"pk": w.readiness[key].pk, "kind": kind}


def handover(key):
    return lambda w: {"pk": w.handovers[key].pk}


def text(value):
    return lambda w: {"text": value}


def none(w):
    return {}


MATRIX = {
    "transitions:readiness_detail": [
        Case(
            "Emil's, being written",
            assessment("emil"),
            get=only(**dict.fromkeys(FAMILY_AND_SENDER, OK)),
            shows=lambda w, p: {w.readiness_marks["leader's view"], w.readiness_marks["parents' view"]},
        ),
        Case(
            "Viggo's, complete",
            assessment("viggo"),
            get=only(**dict.fromkeys(FAMILY_AND_SENDER, OK)),
            shows=lambda w, p: {w.readiness_marks["complete leader's view"]},
        ),
        Case("not a number", lambda w: {"pk": 2**62}, get=only()),
    ],
    "transitions:readiness_start": [
        Case(
            "Alma's move (none yet)",
            handover("alma"),
            get=GET_NOT_ALLOWED,
            post=only(anna=DONE, lene=DONE),
            data=none,
        ),
        Case("Emil's (started)", handover("emil"), post=only(anna=FORM, lene=FORM), data=none),
    ],
    "transitions:readiness_part_save": [
        Case(
            "Emil's leader's view",
            part("emil", Kind.LEADER_VIEW),
            get=GET_NOT_ALLOWED,
            post=only(lene=DONE),
            data=text("Emil er klar"),
        ),
        Case("Emil's, too long", part("emil", Kind.LEADER_VIEW), post=only(lene=FORM), data=text("x" * 5001)),
        Case("Emil's parents' view", part("emil", Kind.PARENTS_VIEW), post=only(anna=DONE), data=text("Ja")),
        Case("Emil's school view", part("emil", Kind.SCHOOL_VIEW), post=only(), data=text("Skolen")),
        Case("Viggo's (complete)", part("viggo", Kind.LEADER_VIEW), post=only(), data=text("For sent")),
        Case("not a part", part("emil", "secrets"), post=only(), data=text("x")),
    ],
    "transitions:readiness_complete": [
        Case("Emil's", assessment("emil"), get=GET_NOT_ALLOWED, post=only(lene=DONE), data=none),
        Case("Viggo's (complete)", assessment("viggo"), post=only(), data=none),
    ],
    "transitions:readiness_confirm": [
        Case("Viggo's", assessment("viggo"), get=GET_NOT_ALLOWED, post=only(anna=DONE), data=none),
        Case(
            "Viggo's, disagreeing without saying why",
            assessment("viggo"),
            post=only(anna=FORM),
            data=lambda w: {"disagrees": "on", "disagreement": ""},
        ),
        Case("Emil's (being written)", assessment("emil"), post=only(), data=none),
    ],
    "transitions:readiness_decide": [
        Case(
            "Viggo's (the school's leader only)",
            assessment("viggo"),
            get=GET_NOT_ALLOWED,
            post=only(),
            data=lambda w: {"outcome": "as_planned"},
        ),
    ],
}
