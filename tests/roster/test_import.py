"""The roster import: read, check (writing nothing), apply, apply again (changing nothing), refuse what
is wrong with its reason and the rest of its family, end places no longer in the files, invite new people
once, and never keep a CPR number."""

import io
from pathlib import Path

import pytest
from django.core import mail
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from children.models import Child, Enrollment, Guardianship
from portal.accounts.models import Invitation, User
from portal.audit.models import AccessEvent
from portal.organisation.models import Group, Institution, StaffMembership
from portal.roster.models import ImportRun
from tests.queries import assert_constant_queries

pytestmark = pytest.mark.django_db

FILES = {
    "institutions": "institution_number,name,kind\n"
    "101234,Børnehuset Solsikken,børnehave\n751012,Skovvangskolen,skole\n",
    "groups": "institution_number,name,school_year\n101234,Mariehønen,\n751012,1.A,1\n",
    "staff": "email,first_name,last_name,institution_number,role,groups\n"
    "pia@example.dk,Pia,Holm,101234,pædagog,Mariehønen\n",
    "children": "child_id,first_name,last_name,birth_date\n"
    "E-1,Emma,Lund,2021-03-14\nE-2,Oskar,Lund,2019-06-02\n",
    "guardians": "child_id,email,first_name,last_name,relation,custody,information,language\n"
    "E-1,lone@example.dk,Lone,Lund,mor,ja,ja,da\nE-1,peter@example.dk,Peter,Lund,far,nej,ja,en\n"
    "E-2,lone@example.dk,Lone,Lund,mor,ja,ja,da\n",
    "places": "child_id,institution_number,group,start_date,end_date\n"
    "E-1,101234,Mariehønen,2024-08-01,\nE-2,751012,1.A,2025-08-11,\n",
}


def csvs(**changes):
    files = {**FILES, **changes}
    return [
        SimpleUploadedFile(f"{name}.csv", text.encode(), "text/csv") for name, text in files.items() if text
    ]


def upload(client, files, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("roster:import_list"), {"files": files})
    assert response.status_code == 302, response.content.decode()[-3000:]
    return ImportRun.objects.latest("pk")


def apply(client, run, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("roster:import_apply", args=[run.pk]))
    run.refresh_from_db()
    return run


def stored_files():
    location = Path(storages["imports"].location)
    return [p for p in location.rglob("*")] if location.exists() else []


@pytest.fixture
def admin(client, cast, login):
    login(client, cast.erik)
    return cast


def test_the_dry_run_writes_nothing_and_says_what_would_happen(
    client, admin, django_capture_on_commit_callbacks
):
    before = (Child.objects.count(), User.objects.count(), Institution.objects.count())
    run = upload(client, csvs(), django_capture_on_commit_callbacks)
    assert run.status == ImportRun.Status.CHECKED
    assert run.counts == {"created": 8, "changed": 2, "unchanged": 2, "ended": 0, "refused": 0}, run.counts
    assert (Child.objects.count(), User.objects.count(), Institution.objects.count()) == before
    page = client.get(reverse("roster:import_detail", args=[run.pk]) + "?show=all")
    assert page.status_code == 200 and page.content.decode().count("<tr><td data-title") == 12


