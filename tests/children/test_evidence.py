"""Evidence in learning plans: checked by content, cleaned of metadata, stored privately (on the file
system and on an S3-compatible server), served only to those who may see it with every read recorded,
taken down on a guardian's request, and deleted with the child's data."""

import io
import struct

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation
from PIL import ExifTags, Image

from children.models import Evidence, FocusPoint, LearningPlan, PlanNote
from children.services import evidence as services
from portal.audit.models import AccessEvent
from portal.todos import staff_todos
from tests import factories as f
from tests.queries import assert_exact_queries

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(settings):
    """Messages are asserted in English here (one test reads the Danish)."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


GPS_TEXT = b"+55.6761+012.5683/"


def jpeg(*, size=(40, 20), orientation=6, colour=(200, 30, 30)) -> bytes:
    """A camera-like JPEG: rotated by its orientation tag, with the camera's make and a GPS position."""
    image = Image.new("RGB", size, colour)
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "SpyCam"
    exif[ExifTags.Base.Model] = "Model X"
    exif[ExifTags.Base.Orientation] = orientation
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (55.0, 40.0, 34.0)
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def png_with_alpha() -> bytes:
    out = io.BytesIO()
    Image.new("RGBA", (10, 10), (0, 0, 255, 128)).save(out, "PNG")
    return out.getvalue()


def pdf(text="Tegning") -> bytes:
    return b"%PDF-1.4\n% " + text.encode() + b"\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def _box(kind: bytes, payload: bytes) -> bytes:
    return struct.pack(">I4s", 8 + len(payload), kind) + payload


def mp4() -> bytes:
    """A tiny MP4 whose movie and track carry a location (©xyz in udta) and camera metadata (meta)."""
    udta = _box(b"udta", _box(b"\xa9xyz", GPS_TEXT))
    meta = _box(b"meta", b"\x00\x00\x00\x00" + _box(b"hdlr", b"com.apple.quicktime.make SpyCam"))
    trak = _box(b"trak", _box(b"tkhd", bytes(12)) + meta)
    moov = _box(b"moov", _box(b"mvhd", bytes(16)) + trak + udta)
    return _box(b"ftyp", b"isom\x00\x00\x02\x00isommp41") + moov + _box(b"mdat", b"\x01\x02\x03\x04")


