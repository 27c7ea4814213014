"""A guardian's copy of the data: who may ask, what it holds (and never holds), how it is offered,
downloaded, logged and deleted."""

import json
from datetime import timedelta

import pytest
from django.core import mail
from django.core.files.storage import storages
from django.urls import reverse
from django.utils import timezone, translation

from portal.audit.models import AccessEvent
from portal.meetings.models import Notification
from portal.privacy import export as gathering
from portal.privacy.models import DataExport, ErasureRecord
from portal.privacy.services import data_export_build, data_exports_expire
from tests.privacy.family import Family, family_models
from tests.queries import assert_constant_queries

pytestmark = pytest.mark.django_db

FREJA, EMIL = "ZQXFREJA", "ZQXEMIL"


def _families(cast):
    neutral = {
        "organisation.Municipality": cast.aarhus,
        "organisation.Institution": cast.school,
        "organisation.Group": cast.class_1a,
    }
    freja = Family(marker=FREJA, child=cast.freja, guardian=cast.bo, neutral=neutral, staff=cast.sofie).fill()
    emil = Family(marker=EMIL, child=cast.emil, guardian=cast.anna, neutral=neutral, staff=cast.sofie).fill()
    return freja, emil


def _ask(client, login, user, child, django_capture_on_commit_callbacks):
    login(client, user, mfa=False)
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(reverse("privacy:export_list", args=[child.pk]))


def _json(export):
    with storages["exports"].open(export.json_key) as handle:
        return json.load(handle)


