"""Transitions and handovers in the authorization matrix.

Aarhus asks for consent section by section. Emil's handover from Solsikken to Skovvangskolen is being
written (his place at the school starts after the summer): the family and Solsikken's staff see it, the
school sees nothing. Alma (Mariehønen; Anna holds custody, Mikkel has none) has been sent to 1.A at the
school: Anna said yes to her strengths and wrote her own view; she never said yes to friendships, and
took back her yes to concerns after sending. Each section carries its own marker: **the school never
sees a withheld or withdrawn section**, and Alma is seen only by her family, Solsikken and the school.
"""

import uuid
from datetime import timedelta

from django.test import RequestFactory
from django.utils import timezone

from portal.organisation.models import Institution
from tests import factories as f
from tests.matrix.base import DONE, FORM, GET_NOT_ALLOWED, OK, Case, only
from transitions import services
from transitions.models import (
    Handover,
    HandoverConsent,
    HandoverSection,
    SectionEdit,
    SharingModel,
    Transition,
    TransitionSettings,
)

SNAPSHOT_MODELS = [Transition, Handover, HandoverSection, HandoverConsent, SectionEdit, TransitionSettings]
WRITING = {
    "transitions:transition_create",
    "transitions:cohort_create",
    "transitions:handover_section_save",
    "transitions:handover_parents_view",
    "transitions:handover_consent",
    "transitions:handover_send",
    "transitions:handover_receive",
    "transitions:transition_cancel",
    "transitions:sharing_settings",
}
FAMILY_AND_SENDER = ("anna", "mikkel", "carla", "lene")
RECEIVER_NOTICE = "meetings:notifications"  # "Handover of Alma from Solsikken" in the school's inbox
RECEIVER_TODO = "children:staff_home"  # "Confirm you have received Alma's handover from Solsikken"
Kind = HandoverSection.Kind


def _request(user):
    request = RequestFactory().post("/")
    request.user = user
    return request


def _mark(w, what):
    marker = f"MARK-handover-{''.join(ch for ch in what if ch.isalpha())}-{uuid.uuid4().hex[:10]}"
    w.labels[marker] = f"the handover's {what}"
    return marker


def build(w):
    c = w.cast
    TransitionSettings.objects.create(municipality=c.aarhus, sharing_model=SharingModel.CONSENT)
    start = timezone.localdate() + timedelta(days=60)
    w.lindeskolen = f.InstitutionFactory(
        municipality=c.aarhus, name="Lindeskolen", kind=Institution.Kind.SCHOOL
    )
    alma = f.ChildFactory(municipality=c.aarhus, first_name="Alma", last_name="Krogh")
    f.EnrollmentFactory(child=alma, group=c.mariehonen)
    f.GuardianshipFactory(child=alma, user=c.anna)
    f.GuardianshipFactory(child=alma, user=c.mikkel, relation="father", has_custody=False)
    for child in (c.emil, alma):
        f.EnrollmentFactory(child=child, group=c.class_1a, started_on=start)

    def begin(child):
        return services.transition_create(
            request=_request(c.carla),
            child=child,
            enrollment=child.enrollments.get(institution=c.solsikken),
            kind=Transition.Kind.DAYCARE_TO_SCHOOL,
            receiving_institution=c.school,
            receiving_group=c.class_1a,
            planned_on=start,
        )

    def write(handover, kind, text):
        services.handover_section_save(request=_request(c.carla), handover=handover, kind=kind, text=text)

    def consent(handover, kind, give=True):
        section = handover.sections.get(kind=kind, author__isnull=True)
        services.handover_consent_set(
            request=_request(c.anna), handover=handover, section_pk=section.pk, give=give
        )

    emil = begin(c.emil).handover
    write(emil, Kind.STRENGTHS, f"Emil bygger huler {w.record_marks['emil']}")

    w.alma = alma
    w.alma_name = _mark(w, "child's name")
    alma.first_name = f"Alma {w.alma_name}"
    alma.save(update_fields=["first_name"])
    sent = begin(alma).handover
    w.shared = {_mark(w, "shared strengths"), _mark(w, "parents' view")}
    w.hidden = {_mark(w, "withheld friendships"), _mark(w, "withdrawn concerns")}
    shared, view = sorted(w.shared, key=lambda m: "view" in w.labels[m])
    withheld, withdrawn = sorted(w.hidden, key=lambda m: "withdrawn" in w.labels[m])
    write(sent, Kind.STRENGTHS, f"Alma tegner {shared}")
    write(sent, Kind.FRIENDSHIPS, f"Alma leger alene {withheld}")
    write(sent, Kind.CONCERNS, f"Alma har brug for ro {withdrawn}")
    services.handover_parents_view_save(request=_request(c.anna), handover=sent, text=f"Hun er glad {view}")
    consent(sent, Kind.STRENGTHS)
    consent(sent, Kind.CONCERNS)
    services.handover_send_request(request=_request(c.carla), handover=sent)
    services.handover_deliver(handover_id=sent.pk)
    consent(sent, Kind.CONCERNS, give=False)  # after sending: hidden from then on
    w.handovers = {"emil": emil, "alma": Handover.objects.get(pk=sent.pk)}
    w.handover_sections = {
        key: {s.kind: s for s in h.sections.filter(author__isnull=True)} for key, h in w.handovers.items()
    }


