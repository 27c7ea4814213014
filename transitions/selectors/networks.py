"""What the network pages and homes read, each in a fixed number of queries whatever the number of
families. The first names a family sees of another are decided here, in one place: both families
must have agreed (every custody holder of each said yes); otherwise "Family 3"."""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, DateField, Exists, F, IntegerField, Max, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _

from children.models import Guardianship
from portal.statements import Statement
from portal.todos import LIMIT, ChildRef, Todo
from transitions.models import Network, NetworkInvitation, NetworkMeeting, NetworkMember, NetworkNameChoice
from transitions.models.networks import AIM_MAX, AIM_MIN, END_MONTHS, HARD_MAX, add_months
from transitions.policies.networks import health_visiting_ids, networks_led_by


def family_label(number: int) -> str:
    return _("Family %(number)s") % {"number": number}


@dataclass
class Parent:
    user_id: int
    first_name: str
    full_name: str
    choice: bool | None  # None: not answered yet


@dataclass
class Family:
    """A family in the network as a page shows it."""

    member: NetworkMember
    parents: list[Parent] = field(default_factory=list)  # custody holders

    @property
    def number(self) -> int:
        return self.member.number

    @property
    def label(self) -> str:
        return family_label(self.member.number)

    @property
    def agreed(self) -> bool:
        """Every custody holder said yes (a family without one shares nothing)."""
        return bool(self.parents) and all(p.choice is True for p in self.parents)

    @property
    def undecided(self) -> bool:
        return any(p.choice is None for p in self.parents)

    @property
    def first_names(self) -> list[str]:
        return [self.member.child.first_name, *(p.first_name for p in self.parents)]


def ends_on(families: list[Family]) -> date | None:
    """When the network ends: the day its youngest child is 1½ (None while it has no families)."""
    days = [f.member.child.birth_date or f.member.child.expected_on for f in families]
    return add_months(max(days), END_MONTHS) if days else None


def size_warning(count: int) -> str:
    """A note when the network is outside the 8–10 families it aims at (adding is still allowed)."""
    if count < AIM_MIN:
        return _(
            "The network has %(count)d families. Networks work best with %(min)d–%(max)d families: "
            "you can add more."
        ) % {"count": count, "min": AIM_MIN, "max": AIM_MAX}
    if count > AIM_MAX:
        return _(
            "The network has %(count)d families, more than the %(min)d–%(max)d it aims at (at most %(hard)d)."
        ) % {"count": count, "min": AIM_MIN, "max": AIM_MAX, "hard": HARD_MAX}
    return ""


def families(network: Network) -> list[Family]:
    """The network's families now, by number, with their custody holders and each one's choice.
    Three queries."""
    members = list(
        NetworkMember.objects.filter(network=network, left_at__isnull=True)
        .select_related("child")
        .order_by("number")
    )
    by_child = {m.child_id: Family(member=m) for m in members}
    choices = {
        (c.member_id, c.user_id): c.agreed
        for c in NetworkNameChoice.objects.filter(member__in=[m.pk for m in members]).only(
            "member_id", "user_id", "agreed"
        )
    }
    holders = (
        Guardianship.objects.active()
        .filter(child_id__in=list(by_child), has_custody=True)
        .select_related("user")
        .order_by("child_id", "user__first_name", "user_id")
    )
    for g in holders:
        family = by_child[g.child_id]
        family.parents.append(
            Parent(
                user_id=g.user_id,
                first_name=g.user.first_name,
                full_name=g.user.get_full_name(),
                choice=choices.get((family.member.pk, g.user_id)),
            )
        )
    return list(by_child.values())


def network_meetings(network: Network) -> list[NetworkMeeting]:
    """The network's meetings by time, with how many families are invited. One query."""
    return list(
        NetworkMeeting.objects.filter(network=network)
        .annotate(invited=Count("invitations", filter=Q(invitations__meeting__status="planned")))
        .order_by("starts_at", "pk")
    )


def network_page(network: Network, *, now=None) -> dict:
    """The health visitor's page of a network. Four queries."""
    now = now or timezone.now()
    found = families(network)
    return {
        "families": found,
        "ends_on": ends_on(found),
        "warning": size_warning(len(found)),
        "meetings": network_meetings(network),
        "now": now,
        "hard_max": HARD_MAX,
        "full": len(found) >= HARD_MAX,
    }


@dataclass
class Seen:
    """Another family as a member sees it: first names only when both families agreed."""

    family: Family
    names: list[str]  # empty: only the label is shown
    own: bool

    @property
    def label(self) -> str:
        return self.family.label

    @property
    def shown(self) -> bool:
        return bool(self.names)


