"""Parent networks: form one, add and remove families, plan and cancel its meetings, and each custody
holder's choice on sharing first names.

Each service runs in one transaction and locks the network row first, so two health visitors' tabs
adding families at once are counted one after the other (the hard maximum holds) and family numbers
never clash. A family's meetings are the meetings app's own (``meeting_plan``, ``meeting_cancel``):
their invitations, exactly-once reminders and calendar entries come with them. Every write about a
child is recorded as an access event.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from children.models import Child, Guardianship
from portal.audit.models import AccessEvent
from portal.audit.services import access_record
from portal.meetings.models import MeetingKind, Notification
from portal.meetings.services.booking import meeting_cancel, meeting_plan
from portal.meetings.services.inbox import inbox_notify
from portal.organisation.models import Institution
from transitions.models import Network, NetworkInvitation, NetworkMeeting, NetworkMember, NetworkNameChoice
from transitions.models.networks import HARD_MAX, is_eligible

NAME_MAX = 100


def _record(request, child, action, subject, object_id=None) -> None:
    if request is not None:
        access_record(
            request=request,
            child=child,
            action=action,
            subject=subject,
            object_id=object_id,
            actor_role=_("Health visitor"),
        )


@transaction.atomic
def network_create(
    *, request, user, institution: Institution, name: str, starts_on, children=(), now=None
) -> Network:
    """A new network at a health-visiting institution, led by ``user``, with its first families."""
    now = now or timezone.now()
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Give the network a name.")})
    if institution.kind != Institution.Kind.HEALTH_VISITING:
        raise ValidationError(_("A parent network belongs to a health visiting service."))
    network = Network.objects.create(
        institution=institution,
        health_visitor=user,
        name=name[:NAME_MAX],
        starts_on=starts_on,
        created_by=user,
        created_at=now,
    )
    if children:
        network_members_add(request=request, user=user, network=network, children=children, now=now)
    return network


@transaction.atomic
def network_members_add(*, request, user, network: Network, children, now=None) -> list[NetworkMember]:
    """Add families: each child from pregnancy week 26 or under 1½, in no other network, and never more
    than ``HARD_MAX`` families. Each family is invited to the network's upcoming meetings and its
    guardians get a notice. Refused as a whole (nothing written) when one child does not fit."""
    now = now or timezone.now()
    network = (
        Network.objects.select_for_update(of=("self",))
        .select_related("institution", "health_visitor")
        .get(pk=network.pk)
    )
    if network.is_closed:
        raise ValidationError(_("The network is closed."))
    children = list(Child.objects.filter(pk__in=[c.pk for c in children]).order_by("first_name", "pk"))
    if not children:
        raise ValidationError({"children": _("Choose at least one family.")})
    today = timezone.localdate(now)
    too_early = [c.first_name for c in children if not is_eligible(c, on=today)]
    if too_early:
        raise ValidationError(
            {
                "children": _(
                    "%(names)s cannot join: a family joins from pregnancy week 26 until the child is 1½."
                )
                % {"names": ", ".join(too_early)}
            }
        )
    active = list(network.members.filter(left_at__isnull=True).values_list("child_id", flat=True))
    new = [c for c in children if c.pk not in active]
    if len(active) + len(new) > HARD_MAX:
        raise ValidationError(
            {
                "children": _("A network has at most %(max)d families; this one has %(count)d already.")
                % {"max": HARD_MAX, "count": len(active)}
            }
        )
    taken = set(
        NetworkMember.objects.filter(child_id__in=[c.pk for c in new], left_at__isnull=True).values_list(
            "child_id", flat=True
        )
    )
    if taken:
        names = ", ".join(c.first_name for c in new if c.pk in taken)
        raise ValidationError({"children": _("%(names)s is already in a network.") % {"names": names}})
    number = network.members.aggregate(n=Max("number"))["n"] or 0
    members = []
    for child in new:
        number += 1
        members.append(
            NetworkMember(network=network, child=child, number=number, added_by=user, added_at=now)
        )
    try:
        with transaction.atomic():
            NetworkMember.objects.bulk_create(members)
    except IntegrityError:
        # Another network took one of the children between the check and the insert.
        raise ValidationError(
            {"children": _("One of the families joined another network just now.")}
        ) from None
    members = list(
        network.members.filter(child_id__in=[c.pk for c in new], left_at__isnull=True).select_related("child")
    )
    upcoming = list(network.meetings.filter(cancelled_at__isnull=True, starts_at__gt=now))
    for member in members:
        _record(request, member.child, AccessEvent.Action.CREATE, "network_member", network.pk)
        for network_meeting in upcoming:
            _invite(request, user, network, network_meeting, member, now)
    _notify_added(network, members)
    return members


@transaction.atomic
def network_member_remove(*, request, user, member: NetworkMember, now=None) -> NetworkMember:
    """The family leaves the network: its upcoming network meetings are cancelled (it is told), the
    others no longer see it. Its choices on names are deleted with the membership's end."""
    now = now or timezone.now()
    Network.objects.select_for_update().filter(pk=member.network_id).first()
    member = NetworkMember.objects.select_related("child").get(pk=member.pk)
    if member.left_at is not None:
        return member
    member.left_at = now
    member.save(update_fields=["left_at"])
    member.name_choices.all().delete()
    invitations = NetworkInvitation.objects.filter(
        member=member, meeting__starts_at__gt=now, network_meeting__cancelled_at__isnull=True
    ).select_related("meeting")
    for invitation in invitations:
        if not invitation.meeting.is_cancelled:
            meeting_cancel(request=request, user=user, meeting=invitation.meeting, by_staff=True, now=now)
    _record(request, member.child, AccessEvent.Action.UPDATE, "network_member_remove", member.network_id)
    return member


