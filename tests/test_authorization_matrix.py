"""The authorization matrix: every URL of our own apps, every persona, GET and POST.

The rules are in ``portal/access.py``. This file restates them, independently of the policy code, as
an explicit table: for each URL name, how to build its arguments from the cast, which methods to try
(with a representative valid payload for POST) and what each persona must get back. On top of the
status codes it checks that

* no response shows a marker planted in a child's name or learning record to someone who may not
  see that child (administrators may see names of their own municipality's children, on the audit
  search only, and never a learning record), and no page shows one municipality's organisation to
  the other municipality;
* a refused POST (404, 405, redirect to login, or a form that refuses the choice) changes nothing in
  the database, and an allowed POST really does change it.

A URL pattern without an entry in ``MATRIX`` fails ``test_every_url_pattern_is_in_the_matrix``.
Third-party URL trees (allauth, Django admin, i18n) are allow-listed by prefix in ``THIRD_PARTY``.
"""

import hashlib
import importlib
import uuid
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.models import Permission
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from children.models import Child, Enrollment, Guardianship, LearningGoal
from portal.accounts.models import Invitation, User
from portal.audit.models import AccessEvent
from portal.organisation.models import (
    Group,
    Institution,
    MunicipalAdministrator,
    Municipality,
    StaffMembership,
)
from tests import factories as f
from tests.api.matrix import API_PREFIX
from tests.conftest import _reauthenticate as reauthenticate
from tests.conftest import enable_mfa
from tests.matrix.base import (
    DONE,
    EVERYONE_OK,
    FORM,
    GET_NOT_ALLOWED,
    LOGIN,
    NF,
    NOT_ALLOWED,
    OK,
    PERSONAS,
    REFUSED,
    Case,
    Done,
    Redirect,
    none,
    only,
)

pytestmark = pytest.mark.django_db


def child_pk(key, name="pk"):
    return lambda w: {name: w.children[key].pk}


def shows_child(key):
    return lambda w, persona: {w.name_marks[key], w.record_marks[key]}


def goal_payload(key, title="Nyt mål"):
    """A valid goal for the child ``key``, carrying that child's record marker."""

    def data(w):
        return {
            "title": f"{title} {w.record_marks[key]}",
            "theme": LearningGoal.Theme.LANGUAGE,
            "description": "Vi øver at vente på tur.",
            "home_activity": "Spil et brætspil sammen.",
            "status": LearningGoal.Status.PLANNED,
        }

    return data


def person_payload(**extra):
    return lambda w: {"first_name": "Ny", "last_name": "Person", "email": "ny.person@example.test", **extra}


CHILD_ROUTES = {
    # key: personas who see the child's page (guardians with a right to information, staff serving it now)
    "emil": ("anna", "mikkel", "carla", "lene"),
    # Carla works at Solsikken, so she sees Ida (Bien), but writes only for her own group.
    "ida": ("carla", "lene"),
    "freja": ("bo", "dorte"),
    "baby": ("sofie",),
    "soeren": (),  # another municipality
    "viggo": (),  # left Mariehønen: nobody at Solsikken sees him any more
}

