"""Reads of the review pages: submissions, leaders' and parents' lists, and the report, which renders from
the round's stored figures (``RoundFigures``, computed by a Celery task; see ``review_figures``)."""

from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property

from django.db.models import Exists, OuterRef, Prefetch, Subquery
from django.utils.translation import gettext_lazy as _

from expectations.models import (
    InstitutionReview,
    ReflectionAnswer,
    ReflectionQuestion,
    ReviewRound,
    RoundFigures,
    SatisfactionAnswer,
    SurveyParticipation,
)
from expectations.selectors.review_figures import MIN_ANSWERS, Figures, ReviewFigures, from_data
from portal.organisation.models import Institution


# --------------------------------------------------------------------------------------------------
# Pages
# --------------------------------------------------------------------------------------------------
def round_submissions(review_round: ReviewRound) -> list[Institution]:
    """The municipality's active institutions, each with ``submitted_at`` and ``started`` (one query)."""
    reviews = InstitutionReview.objects.filter(round=review_round, institution=OuterRef("pk"))
    return list(
        Institution.objects.filter(municipality_id=review_round.municipality_id, is_active=True)
        .annotate(
            submitted_at=Subquery(reviews.values("submitted_at")[:1]),
            started=Exists(reviews),
        )
        .order_by("name")
        .only("name", "kind")
    )


def leader_reviews(review_rounds, institutions) -> list[dict]:
    """For each round × institution the leader answers for: the state of their review (two queries)."""
    institutions = list(institutions)
    rounds = list(review_rounds.select_related("municipality").order_by("-period_end"))
    reviews = {
        (r.round_id, r.institution_id): r
        for r in InstitutionReview.objects.filter(round__in=rounds, institution__in=institutions)
    }
    return [
        {"round": r, "institution": i, "review": reviews.get((r.pk, i.pk))}
        for r in rounds
        for i in institutions
        if i.municipality_id == r.municipality_id
    ]


def leader_review_page(review_round: ReviewRound, institution: Institution) -> dict:
    """The questions of the round and this institution's review with its answers, if any."""
    questions = list(ReflectionQuestion.objects.filter(round=review_round))
    review = (
        InstitutionReview.objects.filter(round=review_round, institution=institution)
        .select_related("submitted_by")
        .first()
    )
    answers = {}
    if review is not None:
        answers = dict(ReflectionAnswer.objects.filter(review=review).values_list("question_id", "text"))
    pairs = [(q, answers.get(q.pk, "")) for q in questions]
    return {"questions": questions, "review": review, "answers": answers, "pairs": pairs}


def survey_targets(user, review_rounds, institutions) -> list[dict]:
    """Each open round × institution the guardian may answer about, and whether they have (two queries)."""
    institutions = list(institutions)
    rounds = list(review_rounds.order_by("-period_end"))
    answered = set(
        SurveyParticipation.objects.filter(user=user, round__in=rounds).values_list(
            "round_id", "institution_id"
        )
    )
    return [
        {"round": r, "institution": i, "answered": (r.pk, i.pk) in answered}
        for r in rounds
        for i in institutions
        if i.municipality_id == r.municipality_id
    ]


# The figures of the report, in its order: (attribute of Figures, heading, how it is shown).
METRICS = [
    ("children", _("Children"), "count"),
    ("places", _("Places"), "count"),
    ("agreements", _("Agreements in force"), "count"),
    ("share_with_agreement", _("Children with an agreement"), "percent"),
    ("share_agreed_by_all", _("Agreed by all custody holders"), "percent"),
    ("share_differentiated", _("Differentiated arrangements"), "percent"),
    ("share_going_well", _("Commitments going well"), "percent"),
    ("share_hard", _("Commitments that are hard"), "percent"),
    ("median_days_since_agreed", _("Median days since agreed"), "days"),
    ("answers", _("Survey answers"), "answers"),
    ("clear", _("Clear (1–5)"), "mean"),
    ("equal", _("Equal (1–5)"), "mean"),
    ("concrete", _("Concrete (1–5)"), "mean"),
]


@dataclass
class Cell:
    value: object
    previous: object
    unit: str
    label: str
    has_previous: bool


def _shown(figures: Figures, attribute: str):
    """A figure as the report shows it: survey answer counts of 1–4 are not shown either."""
    value = getattr(figures, attribute)
    if attribute == "answers" and 0 < value < MIN_ANSWERS:
        return None
    return value


@dataclass
class Row:
    """A line of the report: this round's figures and, when there is one, the previous round's."""

    now: Figures
    before: Figures | None = None
    kind: str = ""
    has_previous: bool = False

    def cells(self) -> list[Cell]:
        return [
            Cell(
                value=_shown(self.now, attribute),
                previous=_shown(self.before, attribute) if self.before else None,
                unit=unit,
                label=label,
                has_previous=self.has_previous,
            )
            for attribute, label, unit in METRICS
        ]


@dataclass
class Bar:
    """One bar; coordinates are strings so that no locale turns their decimal point into a comma."""

    label: str
    value: float | None
    y: str
    text_y: str
    width: str
    value_x: str


CHART_LABEL_WIDTH = 230
CHART_BAR_WIDTH = 300
CHART_ROW_HEIGHT = 28


