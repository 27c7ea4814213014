"""Evidence in learning plans: checking an upload by its content, storing it privately, and the rows.

* The type is read from the bytes, never from the name or the browser's word: JPEG, PNG, WebP and HEIC
  photos (opened and re-encoded by Pillow), PDF documents, and MP4 videos.
* Photos are turned upright first (their orientation tag), then saved again without any metadata
  (no location, camera or time), and get a small thumbnail.
* In videos the metadata boxes (``udta``, ``meta``: phones keep the place and the camera there) are
  turned into zeroed ``free`` boxes of the same size, so the film plays as before with nothing of them
  left.
* Nothing is written half: the objects are stored first and the row is written in a transaction; when
  anything fails the objects are deleted again. Deleting a row deletes its objects after commit.
"""

import io
import logging
import os
import shutil
import struct
import tempfile
import uuid
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError
from pillow_heif import register_heif_opener

from children.models import Evidence, FocusPoint, LearningGoal, LearningPlan, PlanNote
from children.services.plans import _name, _touch, plan_note_add
from children.signals import evidence_objects_delete
from portal.audit.models import AccessEvent
from portal.audit.services import access_record

register_heif_opener()
log = logging.getLogger(__name__)

THUMBNAIL_SIZE = (480, 480)
JPEG_QUALITY = 85
IMAGE_FORMATS = {"JPEG", "PNG", "WEBP", "HEIF"}
HEIF_BRANDS = {b"heic", b"heix", b"heim", b"heis", b"mif1", b"msf1"}
MP4_BRANDS = {b"isom", b"iso2", b"iso4", b"iso5", b"iso6", b"mp41", b"mp42", b"avc1", b"M4V ", b"MSNV"}
# Boxes that hold metadata (location, camera, owner) in MP4 files; blanked as "free" space.
MP4_METADATA_BOXES = {b"udta", b"meta"}
MP4_CONTAINERS = {b"moov", b"trak", b"mdia", b"minf"}


@dataclass
class Prepared:
    """An upload checked and cleaned, ready to store: the file to store and, for images, a thumbnail."""

    kind: str
    content_type: str
    extension: str
    file: object  # a file object positioned at 0
    size: int
    thumbnail: bytes | None = None


def _refuse(message) -> ValidationError:
    return ValidationError({"file": message})


def _mb(n: int) -> int:
    return max(1, round(n / (1024 * 1024)))


def _too_large(limit: int) -> ValidationError:
    return _refuse(_("The file is too large. It can be at most %(mb)s MB.") % {"mb": _mb(limit)})


def evidence_prepare(upload) -> Prepared:
    """Check an uploaded file by its content and clean it; a ``ValidationError`` on ``file`` says why not."""
    size = upload.size or 0
    if size == 0:
        raise _refuse(_("The file is empty."))
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        if size > settings.EVIDENCE_MAX_BYTES:
            raise _too_large(settings.EVIDENCE_MAX_BYTES)
        return Prepared(Evidence.Kind.DOCUMENT, "application/pdf", "pdf", upload, size)
    if head[4:8] == b"ftyp" and head[8:12] in MP4_BRANDS:
        if size > settings.EVIDENCE_MAX_VIDEO_BYTES:
            raise _too_large(settings.EVIDENCE_MAX_VIDEO_BYTES)
        return _prepare_video(upload)
    if size > settings.EVIDENCE_MAX_BYTES:
        raise _too_large(settings.EVIDENCE_MAX_BYTES)
    return _prepare_image(upload)


def _not_accepted() -> ValidationError:
    return _refuse(
        _(
            "We cannot use this file. Choose a photo (JPEG, PNG, WebP or HEIC), a PDF document or a "
            "short MP4 video."
        )
    )


