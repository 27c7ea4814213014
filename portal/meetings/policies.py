"""Who may see and change meetings. Outsiders get 404, never a hint that a meeting exists.

* A guardian with the right to information sees the meetings about their child and the parent
  meetings of the groups their child is in now; custody holders book, move and cancel. A guardian
  without custody may read, add topics and gets reminders, but does not book.
* Staff see the meetings of the children they serve and of the groups they work with; they plan
  and change them for the groups they work with (their own groups, or the whole institution for a
  leader) and for meetings they hold.
"""

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from children.models import Child, Enrollment, Guardianship
from children.policies import groups_visible_to
from portal.access import (
    children_of_guardian,
    children_served_by,
    has_custody_of,
    staff_enrollment_scope,
    staff_scope,
)
from portal.meetings.models import BookingPeriod, FollowUp, Meeting
from portal.organisation.models import StaffMembership


def guardian_group_ids(user):
    """The groups the guardian's children are in now."""
    return Enrollment.objects.current().filter(child__in=children_of_guardian(user)).values("group_id")


def _hosted_by(user) -> Q:
    """Meetings the user holds, while they still work at the meeting's institution."""
    working_at = StaffMembership.objects.active().filter(user=user).values("institution_id")
    return Q(hosts=user, institution__in=working_at)


def meetings_visible_to(user) -> QuerySet[Meeting]:
    """Every meeting this user may read, as a guardian or as staff."""
    if not user.is_authenticated:
        return Meeting.objects.none()
    return Meeting.objects.filter(
        Q(child__in=children_of_guardian(user))
        | Q(group__in=guardian_group_ids(user))
        | Q(child__in=children_served_by(user))
        | Q(group__in=groups_visible_to(user))
        | _hosted_by(user)
    ).distinct()


def get_meeting_for_user_or_404(user, pk) -> Meeting:
    try:
        return meetings_visible_to(user).select_related("child", "group", "institution", "period").get(pk=pk)
    except (Meeting.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def managed_meeting_ids(user, within: Q | None = None) -> QuerySet:
    """The ids of the meetings this staff member may change: those of groups they work with (parent
    meetings and the booking rounds' meetings), those of the children they write for, and those they
    hold. Each of the four is found along its own index and the ids are united: one condition with
    four ORs would make PostgreSQL read every meeting of the municipality. ``within`` (a condition on
    the meeting, such as a window of time) is put in each of the four, so that each reads only its
    own children's or groups' meetings in it."""
    if not user.is_authenticated:
        return Meeting.objects.none().values("pk")
    groups = groups_visible_to(user).values("pk")
    served = Enrollment.objects.current().filter(staff_enrollment_scope(user, writing=True))
    working_at = staff_scope(user).institutions(lambda role: True)
    meetings = Meeting.objects.filter(within) if within is not None else Meeting.objects.all()
    return (
        meetings.filter(group__in=groups)
        .values("pk")
        .union(
            meetings.filter(period__group__in=groups).values("pk"),
            meetings.filter(child__in=served.values("child_id")).values("pk"),
            meetings.filter(hosts=user, institution_id__in=working_at).values("pk"),
        )
    )


def meetings_managed_by(user, within: Q | None = None) -> QuerySet[Meeting]:
    """Meetings this staff member may change (``managed_meeting_ids``), of those ``within`` if given."""
    meetings = Meeting.objects.filter(pk__in=managed_meeting_ids(user, within))
    return meetings.filter(within) if within is not None else meetings


def get_meeting_for_staff_or_404(user, pk) -> Meeting:
    """A meeting this staff member manages (404 otherwise), with what its page shows."""
    try:
        return (
            meetings_managed_by(user)
            .select_related("child", "group", "institution", "period", "slot")
            .get(pk=pk)
        )
    except (Meeting.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def get_follow_up_for_staff_or_404(user, pk) -> FollowUp:
    """A follow-up of a meeting this staff member manages (404 otherwise), with its meeting."""
    try:
        return FollowUp.objects.select_related("meeting").get(pk=pk, meeting_id__in=managed_meeting_ids(user))
    except (FollowUp.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def can_manage_meeting(user, meeting: Meeting) -> bool:
    return meetings_managed_by(user).filter(pk=meeting.pk).exists()


def periods_managed_by(user) -> QuerySet[BookingPeriod]:
    """Booking periods of the groups a staff member works with."""
    if not user.is_authenticated:
        return BookingPeriod.objects.none()
    return BookingPeriod.objects.filter(group__in=groups_visible_to(user))


def get_period_for_staff_or_404(user, pk) -> BookingPeriod:
    try:
        return periods_managed_by(user).select_related("group", "institution").get(pk=pk)
    except (BookingPeriod.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def periods_open_to_guardian(user) -> QuerySet[BookingPeriod]:
    """Published periods for the groups the guardian's children are in now."""
    if not user.is_authenticated:
        return BookingPeriod.objects.none()
    return BookingPeriod.objects.filter(published_at__isnull=False, group__in=guardian_group_ids(user))


def get_period_for_guardian_or_404(user, pk) -> BookingPeriod:
    try:
        return periods_open_to_guardian(user).select_related("group", "institution").get(pk=pk)
    except (BookingPeriod.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def children_for_period(period: BookingPeriod) -> QuerySet[Child]:
    """The children a period is for: those in its group now."""
    return Child.objects.filter(
        Exists(Enrollment.objects.current().filter(child=OuterRef("pk"), group_id=period.group_id))
    )


def bookable_children(user, period: BookingPeriod) -> QuerySet[Child]:
    """The guardian's children in the period's group for whom they may book (custody holders)."""
    return children_for_period(period).filter(
        Exists(Guardianship.objects.active().filter(child=OuterRef("pk"), user=user, has_custody=True))
    )


def can_book_for(user, child) -> bool:
    return has_custody_of(user, child)


def recipients_of(meeting: Meeting) -> QuerySet[Guardianship]:
    """The guardianships to tell about a meeting: everyone with the right to information about its
    child, or about a child in its group now."""
    guardianships = Guardianship.objects.with_information()
    if meeting.child_id:
        return guardianships.filter(child_id=meeting.child_id)
    return guardianships.filter(
        Exists(Enrollment.objects.current().filter(child=OuterRef("child_id"), group_id=meeting.group_id))
    )
