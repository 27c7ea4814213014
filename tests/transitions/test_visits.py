"""Visits before and after a transition: planned by the sending or the receiving staff for a child or a
cohort, each family invited through a meeting of its own (invitation, reminders, calendar), cancelled
as one; nobody else sees them."""

from datetime import datetime, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from portal.audit.models import AccessEvent
from portal.meetings.models import Meeting, MeetingKind, Notification, Reminder
from portal.meetings.selectors.guardian import meetings_of_family
from portal.meetings.services.calendar import feed_meetings
from tests import factories as f
from tests.queries import assert_exact_queries
from tests.transitions.conftest import request_by, school_start
from transitions import services
from transitions.models import Transition, Visit, VisitInvitation
from transitions.services import visits as visit_services

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


def visit_time(days=20):
    day = timezone.localdate() + timedelta(days=days)
    starts = timezone.make_aware(datetime.combine(day, time(9, 30)))
    return starts, starts + timedelta(hours=2)


def classmate(cast, first_name="Alma"):
    """Another child of Mariehønen moving to the school on the same day, with her mother."""
    child = f.ChildFactory(municipality=cast.aarhus, first_name=first_name, last_name="Krogh")
    f.EnrollmentFactory(child=child, group=cast.mariehonen)
    mother = f.UserFactory(first_name=f"Mor til {first_name}")
    f.GuardianshipFactory(child=child, user=mother)
    transition = services.transition_create(
        request=request_by(cast.carla),
        child=child,
        enrollment=child.enrollments.get(),
        kind=Transition.Kind.DAYCARE_TO_SCHOOL,
        receiving_institution=cast.school,
        planned_on=school_start(),
    )
    return transition, mother


def plan(cast, transitions, *, by=None, institution=None, kind=Visit.Kind.CHILDREN_VISIT, days=20):
    starts, ends = visit_time(days)
    return visit_services.visit_plan(
        request=request_by(by or cast.carla),
        user=by or cast.carla,
        institution=institution or cast.solsikken,
        transitions=transitions,
        kind=kind,
        timing=Visit.Timing.BEFORE,
        starts_at=starts,
        ends_at=ends,
        location="Skovvangskolen, indgang B",
        description="Vi ser klassen og spiser madpakker i kantinen.",
    )


def send(cast, transition):
    f.EnrollmentFactory(child=transition.child, group=cast.class_1a, started_on=school_start())
    services.handover_send_request(request=request_by(cast.carla), handover=transition.handover)
    services.handover_deliver(handover_id=transition.handover.pk)
    transition.refresh_from_db()


# ---------------------------------------------------------------------------------------------------
# Services
# ---------------------------------------------------------------------------------------------------
def test_visit_plan_invites_each_family_through_a_meeting_of_its_own(cast, transition):
    alma, mother = classmate(cast)
    visit = plan(cast, [transition, alma])

    meetings = Meeting.objects.filter(kind=MeetingKind.VISIT).order_by("child__first_name")
    assert [m.child for m in meetings] == [alma.child, cast.emil]
    assert {m.institution for m in meetings} == {cast.solsikken}
    assert set(visit.invitations.values_list("transition_id", flat=True)) == {transition.pk, alma.pk}
    invited = set(
        Reminder.objects.filter(kind=Reminder.Kind.INVITATION).values_list("meeting__child", "recipient")
    )
    # Mikkel (no custody, with the right to information) is told too; Alma's mother only of hers.
    assert invited == {
        (cast.emil.pk, cast.anna.pk),
        (cast.emil.pk, cast.mikkel.pk),
        (alma.child_id, mother.pk),
    }
    assert Reminder.objects.filter(kind=Reminder.Kind.REMINDER, status=Reminder.Status.PENDING).count() == 6
    # Each family sees its own child's visit only.
    assert list(meetings_of_family(cast.anna).values_list("child", flat=True)) == [cast.emil.pk]
    assert list(meetings_of_family(mother).values_list("child", flat=True)) == [alma.child_id]
    assert list(feed_meetings(cast.anna).values_list("kind", flat=True)) == [MeetingKind.VISIT]
    assert AccessEvent.objects.filter(subject="meeting_plan", child=cast.emil).exists()


