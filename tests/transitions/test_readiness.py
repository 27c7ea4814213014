"""The school readiness assessment (Dagtilbudsloven § 29 a): Anna asks, Lene (Solsikken's leader) starts
it, each voice writes its part, Lene marks it complete, each custody holder confirms having seen it after
logging in again (and may disagree), and Rasmus (Skovvangskolen's leader) records the decision. Rasmus sees
this assessment only; Dorte (a teacher at the school), Sofie, Bo and Erik see nothing."""

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse
from django.utils import translation

from portal.audit.models import AccessEvent
from portal.meetings.models import Notification
from portal.organisation.models import StaffMembership
from portal.todos import parent_todos, staff_todos
from tests import factories as f
from tests.accounts.test_reauthentication import age_the_session
from tests.conftest import enable_mfa
from tests.queries import assert_constant_queries, assert_exact_queries
from tests.transitions.conftest import request_by, school_start, start_transition
from transitions.models import (
    ReadinessAssessment,
    ReadinessConfirmation,
    ReadinessEdit,
    ReadinessPart,
    Transition,
)
from transitions.services import readiness as services

pytestmark = pytest.mark.django_db
Kind = ReadinessPart.Kind
Status = ReadinessAssessment.Status


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def rasmus(cast):
    user = enable_mfa(f.UserFactory(email="rasmus@example.test", first_name="Rasmus", last_name="Bak"))
    f.StaffMembershipFactory(user=user, institution=cast.school, role=StaffMembership.Role.LEADER)
    return user


def start(cast, transition):
    return services.readiness_start(request=request_by(cast.lene), transition=transition)


def write(user, assessment, kind, text):
    return services.readiness_part_save(request=request_by(user), assessment=assessment, kind=kind, text=text)


def completed(cast, transition):
    assessment = start(cast, transition)
    write(cast.lene, assessment, Kind.LEADER_VIEW, "Emil er ikke helt klar endnu")
    write(cast.lene, assessment, Kind.DAYCARE_SUPPORT, "Vi øver at sidde stille")
    return services.readiness_complete(request=request_by(cast.lene), assessment=assessment)


def notices(user):
    return {n.title: n.body for n in Notification.objects.filter(user=user, kind="readiness")}


def url(name, assessment, *args):
    return reverse(f"transitions:{name}", args=[assessment.pk, *args])


def test_anna_asks_and_the_daycare_leader_is_told(client, cast, login, transition, rasmus):
    login(client, cast.anna, mfa=False)
    response = client.post(reverse("transitions:readiness_start", args=[transition.handover.pk]))
    assessment = ReadinessAssessment.objects.get()
    assert response.status_code == 302 and response["Location"] == url("readiness_detail", assessment)
    assert (assessment.status, assessment.reason, assessment.requested_by_name) == (
        Status.REQUESTED, "parents_asked", "Anna Jensen",
    )  # fmt: skip
    assert notices(cast.lene) == {  # each notice in its reader's language (Danish here)
        "Emils forældre beder om en skoleparathedsvurdering": "Anna Jensen beder om en vurdering af, om Emil "
        "er klar til at starte i skole. Start den, og skriv den sammen med forældrene og skolen."
    }
    assert notices(cast.carla) == {} and notices(rasmus) == {}
    # Asking twice is refused with a message, nothing more is made.
    client.post(reverse("transitions:readiness_start", args=[transition.handover.pk]))
    assert ReadinessAssessment.objects.count() == 1
    (todo,) = [t for t in staff_todos(cast.lene) if t.kind == "readiness"]
    assert todo.title == "Start Emil's school readiness assessment: the parents asked"
    assert todo.deadline == school_start()


def test_a_parent_without_custody_and_the_pedagogue_cannot_start_one(client, cast, login, transition):
    for person in (cast.mikkel, cast.carla):
        login(client, person)
        response = client.post(reverse("transitions:readiness_start", args=[transition.handover.pk]))
        assert response.status_code == 404
    assert not ReadinessAssessment.objects.exists()


