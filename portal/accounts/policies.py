"""Who may invite whom. Administrators invite staff and administrators of their municipality;
leaders invite staff to their institution; leaders and caseload staff (health visitors, counsellors)
invite the guardians of the children they serve. And which broker (MitID) logins are strong enough."""

from django.conf import settings
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from children.models import Enrollment
from portal.access import administered_municipality_ids
from portal.accounts.models import Invitation, User
from portal.organisation.models import Institution, StaffMembership
from portal.statements import Statement


def invitations_visible_to(user) -> QuerySet[Invitation]:
    """Administrators see staff and administrator invitations of their municipality (a guardian invitation
    names a child, and administrators see no child); leaders see their institution's; everyone their own."""
    if not user.is_authenticated:
        return Invitation.objects.none()
    leading = StaffMembership.objects.active().filter(user=user, role=StaffMembership.Role.LEADER)
    return Invitation.objects.filter(
        Q(municipality__in=administered_municipality_ids(user), kind__in=ORGANISATION_KINDS)
        | Q(institution__in=leading.values("institution_id"))
        | Q(invited_by=user)
    )


ORGANISATION_KINDS = [Invitation.Kind.STAFF, Invitation.Kind.ADMINISTRATOR]


def get_invitation_for_user_or_404(user, pk) -> Invitation:
    try:
        return invitations_visible_to(user).get(pk=pk)
    except (Invitation.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def _invitation_institution(user, *, child):
    memberships = StaffMembership.objects.active().filter(user=user)
    leading = memberships.filter(role=StaffMembership.Role.LEADER).values("institution_id")
    caseload = StaffMembership.groups.through.objects.filter(
        staffmembership__in=memberships.filter(role__in=StaffMembership.CASELOAD_ROLES)
    ).values("group_id")
    enrolled = (
        Enrollment.objects.current()
        .filter(child_id=child, institution=OuterRef("pk"))
        .filter(Q(institution__in=leading) | Q(group__in=caseload))
    )
    return Institution.objects.filter(Exists(enrolled)).order_by("pk").values(*INSTITUTION_COLUMNS)[:1]


INSTITUTION_COLUMNS = tuple(f.attname for f in Institution._meta.concrete_fields)
_INVITATION_INSTITUTION = Statement(_invitation_institution, child=int)


def guardian_invitation_institution(user, child):
    """The institution through which this person may invite the child's guardians, or None: where
    they lead, or where the child is in their caseload. One query (a statement: the child page asks)."""
    if not user.is_authenticated:
        return None
    return _INVITATION_INSTITUTION.first(user, Institution, child=child.pk)


def can_invite_guardian(user, child) -> bool:
    return guardian_invitation_institution(user, child) is not None


# NSIS assurance levels, lowest first, as a MitID broker names them in `acr` or `loa`: the NSIS URI
# (https://data.gov.dk/concept/core/nsis/loa/Substantial), the eIDAS URI or the bare name.
ASSURANCE_LEVELS = ["low", "substantial", "high"]
_LEVEL_PREFIXES = ["https://data.gov.dk/concept/core/nsis/loa/", "http://eidas.europa.eu/loa/", ""]
_LEVEL_CLAIMS = ["acr", "loa", "https://data.gov.dk/concept/core/nsis/loa"]


def identity_assurance_level(claims: dict) -> str | None:
    """The NSIS level a broker vouches for: the first level claim of the ID token, else of userinfo
    (allauth keeps both in the social account's extra_data). An unknown value counts as none."""
    for source in (claims.get("id_token") or {}, claims.get("userinfo") or {}):
        for name in _LEVEL_CLAIMS:
            value = source.get(name)
            if value is None:
                continue
            value = str(value).lower()
            for prefix in _LEVEL_PREFIXES:
                if value.startswith(prefix) and value[len(prefix) :] in ASSURANCE_LEVELS:
                    return value[len(prefix) :]
            return None
    return None


def can_log_in_with_identity(claims: dict) -> bool:
    """A broker login counts only at OIDC_MIN_ASSURANCE or above."""
    level = identity_assurance_level(claims)
    minimum = ASSURANCE_LEVELS.index(settings.OIDC_MIN_ASSURANCE)
    return level is not None and ASSURANCE_LEVELS.index(level) >= minimum


# Guessing two-step codes: every MFA_FAILURES_TO_END_LOGIN wrong codes in a row end the pending login
# and tell the person by mail; after MFA_FAILURES_TO_LOCK only a new password opens two-step login again.
MFA_FAILURES_TO_END_LOGIN = 10
MFA_FAILURES_TO_LOCK = 30


def can_log_in_with_mfa(user) -> bool:
    """Whether a two-step code from this person is checked at all (not locked by guessing)."""
    return User.objects.filter(pk=user.pk, mfa_failures__lt=MFA_FAILURES_TO_LOCK).exists()
