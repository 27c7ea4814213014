"""Reminders: a custody holder who has not answered a proposed agreement after 7 days gets exactly one."""

import datetime
from unittest import mock

import pytest
from django.utils import timezone

from expectations.models import (
    AgreementAcceptance,
    AgreementComment,
    AgreementReminder,
    Commitment,
    ExpectationAgreement,
)
from expectations.services import agreement_notices as notices
from expectations.services import agreements as services
from expectations.tasks import send_agreement_reminders
from tests import factories as f
from tests.conftest import assert_mail_names_the_site, mail_server_down

pytestmark = pytest.mark.django_db


def proposed(cast, *, days_ago, child=None, institution=None):
    agreement = ExpectationAgreement.objects.create(
        child=child or cast.emil,
        institution=institution or cast.solsikken,
        status=ExpectationAgreement.Status.PROPOSED,
        proposed_at=timezone.now() - datetime.timedelta(days=days_ago),
        review_due_on=timezone.localdate() + datetime.timedelta(days=180),
    )
    Commitment.objects.create(agreement=agreement, side="family", text="Læse højt")
    return agreement


def sweep(capture):
    with capture(execute=True):
        return send_agreement_reminders.delay().get()


def test_one_reminder_after_seven_days_to_the_custody_holder_only(
    cast, mailoutbox, django_capture_on_commit_callbacks
):
    agreement = proposed(cast, days_ago=8)
    assert sweep(django_capture_on_commit_callbacks) == 1
    assert [m.to for m in mailoutbox] == [[cast.anna.email]]  # not Mikkel, who has no custody
    assert "Emil" in mailoutbox[0].subject
    assert f"/agreements/{agreement.pk}/" in mailoutbox[0].body
    reminder = AgreementReminder.objects.get()
    assert reminder.user == cast.anna and reminder.sent_at is not None


def test_no_reminder_before_seven_days(cast, mailoutbox, django_capture_on_commit_callbacks):
    proposed(cast, days_ago=6)
    assert sweep(django_capture_on_commit_callbacks) == 0
    assert mailoutbox == [] and not AgreementReminder.objects.exists()


def test_running_the_sweep_twice_sends_nothing_twice(cast, mailoutbox, django_capture_on_commit_callbacks):
    proposed(cast, days_ago=10)
    sweep(django_capture_on_commit_callbacks)
    sweep(django_capture_on_commit_callbacks)
    notices.agreement_reminders_send(now=timezone.now() + datetime.timedelta(days=30))
    assert len(mailoutbox) == 1


def test_a_sweep_that_finds_the_rows_already_claimed_sends_nothing(
    cast, mailoutbox, django_capture_on_commit_callbacks
):
    """A concurrent sweep that lost the race sees the claim rows (sent or being sent) and skips them."""
    agreement = proposed(cast, days_ago=10)
    # The other sweep inserted the claim and is sending right now (sent_at set in its transaction).
    AgreementReminder.objects.create(
        agreement=agreement, user=cast.anna, kind=AgreementReminder.Kind.ANSWER, sent_at=timezone.now()
    )
    assert sweep(django_capture_on_commit_callbacks) == 0
    assert mailoutbox == []


def test_no_reminder_to_a_guardian_who_accepted_or_commented(
    cast, mailoutbox, django_capture_on_commit_callbacks
):
    second = f.UserFactory()
    f.GuardianshipFactory(child=cast.emil, user=second, relation="father")
    agreement = proposed(cast, days_ago=9)
    AgreementAcceptance.objects.create(agreement=agreement, user=cast.anna, role="guardian", revision=1)
    AgreementComment.objects.create(agreement=agreement, author=second, text="Kan vi ændre noget?")
    assert sweep(django_capture_on_commit_callbacks) == 0
    assert mailoutbox == []


