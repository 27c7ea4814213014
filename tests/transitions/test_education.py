"""The education plan: the deadline, the flow from wishes to confirmation, versions, locking, the list
of youth educations, notices and to-dos, and who may see and do what."""

import datetime
import time

import pytest
from allauth.account.authentication import AUTHENTICATION_METHODS_SESSION_KEY
from django.urls import reverse
from django.utils import timezone, translation

from portal.audit.models import AccessEvent
from portal.meetings.models import Meeting, Notification
from tests import factories as f
from tests.conftest import PASSWORD_OF_THE_CAST
from tests.queries import assert_constant_queries, assert_exact_queries
from tests.transitions import education_world
from tests.transitions.education_world import ready, request_by, start
from transitions.models import (
    EducationPlan,
    EducationPlanConfirmation,
    EducationPlanRemark,
    EducationWish,
    YouthEducation,
)
from transitions.models.education import (
    COPENHAGEN,
    SEED_NAMES,
    application_deadline,
    is_past_deadline,
    school_year_of,
)
from transitions.selectors.education import confirm_todos, guidance_todos, pupil_home_plan, pupil_todos
from transitions.services import education as services

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def w(cast):
    return education_world.build(cast)


def plan_url(plan, name="transitions:education_plan_detail"):
    return reverse(name, args=[plan.pk])


def signed_in_long_ago(client, user):
    """Signed in an hour ago: confirming asks for the password again."""
    client.force_login(user)
    session = client.session
    session[AUTHENTICATION_METHODS_SESSION_KEY] = [
        {"method": "password", "at": time.time() - 3600, "email": user.email}
    ]
    session.save()
    return client


# --- the deadline ----------------------------------------------------------------------------------
def test_school_year_starts_on_1_august():
    assert school_year_of(datetime.date(2026, 7, 31)) == 2025
    assert school_year_of(datetime.date(2026, 8, 1)) == 2026


def test_the_deadline_is_1_march_of_the_school_year_of_9_klasse():
    assert application_deadline(school_year=2026, class_level=9) == datetime.date(2027, 3, 1)
    assert application_deadline(school_year=2026, class_level=8) == datetime.date(2028, 3, 1)


@pytest.mark.parametrize(
    ("moment", "past"),
    [
        (datetime.datetime(2027, 3, 1, 0, 0, tzinfo=COPENHAGEN), False),
        (datetime.datetime(2027, 3, 1, 23, 59, 59, tzinfo=COPENHAGEN), False),
        (datetime.datetime(2027, 3, 2, 0, 0, tzinfo=COPENHAGEN), True),
        # 23:30 UTC on 1 March is already 2 March in Copenhagen (UTC+1 in winter).
        (datetime.datetime(2027, 3, 1, 23, 0, tzinfo=datetime.UTC), True),
        (datetime.datetime(2027, 3, 1, 22, 59, tzinfo=datetime.UTC), False),
    ],
)
def test_the_plan_locks_when_1_march_has_ended_in_copenhagen(moment, past):
    assert is_past_deadline(datetime.date(2027, 3, 1), now=moment) is past


# --- starting -------------------------------------------------------------------------------------------
def test_a_plan_starts_for_this_school_year_with_its_deadline_and_the_seeded_list(w):
    plan = start(w)

    year = school_year_of(timezone.localdate())
    assert (plan.school_year, plan.class_level, plan.institution) == (year, 9, w.cast.school)
    assert plan.deadline == datetime.date(year + 1, 3, 1)
    names = list(YouthEducation.objects.filter(municipality=w.cast.aarhus).values_list("name", flat=True))
    assert names == list(SEED_NAMES)
    assert start(w).pk == plan.pk  # once per school year


def test_only_pupils_in_8_or_9_klasse_get_a_plan(w):
    with pytest.raises(Exception, match=r"8\. or 9\. klasse"):
        services.education_plan_start(request=request_by(w.cast.dorte), child=w.cast.freja)
    assert not EducationPlan.objects.exists()


def test_the_counsellor_starts_the_plan_from_the_list(client, login, w):
    login(client, w.ulla)
    body = client.get(reverse("transitions:education_plans")).content.decode()
    assert "Vera" in body and "Start the plan" in body

    response = client.post(reverse("transitions:education_plan_start", args=[w.vera.pk]))

    plan = EducationPlan.objects.get(child=w.vera)
    assert response["Location"] == plan_url(plan)