def test_the_school_hears_of_a_visit_planned_by_the_daycare_without_the_childrens_names(cast, transition):
    cast.dorte.language = "en"
    cast.dorte.save(update_fields=["language"])
    visit = plan(cast, [transition])
    notice = Notification.objects.get(user=cast.dorte, kind=Notification.Kind.VISIT)
    assert notice.title.startswith("Visit planned by Børnehuset Solsikken")
    assert "One child takes part" in notice.body
    assert "Emil" not in notice.title + notice.body
    assert notice.url == reverse("transitions:incoming")  # nothing of Emil's is sent yet
    assert not Notification.objects.filter(user__in=[cast.carla, cast.lene], kind=Notification.Kind.VISIT)
    assert visit.receiving_institution == cast.school


def test_the_daycare_hears_of_a_visit_planned_by_the_school(cast, transition):
    send(cast, transition)
    visit = plan(cast, [transition], by=cast.dorte, institution=cast.school, kind=Visit.Kind.STAFF_VISIT)
    assert Meeting.objects.get(kind=MeetingKind.VISIT).institution == cast.school
    told = set(Notification.objects.filter(kind=Notification.Kind.VISIT).values_list("user", "url"))
    url = reverse("transitions:visit_detail", args=[visit.pk])
    assert told == {(cast.carla.pk, url), (cast.lene.pk, url)}


@pytest.mark.parametrize(
    ("language", "planned", "cancelled"),
    [
        (
            "da",
            ("Besøg planlagt af Børnehuset Solsikken", "Ét barn er med, og familien er inviteret."),
            (
                "Besøg aflyst af Børnehuset Solsikken",
                "Besøget bliver ikke til noget; familierne har fået besked.",
            ),
        ),
        (
            "en",
            ("Visit planned by Børnehuset Solsikken", "One child takes part, and the family is invited."),
            (
                "Visit cancelled by Børnehuset Solsikken",
                "The visit will not take place; the families have been told.",
            ),
        ),
    ],
)
def test_every_visit_notice_in_each_language(cast, transition, language, planned, cancelled):
    cast.dorte.language = language
    cast.dorte.save(update_fields=["language"])
    visit = plan(cast, [transition])
    visit_services.visit_cancel(request=request_by(cast.carla), user=cast.carla, visit=visit)
    notices = {
        n.key.split("-")[1]: n
        for n in Notification.objects.filter(user=cast.dorte, kind=Notification.Kind.VISIT)
    }
    for key, (title, body) in (("planned", planned), ("cancelled", cancelled)):
        assert notices[key].title.startswith(title)
        assert body in notices[key].body
    with translation.override(language):
        kind = str(Visit.Kind.CHILDREN_VISIT.label)
    assert notices["planned"].body.startswith(kind)


def test_visit_cancel_cancels_every_familys_meeting_and_tells_them(cast, transition):
    alma, _mother = classmate(cast)
    visit = plan(cast, [transition, alma])
    visit = visit_services.visit_cancel(request=request_by(cast.carla), user=cast.carla, visit=visit)
    assert visit.is_cancelled
    assert set(Meeting.objects.values_list("status", flat=True)) == {Meeting.Status.CANCELLED}
    assert Reminder.objects.filter(kind=Reminder.Kind.CANCELLATION).count() == 3
    assert not Reminder.objects.filter(kind=Reminder.Kind.REMINDER, status=Reminder.Status.PENDING).exists()
    again = visit_services.visit_cancel(request=request_by(cast.carla), user=cast.carla, visit=visit)
    assert again.cancelled_at == visit.cancelled_at
    assert Reminder.objects.filter(kind=Reminder.Kind.CANCELLATION).count() == 3


