"""Writes for policy expectation reviews."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, Max, OuterRef, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from children.models import Enrollment, Guardianship
from expectations.models import (
    InstitutionReview,
    ReflectionAnswer,
    ReflectionQuestion,
    ReviewRound,
    ReviewTheme,
    RoundFigures,
    SatisfactionAnswer,
    SurveyParticipation,
)
from expectations.selectors.review_figures import review_figures, to_data
from portal.enqueue import enqueue
from portal.meetings.models import Notification
from portal.ordering import move_in_order

# The default reflection questions, written for this portal after the three themes of KL 2017.
# A round gets a copy the administrator can edit.
DEFAULT_QUESTIONS = [
    (
        ReviewTheme.SHARED_RESPONSIBILITY,
        "Hvordan ved forældrene hos jer, hvad I forventer af dem – og hvad de kan forvente af jer?",
    ),
    (
        ReviewTheme.SHARED_RESPONSIBILITY,
        "Hvilke konkrete forventninger har I til forældrene, fx om sprog, læsning og legeaftaler?",
    ),
    (
        ReviewTheme.SHARED_RESPONSIBILITY,
        "Hvordan afstemmer I forventningerne med den enkelte familie, "
        "så de passer til dens ønsker og muligheder?",
    ),
    (
        ReviewTheme.COLLABORATION,
        "Hvordan kan alle forældre tage aktivt del i samarbejdet om deres barns læring og trivsel?",
    ),
    (
        ReviewTheme.COLLABORATION,
        "Hvordan tilpasser I samarbejdet til familier med forskellige behov, sprog og ressourcer?",
    ),
    (ReviewTheme.COLLABORATION, "Hvordan får forældrene konkrete idéer til, hvad de kan gøre derhjemme?"),
    (
        ReviewTheme.COHERENCE,
        "Hvordan hænger samarbejdet med forældrene sammen på tværs af sundhedspleje, dagtilbud, skole og UU?",
    ),
    (ReviewTheme.COHERENCE, "Hvordan følger relevant viden barnet ved overgange – med forældrenes samtykke?"),
    (ReviewTheme.COHERENCE, "Hvad er jeres næste skridt?"),
]


@transaction.atomic
def review_round_create(*, municipality, title, period_start, period_end, created_by, answers_due_on=None):
    """Create a round in preparation with the default reflection questions, compared with the last round."""
    if period_end < period_start:
        raise ValidationError({"period_end": _("The period must end after it starts.")})
    previous = ReviewRound.objects.filter(municipality=municipality).order_by("-period_end").first()
    review = ReviewRound.objects.create(
        municipality=municipality,
        title=title,
        period_start=period_start,
        period_end=period_end,
        answers_due_on=answers_due_on,
        previous=previous,
        created_by=created_by,
    )
    ReflectionQuestion.objects.bulk_create(
        ReflectionQuestion(round=review, theme=theme, text=text, position=position)
        for position, (theme, text) in enumerate(DEFAULT_QUESTIONS)
    )
    return review


NOT_A_DRAFT = _lazy("Only a round that is being prepared can have its questions changed.")
NOT_OPEN = _lazy("The round is not open for answers.")
ALREADY_SUBMITTED = _lazy("The answers have been submitted and can no longer be changed.")
ALREADY_ANSWERED = _lazy("You have already answered the survey about this institution in this round.")


def _locked(review_round: ReviewRound) -> ReviewRound:
    """The round, locked for this transaction, with its status as it is now."""
    return ReviewRound.objects.select_for_update().get(pk=review_round.pk)


def _require_draft(review_round: ReviewRound) -> None:
    if _locked(review_round).status != ReviewRound.Status.DRAFT:
        raise ValidationError(NOT_A_DRAFT)


@transaction.atomic
def review_question_create(*, review_round, theme, text) -> ReflectionQuestion:
    """Add a question at the end of a round being prepared (the round is locked)."""
    _require_draft(review_round)
    last = review_round.questions.aggregate(last=Max("position"))["last"]
    return ReflectionQuestion.objects.create(
        round=review_round, theme=theme, text=text, position=0 if last is None else last + 1
    )


@transaction.atomic
def review_question_update(*, question, theme, text) -> ReflectionQuestion:
    """Change a question of a round being prepared (the round is locked)."""
    _require_draft(question.round)
    question.theme, question.text = theme, text
    question.save(update_fields=["theme", "text"])
    return question


@transaction.atomic
def review_question_delete(*, question) -> None:
    """Remove a question of a round being prepared (the round is locked)."""
    _require_draft(question.round)
    question.delete()


@transaction.atomic
def review_question_move(*, question, up: bool) -> None:
    """Swap a question with its neighbour; positions are renumbered 0…n-1 (the round is locked)."""
    _require_draft(question.round)
    move_in_order(ReflectionQuestion.objects.filter(round_id=question.round_id), question.pk, up=up)


@transaction.atomic
def review_round_open(*, review_round) -> ReviewRound:
    """Draft → open: leaders may answer and parents take the survey. Needs at least one question."""
    locked = _locked(review_round)
    if locked.status != ReviewRound.Status.DRAFT:
        raise ValidationError(_("Only a round that is being prepared can be opened."))
    if not locked.questions.exists():
        raise ValidationError(_("Add at least one reflection question before opening the round."))
    locked.status = ReviewRound.Status.OPEN
    locked.save(update_fields=["status"])
    review_round.status = locked.status
    enqueue("expectations.notify_survey_opened", locked.pk)
    review_figures_refresh(review_round=locked)
    return review_round


NOTICE_BATCH = 2000


def survey_opened_notices_send(*, round_id: int) -> int:
    """Put a notice in the inbox of every guardian (with a right to information) of a child at one of the
    municipality's institutions now: the survey is open. One notice per person and round (its key), in
    their language, inserted in batches; running it again adds nothing. Inbox only: no e-mail.
    Returns how many parents it concerns."""
    review_round = ReviewRound.objects.filter(pk=round_id, status=ReviewRound.Status.OPEN).first()
    if review_round is None:
        return 0
    enrolled = Enrollment.objects.current().filter(
        institution__municipality_id=review_round.municipality_id, institution__is_active=True
    )
    guardians = (
        get_user_model()
        .objects.filter(
            Exists(
                Guardianship.objects.with_information().filter(
                    user=OuterRef("pk"), child__in=enrolled.values("child_id")
                )
            )
        )
        .only("pk", "language")
        .order_by("pk")
    )
    texts = {}
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            texts[language] = (
                _("Tell us how the collaboration goes: %(title)s") % {"title": review_round.title},
                _(
                    "Three short questions about how you and your child's daycare or school work together. "
                    "Your answer is anonymous."
                ),
            )
    url = reverse("expectations:survey_list")
    sent = 0
    batch = []
    for user in guardians.iterator(chunk_size=NOTICE_BATCH):
        title, body = texts.get(user.language) or texts[settings.LANGUAGE_CODE]
        batch.append(
            Notification(
                user_id=user.pk,
                kind=Notification.Kind.SURVEY_OPENED,
                key=f"survey-opened-{review_round.pk}-{user.pk}",
                title=title[:200],
                body=body,
                url=url,
            )
        )
        if len(batch) == NOTICE_BATCH:
            sent += len(Notification.objects.bulk_create(batch, ignore_conflicts=True))
            batch = []
    sent += len(Notification.objects.bulk_create(batch, ignore_conflicts=True))
    return sent


@transaction.atomic
def review_round_close(*, review_round) -> ReviewRound:
    """Open → closed: no more answers; drafts of institution reviews stay unsubmitted."""
    locked = _locked(review_round)
    if locked.status != ReviewRound.Status.OPEN:
        raise ValidationError(_("Only an open round can be closed."))
    locked.status = ReviewRound.Status.CLOSED
    locked.save(update_fields=["status"])
    review_round.status = locked.status
    review_figures_refresh(review_round=locked)
    return review_round


# --------------------------------------------------------------------------------------------------
# Stored figures: the report renders from them; computing reads the whole municipality.
# --------------------------------------------------------------------------------------------------
def review_figures_store(*, round_id: int) -> RoundFigures | None:
    """Compute a round's figures and store them, with the time (the Celery task; also the report's
    first view of a round whose figures were never computed). None if the round is gone."""
    review_round = ReviewRound.objects.select_related("municipality").filter(pk=round_id).first()
    if review_round is None:
        return None
    data = to_data(review_figures(review_round))
    with transaction.atomic():
        # One writer at a time per round: the round's row is the lock.
        if not ReviewRound.objects.select_for_update().filter(pk=round_id).exists():
            return None
        stored, _created = RoundFigures.objects.update_or_create(
            round_id=round_id,
            defaults={"data": data, "computed_at": timezone.now(), "requested_at": None},
        )
    return stored


@transaction.atomic
def review_figures_refresh(*, review_round) -> None:
    """Ask for a round's figures to be computed again, after the commit (the report's button, opening
    and closing the round, and each night for open rounds). The report says that new figures are on
    their way until they are stored."""
    RoundFigures.objects.update_or_create(round=review_round, defaults={"requested_at": timezone.now()})
    enqueue("expectations.compute_review_figures", review_round.pk)


def review_figures_refresh_open() -> int:
    """Each night: new figures for every open round, and for any round that has none yet."""
    rounds = list(
        ReviewRound.objects.filter(
            Q(status=ReviewRound.Status.OPEN)
            | ~Exists(RoundFigures.objects.filter(round=OuterRef("pk"), computed_at__isnull=False))
        )
    )
    for review_round in rounds:
        review_figures_refresh(review_round=review_round)
    return len(rounds)


@transaction.atomic
def institution_review_save(
    *, review_round, institution, user, answers: dict, next_steps: str, submit: bool
) -> InstitutionReview:
    """Save a leader's answers as a draft, or submit them (then they are final).

    The round is locked (so it cannot close half-way) and so is the institution's review, so two leaders
    saving at once never lose a submission. Empty answers are removed. Submitting needs every question
    answered and the next steps stated.
    """
    if _locked(review_round).status != ReviewRound.Status.OPEN:
        raise ValidationError(NOT_OPEN)
    review, _created = InstitutionReview.objects.get_or_create(round=review_round, institution=institution)
    review = InstitutionReview.objects.select_for_update().get(pk=review.pk)
    if review.submitted_at is not None:
        raise ValidationError(ALREADY_SUBMITTED)
    questions = {q.pk: q for q in ReflectionQuestion.objects.filter(round=review_round)}
    texts = {pk: (answers.get(pk) or "").strip() for pk in questions}
    if submit:
        errors = {
            f"answer_{pk}": _("Answer the question before you submit.") for pk, t in texts.items() if not t
        }
        if not next_steps.strip():
            errors["next_steps"] = _("State your next steps before you submit.")
        if errors:
            raise ValidationError(errors)
    for pk, text in texts.items():
        if text:
            ReflectionAnswer.objects.update_or_create(review=review, question_id=pk, defaults={"text": text})
    ReflectionAnswer.objects.filter(
        review=review, question_id__in=[pk for pk, t in texts.items() if not t]
    ).delete()
    review.next_steps = next_steps.strip()
    fields = ["next_steps", "updated_at"]
    if submit:
        review.submitted_at, review.submitted_by = timezone.now(), user
        fields += ["submitted_at", "submitted_by"]
    review.save(update_fields=fields)
    return review


@transaction.atomic
def satisfaction_answer_create(
    *, review_round, institution, user, clear, equal, concrete, comment=""
) -> None:
    """Record a parent's anonymous answer and, apart from it, that they answered; once per institution.

    Both rows are written in one transaction; the unique participation refuses a second answer even
    when two are sent at once. Nothing is returned: nothing should ever tie the answer to its author.
    """
    if not ReviewRound.objects.filter(pk=review_round.pk, status=ReviewRound.Status.OPEN).exists():
        raise ValidationError(NOT_OPEN)
    try:
        with transaction.atomic():
            SurveyParticipation.objects.create(round=review_round, institution=institution, user=user)
    except IntegrityError:
        raise ValidationError(ALREADY_ANSWERED) from None
    SatisfactionAnswer.objects.create(
        round=review_round,
        institution=institution,
        clear=clear,
        equal=equal,
        concrete=concrete,
        comment=comment.strip(),
    )