def test_the_teacher_of_another_school_cannot_start_it(client, login, w):
    login(client, w.otto)
    assert client.post(reverse("transitions:education_plan_start", args=[w.vera.pk])).status_code == 404
    assert not EducationPlan.objects.exists()


# --- the flow -------------------------------------------------------------------------------------------
def test_wishes_and_guidance_make_it_ready_and_both_custody_holders_are_told(w):
    plan = start(w)
    assert plan.ready_at is None

    plan = ready(w, plan)

    assert plan.ready_at is not None and plan.version == 3
    told = set(
        Notification.objects.filter(kind=Notification.Kind.EDUCATION_PLAN).values_list("user", flat=True)
    )
    assert told == {w.cast.anna.pk, w.karsten.pk}  # not Mikkel, who has no custody
    ranks = list(EducationWish.objects.filter(plan=plan).values_list("rank", "education__name"))
    assert ranks == [(1, SEED_NAMES[0]), (2, SEED_NAMES[1])]


def test_a_change_after_a_confirmation_asks_for_it_again(w):
    plan = ready(w, start(w))
    services.education_plan_confirm(request=request_by(w.cast.anna), plan=plan, version=plan.version)
    assert not confirm_todos(w.cast.anna)
    assert [t.kind for t in confirm_todos(w.karsten)] == ["education_plan"]

    plan = services.education_plan_guidance_save(request=request_by(w.ulla), plan=plan, text="Ny vejledning")

    assert [t.title for t in confirm_todos(w.cast.anna)] == ["Read and confirm Vera's education plan"]
    changed = Notification.objects.get(
        key=f"education-plan-changed-{plan.pk}-{plan.version}-{w.cast.anna.pk}"
    )
    assert changed.url == plan_url(plan)
    assert not Notification.objects.filter(key__startswith="education-plan-changed", user=w.karsten).exists()


def test_confirming_an_old_version_is_refused(w):
    plan = ready(w, start(w))
    with pytest.raises(Exception, match="changed while you were reading"):
        services.education_plan_confirm(request=request_by(w.cast.anna), plan=plan, version=plan.version - 1)
    assert not EducationPlanConfirmation.objects.exists()


def test_a_plan_not_ready_cannot_be_confirmed(client, login, w):
    plan = start(w)
    login(client, w.cast.anna)
    response = client.post(plan_url(plan, "transitions:education_plan_confirm"), {"version": plan.version})
    assert response.status_code == 404
    assert not EducationPlanConfirmation.objects.exists()


def test_confirming_asks_for_the_password_again_then_records_this_version(client, w):
    plan = ready(w, start(w))
    signed_in_long_ago(client, w.cast.anna)
    url = plan_url(plan, "transitions:education_plan_confirm")

    response = client.post(url, {"version": plan.version})

    assert response.status_code == 302 and response["Location"].startswith(reverse("account_reauthenticate"))
    assert not EducationPlanConfirmation.objects.exists()
    # The password page (with where to go next) resumes the suspended confirmation.
    response = client.post(response["Location"], {"password": PASSWORD_OF_THE_CAST})
    assert response.status_code == 302 and response["Location"] == plan_url(plan) + "#confirm"
    confirmation = EducationPlanConfirmation.objects.get()
    assert (confirmation.user, confirmation.version) == (w.cast.anna, plan.version)
    body = client.get(plan_url(plan)).content.decode()
    assert "confirmed this version on" in body


def test_a_stale_page_shows_a_clear_error_and_writes_nothing(client, login, reauthenticate, w):
    plan = ready(w, start(w))
    reauthenticate(login(client, w.karsten))

    response = client.post(plan_url(plan, "transitions:education_plan_confirm"), {"version": 1})

    assert response.status_code == 200
    assert "The plan changed while you were reading it" in response.content.decode()
    assert not EducationPlanConfirmation.objects.exists()


def test_a_parent_without_custody_reads_but_neither_remarks_nor_confirms(client, login, reauthenticate, w):
    plan = ready(w, start(w))
    reauthenticate(login(client, w.cast.mikkel))
    body = client.get(plan_url(plan)).content.decode()
    assert "Tal med en dyrlæge" in body and "Confirm the plan" not in body and "Save my remarks" not in body
    assert client.post(plan_url(plan, "transitions:education_plan_remarks"), {"text": "x"}).status_code == 404
    assert (
        client.post(plan_url(plan, "transitions:education_plan_confirm"), {"version": 3}).status_code == 404
    )
    assert not EducationPlanRemark.objects.exists() and not EducationPlanConfirmation.objects.exists()


