"""Parent networks from pregnancy: Sofie forms a network of her caseload's expecting families, plans its
meetings through the meetings app (invitation, reminders, calendar per family), and the families see
each other's first names only when both have said yes."""

import io
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation

from children.models import Child
from portal.audit.models import AccessEvent
from portal.meetings.models import Meeting, MeetingKind, Notification, Reminder
from portal.meetings.services.calendar import feed_meetings
from portal.organisation.models import StaffMembership
from tests import factories as f
from tests.queries import assert_constant_queries
from tests.transitions.conftest import request_by
from tests.transitions.networks_world import expecting, form_network, plan_meeting, rasmus
from transitions.models import Network, NetworkInvitation, NetworkMember, NetworkNameChoice
from transitions.models.networks import add_months, is_eligible, may_join_from, one_and_a_half
from transitions.selectors.networks import (
    family_page,
    health_visitor_networks,
    name_choice_todos,
    network_page,
)
from transitions.services import networks as services

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


def choose(member, user, agreed):
    return services.network_names_choose(request=request_by(user), user=user, member=member, agreed=agreed)


def member_of(child):
    return NetworkMember.objects.get(child=child, left_at__isnull=True)


# ---------------------------------------------------------------------------------------------------
# Dates
# ---------------------------------------------------------------------------------------------------
def test_add_months_keeps_the_day_or_takes_the_months_last():
    assert add_months(date(2026, 1, 15), 18) == date(2027, 7, 15)
    assert add_months(date(2025, 8, 31), 18) == date(2027, 2, 28)
    assert add_months(date(2026, 3, 31), -18) == date(2024, 9, 30)


def test_a_family_may_join_from_pregnancy_week_26_until_the_child_is_one_and_a_half(cast):
    today = date(2027, 3, 1)
    expected = f.ChildFactory.build(birth_date=None, expected_on=today + timedelta(weeks=14))
    too_early = f.ChildFactory.build(birth_date=None, expected_on=today + timedelta(weeks=14, days=1))
    assert may_join_from(expected.expected_on) == today
    assert is_eligible(expected, on=today)
    assert not is_eligible(too_early, on=today)
    born = f.ChildFactory.build(birth_date=date(2025, 9, 2), expected_on=None)
    assert is_eligible(born, on=date(2027, 3, 1))
    assert not is_eligible(born, on=date(2027, 3, 2))
    assert one_and_a_half(born) == date(2027, 3, 2)


# ---------------------------------------------------------------------------------------------------
# Forming the network and adding families
# ---------------------------------------------------------------------------------------------------
def test_network_create_adds_the_families_with_numbers_and_tells_their_guardians(cast):
    ellen, mother = expecting(cast, "Ellen")
    mother.language = "en"
    mother.save(update_fields=["language"])
    network = form_network(cast, [cast.baby, ellen])
    members = list(network.members.order_by("number"))
    assert [(m.child.first_name, m.number) for m in members] == [("Baby", 1), ("Ellen", 2)]
    assert network.health_visitor == cast.sofie
    notice = Notification.objects.get(user=mother, kind=Notification.Kind.NETWORK)
    assert notice.title == "Ellen's family is in the parent network “Netværk Vest”"
    assert "until you say yes, they only see a number" in notice.body
    assert notice.url == reverse("transitions:network_family", args=[ellen.pk])
    assert Notification.objects.filter(user=cast.holm, kind=Notification.Kind.NETWORK).count() == 1
    assert AccessEvent.objects.filter(subject="network_member", action=AccessEvent.Action.CREATE).count() == 2


def test_the_added_notice_is_written_in_the_guardians_language(cast):
    ellen, mother = expecting(cast, "Ellen")
    mother.language = "da"
    mother.save(update_fields=["language"])
    form_network(cast, [ellen])
    notice = Notification.objects.get(user=mother, kind=Notification.Kind.NETWORK)
    assert notice.title == "Ellens familie er med i forældrenetværket “Netværk Vest”"
    assert "indtil I siger ja, ser de kun et nummer" in notice.body


