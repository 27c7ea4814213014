"""The competence framework (seeded, edited by administrators with its history), the advice on the child
page for the child's age, the library of home activities with its counts, and goals linked to both."""

from datetime import timedelta

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone, translation

from children.models import (
    AgeBand,
    Competence,
    CompetenceAdvice,
    CompetenceChange,
    HomeActivity,
    HomeActivityTry,
    LearningGoal,
    age_band_of,
)
from children.seed import ACTIVITIES, COMPETENCES
from children.selectors.competences import home_ideas
from children.services.activities import home_activity_try_record
from children.services.competences import (
    competence_advice_update,
    competence_framework_seed,
    competence_update,
)
from tests import factories as f
from tests.queries import assert_exact_queries

pytestmark = pytest.mark.django_db

GOAL = {
    "title": "Kan vente på tur",
    "theme": "social",
    "description": "Emil øver at vente, når andre taler.",
    "home_activity": "Spil et spil sammen.",
    "status": "in_progress",
}


@pytest.fixture
def framework(cast):
    competence_framework_seed(municipality=cast.aarhus)
    competence_framework_seed(municipality=cast.other)


def test_seed_gives_seven_competences_with_advice_for_every_band_in_both_languages(cast, framework):
    competences = Competence.objects.filter(municipality=cast.aarhus)
    assert [c.code for c in competences] == [c["code"] for c in COMPETENCES]
    assert len(COMPETENCES) == 7
    advice = CompetenceAdvice.objects.filter(competence__municipality=cast.aarhus)
    assert advice.count() == 7 * 5 * 2
    assert not advice.filter(text_da="").exists() and not advice.filter(text_en="").exists()
    assert HomeActivity.objects.filter(municipality=cast.aarhus).count() == len(ACTIVITIES) >= 40
    assert not HomeActivity.objects.filter(municipality=cast.aarhus, competences__isnull=True).exists()


def test_seed_again_adds_only_what_is_missing_and_keeps_edits(cast, framework):
    curiosity = Competence.objects.get(municipality=cast.aarhus, code="curiosity")
    competence_update(user=cast.erik, competence=curiosity, name_da="Lyst til at lære")
    HomeActivity.objects.filter(municipality=cast.aarhus, code="sow-a-seed").delete()
    assert competence_framework_seed(municipality=cast.aarhus) == (0, 1)
    curiosity.refresh_from_db()
    assert curiosity.name_da == "Lyst til at lære"
    assert HomeActivity.objects.get(municipality=cast.aarhus, code="sow-a-seed").competences.count() == 2


def test_names_and_advice_follow_the_reader_s_language(cast, framework):
    curiosity = Competence.objects.get(municipality=cast.aarhus, code="curiosity")
    with translation.override("en"):
        assert curiosity.name == "Curiosity"
    with translation.override("da"):
        assert curiosity.name == "Nysgerrighed"
    curiosity.name_en = ""
    with translation.override("en"):
        assert curiosity.name == "Nysgerrighed"  # Danish when the English text is missing


def test_age_bands():
    assert AgeBand.for_age(0) == AgeBand.TODDLER and AgeBand.for_age(5) == AgeBand.PRESCHOOL
    assert AgeBand.for_age(16) == AgeBand.TEENAGE and AgeBand.for_age(17) is None


def test_administrator_edits_the_framework_and_every_change_is_kept(client, cast, login, framework):
    curiosity = Competence.objects.get(municipality=cast.aarhus, code="curiosity")
    login(client, cast.erik)
    url = reverse("children:competence_edit", args=[curiosity.pk])
    data = {
        "name_da": "Nysgerrighed",
        "name_en": "Curiosity",
        "description_da": "Lysten til at spørge.",
        "description_en": curiosity.description_en,
    }
    assert client.post(url, data).status_code == 302
    change = CompetenceChange.objects.get(competence=curiosity)
    assert (
        change.field == "description_da"
        and change.after == "Lysten til at spørge."
        and change.changed_by == cast.erik
    )

    advice_url = reverse("children:competence_advice_edit", args=[curiosity.pk, "3-5"])
    response = client.post(
        advice_url,
        {
            "parents_da": "Spørg tilbage.",
            "parents_en": "Ask back.",
            "professionals_da": "Stil åbne spørgsmål.",
            "professionals_en": "",
        },
    )
    assert response.status_code == 302
    parents = CompetenceAdvice.objects.get(competence=curiosity, age_band="3-5", audience="parents")
    assert parents.text_da == "Spørg tilbage."
    assert (
        CompetenceChange.objects.filter(competence=curiosity).count() == 5
    )  # 1 + parents da, en + professionals da, en
    body = client.get(url).content.decode()
    assert "Erik Larsen" in body


