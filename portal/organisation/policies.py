"""Who may manage which part of the organisation.

Administrators manage their municipality; leaders their institution.
"""

from django.db.models import Q, QuerySet
from django.http import Http404

from portal.access import administered_municipality_ids
from portal.organisation.models import Group, Institution, Municipality, StaffMembership


def municipality_for_admin(user) -> Municipality | None:
    """The municipality this administrator works for (one per person in practice)."""
    if not user.is_authenticated:
        return None
    return Municipality.objects.filter(pk__in=administered_municipality_ids(user)).order_by("pk").first()


def get_admin_municipality_or_404(user) -> Municipality:
    municipality = municipality_for_admin(user)
    if municipality is None:
        raise Http404
    return municipality


def institutions_managed_by(user) -> QuerySet[Institution]:
    """Institutions this user may manage: all in their municipality (administrator) or where they lead."""
    if not user.is_authenticated:
        return Institution.objects.none()
    leading = StaffMembership.objects.active().filter(user=user, role=StaffMembership.Role.LEADER)
    return Institution.objects.filter(
        Q(municipality__in=administered_municipality_ids(user)) | Q(pk__in=leading.values("institution_id"))
    )


def get_institution_for_manager_or_404(user, pk) -> Institution:
    try:
        return institutions_managed_by(user).select_related("municipality").get(pk=pk)
    except (Institution.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def get_group_for_manager_or_404(user, institution, pk) -> Group:
    try:
        return Group.objects.get(pk=pk, institution=institution)
    except (Group.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def can_manage_organisation(user, municipality) -> bool:
    """Only administrators create institutions or administrators."""
    return municipality_for_admin(user) == municipality


def is_leader_of(user, institution) -> bool:
    return (
        StaffMembership.objects.active()
        .filter(user=user, institution=institution, role=StaffMembership.Role.LEADER)
        .exists()
    )
