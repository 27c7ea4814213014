"""The charter of shared responsibility and institution principles in the authorization matrix.

Aarhus has a retired version 1, version 2 in force, an approved version 3 and a draft version 4;
Skanderborg has a version in force and a draft. Solsikken and Børnehaven Ved Søen have principles.
Every charter text carries its municipality's org marker, so the scan proves that nobody sees the other
municipality's charter.
"""

import uuid

from django.utils import timezone

from expectations.models import CharterItem, CharterVersion, InstitutionPrinciples
from tests.matrix.base import DONE, FORM, GET_NOT_ALLOWED, OK, Case, none, only

AARHUS_READERS = ("anna", "mikkel", "bo", "carla", "lene", "dorte", "sofie", "erik")
SNAPSHOT_MODELS = [CharterVersion, CharterItem, InstitutionPrinciples]


def _readers(**extra):
    return only(**dict.fromkeys(AARHUS_READERS, OK), **extra)


def version(key):
    return lambda w: {"pk": w.charter[key].pk}


def item(key):
    return lambda w: {"version_pk": w.charter_items[key].version_id, "pk": w.charter_items[key].pk}


def on_version(key):
    return lambda w: {"version_pk": w.charter[key].pk}


def institution(key):
    return lambda w: {"institution_pk": w.institutions[key].pk}


def shows_charter(w, persona):
    return {w.charter_marks["other" if persona == "olga" else "aarhus"]}


def _today(w=None):
    return timezone.localdate().isoformat()


def item_payload(w):
    return {
        "side": "parents",
        "title": "Læs højt hver dag",
        "text": "Læs en bog sammen med jeres barn hver dag.",
        "age_from_months": "12",
        "age_to_months": "72",
        "institution_kinds": ["kindergarten", "school"],
    }


def approve_payload(w):
    return {"approved_on": _today(), "approved_by_body": "Børne- og Ungeudvalget"}


