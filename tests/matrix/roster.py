"""The roster import in the authorization matrix: each municipality's administrator uploads, reads and
applies their own municipality's imports; no one else sees them (404). Each run's report holds a marker
that only its municipality's administrator may read."""

import uuid

from django.core.files.uploadedfile import SimpleUploadedFile

from portal.roster.models import ImportRun
from tests.matrix.base import DONE, GET_NOT_ALLOWED, OK, Case, none, only

SNAPSHOT_MODELS = [ImportRun]
WRITING = {"roster:import_list", "roster:import_apply"}
ADMIN_OF = {"aarhus": "erik", "other": "olga"}


def build(w):
    c = w.cast
    w.imports, w.import_marks = {}, {}
    for key, municipality, admin in (("aarhus", c.aarhus, c.erik), ("other", c.other, c.olga)):
        marker = f"MARK-import-{key}-{uuid.uuid4().hex[:10]}"
        w.labels[marker] = f"{municipality.name}'s roster import"
        w.import_marks[key] = marker
        w.imports[key] = ImportRun.objects.create(
            municipality=municipality,
            uploaded_by=admin,
            status=ImportRun.Status.CHECKED,
            files="children.csv",
            data=ImportRun.pack({"children": []}),
            report=ImportRun.pack([["children", 2, marker, "refused", "cpr", {"column": "x"}]]),
            counts={"refused": 1},
        )


def forbidden(w, persona, url_name) -> set:
    return {marker for key, marker in w.import_marks.items() if persona != ADMIN_OF[key]}


def run(key):
    return lambda w: {"pk": w.imports[key].pk}


def shows(key):
    return lambda w, persona: {w.import_marks[key]}


def _files(w):
    text = "child_id,first_name,last_name,birth_date\nM-1,Mia,Holm,2021-01-02\n"
    return {"files": [SimpleUploadedFile("children.csv", text.encode(), "text/csv")]}


MATRIX = {
    "roster:import_list": [
        Case("Roster imports", none, get=only(erik=OK, olga=OK), post=only(erik=DONE, olga=DONE), data=_files)
    ],
    "roster:import_example": [Case("The format", none, get=only(erik=OK, olga=OK))],
    "roster:import_detail": [
        Case("Aarhus' import", run("aarhus"), get=only(erik=OK), shows=shows("aarhus")),
        Case("Skanderborg's import", run("other"), get=only(olga=OK), shows=shows("other")),
    ],
    "roster:import_apply": [
        Case("Aarhus' import", run("aarhus"), get=GET_NOT_ALLOWED, post=only(erik=DONE), data=none),
        Case("Skanderborg's import", run("other"), get=GET_NOT_ALLOWED, post=only(olga=DONE), data=none),
    ],
}
