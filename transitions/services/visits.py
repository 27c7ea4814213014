"""Visits before and after a transition: planned as one, with a meeting per child so each family gets
the meetings' invitation, reminders and calendar entry; cancelled as one.

Each service runs in one transaction; the meetings' outbox rows are written in it (``meeting_plan``,
``meeting_cancel``), and each child's meeting is recorded as an access event there.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from children.models import Enrollment
from portal.meetings.models import MeetingKind, Notification
from portal.meetings.services.booking import meeting_cancel, meeting_plan
from portal.meetings.services.inbox import inbox_notify
from portal.organisation.models import Institution, StaffMembership
from transitions.models import Transition, Visit, VisitInvitation

MAX_CHILDREN = 60  # a visit is for a child or a cohort; more would be a school's whole intake


def _check(*, transitions, starts_at, ends_at, now) -> None:
    if not transitions:
        raise ValidationError({"transitions": _("Choose at least one child.")})
    if len(transitions) > MAX_CHILDREN:
        raise ValidationError(
            {"transitions": _("Choose at most %(count)d children for one visit.") % {"count": MAX_CHILDREN}}
        )
    if len({t.receiving_institution_id for t in transitions}) > 1:
        raise ValidationError({"transitions": _("A visit is for children moving to the same place.")})
    if any(t.status == Transition.Status.CANCELLED for t in transitions):
        raise ValidationError({"transitions": _("One of the moves has been cancelled.")})
    if ends_at <= starts_at:
        raise ValidationError({"end": _("The visit must end after it starts.")})
    if starts_at <= now:
        raise ValidationError({"day": _("Choose a time in the future.")})


@transaction.atomic
def visit_plan(
    *,
    request,
    user,
    institution: Institution,
    transitions,
    kind: str,
    timing: str,
    starts_at,
    ends_at,
    location: str = "",
    description: str = "",
    now=None,
) -> Visit:
    """Plan one visit for these transitions (to one place), held by ``institution`` (the planner's
    side). Each child's family gets a meeting of the kind "transition visit" with its invitation and
    reminders; the other side's staff get a notice. The transitions are locked while it is planned, so
    a move cancelled meanwhile is not invited."""
    now = now or timezone.now()
    transitions = list(
        Transition.objects.select_for_update(of=("self",))
        .filter(pk__in=[t.pk for t in transitions])
        .select_related("child", "receiving_institution", "sending_institution")
        .order_by("child__first_name", "pk")
    )
    _check(transitions=transitions, starts_at=starts_at, ends_at=ends_at, now=now)
    receiving = transitions[0].receiving_institution
    visit = Visit.objects.create(
        kind=kind,
        timing=timing,
        institution=institution,
        receiving_institution=receiving,
        starts_at=starts_at,
        ends_at=ends_at,
        location=location,
        description=description,
        created_by=user,
        created_at=now,
    )
    title = _("Visit: %(place)s") % {"place": receiving.name}
    invitations = []
    for t in transitions:
        meeting = meeting_plan(
            request=request,
            user=user,
            kind=MeetingKind.VISIT,
            institution=institution,
            child=t.child,
            title=title,
            starts_at=starts_at,
            ends_at=ends_at,
            location=location,
            agenda="\n\n".join(part for part in (str(visit.get_kind_display()), description) if part),
            now=now,
        )
        invitations.append(VisitInvitation(visit=visit, transition=t, meeting=meeting))
    VisitInvitation.objects.bulk_create(invitations)
    _notify_other_side(visit, transitions, planned=True)
    return visit


@transaction.atomic
def visit_cancel(*, request, user, visit: Visit, now=None) -> Visit:
    """Cancel a visit that has not begun: each family's meeting is cancelled (they are told through
    the meetings' outbox) and the other side's staff get a notice. Locks the visit; a second cancel
    changes nothing."""
    now = now or timezone.now()
    visit = Visit.objects.select_for_update().get(pk=visit.pk)
    if visit.is_cancelled:
        return visit
    if visit.starts_at <= now:
        raise ValidationError(_("A visit that has begun cannot be cancelled."))
    visit.cancelled_at, visit.cancelled_by = now, user
    visit.save(update_fields=["cancelled_at", "cancelled_by"])
    invitations = list(
        visit.invitations.select_related("meeting", "transition__sending_institution").order_by("pk")
    )
    for invitation in invitations:
        meeting_cancel(request=request, user=user, meeting=invitation.meeting, by_staff=True, now=now)
    _notify_other_side(visit, [i.transition for i in invitations], planned=False)
    return visit


def visits_cancel_for_transition(*, request, user, transition: Transition, now=None) -> int:
    """A cancelled move leaves its visits: the child's upcoming visit meetings are cancelled (the
    family is told); the visit goes on for the other children. Returns the meetings cancelled."""
    now = now or timezone.now()
    invitations = VisitInvitation.objects.filter(
        transition=transition, meeting__starts_at__gt=now, visit__cancelled_at__isnull=True
    ).select_related("meeting")
    count = 0
    for invitation in invitations:
        if not invitation.meeting.is_cancelled:
            meeting_cancel(request=request, user=user, meeting=invitation.meeting, by_staff=True, now=now)
            count += 1
    return count


def sending_staff_ids(transitions) -> list[int]:
    """Who is told at the sending place: its leaders and the staff of the children's groups there."""
    pairs = {(t.sending_institution_id, t.child_id) for t in transitions}
    institutions = {i for i, _c in pairs}
    groups = Enrollment.objects.current().filter(
        institution_id__in=institutions, child_id__in=[c for _i, c in pairs]
    )
    staff = StaffMembership.objects.active().filter(institution_id__in=institutions)
    named = Q(role=StaffMembership.Role.LEADER) | Q(groups__in=groups.values("group_id"))
    return sorted(set(staff.filter(named).values_list("user_id", flat=True)))