def test_apply_writes_the_roster_and_applying_it_again_changes_nothing(
    client, admin, django_capture_on_commit_callbacks
):
    run = apply(
        client, upload(client, csvs(), django_capture_on_commit_callbacks), django_capture_on_commit_callbacks
    )
    assert run.status == ImportRun.Status.APPLIED and run.data in (b"", memoryview(b""))
    emma = Child.objects.get(external_id="E-1", municipality=admin.aarhus)
    assert emma.first_name == "Emma" and str(emma.birth_date) == "2021-03-14"
    solsikken = Institution.objects.get(institution_number="101234")
    assert solsikken.pk == admin.solsikken.pk  # matched by name, its number now recorded
    assert Enrollment.objects.get(child=emma).group == Group.objects.get(
        institution=solsikken, name="Mariehønen"
    )
    peter = Guardianship.objects.get(child=emma, user__email="peter@example.dk")
    assert (peter.relation, peter.has_custody, peter.user.language) == ("father", False, "en")
    assert StaffMembership.objects.get(user__email="pia@example.dk").role == "pedagogue"
    assert AccessEvent.objects.filter(subject="roster_import", actor=admin.erik).count() == 2
    invited = sorted(mail.outbox[i].to[0] for i in range(len(mail.outbox)))
    assert invited == ["lone@example.dk", "peter@example.dk", "pia@example.dk"]  # Lone once, for two children

    counts = (
        Child.objects.count(),
        Guardianship.objects.count(),
        Enrollment.objects.count(),
        Invitation.objects.count(),
    )
    again = apply(
        client, upload(client, csvs(), django_capture_on_commit_callbacks), django_capture_on_commit_callbacks
    )
    assert again.counts["created"] + again.counts["changed"] + again.counts["ended"] == 0
    assert again.counts["unchanged"] == 12
    assert (
        Child.objects.count(),
        Guardianship.objects.count(),
        Enrollment.objects.count(),
        Invitation.objects.count(),
    ) == counts
    assert len(mail.outbox) == 3


def _refusal(client, django_capture_on_commit_callbacks, **changes):
    run = upload(client, csvs(**changes), django_capture_on_commit_callbacks)
    page = client.get(
        reverse("roster:import_detail", args=[run.pk]), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    return run, page


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        (
            {"places": "child_id,institution_number,group,start_date,end_date\nE-1,999999,,2024-08-01,\n"},
            "No institution has the number 999999",
        ),
        (
            {"guardians": "child_id,email,first_name,last_name\nE-9,x@example.dk,X,Y\n"},
            "No child has the id E-9",
        ),
        (
            {"children": "child_id,first_name,last_name,birth_date\nE-1,Emma,Lund,14/13/2021\n"},
            "birth_date is not a date",
        ),
        (
            {
                "children": "child_id,first_name,last_name,birth_date\n"
                "E-1,Emma,Lund,2021-03-14\nE-1,Emma,Lund,2021-03-14\n"
            },
            "The same child_id is on more than one row",
        ),
        (
            {"children": "child_id,first_name,last_name,birth_date\nE-1,140321-1234,Lund,2021-03-14\n"},
            "looks like a CPR number",
        ),
        (
            {"guardians": "child_id,email,first_name,last_name\nE-1,not-an-address,X,Y\n"},
            "is not an e-mail address",
        ),
    ],
)
def test_a_bad_row_is_refused_with_its_reason(
    client, admin, django_capture_on_commit_callbacks, changes, reason
):
    run, page = _refusal(client, django_capture_on_commit_callbacks, **changes)
    assert run.counts["refused"] >= 1
    assert reason in page


def test_a_refused_row_refuses_its_whole_family_and_no_other(
    client, admin, django_capture_on_commit_callbacks
):
    places = FILES["places"].replace("E-1,101234,Mariehønen,2024-08-01", "E-1,101234,Mariehønen,2024-13-01")
    run = upload(client, csvs(places=places), django_capture_on_commit_callbacks)
    assert run.counts["refused"] == 4  # Emma, her two parents and her place
    apply(client, run, django_capture_on_commit_callbacks)
    assert not Child.objects.filter(external_id="E-1").exists()
    assert not User.objects.filter(email="peter@example.dk").exists()
    oskar = Child.objects.get(external_id="E-2")
    assert Guardianship.objects.filter(child=oskar, user__email="lone@example.dk").exists()
    page = client.get(reverse("roster:import_detail", args=[run.pk])).content.decode()
    assert "Another row of this family was refused" in page or "En anden række i familien" in page


