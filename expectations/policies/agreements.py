"""Who may see and act on expectation agreements. Outsiders get 404, never a hint that one exists.

* Guardians with a right to information see every agreement of their child (there are no hidden
  notes) and may comment or ask for changes. Only guardians *with custody* decide: start, edit,
  propose and accept an agreement, and mark how a commitment goes. A guardian without custody keeps
  the right to information, not the right to decide (portal/access.py), so the follow-up marks, which
  change the shared record, are for custody holders and staff only; they can say how it goes in a
  comment.
* Staff see the agreements of the institution where they serve the child now (``staff_enrollment_scope``)
  and act on them when they may write for the child there (own group, or leader).
* Administrators see no agreement: it is part of the child's record.
"""

from django.conf import settings
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import translation

from children.models import Child, Enrollment, Guardianship
from children.policies import id_or_404, informed_guardianship
from expectations.models import Commitment, ExpectationAgreement
from portal.access import children_of_guardian, staff_enrollment_scope
from portal.organisation.models import Institution, StaffMembership
from portal.organisation.selectors import roles_label_of
from portal.statements import Statement, columns, instance

Status = ExpectationAgreement.Status
EDITABLE = frozenset({Status.DRAFT, Status.PROPOSED})
OPEN_FOR_COMMENTS = frozenset({Status.DRAFT, Status.PROPOSED, Status.IN_FORCE})


def _staff_enrollments(user, *, writing: bool) -> QuerySet[Enrollment]:
    return Enrollment.objects.current().filter(staff_enrollment_scope(user, writing=writing))


def _served_here(user, *, writing: bool) -> Exists:
    """An agreement whose child this staff member serves now at the agreement's own institution."""
    return Exists(
        _staff_enrollments(user, writing=writing).filter(
            child=OuterRef("child_id"), institution=OuterRef("institution_id")
        )
    )


def agreements_visible_to(user) -> QuerySet[ExpectationAgreement]:
    """Agreements of the user's own children, and of the children they serve at that institution."""
    if not user.is_authenticated:
        return ExpectationAgreement.objects.none()
    return ExpectationAgreement.objects.filter(
        Q(child__in=children_of_guardian(user)) | _served_here(user, writing=False)
    )


def agreements_served_by(user, *, writing: bool = False) -> QuerySet[ExpectationAgreement]:
    """Agreements a staff member sees (or writes) as staff, never as a parent."""
    if not user.is_authenticated:
        return ExpectationAgreement.objects.none()
    return ExpectationAgreement.objects.filter(_served_here(user, writing=writing))


AGREEMENT_COLUMNS = (
    *columns(ExpectationAgreement),
    *columns(Child, "child__"),
    *columns(Institution, "institution__"),
)
_VISIBLE_AGREEMENT = Statement(
    lambda user, *, pk: agreements_visible_to(user).filter(pk=pk).values(*AGREEMENT_COLUMNS), pk=int
)
_STAFF_WRITES = Statement(
    lambda user, *, child, institution: (
        _staff_enrollments(user, writing=True)
        .filter(child_id=child, institution_id=institution)
        .values("pk")[:1]
    ),
    child=int,
    institution=int,
)


def get_agreement_for_user_or_404(user, pk) -> ExpectationAgreement:
    """The agreement with its child and institution, if this person may see it (one query)."""
    row = _VISIBLE_AGREEMENT.first(user, pk=id_or_404(pk)) if user.is_authenticated else None
    if row is None:
        raise Http404
    agreement = instance(ExpectationAgreement, row)
    agreement.child = instance(Child, row, "child__")
    agreement.institution = instance(Institution, row, "institution__")
    return agreement


