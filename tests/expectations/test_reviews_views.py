"""Policy expectation reviews: administrators run rounds, leaders answer, parents take the survey, and the
report shows only aggregates (never a single parent's answer)."""

import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from expectations.models import (
    ExpectationAgreement,
    InstitutionReview,
    ReflectionAnswer,
    ReflectionQuestion,
    ReviewRound,
    SatisfactionAnswer,
    SurveyParticipation,
)
from expectations.services import reviews as services
from expectations.services.reviews import DEFAULT_QUESTIONS, review_round_create
from portal.organisation.models import Institution, StaffMembership
from tests import factories as f
from tests.expectations.test_review_figures import two_places_each
from tests.queries import assert_constant_queries

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


def _round(cast, *, status=ReviewRound.Status.OPEN, municipality=None, title="Review 2026", days=365):
    review = review_round_create(
        municipality=municipality or cast.aarhus,
        title=title,
        period_start=TODAY - datetime.timedelta(days=days),
        period_end=TODAY,
        created_by=cast.erik,
    )
    ReviewRound.objects.filter(pk=review.pk).update(status=status)
    review.refresh_from_db()
    return review


def _as(client, login, user):
    login(client, user)
    return client


def _counts():
    return (
        ReviewRound.objects.count(),
        ReflectionQuestion.objects.count(),
        InstitutionReview.objects.count(),
        ReflectionAnswer.objects.count(),
        SatisfactionAnswer.objects.count(),
        SurveyParticipation.objects.count(),
    )


def _one_h1(response):
    assert len(re.findall(r"<h1[ >]", response.content.decode())) == 1


# --------------------------------------------------------------------------------------------------
# Administrators prepare and run rounds
# --------------------------------------------------------------------------------------------------
def test_round_create_seeds_questions_and_links_the_previous_round(client, login, cast):
    earlier = _round(cast, status=ReviewRound.Status.CLOSED, title="Review 2025", days=700)
    _as(client, login, cast.erik)
    url = reverse("expectations:review_round_create")
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "title": "  Review 2026  ",
            "period_start": (TODAY - datetime.timedelta(days=30)).isoformat(),
            "period_end": (TODAY + datetime.timedelta(days=1)).isoformat(),
            "answers_due_on": "",
        },
    )
    review = ReviewRound.objects.get(title="Review 2026")
    assert response.status_code == 302
    assert response["Location"] == reverse("expectations:review_round_detail", args=[review.pk])
    assert review.status == ReviewRound.Status.DRAFT and review.municipality == cast.aarhus
    assert review.previous == earlier and review.created_by == cast.erik
    assert review.questions.count() == len(DEFAULT_QUESTIONS)


def test_round_create_refuses_a_period_that_ends_before_it_starts(client, login, cast):
    _as(client, login, cast.erik)
    before = _counts()
    response = client.post(
        reverse("expectations:review_round_create"),
        {"title": "X", "period_start": TODAY.isoformat(), "period_end": "2000-01-01"},
    )
    assert response.status_code == 200
    assert "The period must end after it starts." in response.content.decode()
    assert _counts() == before


@pytest.mark.parametrize(
    "payload", [{}, {"title": "x" * 300, "period_start": "nonsense", "period_end": "31-31"}]
)
def test_round_create_never_fails_on_bad_input(client, login, cast, payload):
    _as(client, login, cast.erik)
    assert client.post(reverse("expectations:review_round_create"), payload).status_code == 200
    assert ReviewRound.objects.count() == 0


def test_round_list_shows_only_own_municipality(client, login, cast):
    _round(cast, title="Aarhus review")
    _round(cast, municipality=cast.other, title="Skanderborg review")
    _as(client, login, cast.erik)
    response = client.get(reverse("expectations:review_round_list"))
    body = response.content.decode()
    assert "Aarhus review" in body and "Skanderborg review" not in body
    _one_h1(response)