def test_lene_starts_it_and_the_parents_and_the_school_leader_are_asked(cast, transition, rasmus, jonas):
    assessment = start(cast, transition)
    assert (assessment.status, assessment.reason) == (Status.OPEN, "doubt")
    welcome = {
        "Skriv jeres syn på Emils skolestart": "Børnehuset Solsikken vurderer sammen med jer, om Emil er "
        "klar til at starte i skole. Skriv jeres syn som forældre; I kan se hver del, efterhånden som den "
        "bliver skrevet."
    }
    assert notices(cast.anna) == notices(jonas) == welcome
    rasmus.language = "en"
    rasmus.save(update_fields=["language"])
    Notification.objects.filter(user=rasmus).delete()
    Notification.objects.filter(user__in=[cast.anna, jonas]).delete()
    ReadinessAssessment.objects.all().delete()
    start(cast, transition)
    assert notices(rasmus) == {
        "School readiness of Emil, starting with you": "Børnehuset Solsikken is assessing whether Emil is "
        "ready to start school at Skovvangskolen. Add your view as the school's leader."
    }
    assert notices(cast.mikkel) == {} and notices(cast.dorte) == {}
    with translation.override("da"):
        (todo,) = [t for t in parent_todos(cast.anna) if t.kind == "readiness"]
        assert todo.title == "Skriv jeres syn på Emils skolestart"
    (todo,) = [t for t in staff_todos(rasmus) if t.kind == "readiness"]
    assert todo.title == "Add your view on Emil's school readiness (from Børnehuset Solsikken)"
    (todo,) = [t for t in staff_todos(cast.lene) if t.kind == "readiness"]
    assert todo.title == "Write and complete Emil's school readiness assessment"
    assert [t for t in staff_todos(cast.dorte) if t.kind == "readiness"] == []


def test_only_a_move_from_daycare_to_school_has_one(cast):
    transition = start_transition(cast)
    Transition.objects.filter(pk=transition.pk).update(kind=Transition.Kind.NURSERY_TO_KINDERGARTEN)
    transition.refresh_from_db()
    with pytest.raises(Exception, match="move from daycare to school"):
        start(cast, transition)
    assert not ReadinessAssessment.objects.exists()


def test_each_voice_writes_its_own_part_with_who_and_when(client, cast, login, transition, rasmus, jonas):
    assessment = start(cast, transition)
    cases = [
        (cast.lene, Kind.LEADER_VIEW, "LEDER-SYN"),
        (cast.lene, Kind.DAYCARE_SUPPORT, "STØTTE-I-DAGTILBUD"),
        (cast.anna, Kind.PARENTS_VIEW, "ANNAS-SYN"),
        (jonas, Kind.PARENTS_VIEW, "JONAS-SYN"),
        (rasmus, Kind.SCHOOL_VIEW, "SKOLELEDER-SYN"),
    ]
    for user, kind, text in cases:
        login(client, user, mfa=user not in (cast.anna, jonas))
        response = client.post(url("readiness_part_save", assessment, kind), {"text": text})
        assert response.status_code == 302, (user, kind)
    write(cast.lene, assessment, Kind.LEADER_VIEW, "LEDER-SYN rettet")
    assert ReadinessEdit.objects.filter(part__kind=Kind.LEADER_VIEW).count() == 2
    login(client, cast.mikkel, mfa=False)
    body = client.get(url("readiness_detail", assessment)).content.decode()
    for _user, _kind, text in cases:
        assert text in body
    assert "Written by Rasmus Bak" in body and "Written by Jonas Krogh" in body
    event = AccessEvent.objects.filter(subject="readiness").last()
    assert (event.actor_id, event.child_id, event.object_id, event.action) == (
        cast.mikkel.pk, cast.emil.pk, assessment.pk, "view",
    )  # fmt: skip


@pytest.mark.parametrize(
    ("persona", "kind"),
    [
        ("carla", Kind.LEADER_VIEW),  # a pedagogue reads, the leader writes
        ("mikkel", Kind.PARENTS_VIEW),  # without custody: reads only
        ("rasmus", Kind.LEADER_VIEW),  # the school writes its own part only
        ("lene", Kind.SCHOOL_VIEW),
        ("anna", Kind.SCHOOL_VIEW),
        ("dorte", Kind.SCHOOL_VIEW),  # a teacher at the school sees nothing
        ("lene", "secrets"),
    ],
)
def test_nobody_writes_another_voices_part(client, cast, login, transition, rasmus, persona, kind):
    assessment = start(cast, transition)
    user = rasmus if persona == "rasmus" else getattr(cast, persona)
    login(client, user)
    response = client.post(url("readiness_part_save", assessment, kind), {"text": "FORKERT"})
    assert response.status_code == 404
    assert not ReadinessPart.objects.filter(text="FORKERT").exists()


