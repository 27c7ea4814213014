"""Focus points of the pupil plan build competences of the municipality's framework, as goals do: the
form offers the municipality's own, a change of links is kept in the plan's history, the plan page
shows them on each goal and focus point (families as published), and the child page's competence
cards list the focus points that build each, in a constant number of queries."""

import pytest
from django.core.exceptions import ValidationError
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from children.models import Competence, FocusPoint, LearningPlan, PlanChange
from children.services import plans as plan_services
from children.services.competences import competence_framework_seed
from portal.audit.models import AccessEvent
from tests import factories as f
from tests.queries import assert_exact_queries

pytestmark = pytest.mark.django_db

POINT = {
    "area": "danish",
    "title": "Læser små bøger selv",
    "school_effort": "Freja læser højt for en voksen hver dag.",
    "agreed": "",
    "home_support": "Læs ti minutter sammen hver aften.",
    "status": "in_progress",
}


@pytest.fixture
def framework(cast):
    competence_framework_seed(municipality=cast.aarhus)
    competence_framework_seed(municipality=cast.other)


def _competence(municipality, code) -> Competence:
    return Competence.objects.get(municipality=municipality, code=code)


def _pupil_plan(cast) -> LearningPlan:
    return LearningPlan.objects.create(child=cast.freja, institution=cast.school, kind="pupil", school_year=1)


def _point(plan, competences=(), **changes) -> FocusPoint:
    point = FocusPoint.objects.create(plan=plan, **{**POINT, **changes})
    point.competences.set(competences)
    return point


def _request(user):
    request = RequestFactory().post("/")
    request.user = user
    return request


def test_a_focus_point_links_competences_and_a_change_of_links_is_kept_in_the_history(
    client, cast, login, framework
):
    plan = _pupil_plan(cast)
    persistence = _competence(cast.aarhus, "persistence")
    curiosity = _competence(cast.aarhus, "curiosity")
    login(client, cast.dorte)
    form = client.get(reverse("children:focus_point_create", args=[plan.pk])).context["form"]
    offered = set(form.fields["competences"].queryset.values_list("municipality", flat=True))
    assert offered == {cast.aarhus.pk}
    response = client.post(
        reverse("children:focus_point_create", args=[plan.pk]), {**POINT, "competences": [persistence.pk]}
    )
    assert response.status_code == 302
    point = FocusPoint.objects.get(plan=plan)
    assert list(point.competences.all()) == [persistence]

    # Only the links change: kept as an edit of "competences", with the names before and after.
    edit = reverse("children:focus_point_edit", args=[plan.pk, point.pk])
    assert client.get(edit).context["form"].initial["competences"] == [persistence.pk]
    response = client.post(edit, {**POINT, "competences": [curiosity.pk, persistence.pk]})
    assert response.status_code == 302
    assert set(point.competences.all()) == {curiosity, persistence}
    change = PlanChange.objects.get(focus_point=point, action="edited")
    assert (change.field, change.before, change.after, change.actor) == (
        "competences",
        persistence.name_da,
        ", ".join(c.name_da for c in sorted([curiosity, persistence], key=lambda c: c.position)),
        cast.dorte,
    )
    assert AccessEvent.objects.filter(subject="focus_point", action="update", object_id=point.pk).exists()
    body = client.get(reverse("children:plan_history", args=[plan.pk])).content.decode()
    assert "(competences)" in body

    # Saving again without a change records nothing more.
    assert client.post(edit, {**POINT, "competences": [curiosity.pk, persistence.pk]}).status_code == 302
    assert PlanChange.objects.filter(focus_point=point).count() == 2


