"""Emil moves from Børnehuset Solsikken to Skovvangskolen after the summer: the world of a handover.

Anna (custody) and Jonas (custody, Emil's stepfather) decide; Mikkel (Emil's father without custody) reads.
Carla writes for Emil at Solsikken; Dorte teaches at the school; Sofie works at a third place.
"""

import datetime

import pytest
from django.test import RequestFactory
from django.utils import timezone

from portal.organisation.models import Institution
from tests import factories as f
from transitions import services
from transitions.models import SharingModel, Transition, TransitionSettings


def request_by(user, path="/"):
    request = RequestFactory().post(path)
    request.user = user
    return request


def school_start():
    today = timezone.localdate()
    return today + datetime.timedelta(days=60)


@pytest.fixture
def jonas(cast):
    user = f.UserFactory(email="jonas@example.test", first_name="Jonas", last_name="Krogh")
    f.GuardianshipFactory(child=cast.emil, user=user, relation="other", has_custody=True)
    return user


@pytest.fixture
def registered(cast):
    """Emil's place at the school from the start of the school year (a future enrollment)."""
    return f.EnrollmentFactory(child=cast.emil, group=cast.class_1a, started_on=school_start())


def start_transition(cast, *, model=SharingModel.CONSENT, group=None) -> Transition:
    TransitionSettings.objects.update_or_create(municipality=cast.aarhus, defaults={"sharing_model": model})
    return services.transition_create(
        request=request_by(cast.carla),
        child=cast.emil,
        enrollment=cast.emil.enrollments.get(institution=cast.solsikken),
        kind=Transition.Kind.DAYCARE_TO_SCHOOL,
        receiving_institution=cast.school,
        receiving_group=group,
        planned_on=school_start(),
        actor_role="Pædagog",
    )


@pytest.fixture
def transition(cast):
    return start_transition(cast)


@pytest.fixture
def third_place(cast):
    return f.InstitutionFactory(municipality=cast.aarhus, name="Lindeskolen", kind=Institution.Kind.SCHOOL)
