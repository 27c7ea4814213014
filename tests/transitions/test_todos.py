"""Handover to-dos on the homes: the sending staff write and send before the planned date, the custody
holders add their view and decide what is passed on, the receiving staff confirm receipt."""

import pytest
from django.urls import reverse
from django.utils import translation

from portal.todos import LIMIT, parent_todos, staff_todos
from tests.transitions.conftest import request_by, school_start, start_transition
from transitions import services
from transitions.models import HandoverSection, SharingModel
from transitions.selectors.todos import parent_handover_todos, receipt_todos, send_todos

pytestmark = pytest.mark.django_db
Kind = HandoverSection.Kind


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


def handover_todos(todos):
    return [t for t in todos if t.kind.startswith("handover")]


def write(cast, handover, kind=Kind.STRENGTHS, text="Emil bygger huler"):
    services.handover_section_save(request=request_by(cast.carla), handover=handover, kind=kind, text=text)


def consent(cast, handover, user, kind=Kind.STRENGTHS, give=True):
    section = handover.sections.get(kind=kind, author__isnull=True)
    services.handover_consent_set(
        request=request_by(user), handover=handover, section_pk=section.pk, give=give
    )


def send(cast, handover):
    services.handover_send_request(request=request_by(cast.carla), handover=handover)
    services.handover_deliver(handover_id=handover.pk)


def test_carla_is_asked_to_write_and_send_emils_handover_by_the_planned_date(cast, transition):
    with translation.override("en"):
        (todo,) = handover_todos(staff_todos(cast.carla))
        assert todo.title == "Write and send Emil's handover to Skovvangskolen"
        assert todo.action == "Open the handover"
    with translation.override("da"):
        (todo,) = send_todos(cast.carla)
        assert todo.title == "Skriv og send Emils overlevering til Skovvangskolen"
        assert todo.action == "Åbn overleveringen"
    assert todo.deadline == school_start() and todo.child.pk == cast.emil.pk
    assert str(todo.url) == reverse("transitions:handover_detail", args=[transition.handover.pk])
    assert send_todos(cast.dorte) == [] and send_todos(cast.anna) == []


def test_once_sending_is_asked_for_carla_has_nothing_left_to_do(cast, transition, registered):
    services.handover_send_request(request=request_by(cast.carla), handover=transition.handover)
    assert send_todos(cast.carla) == []


def test_a_cancelled_transition_asks_nothing(cast, transition):
    services.transition_cancel(request=request_by(cast.carla), transition=transition)
    assert send_todos(cast.carla) == [] and parent_handover_todos(cast.anna) == []


def test_anna_is_asked_to_decide_on_written_sections_then_to_add_her_view(cast, transition):
    handover = transition.handover
    with translation.override("en"):
        (todo,) = handover_todos(parent_todos(cast.anna))
        assert todo.title == "Add your view to Emil's handover" and todo.action == "Write your view"
    with translation.override("da"):
        (todo,) = parent_handover_todos(cast.anna)
        assert todo.title == "Skriv jeres syn i Emils overlevering" and todo.action == "Skriv jeres syn"
    assert todo.deadline == school_start()
    write(cast, handover)
    with translation.override("en"):
        (todo,) = parent_handover_todos(cast.anna)
        assert todo.title == "Decide what Emil's new place may receive"
        assert todo.action == "Read and decide"
    with translation.override("da"):
        (todo,) = parent_handover_todos(cast.anna)
        assert todo.title == "Beslut, hvad Emils nye sted må få at vide"
        assert todo.action == "Læs og beslut"
    consent(cast, handover, cast.anna, give=False)  # a "no" is a decision too
    (todo,) = parent_handover_todos(cast.anna)
    assert todo.action == "Write your view"
    services.handover_parents_view_save(request=request_by(cast.anna), handover=handover, text="Glad dreng")
    assert parent_handover_todos(cast.anna) == []


def test_each_custody_holder_decides_for_themselves_and_a_parent_without_custody_is_not_asked(
    cast, transition, jonas
):
    write(cast, transition.handover)
    consent(cast, transition.handover, cast.anna)
    services.handover_parents_view_save(
        request=request_by(cast.anna), handover=transition.handover, text="Ja"
    )
    assert parent_handover_todos(cast.anna) == []
    assert [t.action for t in parent_handover_todos(jonas)] == ["Read and decide"]
    assert parent_handover_todos(cast.mikkel) == []


def test_under_guidelines_anna_is_only_asked_for_her_view(cast):
    transition = start_transition(cast, model=SharingModel.GUIDELINES)
    write(cast, transition.handover)
    assert [t.action for t in parent_handover_todos(cast.anna)] == ["Write your view"]


def test_dorte_confirms_receipt_once_it_is_sent_and_then_it_is_gone(cast, registered):
    transition = start_transition(cast, group=cast.class_1a)
    assert receipt_todos(cast.dorte) == []  # nothing before it is sent
    send(cast, transition.handover)
    assert handover_todos(parent_todos(cast.anna)) == []
    with translation.override("en"):
        (todo,) = handover_todos(staff_todos(cast.dorte))
        assert todo.kind == "handover_receipt"
        assert todo.title == "Confirm you have received Emil's handover from Børnehuset Solsikken"
        assert todo.action == "Read and confirm"
    with translation.override("da"):
        (todo,) = receipt_todos(cast.dorte)
        assert todo.title == "Bekræft, at I har modtaget Emils overlevering fra Børnehuset Solsikken"
        assert todo.action == "Læs og bekræft"
    assert todo.deadline == school_start()
    assert receipt_todos(cast.carla) == [] and receipt_todos(cast.sofie) == []
    services.handover_receipt_confirm(request=request_by(cast.dorte), handover=transition.handover)
    assert receipt_todos(cast.dorte) == []


def test_dortes_home_costs_the_same_with_one_and_25_handovers_to_confirm(client, cast, login, registered):
    from tests import factories as f
    from tests.queries import assert_constant_queries
    from transitions.models import Transition

    def sent_to_1a(child):
        transition = services.transition_create(
            request=request_by(cast.carla),
            child=child,
            enrollment=child.enrollments.get(institution=cast.solsikken),
            kind=Transition.Kind.DAYCARE_TO_SCHOOL,
            receiving_institution=cast.school,
            receiving_group=cast.class_1a,
            planned_on=school_start(),
        )
        send(cast, transition.handover)

    def grow():
        for _ in range(24):
            child = f.ChildFactory(municipality=cast.aarhus)
            f.EnrollmentFactory(child=child, group=cast.mariehonen)
            f.EnrollmentFactory(child=child, group=cast.class_1a, started_on=school_start())
            sent_to_1a(child)

    sent_to_1a(cast.emil)
    login(client, cast.dorte)
    assert_constant_queries(client, reverse("children:staff_home"), 17, grow)
    assert [t.kind for t in receipt_todos(cast.dorte)] == ["handover_receipt"] * LIMIT