MATRIX: dict[str, list[Case]] = {
    # --- portal -------------------------------------------------------------------------------------
    "home": [
        Case(
            "start page",
            none,
            get=only(
                anonymous=OK,
                anna=Redirect("children:parent_home"),
                mikkel=Redirect("children:parent_home"),
                bo=Redirect("children:parent_home"),
                carla=Redirect("children:staff_home"),
                lene=Redirect("children:staff_home"),
                dorte=Redirect("children:staff_home"),
                sofie=Redirect("children:staff_home"),
                erik=Redirect("organisation:admin_home"),
                olga=Redirect("organisation:admin_home"),
                freja_pupil=Redirect("children:pupil_home"),
            ),
        )
    ],
    "healthz": [Case("health check", none, get=EVERYONE_OK)],
    "accessibility_statement": [Case("accessibility statement", none, get=EVERYONE_OK)],
    # The language switch: a cookie for anyone, and the account's saved language for those signed in.
    "set_language": [
        Case(
            "choose English",
            none,
            get=only(anonymous=NOT_ALLOWED, others=NOT_ALLOWED),
            post=only(anonymous=Redirect("home"), others=Done("home")),
            data=lambda w: {"language": "en", "next": "/"},
        )
    ],
    "was": [
        Case(
            "the /was short address",
            none,
            get=only(
                anonymous=Redirect("accessibility_statement"), others=Redirect("accessibility_statement")
            ),
        )
    ],
    # --- children -----------------------------------------------------------------------------------
    "children:parent_home": [
        Case(
            "my children",
            none,
            get=only(others=OK),
            shows=lambda w, p: {w.record_marks[k] for k in GUARDIAN_OF.get(p, ())},
        )
    ],
    "children:staff_home": [Case("my groups", none, get=only(carla=OK, lene=OK, dorte=OK, sofie=OK))],
    "children:group_detail": [
        Case(
            "Mariehønen",
            lambda w: {"pk": w.groups["mariehonen"].pk},
            get=only(carla=OK, lene=OK),
            shows=lambda w, p: {w.name_marks["emil"]},
        ),
        Case("Bien (not Carla's)", lambda w: {"pk": w.groups["bien"].pk}, get=only(lene=OK)),
        Case("1.A", lambda w: {"pk": w.groups["class_1a"].pk}, get=only(dorte=OK)),
        Case("health visitor caseload", lambda w: {"pk": w.groups["caseload"].pk}, get=only(sofie=OK)),
        Case("Skanderborg group", lambda w: {"pk": w.groups["other_group"].pk}, get=only()),
    ],
    "children:child_detail": [
        Case(
            key,
            child_pk(key),
            get=only(**dict.fromkeys(viewers, OK)),
            shows=shows_child(key),
        )
        for key, viewers in CHILD_ROUTES.items()
    ],
    "children:access_log": [
        Case("Emil", child_pk("emil"), get=only(anna=OK, mikkel=OK)),
        Case("Freja", child_pk("freja"), get=only(bo=OK)),
        Case("Søren", child_pk("soeren"), get=only()),
    ],
    "children:goal_create": [
        Case(
            "Emil",
            child_pk("emil", "child_pk"),
            get=only(carla=OK, lene=OK),
            post=only(carla=DONE, lene=DONE),
            data=goal_payload("emil"),
        ),
        Case(
            "Ida (Carla sees, cannot write)",
            child_pk("ida", "child_pk"),
            get=only(lene=OK),
            post=only(lene=DONE),
            data=goal_payload("ida"),
        ),
        Case(
            "Freja",
            child_pk("freja", "child_pk"),
            get=only(dorte=OK),
            post=only(dorte=DONE),
            data=goal_payload("freja"),
        ),
        Case(
            "expected baby",
            child_pk("baby", "child_pk"),
            get=only(sofie=OK),
            post=only(sofie=DONE),
            data=goal_payload("baby"),
        ),
        Case(
            "Søren",
            child_pk("soeren", "child_pk"),
            get=only(),
            post=only(),
            data=goal_payload("soeren"),
        ),
    ],
    "children:goal_edit": [
        Case(
            "Emil's goal",
            lambda w: {"child_pk": w.children["emil"].pk, "pk": w.goals["emil"].pk},
            get=only(carla=OK, lene=OK),
            post=only(carla=DONE, lene=DONE),
            data=goal_payload("emil", "Rettet mål"),
        ),
        Case(
            "Ida's goal under Emil's URL",
            lambda w: {"child_pk": w.children["emil"].pk, "pk": w.goals["ida"].pk},
            get=only(),
            post=only(),
            data=goal_payload("emil", "Rettet mål"),
        ),
        Case(
            "Ida's goal",
            lambda w: {"child_pk": w.children["ida"].pk, "pk": w.goals["ida"].pk},
            get=only(lene=OK),
            post=only(lene=DONE),
            data=goal_payload("ida", "Rettet mål"),
        ),
    ],
    "children:goal_status": [
        Case(
            "Emil's goal",
            lambda w: {"child_pk": w.children["emil"].pk, "pk": w.goals["emil"].pk},
            get=GET_NOT_ALLOWED,
            post=only(carla=DONE, lene=DONE),
            data=lambda w: {"status": LearningGoal.Status.ACHIEVED},
        ),
        Case(
            "Freja's goal under Emil's URL",
            lambda w: {"child_pk": w.children["emil"].pk, "pk": w.goals["freja"].pk},
            post=only(),
            data=lambda w: {"status": LearningGoal.Status.ACHIEVED},
        ),
        Case(
            "the baby's goal",
            lambda w: {"child_pk": w.children["baby"].pk, "pk": w.goals["baby"].pk},
            post=only(sofie=DONE),
            data=lambda w: {"status": LearningGoal.Status.ACHIEVED},
        ),
    ],
    # --- organisation -------------------------------------------------------------------------------
    "organisation:admin_home": [Case("municipality", none, get=only(erik=OK, olga=OK))],
    "organisation:institution_list": [
        Case(
            "institutions",
            none,
            get=only(erik=OK, olga=OK),
            post=only(erik=DONE, olga=DONE),  # each creates it in their own municipality
            data=lambda w: {"name": "Nord", "kind": Institution.Kind.KINDERGARTEN, "is_active": "on"},
        )
    ],
    "organisation:audit_search": [
        Case(
            "all events",
            none,
            get=only(erik=OK, olga=OK),
            shows=lambda w, p: {w.name_marks[k] for k in MUNICIPALITY_CHILDREN.get(p, ())},
        ),
        Case(
            "search for Emil",
            none,
            get=only(erik=OK, olga=OK),
            query="?child=Emil",
            shows=lambda w, p: {w.name_marks["emil"]} if p == "erik" else set(),
        ),
    ],
    "organisation:institution_detail": [
        Case("Solsikken", lambda w: {"pk": w.institutions["solsikken"].pk}, get=only(erik=OK, lene=OK)),
        Case("the school", lambda w: {"pk": w.institutions["school"].pk}, get=only(erik=OK)),
        Case("Skanderborg daycare", lambda w: {"pk": w.institutions["other_daycare"].pk}, get=only(olga=OK)),
    ],
    "organisation:institution_edit": [
        Case(
            "Solsikken",
            lambda w: {"pk": w.institutions["solsikken"].pk},
            get=only(erik=OK),  # a leader manages groups and staff, not the institution itself
            post=only(erik=DONE),
            data=lambda w: {
                "name": w.institutions["solsikken"].name,
                "kind": Institution.Kind.INTEGRATED,
                "address": "Solvej 1, 8000 Aarhus C",
                "is_active": "on",
            },
        ),
        Case(
            "Skanderborg daycare",
            lambda w: {"pk": w.institutions["other_daycare"].pk},
            get=only(olga=OK),
            post=only(olga=DONE),
            data=lambda w: {
                "name": w.institutions["other_daycare"].name,
                "kind": Institution.Kind.INTEGRATED,
                "address": "Søvej 2, 8660 Skanderborg",
                "is_active": "on",
            },
        ),
    ],
    "organisation:group_create": [
        Case(
            "Solsikken",
            lambda w: {"institution_pk": w.institutions["solsikken"].pk},
            get=only(erik=OK, lene=OK),
            post=only(erik=DONE, lene=DONE),
            data=lambda w: {"name": "Sommerfuglene"},
        ),
        Case(
            "the school",
            lambda w: {"institution_pk": w.institutions["school"].pk},
            get=only(erik=OK),
            post=only(erik=DONE),
            data=lambda w: {"name": "2.B", "school_year": "2"},
        ),
    ],
    "organisation:group_edit": [
        Case(
            "Mariehønen",
            lambda w: {"institution_pk": w.institutions["solsikken"].pk, "pk": w.groups["mariehonen"].pk},
            get=only(erik=OK, lene=OK),
            post=only(erik=DONE, lene=DONE),
            data=lambda w: {"name": "Mariehønen og Bierne"},
        ),
        Case(
            "1.A under Solsikken's URL",
            lambda w: {"institution_pk": w.institutions["solsikken"].pk, "pk": w.groups["class_1a"].pk},
            get=only(),
            post=only(),
            data=lambda w: {"name": "Overtaget", "school_year": "1"},
        ),
        Case(
            "Frøerne (Skanderborg)",
            lambda w: {
                "institution_pk": w.institutions["other_daycare"].pk,
                "pk": w.groups["other_group"].pk,
            },
            get=only(olga=OK),
            post=only(olga=DONE),
            data=lambda w: {"name": "Frøerne og Tudserne"},
        ),
    ],
    "organisation:membership_edit": [
        Case(
            "Carla at Solsikken",
            lambda w: {"institution_pk": w.institutions["solsikken"].pk, "pk": w.memberships["carla"].pk},
            get=only(erik=OK, lene=OK),
            post=only(erik=DONE, lene=DONE),
            data=lambda w: {"role": "pedagogue", "groups": [w.groups["bien"].pk], "is_contact": "on"},
        ),
        Case(
            "Carla given the school's class",
            lambda w: {"institution_pk": w.institutions["solsikken"].pk, "pk": w.memberships["carla"].pk},
            get=only(erik=OK, lene=OK),
            post=only(erik=OK, lene=OK),
            data=lambda w: {"role": "pedagogue", "groups": [w.groups["class_1a"].pk]},
        ),
        Case(
            "Dorte (school) under Solsikken's URL",
            lambda w: {"institution_pk": w.institutions["solsikken"].pk, "pk": w.memberships["dorte"].pk},
            get=only(),
            post=only(),
            data=lambda w: {"role": "teacher"},
        ),
    ],
    "organisation:membership_end": [
        Case(
            "Carla at Solsikken",
            lambda w: {"institution_pk": w.institutions["solsikken"].pk, "pk": w.memberships["carla"].pk},
            get=GET_NOT_ALLOWED,
            post=only(erik=DONE, lene=DONE),
            data=none,
        ),
        Case(
            "Dorte (school) under Solsikken's URL",
            lambda w: {"institution_pk": w.institutions["solsikken"].pk, "pk": w.memberships["dorte"].pk},
            post=only(),
            data=none,
        ),
        Case(
            "Dorte at the school",
            lambda w: {"institution_pk": w.institutions["school"].pk, "pk": w.memberships["dorte"].pk},
            post=only(erik=DONE),
            data=none,
        ),
    ],
    # --- accounts -----------------------------------------------------------------------------------
    "accounts:invitation_list": [Case("invitations", none, get=only(erik=OK, olga=OK, lene=OK))],
    "accounts:invitation_create_staff": [
        Case(
            "to Solsikken",
            none,
            get=only(erik=OK, olga=OK, lene=OK),
            # Olga's form offers only Skanderborg's institutions: Solsikken is refused as a choice.
            post=only(erik=DONE, lene=DONE, olga=FORM),
            data=lambda w: {
                "first_name": "Ny",
                "last_name": "Pædagog",
                "email": "ny.paedagog@example.test",
                "institution": w.institutions["solsikken"].pk,
                "role": StaffMembership.Role.PEDAGOGUE,
            },
        ),
        Case(
            "to the school",
            none,
            post=only(erik=DONE, lene=FORM, olga=FORM),
            data=lambda w: {
                "first_name": "Ny",
                "last_name": "Lærer",
                "email": "ny.laerer@example.test",
                "institution": w.institutions["school"].pk,
                "role": StaffMembership.Role.TEACHER,
            },
        ),
    ],
    "accounts:invitation_create_administrator": [
        Case(
            "administrator",
            none,
            get=only(erik=OK, olga=OK),
            post=only(erik=DONE, olga=DONE),  # each for their own municipality
            data=person_payload(),
        )
    ],
    "accounts:invitation_create_guardian": [
        Case(
            "for Emil",
            child_pk("emil", "child_pk"),
            get=only(lene=OK),  # leaders and caseload staff invite; pedagogues and parents do not
            post=only(lene=DONE),
            data=person_payload(relation=Guardianship.Relation.PARENT, has_custody="on"),
        ),
        Case(
            "for the expected baby",
            child_pk("baby", "child_pk"),
            get=only(sofie=OK),
            post=only(sofie=DONE),
            data=person_payload(relation=Guardianship.Relation.FATHER, has_custody="on"),
        ),
        Case(
            "for Søren",
            child_pk("soeren", "child_pk"),
            get=only(),
            post=only(),
            data=person_payload(relation=Guardianship.Relation.FATHER),
        ),
    ],
    "accounts:invitation_revoke": [
        Case(
            "staff invitation to Solsikken",
            lambda w: {"pk": w.invitations["solsikken_staff"].pk},
            get=GET_NOT_ALLOWED,
            post=only(erik=DONE, lene=DONE),
            data=none,
        ),
        Case(
            "staff invitation to the school",
            lambda w: {"pk": w.invitations["school_staff"].pk},
            post=only(erik=DONE),
            data=none,
        ),
        Case(
            "administrator invitation for Aarhus",
            lambda w: {"pk": w.invitations["aarhus_admin"].pk},
            post=only(erik=DONE),
            data=none,
        ),
        Case(
            "staff invitation in Skanderborg",
            lambda w: {"pk": w.invitations["other_staff"].pk},
            post=only(olga=DONE),
            data=none,
        ),
    ],
    "accounts:invitation_accept": [
        # The token in the e-mail is the credential: whoever holds it may accept, signed in or not.
        Case(
            "valid token",
            lambda w: {"token": w.tokens["aarhus_admin"]},
            get=EVERYONE_OK,
            # Accepting signs out whoever else was signed in, and sends the new person to log in.
            post=only(anonymous=Done("account_login"), others=Done("account_login")),
            data=lambda w: {"password1": "en-lang-og-sikker-adgang", "password2": "en-lang-og-sikker-adgang"},
        ),
        Case(
            "unknown token",
            lambda w: {"token": "not-a-real-token"},
            get=only(anonymous=NF, others=NF),
            post=only(anonymous=NF, others=NF),
            data=lambda w: {"password1": "en-lang-og-sikker-adgang", "password2": "en-lang-og-sikker-adgang"},
        ),
    ],
    "accounts:invitation_accept_with_provider": [
        # Starts a broker login for the token's holder; with no broker configured there is none to start.
        Case(
            "valid token, no broker",
            lambda w: {"token": w.tokens["aarhus_admin"], "provider_id": "mitid"},
            get=only(anonymous=NOT_ALLOWED, others=NOT_ALLOWED),
            post=only(anonymous=NF, others=NF),
            data=none,
        ),
        Case(
            "unknown token",
            lambda w: {"token": "not-a-real-token", "provider_id": "mitid"},
            post=only(anonymous=NF, others=NF),
            data=none,
        ),
    ],
    # Before the first authenticator, a code mailed to the person's address; who has one goes on to it.
    "accounts:mfa_setup_confirm": [
        Case(
            "confirm with a mailed code",
            none,
            get=only(others=Done("mfa_activate_totp"), anna=OK, mikkel=OK, bo=OK, freja_pupil=OK),
        ),
    ],
    # allauth's setup behind that step (our view, under allauth's prefix): staff have an authenticator.
    "mfa_activate_totp": [
        Case(
            "set up an authenticator",
            none,
            get=only(
                others=Done(),
                anna=Done("accounts:mfa_setup_confirm"),
                mikkel=Done("accounts:mfa_setup_confirm"),
                bo=Done("accounts:mfa_setup_confirm"),
                freja_pupil=Done("accounts:mfa_setup_confirm"),
            ),
        ),
    ],
}