def test_a_child_before_week_26_or_over_one_and_a_half_is_refused_and_nothing_is_written(cast):
    early, _mother = expecting(cast, "Tidlig", weeks_left=15)
    network = form_network(cast, [cast.baby])
    with pytest.raises(ValidationError, match="Tidlig cannot join"):
        services.network_members_add(request=None, user=cast.sofie, network=network, children=[early])
    old, _mother = expecting(cast, "Stor", born_days_ago=600)
    with pytest.raises(ValidationError, match="Stor cannot join"):
        services.network_members_add(request=None, user=cast.sofie, network=network, children=[old])
    assert network.members.count() == 1


def test_a_network_never_has_more_than_twelve_families(cast):
    children = [expecting(cast, f"Barn{i}")[0] for i in range(12)]
    network = form_network(cast, children[:10])
    assert network_page(network)["warning"] == ""
    services.network_members_add(request=None, user=cast.sofie, network=network, children=children[10:])
    assert "more than the 8–10" in network_page(network)["warning"]
    with pytest.raises(ValidationError, match="at most 12 families"):
        services.network_members_add(request=None, user=cast.sofie, network=network, children=[cast.baby])
    assert network.members.count() == 12


def test_fewer_than_eight_families_is_a_warning_not_a_refusal(cast):
    network = form_network(cast, [cast.baby])
    assert network_page(network)["warning"].startswith(
        "The network has 1 families. Networks work best with 8–10"
    )


def test_a_child_is_in_one_active_network_only(cast):
    form_network(cast, [cast.baby])
    other = form_network(cast, [], name="Netværk Øst")
    with pytest.raises(ValidationError, match="Baby is already in a network"):
        services.network_members_add(request=None, user=cast.sofie, network=other, children=[cast.baby])
    # The database holds the rule too.
    with pytest.raises(IntegrityError), transaction.atomic():
        NetworkMember.objects.create(network=other, child=cast.baby, number=1)


def test_a_family_that_left_may_join_another_network(cast):
    network = form_network(cast, [cast.baby])
    services.network_member_remove(request=None, user=cast.sofie, member=member_of(cast.baby))
    other = form_network(cast, [cast.baby], name="Netværk Øst")
    assert member_of(cast.baby).network == other
    assert not network.members.filter(left_at__isnull=True).exists()


def test_the_network_ends_when_its_youngest_child_is_one_and_a_half(cast):
    late, _mother = expecting(cast, "Sen", weeks_left=10)
    network = form_network(cast, [cast.baby, late])
    assert network_page(network)["ends_on"] == add_months(late.expected_on, 18)
    [row] = health_visitor_networks(cast.sofie)
    assert row.ends_on == add_months(late.expected_on, 18) and row.family_count == 2 and not row.has_ended


# ---------------------------------------------------------------------------------------------------
# Meetings
# ---------------------------------------------------------------------------------------------------
def test_a_network_meeting_invites_each_family_through_a_meeting_of_its_own(cast):
    ellen, mother = expecting(cast, "Ellen")
    network = form_network(cast, [cast.baby, ellen])
    network_meeting = plan_meeting(cast, network)
    meetings = Meeting.objects.filter(kind=MeetingKind.NETWORK).order_by("child__first_name")
    assert [m.child for m in meetings] == [cast.baby, ellen]
    assert all(m.institution == cast.health and list(m.hosts.all()) == [cast.sofie] for m in meetings)
    assert Reminder.objects.filter(meeting__in=meetings, kind=Reminder.Kind.INVITATION).count() == 2
    assert Reminder.objects.filter(meeting__in=meetings, kind=Reminder.Kind.REMINDER).exists()
    assert list(feed_meetings(mother).values_list("kind", flat=True)) == [MeetingKind.NETWORK]
    assert network_meeting.invitations.count() == 2