def test_the_school_leader_sees_this_assessment_only(client, cast, login, transition, rasmus):
    assessment = start(cast, transition)
    login(client, rasmus)
    assert client.get(url("readiness_detail", assessment)).status_code == 200
    assert (
        client.get(reverse("transitions:handover_detail", args=[transition.handover.pk])).status_code == 404
    )
    assert client.get(reverse("children:child_detail", args=[cast.emil.pk])).status_code == 404
    for person in (cast.dorte, cast.sofie, cast.bo, cast.erik, cast.olga):
        login(client, person)
        assert client.get(url("readiness_detail", assessment)).status_code == 404, person


def test_a_cancelled_move_hides_the_assessment(client, cast, login, transition, rasmus):
    assessment = start(cast, transition)
    Transition.objects.filter(pk=transition.pk).update(status=Transition.Status.CANCELLED)
    for person in (cast.anna, cast.lene, rasmus):
        login(client, person)
        assert client.get(url("readiness_detail", assessment)).status_code == 404


def test_completing_needs_the_leaders_parts_and_then_locks_it(client, cast, login, transition, jonas, rasmus):
    assessment = start(cast, transition)
    login(client, cast.lene)
    response = client.post(url("readiness_complete", assessment))
    assert response.status_code == 200
    assert (
        "Write your assessment and what daycare will do before marking it complete."
        in response.content.decode()
    )
    assert ReadinessAssessment.objects.get().status == Status.OPEN
    write(cast.lene, assessment, Kind.LEADER_VIEW, "Klar")
    write(cast.lene, assessment, Kind.DAYCARE_SUPPORT, "Vi øver")
    assert client.post(url("readiness_complete", assessment)).status_code == 302
    assert ReadinessAssessment.objects.get().status == Status.COMPLETE
    assert (
        client.post(url("readiness_part_save", assessment, Kind.LEADER_VIEW), {"text": "x"}).status_code
        == 404
    )
    assert notices(cast.anna)["Bekræft, at du har set Emils skoleparathedsvurdering"] == (
        "Vurderingen af, om Emil er klar til at starte i skole, er afsluttet. Læs den, og bekræft, at du har "
        "set den; du kan skrive, hvis du er uenig."
    )
    assert notices(cast.mikkel) == {
        "Emils skoleparathedsvurdering er afsluttet": "Vurderingen af, om Emil er klar til at starte i "
        "skole, er afsluttet. Du kan læse den."
    }
    assert notices(rasmus)["Skoleparathed for Emil er afsluttet"] == (
        "Vurderingen er afsluttet. Beslut sammen med forældrene, hvornår Emil starter på Skovvangskolen."
    )
    (todo,) = [t for t in parent_todos(jonas) if t.kind == "readiness"]
    assert todo.title == "Confirm you have seen Emil's school readiness assessment"
    (todo,) = [t for t in staff_todos(rasmus) if t.kind == "readiness"]
    assert todo.title == "Record the decision on Emil's school start with the parents"
    assert [t for t in staff_todos(cast.lene) if t.kind == "readiness"] == []


def test_confirming_asks_for_the_password_again(cast, login, reauthenticate, transition):
    assessment = completed(cast, transition)
    anna = reauthenticate(login(Client(), cast.anna, mfa=False))
    age_the_session(anna, django_settings.ACCOUNT_REAUTHENTICATION_TIMEOUT + 1)
    response = anna.post(
        url("readiness_confirm", assessment), {"disagrees": "on", "disagreement": "Han er klar"}
    )
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_reauthenticate"))
    assert not ReadinessConfirmation.objects.exists()
    # After the password, the confirmation she asked for goes through.
    reauthenticate(anna)
    response = anna.post(
        url("readiness_confirm", assessment), {"disagrees": "on", "disagreement": "Han er klar"}
    )
    assert response.status_code == 302
    confirmation = ReadinessConfirmation.objects.get()
    assert (confirmation.user, confirmation.disagrees, confirmation.disagreement) == (
        cast.anna,
        True,
        "Han er klar",
    )
    assert [t for t in parent_todos(cast.anna) if t.kind == "readiness"] == []
    body = anna.get(url("readiness_detail", assessment)).content.decode()
    assert "Disagrees: Han er klar" in body and "I have seen the assessment" not in body
    # Once is enough: a second confirmation is refused and changes nothing.
    response = anna.post(url("readiness_confirm", assessment), {})
    assert response.status_code == 200 and ReadinessConfirmation.objects.count() == 1


