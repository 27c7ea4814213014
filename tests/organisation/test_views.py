import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from portal.audit.models import AccessEvent
from portal.organisation.models import Group, Institution, MunicipalityFigures, StaffMembership
from portal.organisation.tasks import refresh_municipality_figures
from tests import factories as f
from tests.conftest import enable_mfa
from tests.expectations.test_review_figures import two_places_each
from tests.queries import assert_exact_queries

pytestmark = pytest.mark.django_db


def test_admin_home_shows_own_municipality_figures(client, cast, login):
    login(client, cast.erik)
    response = client.get(reverse("organisation:admin_home"))
    assert response.status_code == 200
    assert response.context["figures"]["children"] == 4  # Emil, Freja, Ida and the expected baby have places
    kinds = dict(response.context["kinds"])
    assert kinds[Institution.Kind.INTEGRATED.label] == 1
    assert "Skanderborg" not in response.content.decode()


def test_admin_home_counts_the_figures_once_then_reads_them(client, cast, login, django_assert_num_queries):
    login(client, cast.erik)
    url = reverse("organisation:admin_home")
    assert not MunicipalityFigures.objects.exists()
    first = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    stored = MunicipalityFigures.objects.get(municipality=cast.aarhus)
    assert (stored.children, stored.places, stored.staff) == (4, 4, 4)  # Carla, Lene, Dorte, Sofie
    assert "Children, places and staff as counted" in first.content.decode()
    f.EnrollmentFactory(child=f.ChildFactory(municipality=cast.aarhus), group=cast.bien)
    assert client.get(url).context["figures"]["children"] == 4
    assert MunicipalityFigures.objects.count() == 1  # Skanderborg's are counted when asked, or hourly
    refresh_municipality_figures()
    stored.refresh_from_db()
    assert stored.children == 5 and MunicipalityFigures.objects.get(municipality=cast.other).children == 1


def test_admin_home_and_institution_list_count_a_child_once_and_each_of_its_places(client, cast, login):
    two_places_each(cast)
    login(client, cast.erik)
    response = client.get(reverse("organisation:admin_home"), HTTP_ACCEPT_LANGUAGE="da")
    assert (response.context["figures"]["children"], response.context["figures"]["places"]) == (4, 7)
    body = response.content.decode()
    assert re.search(r">4</p><p>børn med en plads</p>", body) and re.search(r">7</p><p>pladser ", body)
    institutions = {i.name: i for i in client.get(reverse("organisation:institution_list")).context["page"]}
    assert institutions["Børnehuset Solsikken"].child_count == 2  # Emil, with two places, and Ida


def test_admin_home_query_count_does_not_grow(client, cast, login):
    login(client, cast.erik)
    url = reverse("organisation:admin_home")
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for i in range(30):
        institution = f.InstitutionFactory(municipality=cast.aarhus, name=f"Skole {i}", kind="school")
        f.EnrollmentFactory(
            child=f.ChildFactory(municipality=cast.aarhus), group=f.GroupFactory(institution=institution)
        )
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert len(few) == len(many) <= 10
    assert response.context["figures"]["children"] == 4  # as last counted, until the hourly task
    assert refresh_municipality_figures.delay().get() == 2  # both municipalities
    assert client.get(url).context["figures"]["children"] == 34


def test_institution_list_query_count_does_not_grow(client, cast, login):
    login(client, cast.erik)
    url = reverse("organisation:institution_list")
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for i in range(30):
        f.InstitutionFactory(municipality=cast.aarhus, name=f"Dagpleje {i}", kind="childminding")
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(few) == len(many) <= 10


def test_admin_creates_institution_and_invalid_input_writes_nothing(client, cast, login):
    login(client, cast.erik)
    url = reverse("organisation:institution_list")
    before = Institution.objects.count()
    response = client.post(url, {"name": "Børnehuset Solsikken", "kind": "nursery"})
    assert response.status_code == 200 and "name" in response.context["form"].errors
    response = client.post(url, {"name": "Ny vuggestue", "kind": "not-a-kind"})
    assert "kind" in response.context["form"].errors
    assert Institution.objects.count() == before
    response = client.post(url, {"name": "Vuggestuen Mælkebøtten", "kind": "nursery", "is_active": "on"})
    assert response.status_code == 302
    assert Institution.objects.get(name="Vuggestuen Mælkebøtten").municipality == cast.aarhus


