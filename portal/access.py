"""Who is who: the shared access predicates every app builds its policies on.

All access rules live here and in each app's ``policies.py``. Rules:

* A guardian sees their own children only. A guardian without custody keeps the right to
  information (forældreansvarsloven § 23) and sees the same pages, but makes no decisions
  (consents, agreements) and cannot change data; if the family court has withdrawn that right,
  they see nothing.
* Staff see the children currently enrolled at an institution where they work. Pedagogues,
  teachers and childminders write only for children in their own groups; leaders for the whole
  institution. Health visitors, youth education counsellors and psychologists work from a
  caseload: they see and write only for the children in their own groups (their families).
* Municipal administrators see their own municipality's organisation and aggregates, never
  another municipality, and no child's learning record.
"""

from dataclasses import dataclass

import rules
from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Q, QuerySet

from children.models import Child, Enrollment, Guardianship
from portal.organisation.models import MunicipalAdministrator, StaffMembership


@dataclass(frozen=True)
class Roles:
    guardian: bool
    staff: bool
    leader: bool
    administrator: bool
    operator: bool  # may use the Django admin (is_staff or is_superuser)

    @property
    def needs_mfa(self) -> bool:
        return self.staff or self.administrator or self.operator


NO_ROLES = Roles(guardian=False, staff=False, leader=False, administrator=False, operator=False)


def roles_of(user) -> Roles:
    """The roles a user holds, in one query, remembered on the user object for the request."""
    if not user.is_authenticated:
        return NO_ROLES
    cached = getattr(user, "_portal_roles", None)
    if cached is None:
        flags = (
            get_user_model()
            ._default_manager.filter(pk=user.pk)
            .annotate(
                _guardian=Exists(Guardianship.objects.with_information().filter(user=OuterRef("pk"))),
                _staff=Exists(StaffMembership.objects.active().filter(user=OuterRef("pk"))),
                _leader=Exists(
                    StaffMembership.objects.active().filter(
                        user=OuterRef("pk"), role=StaffMembership.Role.LEADER
                    )
                ),
                _admin=Exists(MunicipalAdministrator.objects.filter(user=OuterRef("pk"))),
            )
            .values_list("_guardian", "_staff", "_leader", "_admin")
            .get()
        )
        guardian, staff, leader, administrator = flags
        cached = Roles(
            guardian=guardian,
            staff=staff,
            leader=leader,
            administrator=administrator,
            operator=user.is_staff or user.is_superuser,
        )
        user._portal_roles = cached
    return cached


def _memberships(user) -> QuerySet[StaffMembership]:
    return StaffMembership.objects.active().filter(user=user)


def staff_enrollment_scope(user, *, writing: bool = False) -> Q:
    """A filter on current ``Enrollment`` rows for the children this staff member serves."""
    memberships = _memberships(user)
    if writing:
        whole_institution = memberships.filter(role=StaffMembership.Role.LEADER)
        own_groups = memberships.exclude(role=StaffMembership.Role.LEADER)
    else:
        whole_institution = memberships.exclude(role__in=StaffMembership.CASELOAD_ROLES)
        own_groups = memberships.filter(role__in=StaffMembership.CASELOAD_ROLES)
    group_ids = StaffMembership.groups.through.objects.filter(staffmembership__in=own_groups).values(
        "group_id"
    )
    return Q(institution__in=whole_institution.values("institution_id")) | Q(group__in=group_ids)


def children_of_guardian(user) -> QuerySet[Child]:
    return Child.objects.filter(
        Exists(Guardianship.objects.with_information().filter(child=OuterRef("pk"), user=user))
    )


def children_served_by(user, *, writing: bool = False) -> QuerySet[Child]:
    return Child.objects.filter(
        Exists(
            Enrollment.objects.current().filter(
                staff_enrollment_scope(user, writing=writing), child=OuterRef("pk")
            )
        )
    )


@rules.predicate
def is_guardian_of(user, child) -> bool:
    return (
        child is not None
        and user.is_authenticated
        and Guardianship.objects.with_information().filter(user=user, child=child).exists()
    )


@rules.predicate
def has_custody_of(user, child) -> bool:
    return (
        child is not None
        and user.is_authenticated
        and Guardianship.objects.active().filter(user=user, child=child, has_custody=True).exists()
    )


@rules.predicate
def serves_child(user, child) -> bool:
    return (
        child is not None and user.is_authenticated and children_served_by(user).filter(pk=child.pk).exists()
    )


@rules.predicate
def writes_for_child(user, child) -> bool:
    return (
        child is not None
        and user.is_authenticated
        and children_served_by(user, writing=True).filter(pk=child.pk).exists()
    )


@rules.predicate
def is_municipal_admin(user, municipality) -> bool:
    return (
        user.is_authenticated
        and municipality is not None
        and MunicipalAdministrator.objects.filter(user=user, municipality=municipality).exists()
    )


def administered_municipality_ids(user) -> QuerySet:
    return MunicipalAdministrator.objects.filter(user=user).values("municipality_id")
