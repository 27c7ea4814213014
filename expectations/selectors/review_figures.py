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

Computing them reads the whole municipality, so a Celery task does it and stores them (``to_data``,
``RoundFigures``); the report renders them from there (``from_data``).
"""

import datetime
import statistics
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field, fields

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
    Q,
    Sum,
    Value,
)
from django.db.models.functions import TruncDate
from django.utils import timezone

from children.models import Enrollment
from expectations.models import (
    AgreementAcceptance,
    Commitment,
    ExpectationAgreement,
    ReviewRound,
    SatisfactionAnswer,
)
from portal.organisation.models import Institution

MIN_ANSWERS = 5


@dataclass
class Figures:
    """The review's figures for one institution, one kind of institution, or the municipality."""

    label: str
    kind: str = ""  # set on the figures of a kind of institution
    institution_id: int | None = None  # set on an institution's figures
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
    figures = {pk: Figures(label=i.name, institution_id=pk) for pk, i in institutions.items()}
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
            kinds[kind] = Figures(label=str(Institution.Kind(kind).label), kind=kind)
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
# Stored figures (JSON in RoundFigures.data)
# --------------------------------------------------------------------------------------------------
_STORED = [f.name for f in fields(Figures) if f.name != "institutions"]


def _figures_data(figures: Figures) -> dict:
    return {name: value for name, value in asdict(figures).items() if name in _STORED}


def to_data(figures: ReviewFigures) -> dict:
    """The figures as JSON; each kind lists its institutions by id."""
    return {
        "municipality": _figures_data(figures.municipality),
        "kinds": [
            {**_figures_data(k), "institution_ids": [i.institution_id for i in k.institutions]}
            for k in figures.kinds
        ],
        "institutions": [_figures_data(i) for i in figures.institutions],
    }


def from_data(data: dict) -> ReviewFigures:
    """The figures as ``to_data`` stored them; kinds are named in the language of the request."""
    institutions = [Figures(**{k: v for k, v in row.items() if k in _STORED}) for row in data["institutions"]]
    by_id = {i.institution_id: i for i in institutions}
    kinds = []
    for row in data["kinds"]:
        kind = Figures(**{k: v for k, v in row.items() if k in _STORED})
        if kind.kind in Institution.Kind.values:
            kind.label = str(Institution.Kind(kind.kind).label)
        kind.institutions = [by_id[pk] for pk in row["institution_ids"] if pk in by_id]
        kinds.append(kind)
    return ReviewFigures(
        municipality=Figures(**{k: v for k, v in data["municipality"].items() if k in _STORED}),
        kinds=kinds,
        institutions=institutions,
    )
