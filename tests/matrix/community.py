"""The children's community in the authorization matrix.

Liva is in Emil's group (Mariehønen) and her mother said yes: Emil's parents see her first name (a
marker) on the group page, and so do the staff who serve her; nobody else ever sees it. The page is for
the child's own guardians; custody holders answer on it.
"""

import uuid

from portal.community.models import NameSharing
from tests import factories as f
from tests.matrix.base import DONE, FORM, OK, Case, only

SNAPSHOT_MODELS = [NameSharing]
WRITING = {"community:group_names"}
SEES_LIVA = {"anna", "mikkel", "carla", "lene"}


def build(w):
    c = w.cast
    w.liva_mark = f"MARK-name-liva-{uuid.uuid4().hex[:10]}"
    w.labels[w.liva_mark] = "Liva's first name (in Emil's group, her family said yes)"
    w.liva = f.ChildFactory(municipality=c.aarhus, first_name=f"Liva {w.liva_mark}")
    f.EnrollmentFactory(child=w.liva, group=c.mariehonen)
    mother = f.GuardianshipFactory(child=w.liva).user
    NameSharing.objects.create(child=w.liva, user=mother, show_name=True)


def forbidden(w, persona, url_name) -> set:
    if persona in SEES_LIVA or (persona == "erik" and url_name == "organisation:audit_search"):
        return set()
    return {w.liva_mark}


def emil(w):
    return {"child_pk": w.children["emil"].pk}


MATRIX = {
    "community:group_names": [
        Case(
            "Emil's group",
            emil,
            get=only(anna=OK, mikkel=OK),
            post=only(anna=DONE),
            data=lambda w: {"show_name": "yes"},
            shows=lambda w, p: {w.liva_mark},
        ),
        Case("Emil's group, no answer", emil, post=only(anna=FORM), data=lambda w: {}),
        Case("Freja's class", lambda w: {"child_pk": w.children["freja"].pk}, get=only(bo=OK)),
    ],
}