@pytest.mark.parametrize("persona", ["anna", "carla", "lene", "olga"])
def test_other_people_get_404_on_an_aarhus_round(client, login, cast, persona):
    review = _round(cast, status=ReviewRound.Status.DRAFT)
    _as(client, login, getattr(cast, persona))
    for name in ("review_round_detail", "review_report", "review_report_csv"):
        assert client.get(reverse(f"expectations:{name}", args=[review.pk])).status_code == 404
    before = _counts()
    assert client.post(reverse("expectations:review_round_open", args=[review.pk])).status_code == 404
    question = review.questions.first()
    args = [review.pk, question.pk]
    assert client.post(reverse("expectations:review_question_delete", args=args)).status_code == 404
    assert _counts() == before
    assert ReviewRound.objects.get(pk=review.pk).status == ReviewRound.Status.DRAFT


def test_open_and_close_are_post_only_and_follow_the_status(client, login, cast):
    review = _round(cast, status=ReviewRound.Status.DRAFT)
    _as(client, login, cast.erik)
    open_url = reverse("expectations:review_round_open", args=[review.pk])
    close_url = reverse("expectations:review_round_close", args=[review.pk])
    assert client.get(open_url).status_code == 405
    assert client.post(close_url).status_code == 302  # refused with a message: not open yet
    review.refresh_from_db()
    assert review.status == ReviewRound.Status.DRAFT
    client.post(open_url)
    review.refresh_from_db()
    assert review.status == ReviewRound.Status.OPEN
    client.post(open_url)  # refused: already open
    review.refresh_from_db()
    assert review.status == ReviewRound.Status.OPEN
    client.post(close_url)
    review.refresh_from_db()
    assert review.status == ReviewRound.Status.CLOSED


def test_a_round_without_questions_cannot_open(client, login, cast):
    review = _round(cast, status=ReviewRound.Status.DRAFT)
    review.questions.all().delete()
    _as(client, login, cast.erik)
    response = client.post(reverse("expectations:review_round_open", args=[review.pk]), follow=True)
    assert "Add at least one reflection question" in response.content.decode()
    review.refresh_from_db()
    assert review.status == ReviewRound.Status.DRAFT


def test_questions_are_added_edited_moved_and_removed_while_draft(client, login, cast):
    review = _round(cast, status=ReviewRound.Status.DRAFT)
    _as(client, login, cast.erik)
    detail = client.get(reverse("expectations:review_round_detail", args=[review.pk]))
    assert detail.status_code == 200
    _one_h1(detail)
    count = review.questions.count()

    client.post(
        reverse("expectations:review_question_create", args=[review.pk]),
        {"theme": "coherence", "text": " New question? "},
    )
    added = review.questions.get(text="New question?")
    assert added.position == count and review.questions.count() == count + 1

    first, second = list(review.questions.order_by("position", "pk"))[:2]
    client.post(
        reverse("expectations:review_question_edit", args=[review.pk, first.pk]),
        {"theme": "collaboration", "text": "Edited"},
    )
    first.refresh_from_db()
    assert (first.theme, first.text) == ("collaboration", "Edited")

    client.post(
        reverse("expectations:review_question_move", args=[review.pk, first.pk]), {"direction": "down"}
    )
    order = list(review.questions.order_by("position", "pk").values_list("pk", flat=True))
    assert order[:2] == [second.pk, first.pk]

    client.post(reverse("expectations:review_question_delete", args=[review.pk, added.pk]))
    assert not ReflectionQuestion.objects.filter(pk=added.pk).exists()


def test_questions_cannot_change_once_the_round_is_open(client, login, cast):
    review = _round(cast)
    question = review.questions.first()
    _as(client, login, cast.erik)
    before = _counts()
    edit = reverse("expectations:review_question_edit", args=[review.pk, question.pk])
    response = client.post(edit, {"theme": "coherence", "text": "Changed"})
    assert response.status_code == 200 and "Only a round that is being prepared" in response.content.decode()
    client.post(
        reverse("expectations:review_question_create", args=[review.pk]), {"theme": "coherence", "text": "x"}
    )
    client.post(reverse("expectations:review_question_delete", args=[review.pk, question.pk]))
    client.post(
        reverse("expectations:review_question_move", args=[review.pk, question.pk]), {"direction": "down"}
    )
    assert _counts() == before
    question.refresh_from_db()
    assert question.text != "Changed" and question.position == 0


