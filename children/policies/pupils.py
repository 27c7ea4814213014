"""Who may do what with a pupil's login and voice.

* A pupil (an active ``PupilAccount``) sees only their own child's pupil plan, as the family reads it
  (the latest published version), and writes reflections on its focus points and messages to their
  parents. Nothing else in the portal is theirs (``portal.middleware.PupilOnlyMiddleware`` answers 404).
* The pupil's teacher and the school's leader (staff who write for the child at a school, in a class
  0.–9.) give a login code, see whether the pupil has a login and revoke it.
* Guardians with the right to information and the staff who serve the child read what the pupil wrote
  on the plan page (``children.policies.plans``); nobody writes as the pupil.
"""

from django.http import Http404

from children.models import LearningPlan, PupilAccount
from children.policies import get_writable_child_or_404
from portal.access import roles_of
from portal.organisation.models import Institution


def pupil_account_of(user) -> PupilAccount | None:
    """The signed-in person's active pupil login, with its child (one query; none for other people)."""
    if not user.is_authenticated or not roles_of(user).pupil:
        return None
    cached = getattr(user, "_portal_pupil_account", None)
    if cached is None:
        cached = PupilAccount.objects.active().select_related("child").filter(user=user).first()
        user._portal_pupil_account = cached
    return cached


def get_pupil_account_or_404(user) -> PupilAccount:
    account = pupil_account_of(user)
    if account is None:
        raise Http404
    return account


def pupil_plan_of(account: PupilAccount) -> LearningPlan | None:
    """The pupil plan the pupil reads: their child's most recently published pupil plan (one query)."""
    return (
        LearningPlan.objects.filter(
            child_id=account.child_id, kind=LearningPlan.Kind.PUPIL, published_number__gt=0
        )
        .select_related("institution")
        .order_by("-published_at", "-pk")
        .first()
    )


def get_pupil_login_child_or_404(user, child_pk):
    """The child, the enrollment and the role label, if this staff member writes for the child at a
    school where the child is in a class (0.–9. klasse): the teacher of the class or the school's leader."""
    child, enrollment, role_label = get_writable_child_or_404(user, child_pk)
    group = enrollment.group
    if enrollment.institution.kind != Institution.Kind.SCHOOL or group is None or group.school_year is None:
        raise Http404
    return child, enrollment, role_label