def test_each_custody_holder_writes_their_own_remarks(client, login, w):
    plan = start(w)
    login(client, w.karsten)
    response = client.post(plan_url(plan, "transitions:education_plan_remarks"), {"text": "Hun elsker dyr"})
    assert response.status_code == 302
    login(client, w.cast.anna)
    body = client.get(plan_url(plan)).content.decode()
    assert "Hun elsker dyr" in body and "Karsten Krogh" in body
    assert EducationPlanRemark.objects.get().author == w.karsten


def test_empty_remarks_are_a_form_error(client, login, w):
    plan = start(w)
    login(client, w.cast.anna)
    response = client.post(plan_url(plan, "transitions:education_plan_remarks"), {"text": "  "})
    assert response.status_code == 200 and "Write your remarks." in response.content.decode()
    assert EducationPlan.objects.get().version == 1


def test_the_teacher_writes_the_targeted_effort_and_the_counsellor_the_guidance(client, login, w):
    plan = start(w)
    login(client, w.tove)
    assert (
        client.post(
            plan_url(plan, "transitions:education_plan_effort"), {"text": "Ekstra vejledning"}
        ).status_code
        == 302
    )
    assert (
        client.post(plan_url(plan, "transitions:education_plan_guidance"), {"text": "x"}).status_code == 404
    )
    login(client, w.ulla)
    assert (
        client.post(plan_url(plan, "transitions:education_plan_guidance"), {"text": "Vejledning"}).status_code
        == 302
    )
    assert client.post(plan_url(plan, "transitions:education_plan_effort"), {"text": "x"}).status_code == 404
    plan.refresh_from_db()
    assert (plan.effort, plan.guidance) == ("Ekstra vejledning", "Vejledning")
    assert plan.effort_by_name == "Tove Lærer" and plan.guidance_by_name == "Ulla Vejleder"


def test_nothing_is_written_after_the_deadline(client, login, w):
    plan = start(w)
    EducationPlan.objects.filter(pk=plan.pk).update(
        deadline=timezone.localdate() - datetime.timedelta(days=1)
    )
    login(client, w.ulla)

    response = client.post(plan_url(plan, "transitions:education_plan_guidance"), {"text": "For sent"})

    body = response.content.decode()
    assert response.status_code == 200 and "can no longer be changed" in body
    assert EducationPlan.objects.get().guidance == ""
    assert "Save the guidance" not in client.get(plan_url(plan)).content.decode()


# --- the pupil ------------------------------------------------------------------------------------------
def test_the_pupil_writes_goals_and_ordered_wishes(client, login, w):
    plan = start(w)
    stx, hhx, eud = (
        YouthEducation.objects.get(name=n) for n in (SEED_NAMES[0], SEED_NAMES[1], SEED_NAMES[4])
    )
    login(client, w.vera_pupil, mfa=False)
    url = reverse("transitions:education_plan_pupil")
    assert "Save my wishes" in client.get(url).content.decode()

    response = client.post(url, {"goals": "Dyrlæge", "wish_1": eud.pk, "wish_2": stx.pk, "wish_3": hhx.pk})

    assert response.status_code == 302
    assert list(EducationWish.objects.filter(plan=plan).values_list("education", flat=True)) == [
        eud.pk,
        stx.pk,
        hhx.pk,
    ]
    assert EducationPlan.objects.get().goals == "Dyrlæge"


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        (lambda e, o: {"wish_1": ""}, "Choose at least one youth education."),
        (lambda e, o: {"wish_1": e.pk, "wish_2": e.pk}, "Choose each youth education only once."),
        (lambda e, o: {"wish_1": o.pk}, "Choose from the list of youth educations."),
        (lambda e, o: {"wish_1": "not-a-number"}, "Choose from the list of youth educations."),
    ],
)
def test_bad_wishes_are_a_clear_form_error(client, login, w, payload, message):
    start(w)
    services.youth_educations_ensure(municipality_id=w.cast.other.pk)
    own = YouthEducation.objects.filter(municipality=w.cast.aarhus).first()
    other = YouthEducation.objects.filter(municipality=w.cast.other).first()
    login(client, w.vera_pupil, mfa=False)

    response = client.post(reverse("transitions:education_plan_pupil"), payload(own, other))

    assert response.status_code == 200 and message in response.content.decode()
    assert not EducationWish.objects.exists() and EducationPlan.objects.get().version == 1


