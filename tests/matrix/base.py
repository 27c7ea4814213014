"""The primitives of the authorization matrix, shared by ``tests/test_authorization_matrix.py`` and the
capability parts in this package (each ``tests/matrix/<area>.py`` defines ``MATRIX``, ``WRITING``,
``SNAPSHOT_MODELS`` and ``build(world)``, which adds that capability's objects to the world)."""

from collections.abc import Callable
from dataclasses import dataclass
from types import SimpleNamespace

PERSONAS = (
    "anna",
    "mikkel",
    "bo",
    "carla",
    "lene",
    "dorte",
    "sofie",
    "erik",
    "olga",
    "freja_pupil",
    "anonymous",
)
PUPIL = "freja_pupil"  # Freja's own pupil login (1.A)

# ---------------------------------------------------------------------------------------------------
# Outcomes
# ---------------------------------------------------------------------------------------------------
OK = "200"  # the page is shown
FORM = "200 refused form"  # POST re-shows the form with an error; the database is unchanged
LOGIN = "302 login"  # redirect to the login page
NF = "404"  # "no such thing": never a hint that the object exists
NOT_ALLOWED = "405"  # wrong method


@dataclass(frozen=True)
class Redirect:
    """A plain GET redirect to a named URL (the start page sends each person to their own home)."""

    to: str

    def __str__(self):
        return f"302 → {self.to}"


@dataclass(frozen=True)
class Done:
    """A successful POST: a redirect (to ``to``, else anywhere but login) and the database changed."""

    to: str | None = None

    def __str__(self):
        return f"302 done → {self.to or 'a page'}"


DONE = Done()
REFUSED = {NF, NOT_ALLOWED, LOGIN, FORM}


def only(*, anonymous=LOGIN, others=NF, **allowed) -> dict:
    """Expected outcome per persona: the named ones as given, everyone else ``others``. The pupil's login,
    unless named, gets what everyone gets on a page open without login (a link whose token is the
    credential), and 404 on every page behind the login: nothing there is the pupil's."""
    unknown = set(allowed) - set(PERSONAS)
    assert not unknown, f"unknown personas {unknown}"
    pupil = others if anonymous != LOGIN else NF

    def outcome(p):
        if p in allowed:
            return allowed[p]
        if p == "anonymous":
            return anonymous
        return pupil if p == PUPIL else others

    return {p: outcome(p) for p in PERSONAS}


EVERYONE_OK = only(anonymous=OK, others=OK)
GET_NOT_ALLOWED = only(others=NOT_ALLOWED)  # POST-only views: login first, then the method check


@dataclass(frozen=True)
class Case:
    label: str
    kwargs: Callable[[SimpleNamespace], dict]
    get: dict | None = None
    post: dict | None = None
    data: Callable[[SimpleNamespace], dict] | None = None
    query: str = ""
    # Markers that must be on the page when the outcome is 200: a positive control for the scan.
    shows: Callable[[SimpleNamespace, str], set] | None = None


def none(w):
    return {}