def test_a_question_of_another_round_is_404(client, login, cast):
    review = _round(cast, status=ReviewRound.Status.DRAFT)
    other = _round(cast, municipality=cast.other, status=ReviewRound.Status.DRAFT)
    _as(client, login, cast.erik)
    url = reverse("expectations:review_question_edit", args=[review.pk, other.questions.first().pk])
    assert client.get(url).status_code == 404


def test_administrator_sees_which_institutions_have_submitted(client, login, cast):
    review = _round(cast)
    InstitutionReview.objects.create(round=review, institution=cast.solsikken, submitted_at=timezone.now())
    InstitutionReview.objects.create(round=review, institution=cast.school)
    _as(client, login, cast.erik)
    body = client.get(reverse("expectations:review_round_detail", args=[review.pk])).content.decode()
    assert "1 of 3 institutions have submitted." in body
    assert "Started, not submitted" in body and "Not started" in body


# --------------------------------------------------------------------------------------------------
# Leaders answer for their institution
# --------------------------------------------------------------------------------------------------
def _leader_payload(review, *, action, answer="We talk with every family.", next_steps="More meetings."):
    data = {f"answer_{q.pk}": answer for q in review.questions.all()}
    return {**data, "next_steps": next_steps, "action": action}


def test_leader_saves_a_draft_then_submits(client, login, cast):
    review = _round(cast)
    _as(client, login, cast.lene)
    listing = client.get(reverse("expectations:institution_review_list"))
    assert listing.status_code == 200 and "Not started" in listing.content.decode()
    url = reverse("expectations:institution_review_edit", args=[review.pk, cast.solsikken.pk])
    page = client.get(url)
    assert page.status_code == 200
    _one_h1(page)
    assert "<legend>" in page.content.decode()  # questions grouped by theme in fieldsets

    payload = _leader_payload(review, action="save")
    first = review.questions.first()
    payload[f"answer_{first.pk}"] = ""
    assert client.post(url, payload).status_code == 302
    saved = InstitutionReview.objects.get(round=review, institution=cast.solsikken)
    assert saved.submitted_at is None and saved.next_steps == "More meetings."
    assert saved.answers.count() == review.questions.count() - 1

    # Submitting needs every question answered: refused, nothing submitted.
    response = client.post(url, {**payload, "action": "submit"})
    assert (
        response.status_code == 200 and "Answer the question before you submit." in response.content.decode()
    )
    saved.refresh_from_db()
    assert saved.submitted_at is None

    response = client.post(url, _leader_payload(review, action="submit"))
    assert response["Location"] == reverse("expectations:institution_review_list")
    saved.refresh_from_db()
    assert saved.submitted_at is not None and saved.submitted_by == cast.lene
    assert saved.answers.count() == review.questions.count()

    # Submitted answers are final: the page is read-only and a POST changes nothing.
    before = list(ReflectionAnswer.objects.values_list("text", flat=True))
    response = client.post(url, _leader_payload(review, action="save", answer="Changed"))
    assert response.status_code == 200 and "can no longer be changed" in response.content.decode()
    assert list(ReflectionAnswer.objects.values_list("text", flat=True)) == before


