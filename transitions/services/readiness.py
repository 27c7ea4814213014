"""Every write to a school readiness assessment (Dagtilbudsloven § 29 a): the parents ask, the daycare
leader starts it, each voice writes its part (every save kept with who and when), the leader marks it
complete, each custody holder confirms having seen it (and may disagree), and the receiving school's
leader records the decision made with the parents.

Each service runs in one transaction, locks the assessment where two people may act at once, records an
access event and puts notices in the inboxes of whoever must act next.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from children.models import Guardianship
from portal.audit.models import AccessEvent
from portal.audit.services import access_record
from portal.meetings.models import Notification
from portal.meetings.services.inbox import inbox_notify
from portal.organisation.models import StaffMembership
from transitions.models import (
    ReadinessAssessment,
    ReadinessConfirmation,
    ReadinessEdit,
    ReadinessPart,
    Transition,
)

Status = ReadinessAssessment.Status
Kind = ReadinessPart.Kind


def _name(user) -> str:
    return (user.get_full_name() or user.email)[:200]


def _url(assessment) -> str:
    return reverse("transitions:readiness_detail", args=[assessment.pk])


def _leader_ids(institution_id) -> list[int]:
    return sorted(
        set(
            StaffMembership.objects.active()
            .filter(institution_id=institution_id, role=StaffMembership.Role.LEADER)
            .values_list("user_id", flat=True)
        )
    )


def _guardians(child_id, *, custody_only=False):
    rows = Guardianship.objects.with_information().filter(child_id=child_id)
    if custody_only:
        rows = rows.filter(has_custody=True)
    return rows


def _has_custody(user, child_id) -> bool:
    return _guardians(child_id, custody_only=True).filter(user=user).exists()


def _people(ids):
    from portal.accounts.models import User

    return User.objects.filter(pk__in=set(ids)).order_by("pk")


def _check_transition(transition: Transition) -> None:
    if transition.kind != Transition.Kind.DAYCARE_TO_SCHOOL:
        raise ValidationError(_("A school readiness assessment belongs to a move from daycare to school."))
    if transition.status == Transition.Status.CANCELLED:
        raise ValidationError(_("The transition is cancelled."))


def _lock_transition(transition: Transition) -> Transition:
    return Transition.objects.select_for_update().select_related("child").get(pk=transition.pk)


def _record(request, assessment, action, subject, actor_role, child=None):
    access_record(
        request=request,
        child=child or assessment.transition.child,
        action=action,
        subject=subject,
        object_id=assessment.pk,
        actor_role=actor_role,
    )


@transaction.atomic
def readiness_request(*, request, transition: Transition, actor_role="") -> ReadinessAssessment:
    """A custody holder asks for an assessment; the daycare's leaders are told. Asking again, or when
    one exists, is refused."""
    transition = _lock_transition(transition)
    _check_transition(transition)
    if not _has_custody(request.user, transition.child_id):
        raise ValidationError(_("Only a parent with custody can ask for an assessment."))
    if ReadinessAssessment.objects.filter(transition=transition).exists():
        raise ValidationError(_("An assessment has already been asked for or started."))
    now = timezone.now()
    assessment = ReadinessAssessment.objects.create(
        transition=transition,
        reason=ReadinessAssessment.Reason.PARENTS_ASKED,
        status=Status.REQUESTED,
        requested_by_name=_name(request.user),
        requested_at=now,
    )
    _record(
        request,
        assessment,
        AccessEvent.Action.UPDATE,
        "readiness_request",
        actor_role,
        child=transition.child,
    )
    names = {"name": transition.child.first_name, "who": assessment.requested_by_name}
    inbox_notify(
        _people(_leader_ids(transition.sending_institution_id)),
        kind=Notification.Kind.READINESS,
        key=f"readiness-asked-{assessment.pk}",
        url=_url(assessment),
        text=lambda user: (
            _("%(name)s's parents ask for a school readiness assessment") % names,
            _("%(who)s asks for an assessment of whether %(name)s is ready to start school. Start it and "
              "write it together with the parents and the school.") % names,
        ),
    )  # fmt: skip
    return assessment


@transaction.atomic
def readiness_start(*, request, transition: Transition, actor_role="") -> ReadinessAssessment:
    """The daycare's leader starts the assessment (one asked for by the parents, or because readiness is
    in doubt): its leader parts are made, and the parents and the school's leaders are asked for their
    views."""
    transition = _lock_transition(transition)
    _check_transition(transition)
    now = timezone.now()
    assessment = ReadinessAssessment.objects.filter(transition=transition).first()
    if assessment is not None and assessment.status != Status.REQUESTED:
        raise ValidationError(_("The assessment has already been started."))
    if assessment is None:
        try:
            with transaction.atomic():
                assessment = ReadinessAssessment.objects.create(
                    transition=transition, reason=ReadinessAssessment.Reason.DOUBT, status=Status.REQUESTED
                )
        except IntegrityError:
            raise ValidationError(_("The assessment has already been started.")) from None
    assessment.status = Status.OPEN
    assessment.started_at, assessment.started_by_name = now, _name(request.user)
    assessment.save(update_fields=["status", "started_at", "started_by_name"])
    ReadinessPart.objects.bulk_create(
        [
            ReadinessPart(assessment=assessment, kind=k)
            for k in (*ReadinessPart.LEADER_KINDS, Kind.SCHOOL_VIEW)
        ]
    )
    assessment.transition = transition
    _record(
        request, assessment, AccessEvent.Action.UPDATE, "readiness_start", actor_role, child=transition.child
    )
    parents = set(_guardians(transition.child_id, custody_only=True).values_list("user_id", flat=True))
    names = {"name": transition.child.first_name, "from": transition.sending_institution.name,
             "to": transition.receiving_institution.name}  # fmt: skip

    def text(user):
        if user.pk in parents:
            return (
                _("Add your view on %(name)s's school start") % names,
                _("%(from)s is assessing with you whether %(name)s is ready to start school. "
                  "Write your view as parents; you see every part as it is written.") % names,
            )  # fmt: skip
        return (
            _("School readiness of %(name)s, starting with you") % names,
            _("%(from)s is assessing whether %(name)s is ready to start school at %(to)s. "
              "Add your view as the school's leader.") % names,
        )  # fmt: skip

    inbox_notify(
        _people([*parents, *_leader_ids(transition.receiving_institution_id)]),
        kind=Notification.Kind.READINESS,
        key=f"readiness-started-{assessment.pk}",
        url=_url(assessment),
        text=text,
    )
    return assessment


def _lock_open(assessment: ReadinessAssessment) -> ReadinessAssessment:
    locked = (
        ReadinessAssessment.objects.select_for_update()
        .select_related(
            "transition__child", "transition__sending_institution", "transition__receiving_institution"
        )
        .get(pk=assessment.pk)
    )
    if locked.status != Status.OPEN or locked.transition.status == Transition.Status.CANCELLED:
        raise ValidationError(_("The assessment is complete and can no longer be changed."))
    return locked


@transaction.atomic
def readiness_part_save(
    *, request, assessment: ReadinessAssessment, kind: str, text: str, actor_role=""
) -> ReadinessPart:
    """One voice writes its part while the assessment is open; each change is kept with who and when.
    Who may write which part is the policy's (``can_write_part``); a parent writes only their own view."""
    assessment = _lock_open(assessment)
    now, name = timezone.now(), _name(request.user)
    if kind == Kind.PARENTS_VIEW:
        if not _has_custody(request.user, assessment.transition.child_id):
            raise ValidationError(_("Only a parent with custody can write the parents' view."))
        part, _created = ReadinessPart.objects.get_or_create(
            assessment=assessment, author=request.user, defaults={"kind": kind, "author_name": name}
        )
    elif kind in Kind.values:
        part = ReadinessPart.objects.get(assessment=assessment, kind=kind, author__isnull=True)
    else:
        raise ValidationError({"kind": _("Choose one of the parts of the assessment.")})
    text = text.strip()
    if text != part.text:
        part.text, part.updated_at, part.updated_by_name = text, now, name
        part.full_clean(exclude=["assessment", "author"])
        part.save(update_fields=["text", "updated_at", "updated_by_name"])
        ReadinessEdit.objects.create(part=part, actor=request.user, actor_name=name, at=now, text=text)
    _record(request, assessment, AccessEvent.Action.UPDATE, "readiness_part", actor_role)
    return part


