"""The API's answers: the municipality's own data only, within the key's scopes, every child logged."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from expectations.models import ExpectationAgreement
from portal.api.models import ApiClient
from portal.audit.models import AccessEvent
from portal.organisation.models import MunicipalityFigures
from tests import factories as f
from tests.api.conftest import AGREEMENT_TEXT, get

pytestmark = pytest.mark.django_db


def test_children_list_shows_aarhus_children_with_their_places(api_world, make_key):
    c = api_world.cast
    response = get(reverse("api:child-list"), make_key())
    assert response.status_code == 200
    body = response.json()
    ids = {row["id"] for row in body["results"]}
    assert ids == {c.emil.pk, c.freja.pk, c.ida.pk, c.baby.pk}
    emil = next(row for row in body["results"] if row["id"] == c.emil.pk)
    [place] = emil["places"]
    assert (place["institution"], place["group"], place["ended_on"]) == (
        c.solsikken.pk,
        c.mariehonen.pk,
        None,
    )
    assert response["Cache-Control"] == "no-store, private"


def test_every_child_read_is_in_the_access_log_naming_the_client(api_world, make_key):
    c = api_world.cast
    key = make_key(name="Elevadministration")
    get(reverse("api:child-list"), key)
    events = AccessEvent.objects.filter(subject="api_children")
    assert {e.child_id for e in events} == {c.emil.pk, c.freja.pk, c.ida.pk, c.baby.pk}
    assert {(e.actor_id, e.actor_name, e.action) for e in events} == {(None, "Elevadministration", "list")}
    assert {e.actor_role for e in events} <= {"API client", "API-klient"}

    get(reverse("api:child-detail", kwargs={"pk": c.emil.pk}), key)
    assert AccessEvent.objects.filter(subject="api_child", child=c.emil, object_id=c.emil.pk).count() == 1

    get(reverse("api:agreement-list"), key)
    assert list(AccessEvent.objects.filter(subject="api_agreements").values_list("child_id", flat=True)) == [
        c.emil.pk
    ]


def test_agreements_show_status_never_text(api_world, make_key):
    response = get(reverse("api:agreement-list"), make_key())
    assert response.status_code == 200
    rows = response.json()["results"]
    assert [r["id"] for r in rows] == [api_world.agreement.pk]
    assert rows[0]["status"] == "in_force"
    assert AGREEMENT_TEXT not in response.content.decode()


def test_another_municipality_key_sees_nothing_of_aarhus(api_world, make_key):
    c = api_world.cast
    key = make_key(municipality=c.other)
    children = get(reverse("api:child-list"), key).json()["results"]
    assert [row["id"] for row in children] == [c.søren.pk]
    for name, pk in (
        ("api:child-detail", c.emil.pk),
        ("api:institution-detail", c.solsikken.pk),
        ("api:group-detail", c.mariehonen.pk),
        ("api:agreement-detail", api_world.agreement.pk),
        ("api:review-round-detail", api_world.rounds["aarhus"].pk),
    ):
        assert get(reverse(name, kwargs={"pk": pk}), key).status_code == 404, name
    assert not AccessEvent.objects.filter(child__municipality=c.aarhus, subject__startswith="api_").exists()


def test_meeting_statistics_count_meetings_of_the_municipality(api_world, make_key):
    c = api_world.cast
    rows = get(reverse("api:meeting-statistics-list"), make_key()).json()["results"]
    assert rows == [
        {"institution": c.solsikken.pk, "kind": "daycare_conversation", "status": "held", "meetings": 1,
         "families_came": 1, "families_did_not_come": 0}
    ]  # fmt: skip
    assert get(reverse("api:meeting-statistics-list"), make_key(municipality=c.other)).json()["results"] == []
    bad = get(reverse("api:meeting-statistics-list"), make_key(), **{"from": "2026-13-40"})
    assert bad.status_code == 400 and "from" in bad.json()


def test_review_rounds_serve_the_stored_figures(api_world, make_key, django_assert_num_queries):
    stored = api_world.rounds["aarhus"].figures
    stored.data["municipality"]["places"] = 99  # what the nightly task stored, not counted again
    stored.save(update_fields=["data"])
    key = make_key()
    get(reverse("api:review-round-list"), key)  # the key's first use is noted once
    with django_assert_num_queries(3):  # the key, the count, the rounds with their figures
        response = get(reverse("api:review-round-list"), key)
    rows = response.json()["results"]
    assert [r["id"] for r in rows] == [api_world.rounds["aarhus"].pk]
    figures = rows[0]["figures"]
    for name in ("children", "agreements", "commitments"):
        assert figures["municipality"][name] == stored.data["municipality"][name]
    assert figures["municipality"]["places"] == 99
    assert "clear_sum" not in figures["municipality"]  # sums could undo the small-number rule


@pytest.mark.parametrize("n", [1, 25])
def test_children_list_uses_a_constant_number_of_queries(n, cast, make_key, django_assert_num_queries):
    for i in range(n - 1):
        f.EnrollmentFactory(
            child=f.ChildFactory(municipality=cast.aarhus, first_name=f"Barn{i}"), group=cast.bien
        )
    key = make_key()
    get(reverse("api:institution-list"), key)  # the key's first use is noted once
    # The key, the count, the children, their places, one INSERT into the access log.
    with django_assert_num_queries(5):
        response = get(reverse("api:child-list"), key, limit=200)
    assert response.json()["count"] == n + 3


@pytest.mark.parametrize("n", [1, 25])
def test_lists_use_a_constant_number_of_queries(n, cast, make_key, django_assert_num_queries):
    for i in range(n):
        f.GroupFactory(institution=cast.school, name=f"{i}.B")
        f.InstitutionFactory(municipality=cast.aarhus, name=f"Institution {i}")
    key = make_key()
    get(reverse("api:institution-list"), key)
    for name in ("api:institution-list", "api:group-list"):
        with django_assert_num_queries(3):  # the key, the count, the page
            assert get(reverse(name), key).status_code == 200


def test_pagination_limits_and_offsets(api_world, make_key):
    key = make_key()
    first = get(reverse("api:child-list"), key, limit=2).json()
    assert first["count"] == 4 and len(first["results"]) == 2 and first["next"]
    far = get(reverse("api:child-list"), key, offset=10**30).json()
    assert far["results"] == []


def test_groups_filter_by_institution(api_world, make_key):
    c = api_world.cast
    key = make_key(scopes=[ApiClient.Scope.ORGANISATION])
    rows = get(reverse("api:group-list"), key, institution=c.solsikken.pk).json()["results"]
    assert {r["id"] for r in rows} == {c.mariehonen.pk, c.bien.pk}
    assert get(reverse("api:group-list"), key, institution="x").status_code == 400


def test_out_of_range_numbers_are_no_server_error(api_world, make_key):
    key = make_key()
    huge = 10**30
    assert get(reverse("api:child-detail", kwargs={"pk": huge}), key).status_code == 404
    assert get(reverse("api:child-detail", kwargs={"pk": 2**63}), key).status_code == 404
    assert get(reverse("api:child-list"), key, offset=huge, limit=huge).status_code == 200
    assert get(reverse("api:group-list"), key, institution=str(huge)).status_code == 400
    assert get(reverse("api:group-list"), key, institution="\u00b2").status_code == 400
    stats = reverse("api:meeting-statistics-list")
    assert get(stats, key, institution=str(10**17)).json()["results"] == []
    assert get(stats, key, before="0001-01-01", **{"from": "9999-12-31"}).json()["results"] == []


def test_municipality_figures_are_the_stored_ones(api_world, make_key, django_assert_num_queries):
    c = api_world.cast
    key = make_key()
    first = get(reverse("api:municipality-figures"), key).json()  # never counted: counted now
    assert (first["children"], first["places"]) == (4, 4)
    MunicipalityFigures.objects.filter(municipality=c.aarhus).update(places=99)
    with django_assert_num_queries(3):  # the key, its municipality, the stored figures
        again = get(reverse("api:municipality-figures"), key).json()
    assert again["places"] == 99


@pytest.mark.parametrize("n", [1, 25])
def test_agreements_list_uses_a_constant_number_of_queries(n, cast, make_key, django_assert_num_queries):
    for i in range(n):
        child = f.ChildFactory(municipality=cast.aarhus, first_name=f"Barn{i}")
        ExpectationAgreement.objects.create(
            child=child,
            institution=cast.solsikken,
            status=ExpectationAgreement.Status.IN_FORCE,
            review_due_on=timezone.localdate() + timedelta(days=180),
            agreed_at=timezone.now(),
        )
    key = make_key()
    get(reverse("api:institution-list"), key)  # the key's first use is noted once
    with django_assert_num_queries(4):  # the key, the count, the page, one INSERT into the access log
        response = get(reverse("api:agreement-list"), key)
    assert response.json()["count"] == n
    assert AccessEvent.objects.filter(subject="api_agreements").count() == n
