"""Every write to an expectation agreement. Each runs in a transaction and is audited with it; the
notices and reminders about an agreement are in ``agreement_notices.py``.

Concurrency: edits are optimistic (a conditional ``UPDATE … WHERE revision = n`` that bumps the
revision, so a save based on an older revision is refused and nothing is lost); acceptance locks the
child's row, so two people accepting two agreements of the same child at once are serialised and the
"one agreement in force per child and institution" constraint never surfaces as an error.
"""

from collections.abc import Iterable, Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from children.models import Child, Guardianship
from expectations.models import (
    AgreementAcceptance,
    AgreementComment,
    Commitment,
    CommitmentSuggestion,
    ExpectationAgreement,
)
from portal.audit.models import AccessEvent
from portal.audit.services import access_record
from portal.enqueue import enqueue

Status = ExpectationAgreement.Status
EDITABLE = (Status.DRAFT, Status.PROPOSED)
WISH_FIELDS = (
    "starts_on",
    "review_due_on",
    "preferred_language",
    "interpreter_wanted",
    "contact_form",
    "contact_frequency",
    "guidance_topics",
    "care_topics_wanted",
    "family_words",
    "extra_support",
)
MAX_COMMITMENTS = 40

CONFLICT_MESSAGE = gettext_lazy(
    "Someone else changed this agreement while you were working on it. Here is the current version: "
    "check it and save your changes again."
)


def _validate_fields(fields: dict) -> None:
    """The rules a form also checks, repeated here so no caller can bypass them."""
    errors = {}
    topics = fields.get("guidance_topics") or []
    if any(t not in ExpectationAgreement.Topic.values for t in topics):
        errors["guidance_topics"] = _("Choose topics from the list.")
    elif not fields.get("care_topics_wanted") and set(topics) & ExpectationAgreement.CARE_TOPICS:
        errors["guidance_topics"] = _(
            "Food, sleep and boundaries are only talked about when the parents ask for it. "
            "Tick that you would like to talk about them, or leave them out."
        )
    starts_on, review_due_on = fields.get("starts_on"), fields.get("review_due_on")
    if starts_on and review_due_on and review_due_on < starts_on:
        errors["review_due_on"] = _("The date to talk about it again must be after the start date.")
    if errors:
        raise ValidationError(errors)


def _audit(*, request, agreement, action, subject, object_id=None, actor_role="") -> None:
    access_record(
        request=request,
        child=agreement.child,
        action=action,
        subject=subject,
        object_id=object_id if object_id is not None else agreement.pk,
        actor_role=actor_role,
    )


def _apply_commitments(
    agreement: ExpectationAgreement,
    *,
    suggestions: Sequence[CommitmentSuggestion] = (),
    new_commitments: Sequence[dict] = (),
    remove_ids: Iterable[int] = (),
) -> None:
    remove_ids = list(remove_ids)
    if remove_ids:
        agreement.commitments.filter(pk__in=remove_ids).delete()
    existing = agreement.commitments.count()
    if existing + len(suggestions) + len(new_commitments) > MAX_COMMITMENTS:
        raise ValidationError(
            _("An agreement can hold at most %(n)d commitments. Keep it short and concrete.")
            % {"n": MAX_COMMITMENTS}
        )
    rows = [
        Commitment(
            agreement=agreement,
            side=s.side,
            text=s.text,
            how_often=s.how_often,
            suggestion=s,
            position=existing + i,
        )
        for i, s in enumerate(suggestions)
    ]
    rows += [
        Commitment(
            agreement=agreement,
            side=c["side"],
            text=c["text"],
            who=c.get("who", ""),
            how_often=c.get("how_often", ""),
            position=existing + len(rows) + i,
        )
        for i, c in enumerate(new_commitments)
    ]
    for row in rows:
        row.full_clean(exclude=["agreement", "suggestion"])
    Commitment.objects.bulk_create(rows)


@transaction.atomic
def agreement_create(
    *,
    request,
    child: Child,
    institution,
    actor_role: str,
    suggestions: Sequence[CommitmentSuggestion] = (),
    new_commitments: Sequence[dict] = (),
    **fields,
) -> ExpectationAgreement:
    """Start a draft agreement with its commitments and the family's wishes; audited."""
    fields = {k: v for k, v in fields.items() if k in WISH_FIELDS}
    _validate_fields(fields)
    agreement = ExpectationAgreement(
        child=child, institution=institution, created_by=request.user, status=Status.DRAFT, **fields
    )
    agreement.full_clean(validate_constraints=False)
    agreement.save()
    _apply_commitments(agreement, suggestions=suggestions, new_commitments=new_commitments)
    _audit(
        request=request,
        agreement=agreement,
        action=AccessEvent.Action.CREATE,
        subject="agreement",
        actor_role=actor_role,
    )
    return agreement