def test_advice_form_refuses_empty_danish_text_and_changes_nothing(client, cast, login, framework):
    curiosity = Competence.objects.get(municipality=cast.aarhus, code="curiosity")
    login(client, cast.erik)
    response = client.post(
        reverse("children:competence_advice_edit", args=[curiosity.pk, "0-2"]),
        {"parents_da": "", "parents_en": "x", "professionals_da": "y", "professionals_en": "z"},
    )
    assert response.status_code == 200 and response.context["form"].errors
    assert not CompetenceChange.objects.exists()


def test_advice_update_without_changes_records_nothing(cast, framework):
    curiosity = Competence.objects.get(municipality=cast.aarhus, code="curiosity")
    texts = {
        (a.audience, lang): getattr(a, f"text_{lang}")
        for a in CompetenceAdvice.objects.filter(competence=curiosity, age_band="6-9")
        for lang in ("da", "en")
    }
    competence_advice_update(user=cast.erik, competence=curiosity, age_band="6-9", texts=texts)
    assert not CompetenceChange.objects.exists()


def test_parent_child_page_shows_parents_advice_for_the_child_s_age_and_staff_see_the_professionals(
    client, cast, login, framework
):
    assert age_band_of(cast.emil) == AgeBand.PRESCHOOL
    parents = CompetenceAdvice.objects.get(
        competence__municipality=cast.aarhus, competence__code="curiosity", age_band="3-5", audience="parents"
    )
    professionals = CompetenceAdvice.objects.get(
        competence__municipality=cast.aarhus,
        competence__code="curiosity",
        age_band="3-5",
        audience="professionals",
    )
    other_band = CompetenceAdvice.objects.get(
        competence__municipality=cast.aarhus, competence__code="curiosity", age_band="0-2", audience="parents"
    )
    url = reverse("children:child_detail", args=[cast.emil.pk])
    login(client, cast.anna, mfa=False)
    client.post(reverse("set_language"), {"language": "da"})
    body = client.get(url).content.decode()
    assert (
        parents.text_da[:40] in body
        and professionals.text_da[:40] not in body
        and other_band.text_da[:40] not in body
    )
    login(client, cast.carla)
    body = client.get(url).content.decode()
    assert professionals.text_da[:40] in body


def test_library_counts_picks_and_tries_in_two_queries(cast, framework, django_assert_num_queries):
    reading = HomeActivity.objects.get(municipality=cast.aarhus, code="read-aloud-pictures")
    f.LearningGoalFactory(child=cast.emil, institution=cast.solsikken, home_activity_source=reading)
    request = RequestFactory().post("/")
    request.user = cast.anna
    for outcome in ("well", "well", "partly"):
        home_activity_try_record(request=request, activity=reading, child=cast.emil, outcome=outcome)
    with django_assert_num_queries(2):
        found = {a.code: a for a in home_ideas(cast.aarhus)}
    assert (found[reading.code].picked, found[reading.code].tried_well, found[reading.code].tried_partly) == (
        1,
        2,
        1,
    )
    assert found["sow-a-seed"].picked == 0
    curiosity = Competence.objects.get(municipality=cast.aarhus, code="curiosity")
    filtered = home_ideas(cast.aarhus, competence=curiosity, band=AgeBand.TODDLER, theme="language")
    assert filtered and all(curiosity in a.competences.all() and a.age_from <= 2 for a in filtered)


