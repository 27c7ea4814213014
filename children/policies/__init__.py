"""Who may see and change a child's data. Outsiders get 404, never a hint that the child exists."""

import rules
from django.conf import settings
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import translation

from children.models import Child, Enrollment, Guardianship, LearningGoal, current_enrollment
from portal.access import (
    children_of_guardian,
    children_served_by,
    is_guardian_of,
    serves_child,
    staff_enrollment_scope,
    staff_scope,
    writes_for_child,
)
from portal.organisation.models import Group, StaffMembership
from portal.organisation.selectors import roles_label_of
from portal.statements import Statement, columns


def children_visible_to(user) -> QuerySet[Child]:
    """Every child this user may see: as a guardian or as staff serving the child now."""
    if not user.is_authenticated:
        return Child.objects.none()
    return (children_of_guardian(user) | children_served_by(user)).distinct()


def can_view_child(user, child) -> bool:
    return children_visible_to(user).filter(pk=child.pk).exists()


def id_or_404(pk) -> int:
    """An id from a URL or a form, or 404: a database never sees text or a number beyond its range."""
    try:
        value = int(pk)
    except (TypeError, ValueError):
        raise Http404 from None
    if not 0 < value < 2**63:
        raise Http404
    return value


_VISIBLE_CHILD = Statement(
    lambda user, *, pk: children_visible_to(user).filter(pk=pk).values(*columns(Child)), pk=int
)
_INFORMED = Statement(
    lambda user, *, child: (
        Guardianship.objects.with_information()
        .filter(user=user, child_id=child)
        .order_by("pk")
        .values(*columns(Guardianship))[:1]
    ),
    child=int,
)
_ROLES_HERE = Statement(
    lambda user, *, child: (
        StaffMembership.objects.active()
        .filter(
            current_enrollment(prefix="institution__enrollments__"),
            user=user,
            institution__enrollments__child_id=child,
        )
        .order_by("institution__name", "role")
        .values("role", "institution__name")
        .distinct()
    ),
    child=int,
)
_WRITES_FOR = Statement(
    lambda user, *, child: (
        Enrollment.objects.current()
        .filter(staff_enrollment_scope(user, writing=True), child_id=child)
        .values("pk")[:1]
    ),
    child=int,
)


def get_child_for_user_or_404(user, pk) -> Child:
    """The child, if this person may see them (one query, a statement: every child page asks)."""
    pk = id_or_404(pk)
    child = _VISIBLE_CHILD.first(user, Child, pk=pk) if user.is_authenticated else None
    if child is None:
        raise Http404
    return child


def informed_guardianship(user, child) -> Guardianship | None:
    """The user's guardianship with a right to information, if they are one of the child's guardians."""
    if not user.is_authenticated:
        return None
    return _INFORMED.first(user, Guardianship, child=child.pk)


def viewer_role(user, child) -> tuple[Guardianship | None, str]:
    """How a user allowed to see the child relates to them: their guardianship (with the right to
    information), or None and a label of their staff roles where the child has a place now. The label
    is stored in the access log, so it is written in the portal's main language. Two queries at most."""
    guardianship = informed_guardianship(user, child)
    if guardianship:
        with translation.override(settings.LANGUAGE_CODE):
            return guardianship, str(guardianship.get_relation_display())
    here = _ROLES_HERE.rows(user, child=child.pk)
    return None, roles_label_of((row["role"], row["institution__name"]) for row in here)


def writes_for(user, child) -> bool:
    """Whether this staff member may write for the child now (one query)."""
    return bool(_WRITES_FOR.rows(user, child=child.pk))


def writing_enrollment(user, child) -> Enrollment | None:
    """The current enrollment through which this staff member may write for the child, if any."""
    return (
        Enrollment.objects.current()
        .filter(staff_enrollment_scope(user, writing=True), child=child)
        .select_related("institution")
        .order_by("-started_on", "pk")
        .first()
    )


def get_writable_child_or_404(user, pk) -> tuple[Child, Enrollment, str]:
    """A child this staff member may write for, the enrollment that allows it and their role label.
    Seeing a child does not mean writing for them: guardians and other staff get a plain 404."""
    child = get_child_for_user_or_404(user, pk)
    enrollment = writing_enrollment(user, child)
    if enrollment is None:
        raise Http404
    _guardianship, role_label = viewer_role(user, child)
    return child, enrollment, role_label


def groups_visible_to(user) -> QuerySet[Group]:
    """Groups a staff member works with: their own groups, and every group where they lead."""
    if not user.is_authenticated:
        return Group.objects.none()
    scope = staff_scope(user)
    leading = scope.institutions(lambda role: role == StaffMembership.Role.LEADER)
    return Group.objects.filter(Q(institution_id__in=leading) | Q(pk__in=scope.groups(lambda role: True)))


def get_group_for_user_or_404(user, pk) -> Group:
    try:
        return groups_visible_to(user).select_related("institution").get(pk=pk)
    except (Group.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def children_in_group_visible_to(user, group) -> QuerySet[Child]:
    """Children currently in the group, as far as this staff member may see them."""
    scope = staff_enrollment_scope(user)
    return Child.objects.filter(
        pk__in=Enrollment.objects.current().filter(scope, group=group).values("child_id")
    )


def can_add_goal(user, child) -> bool:
    return bool(writes_for_child(user, child))


def can_edit_goal(user, goal: LearningGoal) -> bool:
    return bool(writes_for_child(user, goal.child))


def can_see_access_log(user, child) -> bool:
    """Guardians may see who has looked at their child's data."""
    return bool(is_guardian_of(user, child))


rules.add_perm("children.view_child", is_guardian_of | serves_child)
rules.add_perm("children.add_learninggoal", writes_for_child)
