"""The pupil's own login and voice: codes from the teacher, the "I'm a pupil" sign-up, what a pupil sees
and writes, what parents and staff read of it, notices, ending a login, and the query budgets."""

import re
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse
from django.utils import timezone

from children.models import FocusPoint, PupilAccount, PupilCode, PupilMessage, PupilReflection
from children.services.pupils import normal_code
from portal.accounts.models import User, hash_token
from portal.audit.models import AccessEvent
from portal.meetings.models import Notification
from tests import factories as f
from tests.queries import assert_exact_queries

pytestmark = pytest.mark.django_db

PASSWORD = "en-lang-og-sikker-adgang"


def _focus_point(plan, title="Læse længere tekster"):
    return FocusPoint.objects.create(
        plan=plan,
        area=FocusPoint.Area.DANISH,
        title=title,
        school_effort="Læsebånd hver morgen.",
        home_support="Læs 20 minutter hver aften.",
    )


@pytest.fixture
def plan(cast):
    """Freja's pupil plan at the school, published with one focus point."""
    goal = f.LearningGoalFactory(child=cast.freja, institution=cast.school, created_by=cast.dorte)
    point = _focus_point(goal.plan)
    f.publish_plan(goal.plan, by=cast.dorte)
    goal.plan.refresh_from_db()
    goal.plan.point = point
    return goal.plan


def _code_from(response) -> str:
    match = re.search(r'class="portal-code">([A-Z0-9]{4}-[A-Z0-9]{4})<', response.content.decode())
    assert match, response.content.decode()[:3000]
    return match.group(1)


def _signup(client, code, email="freja.ny@example.test", password=PASSWORD):
    return client.post(
        reverse("children:pupil_signup"),
        {"code": code, "email": email, "password1": password, "password2": password},
    )


def test_the_teacher_gives_a_code_and_the_pupil_makes_a_login_with_it(client, cast, login, plan):
    login(client, cast.dorte)
    url = reverse("children:pupil_login", args=[cast.freja.pupil_accounts.get().child_id])
    response = client.post(url)
    code = _code_from(response)
    stored = PupilCode.objects.get(child=cast.freja)
    assert stored.code_hash == hash_token(normal_code(code)) and code not in str(stored.__dict__)
    assert AccessEvent.objects.filter(subject="pupil_code", child=cast.freja, actor=cast.dorte).exists()

    pupil = client.__class__()
    response = _signup(pupil, code.lower().replace("-", " "))  # as typed: any case, a space for the dash
    assert response.status_code == 302 and response["Location"] == reverse("children:pupil_home")
    user = User.objects.get(email="freja.ny@example.test")
    assert user.check_password(PASSWORD) and not user.notify_by_email
    assert not EmailAddress.objects.get(user=user).verified  # allauth confirms it at the next login
    account = PupilAccount.objects.active().get(child=cast.freja)
    assert account.user == user
    # The earlier login (the cast's) ends with the new one: one pupil login per child.
    assert PupilAccount.objects.get(user=cast.freja_pupil).revoked_at is not None
    assert pupil.get(reverse("children:pupil_home")).status_code == 200
    assert AccessEvent.objects.filter(subject="pupil_account", child=cast.freja, actor=user).exists()

    # The code works once.
    again = client.__class__()
    before = User.objects.count()
    response = _signup(again, code, email="another@example.test")
    assert response.status_code == 200 and "Bed din lærer om en ny kode" in response.content.decode()
    assert User.objects.count() == before


def test_an_expired_or_unknown_code_or_a_taken_address_is_refused_and_nothing_is_written(client, cast):
    PupilCode.objects.create(
        child=cast.freja,
        code_hash=hash_token("OLDCODE2"),
        expires_at=timezone.now() - timedelta(minutes=1),
    )
    PupilCode.objects.create(
        child=cast.freja, code_hash=hash_token("GOODCODE"), expires_at=timezone.now() + timedelta(days=1)
    )
    users, accounts = User.objects.count(), PupilAccount.objects.count()
    for code, email, field in [
        ("OLDC-ODE2", "ny@example.test", "code"),
        ("NOPE-NOPE", "ny@example.test", "code"),
        ("GOOD-CODE", "bo@example.test", "email"),  # Bo's address: never joined to a pupil login
        ("GOOD-CODE", "ny@example.test", "password1"),  # too short a password (below)
    ]:
        password = "kort" if field == "password1" else PASSWORD
        response = _signup(client, code, email=email, password=password)
        assert response.status_code == 200, code
        assert response.context["form"].errors.get(field), (code, response.context["form"].errors)
    assert (User.objects.count(), PupilAccount.objects.count()) == (users, accounts)
    assert PupilCode.objects.get(code_hash=hash_token("GOODCODE")).used_at is None


