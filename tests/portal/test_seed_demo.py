"""seed_demo and demo_totp: the demo personas, idempotency, determinism and the benchmark's shapes."""

import io
import random
import time
from datetime import date, timedelta

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.db.models import Count, F
from django.utils import timezone

from children.models import Child, Enrollment, Guardianship, LearningGoal
from portal.access import children_served_by, is_guardian_of, serves_child
from portal.accounts.models import User
from portal.demo.common import grade_of, life_course
from portal.demo.personas import DEMO_PASSWORD, PERSONAS, current_totp_code, mfa_personas
from portal.organisation.models import (
    Group,
    Institution,
    MunicipalAdministrator,
    Municipality,
    StaffMembership,
)

pytestmark = pytest.mark.django_db

ALL_MODELS = (
    User, EmailAddress, Authenticator, Municipality, Institution, Group, StaffMembership,
    StaffMembership.groups.through, MunicipalAdministrator, Child, Guardianship, Enrollment, LearningGoal,
)  # fmt: skip


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def seed_demo(*args):
    out = io.StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def row_counts():
    return {model._meta.label: model.objects.count() for model in ALL_MODELS}


def persona(key):
    return User.objects.get(email=PERSONAS[key].email)


def seeded_children(*args):
    """The children a seed produces, leaving the database as it was."""
    with transaction.atomic():
        seed_demo(*args)
        children = list(Child.objects.order_by("pk").values_list("first_name", "last_name", "birth_date"))
        transaction.set_rollback(True)
    return children


@pytest.fixture
def small_demo():
    seed_demo()
    return {
        "aarhus": Municipality.objects.get(code="751"),
        "skanderborg": Municipality.objects.get(code="746"),
        "emil": Child.objects.get(first_name="Emil", last_name="Jensen"),
        "freja": Child.objects.get(first_name="Freja", last_name="Nielsen"),
        "expected": Child.objects.get(birth_date__isnull=True),
    }


def test_life_course_moves_a_child_from_health_visiting_through_nursery_to_kindergarten():
    today = date(2026, 11, 26)
    phases = life_course(random.Random(1), birth_date=date(2022, 5, 26), today=today)

    assert [(p.stage, p.ended_on is None) for p in phases] == [
        ("health_visiting", False),
        ("nursery", False),
        ("kindergarten", True),
    ]
    assert phases[1].ended_on < phases[2].started_on


def test_seed_demo_small_gives_the_personas_their_promised_relations(small_demo):
    emil, freja, expected = small_demo["emil"], small_demo["freja"], small_demo["expected"]
    anna, mikkel, bo = persona("anna"), persona("mikkel"), persona("bo")

    assert Guardianship.objects.get(child=emil, user=anna).has_custody
    assert not Guardianship.objects.get(child=emil, user=mikkel).has_custody
    assert Guardianship.objects.filter(has_custody=False).get().user == mikkel  # the only one without custody
    assert Guardianship.objects.get(child=freja, user=bo).has_custody
    assert is_guardian_of(mikkel, emil) and not is_guardian_of(bo, emil) and not is_guardian_of(anna, freja)

    emil_now = Enrollment.objects.current().get(child=emil)
    assert (emil_now.institution.name, emil_now.group.name) == ("Børnehuset Solsikken", "Mariehønen")
    assert emil_now.institution.kind == Institution.Kind.INTEGRATED
    assert Enrollment.objects.filter(child=emil, ended_on__lt=emil_now.started_on).count() >= 2  # his history
    assert set(
        Enrollment.objects.current().filter(child=freja).values_list("institution__name", "group__name")
    ) == {
        ("Skovvangskolen", "1.A"),
        ("SFO Skovvangen", "Indskolingen"),
    }

    carla = StaffMembership.objects.get(user=persona("carla"))
    assert (carla.institution, carla.role, carla.is_contact) == (emil_now.institution, "pedagogue", True)
    assert list(carla.groups.all()) == [emil_now.group]
    lene = StaffMembership.objects.get(user=persona("lene"))
    assert (lene.institution, lene.role) == (emil_now.institution, "leader")
    dorte = StaffMembership.objects.get(user=persona("dorte"))
    assert (dorte.institution.name, dorte.role) == ("Skovvangskolen", "teacher")
    assert sorted(dorte.groups.values_list("name", flat=True)) == ["0.A", "1.A"]
    sofie = StaffMembership.objects.get(user=persona("sofie"))
    assert (sofie.institution.kind, sofie.role) == (Institution.Kind.HEALTH_VISITING, "health_visitor")
    assert list(sofie.groups.values_list("name", flat=True)) == ["Sundhedspleje Vest"]
    assert expected.expected_on > timezone.localdate()
    assert Enrollment.objects.current().get(child=expected).group == sofie.groups.get()

    assert list(
        MunicipalAdministrator.objects.filter(user=persona("erik")).values_list("municipality__code")
    ) == [("751",)]
    assert list(
        MunicipalAdministrator.objects.filter(user=persona("frida")).values_list("municipality__code")
    ) == [("746",)]

    assert serves_child(persona("carla"), emil) and not serves_child(persona("carla"), freja)
    assert expected in children_served_by(persona("sofie"))
    assert emil not in children_served_by(persona("sofie"))  # his health visiting has ended
    assert (
        LearningGoal.objects.filter(child=emil, created_by=persona("carla"))
        .exclude(home_activity="")
        .exists()
    )


