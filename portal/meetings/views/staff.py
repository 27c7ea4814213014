"""The staff's meeting pages: booking periods and their slot grid, nudges to families who have not
booked, parent meetings for a group, and each meeting's preparation, record and follow-up.

Access is decided when the object is fetched (``portal/meetings/policies.py``): staff of another group,
institution or municipality, guardians and administrators get 404. Pages that name children record the
read in the access log; the services audit every write.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from portal.access import roles_of
from portal.audit.models import AccessEvent
from portal.audit.services import access_record, access_record_many
from portal.formats import format_date
from portal.forms import add_service_errors
from portal.meetings.forms.staff import (
    AssignForm,
    FollowUpForm,
    GroupMeetingForm,
    MoveForm,
    PeriodForm,
    PrepareForm,
    RecordForm,
)
from portal.meetings.ics import meeting_title
from portal.meetings.models import Meeting, MeetingKind
from portal.meetings.policies import (
    get_follow_up_for_staff_or_404,
    get_meeting_for_staff_or_404,
    get_period_for_staff_or_404,
)
from portal.meetings.selectors import staff as selectors
from portal.meetings.services import booking, followup, nudges
from portal.meetings.services.booking import BookingError

NOBODY_TO_NUDGE = _lazy(
    "Nobody to remind: they have booked, have no guardian with custody or were reminded today."
)


def _require_staff(user) -> None:
    if not roles_of(user).staff:
        raise Http404


def _errors(error: ValidationError) -> str:
    return " ".join(error.messages)


# ---------------------------------------------------------------------------------------------------
# Overview
# ---------------------------------------------------------------------------------------------------
@login_required
def staff_meetings(request):
    """My upcoming meetings, the booking periods of my groups, and follow-ups due soon."""
    _require_staff(request.user)
    overview = selectors.staff_overview(request.user)
    access_record_many(
        request=request,
        children=overview.children,
        action=AccessEvent.Action.LIST,
        subject="meeting_list",
        actor_role=selectors.staff_label(request.user),
    )
    return render(
        request,
        "meetings/staff/staff_meetings.html",
        {"overview": overview, "window": selectors.FOLLOW_UP_WINDOW_DAYS, "today": timezone.localdate()},
    )


# ---------------------------------------------------------------------------------------------------
# Booking periods
# ---------------------------------------------------------------------------------------------------
@login_required
@require_http_methods(["GET", "POST"])
def period_create(request):
    _require_staff(request.user)
    form = PeriodForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            period = booking.period_create(user=request.user, **form.service_kwargs())
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(
                request,
                _("The times are saved as a draft. Check them, then publish them to the families."),
            )
            return redirect("meetings:period_detail", pk=period.pk)
    return render(request, "meetings/staff/period_form.html", {"form": form})


def _period_context(request, period, page):
    wanted = request.GET.get("assign", "")
    return {
        "period": period,
        "page": page,
        "now": timezone.now(),
        "is_open": period.is_open(),
        "assign_child": next((c.pk for c in page.not_booked if str(c.pk) == wanted), None),
    }


@login_required
@require_http_methods(["GET"])
@vary_on_headers("HX-Request")
def period_detail(request, pk):
    """The slot grid of a period (refreshed by htmx polling), who has not booked, and the actions."""
    period = get_period_for_staff_or_404(request.user, pk)
    page = selectors.period_page(period)
    context = _period_context(request, period, page)
    if request.htmx:
        # The poll refreshes times already on the page; the full page's visit is in the access log.
        return render(request, "meetings/staff/period_detail.html#slot_grid", context)
    access_record_many(
        request=request,
        children=page.children,
        action=AccessEvent.Action.LIST,
        subject="booking_period",
        actor_role=selectors.staff_label(request.user, period.institution_id),
    )
    return render(request, "meetings/staff/period_detail.html", context)


@login_required
@require_POST
def period_publish(request, pk):
    period = get_period_for_staff_or_404(request.user, pk)
    try:
        published = booking.period_publish(user=request.user, period=period)
    except ValidationError as e:
        messages.error(request, _errors(e))
    else:
        if published:
            messages.success(request, _("The times are published. The families of the group can book now."))
        else:
            messages.info(request, _("The times were already published."))
    return redirect("meetings:period_detail", pk=period.pk)


@login_required
@require_POST
def period_nudge(request, pk):
    """Remind the custody holders of one child (``child``) or of every child who has not booked."""
    period = get_period_for_staff_or_404(request.user, pk)
    child_ids = None
    if request.POST.get("child"):
        try:
            child_ids = [int(request.POST["child"])]
        except ValueError:
            raise Http404 from None
    try:
        ids = nudges.nudges_request(request=request, user=request.user, period=period, child_ids=child_ids)
    except ValidationError as e:
        messages.error(request, _errors(e))
    else:
        if ids:
            messages.success(
                request,
                ngettext(
                    "A reminder to book is on its way to %(count)d guardian.",
                    "A reminder to book is on its way to %(count)d guardians.",
                    len(ids),
                )
                % {"count": len(ids)},
            )
        else:
            messages.info(request, NOBODY_TO_NUDGE)
    return redirect(reverse("meetings:period_detail", args=[period.pk]) + "#not-booked")


@login_required
@require_POST
def slot_assign(request, pk):
    """Staff book a free time for a family who has not booked (also after the deadline)."""
    period = get_period_for_staff_or_404(request.user, pk)
    form = AssignForm(request.POST)
    target = reverse("meetings:period_detail", args=[period.pk])
    if not form.is_valid():
        messages.error(request, _("Choose a child and a time."))
        return redirect(target + "#assign")
    slot = selectors.slot_of_period(period.pk, form.cleaned_data["slot"])
    child = selectors.child_of_period(period, form.cleaned_data["child"])
    if slot is None or child is None:
        messages.error(request, _("Choose a child and a time from the lists."))
        return redirect(target + "#assign")
    try:
        meeting = booking.meeting_book(
            request=request, user=request.user, slot=slot, child=child, by_staff=True
        )
    except BookingError as e:
        messages.error(request, _errors(e))
        return redirect(target + "#assign")
    messages.success(
        request,
        _("%(name)s has a time now: %(when)s. The family is told.")
        % {"name": child.first_name, "when": _when(meeting)},
    )
    return redirect(target)


def _when(meeting) -> str:
    start = meeting.starts_at
    return _("%(weekday)s %(date)s at %(time)s") % {
        "weekday": format_date(start, "l"),
        "date": format_date(start, "MONTH_DAY_FORMAT"),
        "time": format_date(start, "TIME_FORMAT"),
    }


# ---------------------------------------------------------------------------------------------------
# Parent meetings for a group
# ---------------------------------------------------------------------------------------------------
@login_required
@require_http_methods(["GET", "POST"])
def group_meeting_create(request):
    _require_staff(request.user)
    form = GroupMeetingForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = booking.meeting_plan(
                request=request, user=request.user, kind=MeetingKind.PARENT_MEETING, **form.service_kwargs()
            )
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, _("The parent meeting is planned. The group's families are told."))
            return redirect("meetings:staff_meeting_detail", pk=meeting.pk)
    return render(request, "meetings/staff/group_meeting_form.html", {"form": form})


# ---------------------------------------------------------------------------------------------------
# One meeting: preparation, changes, record and follow-up
# ---------------------------------------------------------------------------------------------------
def _meeting(request, pk) -> Meeting:
    return get_meeting_for_staff_or_404(request.user, pk)


def _render_meeting(request, meeting, *, prepare_form=None, record_form=None, followup_form=None, status=200):
    now = timezone.now()
    page = selectors.meeting_page(meeting, now=now)
    if meeting.child_id:
        access_record(
            request=request,
            child=meeting.child,
            action=AccessEvent.Action.VIEW,
            subject="meeting",
            object_id=meeting.pk,
            actor_role=selectors.staff_label(request.user, meeting.institution_id),
        )
    live = not meeting.is_cancelled
    return render(
        request,
        "meetings/staff/meeting_detail.html",
        {
            "meeting": meeting,
            "page": page,
            "title": meeting_title(meeting),
            "started": meeting.starts_at <= now,
            "can_change": live and meeting.status == Meeting.Status.PLANNED and meeting.starts_at > now,
            "prepare_form": prepare_form or PrepareForm(meeting=meeting),
            "record_form": record_form or RecordForm(meeting=meeting),
            "followup_form": followup_form
            or FollowUpForm(meeting=meeting, goals=page.goals, agreements=page.agreements),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET"])
def staff_meeting_detail(request, pk):
    return _render_meeting(request, _meeting(request, pk))


@login_required
@require_POST
def staff_meeting_move(request, pk):
    meeting = _meeting(request, pk)
    form = MoveForm(request.POST)
    slot = None
    if form.is_valid() and meeting.period_id:
        slot = selectors.slot_of_period(meeting.period_id, form.cleaned_data["slot"])
    if slot is None:
        messages.error(request, _("Choose one of the free times in the list."))
        return redirect("meetings:staff_meeting_detail", pk=meeting.pk)
    try:
        meeting = booking.meeting_move(
            request=request, user=request.user, meeting=meeting, slot=slot, by_staff=True
        )
    except BookingError as e:
        messages.error(request, _errors(e))
    else:
        messages.success(
            request, _("The meeting is moved to %(when)s. The family is told.") % {"when": _when(meeting)}
        )
    return redirect("meetings:staff_meeting_detail", pk=meeting.pk)


@login_required
@require_POST
def staff_meeting_cancel(request, pk):
    meeting = _meeting(request, pk)
    try:
        booking.meeting_cancel(request=request, user=request.user, meeting=meeting, by_staff=True)
    except BookingError as e:
        messages.error(request, _errors(e))
    else:
        messages.success(request, _("The meeting is cancelled. Everyone who was invited is told."))
    return redirect("meetings:staff_meeting_detail", pk=meeting.pk)


@login_required
@require_POST
def meeting_prepare(request, pk):
    meeting = _meeting(request, pk)
    form = PrepareForm(request.POST, meeting=meeting)
    if form.is_valid():
        try:
            followup.meeting_prepare(
                request=request,
                user=request.user,
                meeting=meeting,
                agenda=form.cleaned_data["agenda"],
                preparation=form.cleaned_data["preparation"],
                prepare_with=form.cleaned_data.get("prepare_with", ""),
            )
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, _("The agenda and preparation are saved. The family can read them."))
            return redirect(reverse("meetings:staff_meeting_detail", args=[meeting.pk]) + "#prepare")
    return _render_meeting(request, meeting, prepare_form=form)


@login_required
@require_POST
def meeting_record(request, pk):
    meeting = _meeting(request, pk)
    form = RecordForm(request.POST, meeting=meeting)
    if form.is_valid():
        data = form.cleaned_data
        try:
            followup.meeting_record(
                request=request,
                user=request.user,
                meeting=meeting,
                summary=data["summary"],
                attendance=data.get("attendance", ""),
                families_attended=data.get("families_attended"),
                share_summary=data["share_summary"],
            )
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, _("The meeting is recorded as held."))
            return redirect(reverse("meetings:staff_meeting_detail", args=[meeting.pk]) + "#record")
    return _render_meeting(request, meeting, record_form=form)


@login_required
@require_POST
def followup_add(request, pk):
    meeting = _meeting(request, pk)
    form = FollowUpForm(request.POST, meeting=meeting)
    if form.is_valid():
        data = form.cleaned_data
        try:
            followup.followup_add(
                request=request,
                user=request.user,
                meeting=meeting,
                text=data["text"],
                responsible=data["responsible"],
                follow_up_on=data["follow_up_on"],
                learning_goal=data.get("learning_goal"),
                agreement=data.get("agreement"),
            )
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, _("The follow-up is saved."))
            return redirect(reverse("meetings:staff_meeting_detail", args=[meeting.pk]) + "#follow-ups")
    return _render_meeting(request, meeting, followup_form=form)


@login_required
@require_POST
def followup_done(request, pk):
    follow_up = get_follow_up_for_staff_or_404(request.user, pk)
    follow_up = followup.followup_mark_done(request=request, user=request.user, follow_up=follow_up)
    if follow_up.done_at:
        messages.success(request, _("Marked as done: “%(text)s”.") % {"text": follow_up.text[:80]})
    else:
        messages.success(request, _("Marked as not done: “%(text)s”.") % {"text": follow_up.text[:80]})
    return redirect(reverse("meetings:staff_meeting_detail", args=[follow_up.meeting_id]) + "#follow-ups")
