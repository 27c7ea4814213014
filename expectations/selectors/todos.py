"""The to-dos shared responsibility contributes to the homes (``portal.todos``): agreements to answer or
to talk about again, the parents' survey, the leaders' review answers and the administrators' rounds
and charter drafts. Each function costs one query, or a fixed few, whatever the number of rows."""

from datetime import date, timedelta

from django.db.models import Case, DateField, Exists, F, OuterRef, Q, Value, When
from django.db.models.functions import TruncDate
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _

from children.models import Child, Guardianship
from expectations.models import (
    AgreementAcceptance,
    CharterVersion,
    ExpectationAgreement,
    InstitutionReview,
    ReviewRound,
    SurveyParticipation,
)
from expectations.policies.agreements import agreements_served_by
from expectations.policies.reviews import (
    institutions_led_by,
    review_rounds_for_leader,
    survey_institutions_for,
    survey_rounds_for,
)
from expectations.selectors.agreements import REVIEW_WINDOW_DAYS
from expectations.services.agreement_notices import REMINDER_AFTER
from portal.statements import Statement
from portal.todos import CHILD_FIELDS, LIMIT, ChildRef, Todo

Status = ExpectationAgreement.Status


def _answer_by(proposed_at) -> date | None:
    """When we hope for an answer: the day a reminder would go out."""
    if proposed_at is None:
        return None
    return timezone.localdate(proposed_at + REMINDER_AFTER)


def _url(pk: int) -> str:
    return reverse_lazy("expectations:agreement_detail", args=[pk])


AGREEMENT_FIELDS = ("pk", "status", "proposed_at", "review_due_on", "institution__name", *CHILD_FIELDS)


def _answers_awaited(user):
    custody = Child.objects.filter(
        Exists(Guardianship.objects.active().filter(child=OuterRef("pk"), user=user, has_custody=True))
    )
    mine = AgreementAcceptance.objects.filter(
        agreement=OuterRef("pk"), user=user, revision=OuterRef("revision")
    )
    return (
        ExpectationAgreement.objects.filter(status=Status.PROPOSED, child__in=custody)
        .exclude(Exists(mine))
        .order_by("proposed_at", "pk")
        .values(*AGREEMENT_FIELDS)[:LIMIT]
    )


_ANSWERS_AWAITED = Statement(_answers_awaited)


def agreement_answer_todos(user) -> list[Todo]:
    """Proposed agreements of the children this parent decides for (custody) that wait for their yes
    to the current revision. One query."""
    return [
        Todo(
            kind="agreement",
            title=_("Answer the agreement about %(name)s") % {"name": a["child__first_name"]},
            url=_url(a["pk"]),
            action=_("Read and answer"),
            deadline=_answer_by(a["proposed_at"]),
            note=a["institution__name"],
            child=ChildRef.of(a),
        )
        for a in _ANSWERS_AWAITED.rows(user)
    ]


# The day each kind of agreement to-do is due (``_answer_by``, ``review_due_on``; drafts have none):
# the to-dos come in the order the home shows them.
_DEADLINE = Case(
    When(status=Status.PROPOSED, then=TruncDate(F("proposed_at") + REMINDER_AFTER)),
    When(status=Status.IN_FORCE, then=F("review_due_on")),
    default=Value(None),
    output_field=DateField(),
)


def _staff_agreements(user, *, on, review_until):
    staff_yes = AgreementAcceptance.objects.filter(
        agreement=OuterRef("pk"), revision=OuterRef("revision"), role=AgreementAcceptance.Role.STAFF
    )
    return (
        agreements_served_by(user, writing=True)
        .filter(
            Q(status=Status.PROPOSED) & ~Exists(staff_yes)
            | Q(status=Status.DRAFT, created_by=user)
            | Q(status=Status.IN_FORCE, review_due_on__lte=review_until)
        )
        .annotate(deadline=_DEADLINE)
        .order_by(F("deadline").asc(nulls_last=True), "pk")
        .values(*AGREEMENT_FIELDS)[:LIMIT]
    )


_STAFF_AGREEMENTS = Statement(_staff_agreements, on=date, review_until=date)


def staff_agreement_todos(user, *, on: date) -> list[Todo]:
    """Agreements of the children this staff member decides for: proposed ones no staff member has
    accepted yet, their own drafts not proposed, and those in force due for review within 30 days.
    One query."""
    rows = _STAFF_AGREEMENTS.rows(user, on=on, review_until=on + timedelta(days=REVIEW_WINDOW_DAYS))
    todos = []
    for a in rows:
        name = {"name": a["child__first_name"]}
        if a["status"] == Status.PROPOSED:
            title, action, deadline = (
                _("Accept the agreement about %(name)s") % name,
                _("Read and answer"),
                _answer_by(a["proposed_at"]),
            )
        elif a["status"] == Status.DRAFT:
            title, action, deadline = (
                _("Propose your draft agreement about %(name)s") % name,
                _("Open the draft"),
                None,
            )
        else:
            title, action, deadline = (
                _("Talk about the agreement about %(name)s again") % name,
                _("Open the agreement"),
                a["review_due_on"],
            )
        todos.append(
            Todo(
                kind="agreement",
                title=title,
                url=_url(a["pk"]),
                action=action,
                deadline=deadline,
                note=a["institution__name"],
                child=ChildRef.of(a),
            )
        )
    return todos