def test_an_acceptance_of_an_older_revision_is_not_an_answer(
    cast, mailoutbox, django_capture_on_commit_callbacks
):
    agreement = proposed(cast, days_ago=9)
    AgreementAcceptance.objects.create(agreement=agreement, user=cast.anna, role="guardian", revision=1)
    ExpectationAgreement.objects.filter(pk=agreement.pk).update(revision=2)
    assert sweep(django_capture_on_commit_callbacks) == 1


def test_no_reminder_for_drafts_or_agreements_in_force(cast, mailoutbox, django_capture_on_commit_callbacks):
    agreement = proposed(cast, days_ago=9)
    ExpectationAgreement.objects.filter(pk=agreement.pk).update(status="draft")
    assert sweep(django_capture_on_commit_callbacks) == 0


def test_the_reminder_is_in_the_guardians_language(cast, mailoutbox, django_capture_on_commit_callbacks):
    cast.anna.language = "en"
    cast.anna.save(update_fields=["language"])
    proposed(cast, days_ago=8)
    sweep(django_capture_on_commit_callbacks)
    assert mailoutbox[0].subject.startswith("Please answer the agreement about Emil")


def test_the_email_goes_out_after_commit(cast, mailoutbox, django_capture_on_commit_callbacks):
    proposed(cast, days_ago=8)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notices.agreement_reminders_send()
    assert mailoutbox == [] and len(callbacks) == 1
    callbacks[0]()
    assert len(mailoutbox) == 1


def test_a_failed_send_releases_the_claim_for_the_next_sweep(
    cast, mailoutbox, django_capture_on_commit_callbacks
):
    proposed(cast, days_ago=8)
    with mail_server_down():
        sweep(django_capture_on_commit_callbacks)
    assert AgreementReminder.objects.get().sent_at is None
    assert sweep(django_capture_on_commit_callbacks) == 1
    assert len(mailoutbox) == 1


def _propose(cast, user, capture):
    agreement = proposed(cast, days_ago=0)
    ExpectationAgreement.objects.filter(pk=agreement.pk).update(status="draft", proposed_at=None)
    request = mock.Mock(user=user, path="/", META={"REMOTE_ADDR": "127.0.0.1"})
    with capture(execute=True):
        services.agreement_propose(request=request, agreement=agreement, actor_role="test")
    return agreement


def test_proposing_tells_each_custody_holder_once(cast, mailoutbox, django_capture_on_commit_callbacks):
    agreement = _propose(cast, cast.carla, django_capture_on_commit_callbacks)
    assert [m.to for m in mailoutbox] == [[cast.anna.email]]  # Mikkel has no custody
    assert "Emil" in mailoutbox[0].subject and f"/agreements/{agreement.pk}/" in mailoutbox[0].body
    with django_capture_on_commit_callbacks(execute=True):
        assert notices.agreement_proposal_notices_send(agreement_id=agreement.pk) == 0
    assert len(mailoutbox) == 1
    # The 7-day reminder is a separate, later message.
    ExpectationAgreement.objects.filter(pk=agreement.pk).update(
        proposed_at=timezone.now() - datetime.timedelta(days=8)
    )
    assert sweep(django_capture_on_commit_callbacks) == 1
    assert len(mailoutbox) == 2


def test_a_parent_who_proposes_is_not_told_about_their_own_proposal(
    cast, mailoutbox, django_capture_on_commit_callbacks
):
    cast.emil.guardianships.filter(user=cast.mikkel).update(has_custody=True)
    _propose(cast, cast.anna, django_capture_on_commit_callbacks)
    assert [m.to for m in mailoutbox] == [[cast.mikkel.email]]


def test_the_reminder_names_the_portal_and_links_to_its_address(
    cast, distinct_site, mailoutbox, django_capture_on_commit_callbacks
):
    proposed(cast, days_ago=8)
    sweep(django_capture_on_commit_callbacks)
    (message,) = mailoutbox
    assert_mail_names_the_site(message)
