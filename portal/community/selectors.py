"""What a parent sees of their child's group: the first names the other families agreed to show. A
child's name is shown only while every current custody holder said yes; everything here is decided in
SQL, in a fixed number of queries whatever the size of the group."""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db.models import BooleanField, Case, Count, Exists, F, OuterRef, Q, Subquery, Value, When
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _

from children.models import Enrollment, Guardianship
from children.policies import groups_visible_to
from portal.community.models import (
    ContactParent,
    Election,
    GroupMessage,
    NameSharing,
    ParentFriend,
    PlayDate,
    PlayDateAnswer,
    Portrait,
    Vote,
    Welcome,
)
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
    photos: set = field(default_factory=set)  # those of them whose photo is shown too
    hidden: int = 0  # children whose families have not said yes
    contacts: list = field(default_factory=list)  # its contact parents and offers now
    mine: object = None  # the viewer's own offer or appointment, if any
    election: object = None  # the vote on contact parents open now, if any
    vote_form: object = None


def _shown(**yes):
    """True when the child has custody holders and every one of them said yes to ``yes``."""
    custody = Guardianship.objects.active().filter(child=OuterRef("child_id"), has_custody=True)
    agreed = NameSharing.objects.filter(child=OuterRef("child_id"), user=OuterRef("user_id"), **yes)
    return Case(
        When(Exists(custody) & ~Exists(custody.exclude(Exists(agreed))), then=Value(True)),
        default=Value(False),
        output_field=BooleanField(),
    )


def _photo_shown():
    portrait = Portrait.objects.filter(child=OuterRef("child_id"))
    return Case(
        When(Exists(portrait) & Q(shown=True) & Q(photo_agreed=True), then=Value(True)),
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
        .annotate(shown=_shown(show_name=True), photo_agreed=_shown(show_photo=True))
        .annotate(photo=_photo_shown())
        .order_by("child__first_name", "child_id")
        .values("group_id", "child_id", "child__first_name", "child__municipality_id", "shown", "photo")
        .distinct()
    )
    for row in rows:
        entry = groups[row["group_id"]]
        if row["shown"]:
            entry.names.append(ChildRef.of(row))
            if row["photo"]:
                entry.photos.add(row["child_id"])
        else:
            entry.hidden += 1
    return list(groups.values())


def group_names_shown(group) -> set[int]:
    """The children in the group now whose first names are shown to its parents. One query."""
    return set(
        Enrollment.objects.current()
        .filter(group=group)
        .annotate(shown=_shown(show_name=True))
        .filter(shown=True)
        .values_list("child_id", flat=True)
    )


def my_choice(child, user) -> dict | None:
    """The user's own answers for the child, ``show_name`` and ``show_photo`` (None: not answered yet).
    One query."""
    return NameSharing.objects.filter(child=child, user=user).values("show_name", "show_photo").first()


