"""How long each kind of data is kept, and the nightly deletion that carries it out.

Each kind has a default with its reason (README: Data rights and retention) and bounds within which a
municipality may choose its own period (``RetentionSetting``). The nightly task deletes in bounded
batches, each in its own transaction, so a worker that dies mid-run loses nothing and the next run goes
on where it stopped; each batch is recorded as counts only (``ErasureRecord``).
"""

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from children.models import Child, Enrollment, LanguageAssessment, LearningGoal, LearningPlan
from expectations.models import ExpectationAgreement
from portal.audit.models import AccessEvent
from portal.community.models import GroupMessage
from portal.meetings.models import Meeting
from portal.privacy.erasure import delete_rows, families_erase, files_delete
from portal.privacy.models import ErasureRecord, RetentionSetting
from portal.roster.models import ImportRun
from transitions.models import EducationPlan, Transition

# Top-level rows deleted per transaction (their cascades come along).
BATCH = 500


def _left_institution(*models):
    """Rows about a child at an institution where the child's place has ended before the cutoff and no
    place there is current or ended after it."""

    def expired(municipality_id, cutoff):
        places = Enrollment.objects.filter(child=OuterRef("child"), institution=OuterRef("institution"))
        return [
            model.objects.filter(
                Exists(places.filter(ended_on__lt=cutoff.date())),
                ~Exists(places.filter(Q(ended_on__isnull=True) | Q(ended_on__gte=cutoff.date()))),
                child__municipality_id=municipality_id,
            )
            for model in models
        ]

    return expired


@dataclass(frozen=True)
class Kind:
    key: str
    label: Promise
    default_days: int
    minimum_days: int
    maximum_days: int
    reason: Promise
    # (municipality id, cutoff datetime) → querysets of the rows whose time has come; None for the
    # children who left, who are erased with their family (``families_erase``).
    expired: Callable | None


KINDS = [
    Kind(
        "learning_plans",
        _("Learning plans and goals"),
        365,
        30,
        5 * 365,
        _(
            "One year after the child's place at the institution ended: long enough to answer a family's "
            "questions and complaints, and no longer, since the plan served the child's time there."
        ),
        _left_institution(LearningPlan, LearningGoal),
    ),
    Kind(
        "language_assessments",
        _("Language assessments"),
        365,
        30,
        5 * 365,
        _("One year after the child's place at the institution ended, like the learning plans they feed."),
        _left_institution(LanguageAssessment),
    ),
    Kind(
        "agreements",
        _("Agreements with families"),
        365,
        30,
        5 * 365,
        _("One year after the child's place at the institution ended: the agreement was about that place."),
        _left_institution(ExpectationAgreement),
    ),
    Kind(
        "education_plans",
        _("Education plans"),
        365,
        30,
        5 * 365,
        _("One year after the pupil's place at the school ended: the youth education has had it by then."),
        _left_institution(EducationPlan),
    ),
    Kind(
        "meetings",
        _("Meetings and their messages"),
        2 * 365,
        90,
        5 * 365,
        _(
            "Two years after the meeting: follow-ups and agreed actions are usually reviewed at the next "
            "yearly meetings; after that the learning plan holds what still matters."
        ),
        lambda m, cutoff: [Meeting.objects.filter(institution__municipality_id=m, starts_at__lt=cutoff)],
    ),
    Kind(
        "transitions",
        _("Transitions and handovers"),
        2 * 365,
        180,
        5 * 365,
        _(
            "Two years after the transition date: the receiving institution uses the handover during the "
            "child's first years there (the statutory overlap of daycare and school)."
        ),
        lambda m, cutoff: [Transition.objects.filter(child__municipality_id=m, planned_on__lt=cutoff.date())],
    ),
    Kind(
        "group_messages",
        _("Messages to a group's parents"),
        365,
        30,
        3 * 365,
        _("One year: a message to the group's parents is about the school or daycare year it was sent in."),
        lambda m, cutoff: [
            GroupMessage.objects.filter(group__institution__municipality_id=m, created_at__lt=cutoff)
        ],
    ),
    Kind(
        "access_log",
        _("Access log"),
        5 * 365,
        365,
        10 * 365,
        _(
            "Five years: a family can ask who looked at their child's data, and the municipality must be "
            "able to answer and to investigate misuse (Datatilsynet's guidance on logging)."
        ),
        lambda m, cutoff: [AccessEvent.objects.filter(municipality_id=m, at__lt=cutoff)],
    ),
    Kind(
        "roster_imports",
        _("Roster imports"),
        30,
        1,
        365,
        _(
            "Thirty days: long enough to read an import's report; the files themselves are emptied as soon "
            "as they are applied."
        ),
        lambda m, cutoff: [ImportRun.objects.filter(municipality_id=m, created_at__lt=cutoff)],
    ),
    Kind(
        "left_municipality",
        _("Children who left the municipality"),
        30,
        0,
        365,
        _(
            "Thirty days after the child left the municipality: a move registered by mistake can be undone; "
            "then the child and what only the family has are erased."
        ),
        None,
    ),
]
BY_KEY = {k.key: k for k in KINDS}


def periods(municipality) -> dict[str, int]:
    """Days kept per kind in this municipality: its own choices over the defaults."""
    chosen = dict(RetentionSetting.objects.filter(municipality=municipality).values_list("kind", "keep_days"))
    return {k.key: chosen.get(k.key, k.default_days) for k in KINDS}


def _run_kind(municipality, kind: Kind, cutoff) -> list[ErasureRecord]:
    """Delete the kind's expired rows batch by batch; each batch and its record commit together."""
    records = []
    while True:
        with transaction.atomic():
            rows: Counter = Counter()
            files: list = []
            for queryset in kind.expired(municipality.pk, cutoff):
                pks = list(queryset.order_by("pk").values_list("pk", flat=True)[:BATCH])
                if pks:
                    found, more = delete_rows(queryset.model.objects.filter(pk__in=pks))
                    rows.update(found)
                    files += more
            if not rows:
                return records
            record = ErasureRecord.objects.create(
                municipality=municipality,
                reason=ErasureRecord.Reason.RETENTION,
                kind=kind.key,
                rows=dict(rows),
            )
        record.files = files_delete(files)
        if record.files:
            ErasureRecord.objects.filter(pk=record.pk).update(files=record.files)
        records.append(record)


def _children_who_left(municipality, cutoff) -> list[ErasureRecord]:
    records = []
    while True:
        ids = list(
            Child.objects.filter(municipality=municipality, left_municipality_on__lt=cutoff.date())
            .order_by("pk")
            .values_list("pk", flat=True)[:BATCH]
        )
        if not ids:
            return records
        records.append(families_erase(child_ids=ids, municipality_id=municipality.pk))


def retention_apply(*, municipality, now=None) -> list[ErasureRecord]:
    """Delete what has been kept long enough in this municipality, kind by kind."""
    now = now or timezone.now()
    days = periods(municipality)
    records = []
    for kind in KINDS:
        cutoff = now - timedelta(days=days[kind.key])
        if kind.expired is None:
            records += _children_who_left(municipality, cutoff)
        else:
            records += _run_kind(municipality, kind, cutoff)
    return records
