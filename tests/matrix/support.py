"""Shared competences, the home activity library and language assessments in the authorization matrix.

Both municipalities have the suggested framework and library; each one's first competence carries its
municipality's org marker (so nobody reads the other municipality's framework), and one suggested
activity is missing in each (so loading the suggestions changes something).

Emil has a language assessment at Solsikken with a result shown to the family, the parents'
observations and a home plan, all carrying his record marker, and a second one, open, waiting for the
parents. Ida's (no guardians) has a result. Freja's in 0. klasse at the school links back to the one
from her daycare, Solsikken, which she has left: the school reads it, Solsikken no longer sees it.
Søren's is in the other municipality.
"""

from datetime import timedelta

from django.utils import timezone

from children.models import (
    Competence,
    CompetenceAdvice,
    CompetenceChange,
    HomeActivity,
    HomeActivityTry,
    HomeLanguagePlan,
    LanguageAssessment,
    LanguageObservation,
    LearningGoal,
)
from children.services.competences import competence_framework_seed
from portal.meetings.models import Meeting, Reminder
from tests.matrix.base import DONE, FORM, GET_NOT_ALLOWED, OK, Case, none, only

SNAPSHOT_MODELS = [
    Competence,
    CompetenceAdvice,
    CompetenceChange,
    HomeActivity,
    HomeActivityTry,
    LanguageAssessment,
    LanguageObservation,
    HomeLanguagePlan,
    HomeLanguagePlan.activities.through,
    LearningGoal.competences.through,
    Meeting,
    Reminder,
]
WRITING = {
    "children:competence_seed",
    "children:competence_edit",
    "children:competence_advice_edit",
    "children:language_assessment_create",
    "children:language_observation",
    "children:language_result",
    "children:language_talk",
    "children:language_home_plan",
    "children:language_follow_up",
    "children:language_plan_try",
}
AARHUS_READERS = ("anna", "mikkel", "bo", "carla", "lene", "dorte", "sofie", "erik")
LIBRARY_READERS = ("carla", "lene", "dorte", "sofie", "erik", "olga")


def _marker(w, municipality, key):
    marker = f"MARK-org-{key}-{timezone.now().microsecond:06d}{len(w.labels)}"
    w.org_marks[municipality].add(marker)
    w.labels[marker] = f"{municipality}'s {key}"
    return marker


def build(w):
    c = w.cast
    today = timezone.localdate()
    w.competences, w.competence_marks = {}, {}
    for key, municipality in (("aarhus", c.aarhus), ("other", c.other)):
        competence_framework_seed(municipality=municipality)
        HomeActivity.objects.filter(municipality=municipality, code="tummy-time").delete()
        first = Competence.objects.filter(municipality=municipality).order_by("position").first()
        marker = _marker(w, key, "competence")
        first.name_da = first.name_en = f"Robusthed {marker}"
        first.save()
        w.competences[key] = first
        w.competence_marks[key] = marker

    def assessment(child, institution, *, record=True, **fields):
        mark = w.record_marks[next(k for k, v in w.children.items() if v.pk == child.pk)]
        return LanguageAssessment.objects.create(
            child=child,
            institution=institution,
            summary=f"Det så vi {mark}" if record else "",
            **fields,
        )

    done = {"assessed_on": today - timedelta(days=3), "result": "focused", "shared_at": timezone.now()}
    emil = w.children["emil"]
    w.assessments = {
        "emil": assessment(emil, c.solsikken, stage="age_three", **done),
        "emil_open": assessment(emil, c.solsikken, record=False, stage="age_three", planned_on=today),
        "ida": assessment(w.children["ida"], c.solsikken, stage="age_three", **{**done, "shared_at": None}),
        "soeren": assessment(w.children["soeren"], c.other_daycare, stage="age_three", **done),
    }
    w.assessments["freja_daycare"] = assessment(w.children["freja"], c.solsikken, stage="age_three", **done)
    w.assessments["freja"] = assessment(
        w.children["freja"],
        c.school,
        stage="school_start",
        earlier=w.assessments["freja_daycare"],
        **{**done, "shared_at": None},
    )
    LanguageObservation.objects.create(
        assessment=w.assessments["emil"],
        home_languages=f"Dansk {w.record_marks['emil']}",
        danish_at_home=True,
        tells_about_things="often",
        follows_two_steps="sometimes",
        enjoys_stories="often",
        filled_by=c.anna,
        filled_by_name="Anna Jensen",
        filled_at=timezone.now(),
    )
    w.activities = {
        "aarhus": HomeActivity.objects.get(municipality=c.aarhus, code="dialogic-reading"),
        "aarhus_song": HomeActivity.objects.get(municipality=c.aarhus, code="songs-and-rhymes"),
        "other": HomeActivity.objects.get(municipality=c.other, code="dialogic-reading"),
    }
    w.home_plans = {}
    for key, municipality in (("emil", "aarhus"), ("soeren", "other")):
        plan = HomeLanguagePlan.objects.create(
            assessment=w.assessments[key],
            note=f"Læs hver dag {w.record_marks[key]}",
            follow_up_on=today + timedelta(days=20),
        )
        plan.activities.set([w.activities[municipality]])
        w.home_plans[key] = plan