def test_a_family_added_later_is_invited_to_the_coming_meetings_only(cast):
    network = form_network(cast, [cast.baby])
    upcoming = plan_meeting(cast, network, days=14)
    ellen, mother = expecting(cast, "Ellen")
    services.network_members_add(request=None, user=cast.sofie, network=network, children=[ellen])
    assert NetworkInvitation.objects.get(member=member_of(ellen)).network_meeting == upcoming
    assert feed_meetings(mother).count() == 1


def test_a_family_that_leaves_has_its_coming_meetings_cancelled_and_is_told(cast):
    ellen, mother = expecting(cast, "Ellen")
    network = form_network(cast, [cast.baby, ellen])
    plan_meeting(cast, network)
    services.network_member_remove(request=None, user=cast.sofie, member=member_of(ellen))
    meeting = Meeting.objects.get(kind=MeetingKind.NETWORK, child=ellen)
    assert meeting.is_cancelled
    assert Reminder.objects.filter(
        meeting=meeting, kind=Reminder.Kind.CANCELLATION, recipient=mother
    ).exists()
    assert not Meeting.objects.get(kind=MeetingKind.NETWORK, child=cast.baby).is_cancelled


def test_cancelling_a_network_meeting_cancels_every_familys_meeting(cast):
    ellen, _mother = expecting(cast, "Ellen")
    network = form_network(cast, [cast.baby, ellen])
    network_meeting = plan_meeting(cast, network)
    services.network_meeting_cancel(request=None, user=cast.sofie, network_meeting=network_meeting)
    assert (
        not Meeting.objects.filter(kind=MeetingKind.NETWORK).exclude(status=Meeting.Status.CANCELLED).exists()
    )
    network_meeting.refresh_from_db()
    assert network_meeting.is_cancelled
    # Again: nothing more happens.
    services.network_meeting_cancel(request=None, user=cast.sofie, network_meeting=network_meeting)


def test_a_meeting_without_families_or_in_the_past_is_refused(cast):
    network = form_network(cast, [])
    with pytest.raises(ValidationError, match="Add the families"):
        plan_meeting(cast, network)
    services.network_members_add(request=None, user=cast.sofie, network=network, children=[cast.baby])
    with pytest.raises(ValidationError):
        plan_meeting(cast, network, days=-1)
    assert not network.meetings.exists()


# ---------------------------------------------------------------------------------------------------
# First names only with consent
# ---------------------------------------------------------------------------------------------------
def seen_by(member, user):
    return {s.label: s.names for s in family_page(member, user)["seen"]}


def test_families_see_numbers_until_both_have_said_yes(cast):
    ellen, mother = expecting(cast, "Ellen", parent_first_name="Sara")
    form_network(cast, [cast.baby, ellen])
    baby, ellens = member_of(cast.baby), member_of(ellen)
    assert seen_by(baby, cast.holm) == {"Family 1": ["Baby", "Maja"], "Family 2": []}
    choose(baby, cast.holm, True)
    assert seen_by(baby, cast.holm)["Family 2"] == []  # Ellen's family has not said yes
    assert seen_by(ellens, mother)["Family 1"] == []  # nor does Ellen's family see them
    choose(ellens, mother, True)
    assert seen_by(baby, cast.holm)["Family 2"] == ["Ellen", "Sara"]
    assert seen_by(ellens, mother)["Family 1"] == ["Baby", "Maja"]
    # Withdrawal works at once, both ways.
    choose(ellens, mother, False)
    assert seen_by(baby, cast.holm)["Family 2"] == []
    assert seen_by(ellens, mother)["Family 1"] == []


def test_a_family_shares_names_only_when_every_custody_holder_says_yes(cast):
    ellen, mother = expecting(cast, "Ellen")
    father = f.UserFactory(first_name="Jens")
    f.GuardianshipFactory(child=ellen, user=father, relation="father")
    form_network(cast, [cast.baby, ellen])
    choose(member_of(cast.baby), cast.holm, True)
    choose(member_of(ellen), mother, True)
    assert seen_by(member_of(cast.baby), cast.holm)["Family 2"] == []
    choose(member_of(ellen), father, True)
    assert seen_by(member_of(cast.baby), cast.holm)["Family 2"] == ["Ellen", "Jens", f"Mor{'Ellen'}"]