# Each capability keeps its own part of the matrix in tests/matrix/<area>.py (see tests/matrix/base.py).
MATRIX_PARTS = [
    importlib.import_module(f"tests.matrix.{path.stem}")
    for path in sorted((Path(__file__).parent / "matrix").glob("*.py"))
    if path.stem not in {"__init__", "base"}
]
for _part in MATRIX_PARTS:
    assert not set(_part.MATRIX) & set(MATRIX), f"{_part.__name__} repeats URL names"
    MATRIX.update(_part.MATRIX)

# Confirmed violations of the rules, reported and waiting for a fix in the application. While only these
# occur the persona's matrix test xfails; any other problem fails it, and so does a known issue that no
# longer happens (remove its entry together with the fix).
KNOWN_ISSUES: dict = {}

# Third-party URL trees, allow-listed by prefix (a prefix is matched against the full route).
THIRD_PARTY = {
    "account/": "django-allauth (login, MFA, sessions): its own views require login where they must; "
    "spot-checked in test_allauth_account_pages_need_login",
    settings.ADMIN_URL: "Django admin: admin_view lets only active is_staff users in and the login goes "
    "through allauth; checked in test_django_admin_is_closed_to_all_but_superusers",
}
OUR_PACKAGES = ("portal.", "children.", "expectations.", "transitions.")

