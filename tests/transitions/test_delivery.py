"""Handovers are sent in batches, exactly once: one claim for the batch, and a fixed number of statements
whatever its size, the notices to the receiving staff and the parents included."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from children.models import Enrollment, Guardianship
from portal.meetings.models import Notification
from tests import factories as f
from tests.transitions.conftest import request_by, school_start
from transitions import services, tasks
from transitions.models import Handover, HandoverConsent, HandoverSection, Transition


def _cohort(cast, n: int) -> list[int]:
    """``n`` children of Mariehønen, each with a custody holder and a place at the school, their
    handovers written (strengths, with the parent's yes) and asked to be sent. Returns their ids."""
    for i in range(n):
        child = f.ChildFactory(
            municipality=cast.aarhus, first_name=f"Barn{i}", birth_date=cast.emil.birth_date
        )
        f.EnrollmentFactory(child=child, group=cast.mariehonen)
        f.EnrollmentFactory(child=child, group=cast.class_1a, started_on=school_start())
        f.GuardianshipFactory(child=child, user=f.UserFactory())
    children = Enrollment.objects.current().filter(
        group=cast.mariehonen, child__first_name__startswith="Barn"
    )
    made = services.transitions_create_for_cohort(
        request=request_by(cast.lene),
        enrollments=children,
        kind=Transition.Kind.DAYCARE_TO_SCHOOL,
        receiving_institution=cast.school,
        receiving_group=cast.class_1a,
        planned_on=school_start(),
    )
    assert made == n
    handovers = Handover.objects.filter(
        transition__child__first_name__startswith="Barn", sent_at__isnull=True
    )
    HandoverSection.objects.filter(handover__in=handovers, kind=HandoverSection.Kind.STRENGTHS).update(
        text="Bygger huler"
    )
    ids = list(handovers.values_list("pk", flat=True))
    HandoverConsent.objects.bulk_create(
        HandoverConsent(section=section, user_id=user_id, recipient=cast.school)
        for section in HandoverSection.objects.filter(
            handover_id__in=ids, kind=HandoverSection.Kind.STRENGTHS
        )
        for user_id in Guardianship.objects.filter(child=section.handover.transition.child).values_list(
            "user_id", flat=True
        )
    )
    Handover.objects.filter(pk__in=ids).update(send_requested_at=timezone.now())
    return ids


def _sent_in(ids) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert tasks.handovers_send(ids) == len(ids)
    return len(captured)


def test_a_batch_costs_the_same_statements_with_1_and_25_handovers(cast):
    one = _sent_in(_cohort(cast, 1))
    Notification.objects.all().delete()
    many = _sent_in(_cohort(cast, 25)[:25])
    assert one == many, (one, many)


def test_each_handover_is_sent_once_however_often_its_batch_runs(cast):
    ids = _cohort(cast, 4)
    assert services.handovers_deliver(handover_ids=ids[:2]) == sorted(ids[:2])
    assert services.handovers_deliver(handover_ids=ids) == sorted(ids[2:])  # overlapping: only the new
    assert services.handovers_deliver(handover_ids=ids) == []
    assert Transition.objects.filter(handover__pk__in=ids, status=Transition.Status.SENT).count() == 4
    # One notice per person and handover: the parent, and the school's teacher of 1.A.
    for pk in ids:
        keys = Notification.objects.filter(key__startswith=f"handover-sent-{pk}-")
        assert keys.count() == 2 and keys.filter(user=cast.dorte).exists()
    sections = HandoverSection.objects.filter(handover_id__in=ids)
    assert set(sections.filter(passed_on=True).values_list("kind", flat=True)) == {"strengths"}
    assert not sections.filter(passed_on__isnull=True).exists()
    assert all(len(h.not_passed_on) == 5 for h in Handover.objects.filter(pk__in=ids))


def test_a_handover_not_asked_to_be_sent_or_without_a_place_is_not_sent(cast):
    ids = _cohort(cast, 3)
    Handover.objects.filter(pk=ids[0]).update(send_requested_at=None)
    child = Handover.objects.get(pk=ids[1]).transition.child
    Enrollment.objects.filter(child=child, institution=cast.school).delete()
    assert services.handovers_deliver(handover_ids=ids) == [ids[2]]
    back = Handover.objects.get(pk=ids[1])
    assert back.sent_at is None and back.send_requested_at is None  # back to the sending staff
    assert not Notification.objects.filter(key__startswith=f"handover-sent-{ids[1]}-").exists()


@pytest.mark.parametrize("size", [1, 3])
def test_the_single_task_sends_one(cast, size):
    ids = _cohort(cast, size)
    assert tasks.handover_send(ids[0]) is True
    assert tasks.handover_send(ids[0]) is False
