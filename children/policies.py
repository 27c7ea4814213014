"""Who may see and change a child's data. Outsiders get 404, never a hint that the child exists."""

import rules
from django.db.models import Q, QuerySet
from django.http import Http404

from children.models import Child, Enrollment, LearningGoal
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


def children_visible_to(user) -> QuerySet[Child]:
    """Every child this user may see: as a guardian or as staff serving the child now."""
    if not user.is_authenticated:
        return Child.objects.none()
    return (children_of_guardian(user) | children_served_by(user)).distinct()


def can_view_child(user, child) -> bool:
    return children_visible_to(user).filter(pk=child.pk).exists()


def get_child_for_user_or_404(user, pk) -> Child:
    try:
        return children_visible_to(user).get(pk=pk)
    except (Child.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


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
