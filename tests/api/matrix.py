"""Who may read each URL under /api/v1/: the scope a key needs, and what only Aarhus' key may see
(tests/api/test_authorization.py runs it; the portal's matrix leaves these routes to it)."""

from dataclasses import dataclass

from portal.api.models import ApiClient

API_PREFIX = "api/v1/"
S = ApiClient.Scope


@dataclass(frozen=True)
class Entry:
    scope: str  # "" for the public schema and docs
    kwargs: object = None  # world -> URL kwargs for a detail URL
    # What Aarhus' key finds in the answer and Skanderborg's key must not.
    aarhus: object = None


def pk(get_obj):
    return lambda w: {"pk": get_obj(w).pk}


API_MATRIX = {
    "api:schema": Entry(""),
    "api:docs": Entry(""),
    "api:institution-list": Entry(S.ORGANISATION, aarhus=lambda w: w.cast.solsikken.name),
    "api:institution-detail": Entry(S.ORGANISATION, pk(lambda w: w.cast.solsikken)),
    "api:group-list": Entry(S.ORGANISATION, aarhus=lambda w: w.cast.mariehonen.name),
    "api:group-detail": Entry(S.ORGANISATION, pk(lambda w: w.cast.mariehonen)),
    "api:child-list": Entry(S.CHILDREN, aarhus=lambda w: w.cast.emil.first_name),
    "api:child-detail": Entry(S.CHILDREN, pk(lambda w: w.cast.emil)),
    "api:agreement-list": Entry(S.AGREEMENTS, aarhus=lambda w: f'"id":{w.agreement.pk},'),
    "api:agreement-detail": Entry(S.AGREEMENTS, pk(lambda w: w.agreement)),
    "api:meeting-statistics-list": Entry(
        S.STATISTICS, aarhus=lambda w: f'"institution":{w.cast.solsikken.pk},'
    ),
    "api:review-round-list": Entry(S.STATISTICS, aarhus=lambda w: w.rounds["aarhus"].title),
    "api:municipality-figures": Entry(S.STATISTICS, aarhus=lambda w: '"places":4,'),
    "api:review-round-detail": Entry(S.STATISTICS, pk(lambda w: w.rounds["aarhus"])),
}
