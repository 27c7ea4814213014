"""The group's parents choose their contact parents by vote: staff open it, every parent of the group is
told and has a to-do until it closes, votes are secret and kept only until the count, and the most
voted are appointed (a tie for the last place is left to the staff)."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from portal.community.models import ContactParent, Election, Vote
from portal.community.services import contact_parent_volunteer
from portal.community.services import elections as services
from portal.meetings.models import Notification
from portal.todos import parent_todos
from tests import factories as f
from tests.community.test_group_names import family
from tests.queries import assert_exact_queries

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


def candidate(cast, name):
    """A parent in Mariehønen who offers to be a contact parent."""
    child, (parent,) = family(cast, name, parents=1)
    return contact_parent_volunteer(user=parent, child=child, group=cast.mariehonen), child, parent


def open_vote(cast, places=1, days=7, group=None):
    return services.election_open(
        by=cast.carla,
        group=group or cast.mariehonen,
        places=places,
        last_day=timezone.localdate() + timedelta(days=days),
    )


def notices(user):
    return list(
        Notification.objects.filter(user=user, kind=Notification.Kind.CONTACT_PARENT)
        .order_by("pk")
        .values_list("title", flat=True)
    )


def test_staff_open_a_vote_and_every_parent_of_the_group_is_told(cast, django_capture_on_commit_callbacks):
    _other, (ida_parent,) = family(cast, "Ida2", group=cast.bien, parents=1)
    with django_capture_on_commit_callbacks(execute=True):
        election = open_vote(cast, places=2)
    assert election.closes_at.date() == timezone.localdate() + timedelta(days=7)
    for parent in (cast.anna, cast.mikkel):
        assert notices(parent) == ["Vælg kontaktforældrene i Mariehønen"]
    assert notices(ida_parent) == [] and notices(cast.bo) == []


@pytest.mark.parametrize(
    ("places", "days", "error"),
    [
        (2, 0, "Choose a day after today."),
        (2, 32, "A vote can run for at most a month."),
        (6, 7, "Choose between 1 and 5 contact parents."),
    ],
)
def test_a_vote_needs_a_day_ahead_within_a_month_and_1_to_5_places(cast, places, days, error):
    with pytest.raises(ValidationError, match=error):
        open_vote(cast, places=places, days=days)
    assert not Election.objects.exists()


def test_one_vote_at_a_time_per_group(cast):
    open_vote(cast)
    with pytest.raises(ValidationError, match="already voting"):
        open_vote(cast)
    open_vote(cast, group=cast.bien)
    assert Election.objects.count() == 2


def test_a_parent_votes_for_up_to_the_places_and_may_change_or_take_back(cast):
    election = open_vote(cast, places=2)
    (a, _c, _p), (b, _c2, _p2), (c, _c3, _p3) = (candidate(cast, n) for n in ("Aase", "Bent", "Cille"))
    assert (
        services.vote_cast(user=cast.anna, child=cast.emil, election=election, candidates=[a.pk, b.pk]) == 2
    )
    with pytest.raises(ValidationError, match="at most 2"):
        services.vote_cast(user=cast.anna, child=cast.emil, election=election, candidates=[a.pk, b.pk, c.pk])
    services.vote_cast(user=cast.anna, child=cast.emil, election=election, candidates=[c.pk])
    assert set(Vote.objects.filter(voter=cast.anna).values_list("candidate", flat=True)) == {c.pk}
    services.vote_cast(user=cast.mikkel, child=cast.emil, election=election, candidates=[c.pk])
    election.refresh_from_db()
    assert election.voters == 2
    services.vote_cast(user=cast.anna, child=cast.emil, election=election, candidates=[])
    election.refresh_from_db()
    assert election.voters == 1 and not Vote.objects.filter(voter=cast.anna).exists()


def test_only_parents_in_the_group_vote_and_only_for_those_standing_there(cast):
    election = open_vote(cast)
    offer, _child, _parent = candidate(cast, "Aase")
    ida_parent = f.GuardianshipFactory(child=cast.ida).user
    elsewhere = contact_parent_volunteer(user=ida_parent, child=cast.ida, group=cast.bien)
    with pytest.raises(ValidationError, match="not in this group"):
        services.vote_cast(user=ida_parent, child=cast.ida, election=election, candidates=[offer.pk])
    with pytest.raises(ValidationError, match="not in this group"):
        services.vote_cast(user=cast.bo, child=cast.emil, election=election, candidates=[offer.pk])
    with pytest.raises(ValidationError, match="no longer stands"):
        services.vote_cast(user=cast.anna, child=cast.emil, election=election, candidates=[elsewhere.pk])
    assert not Vote.objects.exists()


def test_the_most_voted_are_appointed_the_votes_deleted_and_the_counts_kept(
    cast, django_capture_on_commit_callbacks
):
    election = open_vote(cast, places=1)
    (a, _c, a_parent), (b, _c2, b_parent) = candidate(cast, "Aase"), candidate(cast, "Bent")
    services.vote_cast(user=cast.anna, child=cast.emil, election=election, candidates=[a.pk])
    services.vote_cast(user=cast.mikkel, child=cast.emil, election=election, candidates=[a.pk])
    services.vote_cast(user=b_parent, child=b.child, election=election, candidates=[b.pk])
    with django_capture_on_commit_callbacks(execute=True):
        assert services.election_close(election=election) == [a.pk]
    a.refresh_from_db(), b.refresh_from_db(), election.refresh_from_db()
    assert a.status == "appointed" and a.appointed_by is None and b.status == "volunteered"
    assert election.result == [[a.pk, 2], [b.pk, 1]] and not Vote.objects.exists()
    assert notices(a_parent) == ["Du er kontaktforælder i Mariehønen"]
    assert notices(cast.carla)[-1] == "Forældrene i Mariehønen har valgt deres kontaktforældre"
    assert Notification.objects.get(user=cast.carla, key__startswith="election-closed").body == (
        "De med flest stemmer er udpeget og har fået besked."
    )
    assert services.election_close(election=election) == []  # closing twice does nothing


def test_a_tie_for_the_last_place_is_left_to_the_staff_and_a_withdrawn_parent_is_not_counted(
    cast, django_capture_on_commit_callbacks
):
    election = open_vote(cast, places=2)
    (a, _c, _p), (b, _c2, b_parent), (c, _c3, c_parent) = (
        candidate(cast, n) for n in ("Aase", "Bent", "Cille")
    )
    d, _c4, d_parent = candidate(cast, "Dennis")
    for voter, child, chosen in [
        (cast.anna, cast.emil, [a, b]),
        (cast.mikkel, cast.emil, [a, d]),
        (b_parent, b.child, [b, c]),
        (c_parent, c.child, [a, c]),
        (d_parent, d.child, [d]),
    ]:
        services.vote_cast(user=voter, child=child, election=election, candidates=[x.pk for x in chosen])
    ContactParent.objects.filter(pk=d.pk).update(ended_at=timezone.now())  # Dennis withdraws
    with django_capture_on_commit_callbacks(execute=True):
        assert services.election_close(election=election) == [a.pk]
    assert list(ContactParent.objects.filter(pk__in=[b.pk, c.pk]).values_list("status", flat=True)) == [
        "volunteered",
        "volunteered",
    ]
    election.refresh_from_db()
    assert election.result == [[a.pk, 3], [b.pk, 2], [c.pk, 2]] and election.voters == 5
    assert Notification.objects.get(user=cast.carla, key__startswith="election-closed").body == (
        "Forældre står lige om den sidste plads: I beslutter, hvem der bliver udpeget."
    )


def test_a_tie_for_the_last_place_appoints_no_one_of_those_level(cast):
    election = open_vote(cast, places=1)
    (a, _c, _p), (b, _c2, _p2) = candidate(cast, "Aase"), candidate(cast, "Bent")
    services.vote_cast(user=cast.anna, child=cast.emil, election=election, candidates=[a.pk])
    services.vote_cast(user=cast.mikkel, child=cast.emil, election=election, candidates=[b.pk])
    assert services.election_close(election=election) == []
    assert set(ContactParent.objects.values_list("status", flat=True)) == {"volunteered"}


def test_the_beat_closes_only_the_votes_whose_time_has_run_out(cast):
    due = open_vote(cast, days=1)
    later = open_vote(cast, group=cast.bien, days=3)
    assert services.elections_close_due() == 0
    assert services.elections_close_due(now=due.closes_at + timedelta(minutes=1)) == 1
    due.refresh_from_db(), later.refresh_from_db()
    assert due.closed_at is not None and later.closed_at is None


def test_a_vote_after_the_close_is_refused(cast):
    election = open_vote(cast, days=1)
    offer, _c, _p = candidate(cast, "Aase")
    with pytest.raises(ValidationError, match="closed"):
        services.vote_cast(
            user=cast.anna, child=cast.emil, election=election, candidates=[offer.pk],
            now=election.closes_at + timedelta(seconds=1),
        )  # fmt: skip
    assert not Vote.objects.exists()


def test_each_parent_has_a_to_do_until_they_vote_once_per_vote(cast):
    election = open_vote(cast)
    offer, _c, _p = candidate(cast, "Aase")
    f.EnrollmentFactory(child=(sister := f.ChildFactory(municipality=cast.aarhus)), group=cast.mariehonen)
    f.GuardianshipFactory(child=sister, user=cast.anna)
    todos = [t for t in parent_todos(cast.anna) if t.kind == "election"]
    assert [(t.title, t.deadline) for t in todos] == [
        ("Choose the contact parents of Mariehønen", election.closes_at)
    ]
    services.vote_cast(user=cast.anna, child=cast.emil, election=election, candidates=[offer.pk])
    assert [t for t in parent_todos(cast.anna) if t.kind == "election"] == []
    assert [t.kind for t in parent_todos(cast.mikkel) if t.kind == "election"] == ["election"]
    assert [t for t in parent_todos(cast.bo) if t.kind == "election"] == []


def test_parents_vote_on_the_group_page_and_staff_see_counts_only_after_the_close(cast, client, login):
    election = open_vote(cast, places=1)
    offer, _c, _p = candidate(cast, "Aase")
    client.force_login(cast.anna)
    page = client.get(reverse("community:group_names", args=[cast.emil.pk])).content.decode()
    assert "Choose up to 1 parent" in page and offer.user.get_full_name() in page
    url = reverse("community:vote", args=[cast.emil.pk, cast.mariehonen.pk])
    assert client.post(url, {"candidates": [str(offer.pk)]}).status_code == 302
    assert Vote.objects.filter(voter=cast.anna, candidate=offer).exists()
    page = client.get(reverse("community:group_names", args=[cast.emil.pk])).content.decode()
    assert "You have voted." in page and "checked" in page
    assert client.post(url, {"candidates": ["999999"]}).status_code == 302  # refused: nothing changes
    assert Vote.objects.filter(voter=cast.anna, candidate=offer).count() == 1

    from django.test import Client

    staff = login(Client(), cast.carla)
    contact = reverse("community:group_contact", args=[cast.mariehonen.pk])
    page = staff.get(contact).content.decode()
    assert "1 parent has voted so far." in page and "1 vote)" not in page
    assert staff.post(reverse("community:election_close", args=[election.pk])).status_code == 302
    page = staff.get(contact).content.decode()
    assert "(1 vote)" in page and "The last vote closed" in page


def test_the_vote_form_refuses_bad_input_and_writes_nothing(cast, login):
    from django.test import Client

    staff = login(Client(), cast.carla)
    url = reverse("community:election_open", args=[cast.mariehonen.pk])
    response = staff.post(url, {"places": "9", "last_day": "not a day"})
    assert response.status_code == 200 and not Election.objects.exists()
    assert response.context["election_form"].errors.keys() == {"places", "last_day"}


def test_the_group_page_costs_the_same_with_1_and_25_parents_standing(cast, client):
    open_vote(cast, places=3)
    candidate(cast, "Aase")
    client.force_login(cast.anna)

    def grow():
        for number in range(24):
            candidate(cast, f"Barn{number:02d}")

    assert_exact_queries(
        client,
        reverse("community:group_names", args=[cast.emil.pk]),
        15,
        grow,
        shown=lambda response: sum(
            len(g.vote_form.fields["candidates"].choices) for g in response.context["groups"] if g.vote_form
        ),
    )


def test_staff_end_a_parent_friend(cast, login):
    from django.test import Client

    from portal.community.services.play import parent_friend_volunteer

    friend = parent_friend_volunteer(user=cast.anna, child=cast.emil, group=cast.mariehonen, about="Hej")
    staff = login(Client(), cast.carla)
    page = staff.get(reverse("community:group_contact", args=[cast.mariehonen.pk])).content.decode()
    assert "Hej" in page
    assert staff.post(reverse("community:parent_friend_end", args=[friend.pk])).status_code == 302
    friend.refresh_from_db()
    assert friend.ended_at is not None
    assert staff.post(reverse("community:parent_friend_end", args=[friend.pk])).status_code == 404


@pytest.mark.parametrize(
    ("language", "opened", "closed", "tied"),
    [
        (
            "en",
            "Choose the contact parents of Mariehønen",
            "The parents of Mariehønen have chosen their contact parents",
            "Parents are level for the last place: you decide who is appointed.",
        ),
        (
            "da",
            "Vælg kontaktforældrene i Mariehønen",
            "Forældrene i Mariehønen har valgt deres kontaktforældre",
            "Forældre står lige om den sidste plads: I beslutter, hvem der bliver udpeget.",
        ),
    ],
)
def test_every_vote_notice_is_written_in_the_readers_language(
    cast, language, opened, closed, tied, django_capture_on_commit_callbacks
):
    for person in (cast.anna, cast.carla):
        person.language = language
        person.save(update_fields=["language"])
    with django_capture_on_commit_callbacks(execute=True):
        election = open_vote(cast, places=1)
    notice = Notification.objects.get(user=cast.anna, key__startswith=f"election-{election.pk}")
    assert notice.title == opened and str(timezone.localdate().year) not in notice.body
    assert notice.body.startswith(("Vote by", "Stem senest"))
    (a, _c, _p), (b, _c2, _p2) = candidate(cast, "Aase"), candidate(cast, "Bent")
    services.vote_cast(user=cast.anna, child=cast.emil, election=election, candidates=[a.pk])
    services.vote_cast(user=cast.mikkel, child=cast.emil, election=election, candidates=[b.pk])
    with django_capture_on_commit_callbacks(execute=True):
        services.election_close(election=election)
    notice = Notification.objects.get(user=cast.carla, key__startswith="election-closed")
    assert (notice.title, notice.body) == (closed, tied)