@transaction.atomic
def agreement_update(
    *,
    request,
    agreement: ExpectationAgreement,
    based_on_revision: int,
    actor_role: str,
    suggestions: Sequence[CommitmentSuggestion] = (),
    new_commitments: Sequence[dict] = (),
    remove_commitment_ids: Iterable[int] = (),
    **fields,
) -> ExpectationAgreement:
    """Change a draft or proposed agreement, only if nobody changed it since ``based_on_revision``.

    A conditional UPDATE bumps the revision, so earlier acceptances stop counting and a concurrent
    save based on the same revision is refused (ValidationError with code "conflict").
    """
    fields = {k: v for k, v in fields.items() if k in WISH_FIELDS}
    _validate_fields(fields)
    for name in ("family_words", "extra_support"):
        if name in fields and len(fields[name]) > 2000:
            raise ValidationError({name: _("Please keep it under 2000 characters.")})
    claimed = ExpectationAgreement.objects.filter(
        pk=agreement.pk, revision=based_on_revision, status__in=EDITABLE
    ).update(revision=F("revision") + 1, updated_at=timezone.now(), **fields)
    if not claimed:
        raise ValidationError(CONFLICT_MESSAGE, code="conflict")
    agreement = ExpectationAgreement.objects.select_related("child", "institution").get(pk=agreement.pk)
    _apply_commitments(
        agreement,
        suggestions=suggestions,
        new_commitments=new_commitments,
        remove_ids=remove_commitment_ids,
    )
    _audit(
        request=request,
        agreement=agreement,
        action=AccessEvent.Action.UPDATE,
        subject="agreement",
        actor_role=actor_role,
    )
    return agreement


def _lock_child(agreement: ExpectationAgreement) -> None:
    """Acceptances of one child's agreements run one at a time (the child's row, then the agreement's)."""
    list(Child.objects.select_for_update().filter(pk=agreement.child_id).values_list("pk", flat=True))


@transaction.atomic
def agreement_propose(
    *, request, agreement: ExpectationAgreement, actor_role: str, accept: bool = False, role: str = ""
) -> ExpectationAgreement:
    """Send a draft to everyone who must accept it (status proposed, proposed_at now); audited.

    With ``accept`` the proposer's own acceptance (as ``role``) is recorded in the same transaction:
    proposing "as it stands" is a yes, and nobody has to come back to say it again.
    """
    if not agreement.commitments.exists():
        raise ValidationError(_("Add at least one commitment before you propose the agreement."))
    _lock_child(agreement)
    claimed = ExpectationAgreement.objects.filter(pk=agreement.pk, status=Status.DRAFT).update(
        status=Status.PROPOSED, proposed_at=timezone.now(), updated_at=timezone.now()
    )
    if not claimed:
        raise ValidationError(_("This agreement has already been proposed."), code="conflict")
    agreement.refresh_from_db()
    _audit(
        request=request,
        agreement=agreement,
        action=AccessEvent.Action.UPDATE,
        subject="agreement_propose",
        actor_role=actor_role,
    )
    if accept:
        if role not in AgreementAcceptance.Role.values:
            raise ValueError(f"unknown acceptance role {role!r}")
        _record_acceptance(request=request, agreement=agreement, role=role, actor_role=actor_role)
    enqueue("expectations.notify_agreement_proposed", agreement.pk, request.user.pk)
    return agreement


def _record_acceptance(*, request, agreement, role: str, actor_role: str) -> bool:
    """The user's yes to the agreement's current revision, audited; False if it was there already."""
    acceptance, created = AgreementAcceptance.objects.get_or_create(
        agreement=agreement, user=request.user, revision=agreement.revision, defaults={"role": role}
    )
    if created:
        _audit(
            request=request,
            agreement=agreement,
            action=AccessEvent.Action.CREATE,
            subject="agreement_acceptance",
            object_id=acceptance.pk,
            actor_role=actor_role,
        )
    return created


def custody_holder_ids(child_id: int) -> set[int]:
    return set(
        Guardianship.objects.active()
        .filter(child_id=child_id, has_custody=True)
        .values_list("user_id", flat=True)
    )


def missing_answers(agreement: ExpectationAgreement) -> tuple[set[int], bool]:
    """Who has not accepted the current revision: the custody holders by id, and whether staff has not."""
    accepted = AgreementAcceptance.objects.filter(agreement=agreement, revision=agreement.revision)
    rows = list(accepted.values_list("user_id", "role"))
    guardians = {u for u, r in rows if r == AgreementAcceptance.Role.GUARDIAN}
    staff = any(r == AgreementAcceptance.Role.STAFF for _u, r in rows)
    return custody_holder_ids(agreement.child_id) - guardians, not staff