# Who may see which child, restated from the rules in portal/access.py (not computed by the policies).
GUARDIAN_OF = {"anna": {"emil"}, "mikkel": {"emil"}, "bo": {"freja"}}
PUPIL_OF = {"freja_pupil": {"freja"}}  # a pupil's own login: their own plan, nothing else
SERVES = {"carla": {"emil", "ida"}, "lene": {"emil", "ida"}, "dorte": {"freja"}, "sofie": {"baby"}}
MUNICIPALITY_CHILDREN = {"erik": {"emil", "freja", "ida", "baby", "viggo"}, "olga": {"soeren"}}
HOME_MUNICIPALITY = {p: "aarhus" for p in PERSONAS if p not in {"olga", "anonymous"}} | {"olga": "other"}
AUDIT_SEARCH = "organisation:audit_search"


# ---------------------------------------------------------------------------------------------------
# The world: the cast plus markers, goals, invitations and access events
# ---------------------------------------------------------------------------------------------------
def _mark(kind, key):
    return f"MARK-{kind}-{key}-{uuid.uuid4().hex[:10]}"


@pytest.fixture
def world(cast):
    c = cast
    children = {
        "emil": c.emil,
        "freja": c.freja,
        "ida": c.ida,
        "baby": c.baby,
        "soeren": c.søren,
        "viggo": f.ChildFactory(municipality=c.aarhus, first_name="Viggo", last_name="Lund"),
    }
    today = timezone.localdate()
    f.EnrollmentFactory(
        child=children["viggo"],
        group=c.mariehonen,
        started_on=today - timedelta(days=700),
        ended_on=today - timedelta(days=30),
    )
    institutions = {
        "solsikken": c.solsikken,
        "school": c.school,
        "health": c.health,
        "other_daycare": c.other_daycare,
    }
    groups = {
        "mariehonen": c.mariehonen,
        "bien": c.bien,
        "class_1a": c.class_1a,
        "caseload": c.caseload,
        "other_group": c.other_group,
    }
    goal_institution = {
        "emil": c.solsikken,
        "ida": c.solsikken,
        "viggo": c.solsikken,
        "freja": c.school,
        "baby": c.health,
        "soeren": c.other_daycare,
    }
    # Who wrote each goal and who looked at each child (so the audit search has rows to (not) show).
    staff_of = {"emil": c.carla, "ida": c.lene, "viggo": c.carla, "freja": c.dorte, "baby": c.sofie}

    name_marks, record_marks, goals, labels = {}, {}, {}, {}
    for key, child in children.items():
        name_marks[key] = _mark("name", key)
        record_marks[key] = _mark("record", key)
        labels[name_marks[key]] = f"{key}'s name"
        labels[record_marks[key]] = f"{key}'s learning record"
        child.first_name = f"{child.first_name} {name_marks[key]}"
        child.save(update_fields=["first_name"])
        goals[key] = f.LearningGoalFactory(
            child=child,
            institution=goal_institution[key],
            created_by=staff_of.get(key),
            title=f"Mål {record_marks[key]}",
            description=f"{record_marks[key]} Beskrivelse af målet.",
            home_activity=f"{record_marks[key]} Noget at gøre derhjemme.",
        )

    org_marks = {"aarhus": set(), "other": set()}
    for key, obj in [*institutions.items(), *groups.items()]:
        municipality = obj.municipality if isinstance(obj, Institution) else obj.institution.municipality
        marker = _mark("org", key)
        obj.name = f"{obj.name} {marker}"
        obj.save(update_fields=["name"])
        org_marks["aarhus" if municipality == c.aarhus else "other"].add(marker)
        labels[marker] = f"{municipality.name}'s {key}"

    expires = timezone.now() + timedelta(days=14)
    tokens = {"aarhus_admin": "a-valid-token-for-the-matrix"}

    def invite(kind, municipality, by, email, **fields):
        return Invitation.objects.create(
            kind=kind,
            municipality=municipality,
            invited_by=by,
            email=email,
            first_name="Inviteret",
            last_name="Person",
            expires_at=expires,
            **fields,
        )

    invitations = {
        "solsikken_staff": invite(
            Invitation.Kind.STAFF,
            c.aarhus,
            c.lene,
            "vikar@example.test",
            institution=c.solsikken,
            role=StaffMembership.Role.PEDAGOGUE,
        ),
        "school_staff": invite(
            Invitation.Kind.STAFF,
            c.aarhus,
            c.erik,
            "laerer@example.test",
            institution=c.school,
            role=StaffMembership.Role.TEACHER,
        ),
        "aarhus_admin": invite(
            Invitation.Kind.ADMINISTRATOR,
            c.aarhus,
            c.erik,
            "ny.admin@example.test",
            token_hash=Invitation.hash_token(tokens["aarhus_admin"]),
            sent_at=timezone.now(),
        ),
        "other_staff": invite(
            Invitation.Kind.STAFF,
            c.other,
            c.olga,
            "soe@example.test",
            institution=c.other_daycare,
            role=StaffMembership.Role.PEDAGOGUE,
        ),
        "emil_guardian": invite(
            Invitation.Kind.GUARDIAN,
            c.aarhus,
            c.lene,
            "bedstemor@example.test",
            child=c.emil,
            relation=Guardianship.Relation.OTHER,
            has_custody=False,
        ),
    }

    AccessEvent.objects.bulk_create(
        AccessEvent(
            actor=staff_of.get(key),
            actor_name=str(staff_of.get(key) or "Pia Pædagog"),
            actor_role="Staff",
            child=child,
            municipality_id=child.municipality_id,
            action=AccessEvent.Action.VIEW,
            subject="child",
        )
        for key, child in children.items()
    )

    memberships = {
        name: StaffMembership.objects.get(user=getattr(c, name))
        for name in ("carla", "lene", "dorte", "sofie")
    }
    w = SimpleNamespace(
        cast=c,
        children=children,
        institutions=institutions,
        groups=groups,
        goals=goals,
        invitations=invitations,
        tokens=tokens,
        memberships=memberships,
        name_marks=name_marks,
        record_marks=record_marks,
        org_marks=org_marks,
        labels=labels,
    )
    for part in MATRIX_PARTS:
        part.build(w)
    return w