def _notify_other_side(visit: Visit, transitions, *, planned: bool) -> None:
    """The staff of the side that did not plan the visit are told, without the children's names (the
    receiving place may not know them before their handovers are sent)."""
    from portal.accounts.models import User
    from transitions.services import receiving_staff_ids

    if not transitions:
        return
    planned_by_sender = visit.institution_id != visit.receiving_institution_id
    if planned_by_sender:
        ids = sorted({pk for t in transitions for pk in receiving_staff_ids(t)})
        url = reverse("transitions:incoming")
        if any(t.is_sent for t in transitions):
            url = reverse("transitions:visit_detail", args=[visit.pk])
    else:
        ids = sending_staff_ids(transitions)
        url = reverse("transitions:visit_detail", args=[visit.pk])
    people = User.objects.filter(pk__in=ids).order_by("pk")
    planner = Institution.objects.filter(pk=visit.institution_id).values_list("name", flat=True).first()

    def text(user):
        values = {
            "place": planner,
            "when": formats.date_format(timezone.localtime(visit.starts_at), "DATETIME_FORMAT"),
            "kind": visit.get_kind_display(),
            "count": len(transitions),
        }
        if planned:
            return (
                _("Visit planned by %(place)s, %(when)s") % values,
                " ".join(
                    (
                        _("%(kind)s.") % values,
                        ngettext(
                            "One child takes part, and the family is invited.",
                            "%(count)s children take part, and their families are invited.",
                            values["count"],
                        )
                        % values,
                    )
                ),
            )
        return (
            _("Visit cancelled by %(place)s, %(when)s") % values,
            _("%(kind)s. The visit will not take place; the families have been told.") % values,
        )

    inbox_notify(
        people,
        kind=Notification.Kind.VISIT,
        key=f"visit-{'planned' if planned else 'cancelled'}-{visit.pk}",
        url=url,
        text=text,
    )
