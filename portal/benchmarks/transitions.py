"""The summer school start, for ``bench_transitions``: the oldest children in daycare move to 0. klasse
on one day.

Each daycare sends its oldest children to one school (the municipality's schools in turn) and its
0. klasse when there is one. The children get their place at the school from that day (as the
admission gives it), a leader at each daycare plans the move for each of its groups with
``transitions_create_for_cohort``, and the staff and parents write as families do: most handovers
have the strengths, friendships, language and what helps written, about half the summary of the plan
and a third the concerns; most custody holders say yes to every written section, some not to the
concerns, a few to nothing; about half write their own view. Then every handover is asked to be sent.
The previous run's moves (on the same day) are deleted first, so the sending is measured each time.
"""

import datetime
import random

from django.db import connection, transaction
from django.test import RequestFactory
from django.utils import timezone

from children.models import Enrollment, Guardianship
from portal.meetings.models import Notification
from portal.organisation.models import Group, Institution, StaffMembership
from transitions import services
from transitions.models import Handover, HandoverConsent, HandoverSection, Transition

DAYCARE = (Institution.Kind.KINDERGARTEN, Institution.Kind.INTEGRATED)
Kind = HandoverSection.Kind
# The share of handovers with each staff section written.
WRITTEN = {
    Kind.STRENGTHS: 0.9,
    Kind.FRIENDSHIPS: 0.85,
    Kind.LANGUAGE: 0.85,
    Kind.WHAT_HELPS: 0.8,
    Kind.PLAN_SUMMARY: 0.5,
    Kind.CONCERNS: 0.3,
}
TEXT = {
    Kind.STRENGTHS: "Bygger huler, tegner og fortæller gerne om det.",
    Kind.FRIENDSHIPS: "Leger mest med to faste venner; tager gerne nye med.",
    Kind.LANGUAGE: "Taler i lange sætninger og kan lide rim og remser.",
    Kind.WHAT_HELPS: "En fast voksen om morgenen og billeder af dagens program.",
    Kind.PLAN_SUMMARY: "Har arbejdet med at vente på tur og sige til, når noget er svært.",
    Kind.CONCERNS: "Bliver træt sidst på dagen; brug for en pause efter frokost.",
}
PARENTS_VIEW = "Glæder sig til skolen og vil gerne gå i klasse med sin bedste ven."


def school_start(today=None) -> datetime.date:
    """The next 1 August: the day of the move."""
    today = today or timezone.localdate()
    this_year = datetime.date(today.year, 8, 1)
    return this_year if this_year > today else datetime.date(today.year + 1, 8, 1)


def cleanup(municipality, day) -> None:
    """Delete the moves of an earlier run (and what belongs to them) on the day of the school start."""
    moves = Transition.objects.filter(child__municipality=municipality, planned_on=day)
    urls = [
        f"/handovers/{pk}/"
        for pk in Handover.objects.filter(transition__in=moves).values_list("pk", flat=True)
    ]
    with transaction.atomic():
        Notification.objects.filter(kind=Notification.Kind.HANDOVER_SENT, url__in=urls).delete()
        moves.delete()


def _request(user):
    request = RequestFactory().post("/")
    request.user = user
    return request


