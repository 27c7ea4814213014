"""Proposing is the proposer's yes when they say so, and whoever's answer is the last one missing is told
(by e-mail and in the inbox, each once); when the agreement is in force, everyone else who decided is told."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from expectations.models import AgreementAcceptance, AgreementReminder, ExpectationAgreement
from expectations.services import agreement_notices as notices
from expectations.services import agreements as services
from portal.audit.models import AccessEvent
from portal.meetings.models import Notification
from portal.organisation.models import StaffMembership
from tests import factories as f
from tests.conftest import assert_mail_names_the_site, mail_server_down
from tests.expectations.test_agreements_services import accept, draft, req

pytestmark = pytest.mark.django_db

Status = ExpectationAgreement.Status
Kind = AgreementReminder.Kind
GUARDIAN = AgreementAcceptance.Role.GUARDIAN
STAFF = AgreementAcceptance.Role.STAFF


def propose(agreement, user, role, capture, *, accept=True):
    with capture(execute=True):
        return services.agreement_propose(
            request=req(user), agreement=agreement, actor_role="x", accept=accept, role=role
        )


def answer(agreement, user, role, capture):
    agreement.refresh_from_db()
    with capture(execute=True):
        return accept(agreement, user, role)


def told(kind, mailoutbox=None):
    """Who got a notice of this kind in the inbox."""
    return set(Notification.objects.filter(kind=kind).values_list("user__first_name", flat=True))


@pytest.fixture
def jonas(cast):
    """Emil's second parent with custody."""
    jonas = f.UserFactory(first_name="Jonas", email="jonas@example.test")
    f.GuardianshipFactory(child=cast.emil, user=jonas, relation="father", has_custody=True)
    return jonas


# --- proposing is a yes when the proposer says so ---------------------------------------------------------
def test_staff_who_propose_with_i_accept_have_accepted_and_are_not_asked_again(
    cast, django_capture_on_commit_callbacks
):
    agreement = propose(draft(cast), cast.carla, STAFF, django_capture_on_commit_callbacks)
    assert agreement.status == Status.PROPOSED
    assert set(AgreementAcceptance.objects.values_list("user", "role", "revision")) == {
        (cast.carla.pk, STAFF, agreement.revision)
    }
    assert AccessEvent.objects.filter(subject="agreement_acceptance", actor=cast.carla).count() == 1
    # Only Anna's answer is missing: her "yes" puts it in force.
    answer(agreement, cast.anna, GUARDIAN, django_capture_on_commit_callbacks)
    agreement.refresh_from_db()
    assert agreement.status == Status.IN_FORCE


def test_proposing_without_i_accept_records_no_acceptance(cast, django_capture_on_commit_callbacks):
    agreement = propose(draft(cast), cast.carla, STAFF, django_capture_on_commit_callbacks, accept=False)
    assert agreement.status == Status.PROPOSED and not AgreementAcceptance.objects.exists()


def test_the_propose_form_offers_i_accept_ticked_and_the_post_records_it(client, cast, login):
    agreement = draft(cast)
    login(client, cast.carla)
    page = client.get(reverse("expectations:agreement_detail", args=[agreement.pk])).content.decode()
    assert 'name="accept"' in page and "checked" in page.split('name="accept"')[1].split(">")[0]
    client.post(reverse("expectations:agreement_propose", args=[agreement.pk]), {"accept": "on"})
    assert AgreementAcceptance.objects.filter(agreement=agreement, user=cast.carla, role=STAFF).exists()


def test_a_propose_post_without_the_tick_is_not_an_acceptance(client, cast, login):
    agreement = draft(cast, user=cast.anna)
    login(client, cast.anna, mfa=False)
    client.post(reverse("expectations:agreement_propose", args=[agreement.pk]), {})
    agreement.refresh_from_db()
    assert agreement.status == Status.PROPOSED and not AgreementAcceptance.objects.exists()


# --- the last answer missing --------------------------------------------------------------------------
def test_the_last_answer_notice_names_the_portal_and_links_to_its_address(
    cast, distinct_site, mailoutbox, django_capture_on_commit_callbacks
):
    propose(draft(cast, user=cast.anna), cast.anna, GUARDIAN, django_capture_on_commit_callbacks)
    assert len(mailoutbox) == 2
    for message in mailoutbox:
        assert_mail_names_the_site(message)