def _prepare_image(upload) -> Prepared:
    try:
        with Image.open(upload) as probe:
            if probe.format not in IMAGE_FORMATS:
                raise _not_accepted()
            if probe.width * probe.height > settings.EVIDENCE_MAX_PIXELS:
                raise _refuse(_("The picture has too many pixels. Make it smaller and try again."))
            probe.verify()
        upload.seek(0)
        with Image.open(upload) as image:
            image.load()
            # Upright as the camera meant it, then drop everything but the pixels.
            upright = ImageOps.exif_transpose(image)
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise _not_accepted() from None
    has_alpha = upright.mode in ("RGBA", "LA", "PA") or (
        upright.mode == "P" and "transparency" in upright.info
    )
    clean = Image.new("RGBA" if has_alpha else "RGB", upright.size)
    clean.paste(upright.convert(clean.mode))
    out = io.BytesIO()
    if has_alpha:
        clean.save(out, "PNG", optimize=True)
        kind = ("image/png", "png")
    else:
        clean.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True)
        kind = ("image/jpeg", "jpg")
    thumb = clean.convert("RGB")
    thumb.thumbnail(THUMBNAIL_SIZE)
    thumb_out = io.BytesIO()
    thumb.save(thumb_out, "JPEG", quality=80, optimize=True)
    out.seek(0)
    return Prepared(Evidence.Kind.IMAGE, kind[0], kind[1], out, out.getbuffer().nbytes, thumb_out.getvalue())


def _blank_mp4_metadata(f, start: int, end: int, depth: int = 0) -> None:
    """Rename metadata boxes between ``start`` and ``end`` to ``free`` (same size: every offset in the
    file stays right), looking inside the containers that may hold them."""
    position = start
    while position + 8 <= end:
        f.seek(position)
        header = f.read(8)
        if len(header) < 8:
            break
        size, box = struct.unpack(">I4s", header)
        header_size = 8
        if size == 1:
            size = struct.unpack(">Q", f.read(8))[0]
            header_size = 16
        elif size == 0:
            size = end - position
        if size < header_size or position + size > end:
            raise _not_accepted()
        if box in MP4_METADATA_BOXES:
            f.seek(position + 4)
            f.write(b"free")
            f.seek(position + header_size)
            remaining = size - header_size
            while remaining:  # and nothing of what it held stays in the file
                step = min(remaining, 1024 * 1024)
                f.write(bytes(step))
                remaining -= step
        elif box in MP4_CONTAINERS and depth < 6:
            _blank_mp4_metadata(f, position + header_size, position + size, depth + 1)
        position += size


def _prepare_video(upload) -> Prepared:
    copy = tempfile.TemporaryFile()  # noqa: SIM115  (handed on; closed when stored)
    upload.seek(0)
    shutil.copyfileobj(upload, copy, 1024 * 1024)
    size = copy.tell()
    _blank_mp4_metadata(copy, 0, size)
    copy.seek(0)
    return Prepared(Evidence.Kind.VIDEO, "video/mp4", "mp4", copy, size)


@dataclass(frozen=True)
class Stored:
    prepared: Prepared
    key: str
    thumbnail_key: str


@contextmanager
def evidence_stored(upload, *, plan: LearningPlan):
    """Check, clean and store an upload; yields what was stored. If the block raises, the stored
    objects are deleted again, so a refused or failed write leaves nothing behind."""
    prepared = evidence_prepare(upload)
    storage = storages["evidence"]
    stem = f"plans/{plan.pk}/{uuid.uuid4().hex}"
    keys = []
    try:
        key = storage.save(f"{stem}.{prepared.extension}", File(prepared.file))
        keys.append(key)
        thumbnail_key = ""
        if prepared.thumbnail is not None:
            thumbnail_key = storage.save(f"{stem}-thumb.jpg", ContentFile(prepared.thumbnail))
            keys.append(thumbnail_key)
        yield Stored(prepared, key, thumbnail_key)
    except BaseException:
        evidence_objects_delete(keys)
        raise
    finally:
        prepared.file.close()


def _original_name(upload) -> str:
    name = os.path.basename(str(getattr(upload, "name", "") or "")).strip()
    return name[:200] or "file"


def _evidence_row(*, request, plan, stored: Stored, upload, caption, uploader_role, goal, focus_point, note):
    evidence = Evidence(
        plan=plan,
        goal=goal,
        focus_point=focus_point,
        note=note,
        kind=stored.prepared.kind,
        caption=caption,
        content_type=stored.prepared.content_type,
        size=stored.prepared.size,
        original_name=_original_name(upload),
        storage_key=stored.key,
        thumbnail_key=stored.thumbnail_key,
        uploaded_by=request.user,
        uploaded_by_name=_name(request.user),
        uploader_role=uploader_role,
        uploaded_at=timezone.now(),
    )
    evidence.full_clean()
    evidence.save()
    return evidence