def upload(content: bytes, name="billede.jpg", content_type="image/jpeg"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def _request(user):
    request = RequestFactory().post("/")
    request.user = user
    return request


@pytest.fixture
def plan(cast):
    goal = f.LearningGoalFactory(child=cast.emil, institution=cast.solsikken, created_by=cast.carla)
    return goal.plan


def _stored_names(location):
    return sorted(p.name for p in location.rglob("*") if p.is_file()) if location.exists() else []


# --- what is accepted, and how it is cleaned ---------------------------------------------------------
def test_a_photo_is_turned_upright_and_stored_without_location_or_camera(cast, plan, evidence_storage):
    evidence = services.evidence_add(
        request=_request(cast.carla), plan=plan, upload=upload(jpeg()), caption="Tegning af en bil",
        actor_role="Pædagog", goal=plan.goals.get(),
    )  # fmt: skip
    assert (evidence.kind, evidence.content_type) == ("image", "image/jpeg")
    stored = storages["evidence"].open(evidence.storage_key).read()
    assert b"SpyCam" not in stored and b"Model X" not in stored
    with Image.open(io.BytesIO(stored)) as image:
        assert not image.getexif()  # nothing: no orientation, no GPS, no camera
        assert image.size == (20, 40)  # turned as the orientation tag said, before it was dropped
    assert evidence.size == len(stored)
    with Image.open(storages["evidence"].open(evidence.thumbnail_key)) as thumb:
        assert thumb.format == "JPEG" and not thumb.getexif()
    assert len(_stored_names(evidence_storage)) == 2


def test_a_transparent_png_stays_png_and_a_heic_photo_is_accepted(cast, plan):
    from pillow_heif import from_pillow

    png = services.evidence_prepare(upload(png_with_alpha(), "a.png", "image/png"))
    assert (png.kind, png.content_type) == ("image", "image/png")

    heif = io.BytesIO()
    from_pillow(Image.new("RGB", (16, 16), (0, 128, 0))).save(heif, quality=50)
    prepared = services.evidence_prepare(upload(heif.getvalue(), "IMG_0001.HEIC", "image/heic"))
    assert (prepared.kind, prepared.content_type) == ("image", "image/jpeg")


def test_a_video_keeps_playing_but_loses_its_location_and_camera(cast, plan):
    original = mp4()
    prepared = services.evidence_prepare(upload(original, "film.mp4", "video/mp4"))
    cleaned = prepared.file.read()
    assert (prepared.kind, prepared.content_type, prepared.size) == ("video", "video/mp4", len(original))
    assert len(cleaned) == len(original)  # every offset in the file still points right
    assert GPS_TEXT not in cleaned and b"SpyCam" not in cleaned
    assert b"udta" not in cleaned and b"meta" not in cleaned
    assert cleaned.startswith(original[:16]) and cleaned.endswith(b"mdat\x01\x02\x03\x04")


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"", "tom.jpg", "The file is empty."),
        (b"<html><script>alert(1)</script></html>", "billede.jpg", "We cannot use this file."),
        (b"MZ\x90\x00" + bytes(100), "program.pdf", "We cannot use this file."),
        (b"GIF89a" + bytes(40), "animation.gif", "We cannot use this file."),
        (b"\x89PNG\r\n\x1a\n" + bytes(60), "broken.png", "We cannot use this file."),
        (b"<svg xmlns='http://www.w3.org/2000/svg'/>", "tegning.svg", "We cannot use this file."),
    ],
)
def test_files_are_judged_by_their_content_not_their_name(
    cast, plan, evidence_storage, content, name, message
):
    with pytest.raises(ValidationError) as refused:
        services.evidence_add(
            request=_request(cast.carla), plan=plan, upload=upload(content, name), caption="x",
            actor_role="Pædagog", goal=plan.goals.get(),
        )  # fmt: skip
    assert message in str(refused.value.message_dict["file"])
    assert not Evidence.objects.exists() and _stored_names(evidence_storage) == []


def test_size_limits_come_from_the_settings(cast, plan, settings):
    settings.EVIDENCE_MAX_BYTES = 100
    with pytest.raises(ValidationError, match="at most 1 MB"):
        services.evidence_prepare(upload(jpeg()))
    settings.EVIDENCE_MAX_BYTES = 10_000_000
    settings.EVIDENCE_MAX_VIDEO_BYTES = 50
    with pytest.raises(ValidationError, match="too large"):
        services.evidence_prepare(upload(mp4(), "film.mp4"))
    settings.EVIDENCE_MAX_PIXELS = 100
    with pytest.raises(ValidationError, match="too many pixels"):
        services.evidence_prepare(upload(jpeg()))


def test_a_row_that_fails_leaves_no_stored_file_behind(cast, plan, evidence_storage):
    with pytest.raises(ValidationError):
        services.evidence_add(
            request=_request(cast.carla), plan=plan, upload=upload(jpeg()), caption="x" * 201,
            actor_role="Pædagog", goal=plan.goals.get(),
        )  # fmt: skip
    assert not Evidence.objects.exists()
    assert _stored_names(evidence_storage) == []


def test_a_note_refused_with_its_photo_writes_neither(client, cast, plan, login, evidence_storage):
    f.publish_plan(plan)
    login(client, cast.anna)
    url = reverse("children:plan_note_create", args=[plan.pk])
    goal = plan.goals.get()
    data = {"entry": f"goal-{goal.pk}", "kind": "comment", "text": "Se her", "caption": "Tegning"}
    response = client.post(url, {**data, "file": upload(jpeg())})
    assert response.status_code == 200
    assert "A photo or file can go with" in response.content.decode()
    assert not PlanNote.objects.exists() and not Evidence.objects.exists()
    assert _stored_names(evidence_storage) == []
    # Mikkel (no custody) may comment, but add no file.
    login(client, cast.mikkel)
    response = client.post(url, {**data, "file": upload(jpeg())})
    assert "Only parents with custody and staff" in response.content.decode()
    assert not PlanNote.objects.exists() and _stored_names(evidence_storage) == []


