"""Sending handovers, one or a batch at a time, exactly once.

A batch is claimed with one conditional ``UPDATE … RETURNING`` (only handovers asked to be sent, not
sent yet and still open), so two workers given the same ids never both send one. Everything after the
claim is read and written for the whole batch in a fixed number of statements: the places, the custody
holders, the consents, the sections passed on or not, the transfer notes, the statuses and the notices
in the inboxes of the receiving staff and the parents.
"""

from django.db import connection, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from children.models import Enrollment, Guardianship
from portal.meetings.models import Notification
from portal.meetings.services.inbox import inbox_notices
from portal.organisation.models import StaffMembership
from transitions.models import Handover, HandoverConsent, HandoverSection, Transition

Basis = HandoverSection.Basis
OPEN = (Transition.Status.PLANNED, Transition.Status.IN_PROGRESS)


def is_registered_at(child_id: int, institution_id: int, *, on=None) -> bool:
    """The child has a place now or later at the institution (a current or future enrollment)."""
    return (child_id, institution_id) in _registered({(child_id, institution_id)}, on=on)


def _registered(pairs: set[tuple[int, int]], *, on=None) -> set[tuple[int, int]]:
    """Which (child, institution) pairs have a place now or later. One query."""
    if not pairs:
        return set()
    on = on or timezone.localdate()
    rows = (
        Enrollment.objects.filter(
            child_id__in={c for c, _i in pairs}, institution_id__in={i for _c, i in pairs}
        )
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=on))
        .values_list("child_id", "institution_id")
    )
    return {row for row in rows if row in pairs}


def _staff_for(transitions: list[Transition]) -> dict[int, list[int]]:
    """Who is told at each receiving place: its leaders and the receiving group's staff; when there are
    none, everyone working there (not caseload staff). One query for the whole batch."""
    rows = (
        StaffMembership.objects.active()
        .filter(institution_id__in={t.receiving_institution_id for t in transitions})
        .values_list("user_id", "institution_id", "role", "groups")
    )
    by_place: dict[int, list[tuple[int, str, int | None]]] = {}
    for user_id, institution_id, role, group_id in rows:
        by_place.setdefault(institution_id, []).append((user_id, role, group_id))
    staff = {}
    for t in transitions:
        here = by_place.get(t.receiving_institution_id, [])
        named = {
            u
            for u, role, group in here
            if role == StaffMembership.Role.LEADER or (t.receiving_group_id and group == t.receiving_group_id)
        }
        if not named:
            named = {u for u, role, _g in here if role not in StaffMembership.CASELOAD_ROLES}
        staff[t.pk] = sorted(named)
    return staff


def receiving_staff_ids(transition: Transition) -> list[int]:
    """Who is told at the receiving place (see ``_staff_for``)."""
    return _staff_for([transition])[transition.pk]