# ---------------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------------
def walk_patterns(patterns=None, prefix="", namespace=""):
    """(full route, full name, callback) for every URL pattern the project defines."""
    if patterns is None:
        patterns = get_resolver().url_patterns
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = f"{namespace}:{p.namespace}".strip(":") if p.namespace else namespace
            yield from walk_patterns(p.url_patterns, prefix + str(p.pattern), ns)
        elif isinstance(p, URLPattern):
            name = f"{namespace}:{p.name}".strip(":") if p.name else ""
            yield prefix + str(p.pattern), name, p.callback


def third_party_prefix(route):
    return next((prefix for prefix in THIRD_PARTY if route.startswith(prefix)), None)


SNAPSHOT_MODELS = [
    Municipality,
    Institution,
    Group,
    StaffMembership,
    StaffMembership.groups.through,
    MunicipalAdministrator,
    Child,
    Guardianship,
    Enrollment,
    LearningGoal,
    Invitation,
    User,
    EmailAddress,
    *[model for part in MATRIX_PARTS for model in part.SNAPSHOT_MODELS],
]


def snapshot() -> dict:
    """Row count and a hash of every row of the tables a refused request must not touch."""
    state = {}
    for model in SNAPSHOT_MODELS:
        fields = [fl.attname for fl in model._meta.concrete_fields if fl.attname != "last_login"]
        rows = list(model._default_manager.order_by("pk").values_list(*fields))
        state[model._meta.label] = (len(rows), hashlib.sha256(repr(rows).encode()).hexdigest()[:16])
    return state


