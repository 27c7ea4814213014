"""Writes of the children's community."""

from datetime import datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from children.models import Enrollment, Guardianship
from portal.accounts.models import User
from portal.audit.models import AccessEvent
from portal.audit.services import access_record
from portal.community.models import ContactParent, GroupMessage, NameSharing
from portal.meetings.models import Notification
from portal.meetings.services.inbox import inbox_notify
from portal.organisation.models import StaffMembership


@transaction.atomic
def name_sharing_choose(*, request, user, child, show_name: bool, now=None) -> NameSharing:
    """A custody holder's yes or no to the group's other parents seeing the child's first name. A no (or
    a yes taken back) hides the name from the next page the others open."""
    if not Guardianship.objects.active().filter(child=child, user=user, has_custody=True).exists():
        raise ValidationError(_("Only a parent with custody can decide this."))
    choice, _created = NameSharing.objects.update_or_create(
        child=child, user=user, defaults={"show_name": show_name, "decided_at": now or timezone.now()}
    )
    if request is not None:
        access_record(
            request=request,
            child=child,
            action=AccessEvent.Action.UPDATE,
            subject="group_names",
            actor_role=_("Parent or guardian"),
        )
    return choice


def _informed_guardianship(*, user, child) -> Guardianship:
    guardianship = Guardianship.objects.with_information().filter(user=user, child=child).first()
    if guardianship is None:
        raise ValidationError(_("Only the child's parents can do this."))
    return guardianship


def _in_group(child, group) -> bool:
    return Enrollment.objects.current().filter(child=child, group=group).exists()


@transaction.atomic
def contact_parent_volunteer(*, user, child, group, now=None) -> ContactParent:
    """A parent offers to be a contact parent of their child's group; staff decide. Offering twice keeps
    the first offer."""
    _informed_guardianship(user=user, child=child)
    if not _in_group(child, group):
        raise ValidationError(_("Your child is not in this group now."))
    existing = ContactParent.objects.select_for_update().filter(group=group, user=user, ended_at__isnull=True)
    if existing.exists():
        return existing.get()
    offer = ContactParent.objects.create(
        group=group,
        user=user,
        child=child,
        status=ContactParent.Status.VOLUNTEERED,
        volunteered_at=now or timezone.now(),
    )
    _notify_staff_of_offer(offer)
    return offer


@transaction.atomic
def contact_parent_step_down(*, user, group, now=None) -> bool:
    """The parent withdraws their offer or stops being a contact parent."""
    return bool(
        ContactParent.objects.filter(group=group, user=user, ended_at__isnull=True).update(
            ended_at=now or timezone.now()
        )
    )


@transaction.atomic
def contact_parent_appoint(*, by, contact: ContactParent, now=None) -> ContactParent:
    """Staff appoint a parent who offered; the parent is told in their inbox."""
    contact = ContactParent.objects.select_for_update().select_related("group").get(pk=contact.pk)
    if contact.ended_at is not None:
        raise ValidationError(_("The parent has withdrawn the offer."))
    if contact.status == ContactParent.Status.APPOINTED:
        return contact
    contact.status = ContactParent.Status.APPOINTED
    contact.appointed_at = now or timezone.now()
    contact.appointed_by = by
    contact.save(update_fields=["status", "appointed_at", "appointed_by"])
    group_name = contact.group.name
    url = reverse("community:group_names", args=[contact.child_id])
    transaction.on_commit(
        lambda: inbox_notify(
            User.objects.filter(pk=contact.user_id),
            kind=Notification.Kind.CONTACT_PARENT,
            key=f"contact-parent-{contact.pk}",
            url=url,
            text=lambda user: (
                _("You are a contact parent in %(group)s") % {"group": group_name},
                _(
                    "Thank you for helping. You can now write to all the parents in %(group)s through the "
                    "portal. The staff read each message before it goes out."
                )
                % {"group": group_name},
            ),
        )
    )
    return contact


@transaction.atomic
def contact_parent_end(*, contact: ContactParent, now=None) -> bool:
    """Staff end an offer or an appointment."""
    return bool(
        ContactParent.objects.filter(pk=contact.pk, ended_at__isnull=True).update(
            ended_at=now or timezone.now()
        )
    )


@transaction.atomic
def group_message_write(*, user, group, body: str, now=None) -> GroupMessage:
    """An appointed contact parent writes to the group's parents; the message waits for staff."""
    body = body.strip()
    if not body:
        raise ValidationError(_("Write the message."))
    if not ContactParent.objects.filter(
        group=group, user=user, status=ContactParent.Status.APPOINTED, ended_at__isnull=True
    ).exists():
        raise ValidationError(_("Only the group's contact parents can write to all its parents."))
    return GroupMessage.objects.create(
        group=group,
        author=user,
        author_name=user.get_full_name(),
        body=body,
        created_at=now or timezone.now(),
    )


