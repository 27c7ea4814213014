"""Reads the organisation pages need, in a fixed number of queries whatever the municipality's size."""

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta

from django.conf import settings
from django.db.models import Count, Q
from django.utils import timezone, translation

from children.models import Enrollment
from portal.accounts.models import Invitation
from portal.audit.descriptions import describe_events
from portal.audit.models import AccessEvent
from portal.organisation.models import Group, Institution, StaffMembership


def _counts(queryset, field, ids, count=None) -> dict[int, int]:
    return dict(
        queryset.filter(**{f"{field}__in": ids})
        .order_by()
        .values_list(field)
        .annotate(n=count or Count("pk"))
        .values_list(field, "n")
    )


# Children are people: a child with two places counts once (places are counted as places).
CHILDREN = Count("child_id", distinct=True)


def municipality_places(municipality) -> dict:
    """``children`` with a place now at the municipality's active institutions, each counted once, and
    their ``places``: one query."""
    return (
        Enrollment.objects.current()
        .filter(institution__municipality=municipality, institution__is_active=True)
        .aggregate(children=CHILDREN, places=Count("pk"))
    )


def with_group_child_counts(groups) -> list:
    """The groups with child_count set (children enrolled now): one GROUP BY query."""
    groups = list(groups)
    counts = _counts(Enrollment.objects.current(), "group_id", [g.pk for g in groups], CHILDREN)
    for g in groups:
        g.child_count = counts.get(g.pk, 0)
    return groups


def with_institution_counts(institutions) -> list:
    """The institutions with child_count, staff_count and group_count set: three GROUP BY queries."""
    institutions = list(institutions)
    ids = [i.pk for i in institutions]
    children = _counts(Enrollment.objects.current(), "institution_id", ids, CHILDREN)
    staff = _counts(StaffMembership.objects.active(), "institution_id", ids)
    groups = _counts(Group.objects.all(), "institution_id", ids)
    for i in institutions:
        i.child_count = children.get(i.pk, 0)
        i.staff_count = staff.get(i.pk, 0)
        i.group_count = groups.get(i.pk, 0)
    return institutions


def municipality_figures(municipality) -> dict:
    """The administrator's home: ``kinds`` (label, active institutions) in the order of the kinds, and
    ``figures``: children and places now, staff (each person once), pending invitations. Four queries."""
    by_kind = dict(
        Institution.objects.filter(municipality=municipality, is_active=True)
        .order_by()
        .values_list("kind")
        .annotate(n=Count("pk"))
        .values_list("kind", "n")
    )
    staff = (
        StaffMembership.objects.active()
        .filter(institution__municipality=municipality)
        .order_by()
        .values("user_id")
        .distinct()
        .count()
    )
    return {
        "kinds": [(label, by_kind.get(value, 0)) for value, label in Institution.Kind.choices],
        "figures": {
            **municipality_places(municipality),
            "staff": staff,
            "pending_invitations": Invitation.objects.pending().filter(municipality=municipality).count(),
        },
    }


def roles_label(memberships) -> str:
    """How a staff member acts, as the access log stores it ("Pædagog, Børnehuset Solsikken"): in the
    portal's main language, whoever reads it later."""
    with translation.override(settings.LANGUAGE_CODE):
        return ", ".join(f"{m.get_role_display()}, {m.institution.name}" for m in memberships)


# ---------------------------------------------------------------------------------------------------
# The municipality's access log, newest first, a page at a time. The log grows for ever, so a page is
# found from the last event of the page before (keyset on the (municipality, -at, -id) index), never
# by counting or skipping rows.
# ---------------------------------------------------------------------------------------------------
AUDIT_PAGE_SIZE = 50
_CURSOR = "%Y%m%dT%H%M%S.%fZ"


@dataclass
class AuditPage:
    events: list[AccessEvent]  # each with ``description`` set
    newer: str | None  # the cursor of the page before (newer events), if any
    older: str | None  # the cursor of the page after (older events), if any

    def __iter__(self):
        return iter(self.events)


def _cursor(event) -> str:
    return f"{event.at.astimezone(UTC).strftime(_CURSOR)}-{event.pk}"


def _parse_cursor(value: str) -> tuple[datetime, int] | None:
    """The (time, id) of a cursor, or None for anything else (the newest page is shown then)."""
    at, _dash, pk = (value or "").partition("-")
    try:
        parsed = datetime.strptime(at, _CURSOR).replace(tzinfo=UTC), int(pk)
    except ValueError:
        return None
    return parsed if 0 < parsed[1] < 2**63 else None


def _local_midnight(day, *, days_after=0) -> datetime | None:
    """Midnight in the portal's time zone, ``days_after`` the day, in UTC; None beyond the calendar."""
    try:
        midnight = datetime.combine(day + timedelta(days=days_after), time.min)
        return timezone.make_aware(midnight).astimezone(UTC)
    except OverflowError:
        return None


def audit_events(municipality, *, child="", actor="", date_from=None, date_to=None):
    """The municipality's access events matching the search, with their child; dates are local days,
    turned into time bounds the index can seek to."""
    events = AccessEvent.objects.filter(municipality=municipality).select_related("child")
    for word in child.split()[:3]:
        events = events.filter(Q(child__first_name__icontains=word) | Q(child__last_name__icontains=word))
    if actor:
        events = events.filter(Q(actor_name__icontains=actor) | Q(actor__email__iexact=actor))
    # A bound beyond the calendar (year 1, year 9999) bounds nothing.
    if date_from and (start := _local_midnight(date_from)):
        events = events.filter(at__gte=start)
    if date_to and (end := _local_midnight(date_to, days_after=1)):
        events = events.filter(at__lt=end)
    return events


def audit_page(events, *, before: str = "", after: str = "", size: int = AUDIT_PAGE_SIZE) -> AuditPage:
    """One page of ``events``, newest first: the newest, or those just older than the cursor ``before``,
    or just newer than ``after``. One query (size + 1 rows tell whether there is more), no COUNT."""
    newer_than = None if before else _parse_cursor(after)
    older_than = _parse_cursor(before)
    if newer_than:
        at, pk = newer_than
        rows = list(
            events.filter(Q(at__gt=at) | Q(at=at, pk__gt=pk), at__gte=at).order_by("at", "pk")[: size + 1]
        )
        if not rows:  # nothing newer than the cursor: the newest page
            return audit_page(events, size=size)
        more_newer, rows = len(rows) > size, rows[:size][::-1]
        more_older = True
    else:
        if older_than:
            at, pk = older_than
            events = events.filter(Q(at__lt=at) | Q(at=at, pk__lt=pk), at__lte=at)
        rows = list(events.order_by("-at", "-pk")[: size + 1])
        more_older, rows = len(rows) > size, rows[:size]
        more_newer = older_than is not None
    return AuditPage(
        events=describe_events(rows),
        newer=_cursor(rows[0]) if rows and more_newer else None,
        older=_cursor(rows[-1]) if rows and more_older else None,
    )
