"""Reads the children pages need, each in a fixed number of queries whatever the number of rows."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, Subquery
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from children.models import Child, Enrollment, Guardianship, LearningGoal, LearningPlan, current_enrollment
from children.policies import children_in_group_visible_to, groups_visible_to
from children.policies.plans import plans_visible_to
from children.selectors.published import child_published_goals, my_published_goals
from portal.access import children_of_guardian, guardian_child_ids, staff_scope
from portal.audit.models import AccessEvent
from portal.audit.selectors import EventPage, event_page
from portal.organisation.models import Group, StaffMembership
from portal.statements import Statement, columns, instances, related_columns
from portal.todos import LIMIT, Todo

ACCESS_LOG_PAGE_SIZE = 50


@dataclass
class ChildCard:
    child: Child
    enrollments: list = field(default_factory=list)
    contacts: list = field(default_factory=list)
    in_network: bool = False  # in a parent network now: the card links to "My network"


def contacts_for_enrollments(enrollments) -> dict[int, list[StaffMembership]]:
    """Contact staff per enrollment: the group's staff, else the institution's leader. Two queries."""
    group_ids = {e.group_id for e in enrollments if e.group_id}
    institution_ids = {e.institution_id for e in enrollments}
    by_group: dict[int, list] = defaultdict(list)
    rows = (
        StaffMembership.groups.through.objects.filter(
            group_id__in=group_ids, staffmembership__is_contact=True
        )
        .filter(staffmembership__in=StaffMembership.objects.active())
        .select_related("staffmembership__user")
        .order_by("staffmembership__user__first_name")
    )
    for row in rows:
        by_group[row.group_id].append(row.staffmembership)
    leaders: dict[int, list] = defaultdict(list)
    for m in (
        StaffMembership.objects.active()
        .filter(institution_id__in=institution_ids, role=StaffMembership.Role.LEADER, is_contact=True)
        .select_related("user")
    ):
        leaders[m.institution_id].append(m)
    return _contacts_by_enrollment(enrollments, by_group, leaders)


def _contacts_by_enrollment(enrollments, by_group, leaders) -> dict[int, list[StaffMembership]]:
    return {e.pk: by_group.get(e.group_id) or leaders.get(e.institution_id, []) for e in enrollments}


def _my_enrollments(user):
    return Enrollment.objects.current().filter(child_id__in=guardian_child_ids(user))


_MY_CHILDREN = Statement(
    lambda user: children_of_guardian(user).order_by("birth_date", "pk").values(*columns(Child))
)
_MY_ENROLLMENTS = Statement(
    lambda user: (
        _my_enrollments(user)
        .order_by("started_on", "pk")
        .values(*related_columns(Enrollment, "institution", "group"))
    )
)
# The contact staff of my children's groups, and the leaders of their places (for a place or a group
# without a contact person).
_MY_GROUP_CONTACTS = Statement(
    lambda user: (
        StaffMembership.groups.through.objects.filter(
            group_id__in=_my_enrollments(user).values("group_id"), staffmembership__is_contact=True
        )
        .filter(staffmembership__in=StaffMembership.objects.active())
        .order_by("staffmembership__user__first_name", "pk")
        .values("group_id", *related_columns(StaffMembership, "user", prefix="staffmembership__"))
    )
)
_MY_LEADERS = Statement(
    lambda user: (
        StaffMembership.objects.active()
        .filter(
            institution_id__in=_my_enrollments(user).values("institution_id"),
            role=StaffMembership.Role.LEADER,
            is_contact=True,
        )
        .order_by("pk")
        .values(*related_columns(StaffMembership, "user"))
    )
)


def parent_home(user) -> dict:
    """My children with their places and contact staff, and what is new. Five queries, their SQL
    compiled once per shape of family."""
    children = _MY_CHILDREN.objects(user, Child)
    enrollments = _MY_ENROLLMENTS.objects(user, Enrollment, "institution", "group")
    by_group: dict[int, list] = defaultdict(list)
    rows = _MY_GROUP_CONTACTS.rows(user)
    members = instances(StaffMembership, rows, "user", prefix="staffmembership__")
    for row, membership in zip(rows, members, strict=True):
        by_group[row["group_id"]].append(membership)
    leaders: dict[int, list] = defaultdict(list)
    for membership in _MY_LEADERS.objects(user, StaffMembership, "user"):
        leaders[membership.institution_id].append(membership)
    contacts = _contacts_by_enrollment(enrollments, by_group, leaders)
    cards = {c.pk: ChildCard(child=c) for c in children}
    for e in enrollments:
        card = cards[e.child_id]
        card.enrollments.append(e)
        card.contacts.extend(m for m in contacts[e.pk] if m not in card.contacts)
    # What the families read: goals as published in the plans, never the staff's drafts.
    recent_goals = my_published_goals(user)[:5]
    return {"cards": list(cards.values()), "recent_goals": recent_goals}


_ENROLLMENTS = Statement(
    lambda user, *, child: (
        Enrollment.objects.filter(child_id=child)
        .order_by("-started_on", "pk")
        .values(*related_columns(Enrollment, "institution", "group"))
    ),
    child=int,
)
_LIVE_GOALS = Statement(
    lambda user, *, child: (
        LearningGoal.objects.filter(child_id=child)
        .order_by("-updated_at", "pk")
        .values(*related_columns(LearningGoal, "institution", "created_by"))
    ),
    child=int,
)
_PLANS = Statement(
    lambda user, *, child: (
        plans_visible_to(user)
        .filter(child_id=child)
        .order_by("pk")
        .values(*related_columns(LearningPlan, "institution"))
    ),
    child=int,
)
_GUARDIANS = Statement(
    lambda user, *, child: (
        Guardianship.objects.active()
        .filter(child_id=child)
        .order_by("-has_custody", "user_id")
        .values(*related_columns(Guardianship, "user"))
    ),
    child=int,
)


def child_page(child: Child, user, *, guardian: bool) -> dict:
    """Everything the child page shows, for a viewer already allowed to see the child: families the
    goals as published in the plans, staff the live goals (the drafts) and the plans they may open.
    Four queries, their SQL compiled once per process (every child page asks)."""
    enrollments = _ENROLLMENTS.objects(None, Enrollment, "institution", "group", child=child.pk)
    if guardian:
        goals = child_published_goals(child.pk)
    else:
        goals = _LIVE_GOALS.objects(None, LearningGoal, "institution", "created_by", child=child.pk)
    plans = _PLANS.objects(user, LearningPlan, "institution", child=child.pk)
    guardians = _GUARDIANS.objects(None, Guardianship, "user", child=child.pk)
    return {"enrollments": enrollments, "goals": goals, "guardians": guardians, "plans": plans}


def group_page(user, group) -> list[Child]:
    """The children in a group that this staff member may see, each with their number of goals."""
    return list(
        children_in_group_visible_to(user, group)
        .annotate(goal_count=Count("learning_goals"))
        .order_by("first_name")
    )


_MEMBERSHIPS = Statement(
    lambda user: (
        StaffMembership.objects.active()
        .filter(user=user)
        .order_by("institution__name", "pk")
        .values(*related_columns(StaffMembership, "institution"))
    )
)
_MY_GROUPS = Statement(
    lambda user: (
        Group.objects.filter(pk__in=staff_scope(user).groups(lambda role: True))
        .annotate(
            child_count=Count(
                "enrollments__child",
                distinct=True,
                filter=current_enrollment(prefix="enrollments__"),
            )
        )
        .order_by("institution__name", "school_year", "name", "pk")
        .values("child_count", *related_columns(Group, "institution"))
    )
)


def staff_home(user) -> dict:
    """The staff member's memberships and the groups they are attached to, each with ``child_count``:
    the children with a place in it now, each counted once (a leader finds all the institution's
    groups on its page). Two queries, their SQL compiled once per shape of person; the count filters
    on the joined enrollment rows of these groups only."""
    memberships = _MEMBERSHIPS.objects(user, StaffMembership, "institution")
    rows = _MY_GROUPS.rows(user)
    groups = instances(Group, rows, "institution")
    for group, row in zip(groups, rows, strict=True):
        group.child_count = row["child_count"]
    leads = [m.institution for m in memberships if m.role == StaffMembership.Role.LEADER]
    return {"memberships": memberships, "groups": groups, "leads": leads}


def access_log(user, child, *, before: str = "", after: str = "") -> EventPage:
    """A page of the reads and writes of the child's data by others than ``user``, newest first,
    described. One query, along the (child, -at) index."""
    events = (
        AccessEvent.objects.filter(child=child)
        .filter(~Q(actor=user))
        .only("at", "actor_name", "actor_role", "action", "subject")
    )
    return event_page(events, size=ACCESS_LOG_PAGE_SIZE, before=before, after=after, name=child.first_name)


# ---------------------------------------------------------------------------------------------------
# To-dos for the homes (portal.todos)
# ---------------------------------------------------------------------------------------------------
def _goal_gaps(user):
    in_progress = LearningGoal.objects.filter(
        child=OuterRef("child_id"), status=LearningGoal.Status.IN_PROGRESS
    )
    without = (
        Enrollment.objects.current()
        .filter(group=OuterRef("pk"))
        .exclude(Exists(in_progress))
        .order_by()
        .values("group")
        .annotate(n=Count("child", distinct=True))
        .values("n")
    )
    return (
        groups_visible_to(user)
        .annotate(n=Subquery(without, output_field=IntegerField()))
        .filter(n__gt=0)
        .order_by("name", "pk")
        .values("pk", "name", "n")[:LIMIT]
    )


_GOAL_GAPS = Statement(_goal_gaps)


def goal_gap_todos(user) -> list[Todo]:
    """Per group this staff member works with: how many children in it now have no goal in progress.
    One query (a count per group, from the small table of groups); no child is named."""
    return [
        Todo(
            kind="goal",
            title=ngettext(
                "%(count)s child in %(group)s has no goal in progress",
                "%(count)s children in %(group)s have no goal in progress",
                row["n"],
            )
            % {"count": row["n"], "group": row["name"]},
            url=reverse_lazy("children:group_detail", args=[row["pk"]]),
            action=_("Open the group"),
        )
        for row in _GOAL_GAPS.rows(user)
    ]