@transaction.atomic
def readiness_complete(*, request, assessment: ReadinessAssessment, actor_role="") -> ReadinessAssessment:
    """The daycare's leader marks it complete once their two parts are written: nothing changes after,
    the custody holders are asked to confirm they have seen it and the school's leaders to decide."""
    assessment = _lock_open(assessment)
    transition = assessment.transition
    written = set(
        ReadinessPart.objects.filter(assessment=assessment, kind__in=ReadinessPart.LEADER_KINDS)
        .exclude(text="")
        .values_list("kind", flat=True)
    )
    if written != set(ReadinessPart.LEADER_KINDS):
        raise ValidationError(_("Write your assessment and what daycare will do before marking it complete."))
    now = timezone.now()
    assessment.status, assessment.completed_at, assessment.completed_by_name = (
        Status.COMPLETE,
        now,
        _name(request.user),
    )
    assessment.save(update_fields=["status", "completed_at", "completed_by_name"])
    _record(request, assessment, AccessEvent.Action.UPDATE, "readiness_complete", actor_role)
    guardians = dict(_guardians(transition.child_id).values_list("user_id", "has_custody"))
    names = {"name": transition.child.first_name, "to": transition.receiving_institution.name}

    def text(user):
        if guardians.get(user.pk):
            return (
                _("Confirm you have seen %(name)s's school readiness assessment") % names,
                _("The assessment of whether %(name)s is ready to start school is complete. Read it and "
                  "confirm you have seen it; you can say if you disagree.") % names,
            )  # fmt: skip
        if user.pk in guardians:
            return (
                _("%(name)s's school readiness assessment is complete") % names,
                _("The assessment of whether %(name)s is ready to start school is complete. You can read it.")
                % names,
            )
        return (
            _("School readiness of %(name)s is complete") % names,
            _("The assessment is complete. Decide with the parents when %(name)s starts at %(to)s.") % names,
        )

    inbox_notify(
        _people([*guardians, *_leader_ids(transition.receiving_institution_id)]),
        kind=Notification.Kind.READINESS,
        key=f"readiness-complete-{assessment.pk}",
        url=_url(assessment),
        text=text,
    )
    return assessment


