"""Visits before and after a transition in the authorization matrix (built after ``transitions``).

Carla plans one visit to Skovvangskolen for Emil (handover being written) and Alma (sent to the school).
Its description carries a marker: the families and Solsikken's staff see it, and the school sees the
visit once Alma's handover is sent, but **never Emil's name** (his handover is not sent). Only the
place that planned it cancels it.
"""

import uuid
from datetime import datetime, time, timedelta

from django.test import RequestFactory
from django.utils import timezone

from tests.matrix.base import DONE, FORM, GET_NOT_ALLOWED, OK, Case, only
from transitions.models import Visit, VisitInvitation
from transitions.services.visits import visit_plan

SNAPSHOT_MODELS = [Visit, VisitInvitation]
WRITING = {"transitions:visit_create", "transitions:visit_cancel"}
SEES_VISIT = ("anna", "mikkel", "carla", "lene")
SENDERS = {"carla": DONE, "lene": DONE}


def _day(days=20):
    return timezone.localdate() + timedelta(days=days)


def build(w):
    c = w.cast
    request = RequestFactory().post("/")
    request.user = c.carla
    w.visit_mark = f"MARK-visit-description-{uuid.uuid4().hex[:10]}"
    w.labels[w.visit_mark] = "the visit's description"
    starts = timezone.make_aware(datetime.combine(_day(), time(9, 30)))
    w.visit = visit_plan(
        request=request,
        user=c.carla,
        institution=c.solsikken,
        transitions=[w.handovers["emil"].transition, w.handovers["alma"].transition],
        kind=Visit.Kind.CHILDREN_VISIT,
        timing=Visit.Timing.BEFORE,
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        location="Skovvangskolen",
        description=f"Vi ser klassen {w.visit_mark}",
    )


def forbidden(w, persona, url_name) -> set:
    """The visit's description: the families and Solsikken everywhere, the school on its pages."""
    if persona in SEES_VISIT or (persona == "dorte" and url_name.startswith("transitions:")):
        return set()
    return {w.visit_mark}


def transition_of(key):
    return lambda w: {"transition_pk": w.handovers[key].transition_id}


def payload(key, **extra):
    def data(w):
        return {
            "transitions": [w.handovers[key].transition_id],
            "kind": Visit.Kind.FAMILY_VISIT,
            "timing": Visit.Timing.BEFORE,
            "day": _day(25).isoformat(),
            "start": "09:00",
            "end": "10:30",
            "location": "Skolegården",
            "description": "",
            **extra,
        }

    return data


def visit(w):
    return {"pk": w.visit.pk}


MATRIX = {
    "transitions:visit_create": [
        Case(
            "for Emil (not sent)",
            transition_of("emil"),
            get=only(carla=OK, lene=OK),
            post=only(**SENDERS),
            data=payload("emil"),
        ),
        Case(
            "for Alma (sent to the school)",
            transition_of("alma"),
            get=only(carla=OK, lene=OK, dorte=OK),
            post=only(**SENDERS, dorte=DONE),
            data=payload("alma"),
        ),
        Case(
            "ending before it starts",
            transition_of("alma"),
            post=only(carla=FORM, lene=FORM, dorte=FORM),
            data=payload("alma", end="08:00"),
        ),
        Case(
            "Emil from the school's page (not sent)",
            transition_of("alma"),
            post=only(carla=DONE, lene=DONE, dorte=FORM),
            data=payload("emil"),
        ),
    ],
    "transitions:visit_detail": [
        Case(
            "Emil's and Alma's visit",
            visit,
            get=only(carla=OK, lene=OK, dorte=OK),
            shows=lambda w, p: {w.visit_mark},
        )
    ],
    "transitions:visit_cancel": [
        Case("Emil's and Alma's visit", visit, get=GET_NOT_ALLOWED, post=only(**SENDERS), data=lambda w: {})
    ],
}
