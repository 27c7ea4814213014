"""Every write to an expectation agreement. Each runs in a transaction and is audited with it.

Concurrency: edits are optimistic (a conditional ``UPDATE … WHERE revision = n`` that bumps the
revision, so a save based on an older revision is refused and nothing is lost); acceptance locks the
child's row, so two people accepting two agreements of the same child at once are serialised and the
"one agreement in force per child and institution" constraint never surfaces as an error.
"""

import logging
from collections.abc import Iterable, Sequence
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from children.models import Child, Guardianship
from expectations.models import (
    AgreementAcceptance,
    AgreementComment,
    AgreementReminder,
    Commitment,
    CommitmentSuggestion,
    ExpectationAgreement,
)
from expectations.policies.agreements import deciding_staff_ids
from portal.audit.models import AccessEvent
from portal.audit.services import access_record
from portal.context_processors import site
from portal.enqueue import enqueue
from portal.meetings.models import Notification

logger = logging.getLogger(__name__)

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
REMINDER_AFTER = timedelta(days=7)

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


# ---------------------------------------------------------------------------------------------------
# Reminders
# ---------------------------------------------------------------------------------------------------
def _reminder_candidates(now) -> set[tuple[int, int]]:
    """(agreement, guardian) pairs owed a reminder: a custody holder who has neither accepted the current
    revision nor commented since the proposal, 7 days or more after it was proposed, and not yet reminded."""
    Kind = AgreementReminder.Kind
    rows = (
        ExpectationAgreement.objects.filter(
            status=Status.PROPOSED,
            proposed_at__lte=now - REMINDER_AFTER,
            child__guardianships__ended_on__isnull=True,
            child__guardianships__has_custody=True,
        )
        .annotate(guardian_id=F("child__guardianships__user_id"))
        .exclude(
            Exists(
                AgreementAcceptance.objects.filter(
                    agreement=OuterRef("pk"), user=OuterRef("guardian_id"), revision=OuterRef("revision")
                )
            )
        )
        .exclude(
            Exists(
                AgreementComment.objects.filter(
                    agreement=OuterRef("pk"),
                    author=OuterRef("guardian_id"),
                    created_at__gte=OuterRef("proposed_at"),
                )
            )
        )
        .exclude(
            Exists(
                AgreementReminder.objects.filter(
                    agreement=OuterRef("pk"),
                    user=OuterRef("guardian_id"),
                    kind=Kind.ANSWER,
                    sent_at__isnull=False,
                )
            )
        )
        .values_list("pk", "guardian_id")
    )
    return set(rows)


def agreement_reminders_send(*, now=None) -> int:
    """Remind each custody holder who has not answered a proposed agreement after 7 days, exactly once.

    The reminder row is the claim: rows are inserted with ``ignore_conflicts`` (the unique constraint
    on agreement + user + kind), then the unsent ones are claimed under ``select_for_update(skip_locked)``
    by setting ``sent_at`` in the same transaction. E-mails go out after commit; a failed send releases
    its claim so the next sweep tries again. Two sweeps, sequential or concurrent, never send twice.
    """
    now = now or timezone.now()
    with transaction.atomic():
        candidates = _reminder_candidates(now)
        claimed = _released_notices()
        if not candidates:
            return len(claimed)
        AgreementReminder.objects.bulk_create(
            [
                AgreementReminder(
                    agreement_id=a, user_id=u, kind=AgreementReminder.Kind.ANSWER, claimed_at=now
                )
                for a, u in candidates
            ],
            ignore_conflicts=True,
        )
        pending = (
            AgreementReminder.objects.select_for_update(skip_locked=True)
            .filter(
                kind=AgreementReminder.Kind.ANSWER,
                sent_at__isnull=True,
                agreement_id__in={a for a, _u in candidates},
            )
            .values_list("pk", "agreement_id", "user_id")
        )
        answers = [pk for pk, a, u in pending if (a, u) in candidates]
        AgreementReminder.objects.filter(pk__in=answers, sent_at__isnull=True).update(sent_at=now)
        transaction.on_commit(lambda: _send_reminders(answers))
    return len(answers) + len(claimed)


