"""The children's community in the authorization matrix.

Liva is in Emil's group (Mariehønen) and her mother said yes: Emil's parents see her first name (a
marker) on the group page, and so do the staff who serve her; nobody else ever sees it. The page is for
the child's own guardians; custody holders answer on it.
"""

import io
import uuid
from datetime import time, timedelta

from django.utils import timezone
from PIL import Image

from portal.community.models import (
    ContactParent,
    Election,
    GroupMessage,
    NameSharing,
    ParentFriend,
    PlayDate,
    PlayDateAnswer,
    Portrait,
    Vote,
    Welcome,
)
from tests import factories as f
from tests.matrix.base import DONE, FORM, GET_NOT_ALLOWED, OK, Case, only

SNAPSHOT_MODELS = [
    NameSharing,
    ContactParent,
    GroupMessage,
    Portrait,
    PlayDate,
    PlayDateAnswer,
    ParentFriend,
    Welcome,
    Election,
    Vote,
]
WRITING = {
    "community:group_names",
    "community:contact_volunteer",
    "community:group_message_create",
    "community:contact_parent_decide",
    "community:group_message_decide",
    "community:staff_message_create",
    "community:photo",
    "community:play_date_create",
    "community:play_date",
    "community:parent_friend",
    "community:welcome_ask",
    "community:welcome_answer",
    "community:vote",
    "community:election_open",
    "community:election_close",
    "community:parent_friend_end",
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
    NameSharing.objects.create(child=w.liva, user=mother, show_name=True, show_photo=True)
    NameSharing.objects.create(child=w.liva, user=father, show_name=True, show_photo=True)
    Portrait.objects.create(child=w.liva, image=pixel(), uploaded_by=mother)
    # Liva's mother offers a play date to the group, and one only for Otto (not Emil).
    otto = f.ChildFactory(municipality=c.aarhus, first_name="Otto")
    f.EnrollmentFactory(child=otto, group=c.mariehonen)
    day = timezone.localdate() + timedelta(days=5)
    play = {"group": c.mariehonen, "host_child": w.liva, "host": mother, "host_name": "Livas mor", "day": day}
    w.play_date = PlayDate.objects.create(**play, starts_at=time(15), ends_at=time(17), place="Legepladsen")
    w.otto_play_date = PlayDate.objects.create(
        **play, starts_at=time(10), ends_at=time(12), place="Hjemme", invited=otto
    )
    # Liva's father welcomes new families; Anna is a parent friend too, and Liva's mother asked her.
    w.friend = ParentFriend.objects.create(
        group=c.mariehonen, user=father, user_name="Livas far", child=w.liva, about="Jeg taler arabisk"
    )
    anna_friend = ParentFriend.objects.create(
        group=c.mariehonen, user=c.anna, user_name="Anna Jensen", child=c.emil, about="Spørg bare"
    )
    w.welcome = Welcome.objects.create(friend=anna_friend, user=mother, user_name="Livas mor", child=w.liva)
    # Liva's mother is Mariehønen's contact parent and has written to the group; her father offers too.
    ContactParent.objects.create(
        group=c.mariehonen, user=mother, child=w.liva, status="appointed", appointed_at=timezone.now()
    )
    w.offer = ContactParent.objects.create(
        group=c.mariehonen, user=father, child=w.liva, status="volunteered"
    )
    # Mariehønen's parents are choosing a second contact parent.
    w.election = Election.objects.create(
        group=c.mariehonen, places=1, closes_at=timezone.now() + timedelta(days=7)
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


def emil_in_mariehonen(w):
    return {"child_pk": w.children["emil"].pk, "group_pk": w.groups["mariehonen"].pk}


def pixel() -> bytes:
    """A one-pixel JPEG: the photo the route serves."""
    out = io.BytesIO()
    Image.new("RGB", (1, 1)).save(out, "JPEG")
    return out.getvalue()


PLAY_DATE = {"invited": "", "starts_at": "15:00", "ends_at": "17:00", "place": "Legepladsen"}


def play_date_data(w):
    return {**PLAY_DATE, "day": (timezone.localdate() + timedelta(days=3)).isoformat()}


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
    "community:photo": [
        Case(
            "Emil's photo",
            emil,
            get=only(anna=OK),
            post=only(anna=DONE),
            data=lambda w: {"show_photo": "no"},
        ),
        Case("Emil's photo, no answer", emil, post=only(anna=FORM), data=lambda w: {}),
    ],
    "community:photo_image": [
        Case(
            "Liva's photo, seen from Emil's group",
            lambda w: {"child_pk": w.children["emil"].pk, "pk": w.liva.pk},
            get=only(anna=OK, mikkel=OK),
        ),
        Case(
            "Liva's photo, asked for through Freja's class",
            lambda w: {"child_pk": w.children["freja"].pk, "pk": w.liva.pk},
            get=only(),
        ),
    ],
    "community:play_date_create": [
        Case(
            "a play date in Emil's group",
            emil_in_mariehonen,
            get=only(anna=OK, mikkel=OK),
            post=only(anna=DONE, mikkel=DONE),
            data=play_date_data,
        ),
        Case(
            "a play date ending before it starts",
            emil_in_mariehonen,
            post=only(anna=FORM, mikkel=FORM),
            data=lambda w: {**play_date_data(w), "ends_at": "14:00"},
        ),
        Case(
            "a play date in Bien, not Emil's group",
            lambda w: {"child_pk": w.children["emil"].pk, "group_pk": w.groups["bien"].pk},
            get=only(),
            post=only(),
            data=play_date_data,
        ),
    ],
    "community:play_date": [
        Case(
            "Liva's play date for the group",
            lambda w: {"child_pk": w.children["emil"].pk, "pk": w.play_date.pk},
            get=only(anna=OK, mikkel=OK),
            post=only(anna=DONE, mikkel=DONE),
            data=lambda w: {"coming": "yes"},
        ),
        Case(
            "Liva's play date for Otto only",
            lambda w: {"child_pk": w.children["emil"].pk, "pk": w.otto_play_date.pk},
            get=only(),
            post=only(),
            data=lambda w: {"coming": "yes"},
        ),
    ],
    "community:parent_friend": [
        Case(
            "a parent friend in Emil's group",
            emil_in_mariehonen,
            get=only(anna=OK, mikkel=OK),
            post=only(anna=DONE, mikkel=DONE),
            data=lambda w: {"about": "Vi har været her i to år."},
        ),
        Case("no words", emil_in_mariehonen, post=only(anna=FORM, mikkel=FORM), data=lambda w: {"about": ""}),
    ],
    "community:welcome_ask": [
        Case(
            "ask Liva's father",
            lambda w: {"child_pk": w.children["emil"].pk, "pk": w.friend.pk},
            get=only(anna=OK, mikkel=OK),
            post=only(anna=DONE, mikkel=DONE),
            data=lambda w: {"message": "Vi er nye"},
        ),
    ],
    "community:welcome_answer": [
        Case(
            "Liva's mother asks Anna",
            lambda w: {"pk": w.welcome.pk},
            get=only(anna=OK),
            post=only(anna=DONE),
            data=lambda w: {"reply": "Velkommen!"},
        ),
        Case(
            "an empty answer",
            lambda w: {"pk": w.welcome.pk},
            post=only(anna=FORM),
            data=lambda w: {"reply": ""},
        ),
    ],
    "community:vote": [
        Case(
            "vote for Liva's father in Emil's group",
            emil_in_mariehonen,
            get=GET_NOT_ALLOWED,
            post=only(anna=DONE, mikkel=DONE),
            data=lambda w: {"candidates": [str(w.offer.pk)]},
        ),
        Case(
            "vote in Bien, not Emil's group",
            lambda w: {"child_pk": w.children["emil"].pk, "group_pk": w.groups["bien"].pk},
            post=only(),
            data=lambda w: {"candidates": [str(w.offer.pk)]},
        ),
    ],
    "community:election_open": [
        Case(
            "Bien, where no one votes yet",
            lambda w: {"group_pk": w.groups["bien"].pk},
            get=GET_NOT_ALLOWED,
            post=only(lene=DONE),
            data=lambda w: {
                "places": "2",
                "last_day": (timezone.localdate() + timedelta(days=14)).isoformat(),
            },
        ),
        Case(
            "Mariehønen, already voting",
            lambda w: {"group_pk": w.groups["mariehonen"].pk},
            post=only(carla=FORM, lene=FORM),
            data=lambda w: {
                "places": "2",
                "last_day": (timezone.localdate() + timedelta(days=14)).isoformat(),
            },
        ),
        Case(
            "a caseload",
            lambda w: {"group_pk": w.groups["caseload"].pk},
            post=only(),
            data=lambda w: {
                "places": "2",
                "last_day": (timezone.localdate() + timedelta(days=14)).isoformat(),
            },
        ),
    ],
    "community:election_close": [
        Case(
            "Mariehønen's vote",
            lambda w: {"pk": w.election.pk},
            get=GET_NOT_ALLOWED,
            post=only(carla=DONE, lene=DONE),
            data=lambda w: {},
        ),
    ],
    "community:parent_friend_end": [
        Case(
            "Liva's father as parent friend",
            lambda w: {"pk": w.friend.pk},
            get=GET_NOT_ALLOWED,
            post=only(carla=DONE, lene=DONE),
            data=lambda w: {},
        ),
    ],
}
