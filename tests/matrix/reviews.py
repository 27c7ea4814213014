"""Policy expectation reviews in the authorization matrix.

Aarhus has an open round (with questions, Solsikken's leader Lene answering) and a draft round being
prepared; Skanderborg has an open round. Every round title carries its municipality's org marker, so the
scan proves that nobody sees the other municipality's rounds. Erik runs Aarhus's rounds and Olga
Skanderborg's; Lene answers for Solsikken; Emil's guardians (Anna with custody, Mikkel without) answer the
survey about Solsikken and Bo about Skovvangskolen.
"""

import datetime
import uuid

from django.utils import timezone

from expectations.models import (
    InstitutionReview,
    ReflectionAnswer,
    ReflectionQuestion,
    ReviewRound,
    RoundFigures,
    SatisfactionAnswer,
    SurveyParticipation,
)
from expectations.services.reviews import review_round_create
from tests.matrix.base import DONE, FORM, GET_NOT_ALLOWED, OK, Case, none, only

SNAPSHOT_MODELS = [
    ReviewRound,
    RoundFigures,
    ReflectionQuestion,
    InstitutionReview,
    ReflectionAnswer,
    SatisfactionAnswer,
    SurveyParticipation,
]


def review_round(key):
    return lambda w: {"pk": w.review_rounds[key].pk}


def on_round(key):
    return lambda w: {"round_pk": w.review_rounds[key].pk}


def question(key):
    return lambda w: {"round_pk": w.review_rounds[key].pk, "pk": w.review_questions[key].pk}


def round_and_institution(round_key, institution_key):
    return lambda w: {
        "round_pk": w.review_rounds[round_key].pk,
        "institution_pk": w.institutions[institution_key].pk,
    }


def shows_round(w, persona):
    return {w.review_marks["other" if persona == "olga" else "aarhus"]}


def round_payload(w):
    today = timezone.localdate()
    return {
        "title": "Gennemgang 2027",
        "period_start": today.isoformat(),
        "period_end": (today + datetime.timedelta(days=365)).isoformat(),
        "answers_due_on": "",
    }


def question_payload(w):
    return {"theme": "collaboration", "text": "Hvordan inviterer I forældrene ind?"}


def leader_payload(w):
    data = {
        f"answer_{q.pk}": "Vi taler med alle forældre."
        for q in w.review_rounds["aarhus_open"].questions.all()
    }
    return {**data, "next_steps": "Flere samtaler.", "action": "submit"}


def survey_payload(w):
    return {"clear": "4", "equal": "3", "concrete": "5", "comment": "Godt samarbejde."}