def test_leader_adds_and_renames_a_group(client, cast, login):
    login(client, cast.lene)
    response = client.post(
        reverse("organisation:group_create", args=[cast.solsikken.pk]), {"name": "Sommerfuglen"}
    )
    assert response.status_code == 302
    group = Group.objects.get(name="Sommerfuglen")
    response = client.post(
        reverse("organisation:group_edit", args=[cast.solsikken.pk, group.pk]), {"name": "Mariehønen"}
    )
    assert response.status_code == 200 and "name" in response.context["form"].errors
    group.refresh_from_db()
    assert group.name == "Sommerfuglen"


def test_leader_cannot_edit_institution_details(client, cast, login):
    login(client, cast.lene)
    assert client.get(reverse("organisation:institution_edit", args=[cast.solsikken.pk])).status_code == 404


def test_ending_a_membership_removes_access_at_once(client, cast, login):
    membership = StaffMembership.objects.get(user=cast.carla)
    login(client, cast.lene)
    response = client.post(reverse("organisation:membership_end", args=[cast.solsikken.pk, membership.pk]))
    assert response.status_code == 302
    login(client, cast.carla)
    assert client.get(reverse("children:child_detail", args=[cast.emil.pk])).status_code == 404


def test_leader_cannot_end_own_membership(client, cast, login):
    membership = StaffMembership.objects.get(user=cast.lene)
    login(client, cast.lene)
    client.post(reverse("organisation:membership_end", args=[cast.solsikken.pk, membership.pk]))
    membership.refresh_from_db()
    assert membership.ended_on is None


def test_audit_search_finds_events_of_own_municipality_only(client, cast, login):
    login(client, cast.carla)
    client.get(reverse("children:child_detail", args=[cast.emil.pk]))
    AccessEvent.objects.create(
        actor_name="Someone", child=cast.søren, municipality=cast.other, action="view", subject="child"
    )
    login(client, cast.erik)
    response = client.get(reverse("organisation:audit_search"), {"child": "Emil", "actor": "Carla"})
    events = list(response.context["page"])
    assert [e.child_id for e in events] == [cast.emil.pk]
    response = client.get(reverse("organisation:audit_search"))
    assert all(e.municipality_id == cast.aarhus.pk for e in response.context["page"])
    response = client.get(
        reverse("organisation:audit_search"), {"date_from": "2030-01-02", "date_to": "2030-01-01"}
    )
    assert response.status_code == 200 and response.context["form"].errors
    response = client.get(reverse("organisation:audit_search"), {"date_from": "not-a-date"})
    assert response.status_code == 200 and "date_from" in response.context["form"].errors


def test_leader_assigns_a_new_pedagogue_to_a_group_so_she_can_write(client, cast, login):
    newcomer = f.UserFactory()
    from tests.conftest import enable_mfa

    enable_mfa(newcomer)
    membership = f.StaffMembershipFactory(user=newcomer, institution=cast.solsikken)
    login(client, newcomer)
    assert client.get(reverse("children:goal_create", args=[cast.emil.pk])).status_code == 404
    login(client, cast.lene)
    response = client.post(
        reverse("organisation:membership_edit", args=[cast.solsikken.pk, membership.pk]),
        {"role": "pedagogue", "groups": [cast.mariehonen.pk], "is_contact": "on"},
    )
    assert response.status_code == 302
    login(client, newcomer)
    assert client.get(reverse("children:goal_create", args=[cast.emil.pk])).status_code == 200


def test_membership_edit_refuses_groups_of_another_institution(client, cast, login):
    membership = StaffMembership.objects.get(user=cast.carla)
    login(client, cast.lene)
    response = client.post(
        reverse("organisation:membership_edit", args=[cast.solsikken.pk, membership.pk]),
        {"role": "leader", "groups": [cast.class_1a.pk]},
    )
    assert response.status_code == 200 and "groups" in response.context["form"].errors
    membership.refresh_from_db()
    assert membership.role == "pedagogue"
    assert list(membership.groups.all()) == [cast.mariehonen]


