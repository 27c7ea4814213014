"""The child's timeline in the authorization matrix.

Freja went to Solsikken (Bien) before she started in 1.A at Skovvangskolen. Solsikken published a plan
for her and held a conversation with her family; the school has published her pupil plan and has
written a goal since (a draft). Bo, her father, reads all that was published, from both places, never
the draft. Dorte, her teacher now, reads the school's plan and its draft, but nothing of Solsikken's
plan or meeting: the timeline shows each kind as that kind's own policy allows.
"""

import uuid
from datetime import timedelta

from django.utils import timezone

from children.models import PlanVersion
from portal.meetings.models import Meeting
from tests import factories as f
from tests.matrix.base import OK, Case, only

SNAPSHOT_MODELS = []
WRITING = set()
TIMELINE = "children:child_timeline"


def _mark(w, what):
    marker = f"MARK-timeline-{what}-{uuid.uuid4().hex[:10]}"
    w.labels[marker] = f"Freja's {what} (timeline)"
    return marker


def build(w):
    c = w.cast
    freja = w.children["freja"]
    today = timezone.localdate()
    f.EnrollmentFactory(
        child=freja,
        group=c.bien,
        started_on=today - timedelta(days=900),
        ended_on=today - timedelta(days=201),
    )
    w.timeline = {
        key: _mark(w, key) for key in ("daycare_goal", "daycare_version", "daycare_meeting", "school_draft")
    }
    goal = f.LearningGoalFactory(
        child=freja, institution=c.solsikken, title=f"Mål {w.timeline['daycare_goal']}"
    )
    version = f.publish_plan(goal.plan)
    PlanVersion.objects.filter(pk=version.pk).update(note=f"Nyt {w.timeline['daycare_version']}")
    start = timezone.now() - timedelta(days=300)
    Meeting.objects.create(
        kind="daycare_conversation",
        institution=c.solsikken,
        child=freja,
        starts_at=start,
        ends_at=start + timedelta(minutes=30),
        title=f"Samtale {w.timeline['daycare_meeting']}",
        status=Meeting.Status.HELD,
    )
    f.LearningGoalFactory(child=freja, institution=c.school, title=f"Kladde {w.timeline['school_draft']}")


def forbidden(w, persona, url_name) -> set:
    """On the timeline: Solsikken's plan and meeting are for Freja's family (Dorte serves her at the
    school only, Solsikken's staff no longer serve her); the school's draft is for the school's staff."""
    if url_name != TIMELINE:
        return set()
    marks = w.timeline
    if persona == "bo":
        return {marks["school_draft"]}
    if persona == "dorte":
        return {marks["daycare_goal"], marks["daycare_version"], marks["daycare_meeting"]}
    return set(marks.values())


def _child(key):
    return lambda w: {"pk": w.children[key].pk}


MATRIX = {
    TIMELINE: [
        Case(
            "Emil's",
            _child("emil"),
            get=only(anna=OK, mikkel=OK, carla=OK, lene=OK),
            shows=lambda w, p: {w.name_marks["emil"]},
        ),
        Case(
            "Freja's, from Solsikken to the school",
            _child("freja"),
            get=only(bo=OK, dorte=OK),
            shows=lambda w, p: (
                {w.timeline["daycare_version"], w.timeline["daycare_meeting"], w.timeline["daycare_goal"]}
                if p == "bo"
                else {w.timeline["school_draft"], w.record_marks["freja"]}
            ),
        ),
        Case("the expected baby's", _child("baby"), get=only(sofie=OK)),
        Case("Søren's (another municipality)", _child("soeren"), get=only()),
    ],
}
