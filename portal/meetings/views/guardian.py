"""The guardians' meeting pages: "my meetings", one meeting, booking, moving and cancelling a time,
questions and the interpreter; and, for everyone signed in, the portal inbox and how we reach you.

Guardians with the right to information see their children's meetings and their groups' parent
meetings; custody holders book, move and cancel before the deadline. Everyone else gets 404 on a
family's meeting (staff have their own meeting pages). Every page showing a child's meeting records it.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from children.models import Guardianship
from portal.access import roles_of
from portal.audit.models import AccessEvent
from portal.audit.services import access_record, access_record_many
from portal.forms import add_service_errors
from portal.languages import language_choices
from portal.meetings.forms.guardian import (
    BookingForm,
    ContactSettingsForm,
    InterpreterForm,
    MoveForm,
    ResponseForm,
    TopicForm,
)
from portal.meetings.ics import meeting_title
from portal.meetings.models import Meeting, Notification
from portal.meetings.policies import (
    bookable_children,
    can_book_for,
    children_for_period,
    get_period_for_guardian_or_404,
)
from portal.meetings.selectors import guardian as selectors
from portal.meetings.services import booking, family
from portal.meetings.services.booking import BookingError

NOTIFICATIONS_PER_PAGE = 50


def _record_view(request, meeting: Meeting) -> None:
    if meeting.child_id:
        access_record(
            request=request,
            child=meeting.child,
            action=AccessEvent.Action.VIEW,
            subject="meeting",
            object_id=meeting.pk,
            actor_role=family.guardian_label(),
        )


# ---------------------------------------------------------------------------------------------------
# My meetings and one meeting
# ---------------------------------------------------------------------------------------------------
@login_required
def my_meetings(request):
    """Per child: times to book, upcoming meetings with how to prepare, and earlier ones."""
    if not roles_of(request.user).guardian:
        raise Http404
    children = selectors.my_meetings(request.user)
    access_record_many(
        request=request,
        children=[entry.child for entry in children],
        action=AccessEvent.Action.LIST,
        subject="my_meetings",
        actor_role=family.guardian_label(),
    )
    return render(request, "meetings/guardian/my_meetings.html", {"children": children})


def _detail(
    request, meeting: Meeting, *, topic_form=None, interpreter_form=None, response_form=None, status=200
):
    page = selectors.meeting_page(request.user, meeting)
    _record_view(request, meeting)
    if response_form is None and page.response is not None:
        answer = ResponseForm.YES if page.response.coming else ResponseForm.NO
        response_form = ResponseForm(initial={"coming": answer, "adults": page.response.adults or 1})
    return render(
        request,
        "meetings/guardian/meeting_detail.html",
        {
            "page": page,
            "meeting": page.meeting,
            "topic_form": topic_form or TopicForm(),
            "interpreter_form": interpreter_form
            or InterpreterForm(initial={"interpreter_language": page.meeting.interpreter_language}),
            "response_form": response_form or ResponseForm(),
        },
        status=status,
    )


@login_required
def meeting_detail(request, pk):
    meeting = selectors.get_family_meeting_or_404(request.user, pk)
    return _detail(request, meeting)


@login_required
@require_POST
def topic_add(request, pk):
    """Any guardian of the family adds a question or topic before the meeting."""
    meeting = selectors.get_family_meeting_or_404(request.user, pk)
    form = TopicForm(request.POST)
    if form.is_valid():
        try:
            family.meeting_topic_add(
                request=request, user=request.user, meeting=meeting, text=form.cleaned_data["text"]
            )
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, _("Thank you. The staff will see your question before the meeting."))
            return redirect("meetings:meeting_detail", pk=meeting.pk)
    return _detail(request, meeting, topic_form=form)


@login_required
@require_POST
def meeting_respond(request, pk):
    """A guardian of a child in the group says whether they come to the parent meeting."""
    meeting = selectors.get_family_meeting_or_404(request.user, pk)
    if not meeting.group_id:
        raise Http404
    form = ResponseForm(request.POST)
    if form.is_valid():
        try:
            response = family.meeting_response_set(
                user=request.user,
                meeting=meeting,
                coming=form.cleaned_data["coming"],
                adults=form.cleaned_data["adults"] or 1,
            )
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            if response.coming:
                messages.success(request, _("Thank you. We have noted that you are coming."))
            else:
                messages.success(request, _("Thank you. We have noted that you cannot come."))
            return redirect(reverse("meetings:meeting_detail", args=[meeting.pk]) + "#answer")
    return _detail(request, meeting, response_form=form)


@login_required
@require_POST
def meeting_interpreter(request, pk):
    """A custody holder says which language the family needs an interpreter for."""
    meeting = selectors.get_family_meeting_or_404(request.user, pk)
    if not meeting.child_id or not can_book_for(request.user, meeting.child):
        raise Http404
    form = InterpreterForm(request.POST)
    if form.is_valid():
        try:
            meeting = family.meeting_interpreter_set(
                request=request,
                user=request.user,
                meeting=meeting,
                language=form.cleaned_data["interpreter_language"],
            )
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            if meeting.interpreter_language:
                messages.success(
                    request,
                    _("Saved. We will book an interpreter for %(language)s.")
                    % {"language": meeting.interpreter_language},
                )
            else:
                messages.success(request, _("Saved. You do not need an interpreter."))
            return redirect("meetings:meeting_detail", pk=meeting.pk)
    return _detail(request, meeting, interpreter_form=form)


# ---------------------------------------------------------------------------------------------------
# Booking, moving, cancelling
# ---------------------------------------------------------------------------------------------------
def _family_children(user, period):
    """The person's children (right to information) that the period is for, by first name."""
    return list(
        children_for_period(period)
        .filter(Exists(Guardianship.objects.with_information().filter(child=OuterRef("pk"), user=user)))
        .order_by("first_name", "pk")
    )


