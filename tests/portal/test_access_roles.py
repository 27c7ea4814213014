"""``roles_of`` is written as SQL for speed; here it is held to the managers that define each role."""

import datetime

import pytest
from django.utils import timezone

from children.models import Guardianship, PupilAccount
from portal.access import roles_of
from portal.organisation.models import MunicipalAdministrator, StaffMembership
from tests import factories as f

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)


def by_the_managers(user) -> tuple[bool, bool, bool, bool, bool]:
    memberships = StaffMembership.objects.active().filter(user=user)
    return (
        Guardianship.objects.with_information().filter(user=user).exists(),
        memberships.exists(),
        memberships.filter(role=StaffMembership.Role.LEADER).exists(),
        MunicipalAdministrator.objects.filter(user=user).exists(),
        PupilAccount.objects.active().filter(user=user).exists(),
    )


def fresh(user):
    return type(user).objects.get(pk=user.pk)  # nothing remembered from an earlier call


CASES = {
    "nobody": lambda u: None,
    "custody": lambda u: f.GuardianshipFactory(user=u),
    "information, no custody": lambda u: f.GuardianshipFactory(user=u, has_custody=False),
    "information withdrawn": lambda u: f.GuardianshipFactory(
        user=u, has_custody=False, information_withdrawn=True
    ),
    "custody, information withdrawn": lambda u: f.GuardianshipFactory(user=u, information_withdrawn=True),
    "guardianship ended": lambda u: f.GuardianshipFactory(user=u, ended_on=TODAY - DAY),
    "staff": lambda u: f.StaffMembershipFactory(user=u),
    "staff ends today": lambda u: f.StaffMembershipFactory(user=u, ended_on=TODAY),
    "staff ends tomorrow": lambda u: f.StaffMembershipFactory(user=u, ended_on=TODAY + DAY),
    "staff starts tomorrow": lambda u: f.StaffMembershipFactory(user=u, started_on=TODAY + DAY),
    "staff starts today": lambda u: f.StaffMembershipFactory(user=u, started_on=TODAY),
    "leader": lambda u: f.StaffMembershipFactory(user=u, role=StaffMembership.Role.LEADER),
    "leader ended": lambda u: f.StaffMembershipFactory(
        user=u, role=StaffMembership.Role.LEADER, ended_on=TODAY - DAY
    ),
    "administrator": lambda u: f.AdministratorFactory(user=u),
    "pupil": lambda u: PupilAccount.objects.create(user=u, child=f.ChildFactory()),
    "pupil login revoked": lambda u: PupilAccount.objects.create(
        user=u, child=f.ChildFactory(), revoked_at=timezone.now()
    ),
}


@pytest.mark.parametrize("case", CASES)
def test_roles_of_says_what_the_managers_say(case):
    user = f.UserFactory()
    CASES[case](user)
    roles = roles_of(fresh(user))
    assert (roles.guardian, roles.staff, roles.leader, roles.administrator, roles.pupil) == by_the_managers(
        user
    )


def test_the_cases_cover_every_answer():
    """Each role is both held and not held somewhere above, so a wrong rule fails a case."""
    seen = set()
    for make in CASES.values():
        user = f.UserFactory()
        make(user)
        seen.update(enumerate(by_the_managers(user)))
    assert seen == {(i, flag) for i in range(5) for flag in (True, False)}


def test_roles_of_two_people_do_not_mix():
    parent, leader = f.UserFactory(), f.UserFactory()
    f.GuardianshipFactory(user=parent)
    f.StaffMembershipFactory(user=leader, role=StaffMembership.Role.LEADER)
    assert roles_of(fresh(parent)).guardian and not roles_of(fresh(parent)).staff
    assert roles_of(fresh(leader)).leader and not roles_of(fresh(leader)).guardian


def test_access_scopes_are_read_once_per_request_and_not_at_all_without_the_role(
    cast, django_assert_num_queries
):
    from children.policies import children_visible_to, groups_visible_to

    carla, anna = fresh(cast.carla), fresh(cast.anna)
    roles_of(carla), roles_of(anna)  # read by the middleware on every request
    with django_assert_num_queries(2):  # the scope once, then the groups
        list(groups_visible_to(carla))
        groups_visible_to(carla)
    with django_assert_num_queries(2):  # the guardian's children once, then the children
        list(children_visible_to(anna))
        children_visible_to(anna)
    with django_assert_num_queries(0):  # Anna is no staff: no scope to read, nothing to look for
        assert list(groups_visible_to(anna)) == []