def test_never_a_last_name(cast, client, login):
    ellen, mother = expecting(cast, "Ellen")
    form_network(cast, [cast.baby, ellen])
    choose(member_of(cast.baby), cast.holm, True)
    choose(member_of(ellen), mother, True)
    login(client, mother, mfa=False)
    page = client.get(reverse("transitions:network_family", args=[ellen.pk])).content.decode()
    assert "Maja" in page and "Baby" in page
    assert "Holm" not in page  # Baby's and Maja's last name


def test_only_a_custody_holder_chooses(cast):
    ellen, _mother = expecting(cast, "Ellen")
    uncle = f.UserFactory(first_name="Onkel")
    f.GuardianshipFactory(child=ellen, user=uncle, relation="other", has_custody=False)
    form_network(cast, [ellen])
    with pytest.raises(ValidationError, match="Only a parent with custody"):
        choose(member_of(ellen), uncle, True)
    assert not NetworkNameChoice.objects.exists()


def test_the_name_todo_stays_until_the_parent_chooses(cast):
    ellen, mother = expecting(cast, "Ellen")
    form_network(cast, [ellen])
    [todo] = name_choice_todos(mother)
    assert todo.title == "Say whether the network “Netværk Vest” may see your names"
    assert todo.url == reverse("transitions:network_family", args=[ellen.pk])
    with translation.override("da"):
        assert name_choice_todos(mother)[0].title == "Sig, om netværket “Netværk Vest” må se jeres navne"
    choose(member_of(ellen), mother, False)
    assert name_choice_todos(mother) == []


def test_a_network_is_led_by_its_own_health_visitor_only(cast):
    other, _east = rasmus(cast)
    form_network(cast, [cast.baby])
    assert health_visitor_networks(other) == []
    assert list(Network.objects.filter(health_visitor=cast.sofie)) == [
        n for n in health_visitor_networks(cast.sofie)
    ]


def test_ended_networks_are_marked(cast):
    old, _mother = expecting(cast, "Gammel", born_days_ago=500)
    network = form_network(cast, [old])
    later = timezone.now() + timedelta(days=200)
    [row] = health_visitor_networks(cast.sofie, now=later)
    assert row.has_ended and row.ends_on == add_months(old.birth_date, 18)
    assert network.pk == row.pk


# ---------------------------------------------------------------------------------------------------
# Pages
# ---------------------------------------------------------------------------------------------------
def grow_network(cast, network, count):
    """``count`` more families, each with both custody holders' yes (so names are shown and logged)."""

    def grow():
        children = []
        for i in range(count):
            child, mother = expecting(cast, f"Vækst{i}")
            children.append((child, mother))
        services.network_members_add(
            request=None, user=cast.sofie, network=network, children=[c for c, _m in children]
        )
        for child, mother in children:
            choose(member_of(child), mother, True)

    return grow


def test_the_health_visitor_forms_a_network_from_her_page(client, cast, login):
    ellen, _mother = expecting(cast, "Ellen")
    login(client, cast.sofie)
    page = client.get(reverse("transitions:network_create"))
    assert page.status_code == 200
    assert "Ellen Efternavnsen" in page.content.decode() and "Baby Holm" in page.content.decode()
    response = client.post(
        reverse("transitions:network_create"),
        {
            "institution": cast.health.pk,
            "name": "Netværk Vest",
            "starts_on": timezone.localdate().isoformat(),
            "children": [ellen.pk, cast.baby.pk],
        },
    )
    network = Network.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "transitions:network_detail", args=[network.pk]
    )
    detail = client.get(response["Location"]).content.decode()
    assert "Networks work best with 8–10 families" in detail
    assert "Ellen Efternavnsen" in detail
    assert AccessEvent.objects.filter(actor=cast.sofie, subject="network", child=ellen).exists()
    assert AccessEvent.objects.filter(actor=cast.sofie, subject="network_candidates", child=ellen).exists()