def test_a_parent_who_proposes_and_accepts_leaves_staff_last_and_the_deciding_staff_are_told(
    cast, mailoutbox, django_capture_on_commit_callbacks
):
    bien = f.StaffMembershipFactory(institution=cast.solsikken, groups=[cast.bien]).user  # not Emil's group
    agreement = propose(draft(cast, user=cast.anna), cast.anna, GUARDIAN, django_capture_on_commit_callbacks)
    assert told(Notification.Kind.AGREEMENT_LAST_ANSWER) == {"Carla", "Lene"}
    assert sorted(m.to[0] for m in mailoutbox) == [cast.carla.email, cast.lene.email]
    assert bien.email not in {m.to[0] for m in mailoutbox} and cast.dorte.email not in str(mailoutbox)
    notice = Notification.objects.get(user=cast.carla)
    assert notice.url == reverse("expectations:agreement_detail", args=[agreement.pk])
    assert "Emil" in notice.title and "Emil" in notice.body


def test_when_one_parent_is_left_that_parent_is_told_once(
    cast, jonas, mailoutbox, django_capture_on_commit_callbacks
):
    agreement = propose(draft(cast), cast.carla, STAFF, django_capture_on_commit_callbacks)
    assert told(Notification.Kind.AGREEMENT_PROPOSED) == {"Anna", "Jonas"}
    assert not told(Notification.Kind.AGREEMENT_LAST_ANSWER)  # two answers are missing
    mailoutbox.clear()

    answer(agreement, cast.anna, GUARDIAN, django_capture_on_commit_callbacks)
    assert told(Notification.Kind.AGREEMENT_LAST_ANSWER) == {"Jonas"}
    assert [m.to for m in mailoutbox] == [[jonas.email]]
    assert mailoutbox[0].subject == "Kun dit svar mangler: aftalen om Emil"
    # The row is the claim: sending again (a retried task) tells nobody twice.
    with django_capture_on_commit_callbacks(execute=True):
        assert notices.agreement_answer_notices_send(agreement_id=agreement.pk) == 0
    assert len(mailoutbox) == 1 and Notification.objects.filter(user=jonas).count() == 2


def test_a_second_staff_yes_tells_nobody_again(cast, jonas, mailoutbox, django_capture_on_commit_callbacks):
    agreement = propose(draft(cast), cast.carla, STAFF, django_capture_on_commit_callbacks)
    mailoutbox.clear()
    answer(agreement, cast.lene, STAFF, django_capture_on_commit_callbacks)
    assert mailoutbox == [] and not told(Notification.Kind.AGREEMENT_LAST_ANSWER)


def test_when_it_is_in_force_everyone_else_who_decided_is_told(
    cast, jonas, mailoutbox, django_capture_on_commit_callbacks
):
    agreement = propose(draft(cast), cast.carla, STAFF, django_capture_on_commit_callbacks)
    answer(agreement, cast.anna, GUARDIAN, django_capture_on_commit_callbacks)
    mailoutbox.clear()
    answer(agreement, jonas, GUARDIAN, django_capture_on_commit_callbacks)
    agreement.refresh_from_db()
    assert agreement.status == Status.IN_FORCE
    assert told(Notification.Kind.AGREEMENT_IN_FORCE) == {"Anna", "Carla"}  # not Jonas, who just accepted
    assert sorted(m.to[0] for m in mailoutbox) == [cast.anna.email, cast.carla.email]
    assert not Notification.objects.filter(user=cast.mikkel).exists()  # no custody: not a decider


def test_the_inbox_copy_is_kept_when_the_email_fails_and_the_sweep_sends_the_email_once(
    cast, mailoutbox, django_capture_on_commit_callbacks
):
    with mail_server_down():
        propose(draft(cast, user=cast.anna), cast.anna, GUARDIAN, django_capture_on_commit_callbacks)
    assert mailoutbox == [] and told(Notification.Kind.AGREEMENT_LAST_ANSWER) == {"Carla", "Lene"}
    assert not AgreementReminder.objects.filter(sent_at__isnull=False).exists()  # claims released
    with django_capture_on_commit_callbacks(execute=True):
        assert notices.agreement_reminders_send() == 2
    with django_capture_on_commit_callbacks(execute=True):
        assert notices.agreement_reminders_send() == 0
    assert len(mailoutbox) == 2 and Notification.objects.count() == 2


def test_a_person_who_wants_no_email_gets_the_inbox_copy_only(
    cast, mailoutbox, django_capture_on_commit_callbacks
):
    cast.lene.notify_by_email = False
    cast.lene.save(update_fields=["notify_by_email"])
    propose(draft(cast, user=cast.anna), cast.anna, GUARDIAN, django_capture_on_commit_callbacks)
    assert [m.to for m in mailoutbox] == [[cast.carla.email]]
    assert told(Notification.Kind.AGREEMENT_LAST_ANSWER) == {"Carla", "Lene"}


