"""Who may read and author the municipal charter of shared responsibility, and institution principles.

Rules:

* Administrators author their own municipality's charter: they see every version (drafts too) and are
  the only ones who change it. Everyone else gets 404 on the authoring pages.
* Every signed-in person reads the charter in force of *their* municipalities: a guardian (with a right
  to information) the home municipalities of their children, staff the municipalities of the
  institutions where they work now, administrators their own. Versions that are no longer in force
  stay readable to the same people (a parent may want to see what changed); drafts and approved
  versions not yet in force are for administrators only.
* An institution's principles (Folkeskoleloven § 44, stk. 2) are read by that institution's parents
  (guardians of children enrolled there now) and its staff; only its leader records new ones.
  Everyone else, administrators included, gets 404.
"""

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from children.models import Enrollment
from expectations.models import CharterItem, CharterVersion
from portal.access import administered_municipality_ids, children_of_guardian
from portal.organisation.models import Institution, Municipality, StaffMembership
from portal.organisation.policies import is_leader_of

READABLE_STATUSES = (CharterVersion.Status.IN_FORCE, CharterVersion.Status.RETIRED)


def reader_municipalities(user) -> QuerySet[Municipality]:
    """The municipalities whose charter this person reads: through children, work or administration."""
    if not user.is_authenticated:
        return Municipality.objects.none()
    return Municipality.objects.filter(
        Q(pk__in=children_of_guardian(user).values("municipality_id"))
        | Q(pk__in=StaffMembership.objects.active().filter(user=user).values("institution__municipality_id"))
        | Q(pk__in=administered_municipality_ids(user))
    )


def charter_versions_visible_to(user) -> QuerySet[CharterVersion]:
    """Every version of their municipality for administrators; versions in force or retired for readers."""
    if not user.is_authenticated:
        return CharterVersion.objects.none()
    return CharterVersion.objects.filter(
        Q(municipality__in=administered_municipality_ids(user))
        | Q(municipality__in=reader_municipalities(user).values("pk"), status__in=READABLE_STATUSES)
    )


def charter_versions_authored_by(user) -> QuerySet[CharterVersion]:
    if not user.is_authenticated:
        return CharterVersion.objects.none()
    return CharterVersion.objects.filter(municipality__in=administered_municipality_ids(user))


def _get(queryset, pk):
    try:
        return queryset.get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def get_charter_version_for_user_or_404(user, pk) -> CharterVersion:
    return _get(charter_versions_visible_to(user).select_related("municipality"), pk)


def get_charter_version_for_admin_or_404(user, pk) -> CharterVersion:
    return _get(charter_versions_authored_by(user).select_related("municipality"), pk)


def get_charter_item_for_admin_or_404(user, version: CharterVersion, pk) -> CharterItem:
    """An item of a version the user authors (``version`` was fetched through the admin policy)."""
    return _get(CharterItem.objects.filter(version=version), pk)


def can_author_charter(user, version: CharterVersion) -> bool:
    return charter_versions_authored_by(user).filter(pk=version.pk).exists()


def principles_institutions_visible_to(user) -> QuerySet[Institution]:
    """Institutions whose principles this person reads: where their children go now, where they work, and
    every institution of the municipality they administer (the principles feed the policy review)."""
    if not user.is_authenticated:
        return Institution.objects.none()
    enrolled = Enrollment.objects.current().filter(
        institution=OuterRef("pk"), child__in=children_of_guardian(user)
    )
    working = StaffMembership.objects.active().filter(institution=OuterRef("pk"), user=user)
    return Institution.objects.filter(
        Exists(enrolled) | Exists(working) | Q(municipality__in=administered_municipality_ids(user))
    )


def get_institution_for_principles_reader_or_404(user, pk) -> Institution:
    return _get(principles_institutions_visible_to(user).select_related("municipality"), pk)


def get_institution_for_principles_leader_or_404(user, pk) -> Institution:
    """The institution, if this user leads it now; 404 otherwise (also for its other staff)."""
    institution = get_institution_for_principles_reader_or_404(user, pk)
    if not is_leader_of(user, institution):
        raise Http404
    return institution


def can_adopt_principles(user, institution: Institution) -> bool:
    return bool(user.is_authenticated and is_leader_of(user, institution))