def everyone_has_accepted(agreement: ExpectationAgreement) -> bool:
    """Every guardian with custody (at least one) and at least one staff member accepted this revision."""
    accepted = AgreementAcceptance.objects.filter(agreement=agreement, revision=agreement.revision)
    guardians = set(accepted.filter(role=AgreementAcceptance.Role.GUARDIAN).values_list("user_id", flat=True))
    staff = accepted.filter(role=AgreementAcceptance.Role.STAFF).exists()
    holders = custody_holder_ids(agreement.child_id)
    return bool(holders) and holders <= guardians and staff


@transaction.atomic
def agreement_accept(
    *, request, agreement: ExpectationAgreement, role: str, revision: int, actor_role: str
) -> ExpectationAgreement:
    """Record the user's acceptance of the revision they read; put the agreement in force when complete.

    Locks the child's row (then the agreement's) so acceptances of the same child's agreements run one
    at a time: the older agreement in force is superseded in the same transaction. After commit, the
    person whose answer is now the last one missing is told, or, when it is in force, everyone else.
    """
    _lock_child(agreement)
    agreement = (
        ExpectationAgreement.objects.select_for_update()
        .select_related("child", "institution")
        .get(pk=agreement.pk)
    )
    if agreement.status != Status.PROPOSED:
        raise ValidationError(_("This agreement is not waiting for answers any more."), code="status")
    if agreement.revision != revision:
        raise ValidationError(
            _("The agreement was changed after you opened it. Read the current version and accept again."),
            code="conflict",
        )
    created = _record_acceptance(request=request, agreement=agreement, role=role, actor_role=actor_role)
    if everyone_has_accepted(agreement):
        _put_in_force(agreement)
    elif not created or (
        role == AgreementAcceptance.Role.STAFF
        and AgreementAcceptance.objects.filter(agreement=agreement, revision=revision, role=role).count() > 1
    ):
        return agreement  # nobody's answer became the last one missing
    enqueue("expectations.notify_agreement_answered", agreement.pk, request.user.pk)
    return agreement


def _put_in_force(agreement: ExpectationAgreement) -> None:
    now = timezone.now()
    older = (
        ExpectationAgreement.objects.select_for_update()
        .filter(child_id=agreement.child_id, institution_id=agreement.institution_id, status=Status.IN_FORCE)
        .exclude(pk=agreement.pk)
        .first()
    )
    if older is not None:
        # First step the old one down: the partial unique constraint allows one in force at a time.
        older.status = Status.SUPERSEDED
        older.save(update_fields=["status", "updated_at"])
        agreement.supersedes = older
    agreement.status = Status.IN_FORCE
    agreement.agreed_at = now
    agreement.save(update_fields=["status", "agreed_at", "supersedes", "updated_at"])


@transaction.atomic
def agreement_comment(
    *, request, agreement: ExpectationAgreement, text: str, asks_for_change: bool, actor_role: str
) -> AgreementComment:
    """Add a comment or a request for changes, from either side; audited."""
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write your comment.")})
    if len(text) > 2000:
        raise ValidationError({"text": _("Please keep it under 2000 characters.")})
    comment = AgreementComment.objects.create(
        agreement=agreement, author=request.user, text=text, asks_for_change=bool(asks_for_change)
    )
    _audit(
        request=request,
        agreement=agreement,
        action=AccessEvent.Action.CREATE,
        subject="agreement_comment",
        object_id=comment.pk,
        actor_role=actor_role,
    )
    return comment


@transaction.atomic
def commitment_mark_progress(
    *, request, commitment: Commitment, progress: str, note: str, actor_role: str
) -> Commitment:
    """Mark how a commitment goes (going well / hard for us / not started) with a short note; audited."""
    if progress not in Commitment.Progress.values:
        raise ValidationError({"progress": _("Choose one of the answers in the list.")})
    note = (note or "").strip()
    if len(note) > 500:
        raise ValidationError({"note": _("Please keep the note under 500 characters.")})
    commitment = (
        Commitment.objects.select_for_update().select_related("agreement__child").get(pk=commitment.pk)
    )
    commitment.progress = progress
    commitment.progress_note = note
    commitment.progress_by = request.user
    commitment.progress_at = timezone.now()
    commitment.save(update_fields=["progress", "progress_note", "progress_by", "progress_at"])
    _audit(
        request=request,
        agreement=commitment.agreement,
        action=AccessEvent.Action.UPDATE,
        subject="agreement_commitment",
        object_id=commitment.pk,
        actor_role=actor_role,
    )
    return commitment