def test_only_the_teacher_and_the_school_leader_manage_a_pupil_login(client, cast, login):
    leader = f.UserFactory()
    f.StaffMembershipFactory(user=leader, institution=cast.school, role="leader")
    from tests.conftest import enable_mfa

    enable_mfa(leader)
    url = reverse("children:pupil_login", args=[cast.freja.pk])
    for person, status in [(cast.dorte, 200), (leader, 200), (cast.lene, 404), (cast.bo, 404)]:
        login(client, person, mfa=person != cast.bo)
        assert client.get(url).status_code == status, person
    # A daycare child has no pupil login, whoever writes for them.
    login(client, cast.carla)
    assert client.get(reverse("children:pupil_login", args=[cast.emil.pk])).status_code == 404
    # Bo cannot give or end his daughter's login.
    login(client, cast.bo, mfa=False)
    assert client.post(url).status_code == 404
    assert client.post(reverse("children:pupil_login_revoke", args=[cast.freja.pk])).status_code == 404
    assert PupilAccount.objects.active().filter(child=cast.freja).exists()
    assert not PupilCode.objects.exists()


def test_staff_see_whether_the_pupil_has_a_login_and_end_it_at_once(client, cast, login, plan):
    pupil = client.__class__()
    login(pupil, cast.freja_pupil, mfa=False)
    assert pupil.get(reverse("children:pupil_home")).status_code == 200

    login(client, cast.dorte)
    page = client.get(reverse("children:pupil_login", args=[cast.freja.pk])).content.decode()
    assert "Freja har et login" in page
    response = client.post(reverse("children:pupil_login_revoke", args=[cast.freja.pk]))
    assert response.status_code == 302
    assert PupilAccount.objects.get(user=cast.freja_pupil).revoked_at is not None
    # The pupil's open session sees nothing any more.
    assert pupil.get(reverse("children:pupil_home")).status_code == 404
    assert pupil.get(reverse("children:plan_detail", args=[plan.pk])).status_code == 404
    page = client.get(reverse("children:pupil_login", args=[cast.freja.pk])).content.decode()
    assert "Freja har ikke noget login" in page


def test_the_pupil_reads_the_published_plan_and_nothing_of_the_draft(client, cast, login, plan):
    _focus_point(plan, title="Kun i kladden")
    login(client, cast.freja_pupil, mfa=False)
    assert client.get(reverse("home"))["Location"] == reverse("children:pupil_home")
    response = client.get(reverse("children:pupil_home"))
    body = response.content.decode()
    assert "Læse længere tekster" in body and "Kun i kladden" not in body
    assert AccessEvent.objects.filter(subject="pupil_plan", child=cast.freja, actor=cast.freja_pupil).exists()
    # The menu fits a pupil: their plan, no messages, nothing of the parents' or staff's.
    assert "Min plan" in body and f'href="{reverse("meetings:notifications")}"' not in body
    assert reverse("children:parent_home") not in body


def test_a_pupil_opens_nothing_but_their_own_pages(client, cast, login, plan):
    login(client, cast.freja_pupil, mfa=False)
    for url in [
        reverse("children:plan_detail", args=[plan.pk]),  # even their own plan's family page
        reverse("children:child_detail", args=[cast.freja.pk]),
        reverse("children:child_detail", args=[cast.emil.pk]),
        reverse("children:parent_home"),
        reverse("children:pupil_login", args=[cast.freja.pk]),
        reverse("meetings:notifications"),
        reverse("meetings:my_meetings"),
        reverse("expectations:charter"),
    ]:
        assert client.get(url).status_code == 404, url


def test_a_pupil_of_another_class_never_sees_freja(client, cast, login, plan):
    class_2b = f.GroupFactory(institution=cast.school, name="2.B", school_year=2)
    oskar = f.ChildFactory(municipality=cast.aarhus, first_name="Oskar", last_name="Holm")
    f.EnrollmentFactory(child=oskar, group=class_2b)
    user = f.UserFactory(email="oskar.pupil@example.test", first_name="Oskar", last_name="Holm")
    PupilAccount.objects.create(user=user, child=oskar)
    login(client, user, mfa=False)
    body = client.get(reverse("children:pupil_home")).content.decode()
    assert "Freja" not in body and "Læse længere tekster" not in body
    assert "ikke gjort din plan klar" in body  # Oskar has no published plan
    # Writing on Freja's focus point from Oskar's login: refused, nothing written.
    response = client.post(
        reverse("children:pupil_reflection_create"), {"focus_point": plan.point.pk, "text": "Hej"}
    )
    assert response.status_code == 404
    assert not PupilReflection.objects.exists()


