"""Parent networks in the demo data: through the services in the small demo, in bulk (COPY) at
municipality scale."""

from collections import defaultdict
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from portal.organisation.models import Group, Institution, StaffMembership
from transitions.models import Network, NetworkMember, NetworkNameChoice
from transitions.models.networks import AIM_MAX, is_eligible

NETWORK = (
    "id",
    "institution_id",
    "health_visitor_id",
    "name",
    "starts_on",
    "created_by_id",
    "created_at",
    "closed_at",
)
MEMBER = ("id", "network_id", "child_id", "number", "added_by_id", "added_at", "left_at")
CHOICE = ("id", "member_id", "user_id", "agreed", "decided_at")
NETWORK_SIZE = 9  # families per network in the bulk data (the aim is 8–10)


def seed_small(*, sofie, caseload: Group, children, today: date, meeting_day: date) -> Network | None:
    """Sofie's "Netværk Vest" with the eligible families of her caseload, a meeting on ``meeting_day``
    at 10, and one family that has said yes to sharing first names."""
    from children.models import Guardianship
    from transitions.services import networks as services

    eligible = [c for c in children if is_eligible(c, on=today)]
    if not eligible:
        return None
    now = timezone.make_aware(datetime.combine(today, time(8, 0)))  # the demo's today, not the clock's
    network = services.network_create(
        now=now,
        request=None,
        user=sofie,
        institution=caseload.institution,
        name="Netværk Vest, vinter",
        starts_on=today,
        children=eligible,
    )
    starts = timezone.make_aware(datetime.combine(meeting_day, time(10, 0)))
    services.network_meeting_plan(
        now=now,
        request=None,
        user=sofie,
        network=network,
        title="Søvn, gråd og de første uger",
        starts_at=starts,
        ends_at=starts + timedelta(hours=1, minutes=30),
        location="Sundhedshuset, Værkmestergade 15, lokale 2",
        agenda="Vi præsenterer os for hinanden og taler om søvn og gråd. Tag gerne jeres spørgsmål med.",
    )
    first = network.members.order_by("number").select_related("child").first()
    for g in Guardianship.objects.active().filter(child=first.child, has_custody=True).select_related("user"):
        services.network_names_choose(request=None, user=g.user, member=first, agreed=True, now=now)
    return network


def networks_seed(*, source, rng):
    """The health visitors' parent networks at municipality scale, written after the families they are
    made of (``source``, flushed): a ``BulkWriter`` of its own, flushed, for its counts."""
    from portal.demo.bulk import BulkWriter

    target = BulkWriter(tables=[(Network, NETWORK), (NetworkMember, MEMBER), (NetworkNameChoice, CHOICE)])
    seed_bulk(source=source, target=target, rng=rng, today=timezone.localdate(), now=timezone.now())
    target.flush()
    return target


def seed_bulk(*, source, target, rng, today: date, now) -> None:
    """Networks of about nine families per health visitor's caseload, from the rows ``source`` (a
    ``portal.demo.bulk.BulkWriter`` already flushed) holds, into ``target``'s network tables:
    the eligible children (pregnancy week 26 to 1½) in order of their dates, most custody holders'
    answer on sharing names (seven in ten yes, one in ten no). Meetings are left to the services."""
    health = {row[0] for row in source.rows(Institution) if row[3] == Institution.Kind.HEALTH_VISITING}
    groups = {row[0]: (row[1], row[2]) for row in source.rows(Group) if row[1] in health}
    visitor_of = {}
    role = StaffMembership.Role.HEALTH_VISITOR
    memberships = {
        row[0]: row[1] for row in source.rows(StaffMembership) if row[3] == role and row[6] is None
    }
    for _pk, membership_id, group_id in source.rows(StaffMembership.groups.through):
        if membership_id in memberships and group_id in groups:
            visitor_of.setdefault(group_id, memberships[membership_id])
    from children.models import Child, Enrollment, Guardianship

    dates = {row[0]: (row[4], row[5]) for row in source.rows(Child)}
    in_group = defaultdict(list)
    for _pk, child_id, _institution, group_id, started, ended in source.rows(Enrollment):
        if group_id in visitor_of and ended is None and started <= today:
            birth_date, expected_on = dates[child_id]
            if is_eligible(_Dates(birth_date, expected_on), on=today):
                in_group[group_id].append((birth_date or expected_on, child_id))
    holders = defaultdict(list)
    for row in source.rows(Guardianship):
        if row[4] and row[9] is None:  # custody, not ended
            holders[row[1]].append(row[2])
    networks, members, choices = (
        target.rows(Network),
        target.rows(NetworkMember),
        target.rows(NetworkNameChoice),
    )
    network_ids, member_ids, choice_ids = (
        target.ids(Network),
        target.ids(NetworkMember),
        target.ids(NetworkNameChoice),
    )
    for group_id in sorted(in_group):
        institution_id, group_name = groups[group_id]
        visitor = visitor_of[group_id]
        families = sorted(in_group[group_id])
        count = max(1, round(len(families) / NETWORK_SIZE))
        size = min(AIM_MAX, -(-len(families) // count))
        for n, start in enumerate(range(0, len(families), size)):
            network_id = next(network_ids)
            networks.append(
                (
                    network_id,
                    institution_id,
                    visitor,
                    f"Netværk {group_name}, hold {n + 1}",
                    today,
                    visitor,
                    now,
                    None,
                )
            )
            for number, (_day, child_id) in enumerate(families[start : start + size], start=1):
                member_id = next(member_ids)
                members.append((member_id, network_id, child_id, number, visitor, now, None))
                for user_id in holders[child_id]:
                    answer = rng.random()
                    if answer < 0.8:
                        choices.append((next(choice_ids), member_id, user_id, answer < 0.7, now))


class _Dates:
    def __init__(self, birth_date, expected_on):
        self.birth_date, self.expected_on = birth_date, expected_on
