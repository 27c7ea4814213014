import re

import pytest
from django.test import Client
from django.urls import reverse

from children.models import LearningGoal
from portal.audit.models import AccessEvent
from tests import factories as f
from tests.queries import assert_constant_queries, assert_exact_queries

pytestmark = pytest.mark.django_db

GOAL = {
    "title": "Kan fortælle om sin dag",
    "theme": "language",
    "description": "Emil øver at fortælle med hele sætninger.",
    "home_activity": "Spørg ved aftensmaden: hvad var det sjoveste i dag?",
    "status": "in_progress",
}


def test_parent_home_shows_own_child_with_place_and_contact(client, cast, login):
    login(client, cast.anna, mfa=False)
    body = client.get(reverse("children:parent_home")).content.decode()
    assert "Emil Jensen" in body
    assert "Mariehønen" in body
    assert "Carla Hansen" in body
    assert "Freja" not in body


def test_parent_home_empty_state_explains_what_comes(client, db, login):
    parent = f.UserFactory()
    f.GuardianshipFactory(user=parent, child=f.ChildFactory())
    login(client, parent, mfa=False)
    body = client.get(reverse("children:parent_home")).content.decode()
    assert "things to do at home" in body.lower() or "ting" in body.lower()


def test_goal_create_by_pedagogue_is_a_draft_until_published_then_seen_by_parent(client, cast, login):
    login(client, cast.carla)
    response = client.post(reverse("children:goal_create", args=[cast.emil.pk]), GOAL)
    assert response.status_code == 302
    goal = LearningGoal.objects.get(child=cast.emil)
    assert goal.institution == cast.solsikken and goal.created_by == cast.carla
    assert AccessEvent.objects.filter(
        child=cast.emil, actor=cast.carla, action="create", object_id=goal.pk
    ).exists()

    assert goal.plan.child == cast.emil and goal.plan.institution == cast.solsikken

    # A draft: the family does not see it yet.
    login(client, cast.anna, mfa=False)
    child_url = reverse("children:child_detail", args=[cast.emil.pk])
    assert GOAL["title"] not in client.get(child_url).content.decode()

    login(client, cast.carla)
    assert client.post(reverse("children:plan_publish", args=[goal.plan.pk]), {}).status_code == 302
    login(client, cast.anna, mfa=False)
    body = client.get(child_url).content.decode()
    assert GOAL["title"] in body
    assert GOAL["home_activity"].replace(":", "") in body.replace(":", "")


def test_goal_create_invalid_input_writes_nothing_and_explains(client, cast, login):
    login(client, cast.carla)
    response = client.post(
        reverse("children:goal_create", args=[cast.emil.pk]), {**GOAL, "title": "", "theme": "nonsense"}
    )
    assert response.status_code == 200
    assert not LearningGoal.objects.exists()
    assert not AccessEvent.objects.filter(action="create").exists()
    form = response.context["form"]
    assert set(form.errors) == {"title", "theme"}
    assert 'aria-invalid="true"' in response.content.decode()


def test_goal_create_offers_daycare_themes_only_at_daycare(client, cast, login):
    login(client, cast.carla)
    response = client.get(reverse("children:goal_create", args=[cast.emil.pk]))
    themes = {value for value, _label in response.context["form"].fields["theme"].choices}
    assert "mathematics" not in themes and "language" in themes


def test_goal_edit_saves_only_changes_and_audits(client, cast, login):
    goal = f.LearningGoalFactory(child=cast.emil, institution=cast.solsikken)
    login(client, cast.carla)
    response = client.post(
        reverse("children:goal_edit", args=[cast.emil.pk, goal.pk]), {**GOAL, "status": "achieved"}
    )
    assert response.status_code == 302
    goal.refresh_from_db()
    assert goal.status == "achieved" and goal.title == GOAL["title"]
    assert AccessEvent.objects.filter(child=cast.emil, action="update", object_id=goal.pk).count() == 1