def test_a_network_form_without_a_name_is_refused_with_a_message(client, cast, login):
    login(client, cast.sofie)
    response = client.post(
        reverse("transitions:network_create"),
        {"institution": cast.health.pk, "name": "", "starts_on": timezone.localdate().isoformat()},
    )
    assert response.status_code == 200 and "This field is required." in response.content.decode()
    assert not Network.objects.exists()


def test_adding_above_the_hard_maximum_shows_the_reason_and_writes_nothing(client, cast, login):
    children = [expecting(cast, f"Barn{i}")[0] for i in range(11)]
    network = form_network(cast, children)
    extra = [cast.baby, expecting(cast, "Ekstra")[0]]
    login(client, cast.sofie)
    response = client.post(
        reverse("transitions:network_members_add", args=[network.pk]), {"children": [c.pk for c in extra]}
    )
    assert response.status_code == 200
    assert "A network has at most 12 families; this one has 11 already." in response.content.decode()
    assert network.members.count() == 11


def test_another_health_visitor_gets_404_on_the_network(client, cast, login):
    other, _east = rasmus(cast)
    network = form_network(cast, [cast.baby])
    network_meeting = plan_meeting(cast, network)
    login(client, other)
    assert client.get(reverse("transitions:networks")).status_code == 200
    assert client.get(reverse("transitions:network_detail", args=[network.pk])).status_code == 404
    member = member_of(cast.baby)
    assert (
        client.post(reverse("transitions:network_member_remove", args=[network.pk, member.pk])).status_code
        == 404
    )
    url = reverse("transitions:network_meeting_cancel", args=[network.pk, network_meeting.pk])
    assert client.post(url).status_code == 404
    assert member_of(cast.baby) == member and not network.meetings.filter(cancelled_at__isnull=False).exists()


def test_another_health_visitor_cannot_add_a_child_of_sofies_caseload(client, cast, login):
    other, _east = rasmus(cast)
    login(client, other)
    response = client.post(
        reverse("transitions:network_create"),
        {
            "institution": cast.health.pk,
            "name": "Netværk Øst",
            "starts_on": timezone.localdate().isoformat(),
            "children": [cast.baby.pk],
        },
    )
    assert response.status_code == 200
    assert not Network.objects.exists() and not NetworkMember.objects.exists()


def test_sofie_plans_and_cancels_a_meeting_from_the_network_page(client, cast, login):
    network = form_network(cast, [cast.baby])
    login(client, cast.sofie)
    day = (timezone.localdate() + timedelta(days=10)).isoformat()
    response = client.post(
        reverse("transitions:network_meeting_create", args=[network.pk]),
        {"title": "Søvn", "day": day, "start": "10:00", "end": "11:30", "location": "Lokale 2", "agenda": ""},
    )
    assert response.status_code == 302
    network_meeting = network.meetings.get()
    assert "1 family invited" in client.get(response["Location"]).content.decode()
    refused = client.post(
        reverse("transitions:network_meeting_create", args=[network.pk]),
        {"title": "Søvn", "day": day, "start": "10:00", "end": "09:00"},
    )
    assert refused.status_code == 200 and "The meeting must end after it starts." in refused.content.decode()
    client.post(reverse("transitions:network_meeting_cancel", args=[network.pk, network_meeting.pk]))
    network_meeting.refresh_from_db()
    assert network_meeting.is_cancelled