def changed_tables(before, after):
    return sorted(label for label in before if before[label] != after[label])


def forbidden_markers(w, persona, url_name) -> set:
    """Every planted marker this persona must not see on this page."""
    visible = GUARDIAN_OF.get(persona, set()) | SERVES.get(persona, set()) | PUPIL_OF.get(persona, set())
    names = set(visible)
    if url_name == AUDIT_SEARCH:
        names |= MUNICIPALITY_CHILDREN.get(persona, set())
    forbidden = {m for k, m in w.name_marks.items() if k not in names}
    forbidden |= {m for k, m in w.record_marks.items() if k not in visible}
    home = HOME_MUNICIPALITY.get(persona)
    for municipality, markers in w.org_marks.items():
        if municipality != home:
            forbidden |= markers
    for part in MATRIX_PARTS:  # markers a capability plants beyond the children's names and records
        if hasattr(part, "forbidden"):
            forbidden |= part.forbidden(w, persona, url_name)
    return forbidden


def describe(response):
    if response.status_code in (301, 302):
        return f"{response.status_code} → {response['Location']}"
    exc = getattr(response, "exc_info", None)
    if exc:
        return f"{response.status_code} ({exc[0].__name__}: {exc[1]})"
    return str(response.status_code)


def check_status(expected, response, login_url, changed, method):
    """An error message, or None if the response is what the matrix says."""
    status = response.status_code
    location = response.get("Location", "")
    if isinstance(expected, Redirect):
        ok = status == 302 and location == reverse(expected.to)
    elif expected == OK:
        ok = status == 200
    elif isinstance(expected, Done):
        if expected.to:
            ok = status == 302 and location == reverse(expected.to)
        else:
            ok = status == 302 and not location.startswith(login_url)
    elif expected == FORM:
        ok = status == 200
    elif expected == LOGIN:
        ok = status == 302 and location.startswith(login_url)
    else:
        ok = str(status) == expected
    problems = []
    if not ok:
        problems.append(f"expected {expected}, got {describe(response)}")
    if method == "POST":
        if isinstance(expected, Done) and not changed:
            problems.append("the POST was accepted but changed nothing (is the payload valid?)")
        if expected in REFUSED and changed:
            problems.append(f"a refused POST changed the database: {', '.join(changed)}")
    return "; ".join(problems) or None


@dataclass(frozen=True)
class Problem:
    key: tuple  # (persona, method, url name, case label, what): matched against KNOWN_ISSUES
    text: str


