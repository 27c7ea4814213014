"""Who may see and write a child's language assessments.

Rules (those of the child's record in ``portal/access.py``, applied to the assessment):

* Whoever may see the child sees its assessments: guardians with a right to information, and staff
  serving the child now. A guardian sees the result, what staff saw and the home language plan only
  once staff have shown it to the family (usually at the talk); before that, that an assessment is
  planned, the talk and their own observations.
* Staff who write for the child (their group, or their institution as leader or caseload) record an
  assessment at their place, its result, the talk and the home language plan; an assessment made at
  another place is read-only to them (the school reads the one from daycare).
* Guardians with custody fill in the parents' observations until the result is recorded; guardians
  without custody read them. Both may say how an activity of the home language plan went.
* Everyone else gets 404.
"""

from dataclasses import dataclass

from django.http import Http404

from children.models import Guardianship, LanguageAssessment
from children.policies import children_visible_to, viewer_role, writing_enrollment


@dataclass(frozen=True)
class AssessmentAccess:
    assessment: LanguageAssessment
    guardianship: Guardianship | None
    role_label: str
    can_record: bool  # staff writing for the child at the assessment's place

    @property
    def is_guardian(self) -> bool:
        return self.guardianship is not None

    @property
    def can_fill_in(self) -> bool:
        """The parents' observations: custody holders, until the result is recorded."""
        return (
            self.guardianship is not None and self.guardianship.has_custody and not self.assessment.has_result
        )

    @property
    def sees_result(self) -> bool:
        return self.guardianship is None or self.assessment.is_shared

    @property
    def can_tell_how_it_went(self) -> bool:
        return self.guardianship is not None and self.assessment.is_shared


def get_assessment_access_or_404(user, pk) -> AssessmentAccess:
    """The assessment, if the user may see its child, with what they may do with it. A few queries."""
    try:
        assessment = LanguageAssessment.objects.select_related(
            "child", "child__municipality", "institution", "earlier", "earlier__institution"
        ).get(pk=pk, child__in=children_visible_to(user))
    except (LanguageAssessment.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    guardianship, role_label = viewer_role(user, assessment.child)
    can_record = False
    if guardianship is None:
        enrollment = writing_enrollment(user, assessment.child)
        can_record = enrollment is not None and enrollment.institution_id == assessment.institution_id
    return AssessmentAccess(assessment, guardianship, role_label, can_record)


def get_assessment_for_recording_or_404(user, pk) -> AssessmentAccess:
    access = get_assessment_access_or_404(user, pk)
    if not access.can_record:
        raise Http404
    return access


def get_assessment_for_family_form_or_404(user, pk) -> AssessmentAccess:
    """For the parents' observations: guardians with custody only (the form then says whether it is
    still open)."""
    access = get_assessment_access_or_404(user, pk)
    if access.guardianship is None or not access.guardianship.has_custody:
        raise Http404
    return access