def test_a_competence_of_another_municipality_is_refused_with_a_clear_error(client, cast, login, framework):
    plan = _pupil_plan(cast)
    foreign = _competence(cast.other, "curiosity")
    login(client, cast.dorte)
    client.post(reverse("set_language"), {"language": "da"})
    response = client.post(
        reverse("children:focus_point_create", args=[plan.pk]), {**POINT, "competences": [foreign.pk]}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["competences"] == [
        "Vælg kompetencer fra kommunens fælles kompetencer."
    ]
    assert not FocusPoint.objects.exists() and not PlanChange.objects.exists()

    # The service refuses it too, and changes nothing of the focus point.
    point = _point(plan, [_competence(cast.aarhus, "persistence")])
    with translation.override("da"), pytest.raises(ValidationError) as refused:
        plan_services.focus_point_update(
            request=_request(cast.dorte), point=point, actor_role="Lærer", title="Ny", competences=[foreign]
        )
    assert "competences" in refused.value.message_dict
    point.refresh_from_db()
    assert point.title == POINT["title"] and [c.code for c in point.competences.all()] == ["persistence"]
    assert not PlanChange.objects.exists()


def test_the_plan_page_shows_the_competences_and_families_read_them_as_published(
    client, cast, login, framework
):
    plan = _pupil_plan(cast)
    persistence = _competence(cast.aarhus, "persistence")
    curiosity = _competence(cast.aarhus, "curiosity")
    point = _point(plan, [persistence])
    url = reverse("children:plan_detail", args=[plan.pk])
    login(client, cast.dorte)
    entry = client.get(url).context["entries"][0]
    assert [c.pk for c in entry.competences] == [persistence.pk]
    f.publish_plan(plan)
    assert plan.versions.get().snapshot["focus_points"][0]["competences"] == [persistence.pk]

    # Linked anew in the draft: the family still reads what was published.
    plan_services.focus_point_update(
        request=_request(cast.dorte), point=point, actor_role="Lærer", competences=[curiosity]
    )
    login(client, cast.bo, mfa=False)
    client.post(reverse("set_language"), {"language": "da"})
    response = client.get(url)
    assert [c.pk for c in response.context["entries"][0].competences] == [persistence.pk]
    body = response.content.decode()
    assert "Kompetencer, det styrker" in body and f"#competence-{persistence.pk}" in body
    assert f"#competence-{curiosity.pk}" not in body


def test_a_change_of_links_alone_can_be_published(client, cast, login, framework):
    plan = _pupil_plan(cast)
    point = _point(plan)
    f.publish_plan(plan)
    login(client, cast.dorte)
    publish = reverse("children:plan_publish", args=[plan.pk])
    assert client.post(publish, {"note": ""}).status_code == 200  # nothing changed yet
    plan_services.focus_point_update(
        request=_request(cast.dorte),
        point=point,
        actor_role="Lærer",
        competences=[_competence(cast.aarhus, "persistence")],
    )
    assert client.post(publish, {"note": "Kompetencer"}).status_code == 302
    assert plan.versions.count() == 2


def test_a_change_of_a_goal_s_competences_is_kept_in_the_history(client, cast, login, framework):
    goal = f.LearningGoalFactory(child=cast.emil, institution=cast.solsikken)
    curiosity = _competence(cast.aarhus, "curiosity")
    login(client, cast.carla)
    response = client.post(
        reverse("children:goal_edit", args=[cast.emil.pk, goal.pk]),
        {
            "title": goal.title,
            "theme": goal.theme,
            "description": goal.description,
            "home_activity": goal.home_activity,
            "status": goal.status,
            "competences": [curiosity.pk],
        },
    )
    assert response.status_code == 302
    change = PlanChange.objects.get(goal=goal)
    assert (change.field, change.before, change.after) == ("competences", "", curiosity.name_da)


@pytest.mark.parametrize(("person", "queries"), [("dorte", 19), ("bo", 15)])
def test_plan_page_costs_the_same_with_1_and_25_linked_focus_points(
    client, cast, login, framework, person, queries
):
    plan = _pupil_plan(cast)
    competences = list(Competence.objects.filter(municipality=cast.aarhus))
    _point(plan, competences)
    f.publish_plan(plan)
    login(client, getattr(cast, person), mfa=person == "dorte")

    def grow():
        for i in range(24):
            _point(plan, competences, title=f"Fokus {i}")
        f.publish_plan(plan)

    def shown(response):
        entries = response.context["entries"]
        assert all(len(e.competences) == len(competences) for e in entries)
        return len(entries)

    assert_exact_queries(client, reverse("children:plan_detail", args=[plan.pk]), queries, grow, shown)


@pytest.mark.parametrize("person", ["dorte", "bo"])
def test_child_page_competence_cards_list_focus_points_in_the_same_queries_with_1_and_25(
    client, cast, login, framework, person
):
    from tests.queries import warm_queries

    plan = _pupil_plan(cast)
    persistence = _competence(cast.aarhus, "persistence")
    first = _point(plan, [persistence])
    f.publish_plan(plan)
    draft_only = _point(plan, [persistence], title="Kun i kladden")
    login(client, getattr(cast, person), mfa=person == "dorte")
    url = reverse("children:child_detail", args=[cast.freja.pk])

    def listed(response):
        cards = {card.competence.code: card for card in response.context["competence_cards"]}
        assert not cards["curiosity"].focus_points
        return [p.pk for p in cards["persistence"].focus_points]

    response = client.get(url)
    if person == "bo":  # the family reads the focus points as published
        assert listed(response) == [first.pk]
    else:  # staff the draft
        assert listed(response) == [first.pk, draft_only.pk]
    body = response.content.decode()
    assert reverse("children:plan_detail", args=[plan.pk]) + f"#focus-{first.pk}" in body

    expected, _sql = warm_queries(client, url)
    draft_only.delete()

    def grow():
        for i in range(24):
            _point(plan, [persistence], title=f"Fokus {i}")
        f.publish_plan(plan)

    assert_exact_queries(client, url, expected, grow, lambda r: len(listed(r)))