def _invite(request, user, network, network_meeting, member, now) -> NetworkInvitation:
    meeting = meeting_plan(
        request=request,
        user=user,
        kind=MeetingKind.NETWORK,
        institution=network.institution,
        child=member.child,
        title=network_meeting.title,
        starts_at=network_meeting.starts_at,
        ends_at=network_meeting.ends_at,
        location=network_meeting.location,
        agenda=network_meeting.agenda,
        hosts=[network.health_visitor],
        now=now,
    )
    return NetworkInvitation.objects.create(network_meeting=network_meeting, member=member, meeting=meeting)


@transaction.atomic
def network_meeting_plan(
    *, request, user, network: Network, title: str, starts_at, ends_at, location="", agenda="", now=None
) -> NetworkMeeting:
    """Plan a meeting of the network: each family now in it gets a meeting of its own (invitation,
    reminders, calendar); families added later are invited to it as they join."""
    now = now or timezone.now()
    network = (
        Network.objects.select_for_update(of=("self",))
        .select_related("institution", "health_visitor")
        .get(pk=network.pk)
    )
    if network.is_closed:
        raise ValidationError(_("The network is closed."))
    title = (title or "").strip() or _("Network meeting: %(name)s") % {"name": network.name}
    if ends_at <= starts_at:
        raise ValidationError({"end": _("The meeting must end after it starts.")})
    if starts_at <= now:
        raise ValidationError({"day": _("Choose a time in the future.")})
    members = list(network.members.filter(left_at__isnull=True).select_related("child").order_by("number"))
    if not members:
        raise ValidationError(_("Add the families before you plan a meeting."))
    network_meeting = NetworkMeeting.objects.create(
        network=network,
        title=title[:150],
        starts_at=starts_at,
        ends_at=ends_at,
        location=location,
        agenda=agenda,
        created_by=user,
        created_at=now,
    )
    for member in members:
        _invite(request, user, network, network_meeting, member, now)
    return network_meeting


@transaction.atomic
def network_meeting_cancel(*, request, user, network_meeting: NetworkMeeting, now=None) -> NetworkMeeting:
    """Cancel a meeting that has not begun: every family's meeting is cancelled and they are told.
    Locks the meeting; a second cancel changes nothing."""
    now = now or timezone.now()
    network_meeting = NetworkMeeting.objects.select_for_update().get(pk=network_meeting.pk)
    if network_meeting.is_cancelled:
        return network_meeting
    if network_meeting.starts_at <= now:
        raise ValidationError(_("A meeting that has begun cannot be cancelled."))
    network_meeting.cancelled_at = now
    network_meeting.save(update_fields=["cancelled_at"])
    for invitation in network_meeting.invitations.select_related("meeting").order_by("pk"):
        if not invitation.meeting.is_cancelled:
            meeting_cancel(request=request, user=user, meeting=invitation.meeting, by_staff=True, now=now)
    return network_meeting


