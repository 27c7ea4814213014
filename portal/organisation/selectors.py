"""Reads the organisation pages need, in a fixed number of queries whatever the municipality's size."""

from datetime import UTC, datetime, time, timedelta

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import Count, IntegerField, OuterRef, Q, StringAgg, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone, translation

from children.models import Enrollment
from portal.accounts.models import Invitation
from portal.audit.models import AccessEvent
from portal.audit.selectors import event_page
from portal.organisation.models import Group, Institution, MunicipalityFigures, StaffMembership
from portal.statements import Statement


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


STAFF_PAGE_SIZE = 25
SEPARATOR = "\x1f"  # between a member's group names in one column (a name holding it would show split)


def _groups_with_children(user, *, institution):
    children = (
        Enrollment.objects.current()
        .filter(group=OuterRef("pk"))
        .order_by()
        .values("group")
        .annotate(n=CHILDREN)
        .values("n")
    )
    return (
        Group.objects.filter(institution_id=institution)
        .annotate(child_count=Coalesce(Subquery(children, output_field=IntegerField()), 0))
        .order_by("school_year", "name", "pk")
        .values("pk", "name", "child_count")
    )


_GROUPS_WITH_CHILDREN = Statement(_groups_with_children, institution=int)


def institution_page(institution, *, staff_page=None) -> dict:
    """The institution's groups with their children now, a page of its staff with their groups, and
    the staff invited but not yet answered, all as values. Four queries (three with one page of staff)."""
    groups = _GROUPS_WITH_CHILDREN.rows(None, institution=institution.pk)
    staff = Paginator(
        StaffMembership.objects.active()
        .filter(institution=institution)
        .order_by("user__first_name", "user__last_name", "pk")
        .values("pk", "user_id", "role", "user__first_name", "user__last_name", "user__email")
        .annotate(group_names=StringAgg("groups__name", delimiter=Value(SEPARATOR))),
        STAFF_PAGE_SIZE,
    ).get_page(staff_page)
    memberships = [
        {
            "pk": m["pk"],
            "user_id": m["user_id"],
            "role": m["role"],
            "name": f"{m['user__first_name']} {m['user__last_name']}".strip(),
            "email": m["user__email"],
            "groups": sorted(m["group_names"].split(SEPARATOR)) if m["group_names"] else [],
        }
        for m in staff.object_list
    ]
    invitations = list(
        Invitation.objects.pending().filter(institution=institution, kind=Invitation.Kind.STAFF)
    )
    return {"groups": groups, "page": staff, "memberships": memberships, "invitations": invitations}


INSTITUTION_PAGE_SIZE = 50


def _count_of(queryset, count=None) -> Coalesce:
    per_place = queryset.filter(institution=OuterRef("pk")).order_by().values("institution")
    counted = per_place.annotate(n=count or Count("pk")).values("n")[:1]
    return Coalesce(Subquery(counted), Value(0), output_field=IntegerField())


def _institutions(municipality, kind):
    institutions = Institution.objects.filter(municipality_id=municipality)
    return institutions.filter(kind=kind) if kind else institutions


def institutions_page(municipality, *, kind: str = "", number=None) -> Page:
    """A page of the municipality's institutions (of ``kind``, one of ``Institution.Kind``, or all),
    by kind and name, each with ``child_count``, ``staff_count`` and ``group_count`` (subqueries along
    each place's index); a page number out of range gives the nearest page. Two queries."""
    institutions = _institutions(municipality.pk, kind if kind in Institution.Kind.values else "")
    counted = institutions.annotate(
        child_count=_count_of(Enrollment.objects.current(), CHILDREN),
        staff_count=_count_of(StaffMembership.objects.active()),
        group_count=_count_of(Group.objects.all()),
    ).order_by("kind", "name", "pk")
    return Paginator(counted, INSTITUTION_PAGE_SIZE).get_page(number)


def municipality_counts(municipality_id: int) -> dict:
    """What ``MunicipalityFigures`` stores, counted now: children with a place now at the active
    institutions (each once), their places, and staff with access (each person once). Two queries
    that read the whole municipality: run by the Celery task, not by a page."""
    places = (
        Enrollment.objects.current()
        .filter(institution__municipality_id=municipality_id, institution__is_active=True)
        .aggregate(children=CHILDREN, places=Count("pk"))
    )
    staff = (
        StaffMembership.objects.active()
        .filter(institution__municipality_id=municipality_id)
        .order_by()
        .values("user_id")
        .distinct()
        .count()
    )
    return {"children": places["children"], "places": places["places"], "staff": staff}


def stored_figures(municipality) -> MunicipalityFigures | None:
    return MunicipalityFigures.objects.filter(municipality=municipality).first()


def municipality_figures(municipality, stored: MunicipalityFigures) -> dict:
    """The administrator's home: ``kinds`` (label, active institutions) in the order of the kinds, and
    ``figures``: children and places now and staff as last counted (``counted_at``), and pending
    invitations. Two queries."""
    by_kind = dict(
        Institution.objects.filter(municipality=municipality, is_active=True)
        .order_by()
        .values_list("kind")
        .annotate(n=Count("pk"))
        .values_list("kind", "n")
    )
    return {
        "kinds": [(label, by_kind.get(value, 0)) for value, label in Institution.Kind.choices],
        "figures": {
            "children": stored.children,
            "places": stored.places,
            "staff": stored.staff,
            "counted_at": stored.computed_at,
            "pending_invitations": Invitation.objects.pending().filter(municipality=municipality).count(),
        },
    }


def roles_label(memberships) -> str:
    """How a staff member acts, as the access log stores it ("Pædagog, Børnehuset Solsikken"): in the
    portal's main language, whoever reads it later."""
    return roles_label_of((m.role, m.institution.name) for m in memberships)


def roles_label_of(pairs) -> str:
    """``roles_label`` from (role, institution name) pairs."""
    with translation.override(settings.LANGUAGE_CODE):
        names = {value: str(label) for value, label in StaffMembership.Role.choices}
        return ", ".join(f"{names.get(role, role)}, {place}" for role, place in pairs)


# ---------------------------------------------------------------------------------------------------
# The municipality's access log, newest first, a page at a time (``portal.audit.selectors.event_page``,
# keyset on the (municipality, -at, -id) index: never counting or skipping rows).
# ---------------------------------------------------------------------------------------------------
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


AUDIT_PAGE_SIZE = 50


def audit_page(events, *, before: str = "", after: str = ""):
    """One page of the municipality's ``events``, newest first (``portal.audit.selectors.event_page``)."""
    return event_page(events, before=before, after=after, size=AUDIT_PAGE_SIZE)
