"""The pupil's own login and voice in the authorization matrix.

Freja's pupil plan is published again with its focus point (carrying her record marker), so her own
login (``freja_pupil``) reads it and writes a reflection on it; a second focus point is only in the
draft, so a reflection on it is refused. Dorte (Freja's teacher) gives a login code and ends the login;
Lene leads Solsikken, not the school, and a daycare child (Emil) has no pupil login at all. A valid code
for Freja lets whoever holds it make a login; an unknown code is refused.
"""

from datetime import timedelta

from django.utils import timezone

from children.models import FocusPoint, LearningPlan, PupilAccount, PupilCode, PupilMessage, PupilReflection
from children.services.pupils import _code_hash
from tests import factories as f
from tests.matrix.base import (
    DONE,
    EVERYONE_OK,
    FORM,
    GET_NOT_ALLOWED,
    NOT_ALLOWED,
    OK,
    Case,
    Done,
    none,
    only,
)

SNAPSHOT_MODELS = [PupilAccount, PupilCode, PupilReflection, PupilMessage]
WRITING = {
    "children:pupil_reflection_create",
    "children:pupil_message_create",
    "children:pupil_signup",
    "children:pupil_login",
    "children:pupil_login_revoke",
}
CODE = "MATR-IX23"


def build(w):
    plan = w.plans["freja"]
    f.publish_plan(plan)
    later = timezone.now() + timedelta(seconds=1)
    LearningPlan.objects.filter(pk=plan.pk).update(draft_changed_at=later)  # still a draft to publish
    w.draft_focus_point = FocusPoint.objects.create(
        plan=plan,
        area=FocusPoint.Area.MATHEMATICS,
        title="Kun i kladden",
        school_effort="Regnebånd.",
        home_support="Tæl trapper.",
    )
    w.pupil_code = CODE
    PupilCode.objects.create(
        child=w.children["freja"],
        code_hash=_code_hash(CODE),
        created_by=w.cast.dorte,
        expires_at=timezone.now() + timedelta(days=14),
    )


def reflection(w):
    return {"focus_point": w.focus_points["freja"].pk, "text": "Jeg læser mere nu."}


def signup(code):
    return lambda w: {
        "code": code,
        "email": "ny.elev@example.test",
        "password1": "en-lang-og-sikker-adgang",
        "password2": "en-lang-og-sikker-adgang",
    }


def own_plan(w, persona):
    return {w.record_marks["freja"], w.name_marks["freja"]}


MATRIX = {
    "children:pupil_home": [Case("the pupil's own plan", none, get=only(freja_pupil=OK), shows=own_plan)],
    "children:pupil_reflection_create": [
        Case(
            "on a published focus point",
            none,
            get=only(others=NOT_ALLOWED, freja_pupil=NOT_ALLOWED),
            post=only(freja_pupil=DONE),
            data=reflection,
        ),
        Case(
            "on a focus point only in the draft",
            none,
            post=only(freja_pupil=FORM),
            data=lambda w: {"focus_point": w.draft_focus_point.pk, "text": "Hemmeligt?"},
        ),
    ],
    "children:pupil_message_create": [
        Case(
            "to the parents",
            none,
            get=only(others=NOT_ALLOWED, freja_pupil=NOT_ALLOWED),
            post=only(freja_pupil=DONE),
            data=lambda w: {"text": "Læs med mig om aftenen."},
        ),
        Case("empty", none, post=only(freja_pupil=FORM), data=lambda w: {"text": "  "}),
    ],
    "children:pupil_signup": [
        Case(
            "a valid code",
            none,
            get=EVERYONE_OK,
            # The code is the credential: whoever holds it makes the login (and is signed in as the pupil).
            post=only(anonymous=Done("children:pupil_home"), others=Done("children:pupil_home")),
            data=signup(CODE),
        ),
        Case(
            "an unknown code",
            none,
            post=only(anonymous=FORM, others=FORM),
            data=signup("ABCD-EFGH"),
        ),
    ],
    "children:pupil_login": [
        Case(
            "Freja (1.A)",
            lambda w: {"child_pk": w.children["freja"].pk},
            get=only(dorte=OK),
            post=only(dorte=OK),  # the new code is shown on the answer, once
            data=none,
        ),
        Case(
            "Emil (daycare)",
            lambda w: {"child_pk": w.children["emil"].pk},
            get=only(),
            post=only(),
            data=none,
        ),
    ],
    "children:pupil_login_revoke": [
        Case(
            "Freja (1.A)",
            lambda w: {"child_pk": w.children["freja"].pk},
            get=GET_NOT_ALLOWED,
            post=only(dorte=DONE),
            data=none,
        ),
        Case("Emil (daycare)", lambda w: {"child_pk": w.children["emil"].pk}, post=only(), data=none),
    ],
}