def test_goal_status_htmx_returns_the_row_fragment(client, cast, login):
    goal = f.LearningGoalFactory(child=cast.emil, institution=cast.solsikken)
    login(client, cast.carla)
    response = client.post(
        reverse("children:goal_status", args=[cast.emil.pk, goal.pk]),
        {"status": "achieved"},
        HTTP_HX_REQUEST="true",
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert body.lstrip().startswith("<li") and "<html" not in body
    oob = 'data-hx-swap-oob="beforeend:#messages"'
    assert oob in body and goal.title in body.split(oob)[1]
    goal.refresh_from_db()
    assert goal.status == "achieved"
    # The message was shown with the fragment, so it does not turn up again on the next page.
    assert goal.title not in client.get(reverse("children:staff_home")).content.decode()


def test_goal_status_rejects_unknown_status(client, cast, login):
    goal = f.LearningGoalFactory(child=cast.emil, institution=cast.solsikken, status="planned")
    login(client, cast.carla)
    client.post(reverse("children:goal_status", args=[cast.emil.pk, goal.pk]), {"status": "DROP TABLE"})
    goal.refresh_from_db()
    assert goal.status == "planned"


def test_pedagogue_cannot_write_for_child_in_another_group(client, cast, login):
    login(client, cast.carla)
    # Carla sees Ida (same institution) but writes only for her own group.
    assert client.get(reverse("children:child_detail", args=[cast.ida.pk])).status_code == 200
    assert client.post(reverse("children:goal_create", args=[cast.ida.pk]), GOAL).status_code == 404
    assert not LearningGoal.objects.exists()


def test_parent_without_custody_sees_but_cannot_write(client, cast, login):
    login(client, cast.mikkel, mfa=False)
    response = client.get(reverse("children:child_detail", args=[cast.emil.pk]))
    assert response.status_code == 200
    assert "custody" in response.content.decode() or "forældremyndighed" in response.content.decode()
    assert client.post(reverse("children:goal_create", args=[cast.emil.pk]), GOAL).status_code == 404


def test_child_page_read_is_audited_with_role_and_address(client, cast, login):
    login(client, cast.carla)
    client.get(reverse("children:child_detail", args=[cast.emil.pk]), REMOTE_ADDR="10.1.2.3")
    event = AccessEvent.objects.get(child=cast.emil, actor=cast.carla, action="view")
    assert event.ip == "10.1.2.3"
    assert "Solsikken" in event.actor_role
    assert event.municipality == cast.aarhus


def test_guardian_sees_who_looked_but_not_own_visits(client, cast, login):
    login(client, cast.carla)
    client.get(reverse("children:child_detail", args=[cast.emil.pk]))
    login(client, cast.anna, mfa=False)
    client.get(reverse("children:child_detail", args=[cast.emil.pk]))
    response = client.get(reverse("children:access_log", args=[cast.emil.pk]))
    assert "Carla Hansen" in response.content.decode()
    assert {e.actor_name for e in response.context["events"]} == {"Carla Hansen"}


def test_group_page_lists_children_and_audits_the_list(client, cast, login):
    login(client, cast.carla)
    body = client.get(reverse("children:group_detail", args=[cast.mariehonen.pk])).content.decode()
    assert "Emil Jensen" in body and "Ida" not in body
    assert AccessEvent.objects.filter(child=cast.emil, action="list", subject="group").count() == 1


def _add_children(cast, n):
    for _ in range(n):
        child = f.ChildFactory(municipality=cast.aarhus)
        f.GuardianshipFactory(child=child, user=cast.anna)
        f.EnrollmentFactory(child=child, group=cast.mariehonen)
        f.LearningGoalFactory(child=child, institution=cast.solsikken)


def test_parent_home_query_budget_is_constant(client, cast, login):
    login(client, cast.anna, mfa=False)
    assert_constant_queries(client, reverse("children:parent_home"), 28, lambda: _add_children(cast, 24))


def test_group_page_query_budget_is_constant(client, cast, login):
    login(client, cast.carla)
    assert_constant_queries(
        client,
        reverse("children:group_detail", args=[cast.mariehonen.pk]),
        10,
        lambda: _add_children(cast, 24),
    )


def test_staff_home_costs_the_same_queries_with_1_and_25_groups(client, cast, login):
    login(client, cast.carla)

    def grow():
        for i in range(24):
            group = f.GroupFactory(institution=cast.solsikken, name=f"Stue {i}")
            cast.carla.staff_memberships.get().groups.add(group)
            f.EnrollmentFactory(child=f.ChildFactory(municipality=cast.aarhus), group=group)

    assert_exact_queries(
        client, reverse("children:staff_home"), 16, grow, lambda response: len(response.context["groups"])
    )


def test_staff_home_counts_each_child_with_a_place_now_once(client, cast, login):
    f.EnrollmentFactory(child=f.ChildFactory(municipality=cast.aarhus), group=cast.mariehonen)
    moved_on = f.ChildFactory(municipality=cast.aarhus)
    f.EnrollmentFactory(child=moved_on, group=cast.mariehonen, started_on="2020-08-01", ended_on="2021-07-31")
    starting = f.ChildFactory(municipality=cast.aarhus)
    f.EnrollmentFactory(child=starting, group=cast.mariehonen, started_on="2999-08-01")
    # Emil's second place in the same group (a new period) counts him once.
    f.EnrollmentFactory(
        child=cast.emil, group=cast.mariehonen, started_on="2020-08-01", ended_on="2999-07-31"
    )
    login(client, cast.carla)
    groups = client.get(reverse("children:staff_home")).context["groups"]
    assert {g.name: g.child_count for g in groups} == {"Mariehønen": 2}


def _guardian_line(body, name):
    """The text of the guardians-list item that names this person, with its whitespace squeezed."""
    items = re.findall(r"<li>(.*?)</li>", body, re.S)
    return next(" ".join(re.sub(r"<[^>]+>", " ", li).split()) for li in items if name in li)


def test_child_page_shows_staff_how_the_guardian_chose_to_be_reached(client, cast, login, settings):
    settings.LANGUAGE_CODE = "en"
    anna_client = Client()
    login(anna_client, cast.anna, mfa=False)
    choice = {"notify_by_sms": "on", "phone": "12 34 56 78", "language": "da"}  # and no e-mail
    response = anna_client.post(reverse("meetings:contact_settings"), choice)
    assert response.status_code == 302

    login(client, cast.carla)
    body = client.get(reverse("children:child_detail", args=[cast.emil.pk])).content.decode()
    assert "Reached by text message" in _guardian_line(body, "Anna Jensen")
    assert "Reached by e-mail" in _guardian_line(body, "Mikkel Jensen")


@pytest.mark.parametrize(
    ("by_email", "by_sms", "phone", "shown"),
    [
        (True, True, "+4512345678", "Reached by e-mail and text message"),
        (True, False, "+4512345678", "Reached by e-mail"),
        (False, True, "+4512345678", "Reached by text message"),
        (False, False, "+4512345678", "Reached only through the portal"),
        # Text messages need a number; without one nothing is sent, so the page does not promise it.
        (True, True, "", "Reached by e-mail"),
        (False, True, "", "Reached only through the portal"),
    ],
)
def test_child_page_says_only_what_reminders_really_use(
    client, cast, login, settings, by_email, by_sms, phone, shown
):
    settings.LANGUAGE_CODE = "en"
    cast.anna.notify_by_email, cast.anna.notify_by_sms, cast.anna.phone = by_email, by_sms, phone
    cast.anna.save(update_fields=["notify_by_email", "notify_by_sms", "phone"])
    login(client, cast.carla)
    body = client.get(reverse("children:child_detail", args=[cast.emil.pk])).content.decode()
    line = _guardian_line(body, "Anna Jensen")
    assert line.endswith(shown)


def test_child_page_query_budget_is_constant(client, cast, login):
    login(client, cast.carla)

    def grow():
        for _ in range(25):
            f.LearningGoalFactory(child=cast.emil, institution=cast.solsikken)
        for i in range(24):
            user = f.UserFactory(notify_by_sms=i % 2 == 0, phone=f"+45123456{i:02}")
            f.GuardianshipFactory(child=cast.emil, user=user, relation="other", has_custody=False)

    assert_constant_queries(client, reverse("children:child_detail", args=[cast.emil.pk]), 19, grow)


def test_django_admin_reads_of_a_child_are_audited(client, cast, login):
    operator = f.UserFactory(is_staff=True, is_superuser=True)
    from tests.conftest import enable_mfa

    enable_mfa(operator)
    login(client, operator)
    response = client.get(reverse("admin:children_child_change", args=[cast.emil.pk]))
    assert response.status_code == 200
    assert AccessEvent.objects.filter(child=cast.emil, actor=operator, subject="admin.child").exists()


def test_audit_takes_the_client_address_from_trusted_proxies_only(client, cast, login, settings):
    login(client, cast.carla)
    url = reverse("children:child_detail", args=[cast.emil.pk])
    client.get(url, REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 192.0.2.7")
    settings.NUM_PROXIES = 1
    client.get(url, REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 192.0.2.7")
    assert list(
        AccessEvent.objects.filter(action="view").order_by("at", "pk").values_list("ip", flat=True)
    ) == [
        "10.0.0.1",
        "192.0.2.7",
    ]


def test_parent_home_records_that_the_parent_saw_the_children(client, cast, login):
    login(client, cast.anna, mfa=False)
    client.get(reverse("children:parent_home"))
    event = AccessEvent.objects.get(subject="parent_home")
    assert event.child == cast.emil and event.actor == cast.anna and event.action == "list"


def _goals(response):
    return len(response.context["goals"])


def _add_goals(cast, n=24):
    def grow():
        for _ in range(n):
            goal = f.LearningGoalFactory(child=cast.emil, institution=cast.solsikken)
        f.publish_plan(goal.plan)  # what the family reads

    return grow


@pytest.mark.parametrize(("person", "queries"), [("carla", 19), ("anna", 17)])
def test_child_page_costs_the_same_queries_with_1_and_25_goals(client, cast, login, person, queries):
    f.publish_plan(f.LearningGoalFactory(child=cast.emil, institution=cast.solsikken).plan)
    login(client, getattr(cast, person), mfa=person == "carla")
    url = reverse("children:child_detail", args=[cast.emil.pk])
    assert_exact_queries(client, url, queries, _add_goals(cast), _goals)


def test_access_log_costs_the_same_queries_with_1_and_25_events(client, cast, login):
    def look(n):
        for _ in range(n):
            AccessEvent.objects.create(
                actor=cast.carla,
                actor_name="Carla Hansen",
                child=cast.emil,
                municipality=cast.aarhus,
                action="view",
                subject="child",
            )

    look(1)
    login(client, cast.anna, mfa=False)
    url = reverse("children:access_log", args=[cast.emil.pk])
    assert_exact_queries(client, url, 6, lambda: look(24), lambda r: len(r.context["events"]))


def test_the_child_access_log_shows_fifty_events_a_page_newest_first(client, cast, login):
    AccessEvent.objects.bulk_create(
        AccessEvent(
            actor=cast.carla,
            actor_name=f"Carla {n:02}",
            child=cast.emil,
            municipality=cast.aarhus,
            action="view",
            subject="child",
        )
        for n in range(60)
    )
    login(client, cast.anna, mfa=False)
    url = reverse("children:access_log", args=[cast.emil.pk])
    first = client.get(url)
    names = [e.actor_name for e in first.context["events"]]
    assert len(names) == 50 and first.context["events"].newer is None
    older = first.context["events"].older
    body = first.content.decode()
    assert 'rel="next"' in body and 'rel="prev"' not in body
    second = client.get(url, {"before": older})
    rest = [e.actor_name for e in second.context["events"]]
    assert len(rest) == 10 and not set(rest) & set(names) and second.context["events"].older is None
    assert 'rel="prev"' in second.content.decode()
    assert sorted(names + rest) == sorted(f"Carla {n:02}" for n in range(60))


def test_a_leader_s_home_lists_their_own_groups_and_links_the_whole_institution(client, cast, login):
    lene = cast.lene.staff_memberships.get()
    lene.groups.clear()
    login(client, cast.lene)
    response = client.get(reverse("children:staff_home"))
    assert list(response.context["groups"]) == [] and response.context["leads"] == [cast.solsikken]
    body = response.content.decode()
    assert reverse("organisation:institution_detail", args=[cast.solsikken.pk]) in body
    lene.groups.add(cast.bien)
    response = client.get(reverse("children:staff_home"))
    assert [g.name for g in response.context["groups"]] == ["Bien"]
