"""Expectation agreements in the authorization matrix.

Emil has an agreement in force, a proposed new version and a draft at Solsikken; Søren has a proposed one
in Skanderborg. Emil's record marker is in a commitment and in the family's own words of each of his
agreements (Søren's likewise), so the scan proves that only Emil's guardians and the staff serving him at
Solsikken ever see them. Anna (custody) decides; Mikkel (no custody) reads and comments only.
"""

import datetime

from django.utils import timezone

from expectations.models import (
    AgreementAcceptance,
    AgreementComment,
    AgreementReminder,
    Commitment,
    CommitmentSuggestion,
    ExpectationAgreement,
)
from tests.matrix.base import DONE, GET_NOT_ALLOWED, OK, Case, none, only

SNAPSHOT_MODELS = [
    ExpectationAgreement,
    Commitment,
    AgreementAcceptance,
    AgreementComment,
    AgreementReminder,
    CommitmentSuggestion,
]

EMIL_READERS = ("anna", "mikkel", "carla", "lene")
EMIL_DECIDERS = ("anna", "carla", "lene")  # custody holder, Emil's pedagogue, the leader


def agreement(key):
    return lambda w: {"pk": w.agreements[key].pk}


def child(key):
    return lambda w: {"child_pk": w.children[key].pk}


def shows_record(key):
    return lambda w, persona: {w.record_marks[key]}


def shows_name(key):
    return lambda w, persona: {w.name_marks[key]}


def agreement_payload(key, *, revision=None):
    """A valid agreement form for the child ``key``, carrying that child's record marker."""

    def data(w):
        today = timezone.localdate()
        payload = {
            "starts_on": today.isoformat(),
            "review_due_on": (today + datetime.timedelta(days=180)).isoformat(),
            "preferred_language": "da",
            "guidance_topics": ["language"],
            "family_words": f"Det betyder noget for os {w.record_marks[key]}",
            "new_1_side": "family",
            "new_1_text": f"Læse højt {w.record_marks[key]}",
            "new_1_how_often": "hver dag",
        }
        if revision is not None:
            payload["revision"] = str(revision)
        return payload

    return data


def _agreement(w, key, child_obj, institution, status, **extra):
    today = timezone.localdate()
    mark = w.record_marks[key]
    a = ExpectationAgreement.objects.create(
        child=child_obj,
        institution=institution,
        status=status,
        review_due_on=today + datetime.timedelta(days=20),
        proposed_at=timezone.now() if status != ExpectationAgreement.Status.DRAFT else None,
        agreed_at=timezone.now() if status == ExpectationAgreement.Status.IN_FORCE else None,
        family_words=f"Vores ønsker {mark}",
        **extra,
    )
    Commitment.objects.create(agreement=a, side="institution", text=f"Fortælle om dagen {mark}", position=0)
    Commitment.objects.create(agreement=a, side="family", text=f"Læse højt {mark}", who="Mor", position=1)
    return a


def build(w):
    c = w.cast
    S = ExpectationAgreement.Status
    w.agreements = {
        "emil_in_force": _agreement(w, "emil", w.children["emil"], c.solsikken, S.IN_FORCE),
        "emil_proposed": _agreement(w, "emil", w.children["emil"], c.solsikken, S.PROPOSED),
        "emil_draft": _agreement(w, "emil", w.children["emil"], c.solsikken, S.DRAFT),
        "soeren_proposed": _agreement(w, "soeren", w.children["soeren"], c.other_daycare, S.PROPOSED),
        "soeren_in_force": _agreement(w, "soeren", w.children["soeren"], c.other_daycare, S.IN_FORCE),
    }


def commitment(key):
    return lambda w: {"pk": w.agreements[key].pk, "commitment_pk": w.agreements[key].commitments.first().pk}


def readers(**extra):
    return only(**dict.fromkeys(EMIL_READERS, OK), **extra)


def deciders(outcome):
    return only(**dict.fromkeys(EMIL_DECIDERS, outcome))


