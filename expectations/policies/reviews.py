"""Who may prepare, answer and read the policy expectation reviews.

Rules:

* Administrators run their own municipality's review rounds: they create and prepare them, open and close
  them, follow which institutions have submitted, and read the report. Everyone else gets 404 on these
  pages, administrators of other municipalities included.
* An institution's leader answers the round for their institution once the round is open (and reads what
  was submitted after it closes). Other staff, and rounds still being prepared, are 404.
* A guardian (custody or not, as long as they have a right to information) of a child enrolled now at an
  institution of the round's municipality answers the parents' survey for that institution, once. Nobody
  ever sees an individual survey answer; only the administrator sees aggregates (see the selectors).
"""

from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404

from children.models import Enrollment
from expectations.models import ReflectionQuestion, ReviewRound
from portal.access import administered_municipality_ids, children_of_guardian, roles_of
from portal.organisation.models import Institution, StaffMembership


def _get(queryset, **lookup):
    try:
        return queryset.get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


# --------------------------------------------------------------------------------------------------
# Administrators
# --------------------------------------------------------------------------------------------------
def review_rounds_administered_by(user) -> QuerySet[ReviewRound]:
    if not user.is_authenticated:
        return ReviewRound.objects.none()
    return ReviewRound.objects.filter(municipality__in=administered_municipality_ids(user))


def get_review_round_for_admin_or_404(user, pk) -> ReviewRound:
    """The round with its municipality and the round it is compared with, if the user administers it."""
    return _get(
        review_rounds_administered_by(user).select_related("municipality", "previous__municipality"), pk=pk
    )


def get_question_for_admin_or_404(user, review_round: ReviewRound, pk) -> ReflectionQuestion:
    """A question of a round the user administers (``review_round`` was fetched through the admin policy)."""
    return _get(ReflectionQuestion.objects.filter(round=review_round), pk=pk)


# --------------------------------------------------------------------------------------------------
# Institution leaders
# --------------------------------------------------------------------------------------------------
def institutions_led_by(user) -> QuerySet[Institution]:
    if not user.is_authenticated:
        return Institution.objects.none()
    leading = StaffMembership.objects.active().filter(user=user, role=StaffMembership.Role.LEADER)
    return Institution.objects.filter(pk__in=leading.values("institution_id"), is_active=True)


def review_rounds_for_leader(user) -> QuerySet[ReviewRound]:
    """Rounds (open or closed, never drafts) of the municipalities where the user leads an institution."""
    return ReviewRound.objects.filter(
        municipality__in=institutions_led_by(user).values("municipality_id"),
        status__in=(ReviewRound.Status.OPEN, ReviewRound.Status.CLOSED),
    )


def get_leader_review_or_404(user, round_pk, institution_pk) -> tuple[ReviewRound, Institution]:
    """The round and the institution, if the user leads the institution now and the round is its
    municipality's and no longer being prepared."""
    institution = _get(institutions_led_by(user).select_related("municipality"), pk=institution_pk)
    review_round = _get(review_rounds_for_leader(user), pk=round_pk)
    if review_round.municipality_id != institution.municipality_id:
        raise Http404
    return review_round, institution


# --------------------------------------------------------------------------------------------------
# Parents
# --------------------------------------------------------------------------------------------------
def survey_institutions_for(user) -> QuerySet[Institution]:
    """Institutions where a child of this guardian (with a right to information) is enrolled now."""
    if not user.is_authenticated:
        return Institution.objects.none()
    enrolled = Enrollment.objects.current().filter(
        institution=OuterRef("pk"), child__in=children_of_guardian(user)
    )
    return Institution.objects.filter(Exists(enrolled), is_active=True)


def is_survey_guardian(user) -> bool:
    return bool(user.is_authenticated and roles_of(user).guardian)


def survey_rounds_for(user) -> QuerySet[ReviewRound]:
    """Open rounds of the municipalities where this guardian's children go to an institution now."""
    return ReviewRound.objects.filter(
        municipality__in=survey_institutions_for(user).values("municipality_id"),
        status=ReviewRound.Status.OPEN,
    )


def get_survey_target_or_404(user, round_pk, institution_pk) -> tuple[ReviewRound, Institution]:
    """The open round and the institution the guardian may answer the survey about; 404 otherwise."""
    institution = _get(survey_institutions_for(user).select_related("municipality"), pk=institution_pk)
    review_round = _get(survey_rounds_for(user), pk=round_pk)
    if review_round.municipality_id != institution.municipality_id:
        raise Http404
    return review_round, institution
