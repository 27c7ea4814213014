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

from children.models import Child, Enrollment, Guardianship, PupilAccount
from portal.organisation.models import MunicipalAdministrator, StaffMembership


@dataclass(frozen=True)
class Roles:
    guardian: bool
    staff: bool
    leader: bool
    administrator: bool
    operator: bool  # may use the Django admin (is_staff or is_superuser)
    pupil: bool = False  # a pupil's own login (children.PupilAccount, not revoked)

    @property
    def needs_mfa(self) -> bool:
        return self.staff or self.administrator or self.operator


NO_ROLES = Roles(guardian=False, staff=False, leader=False, administrator=False, operator=False)


def _roles_sql() -> str:
    g = Guardianship._meta.db_table
    m = StaffMembership._meta.db_table
    a = MunicipalAdministrator._meta.db_table
    p = PupilAccount._meta.db_table
    active = "m.user_id = %s AND m.started_on <= %s AND (m.ended_on IS NULL OR m.ended_on > %s)"
    # Table names from the models, values as parameters.
    return (
        f"SELECT EXISTS (SELECT 1 FROM {g} g WHERE g.user_id = %s AND g.ended_on IS NULL"  # noqa: S608
        f" AND (g.has_custody OR NOT g.information_withdrawn)),"
        f" EXISTS (SELECT 1 FROM {m} m WHERE {active}),"
        f" EXISTS (SELECT 1 FROM {m} m WHERE {active} AND m.role = %s),"
        f" EXISTS (SELECT 1 FROM {a} a WHERE a.user_id = %s),"
        f" EXISTS (SELECT 1 FROM {p} p WHERE p.user_id = %s AND p.revoked_at IS NULL)"
    )


_ROLES_SQL = _roles_sql()


def roles_of(user) -> Roles:
    """The roles a user holds, remembered on the user object for the request.

    Every signed-in request asks (the MFA middleware, the menu), so this is one small query written
    as SQL: building it with the ORM cost more CPU than the rest of a minimal page. It says what
    ``Guardianship.objects.with_information()``, ``StaffMembership.objects.active()``,
    ``MunicipalAdministrator`` and ``PupilAccount.objects.active()`` say;
    ``tests/portal/test_access_roles.py`` holds it to them.
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
                 user.pk, user.pk],
            )  # fmt: skip
            guardian, staff, leader, administrator, pupil = (bool(flag) for flag in cursor.fetchone())
        cached = Roles(
            guardian=guardian,
            staff=staff,
            leader=leader,
            administrator=administrator,
            operator=user.is_staff or user.is_superuser,
            pupil=pupil,
        )
        user._portal_roles = cached
    return cached


@dataclass(frozen=True)
class StaffScope:
    """Where a staff member works today: per active membership its institution, role and groups."""

    memberships: tuple[tuple[int, str, frozenset[int]], ...]

    def institutions(self, keep) -> list[int]:
        return sorted({institution for institution, role, _groups in self.memberships if keep(role)})

    def groups(self, keep) -> list[int]:
        return sorted({g for _institution, role, groups in self.memberships if keep(role) for g in groups})


def staff_scope(user) -> StaffScope:
    """The user's active memberships, read in one query and remembered on the user object for the
    request, so that every access filter of the request is a plain list of ids instead of subqueries
    (no query for someone without a staff role: ``roles_of`` is read on every request anyway)."""
    cached = getattr(user, "_portal_staff_scope", None)
    if cached is None and not roles_of(user).staff:
        cached = user._portal_staff_scope = StaffScope(())
    if cached is None:
        groups: dict[tuple[int, int, str], set] = {}
        for pk, institution, role, group in (
            StaffMembership.objects.active()
            .filter(user=user)
            .values_list("pk", "institution_id", "role", "groups")
            .order_by()
        ):
            found = groups.setdefault((pk, institution, role), set())
            if group is not None:
                found.add(group)
        cached = StaffScope(
            tuple((institution, role, frozenset(g)) for (_pk, institution, role), g in groups.items())
        )
        user._portal_staff_scope = cached
    return cached


def guardian_child_ids(user) -> list[int]:
    """The children this guardian may see (custody or a right to information), read once per request."""
    cached = getattr(user, "_portal_guardian_children", None)
    if cached is None and not roles_of(user).guardian:
        cached = user._portal_guardian_children = []
    if cached is None:
        cached = sorted(
            Guardianship.objects.with_information().filter(user=user).values_list("child_id", flat=True)
        )
        user._portal_guardian_children = cached
    return cached


def staff_enrollment_scope(user, *, writing: bool = False) -> Q:
    """A filter on current ``Enrollment`` rows for the children this staff member serves."""
    scope = staff_scope(user)
    leader, caseload = StaffMembership.Role.LEADER, StaffMembership.CASELOAD_ROLES
    if writing:
        whole_institution = scope.institutions(lambda role: role == leader)
        own_groups = scope.groups(lambda role: role != leader)
    else:
        whole_institution = scope.institutions(lambda role: role not in caseload)
        own_groups = scope.groups(lambda role: role in caseload)
    return Q(institution_id__in=whole_institution) | Q(group_id__in=own_groups)


def children_of_guardian(user) -> QuerySet[Child]:
    return Child.objects.filter(pk__in=guardian_child_ids(user))


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