comment_payload = lambda w: {"text": "Kan vi tale om afhentning?", "asks_for_change": "on"}  # noqa: E731
progress_payload = lambda w: {"progress": "going_well", "note": "Det går fint"}  # noqa: E731
accept_payload = lambda w: {"revision": "1"}  # noqa: E731

MATRIX = {
    "expectations:agreement_list": [
        Case(
            "staff overview",
            none,
            get=only(carla=OK, lene=OK, dorte=OK, sofie=OK),
            shows=lambda w, p: {w.name_marks["emil"]} if p in ("carla", "lene") else set(),
        )
    ],
    "expectations:child_agreements": [
        Case("Emil", child("emil"), get=readers(), shows=shows_name("emil")),
        Case("Freja", child("freja"), get=only(bo=OK, dorte=OK)),
        Case("Søren", child("soeren"), get=only()),
    ],
    "expectations:agreement_create": [
        Case(
            "Emil",
            child("emil"),
            get=deciders(OK),
            post=deciders(DONE),
            data=agreement_payload("emil"),
        ),
        Case(
            "Ida (Carla sees, cannot write)",
            child("ida"),
            get=only(lene=OK),
            post=only(lene=DONE),
            data=agreement_payload("ida"),
        ),
        Case(
            "Freja",
            child("freja"),
            get=only(bo=OK, dorte=OK),
            post=only(bo=DONE, dorte=DONE),
            data=agreement_payload("freja"),
        ),
        Case("Søren", child("soeren"), get=only(), post=only(), data=agreement_payload("soeren")),
    ],
    "expectations:agreement_detail": [
        Case("Emil's proposed", agreement("emil_proposed"), get=readers(), shows=shows_record("emil")),
        Case("Emil's in force", agreement("emil_in_force"), get=readers(), shows=shows_record("emil")),
        Case("Emil's draft", agreement("emil_draft"), get=readers(), shows=shows_record("emil")),
        Case("Søren's", agreement("soeren_proposed"), get=only()),
    ],
    "expectations:agreement_edit": [
        Case(
            "Emil's proposed",
            agreement("emil_proposed"),
            get=deciders(OK),
            post=deciders(DONE),
            data=agreement_payload("emil", revision=1),
        ),
        Case(
            "Søren's",
            agreement("soeren_proposed"),
            get=only(),
            post=only(),
            data=agreement_payload("soeren", revision=1),
        ),
    ],
    "expectations:agreement_propose": [
        Case("Emil's draft", agreement("emil_draft"), get=GET_NOT_ALLOWED, post=deciders(DONE), data=none),
        Case("Søren's", agreement("soeren_proposed"), post=only(), data=none),
    ],
    "expectations:agreement_accept": [
        Case(
            "Emil's proposed",
            agreement("emil_proposed"),
            get=GET_NOT_ALLOWED,
            post=deciders(DONE),
            data=accept_payload,
        ),
        Case("Søren's", agreement("soeren_proposed"), post=only(), data=accept_payload),
    ],
    "expectations:agreement_comment": [
        Case(
            "Emil's proposed",
            agreement("emil_proposed"),
            get=GET_NOT_ALLOWED,
            post=only(**dict.fromkeys(EMIL_READERS, DONE)),
            data=comment_payload,
        ),
        Case("Søren's", agreement("soeren_proposed"), post=only(), data=comment_payload),
    ],
    "expectations:commitment_progress": [
        Case(
            "Emil's agreement in force",
            commitment("emil_in_force"),
            get=GET_NOT_ALLOWED,
            post=deciders(DONE),
            data=progress_payload,
        ),
        Case(
            "Søren's commitment under Emil's agreement",
            lambda w: {
                "pk": w.agreements["emil_in_force"].pk,
                "commitment_pk": w.agreements["soeren_in_force"].commitments.first().pk,
            },
            post=only(),
            data=progress_payload,
        ),
        Case("Søren's agreement in force", commitment("soeren_in_force"), post=only(), data=progress_payload),
    ],
}

WRITING = {
    "expectations:agreement_create",
    "expectations:agreement_edit",
    "expectations:agreement_propose",
    "expectations:agreement_accept",
    "expectations:agreement_comment",
    "expectations:commitment_progress",
}