def forbidden(w, persona, url_name) -> set:
    """Alma's name and what was passed on: her family, Solsikken and (on these pages and its inbox) the
    school, which also sees her name on its home's to-do; what was withheld or withdrawn: her family
    and Solsikken only."""
    markers = set()
    if persona not in FAMILY_AND_SENDER:
        markers |= w.hidden
        receiver = persona == "dorte" and url_name.startswith(("transitions:", RECEIVER_NOTICE))
        if not receiver:
            markers |= set(w.shared)
            # Administrators see the names of their municipality's children on the access log only;
            # the school's staff see Alma's first name in the to-do to confirm receipt on their home.
            if not (persona == "erik" and url_name == "organisation:audit_search") and not (
                persona == "dorte" and url_name == RECEIVER_TODO
            ):
                markers.add(w.alma_name)
    return markers


def handover(key):
    return lambda w: {"pk": w.handovers[key].pk}


def section_of(key, kind):
    return lambda w: {"pk": w.handovers[key].pk, "kind": kind}


def consent_payload(key, kind, give):
    return lambda w: {"section": w.handover_sections[key][kind].pk, "give": give}


def text(value):
    return lambda w: {"text": value}


def transition_payload(w):
    return {
        "kind": Transition.Kind.DAYCARE_TO_SCHOOL,
        "receiving_institution": w.lindeskolen.pk,
        "receiving_group": "",
        "planned_on": (timezone.localdate() + timedelta(days=90)).isoformat(),
    }


def cohort_payload(w):
    return {
        **transition_payload(w),
        "group": w.groups["mariehonen"].pk,
        "birth_year": w.children["emil"].birth_date.year,
    }