@transaction.atomic
def network_close(*, request, user, network: Network, now=None) -> Network:
    """Close the network before it ends by itself: every family leaves it (and may join another), the
    coming meetings are cancelled (each family is told through the meetings' outbox) and the guardians
    get a notice. Locks the network; closing it again changes nothing."""
    now = now or timezone.now()
    network = Network.objects.select_for_update(of=("self",)).select_related("institution").get(pk=network.pk)
    if network.is_closed:
        return network
    network.closed_at = now
    network.save(update_fields=["closed_at"])
    for network_meeting in network.meetings.filter(cancelled_at__isnull=True, starts_at__gt=now):
        network_meeting_cancel(request=request, user=user, network_meeting=network_meeting, now=now)
    members = list(network.members.filter(left_at__isnull=True).select_related("child"))
    NetworkMember.objects.filter(pk__in=[m.pk for m in members]).update(left_at=now)
    NetworkNameChoice.objects.filter(member__in=[m.pk for m in members]).delete()
    for member in members:
        _record(request, member.child, AccessEvent.Action.UPDATE, "network_close", network.pk)
    _notify_closed(network, members)
    return network


@transaction.atomic
def network_names_choose(
    *, request, user, member: NetworkMember, agreed: bool, now=None
) -> NetworkNameChoice:
    """A custody holder's yes or no to the other families seeing their family's first names. A no (or
    a yes taken back) hides them from the next page the others open."""
    now = now or timezone.now()
    member = NetworkMember.objects.select_for_update(of=("self",)).select_related("child").get(pk=member.pk)
    if member.left_at is not None:
        raise ValidationError(_("The family is no longer in the network."))
    if (
        not Guardianship.objects.active()
        .filter(child_id=member.child_id, user=user, has_custody=True)
        .exists()
    ):
        raise ValidationError(_("Only a parent with custody can decide this."))
    choice, _created = NetworkNameChoice.objects.update_or_create(
        member=member, user=user, defaults={"agreed": agreed, "decided_at": now}
    )
    if request is not None:
        access_record(
            request=request,
            child=member.child,
            action=AccessEvent.Action.UPDATE,
            subject="network_names",
            object_id=member.network_id,
            actor_role=_("Parent or guardian"),
        )
    return choice


def _notify_added(network: Network, members) -> None:
    """Each guardian with a right to information is told the family is in the network, in their
    language; once per family and membership."""
    from portal.accounts.models import User

    for member in members:
        ids = Guardianship.objects.with_information().filter(child_id=member.child_id).values("user_id")
        people = User.objects.filter(pk__in=ids).order_by("pk")
        url = reverse("transitions:network_family", args=[member.child_id])

        def text(person, member=member):
            values = {
                "network": network.name,
                "name": member.child.first_name,
                "place": network.institution.name,
            }
            return (
                _("%(name)s's family is in the parent network “%(network)s”") % values,
                _(
                    "%(place)s has added your family to a parent network of expecting and new families. "
                    "See the meetings, and say whether the other families may see your first names: "
                    "until you say yes, they only see a number."
                )
                % values,
            )

        inbox_notify(
            people, kind=Notification.Kind.NETWORK, key=f"network-member-{member.pk}", url=url, text=text
        )


def _notify_closed(network: Network, members) -> None:
    """The guardians of each family that was in the network are told it has closed; once each."""
    from portal.accounts.models import User

    for member in members:
        ids = Guardianship.objects.with_information().filter(child_id=member.child_id).values("user_id")
        people = User.objects.filter(pk__in=ids).order_by("pk")

        def text(person, member=member):
            values = {"network": network.name, "place": network.institution.name}
            return (
                _("The parent network “%(network)s” has closed") % values,
                _(
                    "%(place)s has closed the network. Its coming meetings are cancelled; "
                    "your health visitor can tell you more."
                )
                % values,
            )

        inbox_notify(
            people,
            kind=Notification.Kind.NETWORK,
            key=f"network-closed-{member.pk}",
            url=reverse("children:child_detail", args=[member.child_id]),
            text=text,
        )
