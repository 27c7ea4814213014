"""Who reads and who edits a municipality's competence framework and home activity library.

Rules:

* The framework is read by everyone the municipality serves or employs: guardians of its children
  (custody or a right to information), staff at its institutions, its administrators. One person
  reads one framework: the municipality they administer, else where they work, else their
  children's home municipality.
* Only the municipality's administrators edit it; everyone else gets 404 on the editing pages.
* The library of home activities is the staff's tool (and the administrators', who see which
  suggestions work): staff read their institutions' municipality's library. Guardians meet its
  activities through goals and home language plans, not through the library page.
"""

from django.http import Http404

from children.models import Child, Competence
from portal.access import administered_municipality_ids, guardian_child_ids, roles_of, staff_scope
from portal.organisation.models import Institution, Municipality


def _first(ids) -> Municipality:
    municipality = Municipality.objects.filter(pk__in=ids).order_by("pk").first()
    if municipality is None:
        raise Http404
    return municipality


def _admin_ids(user):
    return administered_municipality_ids(user) if roles_of(user).administrator else None


def _staff_municipality_ids(user):
    institutions = staff_scope(user).institutions(lambda role: True)
    return Institution.objects.filter(pk__in=institutions).values("municipality_id") if institutions else None


def get_framework_municipality_or_404(user) -> Municipality:
    """The municipality whose framework this person reads (one query after the request's roles)."""
    if not user.is_authenticated:
        raise Http404
    for ids in (_admin_ids(user), _staff_municipality_ids(user)):
        if ids is not None:
            return _first(ids)
    children = guardian_child_ids(user)
    if not children:
        raise Http404
    return _first(Child.objects.filter(pk__in=children).values("municipality_id"))


def get_library_municipality_or_404(user) -> Municipality:
    """The municipality whose home activity library this staff member or administrator uses."""
    if not user.is_authenticated:
        raise Http404
    for ids in (_staff_municipality_ids(user), _admin_ids(user)):
        if ids is not None:
            return _first(ids)
    raise Http404


def can_edit_framework(user, municipality) -> bool:
    return (
        user.is_authenticated
        and roles_of(user).administrator
        and administered_municipality_ids(user).filter(municipality_id=municipality.pk).exists()
    )


def get_competence_for_admin_or_404(user, pk) -> Competence:
    """A competence of a municipality this person administers; 404 for everyone else."""
    if not user.is_authenticated or not roles_of(user).administrator:
        raise Http404
    try:
        return Competence.objects.select_related("municipality").get(
            pk=pk, municipality__in=administered_municipality_ids(user)
        )
    except (Competence.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
