"""The handover pages for each persona: sending staff, receiving staff before and after sending, staff of
a third place, each custody holder, a parent without custody, an administrator."""

import pytest
from django.urls import reverse

from portal.audit.models import AccessEvent
from tests import factories as f
from tests.queries import assert_constant_queries, assert_exact_queries
from tests.transitions.conftest import request_by, school_start, start_transition
from transitions import services
from transitions.models import HandoverConsent, HandoverSection, SectionEdit

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


Kind = HandoverSection.Kind
WITHHELD = "HEMMELIGT-venskaber"
SHARED = "DELT-styrker"


@pytest.fixture
def written(cast, transition, jonas):
    handover = transition.handover
    for kind, text in [
        (Kind.STRENGTHS, f"Bygger huler {SHARED}"),
        (Kind.FRIENDSHIPS, f"Leger alene {WITHHELD}"),
    ]:
        services.handover_section_save(
            request=request_by(cast.carla), handover=handover, kind=kind, text=text
        )
    strengths = handover.sections.get(kind=Kind.STRENGTHS)
    for user in (cast.anna, jonas):
        services.handover_consent_set(
            request=request_by(user), handover=handover, section_pk=strengths.pk, give=True
        )
    return handover


def sent(handover, cast, capture):
    f.EnrollmentFactory(child=cast.emil, group=cast.class_1a, started_on=school_start())
    with capture(execute=True):
        services.handover_send_request(request=request_by(cast.carla), handover=handover)
    handover.refresh_from_db()
    return handover


def page(client, login, user, handover):
    login(client, user)
    return client.get(reverse("transitions:handover_detail", args=[handover.pk]))


def test_the_school_sees_nothing_before_sending_and_only_what_was_passed_on_after(
    client, cast, login, written, django_capture_on_commit_callbacks
):
    assert page(client, login, cast.dorte, written).status_code == 404
    handover = sent(written, cast, django_capture_on_commit_callbacks)
    body = page(client, login, cast.dorte, handover).content.decode()
    assert SHARED in body and WITHHELD not in body
    assert "Friendships: not every parent with custody said yes" in body  # the transfer note


def test_a_withdrawal_after_sending_hides_the_section_from_the_school(
    client, cast, login, written, jonas, django_capture_on_commit_callbacks
):
    handover = sent(written, cast, django_capture_on_commit_callbacks)
    strengths = handover.sections.get(kind=Kind.STRENGTHS)
    services.handover_consent_set(
        request=request_by(jonas), handover=handover, section_pk=strengths.pk, give=False
    )
    assert SHARED not in page(client, login, cast.dorte, handover).content.decode()
    assert SHARED in page(client, login, cast.anna, handover).content.decode()


@pytest.mark.parametrize("who", ["sofie", "erik", "olga", "bo"])
def test_a_third_place_an_administrator_and_other_parents_get_404(
    client, cast, login, written, who, django_capture_on_commit_callbacks
):
    handover = sent(written, cast, django_capture_on_commit_callbacks)
    assert page(client, login, getattr(cast, who), handover).status_code == 404


def test_the_family_and_the_sending_staff_see_everything_before_sending(client, cast, login, written, jonas):
    for user in (cast.carla, cast.lene, cast.anna, jonas, cast.mikkel):
        body = page(client, login, user, written).content.decode()
        assert SHARED in body and WITHHELD in body, user


def test_a_parent_without_custody_reads_but_decides_nothing(client, cast, login, written):
    body = page(client, login, cast.mikkel, written).content.decode()
    assert "Take back my yes" not in body and "Save my view" not in body
    strengths = written.sections.get(kind=Kind.STRENGTHS)
    url = reverse("transitions:handover_consent", args=[written.pk])
    assert client.post(url, {"section": strengths.pk, "give": "no"}).status_code == 404
    response = client.post(reverse("transitions:handover_parents_view", args=[written.pk]), {"text": "Hej"})
    assert response.status_code == 404
    assert HandoverConsent.objects.filter(withdrawn_at__isnull=False).count() == 0