def test_seed_demo_small_has_a_realistic_municipality_and_a_neighbour(small_demo):
    aarhus, skanderborg = small_demo["aarhus"], small_demo["skanderborg"]

    assert 40 <= Child.objects.filter(municipality=aarhus).count() <= 60
    kinds = set(Institution.objects.filter(municipality=aarhus).values_list("kind", flat=True))
    assert kinds >= {
        "health_visiting",
        "childminding",
        "integrated",
        "kindergarten",
        "school",
        "after_school",
    }
    assert "youth_guidance" in kinds
    assert Group.objects.filter(institution__name="Skovvangskolen", name="2.A", school_year=2).exists()
    skanderborg_children = Child.objects.filter(municipality=skanderborg)
    assert skanderborg_children.count() >= 2
    assert not skanderborg_children.filter(guardianships__isnull=True).exists()
    assert not Child.objects.annotate(n=Count("guardianships")).filter(n__gt=2).exists()  # one or two each
    assert Enrollment.objects.filter(ended_on__isnull=False).count() > Child.objects.count()
    assert not Enrollment.objects.exclude(institution__municipality=F("child__municipality")).exists()
    assert not children_served_by(persona("carla")).filter(municipality=skanderborg).exists()


def test_seed_demo_small_personas_can_sign_in(small_demo):
    for key, p in PERSONAS.items():
        user = persona(key)
        assert user.check_password(DEMO_PASSWORD), key
        assert (user.first_name, user.last_name, user.language) == (p.first_name, p.last_name, "da")
        assert EmailAddress.objects.filter(user=user, email=p.email, verified=True, primary=True).exists()
    # Generated people cannot sign in with a password.
    assert not User.objects.get(email__startswith="maja.nielsen").has_usable_password()


def test_seed_demo_small_twice_changes_nothing(small_demo):
    before = row_counts()

    output = seed_demo()

    assert "already loaded" in output
    assert "anna@demo.test" in output and "demo_totp" in output
    assert row_counts() == before


def test_seed_demo_small_same_seed_gives_the_same_children():
    first = seeded_children("--seed", "7")

    assert first == seeded_children("--seed", "7")
    assert [c[:2] for c in first] != [c[:2] for c in seeded_children("--seed", "8")]
    assert Child.objects.count() == 0


# Easter Sundays, for the holidays around them (Maundy Thursday to Easter Monday).
EASTER = {
    2025: date(2025, 4, 20), 2026: date(2026, 4, 5), 2027: date(2027, 3, 28),
    2028: date(2028, 4, 16), 2029: date(2029, 4, 1), 2030: date(2030, 4, 21),
}  # fmt: skip


def _coming(month: int, day: int) -> date:
    """That day this year, or next year once it has passed."""
    today = timezone.localdate()
    this_year = date(today.year, month, day)
    return this_year if this_year >= today else date(today.year + 1, month, day)


def _no_meeting_days(year: int) -> set[date]:
    easter = EASTER[year]
    return {
        date(year, 1, 1), date(year, 12, 24), date(year, 12, 25), date(year, 12, 26), date(year, 12, 31),
        date(year + 1, 1, 1), *(easter + timedelta(days=n) for n in (-3, -2, 0, 1)),
    }  # fmt: skip


@pytest.mark.parametrize(
    "today",
    [
        _coming(12, 4),  # the café three weeks later would be on Christmas Day
        _coming(12, 14),  # the conversations ten days later on Christmas Eve
        _coming(12, 20),  # the parent–teacher conferences on New Year's Day
        _coming(3, 23),  # around Easter in some years
    ],
    ids=str,
)
def test_seed_demo_small_on_a_date_near_the_holidays_puts_no_meeting_on_a_holiday(today):
    from portal.meetings.models import Meeting, Slot

    seed_demo("--today", today.isoformat())
    closed = _no_meeting_days(today.year) | _no_meeting_days(today.year - 1)
    days = [timezone.localdate(m.starts_at) for m in Meeting.objects.all()]
    days += [timezone.localdate(s.starts_at) for s in Slot.objects.all()]
    assert days and not [d for d in days if d.weekday() >= 5 or d in closed]
    cafe = Meeting.objects.get(style=Meeting.Style.CAFE)
    cafe_day = timezone.localdate(cafe.starts_at)
    assert 21 <= (cafe_day - today).days <= 35  # the seeding followed the given today
    if cafe_day.month in (10, 11, 12, 1, 2, 3):
        assert "sommer" not in cafe.agenda.lower()
    if cafe_day.month == 12:
        assert "jul" in cafe.agenda.lower()


