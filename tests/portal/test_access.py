"""The access rules of portal/access.py, person by person."""

import datetime

import pytest
from django.http import Http404
from django.utils import timezone

from children.policies import children_visible_to, get_child_for_user_or_404, groups_visible_to
from portal.access import children_served_by, roles_of
from portal.organisation.models import StaffMembership
from portal.organisation.policies import institutions_managed_by
from tests import factories as f

pytestmark = pytest.mark.django_db


def visible(user):
    return set(children_visible_to(user).values_list("first_name", flat=True))


def test_guardian_sees_only_own_children(cast):
    assert visible(cast.anna) == {"Emil"}
    assert visible(cast.bo) == {"Freja"}


def test_guardian_without_custody_keeps_right_to_information(cast):
    assert visible(cast.mikkel) == {"Emil"}


def test_withdrawn_right_to_information_hides_the_child(cast):
    cast.emil.guardianships.filter(user=cast.mikkel).update(information_withdrawn=True)
    assert visible(cast.mikkel) == set()


def test_ended_guardianship_hides_the_child(cast):
    cast.emil.guardianships.filter(user=cast.anna).update(ended_on=timezone.localdate())
    assert visible(cast.anna) == set()


def test_pedagogue_sees_whole_institution_but_writes_for_own_group(cast):
    assert visible(cast.carla) == {"Emil", "Ida"}
    assert set(children_served_by(cast.carla, writing=True).values_list("first_name", flat=True)) == {"Emil"}


def test_leader_writes_for_the_whole_institution(cast):
    assert set(children_served_by(cast.lene, writing=True).values_list("first_name", flat=True)) == {
        "Emil",
        "Ida",
    }


def test_health_visitor_sees_only_her_caseload(cast):
    other = f.GroupFactory(institution=cast.health, name="Sundhedspleje Øst")
    f.EnrollmentFactory(child=f.ChildFactory(municipality=cast.aarhus, first_name="Other"), group=other)
    assert visible(cast.sofie) == {"Baby"}


def test_teacher_does_not_see_daycare_children(cast):
    assert visible(cast.dorte) == {"Freja"}


def test_staff_lose_access_when_the_child_leaves(cast):
    cast.emil.enrollments.update(ended_on=timezone.localdate() - datetime.timedelta(days=1))
    assert "Emil" not in visible(cast.carla)


def test_staff_lose_access_when_membership_ends(cast):
    StaffMembership.objects.filter(user=cast.carla).update(ended_on=timezone.localdate())
    assert visible(cast.carla) == set()


def test_future_enrollment_gives_no_access_yet(cast):
    school_child = f.ChildFactory(municipality=cast.aarhus, first_name="Later")
    f.EnrollmentFactory(
        child=school_child, group=cast.class_1a, started_on=timezone.localdate() + datetime.timedelta(days=30)
    )
    assert "Later" not in visible(cast.dorte)


def test_administrators_see_no_child_records(cast):
    assert visible(cast.erik) == set()
    assert visible(cast.olga) == set()


def test_administrator_manages_only_own_municipality(cast):
    names = set(institutions_managed_by(cast.erik).values_list("name", flat=True))
    assert "Børnehuset Solsikken" in names and "Børnehaven Ved Søen" not in names
    assert set(institutions_managed_by(cast.olga).values_list("name", flat=True)) == {"Børnehaven Ved Søen"}


def test_leader_manages_only_own_institution(cast):
    assert set(institutions_managed_by(cast.lene).values_list("name", flat=True)) == {"Børnehuset Solsikken"}
    assert not institutions_managed_by(cast.carla).exists()


def test_outsider_gets_404_for_a_child(cast):
    with pytest.raises(Http404):
        get_child_for_user_or_404(cast.bo, cast.emil.pk)
    with pytest.raises(Http404):
        get_child_for_user_or_404(cast.bo, "not-a-number")


def test_groups_visible_to_staff(cast):
    assert set(groups_visible_to(cast.carla).values_list("name", flat=True)) == {"Mariehønen"}
    assert set(groups_visible_to(cast.lene).values_list("name", flat=True)) == {"Mariehønen", "Bien"}
    assert not groups_visible_to(cast.anna).exists()


def test_roles_are_read_in_one_query(cast, django_assert_num_queries):
    with django_assert_num_queries(1):
        roles = roles_of(cast.carla)
        roles_of(cast.carla)
    assert roles.staff and not roles.guardian and not roles.administrator and roles.needs_mfa
    assert not roles_of(cast.anna).needs_mfa