def run_matrix(persona, w, login):
    client = Client(enforce_csrf_checks=False, raise_request_exception=False)
    user = None if persona == "anonymous" else getattr(w.cast, persona)

    def sign_in():
        if user is not None and client.session.get("_auth_user_id") != str(user.pk):
            # Entering the password again lets the security settings (calendar address) change.
            reauthenticate(login(client, user, mfa=True))

    sign_in()
    login_url = reverse("account_login")
    problems, requests = [], 0
    for url_name, cases in MATRIX.items():
        forbidden = forbidden_markers(w, persona, url_name)
        for case in cases:
            url = reverse(url_name, kwargs=case.kwargs(w)) + case.query
            for method, outcomes in (("GET", case.get), ("POST", case.post)):
                if outcomes is None:
                    continue
                expected = outcomes[persona]
                changed = []
                requests += 1
                if method == "GET":
                    response = client.get(url)
                else:
                    before = snapshot()
                    savepoint = transaction.savepoint_create()
                    try:
                        response = client.post(url, case.data(w))
                        changed = changed_tables(before, snapshot())
                    finally:
                        # Every POST starts from the same world; accepting an invitation signs out.
                        transaction.savepoint_rollback(savepoint)
                        sign_in()
                where = f"{persona:9} {method:4} {url} [{url_name}: {case.label}]"

                def report(what, where=where, key=(persona, method, url_name, case.label)):
                    problems.append(Problem((*key, what), f"{where}: {what}"))

                if message := check_status(expected, response, login_url, changed, method):
                    report(message)
                # Files are streamed: their bytes are scanned for markers like any page.
                content = b"".join(response.streaming_content) if response.streaming else response.content
                body = content.decode(errors="replace") + response.get("Location", "")
                for label in sorted(w.labels[m] for m in forbidden if m in body):
                    report(f"shows {label}")
                if case.shows and expected == OK and response.status_code == 200:
                    missing = sorted(w.labels[m] for m in case.shows(w, persona) if m not in body)
                    if missing:
                        report(f"should show {', '.join(missing)} but does not")
    return problems, requests


# ---------------------------------------------------------------------------------------------------
# Tests
# ---------------------------------------------------------------------------------------------------
def test_every_url_pattern_is_in_the_matrix():
    missing, unnamed, hidden = [], [], []
    ours = set()
    for route, name, callback in walk_patterns():
        if route.startswith(API_PREFIX):
            continue  # the API for municipal systems: its own matrix in tests/api/test_authorization.py
        prefix = third_party_prefix(route)
        if prefix is not None:
            # Nothing of ours may hide in a third-party tree (admin ModelAdmin views are Django's own).
            ours_here = getattr(callback, "__module__", "").startswith(OUR_PACKAGES)
            if ours_here and name in MATRIX:
                ours.add(name)  # ours, in place of allauth's view of that name: covered by the matrix
            elif ours_here and not name.startswith("admin:"):
                hidden.append(f"/{route} ({name or 'unnamed'}, {callback.__module__})")
            continue
        if not name:
            unnamed.append(f"/{route}")
            continue
        ours.add(name)
        if name not in MATRIX:
            missing.append(f"{name} (/{route})")
    stale = sorted(set(MATRIX) - ours)
    assert not unnamed, f"URL patterns without a name cannot be in the matrix: {unnamed}"
    assert not missing, (
        "These URL patterns have no entry in MATRIX in tests/test_authorization_matrix.py; "
        f"add who may GET/POST them: {missing}"
    )
    assert not hidden, f"Our own views under a third-party prefix, not covered by the matrix: {hidden}"
    assert not stale, f"MATRIX has entries for URL names that no longer exist: {stale}"
    for name, cases in MATRIX.items():
        assert cases, f"{name} has no cases"
        for case in cases:
            assert case.get or case.post, f"{name} [{case.label}] tries no method"
            assert not case.post or case.data, f"{name} [{case.label}] has POST outcomes but no payload"
            for outcomes in (case.get, case.post):
                assert outcomes is None or set(outcomes) == set(PERSONAS), f"{name} [{case.label}]"


def test_matrix_covers_every_own_view_with_post_where_it_writes():
    """Views that write (forms and POST-only actions) must have POST outcomes in the matrix."""
    writing = {
        "children:goal_create",
        "children:goal_edit",
        "children:goal_status",
        "organisation:institution_list",
        "organisation:institution_edit",
        "organisation:group_create",
        "organisation:group_edit",
        "organisation:membership_edit",
        "organisation:membership_end",
        "accounts:invitation_create_staff",
        "accounts:invitation_create_administrator",
        "accounts:invitation_create_guardian",
        "accounts:invitation_revoke",
        "accounts:invitation_accept",
    } | {name for part in MATRIX_PARTS for name in part.WRITING}
    without_post = sorted(n for n in writing if not any(c.post for c in MATRIX[n]))
    assert not without_post


@pytest.mark.parametrize("persona", PERSONAS)
def test_authorization_matrix(persona, world, login):
    problems, requests = run_matrix(persona, world, login)
    assert requests > 50
    known = [p for p in problems if p.key in KNOWN_ISSUES]
    new = [p.text for p in problems if p.key not in KNOWN_ISSUES]
    assert not new, f"{len(new)} problem(s) for {persona}:\n" + "\n".join(new)
    fixed = [key for key in KNOWN_ISSUES if key[0] == persona and key not in {p.key for p in known}]
    assert not fixed, f"Known issues no longer happen; remove them from KNOWN_ISSUES: {fixed}"
    if known:
        details = "; ".join(f"{p.text} ({KNOWN_ISSUES[p.key]})" for p in known)
        pytest.xfail(f"known access issue(s): {details}")