def test_library_page_costs_the_same_with_1_and_25_activities(client, cast, login, framework):
    HomeActivity.objects.filter(municipality=cast.aarhus).exclude(code="read-aloud-pictures").update(
        is_active=False
    )
    login(client, cast.carla)

    def grow():
        ids = (
            HomeActivity.objects.filter(municipality=cast.aarhus, is_active=False)
            .order_by("pk")
            .values_list("pk", flat=True)[:24]
        )
        HomeActivity.objects.filter(pk__in=list(ids)).update(is_active=True)
        for a in HomeActivity.objects.filter(is_active=True, municipality=cast.aarhus):
            HomeActivityTry.objects.create(activity=a, child=cast.emil, outcome="well", by_name="Anna")

    assert_exact_queries(
        client, reverse("children:activity_list"), 7, grow, lambda r: len(r.context["activities"])
    )


def test_library_search_with_a_bad_filter_is_a_form_error(client, cast, login, framework):
    foreign = Competence.objects.filter(municipality=cast.other).first()
    login(client, cast.carla)
    response = client.get(reverse("children:activity_list"), {"competence": foreign.pk, "band": "99"})
    assert response.status_code == 200 and set(response.context["form"].errors) == {"competence", "band"}


def test_goal_picks_an_idea_and_links_competences(client, cast, login, framework):
    idea = HomeActivity.objects.get(municipality=cast.aarhus, code="board-game")
    patience = Competence.objects.get(municipality=cast.aarhus, code="delaying-gratification")
    login(client, cast.carla)
    url = reverse("children:goal_create", args=[cast.emil.pk])
    page = client.get(url, {"idea": idea.pk})
    assert page.context["form"].initial["home_activity"] == idea.text_da
    response = client.post(
        url,
        {
            **GOAL,
            "home_activity": idea.text_da + " Tal om det bagefter.",
            "home_activity_source": idea.pk,
            "competences": [patience.pk],
        },
    )
    assert response.status_code == 302
    goal = LearningGoal.objects.get(child=cast.emil)
    assert goal.home_activity_source == idea and list(goal.competences.all()) == [patience]

    # Unlinking both is a change of the goal, audited.
    edit = reverse("children:goal_edit", args=[cast.emil.pk, goal.pk])
    assert client.post(edit, {**GOAL, "home_activity": goal.home_activity}).status_code == 302
    goal.refresh_from_db()
    assert goal.home_activity_source is None and not goal.competences.exists()


def test_goal_refuses_another_municipality_s_competence_and_idea(client, cast, login, framework):
    foreign_idea = HomeActivity.objects.get(municipality=cast.other, code="board-game")
    foreign = Competence.objects.filter(municipality=cast.other).first()
    login(client, cast.carla)
    response = client.post(
        reverse("children:goal_create", args=[cast.emil.pk]),
        {**GOAL, "home_activity_source": foreign_idea.pk, "competences": [foreign.pk]},
    )
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"home_activity_source", "competences"}
    assert not LearningGoal.objects.exists()


def test_child_page_costs_the_same_with_1_and_25_goals_linked_to_competences(client, cast, login, framework):
    competences = list(Competence.objects.filter(municipality=cast.aarhus))
    goal = f.LearningGoalFactory(child=cast.emil, institution=cast.solsikken)
    goal.competences.set(competences)
    login(client, cast.carla)

    def grow():
        for _ in range(24):
            f.LearningGoalFactory(child=cast.emil, institution=cast.solsikken).competences.set(competences)

    url = reverse("children:child_detail", args=[cast.emil.pk])
    few = client.get(url)
    expected = None
    from tests.queries import warm_queries

    expected, _sql = warm_queries(client, url)
    assert len(few.context["goals"]) == 1
    assert_exact_queries(client, url, expected, grow, lambda r: len(r.context["goals"]))
    assert all(len(card.goals) == 25 for card in client.get(url).context["competence_cards"])


def test_try_is_audited(cast, framework):
    reading = HomeActivity.objects.get(municipality=cast.aarhus, code="read-aloud-pictures")
    request = RequestFactory().post("/")
    request.user = cast.anna
    home_activity_try_record(request=request, activity=reading, child=cast.emil, outcome="well")
    from portal.audit.models import AccessEvent

    assert AccessEvent.objects.filter(child=cast.emil, actor=cast.anna, subject="home_activity_try").exists()
    assert timezone.now() - HomeActivityTry.objects.get().at < timedelta(minutes=1)