def test_each_custody_holder_consents_on_the_page(client, cast, login, written, jonas):
    login(client, jonas)
    friendships = written.sections.get(kind=Kind.FRIENDSHIPS)
    url = reverse("transitions:handover_consent", args=[written.pk])
    response = client.post(url, {"section": friendships.pk, "give": "yes"})
    assert response.status_code == 302
    assert HandoverConsent.objects.filter(section=friendships, user=jonas, withdrawn_at__isnull=True).exists()
    body = page(client, login, cast.anna, written).content.decode()
    assert "Jonas Krogh: yes, may be passed on" in body


def test_the_parents_see_who_at_the_school_read_it(
    client, cast, login, written, django_capture_on_commit_callbacks
):
    handover = sent(written, cast, django_capture_on_commit_callbacks)
    page(client, login, cast.dorte, handover)
    assert AccessEvent.objects.filter(
        actor=cast.dorte, subject="handover_received", object_id=handover.pk
    ).exists()
    body = page(client, login, cast.anna, handover).content.decode()
    assert "Dorte Madsen at Skovvangskolen read it on" in body
    login(client, cast.dorte)
    assert client.post(reverse("transitions:handover_receive", args=[handover.pk])).status_code == 302
    body = page(client, login, cast.anna, handover).content.decode()
    assert "Dorte Madsen confirmed it on" in body


def test_bad_input_gives_a_translated_error_and_writes_nothing(client, cast, login, transition):
    login(client, cast.carla)
    url = reverse("transitions:handover_section_save", args=[transition.handover.pk, Kind.STRENGTHS])
    response = client.post(url, {"text": "x" * 6000})
    assert response.status_code == 200 and "Please correct the following" in response.content.decode()
    assert not SectionEdit.objects.exists()
    response = client.post(reverse("transitions:handover_send", args=[transition.handover.pk]))
    assert (
        response.status_code == 200 and "is not registered at Skovvangskolen yet" in response.content.decode()
    )


def test_the_handover_page_costs_the_same_with_many_sections_consents_edits_and_reads(
    client, cast, login, written, jonas, django_capture_on_commit_callbacks
):
    handover = sent(written, cast, django_capture_on_commit_callbacks)
    login(client, cast.anna)
    url = reverse("transitions:handover_detail", args=[handover.pk])

    def grow():
        section = handover.sections.get(kind=Kind.STRENGTHS)
        for i in range(24):
            SectionEdit.objects.create(
                section=section, actor=cast.carla, actor_name="Carla Hansen", text=f"v{i}"
            )
            AccessEvent.objects.create(
                actor=cast.dorte,
                actor_name="Dorte Madsen",
                child=cast.emil,
                municipality=cast.aarhus,
                action="view",
                subject="handover_received",
                object_id=handover.pk,
            )

    assert_constant_queries(client, url, 16, grow)


def test_children_starting_with_us_costs_the_same_with_1_and_25(
    client, cast, login, django_capture_on_commit_callbacks
):
    def send_for(child):
        enrollment = child.enrollments.get()
        transition = services.transition_create(
            request=request_by(cast.lene),
            child=child,
            enrollment=enrollment,
            kind="daycare_school",
            receiving_institution=cast.school,
            planned_on=school_start(),
        )
        f.EnrollmentFactory(child=child, group=cast.class_1a, started_on=school_start())
        services.handover_send_request(request=request_by(cast.lene), handover=transition.handover)
        services.handover_deliver(handover_id=transition.handover.pk)

    start_transition(cast)  # Emil's, not sent: not on the list
    send_for(cast.ida)

    def grow():
        for _i in range(24):
            child = f.ChildFactory(municipality=cast.aarhus)
            f.EnrollmentFactory(child=child, group=cast.bien)
            send_for(child)

    login(client, cast.dorte)
    url = reverse("transitions:incoming")
    assert_exact_queries(client, url, 5, grow, lambda r: len(r.context["transitions"]))