def _released_notices() -> list[int]:
    """Claim again the other notices whose send failed (and released its claim), while they still
    apply: the proposal and last-answer notices of agreements waiting for answers, the in-force ones."""
    Kind = AgreementReminder.Kind
    released = list(
        AgreementReminder.objects.select_for_update(skip_locked=True, of=("self",))
        .filter(sent_at__isnull=True)
        .filter(
            Q(kind__in=[Kind.PROPOSED, Kind.LAST_ANSWER], agreement__status=Status.PROPOSED)
            | Q(kind=Kind.IN_FORCE, agreement__status=Status.IN_FORCE)
        )
        .values_list("pk", flat=True)
    )
    if released:
        AgreementReminder.objects.filter(pk__in=released).update(sent_at=timezone.now())
        transaction.on_commit(lambda: _send_reminders(released))
    return released


def agreement_url(agreement_id: int) -> str:
    return settings.SITE_URL + reverse("expectations:agreement_detail", args=[agreement_id])


def _claim_notices(agreement: ExpectationAgreement, user_ids: set[int], kind: str) -> list[int]:
    """Claim one notice of ``kind`` per user: the row under its unique constraint is the claim, marked
    sent in this transaction; a row already there (sent, or being sent by someone else) is skipped."""
    if not user_ids:
        return []
    AgreementReminder.objects.bulk_create(
        [AgreementReminder(agreement=agreement, user_id=u, kind=kind) for u in user_ids],
        ignore_conflicts=True,
    )
    claimed = list(
        AgreementReminder.objects.select_for_update(skip_locked=True)
        .filter(agreement=agreement, kind=kind, sent_at__isnull=True, user_id__in=user_ids)
        .values_list("pk", flat=True)
    )
    if claimed:
        AgreementReminder.objects.filter(pk__in=claimed).update(sent_at=timezone.now())
        transaction.on_commit(lambda: _send_reminders(claimed))
    return claimed


def agreement_proposal_notices_send(*, agreement_id: int, proposer_id: int | None = None) -> int:
    """Tell every custody holder but the proposer, once, that an agreement waits for their answer; and
    when only staff's answer is missing (a parent proposed and accepted), the staff who may accept it.

    The same claim as the reminders: one row per (agreement, person, kind) under a unique constraint,
    sent after commit; running it again, or concurrently, never sends twice.
    """
    Kind = AgreementReminder.Kind
    with transaction.atomic():
        agreement = ExpectationAgreement.objects.filter(pk=agreement_id, status=Status.PROPOSED).first()
        if agreement is None:
            return 0
        claimed = _claim_notices(
            agreement, custody_holder_ids(agreement.child_id) - {proposer_id}, Kind.PROPOSED
        )
        guardians, staff = missing_answers(agreement)
        if staff and not guardians:
            claimed += _claim_notices(
                agreement, deciding_staff_ids(agreement) - {proposer_id}, Kind.LAST_ANSWER
            )
    return len(claimed)


def agreement_answer_notices_send(*, agreement_id: int, actor_id: int | None = None) -> int:
    """After an acceptance: when one answer is missing, tell that custody holder (or, when it is staff's,
    the staff who may accept); when the agreement came into force, tell everyone who decided it but the
    one who accepted last. Each person gets each kind once per agreement (the row is the claim)."""
    Kind = AgreementReminder.Kind
    with transaction.atomic():
        agreement = ExpectationAgreement.objects.filter(pk=agreement_id).first()
        if agreement is None:
            return 0
        if agreement.status == Status.IN_FORCE:
            accepted = AgreementAcceptance.objects.filter(agreement=agreement, revision=agreement.revision)
            users = custody_holder_ids(agreement.child_id) | set(accepted.values_list("user_id", flat=True))
            return len(_claim_notices(agreement, users - {actor_id}, Kind.IN_FORCE))
        if agreement.status != Status.PROPOSED:
            return 0
        guardians, staff = missing_answers(agreement)
        if len(guardians) + staff != 1:
            return 0
        users = guardians or deciding_staff_ids(agreement)
        return len(_claim_notices(agreement, users - {actor_id}, Kind.LAST_ANSWER))


