"""Learn everyone's names: the parents of a group see the first names of the group's children whose
families said yes (every custody holder), nothing until then; a no hides the name at once. Only the
child's own guardians open the page; custody holders decide."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from children.models import Enrollment
from portal.audit.models import AccessEvent
from portal.community import selectors
from portal.community.models import NameSharing
from portal.community.services import name_sharing_choose
from portal.todos import parent_todos
from tests import factories as f
from tests.queries import assert_exact_queries

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


def family(cast, first_name, *, group=None, parents=2):
    """A child in Emil's group (Mariehønen) with ``parents`` custody holders."""
    child = f.ChildFactory(municipality=cast.aarhus, first_name=first_name)
    f.EnrollmentFactory(child=child, group=group or cast.mariehonen)
    holders = [f.GuardianshipFactory(child=child).user for _ in range(parents)]
    return child, holders


def choose(child, user, show_name):
    return name_sharing_choose(request=None, user=user, child=child, show_name=show_name)


def shown_names(child):
    return [name.first_name for group in selectors.group_names(child) for name in group.names]


def test_a_name_shows_only_when_every_custody_holder_says_yes_and_hides_at_a_no(cast):
    liva, (mother, father) = family(cast, "Liva")
    assert shown_names(cast.emil) == []

    choose(liva, mother, True)
    assert shown_names(cast.emil) == []  # the father has not answered
    choose(liva, father, True)
    assert shown_names(cast.emil) == ["Liva"]
    choose(liva, father, False)
    assert shown_names(cast.emil) == []


def test_a_parent_without_custody_neither_decides_nor_blocks(cast, client):
    choose(cast.emil, cast.anna, True)
    assert shown_names(cast.emil) == ["Emil"]  # Mikkel has no custody: his answer is not needed

    client.force_login(cast.mikkel)
    page = client.get(reverse("community:group_names", args=[cast.emil.pk]))
    assert page.status_code == 200 and b'name="show_name"' not in page.content
    response = client.post(reverse("community:group_names", args=[cast.emil.pk]), {"show_name": "no"})
    assert response.status_code == 404
    assert list(NameSharing.objects.values_list("user_id", "show_name")) == [(cast.anna.pk, True)]


def test_only_the_childs_group_and_only_children_there_now(cast):
    liva, parents = family(cast, "Liva")
    bent, bent_parents = family(cast, "Bent", group=cast.bien)  # another group of the same daycare
    for child, holders in ((liva, parents), (bent, bent_parents)):
        for parent in holders:
            choose(child, parent, True)
    assert shown_names(cast.emil) == ["Liva"]

    Enrollment.objects.filter(child=liva).update(ended_on=timezone.localdate() - timedelta(days=1))
    assert shown_names(cast.emil) == []


def test_the_page_lists_names_alphabetically_with_a_count_of_the_others(cast, client):
    for name in ("Otto", "Alma"):
        child, holders = family(cast, name, parents=1)
        choose(child, holders[0], True)
    family(cast, "Hidden", parents=1)
    client.force_login(cast.anna)

    page = client.get(reverse("community:group_names", args=[cast.emil.pk])).content.decode()

    assert page.index("<span>Alma</span>") < page.index("<span>Otto</span>")
    assert "Hidden" not in page
    assert "2 more children in the group, whose families have not chosen to show their names." in page


def test_a_custody_holder_answers_on_the_page_and_the_answer_is_kept(cast, client):
    client.force_login(cast.anna)
    url = reverse("community:group_names", args=[cast.emil.pk])

    refused = client.post(url, {})
    assert refused.status_code == 200 and b"Choose yes or no." in refused.content
    assert not NameSharing.objects.exists()

    response = client.post(url, {"show_name": "yes"})
    assert response.status_code == 302
    assert NameSharing.objects.get(child=cast.emil, user=cast.anna).show_name is True
    page = client.get(url).content.decode()
    assert re.search(r'<input[^>]*value="yes"[^>]*checked', page)
    assert not re.search(r'<input[^>]*value="no"[^>]*checked', page)
    assert "Emil (your child)" in page
    assert AccessEvent.objects.filter(actor=cast.anna, child=cast.emil, subject="group_names").exists()


@pytest.mark.parametrize("who", ["bo", "carla", "lene", "erik", "olga", "dorte"])
def test_anyone_but_the_childs_guardians_gets_404(cast, client, login, who):
    login(client, getattr(cast, who))
    assert client.get(reverse("community:group_names", args=[cast.emil.pk])).status_code == 404
    assert (
        client.post(reverse("community:group_names", args=[cast.emil.pk]), {"show_name": "yes"}).status_code
        == 404
    )
    assert not NameSharing.objects.exists()


def test_the_names_seen_are_in_the_access_log_of_those_children(cast, client):
    liva, (mother,) = family(cast, "Liva", parents=1)
    choose(liva, mother, True)
    client.force_login(cast.anna)

    client.get(reverse("community:group_names", args=[cast.emil.pk]))

    seen = AccessEvent.objects.get(subject="group_names_seen")
    assert (seen.child_id, seen.actor_id, seen.action) == (liva.pk, cast.anna.pk, AccessEvent.Action.LIST)
    assert AccessEvent.objects.filter(subject="group_names_page", child=cast.emil).count() == 1


def test_the_page_costs_the_same_with_1_and_25_names(cast, client):
    first, (parent,) = family(cast, "Aase", parents=1)
    choose(first, parent, True)
    client.force_login(cast.anna)

    def grow():
        for number in range(24):
            child, (holder,) = family(cast, f"Barn{number:02d}", parents=1)
            choose(child, holder, True)

    assert_exact_queries(
        client,
        reverse("community:group_names", args=[cast.emil.pk]),
        15,
        grow,
        shown=lambda response: sum(1 for g in response.context["groups"] for _ in g.names),
    )


def test_a_family_new_in_a_group_is_asked_for_a_month_until_it_answers(cast):
    today = timezone.localdate()
    newcomer, (mother, father) = family(cast, "Nora")
    Enrollment.objects.filter(child=newcomer).update(started_on=today - timedelta(days=3))
    f.GuardianshipFactory(child=newcomer, has_custody=False)

    (todo,) = [t for t in parent_todos(mother) if t.kind == "community"]
    assert todo.deadline == today + timedelta(days=27)
    assert todo.title == "Say whether the other parents in the group may see Nora's first name"
    assert todo.url == reverse("community:group_names", args=[newcomer.pk])
    # Emil joined Mariehønen long ago: no standing demand on Anna; Sofie's caseload is no group.
    assert not [t for t in parent_todos(cast.anna) if t.kind == "community"]
    assert not [t for t in parent_todos(cast.holm) if t.kind == "community"]

    choose(newcomer, mother, False)
    assert not [t for t in parent_todos(mother) if t.kind == "community"]
    assert [t.kind for t in parent_todos(father) if t.kind == "community"] == ["community"]

    Enrollment.objects.filter(child=newcomer).update(started_on=today - timedelta(days=31))
    assert not [t for t in parent_todos(father) if t.kind == "community"]
