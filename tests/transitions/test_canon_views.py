"""The canon's pages: who sees what, what is logged, the Danish words, and a constant number of queries
for 1 and 25 items or children."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from portal.audit.descriptions import describe
from portal.audit.models import AccessEvent
from tests import factories as f
from tests.queries import assert_exact_queries
from tests.transitions.test_canon import MESTER_JAKOB, arriving, item, mark
from transitions.models import CanonItem, CanonUse

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


def get(client, login, user, url):
    login(client, user)
    return client.get(url)


# --- the family ---------------------------------------------------------------------------------------
def test_anna_reads_emils_songs_with_the_words_and_the_link_and_it_is_logged(client, cast, login):
    song = item(cast.aarhus, link="https://kb.dk/mester-jakob")
    book = item(cast.aarhus, "Fyrtøjet", kind=CanonItem.Kind.STORY, text="")
    mark(cast, song)
    mark(cast, book)
    response = get(client, login, cast.anna, reverse("transitions:child_canon", args=[cast.emil.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Songs, stories and rhymes Emil knows" in page
    assert "sover du? Sover du?" in page and 'href="https://kb.dk/mester-jakob"' in page
    assert "Mariehønen, Børnehuset Solsikken" in page
    assert "Ask the staff, or ask Emil to sing it for you." in page  # the book has neither words nor link
    event = AccessEvent.objects.get(subject="canon")
    assert (event.child, event.actor, event.action) == (cast.emil, cast.anna, AccessEvent.Action.VIEW)
    assert event.actor_role == "Mother"  # in the portal's main language (English in these tests)
    with translation.override("da"):
        assert (
            describe(event.action, event.subject, "Emil") == "Læste sange, historier og rim fra Emils grupper"
        )


def test_the_child_page_links_the_canon_for_guardians_with_the_right_to_information(client, cast, login):
    url = reverse("transitions:child_canon", args=[cast.emil.pk])
    child_page = reverse("children:child_detail", args=[cast.emil.pk])
    assert url in get(client, login, cast.anna, child_page).content.decode()
    assert url in get(client, login, cast.mikkel, child_page).content.decode()  # no custody, informed
    assert url not in get(client, login, cast.carla, child_page).content.decode()


@pytest.mark.parametrize("who", ["bo", "carla", "lene", "erik", "olga"])
def test_everyone_but_the_childs_informed_guardians_gets_404_on_the_childs_canon(client, cast, login, who):
    mark(cast, item(cast.aarhus))
    response = get(client, login, getattr(cast, who), reverse("transitions:child_canon", args=[cast.emil.pk]))
    assert response.status_code == 404
    assert not AccessEvent.objects.filter(subject="canon").exists()


def test_the_child_page_says_plainly_when_nothing_is_marked_and_reads_in_danish(client, cast, login):
    login(client, cast.anna)
    page = client.get(reverse("transitions:child_canon", args=[cast.emil.pk]), HTTP_ACCEPT_LANGUAGE="da")
    text = page.content.decode()
    assert "Sange, historier og rim Emil kender" in text
    assert "Emils gruppe har ikke markeret nogen sange, historier eller rim endnu." in text


def test_the_childs_canon_costs_the_same_with_1_and_25_items(client, cast, login):
    mark(cast, item(cast.aarhus, "Sang 0"))
    login(client, cast.anna)

    def grow():
        for n in range(1, 25):
            mark(
                cast,
                item(cast.aarhus, f"Sang {n}"),
                cast.mariehonen if n % 2 else f.GroupFactory(institution=cast.solsikken),
            )
            if n % 2 == 0:  # an earlier group of Emil's
                group = CanonUse.objects.latest("pk").group
                f.EnrollmentFactory(
                    child=cast.emil, group=group, ended_on=timezone.localdate() - timedelta(days=1)
                )

    url = reverse("transitions:child_canon", args=[cast.emil.pk])
    assert_exact_queries(client, url, 5, grow, lambda r: sum(len(s.items) for s in r.context["sections"]))


# --- a group ------------------------------------------------------------------------------------------
def test_carla_marks_a_song_for_mariehonen_and_then_stops(client, cast, login):
    song = item(cast.aarhus)
    login(client, cast.carla)
    group_page = client.get(reverse("children:group_detail", args=[cast.mariehonen.pk])).content.decode()
    assert reverse("transitions:group_canon", args=[cast.mariehonen.pk]) in group_page
    since = timezone.localdate() - timedelta(days=30)
    response = client.post(
        reverse("transitions:group_canon_mark", args=[cast.mariehonen.pk, song.pk]),
        {f"i{song.pk}-since": since},
    )
    assert response.status_code == 302
    use = CanonUse.objects.get()
    assert (use.group, use.item, use.since, use.marked_by) == (cast.mariehonen, song, since, cast.carla)
    page = client.get(reverse("transitions:group_canon", args=[cast.mariehonen.pk])).content.decode()
    assert "We use it, since" in page
    client.post(reverse("transitions:group_canon_unmark", args=[cast.mariehonen.pk, song.pk]))
    assert CanonUse.objects.get().ended_on == timezone.localdate()


def test_a_future_date_is_refused_with_a_message_and_nothing_is_marked(client, cast, login):
    song = item(cast.aarhus)
    login(client, cast.carla)
    response = client.post(
        reverse("transitions:group_canon_mark", args=[cast.mariehonen.pk, song.pk]),
        {f"i{song.pk}-since": timezone.localdate() + timedelta(days=3)},
    )
    assert response.status_code == 200
    assert "The date cannot be in the future." in response.content.decode()
    response = client.post(
        reverse("transitions:group_canon_mark", args=[cast.mariehonen.pk, song.pk]),
        {f"i{song.pk}-since": "i går"},
    )
    assert response.status_code == 200 and "Enter a valid date." in response.content.decode()
    assert not CanonUse.objects.exists()


def test_a_retired_item_is_not_offered_and_refused_when_posted(client, cast, login):
    song = item(cast.aarhus)
    from transitions.services.canon import canon_item_retire

    canon_item_retire(item=song, retired=True)
    login(client, cast.carla)
    page = client.get(reverse("transitions:group_canon", args=[cast.mariehonen.pk])).content.decode()
    assert "Mester Jakob" not in page
    response = client.post(
        reverse("transitions:group_canon_mark", args=[cast.mariehonen.pk, song.pk]),
        {f"i{song.pk}-since": timezone.localdate()},
    )
    assert response.status_code == 200 and "is retired from the canon" in response.content.decode()
    assert not CanonUse.objects.exists()


@pytest.mark.parametrize(
    ("who", "group", "status"),
    [
        ("carla", "mariehonen", 200),
        ("carla", "bien", 404),  # another group at her place
        ("lene", "bien", 200),  # the leader: every group of Solsikken
        ("dorte", "class_1a", 200),
        ("dorte", "mariehonen", 404),
        ("sofie", "caseload", 404),  # a health visitor's caseload sings no canon
        ("anna", "mariehonen", 404),
        ("erik", "mariehonen", 404),
    ],
)
def test_who_sees_a_groups_canon(client, cast, login, who, group, status):
    url = reverse("transitions:group_canon", args=[getattr(cast, group).pk])
    assert get(client, login, getattr(cast, who), url).status_code == status


def test_another_municipalitys_item_cannot_be_marked(client, cast, login):
    theirs = item(cast.other)
    login(client, cast.carla)
    response = client.post(
        reverse("transitions:group_canon_mark", args=[cast.mariehonen.pk, theirs.pk]),
        {f"i{theirs.pk}-since": timezone.localdate()},
    )
    assert response.status_code == 404 and not CanonUse.objects.exists()


def test_the_groups_canon_costs_the_same_with_1_and_25_items(client, cast, login):
    mark(cast, item(cast.aarhus, "Sang 0"))
    login(client, cast.carla)

    def grow():
        for n in range(1, 25):
            song = item(cast.aarhus, f"Sang {n}")
            if n % 2:
                mark(cast, song)

    url = reverse("transitions:group_canon", args=[cast.mariehonen.pk])
    assert_exact_queries(client, url, 5, grow, lambda r: sum(len(s.items) for s in r.context["sections"]))


# --- the administrator ------------------------------------------------------------------------------------
def test_erik_adds_edits_and_retires_an_item(client, cast, login):
    login(client, cast.erik)
    response = client.post(
        reverse("transitions:canon_item_create"),
        {"kind": "song", "title": "Mester Jakob", "age_band": "nursery", "text": MESTER_JAKOB, "link": ""},
    )
    assert response.status_code == 302
    song = CanonItem.objects.get()
    assert song.municipality == cast.aarhus
    response = client.post(
        reverse("transitions:canon_item_edit", args=[song.pk]),
        {"kind": "song", "title": "Mester Jakob", "age_band": "kindergarten", "text": "x", "link": "https://kb.dk",
         "position": "3"},
    )  # fmt: skip
    assert response.status_code == 302
    client.post(reverse("transitions:canon_item_retire", args=[song.pk]), {"retired": "1"})
    song.refresh_from_db()
    assert (song.age_band, song.position, song.link, song.is_retired) == (
        "kindergarten",
        3,
        "https://kb.dk",
        True,
    )
    page = client.get(reverse("transitions:canon_admin")).content.decode()
    assert "Retired" in page and "Take back into the canon" in page


def test_a_bad_link_or_a_repeated_title_is_refused_on_the_form_and_nothing_is_written(client, cast, login):
    item(cast.aarhus)
    login(client, cast.erik)
    data = {"kind": "song", "title": "Mester Jakob", "age_band": "nursery", "text": "", "link": ""}
    response = client.post(reverse("transitions:canon_item_create"), data)
    assert response.status_code == 200
    assert (
        "The canon already has a song, story or rhyme of that kind with this title."
        in response.content.decode()
    )
    data |= {"title": "Ny", "link": "javascript:alert(1)"}
    response = client.post(reverse("transitions:canon_item_create"), data)
    assert (
        response.status_code == 200
        and "Enter a web address starting with https://." in response.content.decode()
    )
    assert CanonItem.objects.count() == 1


def test_another_municipalitys_administrator_and_staff_get_404(client, cast, login):
    song = item(cast.aarhus)
    for user in (cast.olga, cast.lene, cast.anna):
        login(client, user)
        assert client.get(reverse("transitions:canon_item_edit", args=[song.pk])).status_code == 404
        assert (
            client.post(
                reverse("transitions:canon_item_retire", args=[song.pk]), {"retired": "1"}
            ).status_code
            == 404
        )
    assert get(client, login, cast.olga, reverse("transitions:canon_admin")).status_code == 200
    assert "Mester Jakob" not in client.get(reverse("transitions:canon_admin")).content.decode()
    song.refresh_from_db()
    assert not song.is_retired


def test_the_administrators_list_costs_the_same_with_1_and_25_items(client, cast, login):
    mark(cast, item(cast.aarhus, "Sang 0"))
    login(client, cast.erik)

    def grow():
        for n in range(1, 25):
            mark(cast, item(cast.aarhus, f"Sang {n}", kind=["song", "story", "rhyme"][n % 3]))

    url = reverse("transitions:canon_admin")
    assert_exact_queries(client, url, 4, grow, lambda r: sum(len(s.items) for s in r.context["sections"]))


# --- the receiving school -----------------------------------------------------------------------------------
def test_dorte_sees_how_many_new_children_know_each_song_but_no_names(client, cast, login):
    mark(cast, item(cast.aarhus))
    arriving(cast, cast.emil)
    login(client, cast.dorte)
    incoming = client.get(reverse("transitions:incoming")).content.decode()
    assert reverse("transitions:incoming_canon") in incoming
    response = client.get(reverse("transitions:incoming_canon"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Mester Jakob" in page and "1 of 1" in page
    assert "Emil" not in page
    event = AccessEvent.objects.get(subject="canon_incoming")
    assert (event.child, event.actor, event.action) == (cast.emil, cast.dorte, AccessEvent.Action.LIST)


def test_staff_receiving_nobody_see_nothing_to_count_and_others_get_404(client, cast, login):
    mark(cast, item(cast.aarhus))
    arriving(cast, cast.emil)
    page = get(client, login, cast.carla, reverse("transitions:incoming_canon")).content.decode()
    assert "nothing to count" in page and "Mester Jakob" not in page
    for user in (cast.anna, cast.erik):
        assert get(client, login, user, reverse("transitions:incoming_canon")).status_code == 404


def test_a_class_outside_the_list_is_refused_on_the_form(client, cast, login):
    mark(cast, item(cast.aarhus))
    arriving(cast, cast.emil)
    login(client, cast.dorte)
    response = client.get(reverse("transitions:incoming_canon"), {"group": cast.mariehonen.pk})
    assert response.status_code == 200 and "Select a valid choice." in response.content.decode()
    assert "1 of 1" in response.content.decode()  # the whole list is counted instead


def test_the_receiving_counts_cost_the_same_with_1_and_25_children_and_items(client, cast, login):
    mark(cast, item(cast.aarhus, "Sang 0"))
    arriving(cast, cast.emil)
    login(client, cast.dorte)

    def grow():
        for n in range(1, 25):
            song = item(cast.aarhus, f"Sang {n}")
            mark(cast, song, cast.bien if n % 2 else cast.mariehonen)
            child = f.ChildFactory(municipality=cast.aarhus)
            f.EnrollmentFactory(child=child, group=cast.bien if n % 2 else cast.mariehonen)
            arriving(cast, child)

    def shown(response):
        assert response.context["total"] == len(response.context["sections"][0].items)
        return response.context["total"]

    assert_exact_queries(client, reverse("transitions:incoming_canon"), 7, grow, shown)