def _send_reminders(reminder_ids: list[int]) -> None:
    reminders = AgreementReminder.objects.filter(pk__in=reminder_ids).select_related(
        "user", "agreement__child", "agreement__institution"
    )
    for reminder in reminders:
        try:
            _send_reminder(reminder)
        except Exception:
            # Release the claim: the next sweep sends it instead (the inbox copy is kept, once).
            logger.exception("agreement notice %s not sent", reminder.pk)
            AgreementReminder.objects.filter(pk=reminder.pk).update(sent_at=None)


# Per kind: the subject, the e-mail template and the inbox's kind. The line in the inbox is below.
_NOTICES = {
    AgreementReminder.Kind.PROPOSED: (
        gettext_lazy("A new agreement about %(name)s to read and answer"),
        "expectations/email/agreement_proposed",
        Notification.Kind.AGREEMENT_PROPOSED,
    ),
    AgreementReminder.Kind.ANSWER: (
        gettext_lazy("Please answer the agreement about %(name)s"),
        "expectations/email/agreement_reminder",
        Notification.Kind.AGREEMENT_REMINDER,
    ),
    AgreementReminder.Kind.LAST_ANSWER: (
        gettext_lazy("Only your answer is missing: the agreement about %(name)s"),
        "expectations/email/agreement_notice",
        Notification.Kind.AGREEMENT_LAST_ANSWER,
    ),
    AgreementReminder.Kind.IN_FORCE: (
        gettext_lazy("The agreement about %(name)s is in force"),
        "expectations/email/agreement_notice",
        Notification.Kind.AGREEMENT_IN_FORCE,
    ),
}


def notice_line(kind: str, agreement: ExpectationAgreement, *, staff: bool) -> str:
    """The notice in one or two sentences, in the active language (the inbox shows it, and the e-mail)."""
    names = {"name": agreement.child.first_name, "place": agreement.institution.name}
    Kind = AgreementReminder.Kind
    if kind == Kind.PROPOSED:
        return (
            _("%(place)s has proposed an agreement about what you and the staff each do for %(name)s.")
            % names
        )
    if kind == Kind.ANSWER:
        return _("We have not heard from you about the agreement about %(name)s yet.") % names
    if kind == Kind.LAST_ANSWER and staff:
        return (
            _(
                "The parents have accepted the agreement about %(name)s at %(place)s. It is in force as soon "
                "as a member of staff accepts it: you or a colleague."
            )
            % names
        )
    if kind == Kind.LAST_ANSWER:
        return (
            _(
                "Everyone else has accepted the agreement about %(name)s. "
                "It is in force as soon as you accept it."
            )
            % names
        )
    return _("Everyone has accepted the agreement about %(name)s at %(place)s. It is in force now.") % names


def _send_reminder(reminder: AgreementReminder) -> None:
    """The inbox copy (once: its key) and, if the person wants e-mail, the e-mail, in their language."""
    agreement, user = reminder.agreement, reminder.user
    subject_text, template, notification_kind = _NOTICES[reminder.kind]
    staff = not Guardianship.objects.with_information().filter(user=user, child=agreement.child_id).exists()
    with translation.override(user.language or settings.LANGUAGE_CODE):
        subject = str(subject_text) % {"name": agreement.child.first_name}
        line = notice_line(reminder.kind, agreement, staff=staff)
        Notification.objects.bulk_create(
            [
                Notification(
                    user=user,
                    kind=notification_kind,
                    key=f"agreement-notice-{reminder.pk}",
                    title=subject[:200],
                    body=line,
                    url=reverse("expectations:agreement_detail", args=[agreement.pk]),
                )
            ],
            ignore_conflicts=True,
        )
        if not user.reached_by_email:
            return
        context = {
            "user": user,
            "agreement": agreement,
            "child": agreement.child,
            "institution": agreement.institution,
            "url": agreement_url(agreement.pk),
            **site(),
            "line": line,
        }
        text = render_to_string(f"{template}.txt", context)
        html = render_to_string(f"{template}.html", context)
    message = EmailMultiAlternatives(subject, text, to=[user.email])
    message.attach_alternative(html, "text/html")
    message.send()