def test_a_cancelled_move_leaves_the_visit_for_the_others(cast, transition):
    alma, _mother = classmate(cast)
    visit = plan(cast, [transition, alma])
    services.transition_cancel(request=request_by(cast.carla), transition=transition)
    status = dict(Meeting.objects.values_list("child", "status"))
    assert status == {cast.emil.pk: Meeting.Status.CANCELLED, alma.child_id: Meeting.Status.PLANNED}
    visit.refresh_from_db()
    assert not visit.is_cancelled


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"days": -1}, "day"),
        ({"transitions": []}, "transitions"),
    ],
)
def test_visit_plan_refuses_bad_input_and_writes_nothing(cast, transition, change, field):
    from django.core.exceptions import ValidationError

    starts, ends = visit_time(change.get("days", 20))
    with pytest.raises(ValidationError) as error:
        visit_services.visit_plan(
            request=request_by(cast.carla),
            user=cast.carla,
            institution=cast.solsikken,
            transitions=change.get("transitions", [transition]),
            kind=Visit.Kind.CHILDREN_VISIT,
            timing=Visit.Timing.BEFORE,
            starts_at=starts,
            ends_at=ends,
        )
    assert field in error.value.error_dict
    assert not Visit.objects.exists() and not Meeting.objects.exists() and not Reminder.objects.exists()


def test_visit_plan_refuses_a_cancelled_move(cast, transition):
    from django.core.exceptions import ValidationError

    services.transition_cancel(request=request_by(cast.carla), transition=transition)
    with pytest.raises(ValidationError):
        plan(cast, [transition])
    assert not Visit.objects.exists() and not Meeting.objects.exists()


# ---------------------------------------------------------------------------------------------------
# Pages
# ---------------------------------------------------------------------------------------------------
def form_data(transitions, **extra):
    day = timezone.localdate() + timedelta(days=20)
    return {
        "transitions": [t.pk for t in transitions],
        "kind": Visit.Kind.FAMILY_VISIT,
        "timing": Visit.Timing.BEFORE,
        "day": day.isoformat(),
        "start": "09:30",
        "end": "11:00",
        "location": "Skolegården",
        "description": "",
        **extra,
    }


def test_carla_plans_a_visit_for_the_cohort_from_the_handover_page(client, cast, login, transition):
    alma, _mother = classmate(cast)
    login(client, cast.carla)
    handover_url = reverse("transitions:handover_detail", args=[transition.handover.pk])
    page = client.get(handover_url)
    url = reverse("transitions:visit_create", args=[transition.pk])
    assert f'href="{url}?cohort=1"' in page.content.decode()
    form = client.get(url + "?cohort=1")
    assert set(form.context["form"].initial["transitions"]) == {transition.pk, alma.pk}
    assert AccessEvent.objects.filter(subject="visit_plan", child=alma.child, actor=cast.carla).exists()
    response = client.post(url, form_data([transition, alma]))
    visit = Visit.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "transitions:visit_detail", args=[visit.pk]
    )
    detail = client.get(response["Location"])
    assert [r.transition.child for r in detail.context["rows"]] == [alma.child, cast.emil]
    assert "Emil" in client.get(handover_url).content.decode()


def test_the_form_refuses_a_child_from_elsewhere_an_end_before_the_start_and_writes_nothing(
    client, cast, login, transition
):
    other = f.ChildFactory(municipality=cast.aarhus, first_name="Ida")
    other_move = Transition.objects.create(
        child=other,
        kind=Transition.Kind.DAYCARE_TO_SCHOOL,
        planned_on=school_start(),
        sending_institution=cast.health,
        receiving_institution=cast.school,
    )
    login(client, cast.carla)
    url = reverse("transitions:visit_create", args=[transition.pk])
    response = client.post(url, form_data([transition, other_move]))
    assert response.status_code == 200 and "transitions" in response.context["form"].errors
    response = client.post(url, form_data([transition], end="09:00"))
    assert response.status_code == 200 and "end" in response.context["form"].errors
    response = client.post(url, form_data([transition], day="2020-01-01"))
    assert response.status_code == 200 and "day" in response.context["form"].errors
    assert not Visit.objects.exists() and not Meeting.objects.exists()


