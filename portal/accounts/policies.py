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
    """Administrators see staff and administrator invitations of their municipality (a guardian invitation
    names a child, and administrators see no child); leaders see their institution's; everyone their own."""
    if not user.is_authenticated:
        return Invitation.objects.none()
    leading = StaffMembership.objects.active().filter(user=user, role=StaffMembership.Role.LEADER)
    return Invitation.objects.filter(
        Q(municipality__in=administered_municipality_ids(user), kind__in=ORGANISATION_KINDS)
        | Q(institution__in=leading.values("institution_id"))
        | Q(invited_by=user)
    )


ORGANISATION_KINDS = [Invitation.Kind.STAFF, Invitation.Kind.ADMINISTRATOR]


def get_invitation_for_user_or_404(user, pk) -> Invitation:
    try:
        return invitations_visible_to(user).get(pk=pk)
    except (Invitation.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def guardian_invitation_institution(user, child):
    """The institution through which this person may invite the child's guardians, or None."""
    if not user.is_authenticated:
        return None
    memberships = StaffMembership.objects.active().filter(user=user)
    leading = memberships.filter(role=StaffMembership.Role.LEADER).values("institution_id")
    caseload = StaffMembership.groups.through.objects.filter(
        staffmembership__in=memberships.filter(role__in=StaffMembership.CASELOAD_ROLES)
    ).values("group_id")
    enrollment = (
        Enrollment.objects.current()
        .filter(child=child)
        .filter(Q(institution__in=leading) | Q(group__in=caseload))
        .select_related("institution")
        .first()
    )
    return enrollment.institution if enrollment else None


def can_invite_guardian(user, child) -> bool:
    return guardian_invitation_institution(user, child) is not None