def evidence_add(
    *,
    request,
    plan: LearningPlan,
    upload,
    caption: str,
    actor_role: str,
    goal: LearningGoal | None = None,
    focus_point: FocusPoint | None = None,
) -> Evidence:
    """Staff attach a photo or file to a goal or focus point of the plan's draft: it reaches the family
    with the next published version. Stored first, then the row in one transaction (audited); a failure
    deletes what was stored."""
    if (goal is None) == (focus_point is None) or (goal or focus_point).plan_id != plan.pk:
        raise ValidationError({"entry": _("Choose the goal or focus point the file is about.")})
    with evidence_stored(upload, plan=plan) as stored, transaction.atomic():
        evidence = _evidence_row(
            request=request,
            plan=plan,
            stored=stored,
            upload=upload,
            caption=caption,
            uploader_role=PlanNote.Role.STAFF,
            goal=goal,
            focus_point=focus_point,
            note=None,
        )
        _touch(plan, evidence.uploaded_at)  # there is something new to publish
        access_record(
            request=request,
            child=plan.child,
            action=AccessEvent.Action.CREATE,
            subject="evidence",
            object_id=evidence.pk,
            actor_role=actor_role,
        )
    return evidence


EVIDENCE_NOTE_KINDS = frozenset({PlanNote.Kind.PROGRESS, PlanNote.Kind.AT_HOME, PlanNote.Kind.TRIED})


def plan_note_add_with_evidence(*, request, plan: LearningPlan, upload, caption: str, **note) -> PlanNote:
    """A note with a photo or file: staff's "what we saw", the family's "what we see at home" and "we
    tried it". Both rows or neither (the stored objects are deleted when the note is refused)."""
    if note["kind"] not in EVIDENCE_NOTE_KINDS:
        raise ValidationError(
            {"file": _("A photo or file can go with “what we saw”, “what we see at home” or “we tried it”.")}
        )
    if not caption:
        raise ValidationError({"caption": _("Say in a few words what the photo or file shows.")})
    with evidence_stored(upload, plan=plan) as stored, transaction.atomic():
        saved = plan_note_add(request=request, plan=plan, **note)
        evidence = _evidence_row(
            request=request,
            plan=plan,
            stored=stored,
            upload=upload,
            caption=caption,
            uploader_role=note["author_role"],
            goal=saved.goal,
            focus_point=saved.focus_point,
            note=saved,
        )
        access_record(
            request=request,
            child=plan.child,
            action=AccessEvent.Action.CREATE,
            subject="evidence",
            object_id=evidence.pk,
            actor_role=note["actor_role"],
        )
    return saved


@transaction.atomic
def evidence_takedown_request(*, request, evidence: Evidence, actor_role: str) -> Evidence:
    """A guardian asks for a photo or file to be taken down: hidden from everyone at once, and staff who
    write for the child get a to-do to remove it. Locks the row; asking again changes nothing."""
    evidence = Evidence.objects.select_for_update().select_related("plan__child").get(pk=evidence.pk)
    if evidence.takedown_requested_at is None:
        evidence.takedown_requested_at = timezone.now()
        evidence.takedown_requested_by = request.user
        evidence.save(update_fields=["takedown_requested_at", "takedown_requested_by"])
        access_record(
            request=request,
            child=evidence.plan.child,
            action=AccessEvent.Action.UPDATE,
            subject="evidence_takedown",
            object_id=evidence.pk,
            actor_role=actor_role,
        )
    return evidence


@transaction.atomic
def evidence_remove(*, request, evidence: Evidence, actor_role: str) -> None:
    """Staff remove a photo or file for good: the row now, its stored objects after commit."""
    evidence = Evidence.objects.select_for_update().select_related("plan__child").get(pk=evidence.pk)
    access_record(
        request=request,
        child=evidence.plan.child,
        action=AccessEvent.Action.DELETE,
        subject="evidence",
        object_id=evidence.pk,
        actor_role=actor_role,
    )
    evidence.delete()