def test_an_education_no_longer_offered_stays_on_the_plan_but_not_in_the_choices(client, login, w):
    plan = ready(w, start(w))
    first = plan.wishes.get(rank=1).education
    services.youth_education_update(education=first, name="Stx (gammelt navn)", position=1, is_offered=False)
    login(client, w.cast.anna)
    body = client.get(plan_url(plan)).content.decode()
    assert "Stx (gammelt navn)" in body and "no longer offered" in body
    fresh = EducationPlan.objects.create(
        child=w.cast.freja,
        institution=w.cast.school,
        school_year=2000,
        class_level=9,
        deadline=datetime.date(2001, 3, 1),
    )
    assert first.pk not in {e.pk for e in services_offered(w, fresh)}


def services_offered(w, plan):
    from transitions.selectors.education import offered_educations

    return offered_educations(plan.child.municipality_id)


def test_the_pupil_home_asks_for_wishes_until_they_are_written(client, login, w):
    plan = start(w)
    assert [t.kind for t in pupil_todos(pupil_home_plan(w.vera.pk))] == ["education_wishes"]
    login(client, w.vera_pupil, mfa=False)
    body = client.get(reverse("children:pupil_home")).content.decode()
    assert "Write your goals and wishes for education after school" in body
    ready(w, plan)
    assert pupil_todos(pupil_home_plan(w.vera.pk)) == []


def test_another_pupil_sees_no_plan(client, login, w):
    start(w)
    login(client, w.cast.freja_pupil, mfa=False)
    response = client.get(reverse("transitions:education_plan_pupil"))
    assert response.status_code == 200 and "has not been started yet" in response.content.decode()
    assert "Vera" not in response.content.decode()
    assert client.post(reverse("transitions:education_plan_pupil"), {"wish_1": 1}).status_code == 404


def test_a_pupil_login_cannot_open_the_parents_page_of_the_plan(client, login, w):
    plan = start(w)
    login(client, w.vera_pupil, mfa=False)
    assert client.get(plan_url(plan)).status_code == 404


# --- who sees it ----------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("anna", 200),
        ("karsten", 200),
        ("mikkel", 200),
        ("tove", 200),
        ("ulla", 200),
        ("dorte", 200),  # teaches at the same school
        ("otto", 404),  # teaches at another school
        ("bo", 404),
        ("carla", 404),
        ("sofie", 404),
        ("erik", 404),
        ("olga", 404),
    ],
)
def test_who_reads_the_plan_and_every_read_is_logged(client, login, w, who, status):
    plan = ready(w, start(w), guidance="MARK-guidance-secret")
    user = getattr(w, who, None) or getattr(w.cast, who)
    login(client, user)

    response = client.get(plan_url(plan))

    assert response.status_code == status
    assert ("MARK-guidance-secret" in response.content.decode()) is (status == 200)
    logged = AccessEvent.objects.filter(actor=user, subject="education_plan", action=AccessEvent.Action.VIEW)
    assert logged.count() == (1 if status == 200 else 0)


def test_the_staff_list_shows_only_pupils_the_person_serves(client, login, w):
    start(w)
    login(client, w.otto)
    body = client.get(reverse("transitions:education_plans")).content.decode()
    assert "Vera" not in body and "do not work with any pupil" in body
    login(client, w.cast.anna)
    assert client.get(reverse("transitions:education_plans")).status_code == 404


# --- meetings ------------------------------------------------------------------------------------------
def cafe(group, title, *, days, style=Meeting.Style.CAFE):
    starts = timezone.now() + datetime.timedelta(days=days)
    return Meeting.objects.create(
        kind="parent_meeting",
        style=style,
        institution=group.institution,
        group=group,
        title=title,
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=2),
    )