def test_institution_detail_query_count_does_not_grow(client, cast, login):
    login(client, cast.lene)
    url = reverse("organisation:institution_detail", args=[cast.solsikken.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for i in range(25):
        group = f.GroupFactory(institution=cast.solsikken, name=f"Stue {i}")
        f.EnrollmentFactory(child=f.ChildFactory(municipality=cast.aarhus), group=group)
        f.StaffMembershipFactory(institution=cast.solsikken, groups=[group])
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert len(few) == len(many) <= 10
    assert {g["name"]: g["child_count"] for g in response.context["groups"]}["Mariehønen"] == 1


def test_audit_search_keeps_its_dates_for_the_browser_in_danish(client, cast, login):
    login(client, cast.erik)
    body = client.get(
        reverse("organisation:audit_search"), {"date_from": "2030-01-02"}, HTTP_ACCEPT_LANGUAGE="da"
    ).content.decode()
    # <input type=date> reads only ISO dates; a Danish "02.01.2030" would show as an empty field.
    assert 'value="2030-01-02"' in body


def test_admin_home_costs_the_same_queries_with_1_and_25_institutions(client, db, login):
    town = f.MunicipalityFactory(name="Testby Kommune", code="999")
    admin = enable_mfa(f.UserFactory())
    f.AdministratorFactory(user=admin, municipality=town)

    def institution(i):
        place = f.InstitutionFactory(municipality=town, name=f"Vuggestue {i}", kind="nursery")
        group = f.GroupFactory(institution=place)
        f.EnrollmentFactory(child=f.ChildFactory(municipality=town), group=group)
        f.StaffMembershipFactory(institution=place, groups=[group])

    institution(0)
    login(client, admin)
    assert_exact_queries(
        client,
        reverse("organisation:admin_home"),
        9,
        lambda: [institution(i) for i in range(1, 25)],
        lambda response: sum(n for _label, n in response.context["kinds"]),
    )
    refresh_municipality_figures()
    figures = client.get(reverse("organisation:admin_home")).context["figures"]
    assert {name: figures[name] for name in ("children", "places", "staff", "pending_invitations")} == {
        "children": 25,
        "places": 25,
        "staff": 25,
        "pending_invitations": 0,
    }


# --- the access log, a page at a time -------------------------------------------------------------
def _events(cast, n, *, child=None, actor_name="Carla Hansen"):
    AccessEvent.objects.bulk_create(
        AccessEvent(
            actor_name=actor_name,
            child=child or cast.emil,
            municipality=cast.aarhus,
            action="view",
            subject="child",
        )
        for _ in range(n)
    )


def test_audit_search_costs_the_same_queries_with_1_and_25_events_and_never_counts_the_log(
    client, cast, login
):
    _events(cast, 1)
    login(client, cast.erik)
    url = reverse("organisation:audit_search")
    assert_exact_queries(client, url, 4, lambda: _events(cast, 24), lambda r: len(r.context["page"].events))
    with CaptureQueriesContext(connection) as captured:
        client.get(url, {"child": "Emil", "before": "20300101T000000.000000Z-1"})
    assert not [q for q in captured.captured_queries if "COUNT(" in q["sql"].upper()]


def _page(client, **params):
    response = client.get(reverse("organisation:audit_search"), params)
    assert response.status_code == 200
    return response.context["page"]


def test_audit_search_pages_newest_first_and_back_without_skipping_or_repeating(client, cast, login):
    _events(cast, 120)  # created in one go: many share their time, so the id decides the order
    login(client, cast.erik)
    expected = list(AccessEvent.objects.order_by("-at", "-pk").values_list("pk", flat=True))
    first = _page(client)
    second = _page(client, before=first.older)
    third = _page(client, before=second.older)
    assert (first.newer, third.older) == (None, None)
    assert [e.pk for p in (first, second, third) for e in p] == expected
    back = _page(client, after=third.newer)
    assert [e.pk for e in back] == [e.pk for e in second]
    assert [e.pk for e in _page(client, after=back.newer)] == [e.pk for e in first]


def test_audit_search_links_keep_the_search_and_are_translated(client, cast, login):
    _events(cast, 60)
    _events(cast, 60, child=cast.freja)
    login(client, cast.erik)
    url = reverse("organisation:audit_search")
    response = client.get(url, {"child": "Emil", "page": "3"}, HTTP_ACCEPT_LANGUAGE="da")
    body = response.content.decode()
    older = response.context["page"].older
    assert f'href="?child=Emil&amp;before={older}"' in body and "Ældre" in body
    assert "Nyere" not in body
    response = client.get(url, {"child": "Emil", "before": older}, HTTP_ACCEPT_LANGUAGE="da")
    page = response.context["page"]
    assert [e.child_id for e in page] == [cast.emil.pk] * 10 and page.older is None
    body = response.content.decode()
    assert f'href="?child=Emil&amp;after={page.newer}"' in body and 'href="?child=Emil"' in body


@pytest.mark.parametrize(
    "cursor",
    ["", "nonsense", "2030-01-01", "20300101T000000.000000Z-x", "-1", "20300101T000000.000000Z-" + "9" * 30],
)
def test_audit_search_shows_the_newest_page_for_a_cursor_it_cannot_read(client, cast, login, cursor):
    _events(cast, 3)
    login(client, cast.erik)
    for key in ("before", "after"):
        page = _page(client, **{key: cursor})
        assert len(page.events) == 3 and page.newer is None


def test_audit_search_dates_are_local_days(client, cast, login, settings):
    _events(cast, 2)
    late, early = AccessEvent.objects.order_by("pk")
    # 23:30 on 1 March in Copenhagen is 22:30 UTC; 00:30 on 2 March is 23:30 UTC on 1 March.
    AccessEvent.objects.filter(pk=late.pk).update(at="2030-03-01T22:30:00+00:00")
    AccessEvent.objects.filter(pk=early.pk).update(at="2030-03-01T23:30:00+00:00")
    login(client, cast.erik)
    assert [e.pk for e in _page(client, date_from="2030-03-01", date_to="2030-03-01")] == [late.pk]
    assert [e.pk for e in _page(client, date_from="2030-03-02", date_to="2030-03-02")] == [early.pk]


def test_audit_search_dates_at_the_ends_of_the_calendar_bound_nothing(client, cast, login):
    _events(cast, 2)
    login(client, cast.erik)
    assert len(_page(client, date_from="0001-01-01", date_to="9999-12-31").events) == 2
    assert len(_page(client, date_from="9999-12-31").events) == 0
    assert len(_page(client, date_to="0001-01-01").events) == 0


def test_institution_page_lists_its_staff_25_at_a_time(client, cast, login):
    for i in range(30):
        f.StaffMembershipFactory(institution=cast.solsikken, user=f.UserFactory(first_name=f"Ansat {i:02}"))
    login(client, cast.lene)
    url = reverse("organisation:institution_detail", args=[cast.solsikken.pk])
    first = client.get(url).context["memberships"]
    second = client.get(url, {"page": 2}).context["memberships"]
    total = StaffMembership.objects.active().filter(institution=cast.solsikken).count()
    assert len(first) == 25 and len(second) == total - 25
    assert not {m["pk"] for m in first} & {m["pk"] for m in second}
    assert client.get(url, {"page": "x"}).status_code == 200  # a bad page number shows the first page


def test_institution_list_costs_the_same_queries_with_1_and_25_institutions(client, db, login):
    town = f.MunicipalityFactory(name="Testby Kommune", code="999")
    admin = enable_mfa(f.UserFactory())
    f.AdministratorFactory(user=admin, municipality=town)

    def institution(i):
        place = f.InstitutionFactory(municipality=town, name=f"Vuggestue {i:02}", kind="nursery")
        group = f.GroupFactory(institution=place)
        f.EnrollmentFactory(child=f.ChildFactory(municipality=town), group=group)
        f.StaffMembershipFactory(institution=place, groups=[group])

    institution(0)
    login(client, admin)
    url = reverse("organisation:institution_list")
    assert_exact_queries(client, url, 5, lambda: [institution(i) for i in range(1, 25)], _listed)
    rows = list(client.get(url).context["page"])
    assert [(i.child_count, i.staff_count, i.group_count) for i in rows] == [(1, 1, 1)] * 25


def _listed(response):
    return len(response.context["page"].object_list)
