"""Language assessments: the pedagogue records one, the parents tell what they see at home, the talk
is booked through the meetings services, the result and the home language plan reach the family when
staff show them, the plan's follow-up is a to-do, and the one from 0. klasse links back to daycare."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from children.models import (
    HomeActivity,
    HomeActivityTry,
    HomeLanguagePlan,
    LanguageAssessment,
    LanguageObservation,
)
from children.selectors import language as selectors
from children.services import language as services
from children.services.competences import competence_framework_seed
from portal.audit.models import AccessEvent
from portal.meetings.models import Meeting, MeetingKind
from portal.todos import parent_todos, staff_todos
from tests import factories as f
from tests.queries import assert_exact_queries

pytestmark = pytest.mark.django_db

OBSERVATION = {
    "home_languages": "Dansk og arabisk",
    "danish_at_home": "no",
    "tells_about_things": "sometimes",
    "follows_two_steps": "often",
    "enjoys_stories": "often",
    "wonders": "Han blander sprogene.",
}


@pytest.fixture
def library(cast):
    competence_framework_seed(municipality=cast.aarhus)
    competence_framework_seed(municipality=cast.other)


def _request(user):
    request = RequestFactory().post("/")
    request.user = user
    return request


def _start(cast, **fields):
    enrollment = cast.emil.enrollments.get()
    return services.language_assessment_create(
        request=_request(cast.carla), child=cast.emil, enrollment=enrollment, actor_role="Pædagog", **fields
    )


def _record(assessment, user, *, result="focused", share=True):
    return services.language_result_record(
        request=_request(user),
        assessment=assessment,
        actor_role="Pædagog",
        assessed_on=timezone.localdate(),
        result=result,
        summary="Emil forstår meget og øver at fortælle.",
        share=share,
    )


# ---------------------------------------------------------------------------------------------------
# The journey through the pages
# ---------------------------------------------------------------------------------------------------
def test_assessment_journey_from_start_to_home_plan(
    client, cast, login, library, django_capture_on_commit_callbacks
):
    login(client, cast.carla)
    response = client.post(
        reverse("children:language_assessment_create", args=[cast.emil.pk]),
        {"planned_on": (timezone.localdate() + timedelta(days=5)).isoformat()},
    )
    assessment = LanguageAssessment.objects.get(child=cast.emil)
    assert response.status_code == 302
    assert assessment.stage == LanguageAssessment.Stage.AGE_THREE and assessment.institution == cast.solsikken

    # Anna sees the to-do, answers the questions; Mikkel (no custody) may not.
    assert [t.kind for t in parent_todos(cast.anna)].count("language") == 1
    login(client, cast.anna, mfa=False)
    url = reverse("children:language_observation", args=[assessment.pk])
    assert client.post(url, OBSERVATION).status_code == 302
    observation = LanguageObservation.objects.get(assessment=assessment)
    assert observation.danish_at_home is False and observation.filled_by == cast.anna
    assert [t.kind for t in parent_todos(cast.anna)].count("language") == 0
    login(client, cast.mikkel, mfa=False)
    assert client.get(url).status_code == 404

    # Carla books the talk: a meeting of the language-assessment kind, with the family's invitation.
    login(client, cast.carla)
    day = timezone.localdate() + timedelta(days=7)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("children:language_talk", args=[assessment.pk]),
            {"day": day.isoformat(), "start": "14:00", "end": "14:30", "location": "Mariehønen"},
        )
    assert response.status_code == 302
    assessment.refresh_from_db()
    meeting = Meeting.objects.get(pk=assessment.meeting_id)
    assert meeting.kind == MeetingKind.LANGUAGE_ASSESSMENT and meeting.child == cast.emil
    assert meeting.reminders.filter(recipient=cast.anna, kind="invitation").exists()
    # A second booking while the first is on is refused, and nothing is added.
    response = client.post(
        reverse("children:language_talk", args=[assessment.pk]),
        {"day": day.isoformat(), "start": "15:00", "end": "15:30"},
    )
    assert response.status_code == 200 and Meeting.objects.filter(child=cast.emil).count() == 1

    # The result, not yet shown: the family reads that it comes at the talk.
    response = client.post(
        reverse("children:language_result", args=[assessment.pk]),
        {"assessed_on": timezone.localdate().isoformat(), "result": "focused", "summary": "SUMMARY-MARK"},
    )
    assert response.status_code == 302
    login(client, cast.anna, mfa=False)
    detail = reverse("children:language_assessment_detail", args=[assessment.pk])
    assert "SUMMARY-MARK" not in client.get(detail).content.decode()

    # The home plan suggests activities that work in any language (Danish is not spoken at home).
    login(client, cast.carla)
    plan_url = reverse("children:language_home_plan", args=[assessment.pk])
    page = client.get(plan_url)
    suggested = {a.code for a in page.context["form"].suggestions}
    assert "dialogic-reading" in suggested and "daycare-songs" not in suggested
    reading = HomeActivity.objects.get(municipality=cast.aarhus, code="dialogic-reading")
    follow_up = timezone.localdate() + timedelta(days=30)
    response = client.post(
        plan_url, {"activities": [reading.pk], "note": "Læs sammen", "follow_up_on": follow_up.isoformat()}
    )
    assert response.status_code == 302
    plan = HomeLanguagePlan.objects.get(assessment=assessment)
    assert list(plan.activities.all()) == [reading]

    # Shown to the family: Anna reads the result and the plan, and says how it went.
    client.post(
        reverse("children:language_result", args=[assessment.pk]),
        {
            "assessed_on": timezone.localdate().isoformat(),
            "result": "focused",
            "summary": "SUMMARY-MARK",
            "share": "on",
        },
    )
    login(client, cast.anna, mfa=False)
    body = client.get(detail).content.decode()
    assert "SUMMARY-MARK" in body and reading.title_da in body
    response = client.post(
        reverse("children:language_plan_try", args=[assessment.pk]),
        {"activity": reading.pk, "outcome": "well", "note": "Han elskede det"},
    )
    assert response.status_code == 302
    attempt = HomeActivityTry.objects.get()
    assert attempt.activity == reading and attempt.child == cast.emil and attempt.language_plan == plan

    # Every read and write of the assessment is in the child's access log.
    subjects = set(AccessEvent.objects.filter(child=cast.emil).values_list("action", "subject"))
    assert {
        ("create", "language_assessment"),
        ("create", "language_observation"),
        ("update", "language_result"),
        ("create", "home_language_plan"),
        ("create", "home_activity_try"),
        ("create", "meeting_plan"),
        ("view", "language_assessment"),
        ("view", "home_language_plan"),
    } <= subjects


def test_family_form_closes_when_the_result_is_recorded(cast, library):
    assessment = _record(_start(cast), cast.carla)
    with pytest.raises(ValidationError):
        services.language_observation_save(
            request=_request(cast.anna),
            assessment=assessment,
            actor_role="Mor",
            **{**OBSERVATION, "danish_at_home": True},
        )
    assert not LanguageObservation.objects.exists()


def test_one_open_assessment_per_child_and_place(cast):
    _start(cast)
    with pytest.raises(ValidationError):
        _start(cast)
    assert LanguageAssessment.objects.count() == 1


def test_daycare_assessment_needs_a_child_around_age_three(cast):
    cast.emil.birth_date = timezone.localdate() - timedelta(days=365 * 9)
    cast.emil.save()
    with pytest.raises(ValidationError):
        _start(cast)
    assert not LanguageAssessment.objects.exists()


def test_school_start_assessment_links_back_to_daycare_and_needs_0_klasse(cast, library):
    daycare = _record(_start(cast), cast.carla)
    class_0 = f.GroupFactory(institution=cast.school, name="0.A", school_year=0)
    cast.emil.enrollments.update(ended_on=timezone.localdate() - timedelta(days=1))
    enrollment = f.EnrollmentFactory(child=cast.emil, group=class_0)
    school = services.language_assessment_create(
        request=_request(cast.dorte), child=cast.emil, enrollment=enrollment, actor_role="Lærer"
    )
    assert school.stage == LanguageAssessment.Stage.SCHOOL_START and school.earlier == daycare

    freja_place = cast.freja.enrollments.get()  # 1.A
    with pytest.raises(ValidationError):
        services.language_assessment_create(
            request=_request(cast.dorte), child=cast.freja, enrollment=freja_place, actor_role="Lærer"
        )


def test_tool_result_is_kept_only_for_0_klasse(cast):
    assessment = _start(cast)
    services.language_result_record(
        request=_request(cast.carla),
        assessment=assessment,
        actor_role="Pædagog",
        assessed_on=timezone.localdate(),
        result="general",
        tool_result="ikke relevant",
    )
    assessment.refresh_from_db()
    assert assessment.tool_result == "" and assessment.result == "general"


def test_result_cannot_be_dated_in_the_future(cast):
    assessment = _start(cast)
    with pytest.raises(ValidationError):
        services.language_result_record(
            request=_request(cast.carla),
            assessment=assessment,
            actor_role="Pædagog",
            assessed_on=timezone.localdate() + timedelta(days=1),
            result="general",
        )
    assessment.refresh_from_db()
    assert assessment.result == ""


def test_home_plan_refuses_another_municipality_s_activity_and_a_past_follow_up(cast, library):
    assessment = _record(_start(cast), cast.carla)
    foreign = HomeActivity.objects.get(municipality=cast.other, code="dialogic-reading")
    own = HomeActivity.objects.get(municipality=cast.aarhus, code="dialogic-reading")
    for activities, follow_up_on in (
        ([foreign], timezone.localdate() + timedelta(days=9)),
        ([own], timezone.localdate()),
    ):
        with pytest.raises(ValidationError):
            services.home_language_plan_save(
                request=_request(cast.carla),
                assessment=assessment,
                actor_role="Pædagog",
                activities=activities,
                follow_up_on=follow_up_on,
            )
    assert not HomeLanguagePlan.objects.exists()


def test_follow_up_is_a_staff_to_do_until_done(cast, library):
    assessment = _record(_start(cast), cast.carla)
    reading = HomeActivity.objects.get(municipality=cast.aarhus, code="dialogic-reading")
    plan = services.home_language_plan_save(
        request=_request(cast.carla),
        assessment=assessment,
        actor_role="Pædagog",
        activities=[reading],
        follow_up_on=timezone.localdate() + timedelta(days=10),
    )
    for user in (cast.carla, cast.lene):
        assert [t.kind for t in staff_todos(user)].count("language") == 1
    for user in (cast.dorte, cast.sofie):
        assert [t.kind for t in staff_todos(user)].count("language") == 0
    services.home_language_plan_follow_up(
        request=_request(cast.carla), plan=plan, actor_role="Pædagog", note="Godt"
    )
    assert [t.kind for t in staff_todos(cast.carla)].count("language") == 0
    plan.refresh_from_db()
    assert plan.followed_up_at is not None and plan.follow_up_note == "Godt"


def test_school_reads_the_daycare_assessment_but_cannot_change_it(client, cast, login, library):
    daycare = _record(_start(cast), cast.carla)
    class_0 = f.GroupFactory(institution=cast.school, name="0.A", school_year=0)
    cast.emil.enrollments.update(ended_on=timezone.localdate() - timedelta(days=1))
    f.EnrollmentFactory(child=cast.emil, group=class_0)
    cast.dorte.staff_memberships.get().groups.add(class_0)
    login(client, cast.dorte)
    assert client.get(reverse("children:language_assessment_detail", args=[daycare.pk])).status_code == 200
    assert client.get(reverse("children:language_result", args=[daycare.pk])).status_code == 404
    login(client, cast.carla)  # Emil has left Solsikken
    assert client.get(reverse("children:language_assessment_detail", args=[daycare.pk])).status_code == 404


def test_try_refuses_an_activity_outside_the_plan(cast, library):
    assessment = _record(_start(cast), cast.carla)
    reading, songs = (
        HomeActivity.objects.get(municipality=cast.aarhus, code=code)
        for code in ("dialogic-reading", "songs-and-rhymes")
    )
    plan = services.home_language_plan_save(
        request=_request(cast.carla),
        assessment=assessment,
        actor_role="Pædagog",
        activities=[reading],
        follow_up_on=timezone.localdate() + timedelta(days=10),
    )
    with pytest.raises(ValidationError):
        services.home_language_plan_try(
            request=_request(cast.anna), plan=plan, activity=songs, actor_role="Mor", outcome="well"
        )
    assert not HomeActivityTry.objects.exists()


def test_hostile_answers_get_form_errors_not_500(client, cast, login, library):
    assessment = _start(cast)
    login(client, cast.anna, mfa=False)
    url = reverse("children:language_observation", args=[assessment.pk])
    response = client.post(url, {**OBSERVATION, "tells_about_things": "always", "home_languages": "x" * 500})
    assert response.status_code == 200 and response.context["form"].errors
    assert not LanguageObservation.objects.exists()


# ---------------------------------------------------------------------------------------------------
# Query budgets
# ---------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("person", ["anna", "carla"])
def test_assessment_page_costs_the_same_with_1_and_25_plan_activities_and_tries(
    client, cast, login, library, person
):
    assessment = _record(_start(cast), cast.carla)
    activities = list(HomeActivity.objects.filter(municipality=cast.aarhus).order_by("pk")[:25])
    plan = HomeLanguagePlan.objects.create(
        assessment=assessment, follow_up_on=timezone.localdate() + timedelta(days=10)
    )
    plan.activities.set(activities[:1])
    HomeActivityTry.objects.create(
        activity=activities[0], child=cast.emil, language_plan=plan, outcome="well", by_name="A"
    )
    login(client, getattr(cast, person), mfa=person == "carla")

    def grow():
        plan.activities.set(activities)
        for a in activities[1:]:
            HomeActivityTry.objects.create(
                activity=a, child=cast.emil, language_plan=plan, outcome="partly", by_name="A"
            )

    url = reverse("children:language_assessment_detail", args=[assessment.pk])
    expected = 10 if person == "anna" else 12
    assert_exact_queries(client, url, expected, grow, lambda r: len(r.context["plan"].activities.all()))


def test_staff_todos_cost_one_query_for_1_and_25_follow_ups(cast, library, django_assert_num_queries):
    reading = HomeActivity.objects.get(municipality=cast.aarhus, code="dialogic-reading")

    def plan_for(child):
        a = LanguageAssessment.objects.create(
            child=child,
            institution=cast.solsikken,
            stage="age_three",
            assessed_on=timezone.localdate(),
            result="general",
        )
        p = HomeLanguagePlan.objects.create(assessment=a, follow_up_on=timezone.localdate())
        p.activities.set([reading])

    plan_for(cast.emil)
    cast.lene.refresh_from_db()  # a fresh user: the access scope is read in the query count
    from portal.access import staff_scope

    staff_scope(cast.lene)
    with django_assert_num_queries(1):
        assert len(selectors.follow_up_todos(cast.lene)) == 1
    for i in range(24):
        child = f.ChildFactory(municipality=cast.aarhus, first_name=f"Barn{i}")
        f.EnrollmentFactory(child=child, group=cast.mariehonen)
        plan_for(child)
    with django_assert_num_queries(1):
        assert len(selectors.follow_up_todos(cast.lene)) == 13  # the home's limit: twelve and one more


def test_parent_todos_cost_one_query_for_1_and_25_forms_to_fill_in(cast, django_assert_num_queries):
    def open_assessment(child):
        LanguageAssessment.objects.create(child=child, institution=cast.solsikken, stage="age_three")

    open_assessment(cast.emil)
    for person in (cast.anna, cast.mikkel):
        selectors.observation_todos(person)  # compiles the statement and reads the person's roles
    with django_assert_num_queries(1):
        assert len(selectors.observation_todos(cast.anna)) == 1
    for i in range(24):
        child = f.ChildFactory(municipality=cast.aarhus, first_name=f"Barn{i}")
        f.GuardianshipFactory(child=child, user=cast.anna)
        open_assessment(child)
    with django_assert_num_queries(1):
        assert len(selectors.observation_todos(cast.anna)) == 13  # the home's limit: twelve and one more
    with django_assert_num_queries(1):
        assert selectors.observation_todos(cast.mikkel) == []  # no custody, no form


# ---------------------------------------------------------------------------------------------------
# The notice to the family when the result is shown to them
# ---------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("language", ["da", "en"])
def test_showing_the_result_notifies_each_guardian_once_in_their_language(cast, language):
    from django.utils import translation

    from portal.meetings.models import Notification

    cast.anna.language = language
    cast.anna.save(update_fields=["language"])
    assessment = _start(cast)
    _record(assessment, cast.carla, share=False)
    assert services.language_result_notices_send(assessment_id=assessment.pk) == 0  # not shown yet
    assessment = _record(assessment, cast.carla, share=True)
    assert services.language_result_notices_send(assessment_id=assessment.pk) == 2
    assert services.language_result_notices_send(assessment_id=assessment.pk) == 2
    notice = Notification.objects.get(user=cast.anna)
    assert notice.kind == "language_result"
    assert notice.url == reverse("children:language_assessment_detail", args=[assessment.pk])
    texts = {}
    for each in ("da", "en"):
        with translation.override(each):
            texts[each] = services.language_result_notice_text(assessment)
    assert (notice.title, notice.body) == texts[language]
    assert texts["en"] == (
        "The result of Emil's language assessment is ready",
        "Børnehuset Solsikken has shown you what they found in Emil's language assessment. Read it, "
        "and see what you can do at home to help Emil with language.",
    )
    assert texts["da"] == (
        "Resultatet af Emils sprogvurdering er klar",
        "Børnehuset Solsikken har vist jer, hvad de fandt ved Emils sprogvurdering. Læs det, og se, "
        "hvad I kan gøre derhjemme for at hjælpe Emil med sproget.",
    )
    # Anna and Mikkel (without custody, with the right to information); no one else.
    assert set(Notification.objects.values_list("user", flat=True)) == {cast.anna.pk, cast.mikkel.pk}


def test_the_notice_is_queued_after_commit_once_when_the_result_is_first_shown(
    client, cast, login, django_capture_on_commit_callbacks
):
    from portal.meetings.models import Notification

    assessment = _start(cast)
    result = {"assessed_on": timezone.localdate().isoformat(), "result": "focused", "summary": "Godt"}
    url = reverse("children:language_result", args=[assessment.pk])
    login(client, cast.carla)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, result).status_code == 302  # recorded, not shown: no notice
    assert not Notification.objects.exists()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert client.post(url, {**result, "share": "on"}).status_code == 302
    assert callbacks and not Notification.objects.exists()  # only once the result is committed
    for callback in callbacks:
        callback()
    assert Notification.objects.filter(kind="language_result").count() == 2
    with django_capture_on_commit_callbacks(execute=True) as callbacks:  # corrected later: no new notice
        assert client.post(url, {**result, "summary": "Rettet", "share": "on"}).status_code == 302
    assert not callbacks and Notification.objects.count() == 2

    # Anna finds it in her messages.
    login(client, cast.anna, mfa=False)
    client.post(reverse("set_language"), {"language": "da"})
    body = client.get(reverse("meetings:notifications")).content.decode()
    assert "Resultatet af Emils sprogvurdering er klar" in body and "Sprogvurdering" in body
    assert reverse("children:language_assessment_detail", args=[assessment.pk]) in body


def test_a_family_s_tried_it_on_the_home_language_plan_counts_in_the_library(client, cast, login, library):
    reading = HomeActivity.objects.get(municipality=cast.aarhus, code="read-aloud-pictures")
    assessment = _record(_start(cast), cast.carla, share=True)
    services.home_language_plan_save(
        request=_request(cast.carla),
        assessment=assessment,
        actor_role="Pædagog",
        activities=[reading],
        follow_up_on=timezone.localdate() + timedelta(days=30),
    )
    tried = reverse("children:language_plan_try", args=[assessment.pk])
    for person, outcome in ((cast.anna, "well"), (cast.mikkel, "partly")):
        login(client, person, mfa=False)
        assert client.post(tried, {"activity": reading.pk, "outcome": outcome, "note": ""}).status_code == 302
    assert HomeActivityTry.objects.filter(language_plan__assessment=assessment).count() == 2

    login(client, cast.carla)
    client.post(reverse("set_language"), {"language": "da"})
    response = client.get(reverse("children:activity_list"))
    shown = {a.pk: a for a in response.context["activities"]}[reading.pk]
    assert (shown.tried_well, shown.tried_partly, shown.tried_not, shown.picked) == (1, 1, 0, 0)
    body = response.content.decode()
    card = body[body.index(f'id="activity-{reading.pk}"') :]
    assert "Prøvet derhjemme: gik godt 1, så som så 1, virkede ikke 0" in card[: card.index("</li>")]