# --- every notice in Danish and English ---------------------------------------------------------------
SUBJECTS = {
    Kind.PROPOSED: "A new agreement about Emil to read and answer",
    Kind.ANSWER: "Please answer the agreement about Emil",
    Kind.LAST_ANSWER: "Only your answer is missing: the agreement about Emil",
    Kind.IN_FORCE: "The agreement about Emil is in force",
}
LINES = {
    (Kind.PROPOSED, False): "Børnehuset Solsikken has proposed an agreement about what you and the staff "
    "each do for Emil.",
    (Kind.ANSWER, False): "We have not heard from you about the agreement about Emil yet.",
    (Kind.LAST_ANSWER, False): "Everyone else has accepted the agreement about Emil. It is in force as soon "
    "as you accept it.",
    (
        Kind.LAST_ANSWER,
        True,
    ): "The parents have accepted the agreement about Emil at Børnehuset Solsikken. It "
    "is in force as soon as a member of staff accepts it: you or a colleague.",
    (
        Kind.IN_FORCE,
        False,
    ): "Everyone has accepted the agreement about Emil at Børnehuset Solsikken. It is in force now.",
}


@pytest.mark.parametrize(
    ("kind", "to_staff", "language"),
    [
        (kind, to_staff, language)
        for kind, to_staff in LINES
        for language in (("da", "en") if to_staff else ("da", "en", "ar", "uk", "tr", "pl"))
    ],  # staff read Danish or English
)
def test_every_agreement_notice_is_written_in_the_recipients_language(
    cast, mailoutbox, django_capture_on_commit_callbacks, language, kind, to_staff
):
    user = cast.carla if to_staff else cast.anna
    user.language = language
    user.save(update_fields=["language"])
    agreement = draft(cast)
    with django_capture_on_commit_callbacks(execute=True):
        notices._claim_notices(agreement, {user.pk}, kind)
    with translation.override("en"):
        english_subject, english_line = SUBJECTS[kind], LINES[kind, to_staff]
    with translation.override(language):
        subject = gettext(english_subject.replace("Emil", "%(name)s")) % {"name": "Emil"}
    if language != "en":
        assert subject != english_subject  # translated, not left in English
    html = mailoutbox[0].alternatives[0][0]
    assert f'dir="{"rtl" if language == "ar" else "ltr"}"' in html
    notice = Notification.objects.get(user=user)
    assert (mailoutbox[0].subject, notice.title) == (subject, subject)
    if language == "en":
        assert notice.body == english_line
    else:
        assert notice.body != english_line and "Emil" in notice.body
    assert notice.body in mailoutbox[0].body or kind in (Kind.PROPOSED, Kind.ANSWER)
    assert f"/agreements/{agreement.pk}/" in mailoutbox[0].body


def test_the_sweep_sends_a_released_notice_only_while_it_still_applies(
    cast, mailoutbox, django_capture_on_commit_callbacks
):
    agreement = draft(cast)
    ExpectationAgreement.objects.filter(pk=agreement.pk).update(
        status=Status.WITHDRAWN, proposed_at=timezone.now() - datetime.timedelta(days=1)
    )
    AgreementReminder.objects.create(agreement=agreement, user=cast.anna, kind=Kind.LAST_ANSWER, sent_at=None)
    with django_capture_on_commit_callbacks(execute=True):
        assert notices.agreement_reminders_send() == 0
    assert mailoutbox == []


def test_staff_who_may_accept_are_the_leaders_and_the_childs_group_staff_now(cast):
    agreement = draft(cast)
    f.StaffMembershipFactory(
        institution=cast.solsikken,
        groups=[cast.mariehonen],
        ended_on=timezone.localdate() - datetime.timedelta(days=1),
    )
    from expectations.policies.agreements import deciding_staff_ids

    assert deciding_staff_ids(agreement) == {cast.carla.pk, cast.lene.pk}
    assert StaffMembership.objects.filter(institution=cast.solsikken).count() == 3


def test_the_inbox_shows_agreement_notices_next_to_meeting_notices(
    client, cast, login, settings, django_capture_on_commit_callbacks
):
    settings.LANGUAGE_CODE = "en"
    cast.carla.language = "en"
    cast.carla.save(update_fields=["language"])
    Notification.objects.create(user=cast.carla, title="Husk mødet", url="/meetings/")
    agreement = propose(draft(cast, user=cast.anna), cast.anna, GUARDIAN, django_capture_on_commit_callbacks)
    login(client, cast.carla)
    page = client.get(reverse("meetings:notifications")).content.decode()
    url = reverse("expectations:agreement_detail", args=[agreement.pk])
    assert f'<a href="{url}">Only your answer is missing: the agreement about Emil</a>' in page
    assert "Agreement waiting for you ·" in page and "Meeting ·" in page and "Husk mødet" in page