# --- the S3 path, against a real S3-compatible server --------------------------------------------
def _keys(s3):
    listed = s3.client.list_objects_v2(Bucket=s3.bucket)
    return sorted(o["Key"] for o in listed.get("Contents", []))


def test_evidence_is_stored_in_the_bucket_and_served_from_it(
    client, cast, plan, login, s3_evidence_storage, django_capture_on_commit_callbacks
):
    s3 = s3_evidence_storage
    evidence = services.evidence_add(
        request=_request(cast.carla), plan=plan, upload=upload(jpeg()), caption="Bil",
        actor_role="Pædagog", goal=plan.goals.get(),
    )  # fmt: skip
    assert _keys(s3) == sorted([f"evidence/{evidence.storage_key}", f"evidence/{evidence.thumbnail_key}"])
    stored = s3.client.get_object(Bucket=s3.bucket, Key=f"evidence/{evidence.storage_key}")["Body"].read()
    assert b"SpyCam" not in stored
    with pytest.raises(NotImplementedError):
        storages["evidence"].url(evidence.storage_key)  # no public (or signed) address

    login(client, cast.carla)
    response = client.get(reverse("children:evidence_file", args=[evidence.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content) == stored

    with django_capture_on_commit_callbacks(execute=True):
        cast.emil.delete()
    assert _keys(s3) == []


def test_a_file_refused_on_s3_leaves_nothing_in_the_bucket(cast, plan, s3_evidence_storage):
    with pytest.raises(ValidationError):
        services.evidence_add(
            request=_request(cast.carla), plan=plan, upload=upload(jpeg()), caption="x" * 201,
            actor_role="Pædagog", goal=plan.goals.get(),
        )  # fmt: skip
    assert _keys(s3_evidence_storage) == []


# --- deleted with the child's data ---------------------------------------------------------------
@pytest.mark.parametrize("what", ["child", "plan", "goal"])
def test_evidence_is_deleted_with_the_childs_data(
    cast, plan, evidence_storage, django_capture_on_commit_callbacks, what
):
    services.evidence_add(
        request=_request(cast.carla), plan=plan, upload=upload(jpeg()), caption="Bil",
        actor_role="Pædagog", goal=plan.goals.get(),
    )  # fmt: skip
    services.evidence_add(
        request=_request(cast.carla), plan=plan, upload=upload(pdf(), "plan.pdf"), caption="Opgave",
        actor_role="Pædagog", goal=plan.goals.get(),
    )  # fmt: skip
    assert len(_stored_names(evidence_storage)) == 3
    target = {"child": cast.emil, "plan": LearningPlan.objects.get(pk=plan.pk), "goal": plan.goals.get()}
    with django_capture_on_commit_callbacks(execute=True):
        target[what].delete()
    assert not Evidence.objects.exists()
    assert _stored_names(evidence_storage) == []


def test_a_deletion_that_rolls_back_keeps_the_files(cast, plan, evidence_storage):
    services.evidence_add(
        request=_request(cast.carla), plan=plan, upload=upload(jpeg()), caption="Bil",
        actor_role="Pædagog", goal=plan.goals.get(),
    )  # fmt: skip
    from django.db import transaction

    with pytest.raises(RuntimeError), transaction.atomic():
        cast.emil.delete()
        raise RuntimeError
    assert Evidence.objects.count() == 1 and len(_stored_names(evidence_storage)) == 2


# --- who sees what, through the views ------------------------------------------------------------
def _upload_as_carla(client, plan, content=None, name="bil.jpg", caption="Emils tegning af en bil"):
    goal = plan.goals.get()
    return client.post(
        reverse("children:evidence_upload", args=[plan.pk]),
        {"entry": f"goal-{goal.pk}", "caption": caption, "file": upload(content or jpeg(), name)},
    )


def test_staff_add_a_photo_the_family_sees_once_published(client, cast, plan, login):
    f.publish_plan(plan)
    login(client, cast.carla)
    response = _upload_as_carla(client, plan)
    assert response.status_code == 302
    evidence = Evidence.objects.get()
    assert (evidence.uploader_role, evidence.published_in, evidence.uploaded_by) == (
        "staff",
        None,
        cast.carla,
    )
    assert AccessEvent.objects.filter(subject="evidence", action="create", object_id=evidence.pk).exists()
    file_url = reverse("children:evidence_file", args=[evidence.pk])
    assert file_url.encode() in client.get(reverse("children:plan_detail", args=[plan.pk])).content

    login(client, cast.anna)
    assert client.get(file_url).status_code == 404  # a draft: not for the family yet
    assert file_url.encode() not in client.get(reverse("children:plan_detail", args=[plan.pk])).content

    login(client, cast.carla)
    assert client.post(reverse("children:plan_publish", args=[plan.pk]), {}).status_code == 302
    evidence.refresh_from_db()
    assert evidence.published_in == 2

    login(client, cast.anna)
    page = client.get(reverse("children:plan_detail", args=[plan.pk])).content.decode()
    assert file_url in page and "Emils tegning af en bil" in page
    # Version 1 is what it was: without the photo.
    assert file_url not in client.get(reverse("children:plan_version", args=[plan.pk, 1])).content.decode()


def test_a_file_is_served_privately_and_each_read_is_recorded(client, cast, plan, login):
    login(client, cast.carla)
    _upload_as_carla(client, plan, pdf(), "opgave.pdf", "Emils opgave")
    evidence = Evidence.objects.get()
    response = client.get(reverse("children:evidence_file", args=[evidence.pk]))
    assert response.status_code == 200 and response.streaming
    assert b"".join(response.streaming_content) == pdf()
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="opgave.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert set(response["Cache-Control"].split(", ")) == {"private", "no-store"}
    assert "sandbox" in response["Content-Security-Policy"]
    events = AccessEvent.objects.filter(subject="evidence", action="view", object_id=evidence.pk)
    assert [(e.actor, e.child) for e in events] == [(cast.carla, cast.emil)]

    thumb = reverse("children:evidence_thumbnail", args=[evidence.pk])
    assert client.get(thumb).status_code == 404  # a document has no thumbnail


@pytest.mark.parametrize("persona", ["bo", "dorte", "erik", "olga"])
def test_nobody_else_gets_the_file(client, cast, plan, login, persona):
    f.publish_plan(plan)
    login(client, cast.carla)
    _upload_as_carla(client, plan)
    f.publish_plan(plan)
    evidence = Evidence.objects.get()
    login(client, getattr(cast, persona))
    for name in ("evidence_file", "evidence_thumbnail"):
        assert client.get(reverse(f"children:{name}", args=[evidence.pk])).status_code == 404
    assert client.post(reverse("children:evidence_takedown", args=[evidence.pk])).status_code == 404
    assert client.post(reverse("children:evidence_remove", args=[evidence.pk])).status_code == 404
    assert Evidence.objects.get().takedown_requested_at is None


def test_a_parent_with_custody_adds_a_photo_to_what_we_see_at_home(client, cast, plan, login):
    f.publish_plan(plan)
    login(client, cast.anna)
    goal = plan.goals.get()
    response = client.post(
        reverse("children:plan_note_create", args=[plan.pk]),
        {"entry": f"goal-{goal.pk}", "kind": "at_home", "text": "Han byggede en bil",
         "caption": "Bilen af klodser", "file": upload(jpeg())},
    )  # fmt: skip
    assert response.status_code == 302
    note = PlanNote.objects.get()
    evidence = Evidence.objects.get()
    assert (evidence.note, evidence.goal, evidence.uploader_role) == (note, goal, "custody")
    # The family's own shows at once: to Mikkel and to the staff.
    for person in (cast.mikkel, cast.carla):
        login(client, person)
        page = client.get(reverse("children:plan_detail", args=[plan.pk])).content.decode()
        assert reverse("children:evidence_thumbnail", args=[evidence.pk]) in page
        assert client.get(reverse("children:evidence_thumbnail", args=[evidence.pk])).status_code == 200


def test_a_takedown_hides_the_photo_at_once_and_staff_remove_it(
    client, cast, plan, login, evidence_storage, django_capture_on_commit_callbacks
):
    login(client, cast.carla)
    _upload_as_carla(client, plan)
    f.publish_plan(plan)
    evidence = Evidence.objects.get()
    file_url = reverse("children:evidence_file", args=[evidence.pk])

    login(client, cast.mikkel)  # the right to information is enough to ask
    assert client.get(file_url).status_code == 200
    assert client.post(reverse("children:evidence_takedown", args=[evidence.pk])).status_code == 302
    evidence.refresh_from_db()
    assert evidence.takedown_requested_by == cast.mikkel
    assert AccessEvent.objects.filter(subject="evidence_takedown", actor=cast.mikkel).exists()

    for person in (cast.anna, cast.mikkel, cast.carla, cast.lene):
        login(client, person)
        assert client.get(file_url).status_code == 404, person
    # Staff see that it was asked for, and have a to-do.
    todos = [t for t in staff_todos(cast.carla) if t.kind == "evidence"]
    assert len(todos) == 1 and todos[0].title.startswith("A parent asked to take down")
    assert not [t for t in staff_todos(cast.dorte) if t.kind == "evidence"]
    login(client, cast.carla)
    page = client.get(reverse("children:plan_detail", args=[plan.pk])).content.decode()
    assert "Emils tegning af en bil" in page and f'href="{file_url}"' not in page

    # Anna cannot remove it; Carla can.
    login(client, cast.anna)
    assert client.post(reverse("children:evidence_remove", args=[evidence.pk])).status_code == 404
    login(client, cast.carla)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("children:evidence_remove", args=[evidence.pk]))
    assert response.status_code == 302
    assert not Evidence.objects.exists() and _stored_names(evidence_storage) == []
    assert AccessEvent.objects.filter(subject="evidence", action="delete", actor=cast.carla).exists()
    assert not [t for t in staff_todos(cast.carla) if t.kind == "evidence"]


def test_an_upload_refused_in_the_view_shows_a_clear_message_and_writes_nothing(
    client, cast, plan, login, evidence_storage
):
    login(client, cast.carla)
    response = _upload_as_carla(client, plan, b"just text", "notes.jpg")
    assert response.status_code == 200
    assert "We cannot use this file." in response.content.decode()
    assert not Evidence.objects.exists() and _stored_names(evidence_storage) == []
    plan.refresh_from_db()
    assert plan.draft_changed_at is None


def test_a_focus_point_takes_a_photo_too(client, cast, login):
    plan = LearningPlan.objects.create(child=cast.freja, institution=cast.school, kind="pupil", school_year=1)
    point = FocusPoint.objects.create(
        plan=plan, area="danish", title="Læse", school_effort="Læsebånd", home_support="Læs sammen"
    )
    login(client, cast.dorte)
    response = client.post(
        reverse("children:evidence_upload", args=[plan.pk]),
        {"entry": f"focus-{point.pk}", "caption": "Freja læser højt", "file": upload(jpeg())},
    )
    assert response.status_code == 302
    assert Evidence.objects.get().focus_point == point


@pytest.mark.parametrize(("person", "queries"), [("carla", 17), ("anna", 12)])
def test_plan_page_costs_the_same_with_1_and_25_photos(client, cast, plan, login, person, queries):
    goal = plan.goals.get()

    def add(n):
        for i in range(n):
            Evidence.objects.create(
                plan=plan, goal=goal, kind="image", caption=f"Foto {i}", content_type="image/jpeg",
                size=10, original_name="a.jpg", storage_key=f"k/{goal.pk}-{i}-{n}", thumbnail_key="t",
                uploaded_by=cast.carla, uploaded_by_name="Carla", uploader_role="staff",
                uploaded_at=plan.created_at,
            )  # fmt: skip
        f.publish_plan(plan)

    add(1)
    login(client, getattr(cast, person), mfa=person == "carla")
    url = reverse("children:plan_detail", args=[plan.pk])
    assert_exact_queries(
        client, url, queries, lambda: add(24), lambda r: sum(len(e.evidence) for e in r.context["entries"])
    )
