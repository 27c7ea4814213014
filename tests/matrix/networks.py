"""Parent networks in the authorization matrix.

Sofie (health visitor) leads "Netværk Vest" with Anna's expected Lærke (Mikkel is Lærke's father without
custody) and Holm's Baby, and a second network with Bo's expected Otto. The first network's name and
Lærke's first name carry markers: only Sofie, Anna and Mikkel see them (the administrator may meet
Lærke's name on the audit search). Holm has not agreed to share names, so Anna never sees Baby's name
(the matrix's own rule for Baby's name marker). Bo, a parent of another network, gets 404 on Lærke's.
"""

import uuid
from datetime import datetime, time, timedelta

from django.test import RequestFactory
from django.utils import timezone

from tests import factories as f
from tests.matrix.base import DONE, FORM, GET_NOT_ALLOWED, OK, Case, only
from transitions.models import Network, NetworkInvitation, NetworkMeeting, NetworkMember, NetworkNameChoice
from transitions.services.networks import network_create, network_meeting_plan

SNAPSHOT_MODELS = [Network, NetworkMember, NetworkNameChoice, NetworkMeeting, NetworkInvitation]
WRITING = {
    "transitions:network_create",
    "transitions:network_members_add",
    "transitions:network_member_remove",
    "transitions:network_meeting_create",
    "transitions:network_meeting_cancel",
    "transitions:network_family",
    "transitions:network_close",
}
SEES_NETWORK = ("sofie", "anna", "mikkel")


def _expected(c, first_name, weeks=8):
    today = timezone.localdate()
    child = f.ChildFactory(
        municipality=c.aarhus,
        first_name=first_name,
        last_name="Sørensen",
        birth_date=None,
        expected_on=today + timedelta(weeks=weeks),
    )
    f.EnrollmentFactory(child=child, group=c.caseload, started_on=today - timedelta(days=20))
    return child


def build(w):
    c = w.cast
    request = RequestFactory().post("/")
    request.user = c.sofie
    w.network_mark = f"MARK-network-{uuid.uuid4().hex[:10]}"
    w.laerke_mark = f"MARK-name-laerke-{uuid.uuid4().hex[:10]}"
    w.labels[w.network_mark] = "the parent network's name"
    w.labels[w.laerke_mark] = "Lærke's name (Anna's expected child)"
    w.laerke = _expected(c, f"Lærke {w.laerke_mark}")
    f.GuardianshipFactory(child=w.laerke, user=c.anna)
    f.GuardianshipFactory(child=w.laerke, user=c.mikkel, relation="father", has_custody=False)
    w.otto = _expected(c, "Otto", weeks=6)
    f.GuardianshipFactory(child=w.otto, user=c.bo, relation="father")
    w.newcomer = _expected(c, "Nanna", weeks=4)
    w.network = network_create(
        request=request,
        user=c.sofie,
        institution=c.health,
        name=f"Netværk Vest {w.network_mark}",
        starts_on=timezone.localdate(),
        children=[w.laerke, c.baby],
    )
    w.other_network = network_create(
        request=request,
        user=c.sofie,
        institution=c.health,
        name="Netværk Øst",
        starts_on=timezone.localdate(),
        children=[w.otto],
    )
    starts = timezone.make_aware(datetime.combine(timezone.localdate() + timedelta(days=10), time(10, 0)))
    w.network_meeting = network_meeting_plan(
        request=request,
        user=c.sofie,
        network=w.network,
        title="Søvn",
        starts_at=starts,
        ends_at=starts + timedelta(hours=1),
    )
    w.laerke_member = NetworkMember.objects.get(child=w.laerke, left_at__isnull=True)


def forbidden(w, persona, url_name) -> set:
    if persona in SEES_NETWORK:
        return set()
    if persona == "erik" and url_name == "organisation:audit_search":
        return {w.network_mark}
    return {w.network_mark, w.laerke_mark}


def network(w):
    return {"pk": w.network.pk}


def meeting_payload(**extra):
    def data(w):
        return {
            "title": "Mad og amning",
            "day": (timezone.localdate() + timedelta(days=20)).isoformat(),
            "start": "10:00",
            "end": "11:30",
            "location": "Sundhedshuset",
            "agenda": "",
            **extra,
        }

    return data


MATRIX = {
    "transitions:networks": [Case("Sofie's networks", lambda w: {}, get=only(sofie=OK))],
    "transitions:network_create": [
        Case(
            "a new network",
            lambda w: {},
            get=only(sofie=OK),
            post=only(sofie=DONE),
            data=lambda w: {
                "institution": w.institutions["health"].pk,
                "name": "Netværk Nord",
                "starts_on": timezone.localdate().isoformat(),
                "children": [w.newcomer.pk],
            },
        )
    ],
    "transitions:network_detail": [
        Case(
            "Netværk Vest",
            network,
            get=only(sofie=OK),
            shows=lambda w, p: {w.network_mark, w.laerke_mark},
        )
    ],
    "transitions:network_members_add": [
        Case(
            "Nanna joins",
            network,
            get=GET_NOT_ALLOWED,
            post=only(sofie=DONE),
            data=lambda w: {"children": [w.newcomer.pk]},
        ),
        Case(
            "Otto (in another network)",
            network,
            post=only(sofie=FORM),
            data=lambda w: {"children": [w.otto.pk]},
        ),
    ],
    "transitions:network_member_remove": [
        Case(
            "Lærke's family",
            lambda w: {"pk": w.network.pk, "member_pk": w.laerke_member.pk},
            get=GET_NOT_ALLOWED,
            post=only(sofie=DONE),
            data=lambda w: {},
        )
    ],
    "transitions:network_close": [
        Case("Netværk Vest", network, get=GET_NOT_ALLOWED, post=only(sofie=DONE), data=lambda w: {})
    ],
    "transitions:network_meeting_create": [
        Case("a meeting", network, get=only(sofie=OK), post=only(sofie=DONE), data=meeting_payload()),
        Case("ending before it starts", network, post=only(sofie=FORM), data=meeting_payload(end="09:00")),
    ],
    "transitions:network_meeting_cancel": [
        Case(
            "Søvn",
            lambda w: {"pk": w.network.pk, "meeting_pk": w.network_meeting.pk},
            get=GET_NOT_ALLOWED,
            post=only(sofie=DONE),
            data=lambda w: {},
        )
    ],
    "transitions:network_family": [
        Case(
            "Lærke's network",
            lambda w: {"child_pk": w.laerke.pk},
            get=only(anna=OK, mikkel=OK),
            post=only(anna=DONE),
            data=lambda w: {"agreed": "yes"},
            shows=lambda w, p: {w.network_mark},
        ),
        Case(
            "Lærke's network, no answer",
            lambda w: {"child_pk": w.laerke.pk},
            post=only(anna=FORM),
            data=lambda w: {},
        ),
        Case("Otto's network", lambda w: {"child_pk": w.otto.pk}, get=only(bo=OK)),
        Case("Emil (in no network)", lambda w: {"child_pk": w.children["emil"].pk}, get=only()),
    ],
}