MATRIX = {
    "expectations:charter": [
        Case("the charter in force", none, get=only(others=OK), shows=shows_charter),
    ],
    "expectations:charter_version_list": [Case("versions", none, get=only(erik=OK, olga=OK))],
    "expectations:charter_version_create": [
        Case(
            "new draft",
            none,
            get=only(erik=OK, olga=OK),
            post=only(erik=DONE, olga=DONE),
            data=lambda w: {"title": "Fælles ansvar", "introduction": "", "copy_in_force": "on"},
        )
    ],
    "expectations:charter_version_detail": [
        Case("Aarhus in force", version("aarhus_in_force"), get=_readers(), shows=shows_charter),
        Case("Aarhus retired", version("aarhus_retired"), get=_readers()),
        Case("Aarhus approved", version("aarhus_approved"), get=only(erik=OK)),
        Case("Aarhus draft", version("aarhus_draft"), get=only(erik=OK)),
        Case("Skanderborg in force", version("other_in_force"), get=only(olga=OK), shows=shows_charter),
        Case("Skanderborg draft", version("other_draft"), get=only(olga=OK)),
    ],
    "expectations:charter_version_diff": [
        Case("Aarhus in force", version("aarhus_in_force"), get=_readers()),
        Case("Aarhus draft", version("aarhus_draft"), get=only(erik=OK)),
        Case("Skanderborg draft", version("other_draft"), get=only(olga=OK)),
    ],
    "expectations:charter_version_edit": [
        Case(
            "Aarhus draft",
            version("aarhus_draft"),
            get=only(erik=OK),
            post=only(erik=DONE),
            data=lambda w: {"title": "Nyt navn", "introduction": "Ny indledning"},
        ),
        Case(
            "Aarhus in force (read-only)",
            version("aarhus_in_force"),
            get=only(erik=OK),
            post=only(erik=FORM),
            data=lambda w: {"title": "Nyt navn", "introduction": "Ny indledning"},
        ),
        Case(
            "Skanderborg draft",
            version("other_draft"),
            get=only(olga=OK),
            post=only(olga=DONE),
            data=lambda w: {"title": "Nyt navn", "introduction": ""},
        ),
    ],
    "expectations:charter_version_approve": [
        Case(
            "Aarhus draft",
            version("aarhus_draft"),
            get=only(erik=OK),
            post=only(erik=DONE),
            data=approve_payload,
        ),
        Case(
            "Aarhus in force (read-only)",
            version("aarhus_in_force"),
            get=only(erik=OK),
            post=only(erik=FORM),
            data=approve_payload,
        ),
        Case(
            "Skanderborg draft",
            version("other_draft"),
            get=only(olga=OK),
            post=only(olga=DONE),
            data=approve_payload,
        ),
    ],
    "expectations:charter_version_put_in_force": [
        Case(
            "Aarhus approved",
            version("aarhus_approved"),
            get=only(erik=OK),
            post=only(erik=DONE),
            data=lambda w: {"in_force_from": _today()},
        ),
        Case(
            "Aarhus draft (not approved yet)",
            version("aarhus_draft"),
            get=only(erik=OK),
            post=only(erik=FORM),
            data=lambda w: {"in_force_from": _today()},
        ),
    ],
    "expectations:charter_item_create": [
        Case(
            "Aarhus draft",
            on_version("aarhus_draft"),
            get=only(erik=OK),
            post=only(erik=DONE),
            data=item_payload,
        ),
        Case(
            "Aarhus in force (read-only)",
            on_version("aarhus_in_force"),
            get=only(erik=OK),
            post=only(erik=FORM),
            data=item_payload,
        ),
        Case(
            "Skanderborg draft",
            on_version("other_draft"),
            get=only(olga=OK),
            post=only(olga=DONE),
            data=item_payload,
        ),
    ],
    "expectations:charter_item_edit": [
        Case(
            "Aarhus draft item",
            item("aarhus_draft_1"),
            get=only(erik=OK),
            post=only(erik=DONE),
            data=item_payload,
        ),
        Case(
            "Aarhus item in force (read-only)",
            item("aarhus_in_force"),
            get=only(erik=OK),
            post=only(erik=FORM),
            data=item_payload,
        ),
        Case(
            "Skanderborg draft item",
            item("other_draft"),
            get=only(olga=OK),
            post=only(olga=DONE),
            data=item_payload,
        ),
    ],
    "expectations:charter_item_delete": [
        Case(
            "Aarhus draft item",
            item("aarhus_draft_1"),
            get=GET_NOT_ALLOWED,
            post=only(erik=DONE),
            data=lambda w: {},
        ),
        Case(
            "Skanderborg draft item",
            item("other_draft"),
            get=GET_NOT_ALLOWED,
            post=only(olga=DONE),
            data=lambda w: {},
        ),
    ],
    "expectations:charter_item_move": [
        Case(
            "Aarhus draft item down",
            item("aarhus_draft_1"),
            get=GET_NOT_ALLOWED,
            post=only(erik=DONE),
            data=lambda w: {"direction": "down"},
        ),
    ],
    "expectations:principles_detail": [
        Case(
            "Solsikken",
            institution("solsikken"),
            get=only(anna=OK, mikkel=OK, carla=OK, lene=OK, erik=OK),
            shows=lambda w, p: {w.charter_marks["solsikken_principles"]},
        ),
        Case("Skovvangskolen (none yet)", institution("school"), get=only(bo=OK, dorte=OK, erik=OK)),
        # Anna, Mikkel and Bo have expected children in Sofie's caseload (tests/matrix/networks.py).
        Case(
            "Sundhedsplejen",
            institution("health"),
            get=only(sofie=OK, erik=OK, anna=OK, mikkel=OK, bo=OK),
        ),
        Case("Skanderborg daycare", institution("other_daycare"), get=only(olga=OK)),
    ],
    "expectations:principles_create": [
        Case(
            "Solsikken",
            institution("solsikken"),
            get=only(lene=OK),
            post=only(lene=DONE),
            data=lambda w: {
                "text": "Vi taler sammen hver uge.",
                "adopted_on": _today(),
                "adopted_by": "Forældrebestyrelsen",
            },
        ),
        Case(
            "Skovvangskolen (no leader in the cast)",
            institution("school"),
            get=only(),
            post=only(),
            data=lambda w: {"text": "Principper", "adopted_on": _today(), "adopted_by": "Skolebestyrelsen"},
        ),
    ],
}