def test_a_cpr_column_is_dropped_on_reading_and_the_report_says_so(
    client, admin, django_capture_on_commit_callbacks
):
    children = "child_id,cpr,first_name,last_name,birth_date\nE-1,1403211234,Emma,Lund,2021-03-14\n"
    run = upload(client, csvs(children=children), django_capture_on_commit_callbacks)
    assert run.dropped_columns == ["children.cpr"]
    assert b"1403211234" not in bytes(run.data) and run.file_keys == []
    page = client.get(reverse("roster:import_detail", args=[run.pk])).content.decode()
    assert "children.cpr" in page


def test_a_place_no_longer_in_the_files_ends(client, admin, django_capture_on_commit_callbacks):
    apply(
        client, upload(client, csvs(), django_capture_on_commit_callbacks), django_capture_on_commit_callbacks
    )
    places = "child_id,institution_number,group,start_date,end_date\nE-2,751012,1.A,2025-08-11,\n"
    run = apply(
        client,
        upload(client, csvs(places=places), django_capture_on_commit_callbacks),
        django_capture_on_commit_callbacks,
    )
    assert run.counts["ended"] == 1
    assert Enrollment.objects.get(child__external_id="E-1").ended_on is not None


def test_an_xlsx_workbook_is_read_like_the_csv_files(client, admin, django_capture_on_commit_callbacks):
    book = Workbook()
    book.remove(book.active)
    for name, text in FILES.items():
        sheet = book.create_sheet({"children": "børn"}.get(name, name))
        for line in text.strip().split("\n"):
            sheet.append(line.split(","))
    buffer = io.BytesIO()
    book.save(buffer)
    upload_ = SimpleUploadedFile("roster.xlsx", buffer.getvalue())
    run = upload(client, [upload_], django_capture_on_commit_callbacks)
    assert run.counts == {"created": 8, "changed": 2, "unchanged": 2, "ended": 0, "refused": 0}


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("roster.pdf", b"%PDF-1.7", "Upload an XLSX workbook or CSV files"),
        ("notes.csv", b"a,b\n1,2\n", "is not one of the roster"),
    ],
)
def test_a_file_the_name_refuses_is_refused_on_the_form_and_nothing_is_kept(
    client, admin, settings, name, content, message
):
    response = client.post(
        reverse("roster:import_list"),
        {"files": [SimpleUploadedFile(name, content)]},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200 and message in response.content.decode()
    assert not ImportRun.objects.exists()
    assert stored_files() == []


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("children.csv", b"child_id,first_name\nE-1,Emma\n", "lacks the columns"),
        ("roster.xlsx", b"not a workbook", "is not an XLSX workbook"),
        (
            "children.csv",
            "child_id,first_name,last_name,birth_date\nE-1,Søs,Lund,2021-03-14\n".encode("latin-1"),
            "is not UTF-8 text",
        ),
    ],
)
def test_a_file_that_cannot_be_read_fails_its_run_with_the_reason_and_is_deleted(
    client, admin, django_capture_on_commit_callbacks, name, content, message
):
    admin.erik.language = "en"
    admin.erik.save(update_fields=["language"])
    run = upload(client, [SimpleUploadedFile(name, content)], django_capture_on_commit_callbacks)
    run.refresh_from_db()
    assert run.status == ImportRun.Status.FAILED and message in run.error, run.error
    assert run.file_keys == [] and bytes(run.data) == b"" and bytes(run.report) == b""
    assert stored_files() == []
    page = client.get(reverse("roster:import_detail", args=[run.pk]), HTTP_ACCEPT_LANGUAGE="en")
    assert "The files could not be read:" in page.content.decode() and message in page.content.decode()
    assert not Child.objects.filter(external_id="E-1").exists()


def test_the_report_page_costs_the_same_with_few_and_many_rows(
    client, admin, django_capture_on_commit_callbacks
):
    run = upload(client, csvs(), django_capture_on_commit_callbacks)
    url = reverse("roster:import_detail", args=[run.pk]) + "?show=all"

    def grow():
        ImportRun.objects.filter(pk=run.pk).update(
            report=ImportRun.pack([["children", i, f"X-{i}", "created", "", {}] for i in range(300)])
        )

    assert_constant_queries(client, url, 8, grow)
