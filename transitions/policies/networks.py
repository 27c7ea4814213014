"""Who may form, see and use parent networks.

* A health visitor (an active health-visitor membership at a health-visiting institution) forms
  networks there and leads them. Only the network's own health visitor sees and manages it, and she
  adds only children of her own caseload at that institution. Other health visitors, leaders and
  administrators get 404.
* The guardians of a member child with a right to information open the family's network page; only
  custody holders say whether the others may see the family's first names.
* Everyone else gets 404. A family never learns another family's last name or address.
"""

from datetime import timedelta

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from children.models import Child, Enrollment, Guardianship
from children.policies import id_or_404
from portal.access import guardian_child_ids, roles_of, staff_scope
from portal.organisation.models import Institution, StaffMembership
from transitions.models import Network, NetworkMeeting, NetworkMember
from transitions.models.networks import END_MONTHS, JOIN_FROM_WEEK, PREGNANCY_WEEKS, add_months


def health_visiting_ids(user) -> list[int]:
    """The health-visiting institutions where this person works as a health visitor today (no query:
    the staff scope is read once per request)."""
    return staff_scope(user).institutions(lambda role: role == StaffMembership.Role.HEALTH_VISITOR)


def network_institutions(user) -> QuerySet[Institution]:
    """Where this health visitor may form networks."""
    return Institution.objects.filter(
        pk__in=health_visiting_ids(user), kind=Institution.Kind.HEALTH_VISITING, is_active=True
    ).order_by("name")


def networks_led_by(user) -> QuerySet[Network]:
    """The networks this person leads as a health visitor at the network's institution today."""
    if not user.is_authenticated or not roles_of(user).staff:
        return Network.objects.none()
    return Network.objects.filter(health_visitor_id=user.pk, institution_id__in=health_visiting_ids(user))


def get_network_for_health_visitor_or_404(user, pk) -> Network:
    pk = id_or_404(pk)
    network = networks_led_by(user).filter(pk=pk).select_related("institution", "health_visitor").first()
    if network is None:
        raise Http404
    return network


def get_network_meeting_or_404(network: Network, pk) -> NetworkMeeting:
    pk = id_or_404(pk)
    meeting = NetworkMeeting.objects.filter(network=network, pk=pk).first()
    if meeting is None:
        raise Http404
    return meeting


def get_member_or_404(network: Network, pk) -> NetworkMember:
    pk = id_or_404(pk)
    member = (
        NetworkMember.objects.filter(network=network, pk=pk, left_at__isnull=True)
        .select_related("child")
        .first()
    )
    if member is None:
        raise Http404
    return member


def caseload_children(user, institution_id: int) -> QuerySet[Child]:
    """The children this health visitor serves at the institution: her own caseload groups there."""
    groups = staff_scope(user).groups(lambda role: role == StaffMembership.Role.HEALTH_VISITOR)
    return Child.objects.filter(
        Exists(
            Enrollment.objects.current().filter(
                child=OuterRef("pk"), institution_id=institution_id, group_id__in=groups
            )
        )
    )


def eligible_children(user, network: Network, *, on) -> QuerySet[Child]:
    """Children of her caseload at the network's place who may join today: from pregnancy week 26, or
    born and under 1½, and in no network now."""
    expected_by = on + timedelta(weeks=PREGNANCY_WEEKS - JOIN_FROM_WEEK)
    born_after = add_months(on, -END_MONTHS)
    in_network = NetworkMember.objects.filter(child=OuterRef("pk"), left_at__isnull=True)
    return (
        caseload_children(user, network.institution_id)
        .filter(
            Q(birth_date__isnull=True, expected_on__lte=expected_by) | Q(birth_date__gt=born_after),
            municipality_id=network.institution.municipality_id,
        )
        .exclude(Exists(in_network))
    )


def family_member_or_404(user, child_pk) -> tuple[NetworkMember, bool]:
    """The child's place in a network, for a guardian with a right to information, and whether they
    hold custody (and so decide). 404 for anyone else, and when the child is in no network. One query
    (the guardian's children are read once per request)."""
    pk = id_or_404(child_pk)
    if not user.is_authenticated or pk not in guardian_child_ids(user):
        raise Http404
    custody = Guardianship.objects.active().filter(
        child_id=OuterRef("child_id"), user_id=user.pk, has_custody=True
    )
    member = (
        NetworkMember.objects.filter(child_id=pk, left_at__isnull=True)
        .annotate(custody=Exists(custody))
        .select_related("network__institution", "network__health_visitor", "child")
        .first()
    )
    if member is None:
        raise Http404
    return member, member.custody