WRITING = {
    "expectations:charter_version_create",
    "expectations:charter_version_edit",
    "expectations:charter_version_approve",
    "expectations:charter_version_put_in_force",
    "expectations:charter_item_create",
    "expectations:charter_item_edit",
    "expectations:charter_item_delete",
    "expectations:charter_item_move",
    "expectations:principles_create",
}


def _marker(w, municipality_key, key):
    marker = f"MARK-org-charter-{key}-{uuid.uuid4().hex[:10]}"
    w.org_marks[municipality_key].add(marker)
    w.labels[marker] = f"{municipality_key}'s charter ({key})"
    return marker


def build(w):
    c = w.cast
    today = timezone.localdate()
    marks = {
        "aarhus": _marker(w, "aarhus", "in_force"),
        "other": _marker(w, "other", "in_force"),
        "solsikken_principles": _marker(w, "aarhus", "solsikken_principles"),
        "other_principles": _marker(w, "other", "other_principles"),
    }
    approved = {"approved_on": today, "approved_by_body": "Børne- og Ungeudvalget"}

    def make(municipality, number, status, marker, **extra):
        return CharterVersion.objects.create(
            municipality=municipality,
            number=number,
            title=f"Fælles ansvar {number} {marker}",
            introduction=f"Indledning {marker}",
            status=status,
            **extra,
        )

    S = CharterVersion.Status
    charter = {
        "aarhus_retired": make(c.aarhus, 1, S.RETIRED, marks["aarhus"], in_force_from=today, **approved),
        "aarhus_in_force": make(c.aarhus, 2, S.IN_FORCE, marks["aarhus"], in_force_from=today, **approved),
        "aarhus_approved": make(c.aarhus, 3, S.APPROVED, marks["aarhus"], **approved),
        "aarhus_draft": make(c.aarhus, 4, S.DRAFT, marks["aarhus"]),
        "other_in_force": make(c.other, 1, S.IN_FORCE, marks["other"], in_force_from=today, **approved),
        "other_draft": make(c.other, 2, S.DRAFT, marks["other"]),
    }

    def add(key, position=0, side="parents", text="Læs højt hver dag."):
        version = charter[key]
        return CharterItem.objects.create(
            version=version,
            side=side,
            title=f"Punkt {position}",
            text=f"{text} {version.title}",
            position=position,
        )

    items = {
        "aarhus_retired": add("aarhus_retired", text="Læs højt."),
        "aarhus_in_force": add("aarhus_in_force"),
        "aarhus_in_force_shared": add("aarhus_in_force", side="shared"),
        "aarhus_approved": add("aarhus_approved"),
        "aarhus_draft_1": add("aarhus_draft"),
        "aarhus_draft_2": add("aarhus_draft", position=1),
        "other_in_force": add("other_in_force"),
        "other_draft": add("other_draft"),
    }
    principles = {
        "solsikken": InstitutionPrinciples.objects.create(
            institution=c.solsikken,
            charter_version=charter["aarhus_in_force"],
            text=f"Vi samarbejder tæt. {marks['solsikken_principles']}",
            adopted_on=today,
            adopted_by="Forældrebestyrelsen",
        ),
        "other_daycare": InstitutionPrinciples.objects.create(
            institution=c.other_daycare,
            charter_version=charter["other_in_force"],
            text=f"Principper {marks['other_principles']}",
            adopted_on=today,
            adopted_by="Forældrebestyrelsen",
        ),
    }
    w.charter = charter
    w.charter_items = items
    w.charter_marks = marks
    w.principles = principles