def test_the_family_page_shows_numbers_until_both_say_yes_and_logs_whose_names_were_seen(client, cast, login):
    ellen, mother = expecting(cast, "Ellen", parent_first_name="Sara")
    network = form_network(cast, [cast.baby, ellen])
    plan_meeting(cast, network)
    login(client, cast.holm, mfa=False)
    url = reverse("transitions:network_family", args=[cast.baby.pk])
    page = client.get(url).content.decode()
    assert "Family 2" in page and "Sara" not in page and "Ellen" not in page
    assert "Søvn og de første uger" in page
    response = client.post(url, {"agreed": "yes"})
    assert response.status_code == 302
    choose(member_of(ellen), mother, True)
    page = client.get(url).content.decode()
    assert "Family 2</li>" not in page and "Ellen, Sara" in page
    assert AccessEvent.objects.filter(actor=cast.holm, subject="network_names_seen", child=ellen).exists()
    assert AccessEvent.objects.filter(actor=cast.holm, subject="network_family", child=cast.baby).exists()
    assert AccessEvent.objects.filter(actor=cast.holm, subject="network_names", child=cast.baby).exists()
    # Withdrawn: gone at once.
    client.post(url, {"agreed": "no"})
    assert "Sara" not in client.get(url).content.decode()


def test_the_family_page_refuses_no_answer_with_a_message(client, cast, login):
    form_network(cast, [cast.baby])
    login(client, cast.holm, mfa=False)
    response = client.post(reverse("transitions:network_family", args=[cast.baby.pk]), {})
    assert response.status_code == 200 and "Choose yes or no." in response.content.decode()
    assert not NetworkNameChoice.objects.exists()


def test_the_parent_home_and_child_page_link_to_my_network_and_show_the_todo(client, cast, login):
    form_network(cast, [cast.baby])
    login(client, cast.holm, mfa=False)
    url = reverse("transitions:network_family", args=[cast.baby.pk])
    home = client.get(reverse("children:parent_home")).content.decode()
    assert url in home and "Say whether the network “Netværk Vest” may see your names" in home
    assert url in client.get(reverse("children:child_detail", args=[cast.baby.pk])).content.decode()


def test_the_health_visitors_home_lists_her_networks_and_next_meetings(client, cast, login):
    network = form_network(cast, [cast.baby])
    plan_meeting(cast, network, title="Mad og amning")
    login(client, cast.sofie)
    home = client.get(reverse("children:staff_home")).content.decode()
    assert reverse("transitions:network_detail", args=[network.pk]) in home
    assert "Mad og amning" in home and "My parent networks" in home
    child_page = client.get(reverse("children:child_detail", args=[cast.baby.pk])).content.decode()
    assert reverse("transitions:network_detail", args=[network.pk]) in child_page


def test_the_network_page_costs_the_same_with_one_and_ten_families(client, cast, login):
    network = form_network(cast, [cast.baby])
    plan_meeting(cast, network)
    login(client, cast.sofie)
    assert_constant_queries(
        client, reverse("transitions:network_detail", args=[network.pk]), 20, grow_network(cast, network, 9)
    )


def test_the_family_page_costs_the_same_with_two_and_twelve_families(client, cast, login):
    ellen, mother = expecting(cast, "Ellen")
    network = form_network(cast, [cast.baby, ellen])
    plan_meeting(cast, network)
    choose(member_of(cast.baby), cast.holm, True)
    choose(member_of(ellen), mother, True)
    login(client, cast.holm, mfa=False)
    assert_constant_queries(
        client,
        reverse("transitions:network_family", args=[cast.baby.pk]),
        16,
        grow_network(cast, network, 10),
    )


def test_the_health_visitors_home_costs_the_same_with_one_and_many_networks(client, cast, login):
    form_network(cast, [cast.baby])
    login(client, cast.sofie)

    def grow():
        for i in range(8):
            child, _mother = expecting(cast, f"Net{i}")
            network = form_network(cast, [child], name=f"Netværk {i}")
            plan_meeting(cast, network, days=3 + i)

    assert_constant_queries(client, reverse("children:staff_home"), 21, grow)


