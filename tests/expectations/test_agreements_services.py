"""The agreement lifecycle as the product's rules: who decides, when it is in force, concurrent edits."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.test import RequestFactory
from django.utils import timezone

from expectations.models import AgreementAcceptance, Commitment, CommitmentSuggestion, ExpectationAgreement
from expectations.policies import agreements as policies
from expectations.selectors import agreements as selectors
from expectations.services import agreements as services
from portal.audit.models import AccessEvent
from tests import factories as f

pytestmark = pytest.mark.django_db

Status = ExpectationAgreement.Status
GUARDIAN = AgreementAcceptance.Role.GUARDIAN
STAFF = AgreementAcceptance.Role.STAFF


def req(user):
    request = RequestFactory().post("/")
    request.user = user
    return request


def wishes(**extra):
    today = timezone.localdate()
    return {
        "starts_on": today,
        "review_due_on": today + datetime.timedelta(days=180),
        "preferred_language": "da",
        "interpreter_wanted": False,
        "contact_form": "",
        "contact_frequency": "",
        "guidance_topics": ["language"],
        "care_topics_wanted": False,
        "family_words": "",
        "extra_support": "",
        **extra,
    }


def draft(cast, user=None, **extra):
    return services.agreement_create(
        request=req(user or cast.carla),
        child=cast.emil,
        institution=cast.solsikken,
        actor_role="Pædagog",
        new_commitments=[
            {"side": "institution", "text": "Fortælle hvad Emil arbejder med", "how_often": "hver måned"},
            {"side": "family", "text": "Læse højt", "who": "Anna", "how_often": "hver dag"},
        ],
        **wishes(**extra),
    )


def proposed(cast, **extra):
    agreement = draft(cast, **extra)
    return services.agreement_propose(request=req(cast.carla), agreement=agreement, actor_role="Pædagog")


def accept(agreement, user, role):
    return services.agreement_accept(
        request=req(user), agreement=agreement, role=role, revision=agreement.revision, actor_role="x"
    )


def test_agreement_create_saves_a_draft_with_commitments_and_audits(cast):
    agreement = draft(cast)
    assert agreement.status == Status.DRAFT and agreement.revision == 1
    assert agreement.commitments.count() == 2
    assert AccessEvent.objects.filter(child=cast.emil, action="create", subject="agreement").count() == 1


def test_agreement_create_refuses_care_topics_without_the_parents_opt_in(cast):
    with pytest.raises(ValidationError) as e:
        draft(cast, guidance_topics=["language", "sleep"])
    assert "guidance_topics" in e.value.error_dict
    assert not ExpectationAgreement.objects.exists()
    agreement = draft(cast, guidance_topics=["language", "sleep"], care_topics_wanted=True)
    assert agreement.guidance_topics == ["language", "sleep"]


def test_agreement_create_refuses_unknown_topics_and_review_before_start(cast):
    with pytest.raises(ValidationError):
        draft(cast, guidance_topics=["gossip"])
    today = timezone.localdate()
    with pytest.raises(ValidationError):
        draft(cast, starts_on=today, review_due_on=today - datetime.timedelta(days=1))
    assert not ExpectationAgreement.objects.exists()


def test_agreement_propose_needs_a_commitment_and_sets_proposed_at(cast):
    empty = services.agreement_create(
        request=req(cast.carla), child=cast.emil, institution=cast.solsikken, actor_role="x", **wishes()
    )
    with pytest.raises(ValidationError):
        services.agreement_propose(request=req(cast.carla), agreement=empty, actor_role="x")
    agreement = proposed(cast)
    assert agreement.status == Status.PROPOSED and agreement.proposed_at is not None
    with pytest.raises(ValidationError):
        services.agreement_propose(request=req(cast.carla), agreement=agreement, actor_role="x")


def test_agreement_is_in_force_only_when_every_custody_holder_and_staff_accepted(cast):
    second = f.UserFactory(first_name="Jonas")
    f.GuardianshipFactory(child=cast.emil, user=second, relation="father", has_custody=True)
    agreement = proposed(cast)
    accept(agreement, cast.anna, GUARDIAN)
    accept(agreement, cast.carla, STAFF)
    agreement.refresh_from_db()
    # Jonas, the second parent with custody, has not answered yet.
    assert agreement.status == Status.PROPOSED and agreement.agreed_at is None
    accept(agreement, second, GUARDIAN)
    agreement.refresh_from_db()
    assert agreement.status == Status.IN_FORCE and agreement.agreed_at is not None


def test_agreement_needs_a_staff_acceptance_too(cast):
    agreement = proposed(cast)
    accept(agreement, cast.anna, GUARDIAN)
    agreement.refresh_from_db()
    assert agreement.status == Status.PROPOSED
    accept(agreement, cast.lene, STAFF)
    agreement.refresh_from_db()
    assert agreement.status == Status.IN_FORCE


def test_accepting_twice_records_one_acceptance(cast):
    agreement = proposed(cast)
    accept(agreement, cast.anna, GUARDIAN)
    accept(agreement, cast.anna, GUARDIAN)
    assert AgreementAcceptance.objects.filter(agreement=agreement, user=cast.anna).count() == 1


def test_a_new_agreement_in_force_supersedes_the_old_one(cast):
    old = proposed(cast)
    accept(old, cast.anna, GUARDIAN)
    accept(old, cast.carla, STAFF)
    new = proposed(cast)
    accept(new, cast.anna, GUARDIAN)
    accept(new, cast.carla, STAFF)
    old.refresh_from_db()
    new.refresh_from_db()
    assert old.status == Status.SUPERSEDED
    assert new.status == Status.IN_FORCE and new.supersedes == old
    assert ExpectationAgreement.objects.in_force().filter(child=cast.emil).count() == 1


def test_editing_a_proposed_agreement_bumps_the_revision_and_old_acceptances_stop_counting(cast):
    agreement = proposed(cast)
    accept(agreement, cast.carla, STAFF)
    updated = services.agreement_update(
        request=req(cast.anna),
        agreement=agreement,
        based_on_revision=1,
        actor_role="Mor",
        **wishes(family_words="Vi vil gerne have en tolk"),
    )
    assert updated.revision == 2 and updated.family_words == "Vi vil gerne have en tolk"
    accept(updated, cast.anna, GUARDIAN)
    updated.refresh_from_db()
    assert updated.status == Status.PROPOSED  # Carla accepted revision 1 only
    accept(updated, cast.carla, STAFF)
    updated.refresh_from_db()
    assert updated.status == Status.IN_FORCE


def test_a_save_based_on_an_older_revision_is_refused_and_changes_nothing(cast):
    agreement = proposed(cast)
    services.agreement_update(
        request=req(cast.anna),
        agreement=agreement,
        based_on_revision=1,
        actor_role="x",
        **wishes(family_words="Annas ord"),
    )
    with pytest.raises(ValidationError) as e:
        services.agreement_update(
            request=req(cast.carla),
            agreement=agreement,
            based_on_revision=1,
            actor_role="x",
            new_commitments=[{"side": "family", "text": "Carlas forslag"}],
            **wishes(family_words="Carlas ord"),
        )
    assert e.value.code == "conflict"
    agreement.refresh_from_db()
    assert agreement.revision == 2 and agreement.family_words == "Annas ord"
    assert not Commitment.objects.filter(text="Carlas forslag").exists()


def test_accepting_an_older_revision_is_refused(cast):
    agreement = proposed(cast)
    services.agreement_update(
        request=req(cast.carla), agreement=agreement, based_on_revision=1, actor_role="x", **wishes()
    )
    with pytest.raises(ValidationError):
        services.agreement_accept(
            request=req(cast.anna), agreement=agreement, role=GUARDIAN, revision=1, actor_role="x"
        )
    assert not AgreementAcceptance.objects.exists()


def test_an_agreement_in_force_cannot_be_edited(cast):
    agreement = proposed(cast)
    accept(agreement, cast.anna, GUARDIAN)
    accept(agreement, cast.carla, STAFF)
    agreement.refresh_from_db()
    with pytest.raises(ValidationError):
        services.agreement_update(
            request=req(cast.carla),
            agreement=agreement,
            based_on_revision=agreement.revision,
            actor_role="x",
            **wishes(),
        )


def test_edit_removes_and_adds_commitments(cast):
    agreement = draft(cast)
    suggestion = CommitmentSuggestion.objects.filter(side="family").first()
    first = agreement.commitments.first()
    services.agreement_update(
        request=req(cast.carla),
        agreement=agreement,
        based_on_revision=1,
        actor_role="x",
        suggestions=[suggestion],
        remove_commitment_ids=[first.pk],
        **wishes(),
    )
    texts = set(agreement.commitments.values_list("text", flat=True))
    assert first.text not in texts and suggestion.text in texts


def test_guardian_without_custody_cannot_decide_but_can_comment(cast):
    agreement = proposed(cast)
    access = policies.AgreementAccess(cast.mikkel, agreement)
    assert not access.can_accept and not access.can_edit and not access.can_mark_progress
    assert access.can_comment
    assert policies.can_accept(cast.anna, agreement)
    assert not policies.can_accept(cast.dorte, agreement)  # another institution


def test_carla_sees_ida_agreement_but_only_lene_decides(cast):
    ida = ExpectationAgreement.objects.create(
        child=cast.ida, institution=cast.solsikken, review_due_on=timezone.localdate()
    )
    assert policies.agreements_visible_to(cast.carla).filter(pk=ida.pk).exists()
    assert not policies.AgreementAccess(cast.carla, ida).decides
    assert policies.AgreementAccess(cast.lene, ida).decides
    assert not policies.agreements_visible_to(cast.erik).exists()
    assert not policies.agreements_visible_to(cast.dorte).filter(pk=ida.pk).exists()


def test_commitment_progress_is_saved_with_who_and_when(cast):
    agreement = proposed(cast)
    commitment = agreement.commitments.first()
    services.commitment_mark_progress(
        request=req(cast.anna),
        commitment=commitment,
        progress="hard",
        note="Svært om aftenen",
        actor_role="x",
    )
    commitment.refresh_from_db()
    assert commitment.progress == "hard" and commitment.progress_by == cast.anna and commitment.progress_at
    with pytest.raises(ValidationError):
        services.commitment_mark_progress(
            request=req(cast.anna), commitment=commitment, progress="bogus", note="", actor_role="x"
        )


def test_suggestions_fit_the_childs_age_kind_and_municipality(cast):
    mine = CommitmentSuggestion.objects.create(municipality=cast.aarhus, side="family", text="Aarhus-forslag")
    other = CommitmentSuggestion.objects.create(municipality=cast.other, side="family", text="Skanderborg")
    school_only = CommitmentSuggestion.objects.create(
        side="family", text="Kun skole", institution_kinds=["school"]
    )
    baby_only = CommitmentSuggestion.objects.create(side="family", text="Kun baby", age_to_months=12)
    shown = selectors.suggestions_for(cast.emil, cast.solsikken)  # Emil is four, in integrated daycare
    assert mine in shown and other not in shown and school_only not in shown and baby_only not in shown
    assert school_only in selectors.suggestions_for(cast.freja, cast.school)
    assert shown[0].side == "institution"  # the institution's suggestions first


def test_age_in_months(cast):
    child = f.ChildFactory(birth_date=datetime.date(2020, 5, 20))
    assert selectors.age_in_months(child, datetime.date(2021, 5, 19)) == 11
    assert selectors.age_in_months(child, datetime.date(2021, 5, 20)) == 12
    assert selectors.age_in_months(cast.baby) == 0
