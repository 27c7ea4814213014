"""The notification centre in the authorization matrix: everyone signed in chooses for themselves, and
only for themselves (the page has no one else's id in it); a pupil's login has no inbox."""

from portal.notices.models import Preference
from tests.matrix.base import DONE, FORM, Case, none, only

SNAPSHOT_MODELS = [Preference]
WRITING = {"notices:preferences"}


def build(w):
    pass


def choices(w):
    data = {"digest_hour": "17", "quiet": "on", "quiet_from": "21", "quiet_until": "7"}
    for topic in ("meetings", "agreements", "plans", "transitions", "surveys", "community", "account"):
        for channel in ("portal", "email", "sms"):
            data[f"{topic}_{channel}"] = "digest" if topic == "plans" else "instant"
    return data


MATRIX = {
    "notices:preferences": [
        Case("what we tell me and when", none, get=only(others="200"), post=only(others=DONE), data=choices),
        Case(
            "a choice that does not exist",
            none,
            post=only(others=FORM),
            data=lambda w: {**choices(w), "plans_email": "hourly"},
        ),
    ],
}
