"""The world of a parent network: Sofie, health visitor at Sundhedsplejen, with expecting families of her
caseload (Vest). Each family has a mother with custody; Rasmus, another health visitor, has a caseload
of his own (Øst) at the same place."""

from datetime import datetime, time, timedelta

from django.utils import timezone

from portal.organisation.models import StaffMembership
from tests import factories as f
from tests.conftest import enable_mfa
from tests.transitions.conftest import request_by
from transitions.services import networks as services


def expecting(cast, first_name, *, weeks_left=8, group=None, parent_first_name=None, born_days_ago=None):
    """A child of Sofie's caseload (or ``group``) expected in ``weeks_left`` weeks, or born
    ``born_days_ago`` days ago, with a mother with custody. Returns (child, mother)."""
    today = timezone.localdate()
    if born_days_ago is None:
        child = f.ChildFactory(
            municipality=cast.aarhus,
            first_name=first_name,
            last_name="Efternavnsen",
            birth_date=None,
            expected_on=today + timedelta(weeks=weeks_left),
        )
    else:
        child = f.ChildFactory(
            municipality=cast.aarhus,
            first_name=first_name,
            last_name="Efternavnsen",
            birth_date=today - timedelta(days=born_days_ago),
        )
    f.EnrollmentFactory(child=child, group=group or cast.caseload, started_on=today - timedelta(days=30))
    mother = f.UserFactory(
        first_name=parent_first_name or f"Mor{first_name}",
        last_name="Efternavnsen",
        email=f"{first_name.lower()}.mor@example.test",
    )
    f.GuardianshipFactory(child=child, user=mother)
    return child, mother


def rasmus(cast):
    """Another health visitor at Sundhedsplejen with his own caseload."""
    east = f.GroupFactory(institution=cast.health, name="Sundhedspleje Øst")
    user = enable_mfa(f.UserFactory(email="rasmus@example.test", first_name="Rasmus", last_name="Holt"))
    f.StaffMembershipFactory(
        user=user, institution=cast.health, role=StaffMembership.Role.HEALTH_VISITOR, groups=[east]
    )
    return user, east


def form_network(cast, children, *, name="Netværk Vest", by=None):
    by = by or cast.sofie
    return services.network_create(
        request=request_by(by),
        user=by,
        institution=cast.health,
        name=name,
        starts_on=timezone.localdate(),
        children=children,
    )


def meeting_time(days=14):
    day = timezone.localdate() + timedelta(days=days)
    starts = timezone.make_aware(datetime.combine(day, time(10, 0)))
    return starts, starts + timedelta(hours=1, minutes=30)


def plan_meeting(cast, network, *, days=14, title="Søvn og de første uger"):
    starts, ends = meeting_time(days)
    return services.network_meeting_plan(
        request=request_by(cast.sofie),
        user=cast.sofie,
        network=network,
        title=title,
        starts_at=starts,
        ends_at=ends,
        location="Sundhedshuset, lokale 2",
        agenda="Vi taler om søvn.",
    )