def test_reflections_are_kept_and_the_new_plan_to_do_goes_once_the_pupil_has_written(
    client, cast, login, plan
):
    login(client, cast.freja_pupil, mfa=False)
    url = reverse("children:pupil_home")
    assert [t.kind for t in client.get(url).context["todos"]] == ["pupil_reflection"]
    for text in ("Det er svært at læse lange tekster.", "Nu går det bedre."):
        response = client.post(
            reverse("children:pupil_reflection_create"), {"focus_point": plan.point.pk, "text": text}
        )
        assert response.status_code == 302
    assert list(PupilReflection.objects.values_list("text", flat=True)) == [
        "Det er svært at læse lange tekster.",
        "Nu går det bedre.",
    ]
    assert client.get(url).context["todos"] == []
    # A new version brings the to-do back.
    plan.point.title = "Læse og fortælle"
    plan.point.save()
    f.publish_plan(plan, by=cast.dorte)
    assert [t.kind for t in client.get(url).context["todos"]] == ["pupil_reflection"]
    # An empty or too long reflection is refused with a message, nothing written.
    for text in ("   ", "x" * 1001):
        response = client.post(
            reverse("children:pupil_reflection_create"), {"focus_point": plan.point.pk, "text": text}
        )
        assert response.status_code == 200 and response.context["reflection_form"].errors
    assert PupilReflection.objects.count() == 2


def test_the_message_reaches_the_parents_and_they_and_staff_read_it_on_the_plan(
    client, cast, login, plan, django_capture_on_commit_callbacks
):
    # Freja's mother, without custody, keeps the right to information.
    mother = f.UserFactory(email="mor@example.test", first_name="Mette", last_name="Nielsen")
    f.GuardianshipFactory(child=cast.freja, user=mother, relation="mother", has_custody=False)
    login(client, cast.freja_pupil, mfa=False)
    client.post(
        reverse("children:pupil_reflection_create"), {"focus_point": plan.point.pk, "text": "Jeg øver"}
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("children:pupil_message_create"), {"text": "Læs med mig 10 minutter hver aften."}
        )
    assert response.status_code == 302
    notices = Notification.objects.filter(key__startswith="pupil-message-")
    assert sorted(n.user.email for n in notices) == ["bo@example.test", "mor@example.test"]
    assert all("Freja har skrevet til jer" in n.title for n in notices)
    assert AccessEvent.objects.filter(subject="pupil_message", actor=cast.freja_pupil).exists()

    for person, mfa in [(cast.bo, False), (mother, False), (cast.dorte, True)]:
        reader = client.__class__()
        login(reader, person, mfa=mfa)
        body = reader.get(reverse("children:plan_detail", args=[plan.pk])).content.decode()
        assert "Læs med mig 10 minutter hver aften." in body and "Jeg øver" in body, person
        # Nobody writes as the pupil.
        response = reader.post(reverse("children:pupil_message_create"), {"text": "Skrevet af en voksen"})
        assert response.status_code == 404, person
    assert PupilMessage.objects.count() == 1
    # Emil's family never reads it.
    login(client, cast.anna, mfa=False)
    assert client.get(reverse("children:plan_detail", args=[plan.pk])).status_code == 404


def test_pupil_home_costs_the_same_with_1_and_25_focus_points(client, cast, login, plan):
    PupilReflection.objects.create(plan=plan, focus_point=plan.point, author_name="Freja", text="a")
    PupilMessage.objects.create(plan=plan, author_name="Freja", text="b")
    login(client, cast.freja_pupil, mfa=False)

    def grow():
        for i in range(24):
            point = _focus_point(plan, title=f"Punkt {i}")
            PupilReflection.objects.create(plan=plan, focus_point=point, author_name="Freja", text="c")
            PupilMessage.objects.create(plan=plan, author_name="Freja", text="d")
        f.publish_plan(plan)

    shown = lambda r: sum(e.kind == "focus_point" for e in r.context["page"].entries)  # noqa: E731
    assert_exact_queries(client, reverse("children:pupil_home"), 9, grow, shown)


@pytest.mark.parametrize(("person", "queries"), [("dorte", 19), ("bo", 14)])
def test_pupil_plan_page_costs_the_same_with_1_and_25_reflections(client, cast, login, plan, person, queries):
    PupilReflection.objects.create(plan=plan, focus_point=plan.point, author_name="Freja", text="a")
    login(client, getattr(cast, person), mfa=person == "dorte")

    def grow():
        for i in range(24):
            point = _focus_point(plan, title=f"Punkt {i}")
            PupilReflection.objects.create(plan=plan, focus_point=point, author_name="Freja", text="c")
            PupilMessage.objects.create(plan=plan, author_name="Freja", text="d")
        f.publish_plan(plan)

    shown = lambda r: sum(len(e.reflections) for e in r.context["entries"])  # noqa: E731
    assert_exact_queries(client, reverse("children:plan_detail", args=[plan.pk]), queries, grow, shown)
