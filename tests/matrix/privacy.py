"""A family's copies of its data in the authorization matrix: a guardian (with or without custody) sees
the copies page of their own child, only a custody holder asks for a copy, and only the one who asked
downloads it. Each copy's files hold a marker that no one else may read."""

import json
import uuid
from datetime import timedelta

from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.utils import timezone

from portal.privacy.models import DataExport
from tests.matrix.base import DONE, OK, Case, none, only

SNAPSHOT_MODELS = [DataExport]
WRITING = {"privacy:export_list"}
OWNER = {"emil": "anna", "freja": "bo"}


def build(w):
    c = w.cast
    w.exports, w.export_marks = {}, {}
    for key, child, user in (("emil", c.emil, c.anna), ("freja", c.freja, c.bo)):
        marker = f"MARK-export-{key}-{uuid.uuid4().hex[:10]}"
        w.labels[marker] = f"{user.first_name}'s copy of {child.first_name}'s data"
        w.export_marks[key] = marker
        storage = storages["exports"]
        w.exports[key] = DataExport.objects.create(
            child=child,
            requested_by=user,
            status=DataExport.Status.READY,
            ready_at=timezone.now(),
            expires_at=timezone.now() + timedelta(days=7),
            json_key=storage.save(f"{key}.json", ContentFile(json.dumps({"marker": marker}).encode())),
            pdf_key=storage.save(f"{key}.pdf", ContentFile(b"%PDF-1.7 " + marker.encode())),
        )


def forbidden(w, persona, url_name) -> set:
    """A copy's content only to the guardian who asked for it."""
    return {marker for key, marker in w.export_marks.items() if persona != OWNER[key]}


def child(key):
    return lambda w: {"child_pk": getattr(w.cast, key).pk}


def download(key, fmt):
    return lambda w: {"child_pk": w.exports[key].child_id, "pk": w.exports[key].pk, "fmt": fmt}


def shows_copy(key):
    return lambda w, persona: {w.export_marks[key]}


MATRIX = {
    "privacy:export_list": [
        Case("Emil's copies", child("emil"), get=only(anna=OK, mikkel=OK), post=only(anna=DONE), data=none),
        Case("Freja's copies", child("freja"), get=only(bo=OK), post=only(bo=DONE), data=none),
    ],
    "privacy:export_download": [
        Case(
            "Anna's copy of Emil's data",
            download("emil", "json"),
            get=only(anna=OK),
            shows=shows_copy("emil"),
        ),
        Case(
            "Bo's copy of Freja's data", download("freja", "pdf"), get=only(bo=OK), shows=shows_copy("freja")
        ),
        Case("A format that does not exist", download("emil", "xml"), get=only()),
    ],
}