MATRIX = {
    "expectations:review_round_list": [
        Case("rounds", none, get=only(erik=OK, olga=OK), shows=shows_round),
    ],
    "expectations:review_round_create": [
        Case(
            "new round",
            none,
            get=only(erik=OK, olga=OK),
            post=only(erik=DONE, olga=DONE),
            data=round_payload,
        ),
    ],
    "expectations:review_round_detail": [
        Case("Aarhus open", review_round("aarhus_open"), get=only(erik=OK), shows=shows_round),
        Case("Aarhus draft", review_round("aarhus_draft"), get=only(erik=OK), shows=shows_round),
        Case("Skanderborg open", review_round("other_open"), get=only(olga=OK), shows=shows_round),
    ],
    "expectations:review_round_open": [
        Case(
            "Aarhus draft", review_round("aarhus_draft"), get=GET_NOT_ALLOWED, post=only(erik=DONE), data=none
        ),
    ],
    "expectations:review_round_close": [
        Case(
            "Aarhus open", review_round("aarhus_open"), get=GET_NOT_ALLOWED, post=only(erik=DONE), data=none
        ),
        Case(
            "Skanderborg open",
            review_round("other_open"),
            get=GET_NOT_ALLOWED,
            post=only(olga=DONE),
            data=none,
        ),
    ],
    "expectations:review_report": [
        Case("Aarhus open", review_round("aarhus_open"), get=only(erik=OK), shows=shows_round),
        Case("Skanderborg open", review_round("other_open"), get=only(olga=OK), shows=shows_round),
    ],
    "expectations:review_figures_refresh": [
        Case(
            "Aarhus open", review_round("aarhus_open"), get=GET_NOT_ALLOWED, post=only(erik=DONE), data=none
        ),
        Case(
            "Skanderborg open",
            review_round("other_open"),
            get=GET_NOT_ALLOWED,
            post=only(olga=DONE),
            data=none,
        ),
    ],
    "expectations:review_report_csv": [
        Case("Aarhus open", review_round("aarhus_open"), get=only(erik=OK)),
        Case("Skanderborg open", review_round("other_open"), get=only(olga=OK)),
    ],
    "expectations:review_report_pdf": [
        Case("Aarhus open", review_round("aarhus_open"), get=only(erik=OK)),
        Case("Skanderborg open", review_round("other_open"), get=only(olga=OK)),
    ],
    "expectations:review_question_create": [
        Case(
            "Aarhus draft",
            on_round("aarhus_draft"),
            get=only(erik=OK),
            post=only(erik=DONE),
            data=question_payload,
        ),
        Case(
            "Aarhus open (read-only)",
            on_round("aarhus_open"),
            get=only(erik=OK),
            post=only(erik=FORM),
            data=question_payload,
        ),
    ],
    "expectations:review_question_edit": [
        Case(
            "Aarhus draft question",
            question("aarhus_draft"),
            get=only(erik=OK),
            post=only(erik=DONE),
            data=question_payload,
        ),
        Case(
            "Aarhus open question (read-only)",
            question("aarhus_open"),
            get=only(erik=OK),
            post=only(erik=FORM),
            data=question_payload,
        ),
    ],
    "expectations:review_question_delete": [
        Case(
            "Aarhus draft question",
            question("aarhus_draft"),
            get=GET_NOT_ALLOWED,
            post=only(erik=DONE),
            data=none,
        ),
    ],
    "expectations:review_question_move": [
        Case(
            "Aarhus draft question down",
            question("aarhus_draft"),
            get=GET_NOT_ALLOWED,
            post=only(erik=DONE),
            data=lambda w: {"direction": "down"},
        ),
    ],
    "expectations:institution_review_list": [
        Case("Lene's rounds", none, get=only(lene=OK), shows=shows_round),
    ],
    "expectations:institution_review_edit": [
        Case(
            "Aarhus open, Solsikken",
            round_and_institution("aarhus_open", "solsikken"),
            get=only(lene=OK),
            post=only(lene=DONE),
            data=leader_payload,
        ),
        Case(
            "Aarhus draft, Solsikken",
            round_and_institution("aarhus_draft", "solsikken"),
            get=only(),
            post=only(),
            data=leader_payload,
        ),
        Case(
            "Aarhus open, Skovvangskolen (no leader in the cast)",
            round_and_institution("aarhus_open", "school"),
            get=only(),
            post=only(),
            data=leader_payload,
        ),
    ],
    "expectations:survey_list": [
        Case("open surveys", none, get=only(anna=OK, mikkel=OK, bo=OK), shows=shows_round),
    ],
    "expectations:survey_answer": [
        Case(
            "Aarhus open, Solsikken",
            round_and_institution("aarhus_open", "solsikken"),
            get=only(anna=OK, mikkel=OK),
            post=only(anna=DONE, mikkel=DONE),
            data=survey_payload,
        ),
        Case(
            "Aarhus open, Skovvangskolen",
            round_and_institution("aarhus_open", "school"),
            get=only(bo=OK),
            post=only(bo=DONE),
            data=survey_payload,
        ),
        Case(
            "Aarhus draft, Solsikken",
            round_and_institution("aarhus_draft", "solsikken"),
            get=only(),
            post=only(),
            data=survey_payload,
        ),
        Case(
            "Skanderborg open, Børnehaven Ved Søen (no guardian in the cast)",
            round_and_institution("other_open", "other_daycare"),
            get=only(),
            post=only(),
            data=survey_payload,
        ),
    ],
}

WRITING = {
    "expectations:review_round_create",
    "expectations:review_round_open",
    "expectations:review_round_close",
    "expectations:review_figures_refresh",
    "expectations:review_question_create",
    "expectations:review_question_edit",
    "expectations:review_question_delete",
    "expectations:review_question_move",
    "expectations:institution_review_edit",
    "expectations:survey_answer",
}


def _marker(w, municipality_key):
    marker = f"MARK-org-review-{municipality_key}-{uuid.uuid4().hex[:10]}"
    w.org_marks[municipality_key].add(marker)
    w.labels[marker] = f"{municipality_key}'s review round"
    return marker


def build(w):
    c = w.cast
    today = timezone.localdate()
    marks = {"aarhus": _marker(w, "aarhus"), "other": _marker(w, "other")}

    def make(municipality, key, title, *, status):
        review = review_round_create(
            municipality=municipality,
            title=f"{title} {marks[key]}",
            period_start=today - datetime.timedelta(days=365),
            period_end=today,
            created_by=None,
        )
        review.status = status
        review.save(update_fields=["status"])
        return review

    S = ReviewRound.Status
    rounds = {
        "aarhus_open": make(c.aarhus, "aarhus", "Gennemgang 2026", status=S.OPEN),
        "aarhus_draft": make(c.aarhus, "aarhus", "Gennemgang 2027", status=S.DRAFT),
        "other_open": make(c.other, "other", "Gennemgang 2026", status=S.OPEN),
    }
    w.review_rounds = rounds
    w.review_questions = {key: r.questions.order_by("position").first() for key, r in rounds.items()}
    w.review_marks = marks
