"""The figures of a policy expectation review, computed in the database.

A fixed number of queries whatever the municipality's size: counts and sums are grouped by
institution in SQL and added up exactly for each institution kind and the whole municipality;
medians are grouped in SQL at each level (PostgreSQL's percentile_cont; SQLite, used only for the
quick start, takes the median of the grouped values in Python). Survey figures are suppressed
below ``MIN_ANSWERS`` answers, at every level.
"""

import datetime
import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Aggregate, Count, Exists, FloatField, Func, IntegerField, OuterRef, Q, Sum, Value
from django.db.models.functions import TruncDate
from django.utils import timezone

from children.models import Enrollment, Guardianship
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
    children: int = 0
    agreements: int = 0
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
        for name in (
            "children",
            "agreements",
            "agreed_by_all",
            "differentiated",
            "commitments",
            "going_well",
            "hard",
            "answers",
            "clear_sum",
            "equal_sum",
            "concrete_sum",
        ):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    @staticmethod
    def _share(part, whole):
        return round(100 * part / whole, 1) if whole else None

    @property
    def share_with_agreement(self):
        return self._share(self.agreements, self.children)

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

    for pk, n in (
        Enrollment.objects.current(on=on)
        .filter(institution_id__in=ids)
        .values_list("institution_id")
        .annotate(n=Count("child_id", distinct=True))
    ):
        figures[pk].children = n

    in_force = ExpectationAgreement.objects.in_force().filter(institution_id__in=ids, agreed_at__lt=until)
    days = _days_since(on)
    postgres = connection.vendor == "postgresql"
    per_institution = in_force.values("institution_id").annotate(
        n=Count("pk"),
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
        f.agreed_by_all = row["n"]
        f.median_days_since_agreed = row.get("median")
    # Not agreed by all: an active custody holder of the child lacks an acceptance of the current revision.
    # In WHERE (not inside the count) so PostgreSQL runs it as one semi-join instead of once per row.
    missing_acceptance = (
        Guardianship.objects.active()
        .filter(child=OuterRef("child"), has_custody=True)
        .exclude(
            Exists(
                AgreementAcceptance.objects.filter(
                    agreement=OuterRef(OuterRef("pk")),
                    revision=OuterRef(OuterRef("revision")),
                    user=OuterRef("user"),
                )
            )
        )
    )
    for pk, n in (
        in_force.filter(Exists(missing_acceptance)).values_list("institution_id").annotate(n=Count("pk"))
    ):
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
    for kind, f in kinds.items():
        f.median_days_since_agreed = _histogram_median(histograms.get(kind, Counter()))
    total.median_days_since_agreed = _histogram_median(sum(histograms.values(), Counter()))
    order = {k: i for i, k in enumerate(Institution.Kind.values)}
    return ReviewFigures(
        municipality=total,
        kinds=[kinds[k] for k in sorted(kinds, key=order.get)],
        institutions=sorted(figures.values(), key=lambda f: f.label),
    )