def share_chart(rows: list[Row], attribute: str) -> dict:
    """Horizontal bars of a share (0–100 %) per row, laid out for an inline SVG (no JavaScript, no CSS)."""
    bars = []
    for index, row in enumerate(rows):
        value = getattr(row.now, attribute)
        label = row.now.label if len(row.now.label) <= 32 else row.now.label[:31] + "…"
        width = CHART_BAR_WIDTH * (value or 0) / 100
        top = index * CHART_ROW_HEIGHT
        bars.append(
            Bar(
                label=label,
                value=value,
                y=str(top + 6),
                text_y=str(top + 19),
                width=f"{width:.1f}",
                value_x=f"{CHART_LABEL_WIDTH + width + 6:.1f}",
            )
        )
    return {
        "bars": bars,
        "height": max(len(bars), 1) * CHART_ROW_HEIGHT,
        "label_width": CHART_LABEL_WIDTH,
        "bar_width": CHART_BAR_WIDTH,
        "width": CHART_LABEL_WIDTH + CHART_BAR_WIDTH + 70,
    }


def _kind_of_institution(figures: ReviewFigures) -> dict[int, str]:
    return {id(i): kind.label for kind in figures.kinds for i in kind.institutions}


def _key(figures: Figures):
    return figures.institution_id or figures.kind or figures.label


def _rows(now: list[Figures], before: list[Figures] | None) -> list[Row]:
    # Institutions are matched by id, kinds by kind.
    previous = {_key(f): f for f in before or []}
    return [Row(now=f, before=previous.get(_key(f)), has_previous=before is not None) for f in now]


class ReportTables:
    """The report's tables and charts, worked out from the stored figures only when first used: the
    report page keeps their HTML in the cache, keyed by when the figures were computed, so most views
    never load the figures at all (one query when they do)."""

    def __init__(self, stored: RoundFigures, previous: RoundFigures | None):
        self.stored, self.previous = stored, previous

    @cached_property
    def _figures(self) -> tuple[ReviewFigures, ReviewFigures | None]:
        wanted = [self.stored.pk] + ([self.previous.pk] if self.previous else [])
        data = dict(RoundFigures.objects.filter(pk__in=wanted).values_list("pk", "data"))
        before = from_data(data[self.previous.pk]) if self.previous else None
        return from_data(data[self.stored.pk]), before

    @cached_property
    def figures(self) -> ReviewFigures:
        return self._figures[0]

    @cached_property
    def total(self) -> Row:
        now, before = self._figures
        return Row(
            now=now.municipality,
            before=before.municipality if before else None,
            has_previous=before is not None,
        )

    @cached_property
    def kinds(self) -> list[Row]:
        now, before = self._figures
        return _rows(now.kinds, before.kinds if before else None)

    @cached_property
    def institutions(self) -> list[Row]:
        now, before = self._figures
        rows = _rows(now.institutions, before.institutions if before else None)
        kind_of = _kind_of_institution(now)
        for row in rows:
            row.kind = kind_of.get(id(row.now), "")
        return rows

    @cached_property
    def kind_chart(self) -> dict:
        return share_chart(self.kinds, "share_with_agreement")

    @cached_property
    def institution_chart(self) -> dict:
        return share_chart(self.institutions, "share_with_agreement")


def report_tables(review_round: ReviewRound) -> dict:
    """The report's tables from the stored figures of the round and of the round it is compared with.

    ``review_round`` must come with ``municipality`` and ``previous`` selected. One query (the figures
    themselves load when ``tables`` is first used). ``missing`` lists the rounds (this one, the previous)
    whose figures have never been computed; then ``tables`` is None.
    """
    previous = review_round.previous
    wanted = [review_round.pk] + ([previous.pk] if previous is not None else [])
    stored = {
        f.round_id: f
        for f in RoundFigures.objects.filter(round_id__in=wanted, computed_at__isnull=False).defer("data")
    }
    missing = [pk for pk in wanted if pk not in stored]
    return {
        "previous": previous,
        "missing": missing,
        "stored": stored.get(review_round.pk),
        "previous_stored": stored.get(previous.pk) if previous is not None else None,
        "tables": None
        if missing
        else ReportTables(stored[review_round.pk], stored[previous.pk] if previous else None),
        "metrics": [label for _attribute, label, _unit in METRICS],
        "min_answers": MIN_ANSWERS,
    }


def report_page(review_round: ReviewRound) -> dict:
    """The whole report: its tables and charts, the leaders' submitted answers, and the parents'
    comments where an institution has at least ``MIN_ANSWERS`` of them.

    A fixed number of queries: those of ``report_tables`` and three more (two when nobody has submitted).
    """
    page = report_tables(review_round)
    if page["missing"]:
        return page
    reviews = list(
        InstitutionReview.objects.filter(round=review_round, submitted_at__isnull=False)
        .select_related("institution", "submitted_by")
        .prefetch_related(
            Prefetch(
                "answers",
                queryset=ReflectionAnswer.objects.select_related("question").order_by(
                    "question__position", "question__pk"
                ),
            )
        )
        .order_by("institution__name")
    )
    # Comments only as a list per institution of at least MIN_ANSWERS, in alphabetical order (never the
    # order they came in), and never with anything that tells who or when.
    comments = defaultdict(list)
    for name, comment in (
        SatisfactionAnswer.objects.filter(round=review_round)
        .exclude(comment="")
        .values_list("institution__name", "comment")
    ):
        comments[name].append(comment)
    comment_lists = [
        {"institution": name, "comments": sorted(texts) if len(texts) >= MIN_ANSWERS else None}
        for name, texts in sorted(comments.items())
    ]
    return {**page, "reviews": reviews, "comment_lists": comment_lists}


def has_answered(user, review_round: ReviewRound, institution: Institution) -> bool:
    return SurveyParticipation.objects.filter(round=review_round, institution=institution, user=user).exists()
