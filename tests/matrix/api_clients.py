"""The administrators' API key pages in the authorization matrix.

Aarhus and Skanderborg each have a client whose name is a marker: only that municipality's
administrator sees it. Making a key is for administrators, in their own municipality; revoking one is
for the administrator of the client's municipality (the other gets 404).
"""

import uuid

from portal.api.models import ApiClient
from portal.api.services import api_client_create
from tests.matrix.base import DONE, GET_NOT_ALLOWED, OK, Case, none, only

SNAPSHOT_MODELS = [ApiClient]
WRITING = {"api_clients:client_list", "api_clients:client_revoke"}
ADMIN_OF = {"aarhus": "erik", "other": "olga"}


def build(w):
    c = w.cast
    w.api_clients, w.api_client_marks = {}, {}
    for key, municipality, admin in (("aarhus", c.aarhus, c.erik), ("other", c.other, c.olga)):
        marker = f"MARK-api-client-{key}-{uuid.uuid4().hex[:10]}"
        w.labels[marker] = f"{municipality.name}'s API client"
        w.api_client_marks[key] = marker
        w.api_clients[key], _key = api_client_create(
            municipality=municipality, name=f"System {marker}", scopes=["children:read"], created_by=admin
        )


def forbidden(w, persona, url_name) -> set:
    """A client's name only to its municipality's administrator."""
    return {marker for key, marker in w.api_client_marks.items() if persona != ADMIN_OF[key]}


def client(key):
    return lambda w: {"pk": w.api_clients[key].pk}


def shows_own_client(w, persona):
    return {w.api_client_marks["aarhus" if persona == "erik" else "other"]}


MATRIX = {
    "api_clients:client_list": [
        Case(
            "API keys",
            none,
            get=only(erik=OK, olga=OK),
            post=only(erik=DONE, olga=DONE),  # each makes it in their own municipality
            data=lambda w: {"name": "Elevadministration", "scopes": ["children:read", "organisation:read"]},
            shows=shows_own_client,
        )
    ],
    "api_clients:client_revoke": [
        Case("Aarhus' client", client("aarhus"), get=GET_NOT_ALLOWED, post=only(erik=DONE), data=none),
        Case("Skanderborg's client", client("other"), get=GET_NOT_ALLOWED, post=only(olga=DONE), data=none),
    ],
}