def get_commitment_or_404(agreement: ExpectationAgreement, pk) -> Commitment:
    try:
        return agreement.commitments.get(pk=pk)
    except (Commitment.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404 from None


def guardianship_of(user, child: Child) -> Guardianship | None:
    """The user's guardianship with a right to information, if they are one of the child's guardians."""
    return informed_guardianship(user, child)


def staff_writes_for(user, agreement: ExpectationAgreement) -> bool:
    return user.is_authenticated and bool(
        _STAFF_WRITES.rows(user, child=agreement.child_id, institution=agreement.institution_id)
    )


_ROLES = Statement(
    lambda user: (
        StaffMembership.objects.active().filter(user=user).order_by("pk").values("role", "institution__name")
    )
)
_ROLES_AT = Statement(
    lambda user, *, institution: (
        StaffMembership.objects.active()
        .filter(user=user, institution_id=institution)
        .order_by("pk")
        .values("role", "institution__name")
    ),
    institution=int,
)


def acting_role_label(user, *, guardianship=None, institution_id=None) -> str:
    """How the user acts on an agreement, for the access log, in the portal's main language: their
    relation to the child, else their roles (at the agreement's institution when given). One query."""
    if guardianship is not None:
        with translation.override(settings.LANGUAGE_CODE):
            return str(guardianship.get_relation_display())
    roles = _ROLES.rows(user) if institution_id is None else _ROLES_AT.rows(user, institution=institution_id)
    return roles_label_of((row["role"], row["institution__name"]) for row in roles)[:100]


def deciding_staff_ids(agreement: ExpectationAgreement) -> set[int]:
    """The staff who may accept the agreement for its institution: the institution's leaders and the
    staff of the group the child is in there now (the writing scope of ``staff_enrollment_scope``)."""
    groups = Enrollment.objects.current().filter(
        child_id=agreement.child_id, institution_id=agreement.institution_id, group__isnull=False
    )
    leader = Q(role=StaffMembership.Role.LEADER)
    return set(
        StaffMembership.objects.active()
        .filter(institution_id=agreement.institution_id)
        .filter(leader | (~leader & Q(groups__in=groups.values("group_id"))))
        .values_list("user_id", flat=True)
        .distinct()
    )


def institutions_for_new_agreement(user, child: Child) -> QuerySet[Institution]:
    """Where this user may start an agreement for the child: staff who write for the child there, or,
    for a guardian with custody, every place the child attends now."""
    if not user.is_authenticated:
        return Institution.objects.none()
    current = Enrollment.objects.current().filter(child=child)
    if Guardianship.objects.active().filter(user=user, child=child, has_custody=True).exists():
        return Institution.objects.filter(pk__in=current.values("institution_id")).order_by("name")
    writing = current.filter(staff_enrollment_scope(user, writing=True))
    return Institution.objects.filter(pk__in=writing.values("institution_id")).order_by("name")


class AgreementAccess:
    """What one user may do with one agreement, worked out once per request (two queries)."""

    def __init__(self, user, agreement: ExpectationAgreement):
        self.agreement = agreement
        self.guardianship = guardianship_of(user, agreement.child)
        self.is_custody_guardian = bool(self.guardianship and self.guardianship.has_custody)
        self.is_staff_writer = self.guardianship is None and staff_writes_for(user, agreement)

    @property
    def decides(self) -> bool:
        """A guardian with custody or a staff member who writes for the child here."""
        return self.is_custody_guardian or self.is_staff_writer

    @property
    def acceptance_role(self) -> str:
        from expectations.models import AgreementAcceptance

        if self.is_custody_guardian:
            return AgreementAcceptance.Role.GUARDIAN
        return AgreementAcceptance.Role.STAFF

    @property
    def can_edit(self) -> bool:
        return self.decides and self.agreement.status in EDITABLE

    @property
    def can_propose(self) -> bool:
        return self.decides and self.agreement.status == Status.DRAFT

    @property
    def can_accept(self) -> bool:
        return self.decides and self.agreement.status == Status.PROPOSED

    @property
    def can_comment(self) -> bool:
        return (self.guardianship is not None or self.is_staff_writer) and (
            self.agreement.status in OPEN_FOR_COMMENTS
        )

    @property
    def can_mark_progress(self) -> bool:
        return self.decides and self.agreement.status == Status.IN_FORCE


def can_accept(user, agreement: ExpectationAgreement) -> bool:
    return AgreementAccess(user, agreement).can_accept


def can_edit_agreement(user, agreement: ExpectationAgreement) -> bool:
    return AgreementAccess(user, agreement).can_edit


def can_comment(user, agreement: ExpectationAgreement) -> bool:
    return AgreementAccess(user, agreement).can_comment


def can_mark_progress(user, agreement: ExpectationAgreement) -> bool:
    return AgreementAccess(user, agreement).can_mark_progress
