"""Who may invite whom. Administrators invite staff and administrators of their municipality;
leaders invite staff to their institution; leaders and caseload staff (health visitors, counsellors)
invite the guardians of the children they serve."""

from django.db.models import Q, QuerySet
from django.http import Http404

from children.models import Enrollment
from portal.access import administered_municipality_ids
from portal.accounts.models import Invitation
from portal.organisation.models import StaffMembership


def invitations_visible_to(user) -> QuerySet[Invitation]:
    if not user.is_authenticated:
        return Invitation.objects.none()
    leading = StaffMembership.objects.active().filter(user=user, role=StaffMembership.Role.LEADER)
    return Invitation.objects.filter(
        Q(municipality__in=administered_municipality_ids(user))
        | Q(institution__in=leading.values("institution_id"))
    )


def get_invitation_for_user_or_404(user, pk) -> Invitation:
    try:
        return invitations_visible_to(user).get(pk=pk)
    except (Invitation.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def can_invite_guardian(user, child) -> bool:
    if not user.is_authenticated:
        return False
    memberships = StaffMembership.objects.active().filter(user=user)
    leading = memberships.filter(role=StaffMembership.Role.LEADER).values("institution_id")
    caseload = StaffMembership.groups.through.objects.filter(
        staffmembership__in=memberships.filter(role__in=StaffMembership.CASELOAD_ROLES)
    ).values("group_id")
    return (
        Enrollment.objects.current()
        .filter(child=child)
        .filter(Q(institution__in=leading) | Q(group__in=caseload))
        .exists()
    )