def photo_visible(viewer_child, child_pk: int) -> bool:
    """May the parents of ``viewer_child`` see ``child_pk``'s photo: the two share a group now where
    the photo is shown, or it is their own child's. One query."""
    if viewer_child.pk == child_pk:
        return Portrait.objects.filter(child_id=child_pk).exists()
    groups = (
        Enrollment.objects.current()
        .filter(child=viewer_child, group__isnull=False, institution__kind__in=COMMUNITY_KINDS)
        .values("group_id")
    )
    return (
        Enrollment.objects.current()
        .filter(child_id=child_pk, group_id__in=groups)
        .annotate(shown=_shown(show_name=True), photo_agreed=_shown(show_photo=True))
        .annotate(photo=_photo_shown())
        .filter(photo=True)
        .exists()
    )


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
    """The staff's page of a group's contact parents: offers and appointed parents (with their votes in
    the last vote closed), the vote open now, parent friends, waiting messages and the last ones
    handled. Five queries."""
    contacts = group_contacts([group.pk])[group.pk]
    messages = GroupMessage.objects.filter(group=group).select_related("decided_by")
    votes = staff_elections(group)
    counts = dict(map(tuple, votes["last_election"].result)) if votes["last_election"] else {}
    for contact in contacts:
        contact.vote_count = counts.get(contact.pk)
    return {
        **votes,
        "friends": list(
            ParentFriend.objects.filter(group=group, ended_at__isnull=True).order_by("volunteered_at", "pk")
        ),
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


# ---------------------------------------------------------------------------------------------------
# Play dates and parent friends
# ---------------------------------------------------------------------------------------------------
# How soon a parent friend should answer a new family.
WELCOME_ANSWER = timedelta(days=7)
# The coming play dates a group's page lists, soonest first.
PLAY_DATES_SHOWN = 30


def visible_play_dates(child, user):
    """Play dates the child's family may see: in the child's groups now, open to the group, inviting the
    child, or their own."""
    groups = Enrollment.objects.current().filter(child=child, group__isnull=False).values("group_id")
    return PlayDate.objects.filter(group_id__in=groups).filter(
        Q(invited__isnull=True) | Q(invited=child) | Q(host_child=child) | Q(host=user)
    )


def group_play_dates(child, user, *, today) -> list[PlayDate]:
    """The coming play dates the family may see, soonest first, each with how many children are coming
    and the family's own answer (``mine``: True, False or None). One query."""
    mine = PlayDateAnswer.objects.filter(play_date=OuterRef("pk"), child=child).values("coming")[:1]
    return list(
        visible_play_dates(child, user)
        .filter(day__gte=today, cancelled_at__isnull=True)
        .select_related("host_child", "invited")
        .annotate(coming=Count("answers", filter=Q(answers__coming=True)), mine=Subquery(mine))
        .order_by("day", "starts_at", "pk")[:PLAY_DATES_SHOWN]
    )


def met_children(child) -> set[int]:
    """The children this child has been on a play date with (as host or guest, not cancelled). One
    query."""
    together = PlayDate.objects.filter(cancelled_at__isnull=True).filter(
        Q(host_child=child)
        | Q(pk__in=PlayDateAnswer.objects.filter(child=child, coming=True).values("play_date_id"))
    )
    hosts = (
        PlayDate.objects.filter(pk__in=together.values("pk"))
        .order_by()
        .values_list("host_child_id", flat=True)
    )
    guests = (
        PlayDateAnswer.objects.filter(play_date__in=together.values("pk"), coming=True)
        .order_by()
        .values_list("child_id", flat=True)
    )
    return set(hosts.union(guests).order_by()) - {child.pk}


def play_date_answers(play_date) -> list[PlayDateAnswer]:
    """The answers to a play date, for its host: who is coming, first. One query."""
    return list(play_date.answers.select_related("child").order_by("-coming", "answered_at", "pk"))


def play_date_answers_of(play_date, child) -> list[PlayDateAnswer]:
    """The child's own answer to the play date, if any. One query."""
    return list(play_date.answers.filter(child=child))


def group_friends(group_ids, user) -> dict[int, list[ParentFriend]]:
    """The parent friends of these groups now, each with ``asked``: whether the user has asked them to
    welcome their family. One query."""
    asked = Welcome.objects.filter(friend=OuterRef("pk"), user_id=user.pk)
    friends: dict[int, list[ParentFriend]] = {pk: [] for pk in group_ids}
    for friend in (
        ParentFriend.objects.filter(group_id__in=list(group_ids), ended_at__isnull=True)
        .annotate(asked=Exists(asked))
        .order_by("volunteered_at", "pk")
    ):
        friends[friend.group_id].append(friend)
    return friends


def _invitations(user, *, today):
    informed = Guardianship.objects.with_information().filter(user_id=user.pk).values("child_id")
    answered = PlayDateAnswer.objects.filter(play_date=OuterRef("pk"), child=OuterRef("invited_id"))
    return (
        PlayDate.objects.filter(invited__in=informed, cancelled_at__isnull=True, day__gte=today)
        .exclude(Exists(answered))
        .order_by("day", "pk")
        .values(
            "pk",
            "day",
            "invited_id",
            "invited__first_name",
            "invited__municipality_id",
            "host_child__first_name",
        )[:LIMIT]
    )


_INVITATIONS = Statement(_invitations, today=date)


def play_date_todos(user) -> list[Todo]:
    """Play dates a family was invited to and has not answered, by the day of the play date. One query."""
    return [
        Todo(
            kind="play_date",
            title=_("%(host)s has invited %(name)s to a play date") % {
                "host": row["host_child__first_name"], "name": row["invited__first_name"]
            },
            url=reverse_lazy("community:play_date", args=[row["invited_id"], row["pk"]]),
            action=_("Answer"),
            deadline=row["day"],
            child=ChildRef.of(row, "invited"),
        )
        for row in _INVITATIONS.rows(user, today=timezone.localdate())
    ]  # fmt: skip


def _welcomes_waiting(user):
    return (
        Welcome.objects.filter(
            friend__user_id=user.pk, friend__ended_at__isnull=True, answered_at__isnull=True
        )
        .order_by("asked_at", "pk")
        .values("pk", "asked_at", "user_name", "friend__group__name")[:LIMIT]
    )


_WELCOMES = Statement(_welcomes_waiting)


def welcome_todos(user) -> list[Todo]:
    """New families who asked this parent friend to welcome them: answer within a week. One query."""
    return [
        Todo(
            kind="welcome",
            title=_("%(parent)s, new in %(group)s, would like you to welcome them")
            % {"parent": row["user_name"], "group": row["friend__group__name"]},
            url=reverse_lazy("community:welcome_answer", args=[row["pk"]]),
            action=_("Answer"),
            deadline=row["asked_at"] + WELCOME_ANSWER,
        )
        for row in _WELCOMES.rows(user)
    ]


# ---------------------------------------------------------------------------------------------------
# Choosing contact parents by vote
# ---------------------------------------------------------------------------------------------------
def group_elections(group_ids, user) -> dict[int, Election]:
    """The open votes of these groups, each with the viewer's own votes (``mine``, a set of contact
    parent ids). Two queries at most."""
    elections = {
        election.group_id: election
        for election in Election.objects.filter(group_id__in=list(group_ids), closed_at__isnull=True)
    }
    for election in elections.values():
        election.mine = set()
    if elections:
        by_id = {election.pk: election for election in elections.values()}
        for election_id, candidate_id in Vote.objects.filter(
            election_id__in=list(by_id), voter_id=user.pk
        ).values_list("election_id", "candidate_id"):
            by_id[election_id].mine.add(candidate_id)
    return elections


def staff_elections(group) -> dict:
    """The staff's view of a group's votes: the open one (with how many have voted, never who for
    whom) and the counts of the last one closed. One query."""
    open_election = last = None
    for election in Election.objects.filter(group=group).order_by("-opened_at", "-pk")[:2]:
        if election.closed_at is None:
            open_election = election
        elif last is None:
            last = election
    return {"election": open_election, "last_election": last}


def _elections_unvoted(user, *, now):
    mine = Guardianship.objects.with_information().filter(user_id=user.pk).values("child_id")
    voted = Vote.objects.filter(election=OuterRef("election_id"), voter_id=user.pk)
    return (
        Enrollment.objects.current()
        .filter(child__in=mine, group__elections__closed_at__isnull=True, group__elections__closes_at__gt=now)
        .annotate(election_id=F("group__elections__pk"))
        .exclude(Exists(voted))
        .order_by("group__elections__closes_at", "child_id")
        .values(
            "election_id",
            "group__elections__closes_at",
            "group__name",
            "child_id",
            "child__first_name",
            "child__municipality_id",
        )[:LIMIT]
    )


_ELECTIONS = Statement(_elections_unvoted, now=datetime)


def election_todos(user) -> list[Todo]:
    """Votes on contact parents in a group of the parent's child that they have not voted in, by the
    close. A parent with two children in the group votes once: one to-do per vote. One query."""
    seen, todos = set(), []
    for row in _ELECTIONS.rows(user, now=timezone.now()):
        if row["election_id"] in seen:
            continue
        seen.add(row["election_id"])
        todos.append(
            Todo(
                kind="election",
                title=_("Choose the contact parents of %(group)s") % {"group": row["group__name"]},
                url=reverse_lazy("community:group_names", args=[row["child_id"]]),
                action=_("Vote"),
                deadline=row["group__elections__closes_at"],
                child=ChildRef.of(row),
            )
        )
    return todos
