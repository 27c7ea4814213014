"""Retention: each kind of data is deleted when its period has passed, in its municipality only, files
and cascades included, and what was deleted is recorded as counts only."""

from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.urls import reverse
from django.utils import timezone

from children.models import Child, Enrollment, Evidence, LearningGoal, LearningPlan
from portal.audit.models import AccessEvent
from portal.privacy import retention
from portal.privacy.models import ErasureRecord, RetentionSetting
from portal.privacy.retention_services import retention_periods_set
from portal.privacy.tasks import apply_retention
from portal.roster.models import ImportRun
from tests import factories as f
from tests.queries import assert_exact_queries

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
QUERIES = 5


def _left(child, days_ago):
    ended = TODAY - timedelta(days=days_ago)
    Enrollment.objects.filter(child=child).update(started_on=ended - timedelta(days=300), ended_on=ended)


def _event(child, days_ago):
    event = AccessEvent.objects.create(
        actor_name="x", child=child, municipality=child.municipality, action="view", subject="plan"
    )
    AccessEvent.objects.filter(pk=event.pk).update(at=timezone.now() - timedelta(days=days_ago))
    return event


def _evidence(goal, name):
    storage = storages["evidence"]
    key = storage.save(f"{name}.txt", ContentFile(b"x"))
    return Evidence.objects.create(
        plan=goal.plan,
        goal=goal,
        kind=Evidence.Kind.DOCUMENT,
        caption="c",
        content_type="text/plain",
        size=1,
        original_name="a.txt",
        storage_key=key,
        uploaded_by_name="x",
        uploader_role="staff",
        uploaded_at=timezone.now(),
    )


def test_a_plan_goes_a_year_after_the_place_ended_with_its_goals_and_files(cast):
    gone = f.LearningGoalFactory(child=cast.emil, institution=cast.solsikken)
    kept = f.LearningGoalFactory(child=cast.ida, institution=cast.solsikken)
    evidence = _evidence(gone, "gone")
    _left(cast.emil, 366)
    _left(cast.ida, 300)

    records = retention.retention_apply(municipality=cast.aarhus)

    assert not LearningPlan.objects.filter(child=cast.emil).exists()
    assert not LearningGoal.objects.filter(pk=gone.pk).exists()
    assert LearningGoal.objects.filter(pk=kept.pk).exists()
    assert not storages["evidence"].exists(evidence.storage_key)
    (record,) = [r for r in records if r.kind == "learning_plans"]
    assert record.rows["children.LearningPlan"] == 1 and record.rows["children.Evidence"] == 1
    assert record.files == 1 and record.reason == ErasureRecord.Reason.RETENTION
    assert Child.objects.filter(pk=cast.emil.pk).exists()  # the child is not a plan


def test_a_plan_stays_while_the_child_has_a_place_there_again(cast):
    goal = f.LearningGoalFactory(child=cast.emil, institution=cast.solsikken)
    _left(cast.emil, 800)
    f.EnrollmentFactory(child=cast.emil, group=cast.bien)  # back at the same daycare

    retention.retention_apply(municipality=cast.aarhus)

    assert LearningGoal.objects.filter(pk=goal.pk).exists()


def test_the_access_log_goes_after_five_years_or_the_municipalitys_own_period(cast):
    old, recent = _event(cast.emil, 5 * 365 + 1), _event(cast.emil, 5 * 365 - 1)
    other_old = _event(cast.søren, 500)

    retention.retention_apply(municipality=cast.aarhus)
    assert set(AccessEvent.objects.values_list("pk", flat=True)) == {recent.pk, other_old.pk}

    retention_periods_set(municipality=cast.other, by=cast.olga, days={"access_log": 400})
    retention.retention_apply(municipality=cast.other)
    assert set(AccessEvent.objects.values_list("pk", flat=True)) == {recent.pk}
    assert old.pk not in AccessEvent.objects.values_list("pk", flat=True)


def test_the_nightly_task_runs_every_municipality_in_batches(
    cast, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(retention, "BATCH", 2)
    for _ in range(5):
        _event(cast.emil, 6 * 365)
    _event(cast.søren, 6 * 365)

    with django_capture_on_commit_callbacks(execute=True):
        assert apply_retention() == 2

    assert not AccessEvent.objects.exists()
    records = ErasureRecord.objects.filter(kind="access_log")
    assert sorted(r.rows["audit.AccessEvent"] for r in records) == [1, 1, 2, 2]
    assert {r.municipality_id for r in records} == {cast.aarhus.pk, cast.other.pk}


def test_a_record_holds_counts_only(cast):
    _event(cast.emil, 6 * 365)
    retention.retention_apply(municipality=cast.aarhus)
    record = ErasureRecord.objects.get()
    assert record.rows == {"audit.AccessEvent": 1}
    text = repr(list(ErasureRecord.objects.values()))
    assert "Emil" not in text and "Jensen" not in text


def test_a_period_equal_to_the_default_is_not_stored(cast):
    retention_periods_set(municipality=cast.aarhus, by=cast.erik, days={"meetings": 1000, "access_log": 1825})
    assert dict(RetentionSetting.objects.values_list("kind", "keep_days")) == {"meetings": 1000}
    assert retention.periods(cast.aarhus)["meetings"] == 1000
    assert retention.periods(cast.other)["meetings"] == 730
    retention_periods_set(municipality=cast.aarhus, by=cast.erik, days={"meetings": 730})
    assert not RetentionSetting.objects.exists()


def _form(**changes):
    data = {k.key: k.default_days for k in retention.KINDS}
    data.update(changes)
    return data


def test_the_page_saves_periods_within_bounds_and_refuses_others(client, cast, login):
    login(client, cast.erik)
    url = reverse("privacy:retention")
    response = client.post(url, _form(access_log=100), HTTP_ACCEPT_LANGUAGE="da")
    assert response.status_code == 200
    assert "større end eller lig 365" in response.content.decode()
    assert not RetentionSetting.objects.exists()

    response = client.post(url, _form(access_log=2000))
    assert response.status_code == 302
    assert RetentionSetting.objects.get().keep_days == 2000
    assert 'value="2000"' in client.get(url).content.decode()


def test_the_page_costs_the_same_queries_with_1_and_25_records(client, cast, login):
    login(client, cast.erik)

    def record():
        return ErasureRecord(municipality=cast.aarhus, reason="retention", kind="meetings", rows={"a": 1})

    record().save()
    assert_exact_queries(
        client,
        reverse("privacy:retention"),
        QUERIES,
        lambda: ErasureRecord.objects.bulk_create([record() for _ in range(24)]),
        lambda response: (
            response.content.decode().count('data-title="Rows"')
            or response.content.decode().count('data-title="Rækker"')
        ),
    )


def test_a_roster_import_goes_after_thirty_days_with_any_file_left(cast):
    key = storages["imports"].save("children.csv", ContentFile(b"child_id\n"))
    old = ImportRun.objects.create(municipality=cast.aarhus, files="children.csv", file_keys=[key])
    ImportRun.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=31))
    recent = ImportRun.objects.create(municipality=cast.aarhus, files="children.csv")

    retention.retention_apply(municipality=cast.aarhus)

    assert list(ImportRun.objects.values_list("pk", flat=True)) == [recent.pk]
    assert not storages["imports"].exists(key)
    assert ErasureRecord.objects.get(kind="roster_imports").files == 1
