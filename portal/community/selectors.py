"""What a parent sees of their child's group: the first names the other families agreed to show. A
child's name is shown only while every current custody holder said yes; everything here is decided in
SQL, in a fixed number of queries whatever the size of the group."""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import BooleanField, Case, Exists, OuterRef, Subquery, Value, When
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _

from children.models import Enrollment, Guardianship
from children.policies import groups_visible_to
from portal.community.models import ContactParent, GroupMessage, NameSharing
from portal.organisation.models import Institution
from portal.statements import Statement
from portal.todos import LIMIT, ChildRef, Todo

# Where children spend their days together; a health visitor's caseload or PPR is no such group.
COMMUNITY_KINDS = [
    Institution.Kind.CHILDMINDING,
    Institution.Kind.NURSERY,
    Institution.Kind.KINDERGARTEN,
    Institution.Kind.INTEGRATED,
    Institution.Kind.SCHOOL,
    Institution.Kind.AFTER_SCHOOL,
]


# How long after a child joins a group the home asks the family about showing the name.
WELCOME = timedelta(days=30)
# How soon staff should send or decline a contact parent's message.
MESSAGE_ANSWER = timedelta(days=2)


@dataclass
class GroupNames:
    group_id: int
    group_name: str
    institution_name: str
    names: list[ChildRef] = field(default_factory=list)  # the children shown, alphabetically
    hidden: int = 0  # children whose families have not said yes
    contacts: list = field(default_factory=list)  # its contact parents and offers now
    mine: object = None  # the viewer's own offer or appointment, if any


def _shown():
    custody = Guardianship.objects.active().filter(child=OuterRef("child_id"), has_custody=True)
    agreed = NameSharing.objects.filter(child=OuterRef("child_id"), user=OuterRef("user_id"), show_name=True)
    return Case(
        When(Exists(custody) & ~Exists(custody.exclude(Exists(agreed))), then=Value(True)),
        default=Value(False),
        output_field=BooleanField(),
    )


def group_names(child) -> list[GroupNames]:
    """The child's groups now, each with the first names shown to its parents (alphabetically, never
    ranked) and how many are not shown. Two queries."""
    groups = {
        e.group_id: GroupNames(e.group_id, e.group.name, e.institution.name)
        for e in Enrollment.objects.current()
        .filter(child=child, group__isnull=False, institution__kind__in=COMMUNITY_KINDS)
        .select_related("group", "institution")
        .order_by("institution__name", "group__name")
    }
    if not groups:
        return []
    rows = (
        Enrollment.objects.current()
        .filter(group_id__in=list(groups))
        .annotate(shown=_shown())
        .order_by("child__first_name", "child_id")
        .values("group_id", "child_id", "child__first_name", "child__municipality_id", "shown")
        .distinct()
    )
    for row in rows:
        entry = groups[row["group_id"]]
        if row["shown"]:
            entry.names.append(ChildRef.of(row))
        else:
            entry.hidden += 1
    return list(groups.values())


def my_choice(child, user) -> bool | None:
    """The user's own answer for the child (None: not answered yet). One query."""
    return NameSharing.objects.filter(child=child, user=user).values_list("show_name", flat=True).first()


# ---------------------------------------------------------------------------------------------------
# The parents' to-do (portal.todos)
# ---------------------------------------------------------------------------------------------------
def _undecided(user, *, since):
    decided = NameSharing.objects.filter(child=OuterRef("child_id"), user_id=user.pk)
    joined = (
        Enrollment.objects.current()
        .filter(
            child=OuterRef("child_id"),
            group__isnull=False,
            institution__kind__in=COMMUNITY_KINDS,
            started_on__gte=since,
        )
        .order_by("started_on")
    )
    return (
        Guardianship.objects.active()
        .filter(user_id=user.pk, has_custody=True)
        .annotate(joined_on=Subquery(joined.values("started_on")[:1]))
        .filter(joined_on__isnull=False)
        .exclude(Exists(decided))
        .order_by("joined_on", "child_id")
        .values("child_id", "child__first_name", "child__municipality_id", "joined_on")[:LIMIT]
    )


_UNDECIDED = Statement(_undecided, since=date)


def name_sharing_todos(user) -> list[Todo]:
    """Custody holders of a child who joined a group in the last weeks and have not said whether the
    group's other parents may see the child's first name: a welcome, with a deadline, not a standing
    demand (answering is a free choice). One query."""
    today = timezone.localdate()
    return [
        Todo(
            kind="community",
            title=_("Say whether the other parents in the group may see %(name)s's first name")
            % {"name": row["child__first_name"]},
            url=reverse_lazy("community:group_names", args=[row["child_id"]]),
            action=_("Decide"),
            deadline=row["joined_on"] + WELCOME,
            child=ChildRef.of(row),
        )
        for row in _UNDECIDED.rows(user, since=today - WELCOME)
    ]


# ---------------------------------------------------------------------------------------------------
# Contact parents and their messages
# ---------------------------------------------------------------------------------------------------
def group_contacts(group_ids) -> dict[int, list[ContactParent]]:
    """The contact parents and offers of these groups now, with their names. One query."""
    contacts: dict[int, list[ContactParent]] = {pk: [] for pk in group_ids}
    for contact in (
        ContactParent.objects.filter(group_id__in=list(group_ids), ended_at__isnull=True)
        .select_related("user")
        .order_by("status", "volunteered_at", "pk")
    ):
        contacts[contact.group_id].append(contact)
    return contacts


def is_contact_parent(user, group) -> bool:
    return ContactParent.objects.filter(
        group=group, user=user, status=ContactParent.Status.APPOINTED, ended_at__isnull=True
    ).exists()


def staff_group_page(group) -> dict:
    """The staff's page of a group's contact parents: offers, appointed parents, waiting messages and
    the last ones handled. Three queries."""
    contacts = group_contacts([group.pk])[group.pk]
    messages = GroupMessage.objects.filter(group=group).select_related("decided_by")
    return {
        "offers": [c for c in contacts if c.status == ContactParent.Status.VOLUNTEERED],
        "appointed": [c for c in contacts if c.status == ContactParent.Status.APPOINTED],
        "waiting": list(messages.filter(status=GroupMessage.Status.WAITING).order_by("created_at", "pk")),
        "handled": list(
            messages.exclude(status=GroupMessage.Status.WAITING).order_by("-decided_at", "-pk")[:10]
        ),
    }


def _waiting_messages(user):
    return (
        GroupMessage.objects.filter(
            status=GroupMessage.Status.WAITING, group__in=groups_visible_to(user).values("pk")
        )
        .order_by("created_at", "pk")
        .values("pk", "group_id", "group__name", "created_at")[:LIMIT]
    )


def message_todos(user) -> list[Todo]:
    """Messages from contact parents waiting for the staff of their group: read them within two days.
    One query."""
    return [
        Todo(
            kind="group_message",
            title=_("A message from a contact parent in %(group)s waits to be sent")
            % {"group": row["group__name"]},
            url=reverse_lazy("community:group_contact", args=[row["group_id"]]),
            action=_("Read it"),
            deadline=row["created_at"] + MESSAGE_ANSWER,
        )
        for row in _waiting_messages(user)
    ]
