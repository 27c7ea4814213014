"""Meeting settings in the authorization matrix: each administrator sets their own municipality's
reminder times; nobody else reaches the page."""

from portal.meetings.models import MeetingSettings
from tests.matrix.base import DONE, OK, Case, none, only

SNAPSHOT_MODELS = [MeetingSettings]

MATRIX = {
    "meetings:reminder_settings": [
        Case(
            "reminder times",
            none,
            get=only(erik=OK, olga=OK),
            post=only(erik=DONE, olga=DONE),
            data=lambda w: {"reminder_offsets": ["4320", "60"]},
        )
    ],
}

WRITING = {"meetings:reminder_settings"}


def build(w):
    """Nothing to add: the page belongs to the administrator's own municipality."""