def test_django_admin_is_closed_to_all_but_superusers(world, login):
    admin_index = reverse("admin:index")
    admin_login = reverse("admin:login")
    account_login = reverse("account_login")
    changelist = reverse("admin:children_child_changelist")

    anonymous = Client()
    response = anonymous.get(admin_index)
    assert response.status_code == 302 and response["Location"].startswith(admin_login)
    response = anonymous.get(changelist)
    assert response.status_code == 302 and response["Location"].startswith(admin_login)
    # The admin's own login form is replaced by allauth's (password + MFA).
    response = anonymous.get(admin_login)
    assert response.status_code == 302 and response["Location"].startswith(account_login)
    credentials = {"username": "erik@example.test", "password": "correct-horse-battery"}
    response = anonymous.post(admin_login, credentials)
    assert response.status_code == 302 and response["Location"].startswith(account_login)

    for persona in (p for p in PERSONAS if p != "anonymous"):
        client = Client()
        login(client, getattr(world.cast, persona), mfa=True)
        for url in (admin_index, changelist):
            response = client.get(url)
            assert response.status_code in (302, 404), (persona, url, response.status_code)
            if response.status_code == 302:
                assert response["Location"].startswith(admin_login), (persona, url)
        assert client.get(admin_login).status_code == 403, persona
        body = client.get(changelist, follow=True).content.decode(errors="replace")
        assert not [m for m in world.name_marks.values() if m in body], persona

    superuser = enable_mfa(User.objects.create_superuser("root@example.test", "a-long-root-password"))
    client = Client()
    login(client, superuser, mfa=True)
    assert client.get(admin_index).status_code == 200


PROTECTED_ALLAUTH_PAGES = ("mfa_index", "mfa_activate_totp", "usersessions_list", "account_email")


def test_allauth_account_pages_need_login(world):
    anonymous = Client()
    account_login = reverse("account_login")
    for name in PROTECTED_ALLAUTH_PAGES:
        response = anonymous.get(reverse(name))
        assert response.status_code == 302 and response["Location"].startswith(account_login), name
    assert anonymous.get(account_login).status_code == 200


def test_withdrawn_ended_and_unverified_relations_see_nothing(world, login):
    """The edges of the rules the personas do not cover: these people must see no child at all."""
    c = world.cast
    today = timezone.localdate()
    withdrawn = f.UserFactory(email="withdrawn@example.test")
    f.GuardianshipFactory(
        child=c.freja, user=withdrawn, relation="parent", has_custody=False, information_withdrawn=True
    )
    former = f.UserFactory(email="former@example.test")
    f.GuardianshipFactory(
        child=c.emil,
        user=former,
        relation="foster_parent",
        started_on=today - timedelta(days=300),
        ended_on=today - timedelta(days=1),
    )
    StaffMembership.objects.filter(user=c.dorte).update(ended_on=today)  # the first day without access

    def urls(key, *, on_child=NF, elsewhere=OK, extra=()):
        pk = world.children[key].pk
        return [
            (reverse("children:child_detail", args=[pk]), on_child),
            (reverse("children:access_log", args=[pk]), on_child),
            (reverse("children:goal_create", args=[pk]), on_child),
            *extra,
            (reverse("children:parent_home"), elsewhere),
            (reverse("home"), elsewhere),  # the "no role" page
        ]

    class_1a = reverse("children:group_detail", args=[world.groups["class_1a"].pk])
    people = [
        ("parent whose right to information is withdrawn", withdrawn, True, urls("freja")),
        ("foster parent whose guardianship ended", former, True, urls("emil")),
        ("teacher whose membership ended today", c.dorte, True, urls("freja", extra=[(class_1a, NF)])),
        ("pedagogue without MFA this session", c.carla, False, urls("emil", on_child=LOGIN, elsewhere=LOGIN)),
    ]
    login_url = reverse("account_login")
    every_marker = {*world.name_marks.values(), *world.record_marks.values()}
    problems = []
    for who, user, mfa, checks in people:
        client = Client()
        for url, expected in checks:
            login(client, user, mfa=mfa)
            response = client.get(url)
            if expected == LOGIN:
                status_ok = response.status_code == 302 and response["Location"].startswith(login_url)
            else:
                status_ok = str(response.status_code) == expected
            if not status_ok:
                problems.append(f"{who}: GET {url}: expected {expected}, got {describe(response)}")
            body = response.content.decode(errors="replace")
            leaked = sorted(world.labels[m] for m in every_marker if m in body)
            if leaked:
                problems.append(f"{who}: GET {url}: shows {', '.join(leaked)}")
    assert not problems, "\n".join(problems)


def test_django_admin_staff_user_without_portal_role_needs_mfa(world, login):
    """A Django-admin user (is_staff, not superuser) with permission to view children must pass MFA first."""
    desk = User.objects.create_user("desk@example.test", "a-long-desk-password", is_staff=True)
    view_child = Permission.objects.get(codename="view_child", content_type__app_label="children")
    desk.user_permissions.add(view_child)
    client = Client(raise_request_exception=False)
    login(client, desk, mfa=False)
    response = client.get(reverse("admin:children_child_changelist"))
    assert response.status_code == 302, describe(response)
    assert not [m for m in world.name_marks.values() if m in response.content.decode(errors="replace")]
