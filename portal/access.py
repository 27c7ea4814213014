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
from django.db import connection
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

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


def _roles_sql() -> str:
    g = Guardianship._meta.db_table
    m = StaffMembership._meta.db_table
    a = MunicipalAdministrator._meta.db_table
    active = "m.user_id = %s AND m.started_on <= %s AND (m.ended_on IS NULL OR m.ended_on > %s)"
    # Table names from the models, values as parameters.
    return (
        f"SELECT EXISTS (SELECT 1 FROM {g} g WHERE g.user_id = %s AND g.ended_on IS NULL"  # noqa: S608
        f" AND (g.has_custody OR NOT g.information_withdrawn)),"
        f" EXISTS (SELECT 1 FROM {m} m WHERE {active}),"
        f" EXISTS (SELECT 1 FROM {m} m WHERE {active} AND m.role = %s),"
        f" EXISTS (SELECT 1 FROM {a} a WHERE a.user_id = %s)"
    )


_ROLES_SQL = _roles_sql()


def roles_of(user) -> Roles:
    """The roles a user holds, remembered on the user object for the request.

    Every signed-in request asks (the MFA middleware, the menu), so this is one small query written
    as SQL: building it with the ORM cost more CPU than the rest of a minimal page. It says what
    ``Guardianship.objects.with_information()``, ``StaffMembership.objects.active()`` and
    ``MunicipalAdministrator`` say; ``tests/test_access_roles.py`` holds it to them.
    """
    if not user.is_authenticated:
        return NO_ROLES
    cached = getattr(user, "_portal_roles", None)
    if cached is None:
        today = timezone.localdate()
        with connection.cursor() as cursor:
            cursor.execute(
                _ROLES_SQL,
                [user.pk, user.pk, today, today, user.pk, today, today, StaffMembership.Role.LEADER,
                 user.pk],
            )  # fmt: skip
            guardian, staff, leader, administrator = (bool(flag) for flag in cursor.fetchone())
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