def test_leader_cannot_answer_a_closed_round(client, login, cast):
    review = _round(cast, status=ReviewRound.Status.CLOSED)
    _as(client, login, cast.lene)
    url = reverse("expectations:institution_review_edit", args=[review.pk, cast.solsikken.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, _leader_payload(review, action="submit"))
    assert response.status_code == 200 and "not open for answers" in response.content.decode()
    assert InstitutionReview.objects.count() == 0


@pytest.mark.parametrize("persona", ["carla", "dorte", "anna", "erik", "olga"])
def test_only_the_leader_answers_for_the_institution(client, login, cast, persona):
    review = _round(cast)
    _as(client, login, getattr(cast, persona))
    url = reverse("expectations:institution_review_edit", args=[review.pk, cast.solsikken.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, _leader_payload(review, action="submit")).status_code == 404
    assert client.get(reverse("expectations:institution_review_list")).status_code == 404
    assert InstitutionReview.objects.count() == 0


def test_leader_gets_404_on_a_draft_round_and_another_municipalitys_round(client, login, cast):
    draft = _round(cast, status=ReviewRound.Status.DRAFT)
    other = _round(cast, municipality=cast.other)
    _as(client, login, cast.lene)
    for review in (draft, other):
        url = reverse("expectations:institution_review_edit", args=[review.pk, cast.solsikken.pk])
        assert client.get(url).status_code == 404


def test_leader_whose_membership_ended_gets_404(client, login, cast):
    review = _round(cast)
    StaffMembership.objects.filter(user=cast.lene).update(ended_on=TODAY - datetime.timedelta(days=1))
    _as(client, login, cast.lene)
    url = reverse("expectations:institution_review_edit", args=[review.pk, cast.solsikken.pk])
    assert client.get(url).status_code == 404


# --------------------------------------------------------------------------------------------------
# The parents' survey
# --------------------------------------------------------------------------------------------------
SURVEY = {"clear": "4", "equal": "3", "concrete": "5", "comment": " Fine. "}


@pytest.mark.parametrize("persona", ["anna", "mikkel"])  # with custody and without
def test_guardian_answers_the_survey_once(client, login, cast, persona):
    review = _round(cast)
    user = getattr(cast, persona)
    _as(client, login, user)
    listing = client.get(reverse("expectations:survey_list"))
    assert "Answer about Børnehuset Solsikken" in listing.content.decode()
    url = reverse("expectations:survey_answer", args=[review.pk, cast.solsikken.pk])
    page = client.get(url)
    body = page.content.decode()
    _one_h1(page)
    assert body.count("<fieldset") == 3 and "1 – not at all" in body and "5 – very much" in body
    assert client.post(url, SURVEY)["Location"] == reverse("expectations:survey_list")
    answer = SatisfactionAnswer.objects.get()
    assert (answer.clear, answer.equal, answer.concrete, answer.comment) == (4, 3, 5, "Fine.")
    assert SurveyParticipation.objects.filter(user=user, round=review, institution=cast.solsikken).exists()
    assert not hasattr(answer, "user_id") and not hasattr(answer, "created_at")

    response = client.post(url, {**SURVEY, "clear": "1"})
    assert response.status_code == 200 and "Thank you, you have answered" in response.content.decode()
    assert SatisfactionAnswer.objects.count() == 1 and SurveyParticipation.objects.count() == 1
    assert "thank you, you have answered" in client.get(reverse("expectations:survey_list")).content.decode()


def test_the_service_refuses_a_second_answer(cast):
    review = _round(cast)
    kwargs = {"review_round": review, "institution": cast.solsikken, "user": cast.anna}
    services.satisfaction_answer_create(**kwargs, clear=5, equal=5, concrete=5)
    with pytest.raises(ValidationError):
        services.satisfaction_answer_create(**kwargs, clear=1, equal=1, concrete=1)
    assert SatisfactionAnswer.objects.count() == 1 and SurveyParticipation.objects.count() == 1


@pytest.mark.parametrize(
    "payload", [{**SURVEY, "clear": "7"}, {**SURVEY, "equal": "x"}, {"comment": "only a comment"}, {}]
)
def test_survey_refuses_answers_off_the_scale(client, login, cast, payload):
    review = _round(cast)
    _as(client, login, cast.anna)
    response = client.post(
        reverse("expectations:survey_answer", args=[review.pk, cast.solsikken.pk]), payload
    )
    assert response.status_code == 200
    assert SatisfactionAnswer.objects.count() == 0 and SurveyParticipation.objects.count() == 0


def test_survey_is_for_guardians_of_children_enrolled_there_while_the_round_is_open(client, login, cast):
    review = _round(cast)
    draft = _round(cast, status=ReviewRound.Status.DRAFT)
    closed = _round(cast, status=ReviewRound.Status.CLOSED)
    other = _round(cast, municipality=cast.other)
    cases = [
        (cast.bo, review, cast.solsikken),  # Freja goes to the school, not Solsikken
        (cast.anna, draft, cast.solsikken),
        (cast.anna, closed, cast.solsikken),
        (cast.anna, other, cast.solsikken),  # the round of another municipality
        (cast.dam, review, cast.other_daycare),  # the institution is not the round's municipality's
        (cast.carla, review, cast.solsikken),
        (cast.erik, review, cast.solsikken),
    ]
    for user, review_round, institution in cases:
        _as(client, login, user)
        url = reverse("expectations:survey_answer", args=[review_round.pk, institution.pk])
        assert client.get(url).status_code == 404, (user, review_round, institution)
        assert client.post(url, SURVEY).status_code == 404
    assert SatisfactionAnswer.objects.count() == 0
    _as(client, login, cast.carla)
    assert client.get(reverse("expectations:survey_list")).status_code == 404


def test_survey_list_is_empty_without_an_open_round(client, login, cast):
    _round(cast, status=ReviewRound.Status.DRAFT)
    _as(client, login, cast.bo)
    response = client.get(reverse("expectations:survey_list"))
    assert "There is no survey right now." in response.content.decode()


# --------------------------------------------------------------------------------------------------
# The report
# --------------------------------------------------------------------------------------------------
def _answers(review, institution, n, comment=""):
    SatisfactionAnswer.objects.bulk_create(
        SatisfactionAnswer(
            round=review,
            institution=institution,
            clear=4,
            equal=2,
            concrete=3,
            comment=f"{comment}{i}" if comment else "",
        )
        for i in range(n)
    )


def _agreement(child, institution):
    return ExpectationAgreement.objects.create(
        child=child,
        institution=institution,
        status="in_force",
        agreed_at=timezone.now() - datetime.timedelta(days=3),
        starts_on=TODAY - datetime.timedelta(days=3),
        review_due_on=TODAY + datetime.timedelta(days=100),
    )


def test_report_hides_survey_figures_and_comments_below_five(client, login, cast):
    review = _round(cast)
    _answers(review, cast.solsikken, 4, comment="Hidden comment ")
    _answers(review, cast.school, 5, comment="Shown comment ")
    _as(client, login, cast.erik)
    response = client.get(reverse("expectations:review_report", args=[review.pk]))
    body = response.content.decode()
    _one_h1(response)
    assert "Hidden comment" not in body and "Fewer than 5 comments" in body
    assert all(f"Shown comment {i}" in body for i in range(5))
    assert "4.00" in body and "2.00" in body  # Skovvangskolen's means (English number format)
    # The 4 answers at Solsikken are not counted anywhere on the page, not even as a number.
    solsikken_row = re.search(r"<th scope=\"row\">Børnehuset Solsikken</th>.*?</tr>", body, re.S).group(0)
    assert "4.00" not in solsikken_row and ">4<" not in solsikken_row


def test_report_shows_figures_charts_comparison_and_submitted_answers(client, login, cast):
    earlier = _round(cast, status=ReviewRound.Status.CLOSED, title="Review 2025", days=700)
    review = _round(cast)
    assert review.previous == earlier
    _agreement(cast.emil, cast.solsikken)
    submitted = InstitutionReview.objects.create(
        round=review, institution=cast.solsikken, next_steps="Read together", submitted_at=timezone.now()
    )
    ReflectionAnswer.objects.create(
        review=submitted, question=review.questions.first(), text="Our reflection"
    )
    InstitutionReview.objects.create(round=review, institution=cast.school, next_steps="Secret draft")
    _as(client, login, cast.erik)
    body = client.get(reverse("expectations:review_report", args=[review.pk])).content.decode()
    assert "Compared with the round “Review 2025”" in body and "Before" in body
    assert "50.0 %" in body  # Emil of Solsikken's two children has an agreement
    assert "–" in body
    assert body.count('<svg role="img"') == 2 and '<title id="chart-kinds-title">' in body
    assert not re.search(r"<svg[^>]*style=|<rect[^>]*style=", body)
    assert "Our reflection" in body and "Read together" in body and "Secret draft" not in body
    assert "Skanderborg" not in body and "Ved Søen" not in body


def test_report_csv(client, login, cast):
    review = _round(cast)
    _agreement(cast.emil, cast.solsikken)
    Institution.objects.filter(pk=cast.school.pk).update(name="=HYPERLINK()")
    _answers(review, cast.solsikken, 5)
    _as(client, login, cast.erik)
    response = client.get(reverse("expectations:review_report_csv", args=[review.pk]))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment; filename=")
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("Institution,Kind,Children")
    solsikken = next(line for line in lines if line.startswith("Børnehuset Solsikken"))
    assert ",50.0," in solsikken and solsikken.endswith(",5,4.0,2.0,3.0")
    assert any(line.startswith("'=HYPERLINK()") for line in lines)
    assert len(lines) == 1 + 3 + 3 + 1  # the header, three institutions, their three kinds, the municipality


def test_report_and_csv_count_a_child_once_and_each_of_its_places(client, login, cast, settings):
    review = _round(cast)
    two_places_each(cast)
    _as(client, login, cast.erik)
    settings.LANGUAGE_CODE = "da"
    body = client.get(reverse("expectations:review_report", args=[review.pk])).content.decode()
    # The municipality: Emil, Freja, Ida and the baby, with seven places between them.
    assert re.search(r'<th scope="row">Børn</th><td[^>]*>4\s*</td>', body)
    assert re.search(r'<th scope="row">Pladser</th><td[^>]*>7\s*</td>', body)
    assert re.search(
        r'<th scope="row">Børnehuset Solsikken</th><td>[^<]+</td>\s*<td>2\s*</td><td>3\s*</td>', body
    )
    assert re.search(
        r'<th scope="row">Skole</th>\s*<td>1\s*</td><td>2\s*</td>', body
    )  # Freja, at two schools

    settings.LANGUAGE_CODE = "en"
    lines = client.get(reverse("expectations:review_report_csv", args=[review.pk])).content.decode(
        "utf-8-sig"
    )
    lines = lines.splitlines()
    assert lines[0].startswith("Institution,Kind,Children,Places,")
    assert any(line.startswith("Børnehuset Solsikken,Integrated daycare,2,3,") for line in lines)
    assert any(line.startswith("School,All of this kind,1,2,2,100.0,") for line in lines)
    assert lines[-1].startswith("Aarhus Kommune,The whole municipality,4,7,2,25.0,")


def test_report_costs_the_same_queries_for_one_institution_as_for_many(client, login, cast):
    _round(cast, status=ReviewRound.Status.CLOSED, title="Review 2025", days=700)
    review = _round(cast)
    Institution.objects.filter(municipality=cast.aarhus).exclude(pk=cast.solsikken.pk).update(is_active=False)
    # One institution with a submitted review and comments, so that every query of the page runs already.
    _answers(review, cast.solsikken, 5, comment="Comment ")
    done = InstitutionReview.objects.create(
        round=review, institution=cast.solsikken, next_steps="Next", submitted_at=timezone.now()
    )
    ReflectionAnswer.objects.create(review=done, question=review.questions.first(), text="Answer")
    _as(client, login, cast.erik)

    def grow():
        for n in range(6):
            institution = f.InstitutionFactory(municipality=cast.aarhus, name=f"Børnehus {n}")
            group = f.GroupFactory(institution=institution, name="Gruppe")
            child = f.ChildFactory(municipality=cast.aarhus)
            f.EnrollmentFactory(child=child, group=group)
            _agreement(child, institution)
            _answers(review, institution, 5, comment="Comment ")
            done = InstitutionReview.objects.create(
                round=review, institution=institution, next_steps="Next", submitted_at=timezone.now()
            )
            for question in review.questions.all()[:3]:
                ReflectionAnswer.objects.create(review=done, question=question, text="Answer")

    url = reverse("expectations:review_report", args=[review.pk])
    assert_constant_queries(client, url, budget=30, grow=grow)


def test_csv_and_detail_cost_the_same_queries_for_one_institution_as_for_many(client, login, cast):
    review = _round(cast)
    _as(client, login, cast.erik)
    csv_url = reverse("expectations:review_report_csv", args=[review.pk])
    detail_url = reverse("expectations:review_round_detail", args=[review.pk])

    def grow():
        for n in range(5):
            institution = f.InstitutionFactory(municipality=cast.aarhus, name=f"Skole {n}")
            InstitutionReview.objects.create(
                round=review, institution=institution, submitted_at=timezone.now()
            )

    from tests.queries import warm_queries

    few = (warm_queries(client, csv_url)[0], warm_queries(client, detail_url)[0])
    grow()
    many = (warm_queries(client, csv_url)[0], warm_queries(client, detail_url)[0])
    assert few == many
