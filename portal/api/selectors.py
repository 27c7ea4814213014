"""What a client of one municipality reads: every queryset starts from the client's municipality."""

from django.db.models import Count, Prefetch, Q
from django.utils import timezone

from children.models import Child, Enrollment
from expectations.models import ExpectationAgreement, ReviewRound
from portal.meetings.models import Meeting
from portal.organisation.models import Group, Institution


def institutions_for(client):
    return Institution.objects.filter(municipality_id=client.municipality_id).order_by("name", "id")


def groups_for(client):
    return Group.objects.filter(institution__municipality_id=client.municipality_id).order_by(
        "institution_id", "school_year", "name", "id"
    )


def children_for(client):
    """The municipality's children, but those who have left it, each with their places today."""
    today = timezone.localdate()
    places = Enrollment.objects.current(on=today).order_by("started_on", "id")
    return (
        Child.objects.filter(municipality_id=client.municipality_id)
        .filter(Q(left_municipality_on__isnull=True) | Q(left_municipality_on__gt=today))
        .prefetch_related(Prefetch("enrollments", queryset=places, to_attr="current_places"))
        .order_by("id")
    )


def agreements_for(client):
    """Agreements in force about the municipality's children."""
    return (
        ExpectationAgreement.objects.in_force()
        .filter(child__municipality_id=client.municipality_id)
        .only(
            "id",
            "child_id",
            "institution_id",
            "status",
            "revision",
            "starts_on",
            "review_due_on",
            "agreed_at",
        )
        .order_by("id")
    )


def meeting_statistics_for(client, *, starts_from=None, starts_before=None, institution=None):
    """Meetings counted per institution, kind and status (one query): no child, no family."""
    meetings = Meeting.objects.filter(institution__municipality_id=client.municipality_id)
    if starts_from:
        meetings = meetings.filter(starts_at__date__gte=starts_from)
    if starts_before:
        meetings = meetings.filter(starts_at__date__lt=starts_before)
    if institution is not None:
        meetings = meetings.filter(institution_id=institution)
    return (
        meetings.values("institution", "kind", "status")
        .annotate(
            meetings=Count("id"),
            families_came=Count("id", filter=Q(attendance=Meeting.Attendance.ATTENDED)),
            families_did_not_come=Count("id", filter=Q(attendance=Meeting.Attendance.NOT_ATTENDED)),
        )
        .order_by("institution", "kind", "status")
    )


def review_rounds_for(client):
    """The municipality's review rounds but drafts, with their figures as last stored (never counted
    here: the nightly task and the report store them)."""
    return (
        ReviewRound.objects.filter(municipality_id=client.municipality_id)
        .exclude(status=ReviewRound.Status.DRAFT)
        .select_related("figures")
        .order_by("-period_start", "id")
    )