@transaction.atomic
def readiness_confirm(
    *, request, assessment: ReadinessAssessment, disagrees: bool, disagreement: str = "", actor_role=""
) -> ReadinessConfirmation:
    """A custody holder confirms, once, having seen the complete assessment, and may record that they
    disagree and why. The view asks them to log in again first."""
    assessment = (
        ReadinessAssessment.objects.select_for_update()
        .select_related("transition__child")
        .get(pk=assessment.pk)
    )
    if assessment.status != Status.COMPLETE:
        raise ValidationError(_("The assessment is not complete yet."))
    if not _has_custody(request.user, assessment.transition.child_id):
        raise ValidationError(_("Only a parent with custody can confirm."))
    disagreement = disagreement.strip()
    if disagrees and not disagreement:
        raise ValidationError({"disagreement": _("Write what you disagree with.")})
    if ReadinessConfirmation.objects.filter(assessment=assessment, user=request.user).exists():
        raise ValidationError(_("You have already confirmed that you have seen it."))
    confirmation = ReadinessConfirmation.objects.create(
        assessment=assessment,
        user=request.user,
        user_name=_name(request.user),
        disagrees=disagrees,
        disagreement=disagreement if disagrees else "",
    )
    _record(request, assessment, AccessEvent.Action.UPDATE, "readiness_confirm", actor_role)
    return confirmation


@transaction.atomic
def readiness_decide(
    *, request, assessment: ReadinessAssessment, outcome: str, note: str = "", actor_role=""
) -> ReadinessAssessment:
    """The receiving school's leader records what was decided with the parents; the parents are told."""
    assessment = (
        ReadinessAssessment.objects.select_for_update()
        .select_related("transition__child", "transition__receiving_institution")
        .get(pk=assessment.pk)
    )
    if assessment.status != Status.COMPLETE:
        raise ValidationError(_("The assessment is not complete yet."))
    if outcome not in ReadinessAssessment.Outcome.values:
        raise ValidationError({"outcome": _("Choose what was decided.")})
    assessment.outcome, assessment.outcome_note = outcome, note.strip()
    assessment.outcome_at, assessment.outcome_by_name = timezone.now(), _name(request.user)
    assessment.full_clean(exclude=["transition"])
    assessment.save(update_fields=["outcome", "outcome_note", "outcome_at", "outcome_by_name"])
    _record(request, assessment, AccessEvent.Action.UPDATE, "readiness_decide", actor_role)
    transition = assessment.transition
    names = {"name": transition.child.first_name, "to": transition.receiving_institution.name,
             "decision": assessment.get_outcome_display()}  # fmt: skip
    inbox_notify(
        _people(_guardians(transition.child_id).values_list("user_id", flat=True)),
        kind=Notification.Kind.READINESS,
        key=f"readiness-decided-{assessment.pk}-{outcome}",
        url=_url(assessment),
        text=lambda user: (
            _("Decision on %(name)s's school start") % names,
            _("%(to)s has recorded the decision made with you: %(decision)s.")
            % {**names, "decision": assessment.get_outcome_display()},
        ),
    )
    return assessment