def test_disagreeing_needs_a_text_and_others_cannot_confirm(
    client, cast, login, reauthenticate, transition, rasmus
):
    assessment = completed(cast, transition)
    reauthenticate(login(client, cast.anna, mfa=False))
    response = client.post(url("readiness_confirm", assessment), {"disagrees": "on", "disagreement": " "})
    assert response.status_code == 200 and "Write what you disagree with." in response.content.decode()
    assert not ReadinessConfirmation.objects.exists()
    for person in (cast.mikkel, cast.lene, rasmus, cast.dorte):
        reauthenticate(login(client, person))
        assert client.post(url("readiness_confirm", assessment), {}).status_code == 404
    assert not ReadinessConfirmation.objects.exists()


def test_the_school_leader_records_the_decision_and_the_parents_are_told(
    client, cast, login, transition, rasmus
):
    assessment = completed(cast, transition)
    login(client, cast.lene)
    assert client.post(url("readiness_decide", assessment), {"outcome": "postponed"}).status_code == 404
    login(client, rasmus)
    response = client.post(url("readiness_decide", assessment), {"outcome": "maybe"})
    assert response.status_code == 200 and "Choose what was decided." in response.content.decode()
    response = client.post(
        url("readiness_decide", assessment), {"outcome": "postponed", "note": "Aftalt 3. maj"}
    )
    assert response.status_code == 302
    assessment.refresh_from_db()
    assert (assessment.outcome, assessment.outcome_by_name) == ("postponed", "Rasmus Bak")
    assert notices(cast.mikkel)["Beslutning om Emils skolestart"] == (
        "Skovvangskolen har skrevet beslutningen, I traf sammen: Et år mere i dagtilbud (udsat skolestart)."
    )
    assert [t for t in staff_todos(rasmus) if t.kind == "readiness"] == []


def test_the_assessment_page_costs_the_same_with_1_and_25_edits(client, cast, login, transition, rasmus):
    assessment = start(cast, transition)
    write(cast.lene, assessment, Kind.LEADER_VIEW, "v0")

    def grow():
        for i in range(1, 25):
            write(cast.lene, assessment, Kind.LEADER_VIEW, f"v{i}")

    login(client, cast.anna, mfa=False)
    assert_exact_queries(
        client,
        url("readiness_detail", assessment),
        10,
        grow,
        lambda r: sum(len(row.edits) for row in r.context["leader_rows"]),
    )


def test_the_school_leaders_home_costs_the_same_with_1_and_25_assessments(client, cast, login, rasmus):
    def assessed(child):
        transition = services_transition(cast, child)
        start(cast, transition)

    def grow():
        for _ in range(24):
            child = f.ChildFactory(municipality=cast.aarhus)
            f.EnrollmentFactory(child=child, group=cast.mariehonen)
            assessed(child)

    assessed(cast.emil)
    login(client, rasmus)
    assert_constant_queries(client, reverse("children:staff_home"), 20, grow)


def services_transition(cast, child):
    from transitions import services as handovers

    return handovers.transition_create(
        request=request_by(cast.carla),
        child=child,
        enrollment=child.enrollments.get(institution=cast.solsikken),
        kind=Transition.Kind.DAYCARE_TO_SCHOOL,
        receiving_institution=cast.school,
        planned_on=school_start(),
    )


def test_the_handover_page_offers_to_ask_and_to_start(client, cast, login, transition):
    login(client, cast.anna, mfa=False)
    body = client.get(reverse("transitions:handover_detail", args=[transition.handover.pk])).content.decode()
    assert "Ask for a school readiness assessment" in body
    login(client, cast.lene)
    body = client.get(reverse("transitions:handover_detail", args=[transition.handover.pk])).content.decode()
    assert "Start a school readiness assessment" in body
    login(client, cast.carla)
    body = client.get(reverse("transitions:handover_detail", args=[transition.handover.pk])).content.decode()
    assert "school readiness assessment" not in body
    assessment = start(cast, transition)
    body = client.get(reverse("children:child_detail", args=[cast.emil.pk])).content.decode()
    assert url("readiness_detail", assessment) in body