MATRIX = {
    "transitions:handover_detail": [
        Case(
            "Emil's, being written",
            handover("emil"),
            get=only(**dict.fromkeys(FAMILY_AND_SENDER, OK)),
            shows=lambda w, p: {w.record_marks["emil"]},
        ),
        Case(
            "Alma's, sent to the school",
            handover("alma"),
            get=only(**dict.fromkeys(FAMILY_AND_SENDER, OK), dorte=OK),
            shows=lambda w, p: w.shared | (w.hidden if p in FAMILY_AND_SENDER else set()),
        ),
    ],
    # A PDF's text is compressed: its markers are checked in tests/transitions/test_handover_pdf.py.
    "transitions:handover_pdf": [
        Case("Emil's, being written", handover("emil"), get=only()),
        Case("Alma's, sent", handover("alma"), get=only(**dict.fromkeys(FAMILY_AND_SENDER, OK))),
    ],
    "transitions:handover_section_save": [
        Case(
            "Emil's strengths",
            section_of("emil", Kind.STRENGTHS),
            get=GET_NOT_ALLOWED,
            post=only(carla=DONE, lene=DONE),
            data=text("Emil er nysgerrig"),
        ),
        Case("Alma's (sent)", section_of("alma", Kind.STRENGTHS), post=only(), data=text("Ændret")),
        Case("not a section", section_of("emil", "secrets"), post=only(), data=text("Ændret")),
    ],
    "transitions:handover_parents_view": [
        Case(
            "Emil's",
            handover("emil"),
            get=GET_NOT_ALLOWED,
            post=only(anna=DONE),
            data=text("Emil elsker at bygge"),
        ),
        Case("Alma's (sent)", handover("alma"), post=only(), data=text("For sent")),
    ],
    "transitions:handover_consent": [
        Case(
            "yes to Emil's strengths",
            handover("emil"),
            get=GET_NOT_ALLOWED,
            post=only(anna=DONE),
            data=consent_payload("emil", Kind.STRENGTHS, "yes"),
        ),
        Case(
            "take back Alma's strengths after sending",
            handover("alma"),
            post=only(anna=DONE),
            data=consent_payload("alma", Kind.STRENGTHS, "no"),
        ),
        Case(
            "yes to Alma's friendships after sending",
            handover("alma"),
            post=only(anna=FORM),
            data=consent_payload("alma", Kind.FRIENDSHIPS, "yes"),
        ),
        Case(
            "a section of another handover",
            handover("emil"),
            post=only(anna=FORM),
            data=consent_payload("alma", Kind.STRENGTHS, "yes"),
        ),
    ],
    "transitions:handover_send": [
        Case(
            "Emil's",
            handover("emil"),
            get=GET_NOT_ALLOWED,
            post=only(carla=DONE, lene=DONE),
            data=lambda w: {},
        ),
        Case("Alma's (sent)", handover("alma"), post=only(), data=lambda w: {}),
    ],
    "transitions:handover_receive": [
        Case("Alma's", handover("alma"), get=GET_NOT_ALLOWED, post=only(dorte=DONE), data=lambda w: {}),
        Case("Emil's (not sent)", handover("emil"), post=only(), data=lambda w: {}),
    ],
    "transitions:transition_cancel": [
        Case(
            "Emil's, being written",
            handover("emil"),
            get=GET_NOT_ALLOWED,
            post=only(carla=DONE, lene=DONE),
            data=lambda w: {},
        ),
        Case("Alma's (sent)", handover("alma"), post=only(), data=lambda w: {}),
    ],
    "transitions:sharing_settings": [
        Case(
            "the municipality's sharing model",
            lambda w: {},
            get=only(erik=OK, olga=OK),
            post=only(erik=DONE, olga=DONE),
            data=lambda w: {"sharing_model": SharingModel.GUIDELINES},
        ),
        Case(
            "not a model",
            lambda w: {},
            post=only(erik=FORM, olga=FORM),
            data=lambda w: {"sharing_model": "everything"},
        ),
    ],
    "transitions:incoming": [
        Case(
            "children starting with us",
            lambda w: {},
            get=only(carla=OK, lene=OK, dorte=OK, sofie=OK),
            shows=lambda w, p: {w.alma_name} if p == "dorte" else set(),
        )
    ],
    "transitions:transition_create": [
        Case(
            "Emil to Lindeskolen",
            lambda w: {"child_pk": w.children["emil"].pk},
            get=only(carla=OK, lene=OK),
            post=only(carla=DONE, lene=DONE),
            data=transition_payload,
        ),
        Case(
            "Ida (Carla sees, cannot write)",
            lambda w: {"child_pk": w.children["ida"].pk},
            get=only(lene=OK),
            post=only(lene=DONE),
            data=transition_payload,
        ),
        Case(
            "Søren",
            lambda w: {"child_pk": w.children["soeren"].pk},
            get=only(),
            post=only(),
            data=transition_payload,
        ),
    ],
    "transitions:cohort_create": [
        Case(
            "Mariehønen to Lindeskolen",
            lambda w: {},
            get=only(lene=OK),
            post=only(lene=DONE),
            data=cohort_payload,
        ),
    ],
}
