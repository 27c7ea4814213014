"""The API's world: the named cast, an agreement in force about Emil, a meeting, a review round with
stored figures in each municipality, and keys made as an administrator makes them."""

from datetime import date, timedelta
from types import SimpleNamespace

import pytest
from django.test import Client
from django.utils import timezone

from expectations.models import ExpectationAgreement, ReviewRound
from expectations.services.reviews import review_figures_store
from portal.api.models import ApiClient
from portal.api.services import api_client_create
from portal.meetings.models import Meeting

ALL_SCOPES = list(ApiClient.Scope.values)
# Written in the agreement's free text: the API must never show it.
AGREEMENT_TEXT = "family-words-never-in-the-api"


@pytest.fixture
def api_world(cast):
    c = cast
    today = timezone.localdate()
    agreement = ExpectationAgreement.objects.create(
        child=c.emil,
        institution=c.solsikken,
        status=ExpectationAgreement.Status.IN_FORCE,
        review_due_on=today + timedelta(days=180),
        agreed_at=timezone.now(),
        family_words=AGREEMENT_TEXT,
    )
    other_agreement = ExpectationAgreement.objects.create(
        child=c.søren,
        institution=c.other_daycare,
        status=ExpectationAgreement.Status.IN_FORCE,
        review_due_on=today + timedelta(days=180),
        agreed_at=timezone.now(),
    )
    start = timezone.now() - timedelta(days=3)
    Meeting.objects.create(
        kind="daycare_conversation",
        institution=c.solsikken,
        child=c.emil,
        starts_at=start,
        ends_at=start + timedelta(minutes=30),
        status=Meeting.Status.HELD,
        attendance=Meeting.Attendance.ATTENDED,
    )
    rounds = {}
    for key, municipality in (("aarhus", c.aarhus), ("other", c.other)):
        rounds[key] = ReviewRound.objects.create(
            municipality=municipality,
            title=f"Gennemgang {key}",
            period_start=date(today.year - 1, 1, 1),
            period_end=date(today.year - 1, 12, 31),
            status=ReviewRound.Status.OPEN,
            created_by=c.erik,
        )
        review_figures_store(round_id=rounds[key].pk)
    return SimpleNamespace(cast=c, agreement=agreement, other_agreement=other_agreement, rounds=rounds)


@pytest.fixture
def make_key(cast):
    """A key as an administrator makes it: Aarhus and every scope unless told."""

    def make(*, municipality=None, scopes=ALL_SCOPES, name="Skolesystem"):
        _client, key = api_client_create(
            municipality=municipality or cast.aarhus, name=name, scopes=scopes, created_by=cast.erik
        )
        return key

    return make


def get(url, key=None, client=None, **params):
    client = client or Client()
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    return client.get(url, params, headers=headers)