def test_the_plan_links_the_upcoming_cafe_meetings_of_its_class_level(client, login, w):
    plan = start(w)
    own = cafe(w.class_9a, "Uddannelsescafé", days=7)
    cafe(f.GroupFactory(institution=w.cast.school, name="9.B", school_year=9), "Café for 9.B", days=8)
    cafe(w.class_9a, "Almindeligt forældremøde", days=9, style=Meeting.Style.STANDARD)
    login(client, w.cast.anna)

    body = client.get(plan_url(plan)).content.decode()

    assert reverse("meetings:meeting_detail", args=[own.pk]) in body and "Café for 9.B" in body
    assert "Almindeligt forældremøde" not in body
    assert "https://www.optagelse.dk/" in body


# --- to-dos and notices ---------------------------------------------------------------------------------
def test_the_counsellor_has_a_to_do_until_the_guidance_is_written(w):
    plan = start(w)
    todos = guidance_todos(w.ulla)
    assert [(t.title, t.deadline) for t in todos] == [
        ("Write your guidance in Vera's education plan", plan.deadline)
    ]
    assert guidance_todos(w.tove) == []
    ready(w, plan)
    assert guidance_todos(w.ulla) == []


def test_custody_holders_have_a_to_do_until_the_deadline(w):
    plan = ready(w, start(w))
    assert [t.deadline for t in confirm_todos(w.karsten)] == [plan.deadline]
    assert confirm_todos(w.cast.mikkel) == []
    after = datetime.datetime.combine(
        plan.deadline + datetime.timedelta(days=1), datetime.time(12), tzinfo=COPENHAGEN
    )
    assert confirm_todos(w.karsten, now=after) == []


@pytest.mark.parametrize("language", ["da", "en"])
def test_every_notice_text_is_written_in_the_persons_language(w, language):
    for user in (w.cast.anna, w.karsten):
        user.language = language
        user.save(update_fields=["language"])
    plan = ready(w, start(w))
    services.education_plan_confirm(request=request_by(w.cast.anna), plan=plan, version=plan.version)
    services.education_plan_effort_save(request=request_by(w.tove), plan=plan, text="Mentor")

    notices = {n.key.rsplit("-", 1)[0]: n for n in Notification.objects.filter(user=w.cast.anna)}
    with translation.override(language):
        date = timezone.localdate().replace(year=plan.deadline.year, month=3, day=1)
        from django.utils.formats import date_format

        day = date_format(date, "DATE_FORMAT")
        expected = {
            f"education-plan-ready-{plan.pk}": (
                translation.gettext("%(name)s's education plan is ready for you to confirm")
                % {"name": "Vera"},
                translation.gettext(
                    "Read %(name)s's wishes and the counsellor's guidance, add your remarks if you like, and "
                    "confirm the plan by %(date)s. The application itself is made on Optagelse.dk."
                )
                % {"name": "Vera", "date": day},
            ),
            f"education-plan-changed-{plan.pk}-{plan.version + 1}": (
                translation.gettext("%(name)s's education plan has changed") % {"name": "Vera"},
                translation.gettext(
                    "The plan has changed since you confirmed it. Read it again and confirm it by %(date)s."
                )
                % {"name": "Vera", "date": day},
            ),
        }
    assert {k: (n.title, n.body) for k, n in notices.items()} == expected
    if language == "da":
        assert "uddannelsesplan" in notices[f"education-plan-ready-{plan.pk}"].title
    assert all(n.url == plan_url(plan) for n in notices.values())


# --- the municipality's list ----------------------------------------------------------------------------
def test_the_administrator_adds_renames_and_retires_youth_educations(client, login, cast):
    login(client, cast.erik)
    url = reverse("transitions:youth_educations")
    assert SEED_NAMES[3] in client.get(url).content.decode()

    assert client.post(url, {"name": "Epx"}).status_code == 302
    epx = YouthEducation.objects.get(municipality=cast.aarhus, name="Epx")
    assert epx.position == len(SEED_NAMES) + 1
    assert client.post(url, {"name": "Epx"}).status_code == 200  # a clear error for a name already there
    hf = YouthEducation.objects.get(municipality=cast.aarhus, name="Hf")
    response = client.post(
        reverse("transitions:youth_education_edit", args=[hf.pk]),
        {f"e{hf.pk}-name": "Hf (udfases)", f"e{hf.pk}-position": 4},
    )
    assert response.status_code == 302
    hf.refresh_from_db()
    assert (hf.name, hf.is_offered) == ("Hf (udfases)", False)


