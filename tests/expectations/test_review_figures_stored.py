"""The report renders the figures a Celery task computed and stored, says when, and computes them again on
demand, when the round opens or closes, and each night for open rounds."""

import pytest
from django.urls import reverse
from django.utils import translation

from expectations import tasks
from expectations.models import ReviewRound, RoundFigures
from expectations.selectors.review_figures import from_data, review_figures, to_data
from expectations.services import reviews as services
from portal.organisation.models import Institution
from tests import factories as f
from tests.expectations.test_reviews_views import _agreement, _answers, _as, _round
from tests.queries import warm_queries

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


def _report(client, review):
    return client.get(reverse("expectations:review_report", args=[review.pk])).content.decode()


def test_stored_figures_read_back_as_computed(cast):
    review = _round(cast)
    _agreement(cast.emil, cast.solsikken)
    _answers(review, cast.school, 5)
    computed = review_figures(review)
    stored = from_data(to_data(computed))
    assert stored.municipality == computed.municipality
    assert stored.institutions == computed.institutions
    assert [
        (k.kind, k.label, k.children, [i.institution_id for i in k.institutions]) for k in stored.kinds
    ] == [(k.kind, k.label, k.children, [i.institution_id for i in k.institutions]) for k in computed.kinds]
    # A kind's institutions are the very rows of the institution table (the report labels rows by them).
    assert all(any(i is row for row in stored.institutions) for k in stored.kinds for i in k.institutions)


def test_the_report_shows_stored_figures_until_they_are_computed_again(
    client, login, cast, django_capture_on_commit_callbacks
):
    review = _round(cast)
    _as(client, login, cast.erik)
    body = _report(client, review)  # never computed: computed on this first view
    stored = RoundFigures.objects.get(round=review)
    assert stored.computed_at is not None and "The figures were computed" in body
    assert stored.data["municipality"]["agreements"] == 0

    _agreement(cast.emil, cast.solsikken)
    assert "50.0 %" not in _report(client, review)
    assert RoundFigures.objects.get(round=review).data["municipality"]["agreements"] == 0  # not recounted

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("expectations:review_figures_refresh", args=[review.pk]), follow=True)
    assert "The figures are being computed again" in response.content.decode()
    stored = RoundFigures.objects.get(round=review)
    assert stored.data["municipality"]["agreements"] == 1 and stored.requested_at is None
    assert "50.0 %" in _report(client, review)  # Emil of Solsikken's two children has an agreement


def test_a_warm_report_does_not_load_the_figures(client, login, cast):
    review = _round(cast)
    _as(client, login, cast.erik)
    url = reverse("expectations:review_report", args=[review.pk])
    _count, sql = warm_queries(client, url)
    assert "expectations_roundfigures" in sql and '"data"' not in sql  # the tables' HTML is kept


def test_the_report_says_when_new_figures_are_on_their_way(client, login, cast):
    review = _round(cast)
    _as(client, login, cast.erik)
    _report(client, review)
    services.review_figures_refresh(review_round=review)  # the task runs after the commit
    assert "New figures are being computed" in _report(client, review)


def test_closing_and_opening_a_round_compute_its_figures(cast, django_capture_on_commit_callbacks):
    review = _round(cast, status=ReviewRound.Status.OPEN)
    with django_capture_on_commit_callbacks(execute=True):
        services.review_round_close(review_round=review)
    assert RoundFigures.objects.get(round=review).computed_at is not None

    draft = _round(cast, status=ReviewRound.Status.DRAFT, title="Next")
    with django_capture_on_commit_callbacks(execute=True):
        services.review_round_open(review_round=draft)
    assert RoundFigures.objects.get(round=draft).computed_at is not None


def test_each_night_open_rounds_and_rounds_without_figures_are_computed(
    cast, django_capture_on_commit_callbacks
):
    closed = _round(cast, status=ReviewRound.Status.CLOSED, title="Closed, computed", days=700)
    services.review_figures_store(round_id=closed.pk)
    before = RoundFigures.objects.get(round=closed).computed_at
    never = _round(cast, status=ReviewRound.Status.CLOSED, title="Closed, never computed", days=500)
    open_round = _round(cast, title="Open")
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.refresh_review_figures() == 2
    assert RoundFigures.objects.get(round=closed).computed_at == before
    assert RoundFigures.objects.get(round=never).computed_at is not None
    assert RoundFigures.objects.get(round=open_round).computed_at is not None


def test_the_task_for_a_deleted_round_does_nothing(cast):
    review = _round(cast)
    review_id = review.pk
    review.delete()
    assert tasks.compute_review_figures(review_id) is False
    assert not RoundFigures.objects.filter(round_id=review_id).exists()


@pytest.mark.parametrize("url_name", ["review_report", "review_report_csv"])
def test_the_report_costs_the_same_queries_for_1_and_25_institutions(client, login, cast, url_name):
    earlier = _round(cast, status=ReviewRound.Status.CLOSED, title="Review 2025", days=700)
    review = _round(cast)
    assert review.previous == earlier
    Institution.objects.filter(municipality=cast.aarhus).exclude(pk=cast.solsikken.pk).update(is_active=False)
    _answers(review, cast.solsikken, 5, comment="Comment ")
    _as(client, login, cast.erik)
    url = reverse(f"expectations:{url_name}", args=[review.pk])

    def stored_with(n_institutions):
        for n in range(n_institutions - 1):
            institution = f.InstitutionFactory(municipality=cast.aarhus, name=f"Børnehus {n}")
            child = f.EnrollmentFactory(
                child=f.ChildFactory(municipality=cast.aarhus),
                group=f.GroupFactory(institution=institution, name="Gruppe"),
            ).child
            _agreement(child, institution)
            _answers(review, institution, 5, comment="Comment ")
        for r in (earlier, review):
            services.review_figures_store(round_id=r.pk)
        return len(RoundFigures.objects.get(round=review).data["institutions"])

    assert stored_with(1) == 1
    one, _sql = warm_queries(client, url)
    assert stored_with(25) == 25
    many, sql = warm_queries(client, url)
    assert one == many, sql
    assert "expectations_expectationagreement" not in sql  # nothing is counted on the view


def test_stored_figures_are_labelled_in_the_reader_s_language(cast):
    review = _round(cast)
    with translation.override("en"):
        data = to_data(review_figures(review))
    with translation.override("da"):
        labels = {k.kind: k.label for k in from_data(data).kinds}
    assert labels[Institution.Kind.SCHOOL] == "Skole"
