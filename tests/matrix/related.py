"""Related plans in the authorization matrix.

Emil has a social action plan and Anna said yes for Solsikken: his family and Solsikken's staff see the
coordinator. Freja has one and nobody has decided for the school: only Bo sees it, **never Dorte**, who
teaches her. The expected baby has one that Sofie (health visitor, her caseload) recorded. Each
coordinator's name is a marker; the plan's own page is for the family and the staff who record it.
"""

import uuid
from datetime import timedelta

from django.utils import timezone

from children.models import RelatedPlan, RelatedPlanConsent
from tests.matrix.base import DONE, FORM, GET_NOT_ALLOWED, OK, Case, only

SNAPSHOT_MODELS = [RelatedPlan, RelatedPlanConsent]
WRITING = {
    "children:related_plan_create",
    "children:related_plan_consent",
    "children:related_plan_end",
}
SEES = {"emil": ("anna", "mikkel", "carla", "lene"), "freja": ("bo",), "baby": ("sofie",)}


def build(w):
    c = w.cast
    w.related_plans, w.coordinator_marks = {}, {}
    for key, child in [("emil", c.emil), ("freja", c.freja), ("baby", c.baby)]:
        marker = f"MARK-coordinator-{key}-{uuid.uuid4().hex[:10]}"
        w.labels[marker] = f"the coordinator of {key}'s related plan"
        w.coordinator_marks[key] = marker
        w.related_plans[key] = RelatedPlan.objects.create(
            child=child,
            kind=RelatedPlan.Kind.SOCIAL_ACTION,
            coordinator_name=f"Rådgiver {marker}",
            coordinator_phone="+45 87 13 00 00",
            since=timezone.localdate() - timedelta(days=100),
            created_by=c.sofie,
            created_by_name="Sofie Christensen",
        )
    RelatedPlanConsent.objects.create(
        plan=w.related_plans["emil"], institution=c.solsikken, given=True, decided_by=c.anna
    )


def forbidden(w, persona, url_name) -> set:
    """A coordinator's name only to the child's family and the staff allowed to see the plan."""
    return {marker for key, marker in w.coordinator_marks.items() if persona not in SEES[key]}


def plan(key):
    return lambda w: {"pk": w.related_plans[key].pk}


def register_payload(w):
    return {
        "kind": RelatedPlan.Kind.OTHER_SUPPORT,
        "coordinator_name": "Ny Rådgiver",
        "coordinator_role": "Rådgiver, Familieafdelingen",
        "coordinator_phone": "+45 12 34 56 78",
        "coordinator_email": "raadgiver@example.test",
        "since": (timezone.localdate() - timedelta(days=3)).isoformat(),
    }


def consent_payload(place, give):
    return lambda w: {"institution": w.institutions[place].pk, "give": give}


MATRIX = {
    "children:related_plan_detail": [
        Case(
            key,
            plan(key),
            get=only(**dict.fromkeys(("anna", "mikkel") if key == "emil" else SEES[key], OK)),
            shows=lambda w, p, key=key: {w.coordinator_marks[key]},
        )
        for key in SEES
    ],
    "children:related_plan_create": [
        Case(
            "Emil (nobody records his)",
            lambda w: {"child_pk": w.children["emil"].pk},
            get=only(),
            post=only(),
            data=register_payload,
        ),
        Case(
            "the expected baby (Sofie's caseload)",
            lambda w: {"child_pk": w.children["baby"].pk},
            get=only(sofie=OK),
            post=only(sofie=DONE),
            data=register_payload,
        ),
        Case(
            "Søren",
            lambda w: {"child_pk": w.children["soeren"].pk},
            get=only(),
            post=only(),
            data=register_payload,
        ),
    ],
    "children:related_plan_consent": [
        Case(
            "no for Emil's Solsikken",
            plan("emil"),
            get=GET_NOT_ALLOWED,
            post=only(anna=DONE),
            data=consent_payload("solsikken", "no"),
        ),
        Case(
            "yes for Freja's school", plan("freja"), post=only(bo=DONE), data=consent_payload("school", "yes")
        ),
        Case(
            "yes for a place Emil does not have",
            plan("emil"),
            post=only(anna=FORM),
            data=consent_payload("other_daycare", "yes"),
        ),
    ],
    "children:related_plan_end": [
        Case(
            "the baby's",
            plan("baby"),
            get=GET_NOT_ALLOWED,
            post=only(sofie=DONE),
            data=lambda w: {"ended_on": timezone.localdate().isoformat()},
        ),
        Case(
            "Emil's", plan("emil"), post=only(), data=lambda w: {"ended_on": timezone.localdate().isoformat()}
        ),
    ],
}