def test_another_municipality_cannot_edit_the_list(client, login, cast):
    services.youth_educations_ensure(municipality_id=cast.aarhus.pk)
    hf = YouthEducation.objects.get(municipality=cast.aarhus, name="Hf")
    login(client, cast.olga)
    response = client.post(
        reverse("transitions:youth_education_edit", args=[hf.pk]),
        {f"e{hf.pk}-name": "X", f"e{hf.pk}-position": 1},
    )
    assert response.status_code == 404
    assert YouthEducation.objects.get(pk=hf.pk).name == "Hf"
    assert "Hf" not in [
        e
        for e in client.get(reverse("transitions:youth_educations")).content.decode().split()
        if e == "Aarhus"
    ]


# --- constant queries -------------------------------------------------------------------------------
def _wish(plan, rank):
    education = YouthEducation.objects.create(municipality=plan.child.municipality, name=f"Uddannelse {rank}")
    EducationWish.objects.create(plan=plan, education=education, rank=rank)


@pytest.mark.parametrize("who", ["anna", "ulla", "vera_pupil"])
def test_the_plan_page_costs_the_same_with_1_and_25_wishes(client, login, w, who):
    plan = start(w)
    _wish(plan, 1)
    user = getattr(w, who, None) or getattr(w.cast, who)
    login(client, user, mfa=who != "vera_pupil")
    url = reverse("transitions:education_plan_pupil") if who == "vera_pupil" else plan_url(plan)

    def grow():
        for rank in range(2, 26):
            _wish(plan, rank)
            cafe(w.class_9a, f"Café {rank}", days=rank)

    expected = {"anna": 11, "ulla": 11, "vera_pupil": 11}[who]
    assert_exact_queries(client, url, expected, grow, lambda r: len(r.context["page"].wishes))


def test_the_staff_list_costs_the_same_with_1_and_25_pupils(client, login, w):
    start(w)
    login(client, w.ulla)

    def grow():
        for i in range(24):
            child = f.ChildFactory(municipality=w.cast.aarhus, first_name=f"Elev{i}")
            f.EnrollmentFactory(child=child, group=w.class_9a)
            f.EnrollmentFactory(child=child, group=w.caseload)
            f.GuardianshipFactory(child=child)
            if i % 2:
                services.education_plan_start(request=request_by(w.ulla), child=child)

    assert_exact_queries(
        client, reverse("transitions:education_plans"), 5, grow, lambda r: len(r.context["rows"])
    )


def test_the_homes_cost_the_same_with_1_and_25_plans_to_act_on(client, login, w):
    ready(w, start(w))
    login(client, w.karsten)

    def grow():
        for i in range(24):
            child = f.ChildFactory(municipality=w.cast.aarhus, first_name=f"Elev{i}")
            f.EnrollmentFactory(child=child, group=w.class_9a)
            f.EnrollmentFactory(child=child, group=w.caseload)
            f.GuardianshipFactory(child=child, user=w.karsten)
            plan = services.education_plan_start(request=request_by(w.ulla), child=child)
            if i % 2:
                ready(w, plan)

    assert_constant_queries(client, reverse("children:parent_home"), 28, grow)
    assert len(confirm_todos(w.karsten)) == 13  # the home's twelve and one more
    assert len(guidance_todos(w.ulla)) == 12


def test_the_pupil_is_told_clearly_when_the_deadline_has_passed(client, login, w):
    plan = start(w)
    EducationPlan.objects.filter(pk=plan.pk).update(
        deadline=timezone.localdate() - datetime.timedelta(days=1)
    )
    first = YouthEducation.objects.filter(municipality=w.cast.aarhus).first()
    login(client, w.vera_pupil, mfa=False)

    response = client.post(reverse("transitions:education_plan_pupil"), {"wish_1": first.pk})

    body = response.content.decode()
    assert response.status_code == 200 and "portal-error-summary" in body
    assert "The application deadline has passed, so the plan can no longer be changed." in body
    assert not EducationWish.objects.exists()
    assert pupil_todos(pupil_home_plan(w.vera.pk)) == []


def test_the_child_page_links_the_plans_for_everyone_who_sees_the_child(client, login, w):
    plan = start(w)
    for user in (w.cast.mikkel, w.tove):
        login(client, user)
        body = client.get(reverse("children:child_detail", args=[w.vera.pk])).content.decode()
        assert plan_url(plan) in body, user
