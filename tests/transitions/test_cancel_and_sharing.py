"""Cancelling a transition before its handover is sent, and the administrator's choice of how the
municipality's handovers are shared."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from portal.audit.models import AccessEvent
from tests.transitions.conftest import request_by, start_transition
from transitions import services
from transitions.models import Handover, SharingModel, Transition, TransitionSettings

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


def cancel_url(transition):
    return reverse("transitions:transition_cancel", args=[transition.handover.pk])


# --- cancelling -------------------------------------------------------------------------------------------
def test_carla_cancels_emils_move_and_it_leaves_his_page(client, cast, login, transition):
    login(client, cast.carla)
    detail = client.get(reverse("transitions:handover_detail", args=[transition.handover.pk]))
    assert cancel_url(transition) in detail.content.decode()
    response = client.post(cancel_url(transition))
    assert response.status_code == 302
    assert response["Location"] == reverse("children:child_detail", args=[cast.emil.pk])
    transition.refresh_from_db()
    assert transition.status == Transition.Status.CANCELLED
    assert AccessEvent.objects.filter(subject="transition_cancel", object_id=transition.pk).exists()
    page = client.get(response["Location"]).content.decode()
    assert "The move to Skovvangskolen is cancelled" in page
    assert reverse("transitions:handover_detail", args=[transition.handover.pk]) not in page


def test_a_cancelled_move_can_be_planned_again(cast, transition):
    services.transition_cancel(request=request_by(cast.carla), transition=transition)
    again = start_transition(cast)
    assert again.pk != transition.pk and again.status == Transition.Status.PLANNED


def test_a_sent_handover_cannot_be_cancelled_and_nothing_changes(cast, transition, registered):
    services.handover_send_request(request=request_by(cast.carla), handover=transition.handover)
    with pytest.raises(ValidationError, match="can no longer be cancelled"):
        services.transition_cancel(request=request_by(cast.carla), transition=transition)
    transition.refresh_from_db()
    assert transition.status != Transition.Status.CANCELLED


def test_cancelling_twice_is_refused(cast, transition):
    services.transition_cancel(request=request_by(cast.carla), transition=transition)
    with pytest.raises(ValidationError, match="already cancelled"):
        services.transition_cancel(request=request_by(cast.carla), transition=transition)


def test_the_family_and_the_school_cannot_cancel(client, cast, login, transition):
    for user in (cast.anna, cast.dorte):
        login(client, user, mfa=user == cast.dorte)
        assert client.post(cancel_url(transition)).status_code == 404
        client.logout()
    login(client, cast.anna, mfa=False)
    page = client.get(reverse("transitions:handover_detail", args=[transition.handover.pk]))
    assert cancel_url(transition) not in page.content.decode()
    transition.refresh_from_db()
    assert transition.status == Transition.Status.PLANNED


# --- the sharing model ------------------------------------------------------------------------------------
def test_erik_switches_aarhus_to_guidelines_and_new_handovers_follow(client, cast, login, transition):
    url = reverse("transitions:sharing_settings")
    login(client, cast.erik)
    form = client.get(url).context["form"]
    assert form["sharing_model"].value() == SharingModel.CONSENT  # the careful default
    response = client.post(url, {"sharing_model": SharingModel.GUIDELINES})
    assert response.status_code == 302
    assert TransitionSettings.model_for(cast.aarhus.pk) == SharingModel.GUIDELINES
    assert TransitionSettings.model_for(cast.other.pk) == SharingModel.CONSENT  # Skanderborg's own
    assert transition.handover.uses_consent  # started before: unchanged
    services.transition_cancel(request=request_by(cast.carla), transition=transition)
    new = services.transition_create(
        request=request_by(cast.carla),
        child=cast.emil,
        enrollment=cast.emil.enrollments.get(institution=cast.solsikken),
        kind=Transition.Kind.DAYCARE_TO_SCHOOL,
        receiving_institution=cast.school,
        receiving_group=None,
        planned_on=transition.planned_on,
    )
    assert Handover.objects.get(transition=new).sharing_model == SharingModel.GUIDELINES


def test_a_made_up_model_gets_a_translated_error_and_changes_nothing(client, cast, login, settings):
    settings.LANGUAGE_CODE = "da"
    TransitionSettings.objects.create(municipality=cast.aarhus, sharing_model=SharingModel.CONSENT)
    login(client, cast.erik)
    response = client.post(reverse("transitions:sharing_settings"), {"sharing_model": "alt"})
    assert response.status_code == 200
    assert "Vælg en af de to måder at dele på." in response.content.decode()
    assert TransitionSettings.model_for(cast.aarhus.pk) == SharingModel.CONSENT


def test_only_administrators_reach_the_sharing_model(client, cast, login):
    for user in (cast.carla, cast.lene, cast.anna):
        login(client, user, mfa=user != cast.anna)
        assert client.get(reverse("transitions:sharing_settings")).status_code == 404
        client.logout()
