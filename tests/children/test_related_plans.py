"""Related plans: a psychologist (PPR) records that Emil has a social action plan and who coordinates it;
Anna decides per place whether its staff may see that; Carla at Solsikken then sees the coordinator on
Emil's page and nothing else, and without the yes sees nothing at all. Never any content of the plan."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from children.models import RelatedPlan, RelatedPlanConsent
from children.services import related as services
from portal.audit.models import AccessEvent
from portal.meetings.models import Notification
from portal.organisation.models import Institution, StaffMembership
from portal.todos import parent_todos
from tests import factories as f
from tests.queries import assert_constant_queries
from tests.transitions.conftest import request_by

pytestmark = pytest.mark.django_db
COORDINATOR = "Rikke KOORDINATOR-Holm"
TODAY = timezone.localdate()


@pytest.fixture
def pia(cast):
    """A psychologist (PPR) with Emil in her caseload."""
    ppr = f.InstitutionFactory(municipality=cast.aarhus, name="PPR Aarhus", kind=Institution.Kind.PPR)
    caseload = f.GroupFactory(institution=ppr, name="PPR Syd")
    f.EnrollmentFactory(child=cast.emil, group=caseload)
    user = f.UserFactory(email="pia@example.test", first_name="Pia", last_name="Dahl")
    f.StaffMembershipFactory(
        user=user, institution=ppr, role=StaffMembership.Role.PPR_CONSULTANT, groups=[caseload]
    )
    return user


def _register(cast, pia, django_capture_on_commit_callbacks, **extra):
    data = {
        "kind": RelatedPlan.Kind.SOCIAL_ACTION,
        "coordinator_name": COORDINATOR,
        "coordinator_role": "Rådgiver, Familieafdelingen",
        "coordinator_phone": "+45 87 13 00 00",
        "coordinator_email": "rikke@example.test",
        "since": TODAY - timedelta(days=30),
    } | extra
    with django_capture_on_commit_callbacks(execute=True):
        return services.related_plan_register(request=request_by(pia), child=cast.emil, **data)


@pytest.fixture
def plan(cast, pia, django_capture_on_commit_callbacks):
    return _register(cast, pia, django_capture_on_commit_callbacks)


def _child_page(client, login, user, cast):
    login(client, user, mfa=not cast.emil.guardianships.filter(user=user).exists())
    return client.get(reverse("children:child_detail", args=[cast.emil.pk])).content.decode()


def _consent(user, plan, institution, given):
    return services.related_plan_consent_set(
        request=request_by(user), plan=plan, institution_id=institution.pk, given=given
    )


def test_the_psychologist_records_it_from_the_child_page_and_the_custody_holders_are_told(
    client, cast, login, pia, settings, django_capture_on_commit_callbacks
):
    settings.LANGUAGE_CODE = "en"
    cast.anna.language = "en"
    cast.anna.save(update_fields=["language"])
    assert "Record a related plan" in _child_page(client, login, pia, cast)
    url = reverse("children:related_plan_create", args=[cast.emil.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url,
            {
                "kind": "social_action",
                "coordinator_name": COORDINATOR,
                "coordinator_role": "Caseworker",
                "coordinator_phone": "+45 87 13 00 00",
                "coordinator_email": "",
                "since": (TODAY - timedelta(days=2)).isoformat(),
            },
        )
    plan = RelatedPlan.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "children:related_plan_detail", args=[plan.pk]
    )
    assert (plan.child, plan.coordinator_name, plan.created_by) == (cast.emil, COORDINATOR, pia)
    assert AccessEvent.objects.filter(subject="related_plan", action="create", object_id=plan.pk).exists()
    notice = Notification.objects.get(kind=Notification.Kind.RELATED_PLAN)
    assert notice.user == cast.anna  # the custody holder; Mikkel has no custody
    assert notice.title == "Decide who may see that Emil has a related plan"
    assert "They never see what it says." in notice.body


def test_the_notice_is_in_danish_for_a_danish_reader(cast, pia, plan):
    notice = Notification.objects.get(kind=Notification.Kind.RELATED_PLAN, user=cast.anna)
    assert notice.title == "Bestem, hvem der må se, at Emil har en relateret plan"
    assert "De ser aldrig, hvad der står i den." in notice.body


def test_staff_see_the_coordinator_only_while_the_parents_say_yes_for_their_place(client, cast, login, plan):
    page = _child_page(client, login, cast.carla, cast)
    assert COORDINATOR not in page and "Relaterede planer" not in page and "related-plans" not in page

    _consent(cast.anna, plan, cast.solsikken, True)
    for person in (cast.carla, cast.lene):
        page = _child_page(client, login, person, cast)
        assert COORDINATOR in page and "+45 87 13 00 00" in page and "Social handleplan" in page
        assert reverse("children:related_plan_detail", args=[plan.pk]) not in page  # nothing else
    event = AccessEvent.objects.filter(subject="related_plans", actor=cast.lene).get()
    assert (event.child_id, event.action) == (cast.emil.pk, "list")

    _consent(cast.anna, plan, cast.solsikken, False)  # taken back: at once
    assert COORDINATOR not in _child_page(client, login, cast.carla, cast)


def test_another_place_never_sees_it_and_an_ended_plan_leaves_the_staff_page(client, cast, login, plan):
    _consent(cast.anna, plan, cast.solsikken, True)
    services.related_plan_end(request=request_by(cast.carla), plan=plan, ended_on=TODAY - timedelta(days=1))
    assert COORDINATOR not in _child_page(client, login, cast.carla, cast)
    assert COORDINATOR in _child_page(client, login, cast.anna, cast)  # the family always sees it
    login(client, cast.dorte)
    assert client.get(reverse("children:related_plan_detail", args=[plan.pk])).status_code == 404


def test_the_family_decides_on_the_plan_page_and_the_parent_without_custody_reads(client, cast, login, plan):
    url = reverse("children:related_plan_detail", args=[plan.pk])
    login(client, cast.anna, mfa=False)
    body = client.get(url).content.decode()
    assert COORDINATOR in body and "Børnehuset Solsikken" in body and "Ja, de må se den" in body
    response = client.post(
        reverse("children:related_plan_consent", args=[plan.pk]),
        {"institution": cast.solsikken.pk, "give": "yes"},
    )
    assert response.status_code == 302
    assert RelatedPlanConsent.objects.get(plan=plan, institution=cast.solsikken).given
    login(client, cast.mikkel, mfa=False)
    body = client.get(url).content.decode()
    assert COORDINATOR in body and "Ja, de må se den" not in body
    response = client.post(
        reverse("children:related_plan_consent", args=[plan.pk]),
        {"institution": cast.solsikken.pk, "give": "no"},
    )
    assert response.status_code == 404
    assert RelatedPlanConsent.objects.get(plan=plan, institution=cast.solsikken).given


def test_bad_input_gives_translated_errors_and_changes_nothing(client, cast, login, pia, plan):
    login(client, pia)
    response = client.post(
        reverse("children:related_plan_create", args=[cast.emil.pk]),
        {"kind": "secret", "coordinator_name": "", "since": (TODAY + timedelta(days=3)).isoformat()},
    )
    assert response.status_code == 200 and "Dette felt er påkrævet." in response.content.decode()
    response = client.post(
        reverse("children:related_plan_create", args=[cast.emil.pk]),
        {"kind": "social_action", "coordinator_name": "X", "since": (TODAY + timedelta(days=3)).isoformat()},
    )
    assert "Planen skal allerede være begyndt." in response.content.decode()
    response = client.post(
        reverse("children:related_plan_end", args=[plan.pk]),
        {"ended_on": (plan.since - timedelta(days=1)).isoformat()},
    )
    assert "Planen kan ikke slutte, før den begyndte." in response.content.decode()
    login(client, cast.anna, mfa=False)
    response = client.post(
        reverse("children:related_plan_consent", args=[plan.pk]),
        {"institution": cast.other_daycare.pk, "give": "yes"},
    )
    assert response.status_code == 200 and "Vælg et af dit barns steder." in response.content.decode()
    assert RelatedPlan.objects.count() == 1 and not RelatedPlanConsent.objects.exists()
    assert RelatedPlan.objects.get().ended_on is None


def test_the_custody_holder_has_a_to_do_until_every_place_is_decided(cast, pia, plan):
    assert [t.title for t in parent_todos(cast.anna) if t.kind == "related_plan"] == [
        "Bestem, hvem der må se, at Emil har en relateret plan"
    ]
    assert not [t for t in parent_todos(cast.mikkel) if t.kind == "related_plan"]
    _consent(cast.anna, plan, cast.solsikken, False)
    assert [t for t in parent_todos(cast.anna) if t.kind == "related_plan"]  # PPR's place is undecided
    ppr = pia.staff_memberships.get().institution
    _consent(cast.anna, plan, ppr, True)
    assert not [t for t in parent_todos(cast.anna) if t.kind == "related_plan"]


@pytest.mark.parametrize("persona", ["carla", "dorte", "sofie", "erik", "olga", "bo"])
def test_only_a_psychologist_or_health_visitor_with_the_child_in_their_caseload_records_one(
    client, cast, login, persona
):
    login(client, getattr(cast, persona))
    assert client.get(reverse("children:related_plan_create", args=[cast.emil.pk])).status_code == 404


def test_the_child_page_costs_the_same_with_1_and_20_related_plans(
    client, cast, login, plan, pia, django_capture_on_commit_callbacks
):
    _consent(cast.anna, plan, cast.solsikken, True)
    login(client, cast.carla)

    def grow():
        for i in range(19):
            p = RelatedPlan.objects.create(
                child=cast.emil, kind="other_support", coordinator_name=f"K {i}", since=TODAY
            )
            RelatedPlanConsent.objects.create(plan=p, institution=cast.solsikken, given=True)

    assert_constant_queries(client, reverse("children:child_detail", args=[cast.emil.pk]), 21, grow)


def test_the_plan_page_costs_the_same_with_1_and_25_places(client, cast, login, plan):
    login(client, cast.anna, mfa=False)

    def grow():
        for i in range(24):
            place = f.InstitutionFactory(municipality=cast.aarhus, name=f"Sted {i}")
            f.EnrollmentFactory(child=cast.emil, group=f.GroupFactory(institution=place))
            RelatedPlanConsent.objects.create(plan=plan, institution=place, given=i % 2 == 0)

    assert_constant_queries(client, reverse("children:related_plan_detail", args=[plan.pk]), 12, grow)