def _claim(ids: list[int], now) -> list[int]:
    """Mark these handovers sent, those asked to be sent and not sent yet, in one statement; returns
    the ids this call claimed (``RETURNING``: PostgreSQL and SQLite both have it)."""
    if not ids:
        return []
    handover, transition = Handover._meta.db_table, Transition._meta.db_table
    marks = ", ".join(["%s"] * len(ids))
    sql = (
        f"UPDATE {handover} SET sent_at = %s WHERE id IN ({marks}) AND sent_at IS NULL"  # noqa: S608
        f" AND send_requested_at IS NOT NULL"
        f" AND transition_id IN (SELECT id FROM {transition} WHERE status IN (%s, %s)) RETURNING id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [now, *ids, *OPEN])
        return sorted(row[0] for row in cursor.fetchall())


@transaction.atomic
def handovers_deliver(*, handover_ids: list[int]) -> list[int]:
    """Send these requested handovers: claims them in one conditional UPDATE (so none is sent twice),
    decides per section whether it is passed on (consent model: every custody holder has consented for
    this recipient), writes what was not passed on, and tells the receiving staff and the parents. A
    handover whose child has no place at the receiving institution any more goes back to the sending
    staff. A fixed number of statements per batch. Returns the ids sent."""
    now = timezone.now()
    claimed = _claim(sorted(set(handover_ids)), now)
    if not claimed:
        return []
    handovers = list(
        Handover.objects.filter(pk__in=claimed)
        .select_related(
            "transition__child", "transition__receiving_institution", "transition__sending_institution"
        )
        .order_by("pk")
    )
    places = _registered({(h.transition.child_id, h.transition.receiving_institution_id) for h in handovers})
    gone = [
        h.pk
        for h in handovers
        if (h.transition.child_id, h.transition.receiving_institution_id) not in places
    ]
    if gone:  # the place was given up meanwhile: back to the sending staff
        Handover.objects.filter(pk__in=gone).update(
            sent_at=None, send_requested_at=None, send_requested_by=None
        )
        handovers = [h for h in handovers if h.pk not in set(gone)]
    if not handovers:
        return []
    child_ids = {h.transition.child_id for h in handovers}
    custody: dict[int, set[int]] = {}
    informed: dict[int, set[int]] = {}
    for child_id, user_id, has_custody, withdrawn in (
        Guardianship.objects.active()
        .filter(child_id__in=child_ids)
        .values_list("child_id", "user_id", "has_custody", "information_withdrawn")
    ):
        if has_custody:
            custody.setdefault(child_id, set()).add(user_id)
        if has_custody or not withdrawn:
            informed.setdefault(child_id, set()).add(user_id)
    recipient = {h.pk: h.transition.receiving_institution_id for h in handovers}
    consented: dict[int, set[int]] = {}
    for section_id, user_id, handover_id, recipient_id in HandoverConsent.objects.filter(
        section__handover_id__in=recipient, withdrawn_at__isnull=True
    ).values_list("section_id", "user_id", "section__handover_id", "recipient_id"):
        if recipient[handover_id] == recipient_id:
            consented.setdefault(section_id, set()).add(user_id)
    by_pk = {h.pk: h for h in handovers}
    passed, withheld, not_passed = [], [], {h.pk: [] for h in handovers}
    for section in HandoverSection.objects.filter(handover_id__in=by_pk).order_by("pk"):
        holders = custody.get(by_pk[section.handover_id].transition.child_id, set())
        if not section.text.strip():
            reason = "empty"
        elif section.basis == Basis.CONSENT and (
            not holders or not holders <= consented.get(section.pk, set())
        ):
            reason = "no_consent"
        else:
            reason = ""
        (withheld if reason else passed).append(section.pk)
        if reason == "no_consent" or (reason == "empty" and not section.is_parents_view):
            not_passed[section.handover_id].append(
                {"kind": section.kind, "author_name": section.author_name, "reason": reason}
            )
    HandoverSection.objects.filter(pk__in=passed).update(passed_on=True)
    HandoverSection.objects.filter(pk__in=withheld).update(passed_on=False)
    for h in handovers:
        h.not_passed_on = not_passed[h.pk]
    Handover.objects.bulk_update(handovers, ["not_passed_on"])
    Transition.objects.filter(pk__in=[h.transition_id for h in handovers]).update(
        status=Transition.Status.SENT
    )
    _notify_sent(handovers, informed)
    return [h.pk for h in handovers]


def handover_deliver(*, handover_id: int) -> bool:
    """Send one requested handover (``handovers_deliver`` of one). False when there was nothing to send."""
    return bool(handovers_deliver(handover_ids=[handover_id]))


def _notify_sent(handovers: list[Handover], informed: dict[int, set[int]]) -> None:
    """A notice in the inbox of the receiving staff and of each guardian, in their language; one per
    person and handover (its key). The batch's notices are written in one statement."""
    from portal.accounts.models import User

    staff = _staff_for([h.transition for h in handovers])
    wanted = {
        u for h in handovers for u in (*staff[h.transition_id], *informed.get(h.transition.child_id, ()))
    }
    people = {u.pk: u for u in User.objects.filter(pk__in=wanted).only("pk", "language")}
    notices = []
    for h in handovers:
        transition = h.transition
        guardians = informed.get(transition.child_id, set())
        names = {
            "name": transition.child.first_name,
            "from": transition.sending_institution.name,
            "to": transition.receiving_institution.name,
        }

        def text(user, names=names, guardians=guardians):
            if user.pk in guardians:
                return (
                    _("%(name)s's handover is sent to %(to)s") % names,
                    _(
                        "%(from)s has sent the handover to %(to)s. "
                        "You can see what was passed on and who has read it."
                    )
                    % names,
                )
            return (
                _("Handover of %(name)s from %(from)s") % names,
                _("%(name)s is starting with you. Read the handover and confirm that you have received it.")
                % names,
            )

        ids = sorted({*staff[transition.pk], *guardians})
        notices += inbox_notices(
            [people[u] for u in ids if u in people],
            kind=Notification.Kind.HANDOVER_SENT,
            key=f"handover-sent-{h.pk}",
            url=reverse("transitions:handover_detail", args=[h.pk]),
            text=text,
        )
    Notification.objects.bulk_create(notices, ignore_conflicts=True, batch_size=1000)