@login_required
@require_http_methods(["GET", "POST"])
def period_book(request, pk):
    """Book one time for one child: choose the child (if several), a free time, optional interpreter
    and question, and "Book". A refused booking shows why, with the times still free."""
    period = get_period_for_guardian_or_404(request.user, pk)
    now = timezone.now()
    children = _family_children(request.user, period)
    if not children:
        raise Http404
    access_record_many(
        request=request,
        children=children,
        action=AccessEvent.Action.LIST,
        subject="meeting_booking",
        actor_role=family.guardian_label(),
    )
    bookable = list(bookable_children(request.user, period).order_by("first_name", "pk"))
    context = {"period": period, "children": children, "bookable": bookable, "now": now}
    template = "meetings/guardian/period_book.html"
    if not bookable:
        return render(request, template, {**context, "step": "no_custody"})
    wanted = request.POST.get("child") or request.GET.get("child")
    child = next((c for c in bookable if str(c.pk) == wanted), bookable[0] if len(bookable) == 1 else None)
    if child is None:
        return render(request, template, {**context, "step": "choose_child"})
    context["child"] = child
    existing = selectors.booked_meeting(period, child)
    if existing is not None:
        return render(request, template, {**context, "step": "booked", "existing": existing})
    if not period.is_open(now):
        return render(request, template, {**context, "step": "closed"})
    form = BookingForm(request.POST or None, period=period)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = booking.meeting_book(
                request=request,
                user=request.user,
                slot=form.cleaned_data["slot"],
                child=child,
                interpreter_language=form.cleaned_data["interpreter_language"],
                topic=form.cleaned_data["topic"],
                now=now,
            )
        except BookingError as e:
            add_service_errors(form, e)
        else:
            messages.success(
                request,
                _("The time is booked. You and %(name)s's other parents get a confirmation.")
                % {"name": child.first_name},
            )
            return redirect("meetings:meeting_detail", pk=meeting.pk)
    days = selectors.slots_by_day(selectors.free_slots(period, now=now))
    chosen = form["slot"].value() if form.is_bound else None
    return render(
        request,
        template,
        {**context, "step": "form", "form": form, "days": days, "chosen": str(chosen or "")},
    )


def _bookable_meeting_or_404(request, pk) -> Meeting:
    """A booked time the person may move or cancel: their child's, and they hold custody."""
    meeting = selectors.get_family_meeting_or_404(request.user, pk)
    if not (meeting.child_id and meeting.period_id and meeting.slot_id):
        raise Http404
    if not can_book_for(request.user, meeting.child):
        raise Http404
    return meeting


