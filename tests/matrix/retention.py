"""The administrators' retention page in the authorization matrix: each administrator sets the periods of
their own municipality; everyone else gets 404."""

from portal.privacy.models import RetentionSetting
from portal.privacy.retention import KINDS
from tests.matrix.base import DONE, OK, Case, none, only

SNAPSHOT_MODELS = [RetentionSetting]
WRITING = {"privacy:retention"}


def build(w):
    pass


def _periods(w):
    data = {k.key: k.default_days for k in KINDS}
    data["access_log"] = 6 * 365
    return data


MATRIX = {
    "privacy:retention": [
        Case(
            "Data retention",
            none,
            get=only(erik=OK, olga=OK),
            post=only(erik=DONE, olga=DONE),
            data=_periods,
        )
    ],
}
