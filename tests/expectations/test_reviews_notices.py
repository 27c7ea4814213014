"""When a review round opens, the municipality's parents find the survey in their inbox, once each."""

import pytest
from django.urls import reverse

from expectations.models import ReviewRound
from expectations.services import reviews as services
from portal.meetings.models import Notification
from tests.expectations.test_reviews_views import _round

pytestmark = pytest.mark.django_db


def _open(cast, capture, **extra):
    review = _round(cast, status=ReviewRound.Status.DRAFT, **extra)
    with capture(execute=True):
        services.review_round_open(review_round=review)
    return review


def test_opening_a_round_tells_the_municipalitys_parents_in_their_inbox_once(
    cast, django_capture_on_commit_callbacks
):
    review = _open(cast, django_capture_on_commit_callbacks)
    notices = Notification.objects.filter(kind=Notification.Kind.SURVEY_OPENED)
    # Every guardian with a right to information of a child in Aarhus, not Skanderborg's (Lars Dam).
    assert set(notices.values_list("user__first_name", flat=True)) == {"Anna", "Mikkel", "Bo", "Maja"}
    assert {n.url for n in notices} == {reverse("expectations:survey_list")}
    assert services.survey_opened_notices_send(round_id=review.pk) == 4
    assert notices.count() == 4  # running it again adds nothing


@pytest.mark.parametrize(
    ("language", "title"),
    [
        ("da", "Fortæl os, hvordan samarbejdet går: Review 2026"),
        ("en", "Tell us how the collaboration goes: Review 2026"),
    ],
)
def test_the_survey_notice_is_in_the_parents_language(
    cast, django_capture_on_commit_callbacks, language, title
):
    cast.bo.language = language
    cast.bo.save(update_fields=["language"])
    _open(cast, django_capture_on_commit_callbacks)
    notice = Notification.objects.get(user=cast.bo)
    assert notice.title == title
    assert ("anonymous" in notice.body) == (language == "en") and notice.body


def test_no_notice_for_a_round_that_is_not_open(cast):
    review = _round(cast, status=ReviewRound.Status.DRAFT)
    assert services.survey_opened_notices_send(round_id=review.pk) == 0
    assert not Notification.objects.exists()
