"""The invariants the database itself guarantees for charters and agreements."""

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from expectations.models import CharterVersion, CommitmentSuggestion, ExpectationAgreement

pytestmark = pytest.mark.django_db


def _version(cast, number, **extra):
    return CharterVersion.objects.create(
        municipality=cast.aarhus, number=number, title=f"Charter {number}", **extra
    )


def test_only_one_charter_version_in_force_per_municipality(cast):
    today = timezone.localdate()
    approved = {"approved_on": today, "approved_by_body": "Børne- og Ungeudvalget", "in_force_from": today}
    _version(cast, 1, status="in_force", **approved)
    with pytest.raises(IntegrityError), transaction.atomic():
        _version(cast, 2, status="in_force", **approved)
    CharterVersion.objects.create(
        municipality=cast.other, number=1, title="Other", status="in_force", **approved
    )


def test_an_approved_charter_names_its_date_and_body(cast):
    with pytest.raises(IntegrityError), transaction.atomic():
        _version(cast, 1, status="approved", approved_on=timezone.localdate())
    with pytest.raises(IntegrityError), transaction.atomic():
        _version(cast, 1, status="in_force", approved_on=timezone.localdate(), approved_by_body="Byrådet")


def _agreement(cast, **extra):
    today = timezone.localdate()
    return ExpectationAgreement.objects.create(
        child=cast.emil,
        institution=cast.solsikken,
        review_due_on=today + datetime.timedelta(days=180),
        **extra,
    )


def test_only_one_agreement_in_force_per_child_and_institution(cast):
    _agreement(cast, status="in_force", agreed_at=timezone.now())
    _agreement(cast, status="draft")
    with pytest.raises(IntegrityError), transaction.atomic():
        _agreement(cast, status="in_force", agreed_at=timezone.now())


def test_an_agreement_in_force_has_its_agreement_time(cast):
    with pytest.raises(IntegrityError), transaction.atomic():
        _agreement(cast, status="in_force")


def test_due_for_review_finds_agreements_due_within_30_days(cast):
    soon = _agreement(cast, status="in_force", agreed_at=timezone.now())
    ExpectationAgreement.objects.filter(pk=soon.pk).update(
        review_due_on=timezone.localdate() + datetime.timedelta(days=20)
    )
    assert list(ExpectationAgreement.objects.due_for_review()) == [soon]
    assert not ExpectationAgreement.objects.due_for_review(within_days=10).exists()


def test_the_catalogue_of_suggestions_is_seeded():
    assert CommitmentSuggestion.objects.filter(side="institution").exists()
    assert CommitmentSuggestion.objects.filter(text__icontains="legeaftaler").exists()