ROUND_FIELDS = ("pk", "title", "answers_due_on", "municipality_id")
PLACE_FIELDS = ("pk", "name", "municipality_id")

_SURVEY_PLACES = Statement(
    lambda user: survey_institutions_for(user).order_by("name", "pk").values(*PLACE_FIELDS)
)
_SURVEY_ROUNDS = Statement(
    lambda user: (
        survey_rounds_for(user).order_by(F("answers_due_on").asc(nulls_last=True), "pk").values(*ROUND_FIELDS)
    )
)
_SURVEYS_ANSWERED = Statement(
    lambda user: SurveyParticipation.objects.filter(user=user, round__in=survey_rounds_for(user)).values(
        "round_id", "institution_id"
    )
)
_LED = Statement(lambda user: institutions_led_by(user).order_by("name", "pk").values(*PLACE_FIELDS))
_ROUNDS_TO_ANSWER = Statement(
    lambda user: (
        review_rounds_for_leader(user)
        .filter(status=ReviewRound.Status.OPEN)
        .order_by(F("answers_due_on").asc(nulls_last=True), "pk")
        .values(*ROUND_FIELDS)
    )
)
_REVIEWS_SUBMITTED = Statement(
    lambda user: InstitutionReview.objects.filter(
        round__in=review_rounds_for_leader(user).filter(status=ReviewRound.Status.OPEN),
        institution__in=institutions_led_by(user),
        submitted_at__isnull=False,
    ).values("round_id", "institution_id")
)


def _pairs(rounds: list[dict], places: list[dict], done: list[dict]) -> list[tuple[dict, dict]]:
    """Each round × institution of the same municipality not done yet, at most ``LIMIT``."""
    done = {(row["round_id"], row["institution_id"]) for row in done}
    return [
        (r, i)
        for r in rounds
        for i in places
        if i["municipality_id"] == r["municipality_id"] and (r["pk"], i["pk"]) not in done
    ][:LIMIT]


def survey_todos(user) -> list[Todo]:
    """Open surveys this parent has not answered yet, one per round and institution. Three queries at
    most."""
    places = _SURVEY_PLACES.rows(user)
    rounds = _SURVEY_ROUNDS.rows(user) if places else []
    done = _SURVEYS_ANSWERED.rows(user) if rounds else []
    return [
        Todo(
            kind="survey",
            title=_("Tell us how the collaboration with %(place)s goes") % {"place": i["name"]},
            url=reverse_lazy("expectations:survey_answer", args=[r["pk"], i["pk"]]),
            action=_("Answer three questions"),
            deadline=r["answers_due_on"],
            note=r["title"],
        )
        for r, i in _pairs(rounds, places, done)
    ]


def leader_review_todos(user) -> list[Todo]:
    """Open review rounds the leader has not submitted their institution's answers to. Three queries at
    most."""
    places = _LED.rows(user)
    rounds = _ROUNDS_TO_ANSWER.rows(user) if places else []
    done = _REVIEWS_SUBMITTED.rows(user) if rounds else []
    return [
        Todo(
            kind="review",
            title=_("Answer the review “%(title)s” for %(place)s")
            % {"title": r["title"], "place": i["name"]},
            url=reverse_lazy("expectations:institution_review_edit", args=[r["pk"], i["pk"]]),
            action=_("Answer the review"),
            deadline=r["answers_due_on"],
        )
        for r, i in _pairs(rounds, places, done)
    ]


def municipality_todos(municipality, *, on: date) -> list[Todo]:
    """Open review rounds whose answers are due (to close) and charter drafts (to finish and approve).
    Two queries."""
    rounds = ReviewRound.objects.filter(municipality=municipality, status=ReviewRound.Status.OPEN).filter(
        Q(answers_due_on__lt=on) | Q(answers_due_on__isnull=True, period_end__lt=on)
    )
    todos = [
        Todo(
            kind="review",
            title=_("Close the review round “%(title)s”") % {"title": r.title},
            url=reverse_lazy("expectations:review_round_detail", args=[r.pk]),
            action=_("Open the round"),
            deadline=r.answers_due_on or r.period_end,
        )
        for r in rounds.order_by("answers_due_on", "pk")[:LIMIT]
    ]
    drafts = CharterVersion.objects.filter(municipality=municipality, status=CharterVersion.Status.DRAFT)
    todos += [
        Todo(
            kind="charter",
            title=_("The charter draft “%(title)s” is waiting for approval") % {"title": v.title},
            url=reverse_lazy("expectations:charter_version_detail", args=[v.pk]),
            action=_("Open the draft"),
        )
        for v in drafts.order_by("number")[:LIMIT]
    ]
    return todos
