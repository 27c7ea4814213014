"""The figures of a policy expectation review, computed in the database.

A fixed number of queries whatever the municipality's size: counts and sums are grouped by
institution in SQL and added up exactly for each institution kind and the whole municipality;
medians are grouped in SQL at each level (PostgreSQL's percentile_cont; SQLite, used only for the
quick start, takes the median of the grouped values in Python). Survey figures are suppressed
below ``MIN_ANSWERS`` answers, at every level, and totals count only institutions shown on their own.

Children are people, places are enrollments: a child with two places counts once as a child and twice
as places. Children cannot be added up from the institutions (a child at a school and its after-school
care is one child), so each kind and the municipality count their distinct children in SQL: a child
with places at two institutions counts once in the municipality, once in each kind it has a place in,
and once in each institution.
"""

import datetime
import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import (
    Aggregate,
    Count,
    Exists,
    F,
    FloatField,
    Func,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from children.models import Enrollment
from expectations.models import (
    AgreementAcceptance,
    Commitment,
    ExpectationAgreement,
    InstitutionReview,
    ReflectionAnswer,
    ReflectionQuestion,
    ReviewRound,
    SatisfactionAnswer,
    SurveyParticipation,
)
from portal.organisation.models import Institution

MIN_ANSWERS = 5


@dataclass
class Figures:
    """The review's figures for one institution, one kind of institution, or the municipality."""

    label: str
    children: int = 0  # distinct children with a place
    places: int = 0  # places (enrollments); a child may have more than one
    agreements: int = 0
    children_with_agreement: int = 0  # distinct children with an agreement in force
    agreed_by_all: int = 0
    differentiated: int = 0
    commitments: int = 0
    going_well: int = 0
    hard: int = 0
    median_days_since_agreed: float | None = None
    answers: int = 0
    clear_sum: int = 0
    equal_sum: int = 0
    concrete_sum: int = 0
    institutions: list = field(default_factory=list)

    def add(self, other: "Figures") -> None:
        """Adds what can be added; distinct children are counted for each level instead."""
        names = [
            "places",
            "agreements",
            "agreed_by_all",
            "differentiated",
            "commitments",
            "going_well",
            "hard",
        ]
        # Survey answers count in a total only from institutions shown on their own: otherwise a hidden
        # institution's answers could be worked out by subtracting the shown ones from the total.
        if other.survey_shown:
            names += ["answers", "clear_sum", "equal_sum", "concrete_sum"]
        for name in names:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    @staticmethod
    def _share(part, whole):
        return round(100 * part / whole, 1) if whole else None

    @property
    def share_with_agreement(self):
        return self._share(self.children_with_agreement, self.children)

    @property
    def share_agreed_by_all(self):
        return self._share(self.agreed_by_all, self.agreements)

    @property
    def share_differentiated(self):
        return self._share(self.differentiated, self.agreements)

    @property
    def share_going_well(self):
        return self._share(self.going_well, self.commitments)

    @property
    def share_hard(self):
        return self._share(self.hard, self.commitments)

    @property
    def survey_shown(self) -> bool:
        return self.answers >= MIN_ANSWERS

    def _mean(self, total):
        return round(total / self.answers, 2) if self.survey_shown else None

    @property
    def clear(self):
        return self._mean(self.clear_sum)

    @property
    def equal(self):
        return self._mean(self.equal_sum)

    @property
    def concrete(self):
        return self._mean(self.concrete_sum)


@dataclass
class ReviewFigures:
    municipality: Figures
    kinds: list[Figures]
    institutions: list[Figures]


class _Median(Aggregate):
    """PostgreSQL's median of a group (an aggregate, so its argument is not grouped by)."""

    function = "PERCENTILE_CONT"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()


def _days_since(on):
    """Whole days from the day an agreement was agreed to ``on``."""
    if connection.vendor == "postgresql":
        # date - date is an integer number of days in PostgreSQL.
        return Func(
            Value(on),
            TruncDate("agreed_at"),
            template="(%(expressions)s)",
            arg_joiner=" - ",
            output_field=IntegerField(),
        )
    return Func(Value(on.isoformat()), function="JULIANDAY", output_field=FloatField()) - Func(
        TruncDate("agreed_at"), function="JULIANDAY", output_field=FloatField()
    )


def _python_medians(agreements, group_field, days) -> dict:
    """Median per group for databases without percentile_cont (SQLite, the quick start only)."""
    values = defaultdict(list)
    for group, value in agreements.annotate(days=days).values_list(group_field, "days"):
        values[group].append(value)
    return {group: statistics.median(v) for group, v in values.items()}


def _histogram_median(histogram: Counter):
    """The median (as percentile_cont(0.5) gives it) of values given as value -> count."""
    total = sum(histogram.values())
    if not total:
        return None
    middle = [(total - 1) // 2, total // 2]
    found, seen = [], 0
    for value in sorted(histogram):
        count = histogram[value]
        found += [value for position in middle if seen <= position < seen + count]
        seen += count
    return sum(found) / 2


def _distinct_children(queryset, kinds) -> dict:
    """Distinct children of the rows, for each of these institution kinds and (key None) in all."""
    counts = {kind: Count("child_id", distinct=True, filter=Q(institution__kind=kind)) for kind in kinds}
    result = queryset.aggregate(all=Count("child_id", distinct=True), **counts)
    return {None: result.pop("all"), **result}


def review_figures(round: ReviewRound) -> ReviewFigures:
    """All figures of a round for its municipality, as of the end of the round's period."""
    on = round.period_end
    institutions = {
        i.pk: i
        for i in Institution.objects.filter(municipality_id=round.municipality_id, is_active=True).only(
            "name", "kind"
        )
    }
    figures = {pk: Figures(label=i.name) for pk, i in institutions.items()}
    # A subquery (hashed by PostgreSQL), not a long IN list compared on every row.
    ids = Institution.objects.filter(municipality_id=round.municipality_id, is_active=True).values("pk")
    # Agreed by the end of the period's last day, local time: a plain comparison on the column.
    until = datetime.datetime.combine(
        on + datetime.timedelta(days=1), datetime.time(), tzinfo=timezone.get_current_timezone()
    )

    places = Enrollment.objects.current(on=on).filter(institution_id__in=ids)
    for pk, n, places_n in places.values_list("institution_id").annotate(
        n=Count("child_id", distinct=True), places=Count("pk")
    ):
        figures[pk].children, figures[pk].places = n, places_n

    in_force = ExpectationAgreement.objects.in_force().filter(institution_id__in=ids, agreed_at__lt=until)
    days = _days_since(on)
    postgres = connection.vendor == "postgresql"
    per_institution = in_force.values("institution_id").annotate(
        n=Count("pk"),
        children=Count("child_id", distinct=True),
        differentiated=Count(
            "pk",
            filter=Q(interpreter_wanted=True)
            | ~Q(contact_form="")
            | ~Q(contact_frequency="")
            | ~Q(extra_support=""),
        ),
    )
    if postgres:
        per_institution = per_institution.annotate(median=_Median(days))
    for row in per_institution:
        f = figures[row["institution_id"]]
        f.agreements, f.differentiated = row["n"], row["differentiated"]
        f.children_with_agreement = row["children"]
        f.agreed_by_all = row["n"]
        f.median_days_since_agreed = row.get("median")
    # Not agreed by all: an active custody holder of the child lacks an acceptance of the current revision.
    # Joined flat (agreement × custody holder) with a top-level NOT EXISTS, which PostgreSQL runs as one
    # hash anti-join instead of a check per row.
    unanswered = (
        in_force.filter(child__guardianships__has_custody=True, child__guardianships__ended_on__isnull=True)
        .annotate(holder_id=F("child__guardianships__user_id"))
        .exclude(
            Exists(
                AgreementAcceptance.objects.filter(
                    agreement=OuterRef("pk"), user=OuterRef("holder_id"), revision=OuterRef("revision")
                )
            )
        )
    )
    for pk, n in unanswered.values_list("institution_id").annotate(n=Count("pk", distinct=True)):
        figures[pk].agreed_by_all -= n

    for pk, n, well, hard in (
        Commitment.objects.filter(
            agreement__status=ExpectationAgreement.Status.IN_FORCE,
            agreement__institution_id__in=ids,
            agreement__agreed_at__lt=until,
        )
        .values_list("agreement__institution_id")
        .annotate(
            n=Count("pk"),
            well=Count("pk", filter=Q(progress=Commitment.Progress.GOING_WELL)),
            hard=Count("pk", filter=Q(progress=Commitment.Progress.HARD)),
        )
    ):
        f = figures[pk]
        f.commitments, f.going_well, f.hard = n, well, hard

    for pk, n, clear, equal, concrete in (
        SatisfactionAnswer.objects.filter(round=round)
        .values_list("institution_id")
        .annotate(n=Count("pk"), c=Sum("clear"), e=Sum("equal"), k=Sum("concrete"))
    ):
        if pk in figures:
            f = figures[pk]
            f.answers, f.clear_sum, f.equal_sum, f.concrete_sum = n, clear, equal, concrete

    if not postgres:
        for pk, median in _python_medians(in_force, "institution_id", days).items():
            figures[pk].median_days_since_agreed = median
    # Medians per kind and overall, exactly, from a histogram of days per kind (a few thousand rows).
    histograms: dict[str, Counter] = defaultdict(Counter)
    for kind, day, n in (
        in_force.annotate(days=days).values_list("institution__kind", "days").annotate(n=Count("pk"))
    ):
        histograms[kind][int(day)] += n

    kinds: dict[str, Figures] = {}
    total = Figures(label=round.municipality.name)
    for pk, f in figures.items():
        kind = institutions[pk].kind
        if kind not in kinds:
            kinds[kind] = Figures(label=str(Institution.Kind(kind).label))
        kinds[kind].add(f)
        kinds[kind].institutions.append(f)
        total.add(f)
    # Distinct children for each kind and the municipality: one query each for places and agreements.
    for attribute, queryset in (("children", places), ("children_with_agreement", in_force)):
        counts = _distinct_children(queryset, kinds)
        setattr(total, attribute, counts.pop(None))
        for kind, n in counts.items():
            setattr(kinds[kind], attribute, n)
    for kind, f in kinds.items():
        f.median_days_since_agreed = _histogram_median(histograms.get(kind, Counter()))
    total.median_days_since_agreed = _histogram_median(sum(histograms.values(), Counter()))
    order = {k: i for i, k in enumerate(Institution.Kind.values)}
    return ReviewFigures(
        municipality=total,
        kinds=[kinds[k] for k in sorted(kinds, key=order.get)],
        institutions=sorted(figures.values(), key=lambda f: f.label),
    )


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


def _rows(now: list[Figures], before: list[Figures] | None) -> list[Row]:
    # Figures carry no key but their label (the institution's or kind's name), so rows are matched by it.
    previous = {f.label: f for f in before or []}
    return [Row(now=f, before=previous.get(f.label), has_previous=before is not None) for f in now]


def report_tables(review_round: ReviewRound) -> dict:
    """The report's tables: the figures of the round and of the round it is compared with, as rows.

    ``review_round`` must come with ``municipality`` and ``previous__municipality`` selected. A fixed
    number of queries: ``review_figures`` once or twice.
    """
    figures = review_figures(review_round)
    previous = review_round.previous
    before = review_figures(previous) if previous is not None else None
    kinds = _rows(figures.kinds, before.kinds if before else None)
    institutions = _rows(figures.institutions, before.institutions if before else None)
    kind_of = _kind_of_institution(figures)
    for row in institutions:
        row.kind = kind_of.get(id(row.now), "")
    return {
        "figures": figures,
        "previous": previous,
        "total": Row(
            now=figures.municipality,
            before=before.municipality if before else None,
            has_previous=before is not None,
        ),
        "metrics": [label for _attribute, label, _unit in METRICS],
        "kinds": kinds,
        "institutions": institutions,
        "min_answers": MIN_ANSWERS,
    }


def report_page(review_round: ReviewRound) -> dict:
    """The whole report: its tables and charts, the leaders' submitted answers, and the parents'
    comments where an institution has at least ``MIN_ANSWERS`` of them.

    A fixed number of queries: those of ``report_tables`` and three more (two when nobody has submitted).
    """
    page = report_tables(review_round)
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
    return {
        **page,
        "kind_chart": share_chart(page["kinds"], "share_with_agreement"),
        "institution_chart": share_chart(page["institutions"], "share_with_agreement"),
        "reviews": reviews,
        "comment_lists": comment_lists,
    }


def has_answered(user, review_round: ReviewRound, institution: Institution) -> bool:
    return SurveyParticipation.objects.filter(round=review_round, institution=institution, user=user).exists()
