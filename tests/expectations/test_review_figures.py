"""The review's figures: exact, suppressed below five survey answers, and computed in fixed queries."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from expectations.models import (
    AgreementAcceptance,
    Commitment,
    ExpectationAgreement,
    ReviewRound,
    SatisfactionAnswer,
)
from expectations.selectors.review_figures import review_figures
from portal.organisation.models import Institution
from tests import factories as f

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def _round(cast):
    return ReviewRound.objects.create(
        municipality=cast.aarhus,
        title="2026",
        period_start=TODAY - datetime.timedelta(days=365),
        period_end=TODAY,
    )


def _agreement(child, institution, *, days_ago, accepted_by=(), **extra):
    agreed = timezone.now() - datetime.timedelta(days=days_ago)
    agreement = ExpectationAgreement.objects.create(
        child=child,
        institution=institution,
        status="in_force",
        agreed_at=agreed,
        starts_on=TODAY - datetime.timedelta(days=days_ago),
        review_due_on=TODAY + datetime.timedelta(days=100),
        **extra,
    )
    for user in accepted_by:
        AgreementAcceptance.objects.create(agreement=agreement, user=user, role="guardian", revision=1)
    return agreement


def test_figures_per_institution_kind_and_municipality(cast):
    review = _round(cast)
    emil = _agreement(
        cast.emil, cast.solsikken, days_ago=10, accepted_by=[cast.anna], interpreter_wanted=True
    )
    _agreement(cast.freja, cast.school, days_ago=30)  # Bo (custody) has not accepted this revision
    Commitment.objects.create(agreement=emil, side="family", text="Læs højt", progress="going_well")
    Commitment.objects.create(agreement=emil, side="institution", text="Fortæl", progress="hard")
    Commitment.objects.create(agreement=emil, side="institution", text="Ring", progress="not_started")

    figures = review_figures(review)

    by_name = {f.label: f for f in figures.institutions}
    solsikken, school = by_name["Børnehuset Solsikken"], by_name["Skovvangskolen"]
    assert (solsikken.children, solsikken.agreements, solsikken.agreed_by_all) == (2, 1, 1)
    assert solsikken.share_with_agreement == 50.0 and solsikken.share_differentiated == 100.0
    assert (solsikken.share_going_well, solsikken.share_hard) == (33.3, 33.3)
    assert solsikken.median_days_since_agreed == 10
    assert (school.agreements, school.agreed_by_all) == (1, 0)
    total = figures.municipality
    assert (total.children, total.agreements, total.agreed_by_all) == (4, 2, 1)
    assert total.median_days_since_agreed == 20
    assert {k.label for k in figures.kinds} >= {
        str(Institution.Kind.INTEGRATED.label),
        str(Institution.Kind.SCHOOL.label),
    }


def test_survey_figures_are_hidden_below_five_answers(cast):
    review = _round(cast)
    for rating in (5, 4, 3, 4):
        SatisfactionAnswer.objects.create(
            round=review, institution=cast.solsikken, clear=rating, equal=rating, concrete=rating
        )
    solsikken = next(f for f in review_figures(review).institutions if f.label == "Børnehuset Solsikken")
    assert solsikken.answers == 4 and not solsikken.survey_shown and solsikken.clear is None
    SatisfactionAnswer.objects.create(round=review, institution=cast.solsikken, clear=4, equal=2, concrete=5)
    solsikken = next(f for f in review_figures(review).institutions if f.label == "Børnehuset Solsikken")
    assert solsikken.survey_shown and solsikken.clear == 4.0 and solsikken.equal == 3.6


def test_other_municipalities_never_count(cast):
    review = _round(cast)
    _agreement(cast.søren, cast.other_daycare, days_ago=5)
    figures = review_figures(review)
    assert figures.municipality.agreements == 0
    assert "Børnehaven Ved Søen" not in {f.label for f in figures.institutions}


def test_figures_take_a_fixed_number_of_queries(cast):
    review = _round(cast)
    _agreement(cast.emil, cast.solsikken, days_ago=3)
    with CaptureQueriesContext(connection) as few:
        review_figures(review)
    for i in range(20):
        institution = f.InstitutionFactory(municipality=cast.aarhus, name=f"Skole {i}", kind="school")
        child = f.ChildFactory(municipality=cast.aarhus)
        f.EnrollmentFactory(child=child, group=f.GroupFactory(institution=institution))
        _agreement(child, institution, days_ago=i + 1)
    with CaptureQueriesContext(connection) as many:
        figures = review_figures(review)
    assert len(few) == len(many) <= 10
    assert figures.municipality.agreements == 21


def test_a_new_round_gets_the_default_questions_and_the_previous_round(cast):
    from django.core.exceptions import ValidationError

    from expectations.services.reviews import DEFAULT_QUESTIONS, review_round_create

    first = review_round_create(
        municipality=cast.aarhus, title="2025", period_start=TODAY, period_end=TODAY, created_by=cast.erik
    )
    second = review_round_create(
        municipality=cast.aarhus, title="2026", period_start=TODAY, period_end=TODAY, created_by=cast.erik
    )
    assert second.previous == first and first.previous is None
    assert second.questions.count() == len(DEFAULT_QUESTIONS)
    assert {q.theme for q in second.questions.all()} == {
        "shared_responsibility",
        "collaboration",
        "coherence",
    }
    with pytest.raises(ValidationError):
        review_round_create(
            municipality=cast.aarhus,
            title="bad",
            period_start=TODAY,
            period_end=TODAY - datetime.timedelta(days=1),
            created_by=cast.erik,
        )


def test_medians_are_per_group_not_per_value(cast):
    review = _round(cast)
    for days in (4, 10, 40):
        child = f.ChildFactory(municipality=cast.aarhus)
        f.EnrollmentFactory(child=child, group=cast.bien)
        _agreement(child, cast.solsikken, days_ago=days)
    _agreement(cast.freja, cast.school, days_ago=100)
    figures = review_figures(review)
    solsikken = next(i for i in figures.institutions if i.label == "Børnehuset Solsikken")
    assert solsikken.agreements == 3 and solsikken.median_days_since_agreed == 10
    assert figures.municipality.median_days_since_agreed == 25  # of 4, 10, 40, 100


@pytest.mark.parametrize(
    ("values", "median"),
    [([], None), ([7], 7), ([1, 2, 3], 2), ([1, 2, 3, 4], 2.5), ([5, 5, 5, 9], 5), ([2, 2, 9, 9, 9, 1], 5.5)],
)
def test_histogram_median_matches_statistics_median(values, median):
    from collections import Counter

    from expectations.selectors.review_figures import _histogram_median

    assert _histogram_median(Counter(values)) == median


def test_hidden_survey_answers_cannot_be_worked_out_from_the_total(cast):
    review = _round(cast)
    for _ in range(5):
        SatisfactionAnswer.objects.create(round=review, institution=cast.school, clear=5, equal=5, concrete=5)
    for _ in range(4):
        SatisfactionAnswer.objects.create(
            round=review, institution=cast.solsikken, clear=1, equal=1, concrete=1
        )
    figures = review_figures(review)
    solsikken = next(i for i in figures.institutions if i.label == "Børnehuset Solsikken")
    assert not solsikken.survey_shown
    # The total holds only the school's five answers, so nothing about Solsikken's four can be derived.
    assert figures.municipality.answers == 5 and figures.municipality.clear == 5.0


def two_places_each(cast):
    """Emil has two places at Solsikken; Freja one at each of two schools (agreements at both); Ida a
    place at Solsikken and one at an after-school care. Four children with places, seven places."""
    f.EnrollmentFactory(child=cast.emil, group=cast.bien, ended_on=TODAY + datetime.timedelta(days=30))
    aaby = f.InstitutionFactory(municipality=cast.aarhus, name="Åby Skole", kind=Institution.Kind.SCHOOL)
    f.EnrollmentFactory(child=cast.freja, group=f.GroupFactory(institution=aaby, name="1.B"))
    sfo = f.InstitutionFactory(municipality=cast.aarhus, name="SFO Bien", kind=Institution.Kind.AFTER_SCHOOL)
    f.EnrollmentFactory(child=cast.ida, group=f.GroupFactory(institution=sfo, name="Humlebien"))
    _agreement(cast.freja, cast.school, days_ago=10)
    _agreement(cast.freja, aaby, days_ago=20)


def test_a_child_with_two_places_counts_once_as_a_child_and_twice_as_places(cast):
    review = _round(cast)
    two_places_each(cast)

    figures = review_figures(review)

    by_name = {f.label: f for f in figures.institutions}
    solsikken = by_name["Børnehuset Solsikken"]
    assert (solsikken.children, solsikken.places) == (2, 3)  # Emil once, with both his places
    assert (by_name["Åby Skole"].children, by_name["Skovvangskolen"].children) == (1, 1)
    kinds = {f.label: f for f in figures.kinds}
    school = kinds[str(Institution.Kind.SCHOOL.label)]
    assert (school.children, school.places, school.agreements) == (1, 2, 2)  # Freja once
    assert school.share_with_agreement == 100.0  # one child of one, not two agreements of one child
    daycare, sfo = (
        kinds[str(Institution.Kind.INTEGRATED.label)],
        kinds[str(Institution.Kind.AFTER_SCHOOL.label)],
    )
    assert (daycare.children, daycare.places, sfo.children, sfo.places) == (2, 3, 1, 1)
    total = figures.municipality
    assert (total.children, total.places, total.agreements) == (4, 7, 2)  # Emil, Freja, Ida, the baby
    assert total.share_with_agreement == 25.0  # Freja, of four children
    # Ida counts in both kinds she has a place in (the kinds add up to five), once in the municipality.
    assert sum(k.children for k in figures.kinds) == 5