def assessment(key):
    return lambda w: {"pk": w.assessments[key].pk}


def shows_record(key):
    return lambda w, persona: {w.record_marks[key]}


def _future():
    return (timezone.localdate() + timedelta(days=9)).isoformat()


def talk_payload(w):
    return {"day": _future(), "start": "14:00", "end": "14:30", "location": "Stuen", "agenda": "Sprog"}


def result_payload(w):
    return {"assessed_on": timezone.localdate().isoformat(), "result": "general", "summary": "Fint"}


def observation_payload(w):
    return {
        "home_languages": "Dansk og arabisk",
        "danish_at_home": "yes",
        "tells_about_things": "often",
        "follows_two_steps": "often",
        "enjoys_stories": "sometimes",
        "wonders": "",
    }


def plan_payload(key):
    return lambda w: {
        "activities": [w.activities["aarhus"].pk, w.activities["aarhus_song"].pk],
        "note": "Syng og læs",
        "follow_up_on": _future(),
    }


def competence_payload(key):
    return lambda w: {
        "name_da": "Robusthed",
        "name_en": "Robustness",
        "description_da": "At klare modgang.",
        "description_en": "Coping.",
    }


def advice_payload(w):
    return {
        "parents_da": "Trøst og prøv igen.",
        "parents_en": "Comfort and try again.",
        "professionals_da": "Giv tid.",
        "professionals_en": "Give time.",
    }


def competence(key):
    return lambda w: {"pk": w.competences[key].pk}


EMIL_READERS = dict.fromkeys(("anna", "mikkel", "carla", "lene"), OK)