# ---------------------------------------------------------------------------------------------------
# Demo data
# ---------------------------------------------------------------------------------------------------
def test_the_small_demo_has_sofies_network_with_a_meeting_and_a_family_that_said_yes():

    call_command("seed_demo", stdout=io.StringIO())
    network = Network.objects.get(health_visitor__email="sofie@demo.test")
    families = network_page(network)["families"]
    assert len(families) >= 2
    assert families[0].agreed and not families[1].agreed
    assert network.meetings.get().invitations.count() == len(families)
    assert all(is_eligible(f.member.child, on=timezone.localdate()) for f in families)


def test_the_municipality_demo_forms_networks_of_its_caseloads_in_bulk():

    call_command("seed_demo", "--scale", "municipality", "--children", "2000", stdout=io.StringIO())
    networks = Network.objects.all()
    assert networks.exists()
    today = timezone.localdate()
    for network in networks.select_related("institution"):
        families = network_page(network)["families"]
        assert 1 <= len(families) <= 10
        assert network.institution.kind == "health_visiting"
        assert all(is_eligible(f.member.child, on=today) for f in families)
        # The health visitor serves every family of her network.
        assert all(
            f.member.child.enrollments.filter(
                ended_on__isnull=True, group__staff__user=network.health_visitor
            ).exists()
            for f in families
        )
    assert NetworkNameChoice.objects.filter(agreed=True).exists()


@pytest.mark.parametrize("extra", [0, 9])
def test_the_selectors_cost_the_same_with_few_and_many_families(cast, extra, django_assert_num_queries):
    children = [cast.baby] + [expecting(cast, f"Mange{i}")[0] for i in range(extra)]
    network = form_network(cast, children)
    plan_meeting(cast, network)
    member = NetworkMember.objects.select_related("network").get(child=cast.baby)
    with django_assert_num_queries(4):
        page = network_page(network)
    assert len(page["families"]) == 1 + extra
    with django_assert_num_queries(4):
        seen = family_page(member, cast.holm)["seen"]
    assert len(seen) == 1 + extra
    health_visitor_networks(cast.sofie)  # her roles and places are read once per request
    with django_assert_num_queries(1):
        assert health_visitor_networks(cast.sofie)[0].family_count == 1 + extra


def test_joining_the_network_is_on_the_timeline_for_the_family_and_its_health_visitor(cast, client, login):
    form_network(cast, [cast.baby])
    url = reverse("children:child_timeline", args=[cast.baby.pk])
    login(client, cast.holm, mfa=False)
    page = client.get(url).content.decode()
    assert "Joined the parent network “Netværk Vest”" in page
    assert reverse("transitions:network_family", args=[cast.baby.pk]) in page
    other, _east = rasmus(cast)
    StaffMembership.objects.get(user=other).groups.add(cast.caseload)  # he serves Baby too
    login(client, other)
    response = client.get(url)
    assert response.status_code == 200 and "Netværk Vest" not in response.content.decode()


def test_the_parent_home_costs_the_same_with_one_and_many_network_todos(client, cast, login):
    form_network(cast, [cast.baby])
    login(client, cast.holm, mfa=False)

    def grow():
        for i in range(12):
            child, _mother = expecting(cast, f"Søskende{i}")
            f.GuardianshipFactory(child=child, user=cast.holm)
            form_network(cast, [child], name=f"Netværk {i}")

    assert_constant_queries(client, reverse("children:parent_home"), 28, grow)
    assert len(name_choice_todos(cast.holm)) == 13


def test_an_ended_network_asks_nothing_any_more(cast):
    old, mother = expecting(cast, "Gammel", born_days_ago=500)
    form_network(cast, [old])
    assert len(name_choice_todos(mother)) == 1
    Child.objects.filter(pk=old.pk).update(birth_date=timezone.localdate() - timedelta(days=600))
    assert name_choice_todos(mother) == []