def test_the_school_plans_visits_only_for_handovers_sent_to_it(client, cast, login, transition):
    login(client, cast.dorte)
    url = reverse("transitions:visit_create", args=[transition.pk])
    assert client.get(url).status_code == 404
    send(cast, transition)
    assert client.get(url).status_code == 200
    incoming = client.get(reverse("transitions:incoming")).content.decode()
    assert f'href="{url}?cohort=1"' in incoming
    client.post(url, form_data([transition]))
    assert Meeting.objects.get().institution == cast.school
    incoming = client.get(reverse("transitions:incoming"))
    assert incoming.context["transitions"][0].next_visit == Visit.objects.get().starts_at


def test_the_family_finds_the_visit_on_the_handover_page_and_as_a_meeting(client, cast, login, transition):
    plan(cast, [transition])
    meeting = Meeting.objects.get()
    login(client, cast.anna)
    page = client.get(reverse("transitions:handover_detail", args=[transition.handover.pk])).content.decode()
    assert reverse("meetings:meeting_detail", args=[meeting.pk]) in page
    assert (
        "visit_create" not in page and reverse("transitions:visit_create", args=[transition.pk]) not in page
    )
    assert client.get(reverse("meetings:meeting_detail", args=[meeting.pk])).status_code == 200


@pytest.mark.parametrize("persona", ["anna", "mikkel", "bo", "dorte", "sofie", "erik"])
def test_nobody_but_the_planning_staff_opens_the_visit_page(client, cast, login, transition, persona):
    visit = plan(cast, [transition])
    login(client, getattr(cast, persona))
    assert client.get(reverse("transitions:visit_detail", args=[visit.pk])).status_code == 404
    assert client.post(reverse("transitions:visit_cancel", args=[visit.pk])).status_code == 404
    assert not Visit.objects.get().is_cancelled


def test_cancel_from_the_visit_page(client, cast, login, transition):
    visit = plan(cast, [transition])
    login(client, cast.lene)
    response = client.post(reverse("transitions:visit_cancel", args=[visit.pk]))
    assert response.status_code == 302
    assert Visit.objects.get().is_cancelled
    assert Meeting.objects.get().status == Meeting.Status.CANCELLED
    assert client.post(reverse("transitions:visit_cancel", args=[visit.pk])).status_code == 404


# ---------------------------------------------------------------------------------------------------
# Query budgets
# ---------------------------------------------------------------------------------------------------
def _movers(cast, count):
    return [classmate(cast, f"Barn{i:02d}")[0] for i in range(count)]


def test_the_visit_page_costs_the_same_with_1_and_25_children(client, cast, login, transition):
    visit = plan(cast, [transition])

    def grow():
        meeting = Meeting.objects.get(child=cast.emil)
        for t in _movers(cast, 24):
            copy = Meeting.objects.create(
                kind=MeetingKind.VISIT,
                institution=cast.solsikken,
                child=t.child,
                starts_at=meeting.starts_at,
                ends_at=meeting.ends_at,
            )
            VisitInvitation.objects.create(visit=visit, transition=t, meeting=copy)

    login(client, cast.carla)
    url = reverse("transitions:visit_detail", args=[visit.pk])
    assert_exact_queries(client, url, 7, grow, lambda r: len(r.context["rows"]))


def test_the_visit_form_costs_the_same_with_1_and_25_children(client, cast, login, transition):
    login(client, cast.carla)
    url = reverse("transitions:visit_create", args=[transition.pk])
    assert_exact_queries(
        client,
        url,
        7,
        lambda: _movers(cast, 24),
        lambda r: len(r.context["form"].fields["transitions"].choices),
    )


def test_the_handover_page_costs_the_same_with_1_and_25_visits(client, cast, login, transition):
    plan(cast, [transition])

    def grow():
        for i in range(24):
            plan(cast, [transition], days=21 + i)

    login(client, cast.anna)
    url = reverse("transitions:handover_detail", args=[transition.handover.pk])
    assert_exact_queries(client, url, 11, grow, lambda r: len(r.context["visits"]))


def test_a_visit_soon_is_a_to_do_on_the_familys_home(client, cast, login, transition):
    plan(cast, [transition], days=5)
    login(client, cast.anna)
    home = client.get(reverse("children:parent_home")).content.decode()
    meeting = Meeting.objects.get()
    assert reverse("meetings:meeting_detail", args=[meeting.pk]) in home
    assert "Transition visit about Emil" in home
