"""The local canon of songs, stories and rhymes in the authorization matrix (built after ``transitions``).

Aarhus's canon has a song Mariehønen and 1.A have used for months (its words carry a marker) and a
rhyme nobody uses; Skanderborg has a song of its own. Emil is in Mariehønen, and Alma (Mariehønen) has
been sent to 1.A, so Skovvangskolen counts one new child who knows the song, never naming her. Only
guardians with the right to information read their child's canon (Anna and Mikkel Emil's, Bo
Freja's); only Aarhus's administrator changes Aarhus's list.
"""

import uuid
from datetime import timedelta

from django.utils import timezone

from tests.matrix.base import DONE, FORM, GET_NOT_ALLOWED, OK, Case, only
from transitions.models import CanonItem, CanonUse
from transitions.services.canon import canon_item_create, canon_use_mark

SNAPSHOT_MODELS = [CanonItem, CanonUse]
WRITING = {
    "transitions:canon_item_create",
    "transitions:canon_item_edit",
    "transitions:canon_item_retire",
    "transitions:group_canon_mark",
    "transitions:group_canon_unmark",
}
STAFF = {"carla": OK, "lene": OK, "dorte": OK, "sofie": OK}


def build(w):
    c = w.cast
    w.canon_mark = f"MARK-canon-words-{uuid.uuid4().hex[:10]}"
    w.labels[w.canon_mark] = "the words of Aarhus's canon song"

    def create(municipality, title, kind=CanonItem.Kind.SONG, text=""):
        return canon_item_create(
            municipality=municipality,
            kind=kind,
            title=title,
            text=text,
            link="https://kb.dk/",
            age_band=CanonItem.AgeBand.KINDERGARTEN,
        )

    w.canon_song = create(c.aarhus, "Mester Jakob", text=f"Mester Jakob, sover du? {w.canon_mark}")
    w.canon_rhyme = create(c.aarhus, "Bro bro brille", kind=CanonItem.Kind.RHYME)
    w.canon_other = create(c.other, "Søens sang")
    for group, user in ((c.mariehonen, c.carla), (c.class_1a, c.dorte)):
        canon_use_mark(
            group=group, item=w.canon_song, user=user, since=timezone.localdate() - timedelta(days=120)
        )


def forbidden(w, persona, url_name) -> set:
    """The words reach Emil's and Freja's guardians, the administrator and the staff who use it."""
    return set() if persona in {"anna", "mikkel", "bo", "carla", "lene", "dorte", "erik"} else {w.canon_mark}


def item_payload(**extra):
    def data(w):
        return {
            "kind": "song",
            "title": "Jens Vejmand",
            "age_band": "school_start",
            "text": "",
            "link": "",
            **extra,
        }

    return data


def group_item(group, item):
    return lambda w: {"pk": w.groups[group].pk, "item_pk": getattr(w, item).pk}


def since(item):
    return lambda w: {f"i{getattr(w, item).pk}-since": timezone.localdate().isoformat()}


MATRIX = {
    "transitions:canon_admin": [
        Case("the municipality's canon", lambda w: {}, get=only(erik=OK, olga=OK), shows=lambda w, p: set())
    ],
    "transitions:canon_item_create": [
        Case(
            "a new song",
            lambda w: {},
            get=only(erik=OK, olga=OK),
            post=only(erik=DONE, olga=DONE),  # each in their own municipality
            data=item_payload(),
        ),
        Case(
            "a link that is not a web address",
            lambda w: {},
            post=only(erik=FORM, olga=FORM),
            data=item_payload(link="javascript:alert(1)"),
        ),
    ],
    "transitions:canon_item_edit": [
        Case(
            "Aarhus's song",
            lambda w: {"pk": w.canon_song.pk},
            get=only(erik=OK),
            post=only(erik=DONE),
            data=item_payload(title="Mester Jakob", position="2"),
            shows=lambda w, p: {w.canon_mark},
        ),
        Case(
            "Skanderborg's song",
            lambda w: {"pk": w.canon_other.pk},
            get=only(olga=OK),
            post=only(olga=DONE),
            data=item_payload(title="Søens sang", position="2"),
        ),
    ],
    "transitions:canon_item_retire": [
        Case(
            "Aarhus's rhyme",
            lambda w: {"pk": w.canon_rhyme.pk},
            get=GET_NOT_ALLOWED,
            post=only(erik=DONE),
            data=lambda w: {"retired": "1"},
        ),
    ],
    "transitions:group_canon": [
        Case(
            "Mariehønen",
            lambda w: {"pk": w.groups["mariehonen"].pk},
            get=only(carla=OK, lene=OK),
            shows=lambda w, p: {w.canon_mark},
        ),
        Case("Bien (not Carla's)", lambda w: {"pk": w.groups["bien"].pk}, get=only(lene=OK)),
        Case("1.A", lambda w: {"pk": w.groups["class_1a"].pk}, get=only(dorte=OK)),
        Case("health visitor caseload", lambda w: {"pk": w.groups["caseload"].pk}, get=only()),
        Case("Skanderborg group", lambda w: {"pk": w.groups["other_group"].pk}, get=only()),
    ],
    "transitions:group_canon_mark": [
        Case(
            "Mariehønen marks the rhyme",
            group_item("mariehonen", "canon_rhyme"),
            get=GET_NOT_ALLOWED,
            post=only(carla=DONE, lene=DONE),
            data=since("canon_rhyme"),
        ),
        Case(
            "Mariehønen marks Skanderborg's song",
            group_item("mariehonen", "canon_other"),
            post=only(),
            data=since("canon_other"),
        ),
        Case(
            "Bien marks the rhyme",
            group_item("bien", "canon_rhyme"),
            post=only(lene=DONE),
            data=since("canon_rhyme"),
        ),
    ],
    "transitions:group_canon_unmark": [
        Case(
            "Mariehønen stops the song",
            group_item("mariehonen", "canon_song"),
            get=GET_NOT_ALLOWED,
            post=only(carla=DONE, lene=DONE),
            data=lambda w: {},
        ),
        Case(
            "1.A stops the song",
            group_item("class_1a", "canon_song"),
            post=only(dorte=DONE),
            data=lambda w: {},
        ),
        Case(
            "Skanderborg's group stops it",
            group_item("other_group", "canon_song"),
            post=only(),
            data=lambda w: {},
        ),
    ],
    "transitions:child_canon": [
        Case(
            "Emil",
            lambda w: {"child_pk": w.children["emil"].pk},
            get=only(anna=OK, mikkel=OK),
            shows=lambda w, p: {w.canon_mark},
        ),
        Case(
            "Freja",
            lambda w: {"child_pk": w.children["freja"].pk},
            get=only(bo=OK),
            shows=lambda w, p: {w.canon_mark},
        ),
        Case("Søren", lambda w: {"child_pk": w.children["soeren"].pk}, get=only()),
    ],
    "transitions:incoming_canon": [
        Case("the counts of the new children", lambda w: {}, get=only(**STAFF)),
    ],
}