# ---------------------------------------------------------------------------------------------------
# Policies
# ---------------------------------------------------------------------------------------------------
def test_eligible_children_are_her_own_caseloads_from_week_26_to_one_and_a_half_in_no_network(cast):
    from django.http import Http404

    from transitions.policies.networks import eligible_children, family_member_or_404

    other, east = rasmus(cast)
    ready, ready_mother = expecting(cast, "Klar", weeks_left=10)
    early, _mother = expecting(cast, "Tidlig", weeks_left=20)
    expecting(cast, "Født", born_days_ago=100)
    big, _mother = expecting(cast, "Stor", born_days_ago=600)
    elsewhere, _mother = expecting(cast, "Øst", group=east)
    taken, taken_mother = expecting(cast, "Taget")
    form_network(cast, [taken])
    network = Network(institution=cast.health)
    today = timezone.localdate()
    names = set(eligible_children(cast.sofie, network, on=today).values_list("first_name", flat=True))
    assert names == {"Baby", "Klar", "Født"}
    assert set(eligible_children(other, network, on=today).values_list("first_name", flat=True)) == {"Øst"}
    assert not {early, big, elsewhere} & set(eligible_children(cast.sofie, network, on=today))

    # The family page: guardians with a right to information; custody decides.
    uncle = f.UserFactory(first_name="Onkel")
    f.GuardianshipFactory(child=taken, user=uncle, relation="other", has_custody=False)
    withdrawn = f.UserFactory(first_name="Væk")
    f.GuardianshipFactory(
        child=taken, user=withdrawn, relation="father", has_custody=False, information_withdrawn=True
    )
    assert family_member_or_404(taken_mother, taken.pk)[1] is True
    assert family_member_or_404(uncle, taken.pk)[1] is False
    for outsider in (withdrawn, cast.anna, cast.sofie, cast.erik):
        with pytest.raises(Http404):
            family_member_or_404(outsider, taken.pk)
    with pytest.raises(Http404):
        family_member_or_404(ready_mother, ready.pk)  # in no network


def test_closing_a_network_frees_the_families_cancels_its_meetings_and_tells_them(cast, client, login):
    ellen, mother = expecting(cast, "Ellen")
    mother.language = "en"
    mother.save(update_fields=["language"])
    network = form_network(cast, [cast.baby, ellen])
    plan_meeting(cast, network)
    choose(member_of(ellen), mother, True)
    login(client, cast.sofie)
    response = client.post(reverse("transitions:network_close", args=[network.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("transitions:networks")
    network.refresh_from_db()
    assert network.is_closed
    assert not NetworkMember.objects.filter(left_at__isnull=True).exists()
    assert not NetworkNameChoice.objects.exists()
    assert (
        not Meeting.objects.filter(kind=MeetingKind.NETWORK).exclude(status=Meeting.Status.CANCELLED).exists()
    )
    notice = Notification.objects.get(user=mother, key__startswith="network-closed-")
    assert notice.title == "The parent network “Netværk Vest” has closed"
    assert notice.body.startswith("Sundhedsplejen has closed the network. Its coming meetings are cancelled")
    danish_notice = Notification.objects.get(user=cast.holm, key__startswith="network-closed-")
    assert danish_notice.title == "Forældrenetværket “Netværk Vest” er lukket"
    assert client.get(reverse("transitions:network_detail", args=[network.pk])).status_code == 200
    assert health_visitor_networks(cast.sofie) == []
    # The families may join another network now.
    other = form_network(cast, [ellen], name="Netværk Nord")
    assert member_of(ellen).network == other
    # Closing again changes nothing.
    services.network_close(request=None, user=cast.sofie, network=network)
    assert Notification.objects.filter(user=mother, key__startswith="network-closed-").count() == 1


def test_a_family_that_left_may_come_back_with_a_new_number_and_is_told_again(cast):
    network = form_network(cast, [cast.baby])
    services.network_member_remove(request=None, user=cast.sofie, member=member_of(cast.baby))
    [member] = services.network_members_add(
        request=None, user=cast.sofie, network=network, children=[cast.baby]
    )
    assert member.number == 2 and member_of(cast.baby) == member
    assert Notification.objects.filter(user=cast.holm, kind=Notification.Kind.NETWORK).count() == 2