def seed(municipality, out, *, children: int = 5000, seed: int = 2017) -> list[int]:
    """The cohort's moves, handovers written and asked to be sent. Returns the handovers' ids."""
    rng = random.Random(seed)
    day = school_start()
    cleanup(municipality, day)
    cohort = list(
        Enrollment.objects.current()
        .filter(institution__municipality=municipality, institution__kind__in=DAYCARE, group__isnull=False)
        .order_by("child__birth_date", "child_id")
        .values_list("child_id", "institution_id", "group_id")[:children]
    )
    schools = list(
        Institution.objects.filter(municipality=municipality, kind=Institution.Kind.SCHOOL).order_by("pk")
    )
    zero = {}
    for group in Group.objects.filter(institution__in=schools, school_year=0).order_by("pk"):
        zero.setdefault(group.institution_id, group)
    daycares = sorted({institution for _c, institution, _g in cohort})
    school_of = {daycare: schools[i % len(schools)] for i, daycare in enumerate(daycares)}
    # Their places at school from the day of the move (as the admission gives them).
    have = set(
        Enrollment.objects.filter(child_id__in=[c for c, _i, _g in cohort], started_on=day).values_list(
            "child_id", "institution_id"
        )
    )
    Enrollment.objects.bulk_create(
        [
            Enrollment(
                child_id=child,
                institution=school_of[daycare],
                group=zero.get(school_of[daycare].pk),
                started_on=day,
            )
            for child, daycare, _g in cohort
            if (child, school_of[daycare].pk) not in have
        ],
        batch_size=2000,
    )
    leaders = dict(
        StaffMembership.objects.active()
        .filter(institution_id__in=daycares, role=StaffMembership.Role.LEADER)
        .order_by("-pk")
        .values_list("institution_id", "user")
    )
    from portal.accounts.models import User

    users = User.objects.in_bulk(set(leaders.values()))
    by_group: dict[tuple[int, int], list[int]] = {}
    for child, daycare, group in cohort:
        by_group.setdefault((daycare, group), []).append(child)
    for (daycare, group), child_ids in sorted(by_group.items()):
        school = school_of[daycare]
        services.transitions_create_for_cohort(
            request=_request(users.get(leaders.get(daycare)) or next(iter(users.values()))),
            enrollments=Enrollment.objects.current().filter(group_id=group, child_id__in=child_ids),
            kind=Transition.Kind.DAYCARE_TO_SCHOOL,
            receiving_institution=school,
            receiving_group=zero.get(school.pk),
            planned_on=day,
            actor_role="Leder",
        )
    handovers = list(
        Handover.objects.filter(transition__child__municipality=municipality, transition__planned_on=day)
        .order_by("pk")
        .values_list("pk", "transition__child_id", "transition__receiving_institution_id")
    )
    ids = [pk for pk, _c, _r in handovers]
    now = timezone.now()
    written: dict[str, list[int]] = {kind: [] for kind in WRITTEN}
    for pk in ids:
        for kind, share in WRITTEN.items():
            if rng.random() < share:
                written[kind].append(pk)
    with transaction.atomic():
        for kind, handover_ids in written.items():
            HandoverSection.objects.filter(
                handover_id__in=handover_ids, kind=kind, author__isnull=True
            ).update(text=TEXT[kind], updated_at=now, updated_by_name="Pædagog (benchmark)")
        custody: dict[int, list[int]] = {}
        for child, user in (
            Guardianship.objects.active()
            .filter(child_id__in=[c for _p, c, _r in handovers], has_custody=True)
            .order_by("pk")
            .values_list("child_id", "user_id")
        ):
            custody.setdefault(child, []).append(user)
        sections: dict[int, list[tuple[int, str]]] = {}
        for section, handover, kind in (
            HandoverSection.objects.filter(handover_id__in=ids, basis=HandoverSection.Basis.CONSENT)
            .exclude(text="")
            .values_list("pk", "handover_id", "kind")
        ):
            sections.setdefault(handover, []).append((section, kind))
        consents, views = [], []
        for pk, child, receiving in handovers:
            answer = rng.random()
            for user in custody.get(child, []):
                for section, kind in sections.get(pk, []):
                    if answer < 0.75 or (answer < 0.9 and kind != Kind.CONCERNS):
                        consents.append(
                            HandoverConsent(
                                section_id=section, user_id=user, recipient_id=receiving, given_at=now
                            )
                        )
            if custody.get(child) and rng.random() < 0.5:
                views.append(
                    HandoverSection(
                        handover_id=pk,
                        kind=Kind.PARENTS_VIEW,
                        author_id=custody[child][0],
                        author_name="Forælder (benchmark)",
                        text=PARENTS_VIEW,
                        basis=HandoverSection.Basis.PARENT,
                        updated_at=now,
                    )
                )
        HandoverConsent.objects.bulk_create(consents, batch_size=5000)
        HandoverSection.objects.bulk_create(views, batch_size=5000)
        Transition.objects.filter(handover__pk__in=ids).update(status=Transition.Status.IN_PROGRESS)
        Handover.objects.filter(pk__in=ids).update(send_requested_at=now)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    out.write(
        f"seeded the school start on {day}: {len(ids)} handovers from {len(daycares)} daycares to "
        f"{len({school_of[d].pk for d in daycares})} schools, {sum(map(len, written.values()))} sections "
        f"written, {len(consents)} consents, {len(views)} parents' views"
    )
    return ids