@login_required
@require_http_methods(["GET", "POST"])
def meeting_move(request, pk):
    meeting = _bookable_meeting_or_404(request, pk)
    now = timezone.now()
    period = meeting.period
    _record_view(request, meeting)
    form = MoveForm(request.POST or None, period=period)
    if request.method == "POST" and form.is_valid():
        try:
            booking.meeting_move(
                request=request, user=request.user, meeting=meeting, slot=form.cleaned_data["slot"], now=now
            )
        except BookingError as e:
            add_service_errors(form, e)
        else:
            messages.success(
                request, _("The meeting is moved. Everyone who was told about it gets a message.")
            )
            return redirect("meetings:meeting_detail", pk=meeting.pk)
    open_ = not meeting.is_cancelled and meeting.starts_at > now and period.is_open(now)
    days = selectors.slots_by_day(selectors.free_slots(period, now=now, exclude_meeting=meeting.pk))
    days = [(day, [s for s in slots if s.pk != meeting.slot_id]) for day, slots in days]
    days = [(day, slots) for day, slots in days if slots]
    chosen = form["slot"].value() if form.is_bound else None
    return render(
        request,
        "meetings/guardian/meeting_move.html",
        {
            "meeting": meeting,
            "title": meeting_title(meeting),
            "period": period,
            "form": form,
            "days": days,
            "chosen": str(chosen or ""),
            "open": open_,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def meeting_cancel(request, pk):
    meeting = _bookable_meeting_or_404(request, pk)
    now = timezone.now()
    _record_view(request, meeting)
    error = None
    if request.method == "POST":
        try:
            booking.meeting_cancel(request=request, user=request.user, meeting=meeting, now=now)
        except BookingError as e:
            error = e.messages[0]
        else:
            messages.success(
                request, _("The meeting is cancelled. The staff and the other parents are told.")
            )
            return redirect("meetings:my_meetings")
    open_ = not meeting.is_cancelled and meeting.starts_at > now and meeting.period.is_open(now)
    return render(
        request,
        "meetings/guardian/meeting_cancel.html",
        {
            "meeting": meeting,
            "title": meeting_title(meeting),
            "error": error,
            "open": open_,
        },
    )


# ---------------------------------------------------------------------------------------------------
# The inbox and how we reach you
# ---------------------------------------------------------------------------------------------------
@login_required
def notifications(request):
    """The person's messages in the portal, of every kind (meetings, agreements, surveys), newest first."""
    page = Paginator(
        Notification.objects.filter(user=request.user, shown_at__lte=timezone.now()).only(
            "title", "body", "url", "kind", "created_at", "read_at", "user_id"
        ),
        NOTIFICATIONS_PER_PAGE,
    ).get_page(request.GET.get("page"))
    unread = any(n.read_at is None for n in page.object_list)
    return render(request, "meetings/guardian/notifications.html", {"page": page, "unread": unread})


@login_required
@require_POST
def notifications_read(request):
    count = family.notifications_mark_read(user=request.user)
    if count:
        messages.success(request, _("All messages are marked as read."))
    return redirect("meetings:notifications")


@login_required
@require_http_methods(["GET", "POST"])
def contact_settings(request):
    """How the portal reaches the person: e-mail, text message, and in which language."""
    user = request.user
    initial = {
        "notify_by_email": user.notify_by_email,
        "notify_by_sms": user.notify_by_sms,
        "phone": user.phone,
        "language": user.language,
    }
    form = ContactSettingsForm(request.POST or None, initial=initial, languages=language_choices(user))
    if request.method == "POST" and form.is_valid():
        try:
            changed = family.contact_settings_update(user=user, **form.cleaned_data)
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            language = form.cleaned_data["language"]
            # The pages follow the chosen language from now on, not only the messages.
            translation.activate(language)
            if changed:
                messages.success(request, _("Saved. This is how we reach you from now on."))
            response = redirect("meetings:contact_settings")
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                language,
                max_age=settings.LANGUAGE_COOKIE_AGE,
                path=settings.LANGUAGE_COOKIE_PATH,
                domain=settings.LANGUAGE_COOKIE_DOMAIN,
                secure=settings.LANGUAGE_COOKIE_SECURE,
                httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
                samesite=settings.LANGUAGE_COOKIE_SAMESITE,
            )
            return response
    return render(request, "meetings/guardian/contact_settings.html", {"form": form})
