"""Every write to transitions and handovers: starting them (one by one or a cohort), writing sections
with their history, the parents' view, consent, sending through Celery and confirming receipt.

Each service runs in one transaction and records an access event; sending is queued after commit and
claimed with a conditional UPDATE, so a handover is never sent twice.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from children.models import Guardianship
from portal.audit.models import AccessEvent
from portal.audit.services import access_record, access_record_many
from portal.enqueue import enqueue
from transitions.models import (
    Handover,
    HandoverConsent,
    HandoverSection,
    SectionEdit,
    Transition,
    TransitionSettings,
)
from transitions.services.delivery import (  # noqa: F401  (the services of sending live there)
    handover_deliver,
    handovers_deliver,
    is_registered_at,
    receiving_staff_ids,
)

Basis = HandoverSection.Basis
OPEN = (Transition.Status.PLANNED, Transition.Status.IN_PROGRESS)


def _name(user) -> str:
    return (user.get_full_name() or user.email)[:200]


def _check_destination(*, sending_institution, receiving_institution, receiving_group, planned_on) -> None:
    if receiving_institution.pk == sending_institution.pk:
        raise ValidationError(
            {"receiving_institution": _("Choose the place the child moves to, not where they are now.")}
        )
    if receiving_group is not None and receiving_group.institution_id != receiving_institution.pk:
        raise ValidationError({"receiving_group": _("The group must be at the place the child moves to.")})
    if planned_on < timezone.localdate():
        raise ValidationError({"planned_on": _("The date of the move cannot be in the past.")})


def _staff_sections(handover: Handover) -> list[HandoverSection]:
    basis = Basis.CONSENT if handover.uses_consent else Basis.GUIDELINES
    return [
        HandoverSection(handover=handover, kind=kind, basis=basis) for kind in HandoverSection.STAFF_KINDS
    ]


@transaction.atomic
def transition_create(
    *,
    request,
    child,
    enrollment,
    kind,
    receiving_institution,
    planned_on,
    receiving_group=None,
    actor_role="",
) -> Transition:
    """A transition from the child's current place (``enrollment``), with its handover and empty staff
    sections. A second live transition to the same place is refused."""
    _check_destination(
        sending_institution=enrollment.institution,
        receiving_institution=receiving_institution,
        receiving_group=receiving_group,
        planned_on=planned_on,
    )
    try:
        with transaction.atomic():
            transition = Transition.objects.create(
                child=child,
                kind=kind,
                planned_on=planned_on,
                sending_institution=enrollment.institution,
                receiving_institution=receiving_institution,
                receiving_group=receiving_group,
                created_by=request.user,
            )
    except IntegrityError:
        raise ValidationError(
            {
                "receiving_institution": _("%(name)s already has a transition to this place.")
                % {"name": child.first_name}
            }
        ) from None
    handover = Handover.objects.create(
        transition=transition, sharing_model=TransitionSettings.model_for(child.municipality_id)
    )
    HandoverSection.objects.bulk_create(_staff_sections(handover))
    access_record(
        request=request,
        child=child,
        action=AccessEvent.Action.CREATE,
        subject="transition_plan",
        object_id=transition.pk,
        actor_role=actor_role,
    )
    return transition


@transaction.atomic
def transitions_create_for_cohort(
    *,
    request,
    enrollments: QuerySet,
    kind,
    receiving_institution,
    planned_on,
    receiving_group=None,
    actor_role="",
) -> int:
    """A transition with its handover for each child of these (current) enrollments who has no live
    transition to the place yet, in a fixed number of statements however large the cohort. Returns how
    many were made. Children already moving there are left alone, so running it twice adds nobody."""
    if receiving_group is not None and receiving_group.institution_id != receiving_institution.pk:
        raise ValidationError({"receiving_group": _("The group must be at the place the child moves to.")})
    if planned_on < timezone.localdate():
        raise ValidationError({"planned_on": _("The date of the move cannot be in the past.")})
    already = Transition.objects.filter(
        child_id=OuterRef("child_id"), receiving_institution=receiving_institution
    ).exclude(status=Transition.Status.CANCELLED)
    rows = list(
        enrollments.exclude(institution=receiving_institution)
        .exclude(Exists(already))
        .order_by("child_id", "pk")
        .values_list("child_id", "institution_id", "child__municipality_id", "child__first_name")
    )
    seen, unique_rows = set(), []
    for row in rows:  # one transition per child, from their first place in the list
        if row[0] not in seen:
            seen.add(row[0])
            unique_rows.append(row)
    if not unique_rows:
        return 0
    now = timezone.now()
    try:
        with transaction.atomic():
            transitions = Transition.objects.bulk_create(
                [
                    Transition(
                        child_id=child_id,
                        kind=kind,
                        planned_on=planned_on,
                        sending_institution_id=institution_id,
                        receiving_institution=receiving_institution,
                        receiving_group=receiving_group,
                        created_by=request.user,
                        created_at=now,
                    )
                    for child_id, institution_id, _municipality, _first in unique_rows
                ]
            )
    except IntegrityError:
        raise ValidationError(
            _("Someone started transitions for some of these children at the same time. Try again.")
        ) from None
    models = {row[2] for row in unique_rows}
    sharing = {m: TransitionSettings.model_for(m) for m in models} if len(models) > 1 else None
    one_model = TransitionSettings.model_for(next(iter(models))) if sharing is None else None
    handovers = Handover.objects.bulk_create(
        [
            Handover(transition=t, sharing_model=one_model or sharing[row[2]])
            for t, row in zip(transitions, unique_rows, strict=True)
        ]
    )
    HandoverSection.objects.bulk_create([s for h in handovers for s in _staff_sections(h)])

    class _Child:  # what the access log needs of each child, without loading them
        def __init__(self, pk, municipality_id):
            self.pk, self.municipality_id = pk, municipality_id

    access_record_many(
        request=request,
        children=[_Child(row[0], row[2]) for row in unique_rows],
        action=AccessEvent.Action.CREATE,
        subject="transition_plan",
        actor_role=actor_role,
    )
    return len(transitions)


def _lock_open(handover: Handover) -> Handover:
    """The handover locked for a write while it is being written; refused once sending has begun."""
    locked = Handover.objects.select_for_update().select_related("transition__child").get(pk=handover.pk)
    if locked.send_requested_at is not None or locked.transition.status not in OPEN:
        raise ValidationError(_("The handover has been sent and can no longer be changed."))
    return locked


def _record_edit(*, section: HandoverSection, user, text: str, now) -> None:
    SectionEdit.objects.create(section=section, actor=user, actor_name=_name(user), at=now, text=text)
    if section.handover.transition.status == Transition.Status.PLANNED:
        Transition.objects.filter(pk=section.handover.transition_id, status=Transition.Status.PLANNED).update(
            status=Transition.Status.IN_PROGRESS
        )
        section.handover.transition.status = Transition.Status.IN_PROGRESS


def _save_text(*, section, text, user, now) -> HandoverSection:
    text = text.strip()
    if text == section.text:
        return section
    section.text = text
    section.updated_at = now
    section.updated_by_name = _name(user)
    section.full_clean(exclude=["handover", "author"])
    section.save(update_fields=["text", "updated_at", "updated_by_name"])
    _record_edit(section=section, user=user, text=text, now=now)
    return section


@transaction.atomic
def handover_section_save(
    *, request, handover: Handover, kind: str, text: str, actor_role=""
) -> HandoverSection:
    """The sending staff write one of their sections; each change is kept with who and when."""
    handover = _lock_open(handover)
    if kind not in HandoverSection.STAFF_KINDS:
        raise ValidationError({"kind": _("Choose one of the staff's sections.")})
    section = HandoverSection.objects.get(handover=handover, kind=kind, author__isnull=True)
    section.handover = handover
    section = _save_text(section=section, text=text, user=request.user, now=timezone.now())
    access_record(
        request=request,
        child=handover.transition.child,
        action=AccessEvent.Action.UPDATE,
        subject="handover_section",
        object_id=handover.pk,
        actor_role=actor_role,
    )
    return section


@transaction.atomic
def handover_parents_view_save(*, request, handover: Handover, text: str, actor_role="") -> HandoverSection:
    """A custody holder writes their own view (the same questions, in their words)."""
    handover = _lock_open(handover)
    if (
        not Guardianship.objects.active()
        .filter(user=request.user, child_id=handover.transition.child_id, has_custody=True)
        .exists()
    ):
        raise ValidationError(_("Only a parent with custody can write the parents' view."))
    section, _created = HandoverSection.objects.get_or_create(
        handover=handover,
        author=request.user,
        defaults={
            "kind": HandoverSection.Kind.PARENTS_VIEW,
            "basis": Basis.PARENT,
            "author_name": _name(request.user),
        },
    )
    section.handover = handover
    section = _save_text(section=section, text=text, user=request.user, now=timezone.now())
    access_record(
        request=request,
        child=handover.transition.child,
        action=AccessEvent.Action.UPDATE,
        subject="handover_parents_view",
        object_id=handover.pk,
        actor_role=actor_role,
    )
    return section


@transaction.atomic
def handover_consent_set(
    *, request, handover: Handover, section_pk: int, give: bool, actor_role=""
) -> HandoverConsent:
    """A custody holder consents to pass one section on to the receiving place, or withdraws. Consent is
    given while the handover is open; it can be withdrawn until it is sent and after, when the section
    is hidden from the receiver from then on."""
    handover = Handover.objects.select_for_update().select_related("transition__child").get(pk=handover.pk)
    transition = handover.transition
    if not handover.uses_consent:
        raise ValidationError(
            _("This municipality shares handovers under its guidelines; no consent is asked.")
        )
    if (
        not Guardianship.objects.active()
        .filter(user=request.user, child_id=transition.child_id, has_custody=True)
        .exists()
    ):
        raise ValidationError(_("Only a parent with custody can consent."))
    if transition.status == Transition.Status.CANCELLED:
        raise ValidationError(_("The transition is cancelled."))
    sent = handover.send_requested_at is not None or transition.status not in OPEN
    if give and sent:
        raise ValidationError(_("The handover has been sent; consent can only be withdrawn now."))
    section = HandoverSection.objects.filter(handover=handover, pk=section_pk, basis=Basis.CONSENT).first()
    if section is None:
        raise ValidationError(_("Choose a section of this handover that needs consent."))
    now = timezone.now()
    consent, created = HandoverConsent.objects.get_or_create(
        section=section,
        user=request.user,
        recipient_id=transition.receiving_institution_id,
        defaults={"given_at": now, "withdrawn_at": None if give else now},
    )
    if not created:
        consent.given_at = now if give and consent.withdrawn_at else consent.given_at
        consent.withdrawn_at = None if give else (consent.withdrawn_at or now)
        consent.save(update_fields=["given_at", "withdrawn_at"])
    if not give and transition.is_sent and section.withdrawn_at is None:
        HandoverSection.objects.filter(pk=section.pk).update(withdrawn_at=now)
    access_record(
        request=request,
        child=transition.child,
        action=AccessEvent.Action.UPDATE,
        subject="handover_consent",
        object_id=handover.pk,
        actor_role=actor_role,
    )
    return consent


@transaction.atomic
def handover_send_request(*, request, handover: Handover, actor_role="") -> Handover:
    """Ask for the handover to be sent: allowed when the child is registered at the receiving place. The
    sending itself is a task queued after commit (``transitions.handover_send``)."""
    handover = _lock_open(handover)
    transition = handover.transition
    if not is_registered_at(transition.child_id, transition.receiving_institution_id):
        raise ValidationError(
            _(
                "%(name)s is not registered at %(place)s yet. "
                "The handover can be sent once the place is registered."
            )
            % {"name": transition.child.first_name, "place": transition.receiving_institution.name}
        )
    now = timezone.now()
    Handover.objects.filter(pk=handover.pk).update(send_requested_at=now, send_requested_by=request.user)
    handover.send_requested_at, handover.send_requested_by = now, request.user
    access_record(
        request=request,
        child=transition.child,
        action=AccessEvent.Action.UPDATE,
        subject="handover_send",
        object_id=handover.pk,
        actor_role=actor_role,
    )
    enqueue("transitions.handover_send", handover.pk)
    return handover


@transaction.atomic
def handover_receipt_confirm(*, request, handover: Handover, actor_role="") -> Handover:
    """The receiving staff confirm they have received the handover (once)."""
    handover = Handover.objects.select_for_update().select_related("transition__child").get(pk=handover.pk)
    if handover.transition.status != Transition.Status.SENT:
        raise ValidationError(_("The handover has already been received."))
    now = timezone.now()
    Handover.objects.filter(pk=handover.pk).update(
        received_at=now, received_by=request.user, received_by_name=_name(request.user)
    )
    Transition.objects.filter(pk=handover.transition_id).update(status=Transition.Status.RECEIVED)
    handover.received_at, handover.received_by_name = now, _name(request.user)
    handover.transition.status = Transition.Status.RECEIVED
    access_record(
        request=request,
        child=handover.transition.child,
        action=AccessEvent.Action.UPDATE,
        subject="handover_receipt",
        object_id=handover.pk,
        actor_role=actor_role,
    )
    return handover


@transaction.atomic
def transition_cancel(*, request, transition: Transition, actor_role="") -> Transition:
    """Cancel a transition whose handover has not been sent (nor asked to be); the handover stays, out of
    everyone's way, and the child may be moved to the same place again later; the child's upcoming
    visits are cancelled. Locks the handover."""
    handover = (
        Handover.objects.select_for_update()
        .select_related("transition__child")
        .get(transition_id=transition.pk)
    )
    transition = handover.transition
    if transition.status == Transition.Status.CANCELLED:
        raise ValidationError(_("The transition is already cancelled."))
    if handover.send_requested_at is not None or transition.status not in OPEN:
        raise ValidationError(_("The handover has been sent, so the transition can no longer be cancelled."))
    Transition.objects.filter(pk=transition.pk).update(status=Transition.Status.CANCELLED)
    transition.status = Transition.Status.CANCELLED
    from transitions.services.visits import visits_cancel_for_transition

    visits_cancel_for_transition(request=request, user=request.user, transition=transition)
    access_record(
        request=request,
        child=transition.child,
        action=AccessEvent.Action.UPDATE,
        subject="transition_cancel",
        object_id=transition.pk,
        actor_role=actor_role,
    )
    return transition


@transaction.atomic
def transition_settings_set(*, municipality, sharing_model: str) -> TransitionSettings:
    """The municipality's sharing model for handovers made from now on; handovers already made keep the
    model they were made under."""
    settings_row, _created = TransitionSettings.objects.select_for_update().get_or_create(
        municipality=municipality, defaults={"sharing_model": sharing_model}
    )
    if settings_row.sharing_model != sharing_model:
        settings_row.sharing_model = sharing_model
        settings_row.full_clean(exclude=["municipality"])
        settings_row.save(update_fields=["sharing_model"])
    return settings_row
