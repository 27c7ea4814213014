"""Who may see and change the local canon of songs, stories and rhymes.

* The municipal administrator keeps the municipality's list (adds, edits, retires items).
* Staff who work with a daycare or school group (their own groups; leaders every group of their
  institution) mark which items the group uses, and stop marking them.
* A guardian with the right to information sees the items of their child's groups, now and earlier,
  with the texts and links. Another child's parent and staff get 404.
* Staff receiving children see, per item, how many of the children starting with them know it: a
  count over the children on "Children starting with us", never a name.
* Everyone else gets 404.
"""

from django.db.models import QuerySet
from django.http import Http404

from children.models import Child, Guardianship
from children.policies import groups_visible_to, id_or_404
from portal.access import roles_of
from portal.organisation.models import Group, Institution
from portal.organisation.policies import get_admin_municipality_or_404
from transitions.models import CanonItem

# The places whose groups sing, read and rhyme with the canon: daycare and school.
CANON_INSTITUTION_KINDS = (
    Institution.Kind.CHILDMINDING,
    Institution.Kind.NURSERY,
    Institution.Kind.KINDERGARTEN,
    Institution.Kind.INTEGRATED,
    Institution.Kind.SCHOOL,
)


def canon_groups_for(user) -> QuerySet[Group]:
    """Daycare and school groups this staff member works with (own groups; a leader's whole place)."""
    return groups_visible_to(user).filter(institution__kind__in=CANON_INSTITUTION_KINDS)


def is_canon_group(group: Group) -> bool:
    return group.institution.kind in CANON_INSTITUTION_KINDS


def get_canon_group_or_404(user, pk) -> Group:
    """A group whose canon this staff member marks, with its institution; 404 otherwise. One query."""
    group = canon_groups_for(user).filter(pk=id_or_404(pk)).select_related("institution").first()
    if group is None:
        raise Http404
    return group


def get_canon_item_for_admin_or_404(user, pk) -> CanonItem:
    """An item of the administrator's own municipality; 404 for anyone else and any other item."""
    municipality = get_admin_municipality_or_404(user)
    item = CanonItem.objects.filter(pk=id_or_404(pk), municipality=municipality).first()
    if item is None:
        raise Http404
    return item


def get_canon_child_or_404(user, pk) -> tuple[Child, Guardianship]:
    """The child of a guardian with the right to information (custody holders, and a parent without
    custody unless it was withdrawn), with the guardianship; 404 for everyone else. One query."""
    pk = id_or_404(pk)
    if not user.is_authenticated or not roles_of(user).guardian:
        raise Http404
    guardianship = (
        Guardianship.objects.with_information().filter(user=user, child_id=pk).select_related("child").first()
    )
    if guardianship is None:
        raise Http404
    return guardianship.child, guardianship


def can_see_incoming_canon(user) -> bool:
    """Staff see the counts of the children sent to where they work (nothing, where none are)."""
    return user.is_authenticated and roles_of(user).staff
