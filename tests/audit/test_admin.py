"""Reads of children's data in the Django admin are audited like any other read."""

import datetime

import pytest
from django.contrib import admin
from django.db.models import ForeignKey, OneToOneField
from django.urls import reverse
from django.utils import timezone

from children.models import Child
from expectations.models import AgreementAcceptance, AgreementComment, ExpectationAgreement
from portal.accounts.models import Invitation
from portal.audit.admin import AuditedChildDataMixin
from portal.audit.models import AccessEvent
from portal.meetings.models import Meeting, Reminder
from tests import factories as f
from tests.conftest import enable_mfa

pytestmark = pytest.mark.django_db


def _reaches_child(model, depth=3) -> bool:
    """Whether the model's rows belong to a child: a chain of foreign keys leads to Child."""
    if model is Child:
        return True
    if depth == 0:
        return False
    return any(
        _reaches_child(field.related_model, depth - 1)
        for field in model._meta.get_fields()
        if isinstance(field, ForeignKey | OneToOneField) and field.related_model is not model
    )


def test_every_admin_page_of_child_data_is_audited():
    # The access log itself is the record of reads; reading it is not a read of a child's record.
    holding = [m for m in admin.site._registry if _reaches_child(m) and m is not AccessEvent]
    assert {Child, ExpectationAgreement, AgreementComment, AgreementAcceptance} <= set(holding)
    assert {Meeting, Reminder, Invitation} <= set(holding)
    for model in holding:
        model_admin = admin.site._registry[model]
        assert isinstance(model_admin, AuditedChildDataMixin), f"{model.__name__} is read without audit"
        # The path to the child works.
        model._base_manager.values(model_admin.child_path).first()


@pytest.fixture
def operator(client, login):
    user = enable_mfa(f.UserFactory(is_staff=True, is_superuser=True, first_name="Ole", last_name="Drift"))
    login(client, user)
    return user


@pytest.fixture
def emils_rows(cast):
    """One row of each audited model about Emil, and one about Freja."""
    now = timezone.now()
    rows = {"child": cast.emil}
    rows["learninggoal"] = f.LearningGoalFactory(child=cast.emil, institution=cast.solsikken)
    agreement = ExpectationAgreement.objects.create(
        child=cast.emil,
        institution=cast.solsikken,
        status=ExpectationAgreement.Status.PROPOSED,
        review_due_on=timezone.localdate() + datetime.timedelta(days=180),
        proposed_at=now,
    )
    rows["expectationagreement"] = agreement
    rows["agreementacceptance"] = AgreementAcceptance.objects.create(
        agreement=agreement, user=cast.anna, role="guardian", revision=1
    )
    rows["agreementcomment"] = AgreementComment.objects.create(
        agreement=agreement, author=cast.anna, text="Kan vi tale om sove-tider?"
    )
    meeting = Meeting.objects.create(
        kind="daycare_conversation",
        institution=cast.solsikken,
        child=cast.emil,
        starts_at=now + datetime.timedelta(days=3),
        ends_at=now + datetime.timedelta(days=3, minutes=30),
    )
    rows["meeting"] = meeting
    rows["reminder"] = Reminder.objects.create(meeting=meeting, recipient=cast.anna, due_at=now)
    rows["invitation"] = Invitation.objects.create(
        kind="guardian",
        municipality=cast.aarhus,
        child=cast.emil,
        invited_by=cast.erik,
        email="mor@example.test",
        first_name="Anna",
        last_name="Jensen",
        expires_at=now + datetime.timedelta(days=14),
    )
    f.LearningGoalFactory(child=cast.freja, institution=cast.school)
    return rows


def test_admin_lists_and_pages_of_child_data_record_each_child_shown(client, cast, operator, emils_rows):
    for model_name, row in emils_rows.items():
        meta = row._meta
        response = client.get(reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist"))
        assert response.status_code == 200
        shown = AccessEvent.objects.filter(actor=operator, action="list", subject=f"admin.{model_name}")
        expected = {cast.emil.pk, cast.freja.pk} if model_name == "learninggoal" else {cast.emil.pk}
        if model_name == "child":
            expected = set(Child.objects.values_list("pk", flat=True))
        assert set(shown.values_list("child_id", flat=True)) == expected, model_name
        assert shown.count() == len(expected)  # one event per child, also with several rows of one child

        response = client.get(reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[row.pk]))
        assert response.status_code == 200
        opened = AccessEvent.objects.get(actor=operator, action="view", subject=f"admin.{model_name}")
        assert (opened.child_id, opened.object_id) == (cast.emil.pk, row.pk)
        assert opened.actor_role == "Django admin"


def test_admin_list_without_rows_or_with_a_bad_filter_records_nothing(client, cast, operator):
    assert client.get(reverse("admin:meetings_meeting_changelist")).status_code == 200
    assert client.get(reverse("admin:children_child_changelist"), {"nonsense": "1"}).status_code == 302
    assert client.get(reverse("admin:children_child_change", args=[999999])).status_code == 302
    assert not AccessEvent.objects.exists()


def test_admin_list_query_count_does_not_grow_with_its_rows(client, cast, operator, emils_rows):
    from tests.queries import assert_constant_queries

    def grow():
        for i in range(24):
            child = f.ChildFactory(municipality=cast.aarhus)
            f.LearningGoalFactory(child=child, institution=cast.solsikken, title=f"Mål {i}")

    assert_constant_queries(client, reverse("admin:children_learninggoal_changelist"), 7, grow)


@pytest.mark.parametrize("page", ["delete", "history"])
def test_admin_pages_that_name_a_child_record_the_look(client, cast, operator, page):
    response = client.get(reverse(f"admin:children_child_{page}", args=[cast.emil.pk]))
    assert response.status_code == 200 and "Emil" in response.content.decode()
    assert AccessEvent.objects.filter(actor=operator, action="view", child=cast.emil).count() == 1
    assert Child.objects.filter(pk=cast.emil.pk).exists()


def test_staff_without_permission_to_view_records_nothing(client, cast, login):
    clerk = enable_mfa(f.UserFactory(is_staff=True))
    login(client, clerk)
    assert client.get(reverse("admin:children_child_change", args=[cast.emil.pk])).status_code == 403
    assert not AccessEvent.objects.exists()
