""" "What needs you now": the to-dos each home shows, gathered from the apps for one person and role.

Each app contributes its own items from its selectors (``expectations.selectors.todos``,
``portal.meetings.selectors.todos``, ``children.selectors``), each contribution in one query or a
fixed few, whatever the amount of data. A home shows them sorted by deadline, those without one last.
"""

from dataclasses import dataclass
from datetime import date, datetime

from django.utils import timezone

from portal.access import roles_of

ON_HOME = 12  # items a home shows, the soonest deadlines; the menu's pages have the rest
# Items per contribution: each comes in the order of its deadlines, so the home's twelve soonest are
# among the first twelve of each, and one more says whether there are more.
LIMIT = ON_HOME + 1


CHILD_FIELDS = ("child_id", "child__first_name", "child__municipality_id")


@dataclass(frozen=True)
class ChildRef:
    """The child a to-do names: enough to name them and to record the read."""

    pk: int
    first_name: str
    municipality_id: int

    @classmethod
    def of(cls, row: dict, prefix: str = "child") -> "ChildRef | None":
        """From a row with ``CHILD_FIELDS`` (or the same fields under another relation)."""
        pk = row[f"{prefix}_id"]
        if pk is None:
            return None
        return cls(pk, row[f"{prefix}__first_name"], row[f"{prefix}__municipality_id"])


@dataclass(frozen=True)
class Todo:
    kind: str  # what it is about, for tests and styling: "agreement", "booking", "meeting", ...
    title: str
    url: str  # one tap to act (lazy: reversed only for the to-dos a home shows)
    action: str  # the label of that tap
    deadline: date | datetime | None = None
    note: str = ""
    child: ChildRef | None = None  # the child it names, if any (the home records the read)

    @property
    def has_time(self) -> bool:
        return isinstance(self.deadline, datetime)

    @property
    def overdue(self) -> bool:
        return self.day is not None and self.day < timezone.localdate() and self.kind != "meeting"

    @property
    def day(self) -> date | None:
        if isinstance(self.deadline, datetime):
            return timezone.localdate(self.deadline)
        return self.deadline


def by_deadline(todos) -> list[Todo]:
    """Soonest deadline first (overdue ones at the top), then those without a deadline, stably."""
    # On the same day, a time comes before a whole day's deadline ("by the end of the day").
    return sorted(
        todos,
        key=lambda t: (
            t.day is None,
            t.day or date.min,
            t.deadline.timestamp() if t.has_time else float("inf"),
        ),
    )


def on_home(todos: list[Todo]) -> dict:
    """The context a home shows: its first ``ON_HOME`` to-dos, and whether there are more."""
    return {"todos": todos[:ON_HOME], "more_todos": len(todos) > ON_HOME}


def parent_todos(user, *, now=None) -> list[Todo]:
    """What a parent should do: agreements to answer, times to book, meetings to prepare, surveys to
    answer, the children's plans with a new version they have not read, the parents' observations
    before a language assessment, their view and consent on a handover being written, the education
    plans ready for them to confirm, who may see a related plan, whether their parent network may
    see their first names, whether their child's group may see the child's first name, play dates they
    were invited to, new families asking them as parent friend, votes on their group's contact
    parents, and the copies of their data ready to download."""
    from children.selectors.language import observation_todos
    from children.selectors.reading import plan_read_todos
    from children.selectors.related import related_plan_todos
    from expectations.selectors.todos import agreement_answer_todos, survey_todos
    from portal.community.selectors import election_todos, name_sharing_todos, play_date_todos, welcome_todos
    from portal.meetings.selectors.todos import booking_todos, family_meeting_todos
    from portal.privacy.selectors import export_todos
    from transitions.selectors.education import confirm_todos
    from transitions.selectors.networks import name_choice_todos
    from transitions.selectors.todos import parent_handover_todos, readiness_parent_todos

    now = now or timezone.now()
    return by_deadline(
        [
            *observation_todos(user),
            *parent_handover_todos(user),
            *confirm_todos(user, now=now),
            *readiness_parent_todos(user),
            *agreement_answer_todos(user),
            *booking_todos(user, now=now),
            *family_meeting_todos(user, now=now),
            *survey_todos(user),
            *plan_read_todos(user),
            *related_plan_todos(user),
            *name_choice_todos(user),
            *name_sharing_todos(user),
            *play_date_todos(user),
            *welcome_todos(user),
            *election_todos(user),
            *export_todos(user),
        ]
    )


def staff_todos(user, *, now=None) -> list[Todo]:
    """What a staff member should do: agreements waiting for them or due for review, families who have
    not booked, this week's meetings, follow-ups due, children without a goal in progress, conferences
    whose family has not read the published plan, photos and files a parent asked to take down,
    handovers to write and send or to confirm receipt of, guidance to write in education plans, contact
    parents' messages waiting to be sent to the group's parents; leaders also
    their institution's review answers."""
    from children.selectors import goal_gap_todos
    from children.selectors.evidence import takedown_todos
    from children.selectors.language import follow_up_todos as language_follow_up_todos
    from children.selectors.reading import conference_unread_plan_todos
    from expectations.selectors.todos import leader_review_todos, staff_agreement_todos
    from portal.community.selectors import message_todos
    from portal.meetings.selectors.todos import follow_up_todos, not_booked_todos, week_meeting_todos
    from transitions.selectors.education import guidance_todos
    from transitions.selectors.todos import readiness_staff_todos, receipt_todos, send_todos

    now = now or timezone.now()
    todos = [
        *staff_agreement_todos(user, on=timezone.localdate(now)),
        *not_booked_todos(user, now=now),
        *week_meeting_todos(user, now=now),
        *follow_up_todos(user, now=now),
        *goal_gap_todos(user),
        *language_follow_up_todos(user, now=now),
        *conference_unread_plan_todos(user, now=now),
        *takedown_todos(user),
        *send_todos(user),
        *receipt_todos(user),
        *guidance_todos(user, now=now),
        *readiness_staff_todos(user),
        *message_todos(user),
    ]
    if roles_of(user).leader:
        todos += leader_review_todos(user)
    return by_deadline(todos)


def admin_todos(user, municipality, *, now=None) -> list[Todo]:
    """What a municipal administrator should do: review rounds to close, charter drafts to approve,
    roster imports checked and waiting to be applied."""
    from expectations.selectors.todos import municipality_todos
    from portal.roster.selectors import import_todos

    now = now or timezone.now()
    return by_deadline(
        [*municipality_todos(municipality, on=timezone.localdate(now)), *import_todos(municipality)]
    )