def family_page(member: NetworkMember, user, *, now=None) -> dict:
    """The network as a member family sees it: the families (names as consent allows, never a last
    name), this family's own choice per custody holder, and the family's meetings. Four queries."""
    now = now or timezone.now()
    found = families(member.network)
    own = next(f for f in found if f.member.pk == member.pk)
    seen = []
    for family in found:
        if family is own:
            seen.append(Seen(family=family, names=family.first_names, own=True))
        elif own.agreed and family.agreed:
            seen.append(Seen(family=family, names=family.first_names, own=False))
        else:
            seen.append(Seen(family=family, names=[], own=False))
    invitations = list(
        NetworkInvitation.objects.filter(member=member)
        .select_related("meeting", "network_meeting")
        .order_by("network_meeting__starts_at", "pk")
    )
    mine = next((p for p in own.parents if p.user_id == user.pk), None)
    return {
        "member": member,
        "network": member.network,
        "seen": seen,
        "own": own,
        "my_choice": mine.choice if mine else None,
        "ends_on": ends_on(found),
        "invitations": invitations,
        "now": now,
    }


def _youngest():
    return Subquery(
        NetworkMember.objects.filter(network=OuterRef("pk"), left_at__isnull=True)
        .order_by()
        .values("network")
        .annotate(d=Max(Coalesce("child__birth_date", "child__expected_on")))
        .values("d"),
        output_field=DateField(),
    )


def health_visitor_networks(user, *, now=None) -> list[Network]:
    """The networks this health visitor leads, with the number of families, the end date and the next
    meeting. One query."""
    now = now or timezone.now()
    count = (
        NetworkMember.objects.filter(network=OuterRef("pk"), left_at__isnull=True)
        .order_by()
        .values("network")
        .annotate(n=Count("pk"))
        .values("n")
    )
    next_meeting = (
        NetworkMeeting.objects.filter(network=OuterRef("pk"), cancelled_at__isnull=True, starts_at__gt=now)
        .order_by("starts_at")
        .values("starts_at")[:1]
    )
    networks = list(
        networks_led_by(user)
        .filter(closed_at__isnull=True)
        .select_related("institution")
        .annotate(
            family_count=Coalesce(Subquery(count, output_field=IntegerField()), 0),
            youngest=_youngest(),
            next_meeting_at=Subquery(next_meeting),
        )
        .order_by(F("next_meeting_at").asc(nulls_last=True), "starts_on", "pk")
    )
    for network in networks:
        network.ends_on = add_months(network.youngest, END_MONTHS) if network.youngest else None
        network.has_ended = network.ends_on is not None and network.ends_on <= timezone.localdate(now)
    return networks


def upcoming_network_meetings(user, *, now=None, limit: int = 5) -> list[NetworkMeeting]:
    """The next meetings of her networks. One query."""
    now = now or timezone.now()
    return list(
        NetworkMeeting.objects.filter(
            network__in=networks_led_by(user).values("pk"), cancelled_at__isnull=True, ends_at__gt=now
        )
        .select_related("network")
        .order_by("starts_at", "pk")[:limit]
    )


# ---------------------------------------------------------------------------------------------------
# The parents' to-do (portal.todos)
# ---------------------------------------------------------------------------------------------------
def _undecided(user):
    custody = Guardianship.objects.active().filter(user_id=user.pk, has_custody=True).values("child_id")
    decided = NetworkNameChoice.objects.filter(member=OuterRef("pk"), user_id=user.pk)
    # A network that has ended (its youngest child is 1½) asks nothing any more.
    young = NetworkMember.objects.filter(network=OuterRef("network"), left_at__isnull=True).filter(
        Q(child__birth_date__isnull=True)
        | Q(child__birth_date__gt=add_months(timezone.localdate(), -END_MONTHS))
    )
    return (
        NetworkMember.objects.filter(
            child_id__in=custody, left_at__isnull=True, network__closed_at__isnull=True
        )
        .filter(Exists(young))
        .exclude(Exists(decided))
        .order_by("added_at", "pk")
        .values("pk", "network__name", "child_id", "child__first_name", "child__municipality_id")[:LIMIT]
    )


_UNDECIDED = Statement(_undecided)


def name_choice_todos(user) -> list[Todo]:
    """Custody holders of a child in a network who have not said whether the other families may see
    their first names. One query."""
    return [
        Todo(
            kind="network",
            title=_("Say whether the network “%(network)s” may see your names")
            % {"network": row["network__name"]},
            url=reverse_lazy("transitions:network_family", args=[row["child_id"]]),
            action=_("Decide"),
            child=ChildRef.of(row),
        )
        for row in _UNDECIDED.rows(user)
    ]


def family_network_links(child_ids) -> dict[int, int]:
    """For the children given: those in a network now (child id → network id). One query."""
    return dict(
        NetworkMember.objects.filter(child_id__in=list(child_ids), left_at__isnull=True).values_list(
            "child_id", "network_id"
        )
    )


def child_network(child, user, *, guardian: bool) -> Network | None:
    """The network the child is in now, for the child page: guardians open "My network", the network's
    own health visitor its page; anyone else sees nothing of it. One query (none for other staff)."""
    if not guardian and not health_visiting_ids(user):
        return None
    network = Network.objects.filter(members__child=child, members__left_at__isnull=True).first()
    if network is None or (not guardian and network.health_visitor_id != user.pk):
        return None
    return network
