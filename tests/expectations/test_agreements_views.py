"""The agreement pages with the cast: who sees, who decides, and what each page costs in queries."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from expectations.models import (
    AgreementAcceptance,
    AgreementComment,
    Commitment,
    CommitmentSuggestion,
    ExpectationAgreement,
)
from portal.audit.models import AccessEvent
from portal.meetings.models import FollowUp, Meeting
from tests import factories as f
from tests.queries import assert_constant_queries

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(settings):
    """These tests read the English wording (the Danish is checked by the catalogue check)."""
    settings.LANGUAGE_CODE = "en"


Status = ExpectationAgreement.Status


def make_agreement(cast, *, child=None, institution=None, status=Status.PROPOSED, commitments=2, **extra):
    today = timezone.localdate()
    agreement = ExpectationAgreement.objects.create(
        child=child or cast.emil,
        institution=institution or cast.solsikken,
        status=status,
        review_due_on=extra.pop("review_due_on", today + datetime.timedelta(days=180)),
        proposed_at=timezone.now() if status != Status.DRAFT else None,
        agreed_at=timezone.now() if status == Status.IN_FORCE else None,
        **extra,
    )
    for i in range(commitments):
        Commitment.objects.create(
            agreement=agreement,
            side="institution" if i % 2 == 0 else "family",
            text=f"Forpligtelse {i}",
            how_often="hver uge",
        )
    return agreement


def form_data(agreement=None, **extra):
    today = timezone.localdate()
    data = {
        "starts_on": today.isoformat(),
        "review_due_on": (today + datetime.timedelta(days=180)).isoformat(),
        "preferred_language": "da",
        "guidance_topics": ["language", "social"],
        "family_words": "Vi vil gerne vide, hvad Emil leger med.",
        "new_1_side": "family",
        "new_1_text": "Tale om dagen ved aftensmaden",
        "new_1_who": "Anna",
        "new_1_how_often": "hver dag",
    }
    if agreement is not None:
        data["revision"] = str(agreement.revision)
    data.update(extra)
    return data


# --- the guardian's page -----------------------------------------------------------------------------
def test_guardian_sees_what_we_agreed_institution_first_and_the_visit_is_audited(client, cast, login):
    agreement = make_agreement(cast, family_words="Vi taler arabisk derhjemme")
    login(client, cast.anna, mfa=False)
    response = client.get(reverse("expectations:agreement_detail", args=[agreement.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    assert body.index("Forpligtelse 0") < body.index("Forpligtelse 1")  # institution, then family
    assert "Vi taler arabisk derhjemme" in body
    assert "I accept the agreement" in body
    assert AccessEvent.objects.filter(
        child=cast.emil, actor=cast.anna, subject="agreement", action="view"
    ).exists()


def test_second_custody_guardian_who_has_not_accepted_sees_the_button_and_others_waiting(client, cast, login):
    second = f.UserFactory(first_name="Jonas", last_name="Jensen")
    f.GuardianshipFactory(child=cast.emil, user=second, relation="father")
    agreement = make_agreement(cast)
    AgreementAcceptance.objects.create(agreement=agreement, user=cast.anna, role="guardian", revision=1)
    login(client, second, mfa=False)
    body = client.get(reverse("expectations:agreement_detail", args=[agreement.pk])).content.decode()
    assert "I accept the agreement" in body
    assert "Jonas Jensen:" in body and "has not answered yet" in body
    response = client.post(reverse("expectations:agreement_accept", args=[agreement.pk]), {"revision": "1"})
    assert response.status_code == 302
    assert AgreementAcceptance.objects.filter(agreement=agreement, user=second, revision=1).exists()
    agreement.refresh_from_db()
    assert agreement.status == Status.PROPOSED  # no staff yet


def test_both_sides_accept_and_the_agreement_is_in_force(client, cast, login):
    agreement = make_agreement(cast)
    login(client, cast.anna, mfa=False)
    client.post(reverse("expectations:agreement_accept", args=[agreement.pk]), {"revision": "1"})
    login(client, cast.carla)
    response = client.post(
        reverse("expectations:agreement_accept", args=[agreement.pk]), {"revision": "1"}, follow=True
    )
    agreement.refresh_from_db()
    assert agreement.status == Status.IN_FORCE
    assert "now in force" in response.content.decode()


def test_guardian_without_custody_reads_and_comments_but_cannot_accept_or_edit(client, cast, login):
    agreement = make_agreement(cast)
    login(client, cast.mikkel, mfa=False)
    body = client.get(reverse("expectations:agreement_detail", args=[agreement.pk])).content.decode()
    assert "Forpligtelse 0" in body and "I accept the agreement" not in body
    assert (
        client.post(
            reverse("expectations:agreement_accept", args=[agreement.pk]), {"revision": "1"}
        ).status_code
        == 404
    )
    assert client.get(reverse("expectations:agreement_edit", args=[agreement.pk])).status_code == 404
    assert (
        client.post(
            reverse("expectations:agreement_edit", args=[agreement.pk]), form_data(agreement)
        ).status_code
        == 404
    )
    assert client.get(reverse("expectations:agreement_create", args=[cast.emil.pk])).status_code == 404
    assert not AgreementAcceptance.objects.exists()
    response = client.post(
        reverse("expectations:agreement_comment", args=[agreement.pk]),
        {"text": "Kan vi tale om afhentning?", "asks_for_change": "on"},
    )
    assert response.status_code == 302
    comment = AgreementComment.objects.get()
    assert comment.author == cast.mikkel and comment.asks_for_change


def test_an_empty_comment_shows_the_page_with_an_error(client, cast, login):
    agreement = make_agreement(cast)
    login(client, cast.anna, mfa=False)
    response = client.post(reverse("expectations:agreement_comment", args=[agreement.pk]), {"text": "  "})
    assert response.status_code == 200 and "portal-error-summary" in response.content.decode()
    assert not AgreementComment.objects.exists()


def _reads(user):
    return sorted(
        AccessEvent.objects.filter(actor=user, action="view").values_list("subject", "object_id", "child_id")
    )


def test_reading_an_agreement_records_its_comments_and_acceptances_when_the_page_shows_them(
    client, cast, login
):
    agreement = make_agreement(cast)
    AgreementAcceptance.objects.create(agreement=agreement, user=cast.anna, role="guardian", revision=1)
    AgreementComment.objects.create(agreement=agreement, author=cast.anna, text="Kan vi tale om søvn?")
    login(client, cast.carla)
    client.get(reverse("expectations:agreement_detail", args=[agreement.pk]))
    pk, emil = agreement.pk, cast.emil.pk
    assert _reads(cast.carla) == [
        ("agreement", pk, emil),
        ("agreement_acceptance", pk, emil),
        ("agreement_comment", pk, emil),
    ]


def test_a_draft_without_comments_records_only_the_agreement(client, cast, login):
    agreement = make_agreement(cast, status=Status.DRAFT)
    login(client, cast.carla)
    client.get(reverse("expectations:agreement_detail", args=[agreement.pk]))
    assert _reads(cast.carla) == [("agreement", agreement.pk, cast.emil.pk)]


def test_the_page_shown_again_after_a_refused_comment_records_the_reads(client, cast, login):
    agreement = make_agreement(cast)
    AgreementComment.objects.create(agreement=agreement, author=cast.mikkel, text="Hvad med madpakker?")
    login(client, cast.anna, mfa=False)
    response = client.post(reverse("expectations:agreement_comment", args=[agreement.pk]), {"text": "  "})
    assert response.status_code == 200 and "Hvad med madpakker?" in response.content.decode()
    assert [subject for subject, *_ in _reads(cast.anna)] == [
        "agreement",
        "agreement_acceptance",
        "agreement_comment",
    ]


@pytest.mark.parametrize("persona", ["dorte", "olga", "erik", "bo", "sofie"])
def test_outsiders_get_404_on_every_agreement_url(client, cast, login, persona):
    agreement = make_agreement(cast, status=Status.IN_FORCE)
    commitment = agreement.commitments.first()
    login(client, getattr(cast, persona))
    pk = agreement.pk
    for url in (
        reverse("expectations:agreement_detail", args=[pk]),
        reverse("expectations:agreement_edit", args=[pk]),
        reverse("expectations:child_agreements", args=[cast.emil.pk]),
        reverse("expectations:agreement_create", args=[cast.emil.pk]),
    ):
        assert client.get(url).status_code == 404, url
    for url in (
        reverse("expectations:agreement_accept", args=[pk]),
        reverse("expectations:agreement_comment", args=[pk]),
        reverse("expectations:agreement_propose", args=[pk]),
        reverse("expectations:commitment_progress", args=[pk, commitment.pk]),
    ):
        assert client.post(url, {"revision": "1", "text": "x", "progress": "hard"}).status_code == 404, url
    assert not AgreementComment.objects.exists() and not AgreementAcceptance.objects.exists()


def test_staff_of_another_municipality_get_404(client, cast, login):
    other_staff = f.UserFactory()
    from tests.conftest import enable_mfa

    enable_mfa(other_staff)
    f.StaffMembershipFactory(user=other_staff, institution=cast.other_daycare, role="leader")
    agreement = make_agreement(cast)
    login(client, other_staff)
    assert client.get(reverse("expectations:agreement_detail", args=[agreement.pk])).status_code == 404


# --- staff create, edit, propose ---------------------------------------------------------------------
def test_staff_create_a_draft_from_the_catalogue_and_their_own_words(client, cast, login):
    suggestion = CommitmentSuggestion.objects.filter(side="institution", institution_kinds=[]).first()
    login(client, cast.carla)
    url = reverse("expectations:agreement_create", args=[cast.emil.pk])
    page = client.get(url).content.decode()
    assert suggestion.text in page and "Kun skole" not in page
    response = client.post(
        url, form_data(institution_suggestions=[suggestion.pk], institution=cast.solsikken.pk)
    )
    assert response.status_code == 302
    agreement = ExpectationAgreement.objects.get()
    assert agreement.status == Status.DRAFT and agreement.created_by == cast.carla
    assert set(agreement.commitments.values_list("text", flat=True)) == {
        suggestion.text,
        "Tale om dagen ved aftensmaden",
    }
    assert agreement.guidance_topics == ["language", "social"]
    assert AccessEvent.objects.filter(child=cast.emil, subject="agreement", action="create").exists()


def test_create_refuses_care_topics_unless_the_parents_opt_in(client, cast, login):
    login(client, cast.carla)
    url = reverse("expectations:agreement_create", args=[cast.emil.pk])
    response = client.post(url, form_data(care_topics=["sleep"]))
    assert response.status_code == 200 and "portal-error-summary" in response.content.decode()
    assert not ExpectationAgreement.objects.exists()
    response = client.post(url, form_data(care_topics=["sleep"], care_topics_wanted="on"))
    assert response.status_code == 302
    assert ExpectationAgreement.objects.get().guidance_topics == ["language", "social", "sleep"]


def test_create_with_nonsense_input_shows_errors_not_500(client, cast, login):
    login(client, cast.carla)
    url = reverse("expectations:agreement_create", args=[cast.emil.pk])
    response = client.post(
        url,
        {
            "starts_on": "not a date",
            "review_due_on": "2020-01-01",
            "institution_suggestions": ["abc", "999999"],
            "guidance_topics": ["<script>"],
            "new_1_text": "x" * 400,
            "new_2_text": "no side",
            "institution": "nonsense",
        },
    )
    assert response.status_code == 200
    assert not ExpectationAgreement.objects.exists()


def test_custody_guardian_can_start_and_propose_a_draft(client, cast, login):
    login(client, cast.anna, mfa=False)
    response = client.post(reverse("expectations:agreement_create", args=[cast.emil.pk]), form_data())
    agreement = ExpectationAgreement.objects.get()
    assert response.status_code == 302 and agreement.created_by == cast.anna
    client.post(reverse("expectations:agreement_propose", args=[agreement.pk]))
    agreement.refresh_from_db()
    assert agreement.status == Status.PROPOSED


def test_carla_cannot_start_an_agreement_for_ida_outside_her_group(client, cast, login):
    login(client, cast.carla)
    assert client.get(reverse("expectations:agreement_create", args=[cast.ida.pk])).status_code == 404
    login(client, cast.lene)
    assert client.get(reverse("expectations:agreement_create", args=[cast.ida.pk])).status_code == 200


def test_edit_of_a_proposed_agreement_bumps_revision(client, cast, login):
    agreement = make_agreement(cast)
    AgreementAcceptance.objects.create(agreement=agreement, user=cast.anna, role="guardian", revision=1)
    login(client, cast.carla)
    url = reverse("expectations:agreement_edit", args=[agreement.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, form_data(agreement, remove_commitments=[agreement.commitments.first().pk]))
    assert response.status_code == 302
    agreement.refresh_from_db()
    assert agreement.revision == 2 and agreement.commitments.count() == 2  # one removed, one added
    login(client, cast.anna, mfa=False)
    body = client.get(reverse("expectations:agreement_detail", args=[agreement.pk])).content.decode()
    assert "I accept the agreement" in body  # her acceptance of revision 1 no longer counts


def test_concurrent_edit_is_refused_with_the_current_version_shown(client, cast, login):
    agreement = make_agreement(cast)
    stale = form_data(agreement, family_words="Carlas version")
    login(client, cast.anna, mfa=False)
    client.post(
        reverse("expectations:agreement_edit", args=[agreement.pk]),
        form_data(agreement, family_words="Annas version"),
    )
    login(client, cast.carla)
    response = client.post(reverse("expectations:agreement_edit", args=[agreement.pk]), stale)
    body = response.content.decode()
    assert response.status_code == 200
    assert "Someone else changed this agreement" in body
    assert "Annas version" in body and "Carlas version" in body  # the current version and her own input
    assert 'name="revision" value="2"' in body
    agreement.refresh_from_db()
    assert agreement.family_words == "Annas version" and agreement.revision == 2


def test_editing_an_agreement_in_force_redirects_with_a_message(client, cast, login):
    agreement = make_agreement(cast, status=Status.IN_FORCE)
    login(client, cast.carla)
    response = client.post(reverse("expectations:agreement_edit", args=[agreement.pk]), form_data(agreement))
    assert response.status_code == 302
    agreement.refresh_from_db()
    assert agreement.revision == 1


def test_accept_with_a_stale_revision_is_refused_with_a_message(client, cast, login):
    agreement = make_agreement(cast, revision=3)
    login(client, cast.anna, mfa=False)
    for revision in ("2", "abc", ""):
        response = client.post(
            reverse("expectations:agreement_accept", args=[agreement.pk]), {"revision": revision}, follow=True
        )
        assert "changed after you opened it" in response.content.decode()
    assert not AgreementAcceptance.objects.exists()


def test_get_does_not_change_state(client, cast, login):
    agreement = make_agreement(cast, status=Status.DRAFT)
    login(client, cast.carla)
    for name in ("agreement_propose", "agreement_accept", "agreement_comment"):
        assert client.get(reverse(f"expectations:{name}", args=[agreement.pk])).status_code == 405
    agreement.refresh_from_db()
    assert agreement.status == Status.DRAFT


# --- follow-up ---------------------------------------------------------------------------------------
def test_progress_htmx_returns_the_commitment_fragment_with_an_out_of_band_message(client, cast, login):
    agreement = make_agreement(cast, status=Status.IN_FORCE)
    commitment = agreement.commitments.first()
    login(client, cast.anna, mfa=False)
    response = client.post(
        reverse("expectations:commitment_progress", args=[agreement.pk, commitment.pk]),
        {"progress": "going_well", "note": "Vi læser hver aften"},
        HTTP_HX_REQUEST="true",
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert body.lstrip().startswith("<li") and "<html" not in body
    assert f'id="progress-{commitment.pk}"' in body  # the same id, so htmx keeps the focus
    assert 'data-hx-swap-oob="beforeend:#messages"' in body
    assert "HX-Request" in response["Vary"]
    commitment.refresh_from_db()
    assert commitment.progress == "going_well" and commitment.progress_note == "Vi læser hver aften"
    assert AccessEvent.objects.filter(subject="agreement_commitment", action="update").count() == 1


def test_progress_plain_post_redirects_and_rejects_unknown_values(client, cast, login):
    agreement = make_agreement(cast, status=Status.IN_FORCE)
    commitment = agreement.commitments.first()
    login(client, cast.carla)
    url = reverse("expectations:commitment_progress", args=[agreement.pk, commitment.pk])
    response = client.post(url, {"progress": "DROP TABLE"})
    assert response.status_code == 302 and response["Location"].endswith(f"#commitment-{commitment.pk}")
    commitment.refresh_from_db()
    assert commitment.progress == "not_started"


def test_progress_is_not_for_the_guardian_without_custody(client, cast, login):
    agreement = make_agreement(cast, status=Status.IN_FORCE)
    commitment = agreement.commitments.first()
    login(client, cast.mikkel, mfa=False)
    url = reverse("expectations:commitment_progress", args=[agreement.pk, commitment.pk])
    assert client.post(url, {"progress": "hard"}).status_code == 404
    commitment.refresh_from_db()
    assert commitment.progress == "not_started"


def test_progress_on_a_commitment_of_another_agreement_is_404(client, cast, login):
    agreement = make_agreement(cast, status=Status.IN_FORCE)
    other = make_agreement(cast, child=cast.freja, institution=cast.school, status=Status.IN_FORCE)
    login(client, cast.anna, mfa=False)
    url = reverse("expectations:commitment_progress", args=[agreement.pk, other.commitments.first().pk])
    assert client.post(url, {"progress": "hard"}).status_code == 404


# --- staff list --------------------------------------------------------------------------------------
def test_staff_list_shows_due_for_review_and_waiting(client, cast, login):
    today = timezone.localdate()
    due = make_agreement(cast, status=Status.IN_FORCE, review_due_on=today + datetime.timedelta(days=10))
    waiting = make_agreement(cast)
    login(client, cast.lene)
    response = client.get(reverse("expectations:agreement_list"))
    body = response.content.decode()
    assert response.status_code == 200
    assert reverse("expectations:agreement_detail", args=[due.pk]) in body
    assert reverse("expectations:agreement_detail", args=[waiting.pk]) in body
    assert "Anna Jensen" not in body.split("Waiting for answers")[0]
    assert "Anna Jensen, a member of staff" in body.split("Waiting for answers")[1]
    assert AccessEvent.objects.filter(subject="agreement_list", action="list", child=cast.emil).count() == 1


def test_staff_list_is_not_for_parents_or_administrators(client, cast, login):
    for user in (cast.anna, cast.erik):
        login(client, user)
        assert client.get(reverse("expectations:agreement_list")).status_code == 404


# --- what meetings agreed ------------------------------------------------------------------------------
def _follow_up(cast, agreement, text, *, shared=True, status="held"):
    start = timezone.now() - datetime.timedelta(days=3)
    meeting = Meeting.objects.create(
        kind="agreement_review", institution=agreement.institution, child=agreement.child, status=status,
        starts_at=start, ends_at=start + datetime.timedelta(minutes=30),
        summary_shared_at=timezone.now() if shared else None,
    )  # fmt: skip
    return FollowUp.objects.create(
        meeting=meeting, agreement=agreement, text=text, follow_up_on=timezone.localdate()
    )


def test_meeting_follow_ups_appear_on_the_agreement_they_link_to(client, cast, login):
    agreement = make_agreement(cast, status=Status.IN_FORCE)
    other = make_agreement(cast, child=cast.ida, status=Status.IN_FORCE)
    _follow_up(cast, agreement, "Læse sammen hver aften")
    _follow_up(cast, agreement, "UDKAST-IKKE-DELT", shared=False)
    _follow_up(cast, agreement, "AFLYST-MØDE", status="cancelled")
    _follow_up(cast, other, "IDAS-AFTALE")
    url = reverse("expectations:agreement_detail", args=[agreement.pk])
    login(client, cast.carla)
    body = client.get(url).content.decode()
    assert "Læse sammen hver aften" in body and "UDKAST-IKKE-DELT" in body
    assert "AFLYST-MØDE" not in body and "IDAS-AFTALE" not in body
    login(client, cast.anna, mfa=False)
    body = client.get(url).content.decode()
    assert "Læse sammen hver aften" in body  # shared with the family
    assert "UDKAST-IKKE-DELT" not in body  # the summary is not shared yet


# --- query budgets -----------------------------------------------------------------------------------
def test_agreement_page_query_budget_is_constant(client, cast, login):
    agreement = make_agreement(cast, commitments=1)
    login(client, cast.carla)

    def grow():
        for i in range(24):
            Commitment.objects.create(agreement=agreement, side="family", text=f"Mere {i}")
            AgreementComment.objects.create(agreement=agreement, author=cast.anna, text=f"Kommentar {i}")

    _follow_up(cast, agreement, "Første opfølgning")
    grow_more = grow

    def grow():
        grow_more()
        for i in range(24):
            _follow_up(cast, agreement, f"Opfølgning {i}")

    assert_constant_queries(client, reverse("expectations:agreement_detail", args=[agreement.pk]), 13, grow)


def test_agreement_page_for_guardians_query_budget_is_constant(client, cast, login):
    agreement = make_agreement(cast, status=Status.IN_FORCE, commitments=1)
    login(client, cast.anna, mfa=False)

    def grow():
        for i in range(24):
            Commitment.objects.create(
                agreement=agreement, side="institution", text=f"Mere {i}", progress_by=cast.carla
            )

    assert_constant_queries(client, reverse("expectations:agreement_detail", args=[agreement.pk]), 11, grow)


def test_staff_list_query_budget_is_constant(client, cast, login):
    make_agreement(cast)
    login(client, cast.lene)

    def grow():
        for i in range(24):
            child = f.ChildFactory(municipality=cast.aarhus)
            f.EnrollmentFactory(child=child, group=cast.bien)
            f.GuardianshipFactory(child=child)
            agreement = make_agreement(
                cast, child=child, status=[Status.PROPOSED, Status.IN_FORCE, Status.DRAFT][i % 3]
            )
            AgreementAcceptance.objects.create(agreement=agreement, user=cast.lene, role="staff", revision=1)

    assert_constant_queries(client, reverse("expectations:agreement_list"), 8, grow)


def test_child_agreements_query_budget_is_constant(client, cast, login):
    make_agreement(cast)
    login(client, cast.anna, mfa=False)

    def grow():
        for _ in range(24):
            make_agreement(cast, status=Status.SUPERSEDED, commitments=0)

    assert_constant_queries(client, reverse("expectations:child_agreements", args=[cast.emil.pk]), 9, grow)


def test_huge_ids_are_404_not_500(client, cast, login):
    login(client, cast.anna, mfa=False)
    huge = 10**30
    assert client.get(f"/agreements/{huge}/").status_code == 404
    agreement = make_agreement(cast, status=Status.IN_FORCE)
    response = client.post(f"/agreements/{agreement.pk}/commitments/{huge}/progress/", {"progress": "hard"})
    assert response.status_code == 404
    assert client.get(f"/children/{huge}/agreements/").status_code == 404