def test_a_guardian_with_custody_gets_the_childs_data_from_every_table_and_no_one_elses(
    client, cast, login, django_capture_on_commit_callbacks
):
    freja, _emil = _families(cast)
    response = _ask(client, login, cast.bo, cast.freja, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    export = DataExport.objects.latest("pk")  # the family's planted copy is older
    assert export.status == DataExport.Status.READY and export.pdf_key and export.json_key
    data = _json(export)
    text = json.dumps(data, ensure_ascii=False)
    assert EMIL not in text  # another family's rows, planted in the same tables
    tables = {s["table"] for s in data["about_the_child"]} | {s["table"] for s in data["about_you"]}
    planted = {label for label in freja.rows if label not in gathering.LEFT_OUT}
    assert planted - tables == set()  # every table the family has rows in is in the copy
    assert "audit.AccessEvent" in tables  # the access log, with the request itself
    assert storages["exports"].open(export.pdf_key).read(5) == b"%PDF-"


def test_every_table_that_can_hold_a_family_is_exported_or_left_out_with_a_reason():
    found = set(gathering.child_paths()) | set(gathering.person_links())
    labels = {m._meta.label for m in found} | {"accounts.User"}
    assert {m._meta.label for m in family_models()} - labels - set(gathering.LEFT_OUT) == set()


def test_secrets_and_file_keys_are_never_in_a_copy(client, cast, login, django_capture_on_commit_callbacks):
    _families(cast)
    _ask(client, login, cast.bo, cast.freja, django_capture_on_commit_callbacks)
    data = _json(DataExport.objects.latest("pk"))
    labels = {
        label for s in data["about_the_child"] + data["about_you"] for row in s["rows"] for label in row
    }
    assert not {label for label in labels if "password" in label.lower() or "key" in label.lower()}
    assert cast.bo.password not in json.dumps(data)


def test_only_a_guardian_with_custody_may_ask(client, cast, login, django_capture_on_commit_callbacks):
    login(client, cast.mikkel, mfa=False)  # Emil's father, without custody
    page = client.get(reverse("privacy:export_list", args=[cast.emil.pk]))
    assert page.status_code == 200 and "Make a copy" not in page.content.decode()
    assert client.post(reverse("privacy:export_list", args=[cast.emil.pk])).status_code == 404
    login(client, cast.carla)  # staff who serve Emil
    assert client.get(reverse("privacy:export_list", args=[cast.emil.pk])).status_code == 404
    assert not DataExport.objects.exists()


def test_asking_twice_makes_one_copy_and_a_second_task_run_makes_no_second(
    client, cast, login, django_capture_on_commit_callbacks
):
    login(client, cast.anna, mfa=False)
    url = reverse("privacy:export_list", args=[cast.emil.pk])
    client.post(url)  # the task is not run: the copy is in the making
    response = client.post(url, follow=True)
    assert "Der bliver allerede lavet en kopi" in response.content.decode()
    export = DataExport.objects.get()
    assert data_export_build(export_id=export.pk) is True
    assert data_export_build(export_id=export.pk) is False
    assert len(storages["exports"].listdir("")[1]) == 2
    assert Notification.objects.filter(user=cast.anna, kind=Notification.Kind.DATA_EXPORT).count() == 1


def test_the_download_is_logged_and_only_for_the_one_who_asked(
    client, cast, login, django_capture_on_commit_callbacks
):
    _ask(client, login, cast.anna, cast.emil, django_capture_on_commit_callbacks)
    export = DataExport.objects.get()
    url = reverse("privacy:export_download", args=[cast.emil.pk, export.pk, "json"])
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
    assert json.loads(b"".join(response.streaming_content))["child"]["id"] == cast.emil.pk
    assert AccessEvent.objects.filter(subject="data_export", action="view", actor=cast.anna).count() == 1
    assert AccessEvent.objects.filter(subject="data_export", action="create").count() == 1
    export.refresh_from_db()
    assert export.downloads == 1
    login(client, cast.mikkel, mfa=False)  # the other parent sees Emil, but did not ask
    assert client.get(url).status_code == 404
    login(client, cast.bo, mfa=False)
    assert client.get(url).status_code == 404


def test_an_expired_copy_is_deleted_and_recorded(client, cast, login, django_capture_on_commit_callbacks):
    _ask(client, login, cast.anna, cast.emil, django_capture_on_commit_callbacks)
    export = DataExport.objects.get()
    keys = [export.json_key, export.pdf_key]
    assert data_exports_expire(now=timezone.now() + timedelta(days=6)) == 0
    assert data_exports_expire(now=timezone.now() + timedelta(days=8)) == 1
    export.refresh_from_db()
    assert export.status == DataExport.Status.EXPIRED and not export.json_key
    assert not any(storages["exports"].exists(k) for k in keys)
    assert ErasureRecord.objects.get(reason="export").files == 2
    url = reverse("privacy:export_download", args=[cast.emil.pk, export.pk, "pdf"])
    assert client.get(url).status_code == 404


@pytest.mark.parametrize(
    ("language", "title", "body"),
    [
        ("da", "Din kopi af Emils data er klar", "Hent den senest"),
        ("en", "Your copy of Emil's data is ready", "Download it before"),
    ],
)
def test_the_ready_notice_speaks_the_guardians_language(
    client, cast, login, django_capture_on_commit_callbacks, language, title, body
):
    cast.anna.language = language
    cast.anna.save()
    _ask(client, login, cast.anna, cast.emil, django_capture_on_commit_callbacks)
    notice = Notification.objects.get(kind=Notification.Kind.DATA_EXPORT)
    assert notice.title == title and notice.body.startswith(body)
    assert notice.url == reverse("privacy:export_list", args=[cast.emil.pk])
    assert mail.outbox == [] or all("ZQX" not in m.body for m in mail.outbox)


def test_the_home_asks_to_download_before_the_copy_goes(
    client, cast, login, django_capture_on_commit_callbacks
):
    _ask(client, login, cast.anna, cast.emil, django_capture_on_commit_callbacks)
    with translation.override("en"):
        page = client.get(reverse("children:parent_home"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert reverse("privacy:export_list", args=[cast.emil.pk]) in page


def test_the_page_costs_the_same_with_1_and_25_copies(client, cast, login):
    login(client, cast.anna, mfa=False)

    def copy():
        return DataExport(
            child=cast.emil,
            requested_by=cast.anna,
            status=DataExport.Status.READY,
            expires_at=timezone.now() + timedelta(days=3),
            json_key="a.json",
            pdf_key="a.pdf",
        )

    copy().save()
    url = reverse("privacy:export_list", args=[cast.emil.pk])
    assert_constant_queries(
        client, url, QUERIES, lambda: DataExport.objects.bulk_create([copy() for _ in range(24)])
    )
    assert client.get(url).content.decode().count(".pdf") == 10  # the newest ten


QUERIES = 8
