"""Notices and reminders about expectation agreements: the custody holders hear of a proposal, the
person whose answer is the last one missing is told, everyone hears when an agreement is in force,
and a custody holder who has not answered after 7 days is reminded once.

Each notice is claimed by its row (one per agreement, person and kind, under a unique constraint),
marked sent in the claiming transaction, and sent after commit: in the person's inbox (once: its key)
and, if they want e-mail, by e-mail. A failed e-mail releases the claim, so the next sweep sends it.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from children.models import Guardianship
from expectations.models import AgreementAcceptance, AgreementComment, AgreementReminder, ExpectationAgreement
from expectations.policies.agreements import deciding_staff_ids
from expectations.services.agreements import custody_holder_ids, missing_answers
from portal.context_processors import site
from portal.meetings.models import Notification
from portal.notices.selectors import wants_email_now
from portal.notices.topics import Topic

logger = logging.getLogger(__name__)

Status = ExpectationAgreement.Status
REMINDER_AFTER = timedelta(days=7)


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
    """The inbox copy (once: its key) and, if the person wants agreements by e-mail at once and it is
    not their quiet hours, the e-mail, in their language (else the notification centre sends it: in
    the morning, in the daily summary, or not at all)."""
    agreement, user = reminder.agreement, reminder.user
    subject_text, template, notification_kind = _NOTICES[reminder.kind]
    email_now = wants_email_now(user, Topic.AGREEMENTS)
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
                    sent_by="email" if email_now else "",
                )
            ],
            ignore_conflicts=True,
        )
        if not email_now:
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
