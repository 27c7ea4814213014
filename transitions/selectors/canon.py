"""What the canon pages read, each in a fixed number of queries.

A child knows an item when a group they had a place in used it while they were there: the place's
period and the group's use of the item overlap (the last day of each included)."""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import (
    Count,
    DateField,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from children.models import Child, Enrollment
from portal.access import staff_scope
from portal.organisation.models import Group, Institution
from transitions.models import CanonItem, CanonUse
from transitions.policies import transitions_received_by

KIND_ORDER = list(CanonItem.Kind.values)
INCOMING_LIMIT = 500  # as many children as "Children starting with us" lists


def overlaps(today: date, *, use: str = "", enrollment: str = "") -> Q:
    """The enrollment and the group's use of the item overlap, each named by its path (``use`` from an
    Enrollment, ``enrollment`` from a CanonUse)."""
    use_ended = Coalesce(F(f"{use}ended_on"), Value(today), output_field=DateField())
    return Q(**{f"{enrollment}started_on__lte": use_ended}) & (
        Q(**{f"{enrollment}ended_on__isnull": True}) | Q(**{f"{enrollment}ended_on__gte": F(f"{use}since")})
    )


def _sorted(items):
    return sorted(items, key=lambda i: (KIND_ORDER.index(i.kind), i.position, i.title.lower(), i.pk))


@dataclass
class KindSection:
    kind: str
    label: str
    items: list = field(default_factory=list)


def by_kind(items) -> list[KindSection]:
    """Items in sections by kind (songs, stories, rhymes), empty kinds left out."""
    sections = {kind: KindSection(kind, CanonItem.Kind(kind).label) for kind in KIND_ORDER}
    for item in _sorted(items):
        sections[item.kind].items.append(item)
    return [s for s in sections.values() if s.items]


# --- the administrator's list ----------------------------------------------------------------------
def canon_admin_items(municipality) -> list[CanonItem]:
    """Every item of the municipality with the number of groups using it now. One query."""
    return _sorted(
        CanonItem.objects.filter(municipality=municipality).annotate(
            groups_now=Count("uses", filter=Q(uses__ended_on__isnull=True))
        )
    )


# --- a group's page ----------------------------------------------------------------------------------
@dataclass
class GroupCanonRow:
    item: CanonItem
    since: date | None
    ended_on: date | None

    @property
    def in_use(self) -> bool:
        return self.since is not None and self.ended_on is None


def group_canon(group: Group) -> list[KindSection]:
    """The municipality's items for the group, by kind: every item not retired, and retired ones the
    group has used, each with since when it is used (or when the group stopped). One query."""
    use = CanonUse.objects.filter(group=group, item=OuterRef("pk"))
    items = (
        CanonItem.objects.filter(municipality_id=group.institution.municipality_id)
        .annotate(
            use_since=Subquery(use.values("since")[:1]),
            use_ended=Subquery(use.values("ended_on")[:1]),
        )
        .filter(Q(retired_at__isnull=True) | Q(Exists(use)))
    )
    sections = by_kind(items)
    for section in sections:
        section.items = [GroupCanonRow(i, i.use_since, i.use_ended) for i in section.items]
    return sections


def offered_items(group: Group) -> QuerySet[CanonItem]:
    """Items a group may mark: its municipality's, not retired."""
    return CanonItem.objects.filter(
        municipality_id=group.institution.municipality_id, retired_at__isnull=True
    )


# --- the family's page --------------------------------------------------------------------------------
@dataclass
class ChildCanonItem:
    item: CanonItem
    places: list[str] = field(default_factory=list)  # "Mariehønen, Børnehuset Solsikken"
    now: bool = False  # used in a group the child is in today

    # by_kind sorts and groups on these
    @property
    def kind(self):
        return self.item.kind

    @property
    def position(self):
        return self.item.position

    @property
    def title(self):
        return self.item.title

    @property
    def pk(self):
        return self.item.pk


def child_canon(child: Child, *, today: date | None = None) -> list[KindSection]:
    """The items the child's groups used while the child was there, now and earlier, by kind, each
    with the groups. One query."""
    today = today or timezone.localdate()
    rows = (
        CanonUse.objects.filter(
            overlaps(today, enrollment="group__enrollments__"), group__enrollments__child=child
        )
        .annotate(
            current=Q(group__enrollments__ended_on__isnull=True) | Q(group__enrollments__ended_on__gte=today),
            enrollment_started=F("group__enrollments__started_on"),
        )
        .select_related("item", "group__institution")
        .order_by("enrollment_started", "pk")
    )
    found: dict[int, ChildCanonItem] = {}
    for use in rows:
        entry = found.setdefault(use.item_id, ChildCanonItem(use.item))
        place = f"{use.group.name}, {use.group.institution.name}"
        if place not in entry.places:
            entry.places.append(place)
        entry.now = entry.now or (use.current and use.ended_on is None)
    return by_kind(found.values())


# --- the receiving place --------------------------------------------------------------------------------
def incoming_children(user, *, group_id: int | None = None) -> QuerySet:
    """The ids of the children on "Children starting with us" (as that page limits them), optionally
    those starting in one group: a subquery, not run here."""
    transitions = transitions_received_by(user)
    if group_id is not None:
        transitions = transitions.filter(receiving_group_id=group_id)
    return transitions.order_by("planned_on", "child__first_name", "pk").values("child_id")[:INCOMING_LIMIT]


def incoming_groups(user) -> list[Group]:
    """The groups the incoming children start in, for the choice on the page. One query."""
    return list(
        Group.objects.filter(
            pk__in=transitions_received_by(user)
            .filter(receiving_group__isnull=False)
            .values("receiving_group_id")
        ).select_related("institution")
    )


def incoming_canon_children(user, *, group_id: int | None = None) -> list[Child]:
    """The incoming children counted (for the access log and the total). One query."""
    return list(
        Child.objects.filter(pk__in=incoming_children(user, group_id=group_id))
        .only("pk", "municipality_id")
        .order_by()
    )


def incoming_canon(user, *, group_id: int | None = None, today: date | None = None) -> list[KindSection]:
    """Per item of the receiving places' municipality: how many of the incoming children know it. The
    counting is one aggregate query in the database, whatever the number of children and items; a
    retired item shows only when some child knows it."""
    today = today or timezone.localdate()
    places = staff_scope(user).institutions(lambda role: True)
    known = (
        Enrollment.objects.filter(
            overlaps(today, use="group__canon_uses__"),
            group__canon_uses__item=OuterRef("pk"),
            child_id__in=incoming_children(user, group_id=group_id),
        )
        .order_by()
        .values("group__canon_uses__item")
        .annotate(n=Count("child_id", distinct=True))
        .values("n")
    )
    items = CanonItem.objects.filter(
        municipality_id__in=Institution.objects.filter(pk__in=places).values("municipality_id")
    ).annotate(known=Coalesce(Subquery(known, output_field=IntegerField()), Value(0)))
    return by_kind(i for i in items if i.known or not i.is_retired)
