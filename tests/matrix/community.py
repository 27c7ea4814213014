"""The children's community in the authorization matrix.

Liva is in Emil's group (Mariehønen) and her mother said yes: Emil's parents see her first name (a
marker) on the group page, and so do the staff who serve her; nobody else ever sees it. The page is for
the child's own guardians; custody holders answer on it.
"""

import uuid

from django.utils import timezone

from portal.community.models import ContactParent, GroupMessage, NameSharing
from tests import factories as f
from tests.matrix.base import DONE, FORM, GET_NOT_ALLOWED, OK, Case, only

SNAPSHOT_MODELS = [NameSharing, ContactParent, GroupMessage]
WRITING = {
    "community:group_names",
    "community:contact_volunteer",
    "community:group_message_create",
    "community:contact_parent_decide",
    "community:group_message_decide",
    "community:staff_message_create",
}
SEES_LIVA = {"anna", "mikkel", "carla", "lene"}


def build(w):
    c = w.cast
    w.liva_mark = f"MARK-name-liva-{uuid.uuid4().hex[:10]}"
    w.labels[w.liva_mark] = "Liva's first name (in Emil's group, her family said yes)"
    w.liva = f.ChildFactory(municipality=c.aarhus, first_name=f"Liva {w.liva_mark}")
    f.EnrollmentFactory(child=w.liva, group=c.mariehonen)
    mother = f.GuardianshipFactory(child=w.liva).user
    father = f.GuardianshipFactory(child=w.liva, relation="father").user
    NameSharing.objects.create(child=w.liva, user=mother, show_name=True)
    NameSharing.objects.create(child=w.liva, user=father, show_name=True)
    # Liva's mother is Mariehønen's contact parent and has written to the group; her father offers too.
    ContactParent.objects.create(
        group=c.mariehonen, user=mother, child=w.liva, status="appointed", appointed_at=timezone.now()
    )
    w.offer = ContactParent.objects.create(
        group=c.mariehonen, user=father, child=w.liva, status="volunteered"
    )
    w.message = GroupMessage.objects.create(
        group=c.mariehonen, author=mother, author_name="Livas mor", body="Legeaftale lørdag?"
    )


def forbidden(w, persona, url_name) -> set:
    if persona in SEES_LIVA or (persona == "erik" and url_name == "organisation:audit_search"):
        return set()
    return {w.liva_mark}


def emil(w):
    return {"child_pk": w.children["emil"].pk}


MATRIX = {
    "community:group_names": [
        Case(
            "Emil's group",
            emil,
            get=only(anna=OK, mikkel=OK),
            post=only(anna=DONE),
            data=lambda w: {"show_name": "yes"},
            shows=lambda w, p: {w.liva_mark},
        ),
        Case("Emil's group, no answer", emil, post=only(anna=FORM), data=lambda w: {}),
        Case("Freja's class", lambda w: {"child_pk": w.children["freja"].pk}, get=only(bo=OK)),
    ],
    "community:contact_volunteer": [
        Case(
            "offer in Emil's group",
            lambda w: {"child_pk": w.children["emil"].pk, "group_pk": w.groups["mariehonen"].pk},
            get=GET_NOT_ALLOWED,
            post=only(anna=DONE, mikkel=DONE),
            data=lambda w: {"action": "offer"},
        ),
        Case(
            "offer in Bien, not Emil's group",
            lambda w: {"child_pk": w.children["emil"].pk, "group_pk": w.groups["bien"].pk},
            post=only(),
            data=lambda w: {"action": "offer"},
        ),
    ],
    "community:group_message_create": [
        Case(
            "Emil's group (his parents are no contact parents)",
            lambda w: {"child_pk": w.children["emil"].pk, "group_pk": w.groups["mariehonen"].pk},
            get=only(),
            post=only(),
            data=lambda w: {"body": "Hej alle"},
        )
    ],
    "community:group_contact": [
        Case("Mariehønen", lambda w: {"group_pk": w.groups["mariehonen"].pk}, get=only(carla=OK, lene=OK)),
        Case("a caseload", lambda w: {"group_pk": w.groups["caseload"].pk}, get=only()),
    ],
    "community:staff_message_create": [
        Case(
            "Mariehønen",
            lambda w: {"group_pk": w.groups["mariehonen"].pk},
            get=only(carla=OK, lene=OK),
            post=only(carla=DONE, lene=DONE),
            data=lambda w: {"body": "Husk madpakke på fredag.", "when": "now"},
        ),
        Case(
            "a caseload",
            lambda w: {"group_pk": w.groups["caseload"].pk},
            get=only(),
            post=only(),
            data=lambda w: {"body": "Husk madpakke på fredag.", "when": "now"},
        ),
    ],
    "community:contact_parent_decide": [
        Case(
            "appoint Liva's father",
            lambda w: {"pk": w.offer.pk},
            get=GET_NOT_ALLOWED,
            post=only(carla=DONE, lene=DONE),
            data=lambda w: {"action": "appoint"},
        )
    ],
    "community:group_message_decide": [
        Case(
            "send the contact parent's message",
            lambda w: {"pk": w.message.pk},
            get=GET_NOT_ALLOWED,
            post=only(carla=DONE, lene=DONE),
            data=lambda w: {"action": "send"},
        ),
        Case(
            "decline without a reason",
            lambda w: {"pk": w.message.pk},
            post=only(carla=FORM, lene=FORM),
            data=lambda w: {"action": "decline", "reason": ""},
        ),
    ],
}