MATRIX = {
    "children:competence_list": [
        Case(
            "the framework",
            none,
            get=only(**dict.fromkeys(AARHUS_READERS, OK), olga=OK),
            shows=lambda w, p: {w.competence_marks["other" if p == "olga" else "aarhus"]},
        ),
        Case("one age", none, query="?band=3-5", get=only(**dict.fromkeys(AARHUS_READERS, OK), olga=OK)),
    ],
    "children:competence_seed": [
        Case("load the suggestions", none, get=GET_NOT_ALLOWED, post=only(erik=DONE, olga=DONE), data=none),
    ],
    "children:competence_edit": [
        Case(
            "Aarhus",
            competence("aarhus"),
            get=only(erik=OK),
            post=only(erik=DONE),
            data=competence_payload("aarhus"),
            shows=lambda w, p: {w.competence_marks["aarhus"]},
        ),
        Case(
            "Skanderborg",
            competence("other"),
            get=only(olga=OK),
            post=only(olga=DONE),
            data=competence_payload("other"),
        ),
    ],
    "children:competence_advice_edit": [
        Case(
            "Aarhus, 3–5",
            lambda w: {"pk": w.competences["aarhus"].pk, "band": "3-5"},
            get=only(erik=OK),
            post=only(erik=DONE),
            data=advice_payload,
        ),
        Case(
            "Aarhus, no such age",
            lambda w: {"pk": w.competences["aarhus"].pk, "band": "17-99"},
            get=only(),
            post=only(),
            data=advice_payload,
        ),
        Case(
            "Skanderborg, 0–2",
            lambda w: {"pk": w.competences["other"].pk, "band": "0-2"},
            get=only(olga=OK),
            post=only(olga=DONE),
            data=advice_payload,
        ),
    ],
    "children:activity_list": [
        Case("the library", none, get=only(**dict.fromkeys(LIBRARY_READERS, OK))),
        Case(
            "filtered by age and theme",
            none,
            query="?band=3-5&theme=language",
            get=only(**dict.fromkeys(LIBRARY_READERS, OK)),
        ),
    ],
    "children:language_assessment_create": [
        Case(
            "Emil (an open one waits)",
            lambda w: {"child_pk": w.children["emil"].pk},
            get=only(carla=OK, lene=OK),
            post=only(carla=FORM, lene=FORM),
            data=lambda w: {"planned_on": _future()},
        ),
        Case(
            "Ida (Carla sees, cannot write)",
            lambda w: {"child_pk": w.children["ida"].pk},
            get=only(lene=OK),
            post=only(lene=DONE),
            data=lambda w: {"planned_on": _future()},
        ),
        Case(
            "Freja (1. klasse, not 0.)",
            lambda w: {"child_pk": w.children["freja"].pk},
            get=only(dorte=OK),
            post=only(dorte=FORM),
            data=lambda w: {},
        ),
        Case(
            "the expected baby",
            lambda w: {"child_pk": w.children["baby"].pk},
            get=only(sofie=OK),
            post=only(sofie=FORM),
            data=lambda w: {},
        ),
        Case("Søren", lambda w: {"child_pk": w.children["soeren"].pk}, get=only(), post=only(), data=none),
    ],
    "children:language_assessment_detail": [
        Case("Emil", assessment("emil"), get=only(**EMIL_READERS), shows=shows_record("emil")),
        Case("Emil, open", assessment("emil_open"), get=only(**EMIL_READERS)),
        Case("Ida", assessment("ida"), get=only(carla=OK, lene=OK), shows=shows_record("ida")),
        Case("Freja at school", assessment("freja"), get=only(dorte=OK, bo=OK)),
        Case("Freja from daycare", assessment("freja_daycare"), get=only(dorte=OK, bo=OK)),
        Case("Søren", assessment("soeren"), get=only()),
    ],
    "children:language_observation": [
        Case(
            "Emil, open",
            assessment("emil_open"),
            get=only(anna=OK),
            post=only(anna=DONE),
            data=observation_payload,
        ),
        Case(
            "Emil, done",
            assessment("emil"),
            get=only(anna=OK),
            post=only(anna=FORM),
            data=observation_payload,
        ),
        Case("Søren", assessment("soeren"), get=only(), post=only(), data=observation_payload),
    ],
    "children:language_result": [
        Case(
            "Emil",
            assessment("emil"),
            get=only(carla=OK, lene=OK),
            post=only(carla=DONE, lene=DONE),
            data=result_payload,
        ),
        Case(
            "Freja at school",
            assessment("freja"),
            get=only(dorte=OK),
            post=only(dorte=DONE),
            data=lambda w: {**result_payload(w), "tool_result": "Generel indsats"},
        ),
        Case(
            "Freja from daycare (read-only at school)",
            assessment("freja_daycare"),
            get=only(),
            post=only(),
            data=result_payload,
        ),
    ],
    "children:language_talk": [
        Case(
            "Emil",
            assessment("emil"),
            get=only(carla=OK, lene=OK),
            post=only(carla=DONE, lene=DONE),
            data=talk_payload,
        ),
        Case("Søren", assessment("soeren"), get=only(), post=only(), data=talk_payload),
    ],
    "children:language_home_plan": [
        Case(
            "Emil",
            assessment("emil"),
            get=only(carla=OK, lene=OK),
            post=only(carla=DONE, lene=DONE),
            data=plan_payload("emil"),
        ),
        Case(
            "Emil, open (no result yet)",
            assessment("emil_open"),
            get=only(carla=OK, lene=OK),
            post=only(carla=FORM, lene=FORM),
            data=plan_payload("emil"),
        ),
    ],
    "children:language_follow_up": [
        Case(
            "Emil",
            assessment("emil"),
            get=GET_NOT_ALLOWED,
            post=only(carla=DONE, lene=DONE),
            data=lambda w: {"note": "Det går godt"},
        ),
        Case("Søren", assessment("soeren"), post=only(), data=lambda w: {"note": "Det går godt"}),
    ],
    "children:language_plan_try": [
        Case(
            "Emil",
            assessment("emil"),
            get=GET_NOT_ALLOWED,
            post=only(anna=DONE, mikkel=DONE),
            data=lambda w: {"activity": w.activities["aarhus"].pk, "outcome": "well"},
        ),
        Case(
            "Emil, with Skanderborg's activity",
            assessment("emil"),
            post=only(anna=FORM, mikkel=FORM),
            data=lambda w: {"activity": w.activities["other"].pk, "outcome": "well"},
        ),
        Case(
            "Søren",
            assessment("soeren"),
            post=only(),
            data=lambda w: {"activity": w.activities["other"].pk, "outcome": "well"},
        ),
    ],
}
