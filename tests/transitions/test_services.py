"""The rules of a handover, as the services keep them: sections with history, the parents' view,
consent per custody holder, section and recipient, sending once through Celery, and receipt."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from children.models import Enrollment
from portal.audit.models import AccessEvent
from portal.meetings.models import Notification
from tests import factories as f
from tests.transitions.conftest import request_by, school_start, start_transition
from transitions import services
from transitions.models import (
    Handover,
    HandoverConsent,
    HandoverSection,
    SectionEdit,
    SharingModel,
    Transition,
)

pytestmark = pytest.mark.django_db
Kind = HandoverSection.Kind


def write_all(handover, cast, marker="tekst"):
    for kind in HandoverSection.STAFF_KINDS:
        services.handover_section_save(
            request=request_by(cast.carla), handover=handover, kind=kind, text=f"{kind} {marker}"
        )


def consent(handover, user, kind, give=True):
    section = handover.sections.get(kind=kind, author__isnull=True)
    return services.handover_consent_set(
        request=request_by(user), handover=handover, section_pk=section.pk, give=give
    )


def send(handover, user, capture):
    with capture(execute=True):
        services.handover_send_request(request=request_by(user), handover=handover)
    handover.refresh_from_db()
    return handover


def test_transition_create_makes_a_handover_with_the_six_staff_sections_on_the_municipalitys_basis(
    cast, transition
):
    handover = transition.handover
    assert handover.sharing_model == SharingModel.CONSENT
    assert [s.kind for s in handover.sections.order_by("pk")] == list(HandoverSection.STAFF_KINDS)
    assert {s.basis for s in handover.sections.all()} == {HandoverSection.Basis.CONSENT}
    assert AccessEvent.objects.filter(subject="transition_plan", child=cast.emil, action="create").exists()


def test_guidelines_model_records_guidelines_as_the_basis(cast):
    transition = start_transition(cast, model=SharingModel.GUIDELINES)
    assert {s.basis for s in transition.handover.sections.all()} == {HandoverSection.Basis.GUIDELINES}


def test_a_second_live_transition_to_the_same_place_is_refused_and_nothing_is_written(cast, transition):
    with pytest.raises(ValidationError):
        start_transition(cast)
    assert Transition.objects.count() == 1 and Handover.objects.count() == 1


def test_a_move_to_the_same_place_or_in_the_past_is_refused(cast):
    enrollment = cast.emil.enrollments.get()
    for place, day in [
        (cast.solsikken, school_start()),
        (cast.school, timezone.localdate().replace(year=2000)),
    ]:
        with pytest.raises(ValidationError):
            services.transition_create(
                request=request_by(cast.carla),
                child=cast.emil,
                enrollment=enrollment,
                kind=Transition.Kind.DAYCARE_TO_SCHOOL,
                receiving_institution=place,
                planned_on=day,
            )
    assert not Transition.objects.exists()


def test_section_edits_keep_their_history_and_start_the_handover(cast, transition):
    handover = transition.handover
    services.handover_section_save(
        request=request_by(cast.carla), handover=handover, kind=Kind.FRIENDSHIPS, text="Leger med Ida"
    )
    services.handover_section_save(
        request=request_by(cast.lene), handover=handover, kind=Kind.FRIENDSHIPS, text="Leger med Ida og Bo"
    )
    services.handover_section_save(
        request=request_by(cast.lene), handover=handover, kind=Kind.FRIENDSHIPS, text="Leger med Ida og Bo"
    )
    section = handover.sections.get(kind=Kind.FRIENDSHIPS)
    assert section.text == "Leger med Ida og Bo" and section.updated_by_name == "Lene Schmidt"
    assert list(
        SectionEdit.objects.filter(section=section).order_by("at", "pk").values_list("actor_name", "text")
    ) == [
        ("Carla Hansen", "Leger med Ida"),
        ("Lene Schmidt", "Leger med Ida og Bo"),
    ]
    transition.refresh_from_db()
    assert transition.status == Transition.Status.IN_PROGRESS


def test_each_custody_holder_writes_their_own_view_and_a_parent_without_custody_cannot(
    cast, transition, jonas
):
    handover = transition.handover
    services.handover_parents_view_save(
        request=request_by(cast.anna), handover=handover, text="Emil elsker dinosaurer"
    )
    services.handover_parents_view_save(
        request=request_by(jonas), handover=handover, text="Han er genert i starten"
    )
    views = handover.sections.filter(kind=Kind.PARENTS_VIEW).order_by("pk")
    assert [(v.author, v.basis) for v in views] == [(cast.anna, "parent"), (jonas, "parent")]
    with pytest.raises(ValidationError):
        services.handover_parents_view_save(request=request_by(cast.mikkel), handover=handover, text="Nej")
    assert handover.sections.filter(kind=Kind.PARENTS_VIEW).count() == 2


def test_only_sections_every_custody_holder_consented_to_are_passed_on(
    cast, transition, jonas, registered, django_capture_on_commit_callbacks
):
    handover = transition.handover
    write_all(handover, cast)
    services.handover_parents_view_save(request=request_by(cast.anna), handover=handover, text="Vores syn")
    consent(handover, cast.anna, Kind.STRENGTHS)
    consent(handover, jonas, Kind.STRENGTHS)
    consent(handover, cast.anna, Kind.CONCERNS)  # Jonas does not: withheld
    consent(handover, cast.anna, Kind.LANGUAGE)
    consent(handover, jonas, Kind.LANGUAGE)
    consent(handover, jonas, Kind.LANGUAGE, give=False)  # withdrawn before sending: withheld
    handover = send(handover, cast.carla, django_capture_on_commit_callbacks)
    passed = {s.kind for s in handover.sections.all() if s.reaches_receiver}
    assert passed == {Kind.STRENGTHS, Kind.PARENTS_VIEW}
    assert {(n["kind"], n["reason"]) for n in handover.not_passed_on} == {
        (k, "no_consent") for k in HandoverSection.STAFF_KINDS if k != Kind.STRENGTHS
    }
    assert handover.transition.status == Transition.Status.SENT


def test_a_parent_without_custody_decides_nothing(cast, transition):
    with pytest.raises(ValidationError):
        consent(transition.handover, cast.mikkel, Kind.STRENGTHS)
    assert not HandoverConsent.objects.exists()


def test_consent_is_per_recipient(
    cast, transition, registered, third_place, django_capture_on_commit_callbacks
):
    handover = transition.handover
    write_all(handover, cast)
    section = handover.sections.get(kind=Kind.STRENGTHS)
    HandoverConsent.objects.create(section=section, user=cast.anna, recipient=third_place)
    handover = send(handover, cast.carla, django_capture_on_commit_callbacks)
    assert not handover.sections.get(kind=Kind.STRENGTHS).passed_on


def test_under_guidelines_every_written_section_goes_and_no_consent_is_asked(
    cast, registered, django_capture_on_commit_callbacks
):
    handover = start_transition(cast, model=SharingModel.GUIDELINES).handover
    services.handover_section_save(
        request=request_by(cast.carla), handover=handover, kind=Kind.STRENGTHS, text="Nysgerrig"
    )
    with pytest.raises(ValidationError):
        consent(handover, cast.anna, Kind.STRENGTHS)
    handover = send(handover, cast.carla, django_capture_on_commit_callbacks)
    assert {s.kind for s in handover.sections.all() if s.reaches_receiver} == {Kind.STRENGTHS}
    assert {n["reason"] for n in handover.not_passed_on} == {"empty"}


def test_sending_needs_a_place_at_the_receiving_institution(
    cast, transition, django_capture_on_commit_callbacks
):
    with pytest.raises(ValidationError), django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.handover_send_request(request=request_by(cast.carla), handover=transition.handover)
    assert not callbacks
    handover = Handover.objects.get(pk=transition.handover.pk)
    assert handover.send_requested_at is None and handover.sent_at is None


def test_a_handover_is_sent_once_however_often_the_task_runs(
    cast, transition, registered, django_capture_on_commit_callbacks
):
    handover = send(transition.handover, cast.carla, django_capture_on_commit_callbacks)
    first_sent = handover.sent_at
    notices = Notification.objects.filter(kind=Notification.Kind.HANDOVER_SENT).count()
    assert notices == 3  # Anna and Mikkel, and Dorte at the school
    assert services.handover_deliver(handover_id=handover.pk) is False
    handover.refresh_from_db()
    assert handover.sent_at == first_sent
    assert Notification.objects.filter(kind=Notification.Kind.HANDOVER_SENT).count() == notices
    with pytest.raises(ValidationError):
        services.handover_send_request(request=request_by(cast.carla), handover=handover)


def test_after_sending_nothing_can_be_changed_but_consent_withdrawn_hides_the_section(
    cast, transition, registered, django_capture_on_commit_callbacks
):
    handover = transition.handover
    write_all(handover, cast)
    consent(handover, cast.anna, Kind.STRENGTHS)
    handover = send(handover, cast.carla, django_capture_on_commit_callbacks)
    assert handover.sections.get(kind=Kind.STRENGTHS).reaches_receiver
    with pytest.raises(ValidationError):
        services.handover_section_save(
            request=request_by(cast.carla), handover=handover, kind=Kind.STRENGTHS, text="Ny"
        )
    with pytest.raises(ValidationError):
        services.handover_parents_view_save(request=request_by(cast.anna), handover=handover, text="Ny")
    with pytest.raises(ValidationError):
        consent(handover, cast.anna, Kind.CONCERNS)
    consent(handover, cast.anna, Kind.STRENGTHS, give=False)
    strengths = handover.sections.get(kind=Kind.STRENGTHS)
    assert strengths.passed_on and strengths.withdrawn_at is not None and not strengths.reaches_receiver


def test_a_place_given_up_before_delivery_sends_nothing(cast, transition, registered):
    services.handover_send_request(
        request=request_by(cast.carla), handover=transition.handover
    )  # no commit yet
    Enrollment.objects.filter(pk=registered.pk).delete()
    assert services.handover_deliver(handover_id=transition.handover.pk) is False
    handover = Handover.objects.get(pk=transition.handover.pk)
    assert handover.sent_at is None and handover.send_requested_at is None


def test_receipt_is_confirmed_once(cast, transition, registered, django_capture_on_commit_callbacks):
    handover = send(transition.handover, cast.carla, django_capture_on_commit_callbacks)
    services.handover_receipt_confirm(request=request_by(cast.dorte), handover=handover)
    handover.refresh_from_db()
    assert handover.received_by == cast.dorte and handover.transition.status == Transition.Status.RECEIVED
    with pytest.raises(ValidationError):
        services.handover_receipt_confirm(request=request_by(cast.dorte), handover=handover)


def test_a_cohort_starts_in_the_same_few_queries_for_1_and_25_children_and_twice_adds_nobody(cast):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _i in range(24):
        f.EnrollmentFactory(child=f.ChildFactory(municipality=cast.aarhus), group=cast.mariehonen)

    def run(group):
        with CaptureQueriesContext(connection) as queries:
            made = services.transitions_create_for_cohort(
                request=request_by(cast.lene),
                enrollments=Enrollment.objects.current().filter(group=group),
                kind=Transition.Kind.DAYCARE_TO_SCHOOL,
                receiving_institution=cast.school,
                planned_on=school_start(),
            )
        return made, len(queries)

    one, queries_one = run(cast.bien)
    many, queries_many = run(cast.mariehonen)
    assert (one, many) == (1, 25)
    assert queries_one == queries_many <= 10
    assert run(cast.mariehonen)[0] == 0
    assert HandoverSection.objects.count() == 26 * 6
    assert AccessEvent.objects.filter(subject="transition_plan", action="create").count() == 26