@transaction.atomic
def group_message_decide(
    *, by, message: GroupMessage, send: bool, reason: str = "", now=None
) -> GroupMessage:
    """Staff send a waiting message to every parent of the group (inbox), or decline it with a reason the
    author is told. Deciding twice changes nothing."""
    message = GroupMessage.objects.select_for_update().select_related("group").get(pk=message.pk)
    if message.status != GroupMessage.Status.WAITING:
        raise ValidationError(_("This message has already been handled."))
    reason = reason.strip()
    if not send and not reason:
        raise ValidationError(_("Tell the contact parent why the message is not sent."))
    message.status = GroupMessage.Status.SENT if send else GroupMessage.Status.DECLINED
    message.decided_by, message.decided_at, message.reason = by, now or timezone.now(), reason
    message.save(update_fields=["status", "decided_by", "decided_at", "reason"])
    group_name, reason = message.group.name, message.reason
    if send:
        transaction.on_commit(lambda: _send_to_parents(message))
    elif message.author_id:
        transaction.on_commit(
            lambda: inbox_notify(
                User.objects.filter(pk=message.author_id),
                kind=Notification.Kind.GROUP_MESSAGE,
                key=f"group-message-declined-{message.pk}",
                url="",
                text=lambda user: (
                    _("Your message to the parents in %(group)s was not sent") % {"group": group_name},
                    _("The staff wrote: %(reason)s") % {"reason": reason},
                ),
            )
        )
    return message


def _send_to_parents(message: GroupMessage) -> int:
    """Every parent (with the right to information) of a child in the group now, but its author, gets
    the message in the inbox; once per message and parent (its key)."""
    parents = User.objects.filter(
        pk__in=Guardianship.objects.with_information()
        .filter(child__in=Enrollment.objects.current().filter(group=message.group_id).values("child_id"))
        .values("user_id")
    ).exclude(pk=message.author_id)
    names = {"author": message.author_name, "group": message.group.name}
    return inbox_notify(
        parents,
        kind=Notification.Kind.GROUP_MESSAGE,
        key=f"group-message-{message.pk}",
        url="",
        text=lambda user: (
            (_("From %(author)s, staff in %(group)s") if message.from_staff
             else _("From %(author)s, contact parent in %(group)s")) % names,
            message.body,
        ),
    )  # fmt: skip


# Staff writing after this hour (local time) are asked whether the message should wait for the morning.
LATE_FROM, MORNING = time(18), time(7)
SCHEDULE_AHEAD = timedelta(days=60)


def is_late(now: datetime) -> bool:
    clock = timezone.localtime(now).time()
    return clock >= LATE_FROM or clock < MORNING


def next_morning(now: datetime) -> datetime:
    """07:00 local time, today if it is not yet, else tomorrow."""
    local = timezone.localtime(now)
    day = local.date() if local.time() < MORNING else local.date() + timedelta(days=1)
    return timezone.make_aware(datetime.combine(day, MORNING))


@transaction.atomic
def staff_message_write(*, user, group, body: str, send_at: datetime | None = None, now=None) -> GroupMessage:
    """Staff write to the group's parents: sent at once (after commit), or kept until ``send_at`` (a
    beat task sends it then). The author's access to the group is checked by the view's policy."""
    now = now or timezone.now()
    body = body.strip()
    if not body:
        raise ValidationError({"body": _("Write the message.")})
    if send_at is not None and not now < send_at <= now + SCHEDULE_AHEAD:
        raise ValidationError({"send_on": _("Choose a time after now and within 60 days.")})
    message = GroupMessage.objects.create(
        group=group,
        author=user,
        author_name=user.get_full_name(),
        body=body,
        created_at=now,
        from_staff=True,
        status=GroupMessage.Status.SCHEDULED if send_at else GroupMessage.Status.SENT,
        send_at=send_at,
        decided_by=user,
        decided_at=now,
    )
    if send_at is None:
        transaction.on_commit(lambda: _send_to_parents(message))
    return message


def scheduled_messages_send(*, now=None) -> int:
    """Send every scheduled message whose time has come: each is marked sent and its notices written in
    one transaction (locked with SKIP LOCKED), so none goes twice and none is lost if a worker dies."""
    now = now or timezone.now()
    sent = 0
    while True:
        with transaction.atomic():
            rows = GroupMessage.objects.filter(status=GroupMessage.Status.SCHEDULED, send_at__lte=now)
            if connection.features.has_select_for_update_skip_locked:
                rows = rows.select_for_update(skip_locked=True, of=("self",))
            message = rows.select_related("group").order_by("send_at", "pk").first()
            if message is None:
                return sent
            GroupMessage.objects.filter(pk=message.pk).update(status=GroupMessage.Status.SENT)
            _send_to_parents(message)
            sent += 1


def _notify_staff_of_offer(offer: ContactParent) -> None:
    """The group's own staff are told that a parent offered to help."""
    staff = User.objects.filter(
        pk__in=StaffMembership.objects.active().filter(groups=offer.group_id).values("user_id")
    )
    group_name = offer.group.name
    url = reverse("community:group_contact", args=[offer.group_id])
    transaction.on_commit(
        lambda: inbox_notify(
            staff,
            kind=Notification.Kind.CONTACT_PARENT,
            key=f"contact-parent-offer-{offer.pk}",
            url=url,
            text=lambda user: (
                _("A parent offers to be a contact parent in %(group)s") % {"group": group_name},
                _("Open the group's contact parents to appoint them."),
            ),
        )
    )