def test_persona_totp_secrets_validate_with_allauth(small_demo):
    for p in mfa_personas():
        authenticator = Authenticator.objects.get(user=persona(p.key), type=Authenticator.Type.TOTP)
        code = current_totp_code(p.totp_secret)
        wrong = f"{(int(code) + 1) % 1_000_000:06d}"
        assert not authenticator.wrap().validate_code(wrong), p.key
        assert authenticator.wrap().validate_code(code), p.key
        assert Authenticator.objects.filter(
            user=persona(p.key), type=Authenticator.Type.RECOVERY_CODES
        ).exists()
    assert {p.key for p in mfa_personas()} == {"carla", "lene", "dorte", "sofie", "erik", "frida"}
    assert not Authenticator.objects.filter(user__email__in=["anna@demo.test", "bo@demo.test"]).exists()


def test_demo_totp_prints_the_current_code():
    secret = PERSONAS["carla"].totp_secret
    before = current_totp_code(secret)
    out = io.StringIO()

    call_command("demo_totp", "carla@demo.test", stdout=out)

    assert out.getvalue().startswith("carla@demo.test")
    assert before in out.getvalue() or current_totp_code(secret) in out.getvalue()  # the window may turn
    assert "s left" in out.getvalue()


def test_current_totp_code_follows_the_thirty_second_window():
    secret = PERSONAS["erik"].totp_secret
    start = (int(time.time()) // 30) * 30

    assert current_totp_code(secret, at=start) == current_totp_code(secret, at=start + 29)
    assert current_totp_code(secret, at=start) != current_totp_code(secret, at=start + 30)
    assert len(current_totp_code(secret)) == 6


def test_demo_totp_refuses_a_login_without_mfa():
    with pytest.raises(CommandError, match="not a demo login with MFA"):
        call_command("demo_totp", "anna@demo.test", stdout=io.StringIO())


def test_seed_demo_refuses_production(settings):
    settings.PRODUCTION = True

    with pytest.raises(CommandError, match="production"):
        seed_demo()

    assert not Municipality.objects.exists()


def test_seed_demo_municipality_scaled_down_has_the_benchmark_shapes():
    output = seed_demo("--scale", "municipality", "--children", "400")

    assert "Loaded the municipality demo" in output
    municipalities = {m.code: m for m in Municipality.objects.all()}
    assert set(municipalities) == {"751", "710", "727"}
    aarhus = municipalities["751"]
    counts = dict(Child.objects.values_list("municipality__code").annotate(n=Count("pk")))
    assert counts["751"] == 400 and counts["710"] >= 20 and counts["727"] >= 20
    aarhus_guardians = User.objects.filter(guardianships__child__municipality=aarhus).distinct().count()
    assert 1.6 <= aarhus_guardians / 400 <= 2.0
    staff = User.objects.filter(staff_memberships__institution__municipality=aarhus).distinct().count()
    assert 0.05 <= staff / 400 <= 0.4
    assert Guardianship.objects.values("user").annotate(n=Count("child")).filter(n=4).exists()
    assert Child.objects.filter(birth_date__isnull=True, expected_on__isnull=False).exists()
    assert set(Institution.objects.filter(municipality=aarhus).values_list("kind", flat=True)) == set(
        Institution.Kind.values
    )
    assert MunicipalAdministrator.objects.filter(municipality=aarhus).exists()
    assert not User.objects.exclude(password="!").exists()  # no password hashing, and no way in

    # Enrollment histories: everyone has one, with ended and current places, and pupils in their own class.
    assert not Child.objects.filter(enrollments__isnull=True).exists()
    assert Enrollment.objects.filter(ended_on__isnull=True).exists()
    assert Enrollment.objects.filter(ended_on__lt=timezone.localdate()).exists()
    today = timezone.localdate()
    pupils = (
        Enrollment.objects.current().filter(group__school_year__isnull=False).select_related("child", "group")
    )
    assert pupils.exists()
    assert all(e.group.school_year == grade_of(e.child.birth_date, today) for e in pupils)
    assert not Enrollment.objects.exclude(group__institution=F("institution")).exists()

    # Nothing crosses a municipal border.
    assert not Enrollment.objects.exclude(institution__municipality=F("child__municipality")).exists()
    guardians_in = Guardianship.objects.values("user").annotate(n=Count("child__municipality", distinct=True))
    assert not guardians_in.filter(n__gt=1).exists()
    staff_in = StaffMembership.objects.values("user").annotate(
        n=Count("institution__municipality", distinct=True)
    )
    assert not staff_in.filter(n__gt=1).exists()
    assert not StaffMembership.groups.through.objects.exclude(
        group__institution=F("staffmembership__institution")
    ).exists()

    before = row_counts()
    assert "already loaded" in seed_demo("--scale", "municipality", "--children", "400")
    assert row_counts() == before
    with pytest.raises(CommandError, match="751"):
        seed_demo()  # the small demo would mix its personas into the benchmark's Aarhus


def test_seed_demo_small_shows_some_names_in_emils_group(small_demo):
    from portal.community.selectors import group_names

    (mariehonen,) = group_names(small_demo["emil"])
    names = [shown.first_name for shown in mariehonen.names]
    assert names and "Emil" not in names and mariehonen.hidden >= 1
