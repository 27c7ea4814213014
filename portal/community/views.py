from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from children.policies import id_or_404
from portal.audit.models import AccessEvent
from portal.audit.services import access_record, access_record_many
from portal.community import selectors, services
from portal.community.forms import (
    DeclineForm,
    ElectionForm,
    GroupMessageForm,
    NameSharingForm,
    ParentFriendForm,
    PhotoForm,
    PlayDateAnswerForm,
    PlayDateForm,
    StaffMessageForm,
    VoteForm,
    WelcomeAnswerForm,
    WelcomeAskForm,
)
from portal.community.models import Portrait
from portal.community.policies import (
    get_contact_for_staff_or_404,
    get_election_for_staff_or_404,
    get_family_child_or_404,
    get_family_group_or_404,
    get_friend_for_staff_or_404,
    get_friend_or_404,
    get_message_for_staff_or_404,
    get_play_date_or_404,
    get_staff_group_or_404,
    get_welcome_for_friend_or_404,
)
from portal.community.services import elections, play
from portal.forms import add_service_errors
from portal.todos import ChildRef

# The vote on contact parents suggested to staff: two weeks.
ELECTION_DAYS = timedelta(days=14)


@login_required
@require_http_methods(["GET", "POST"])
def group_names(request, child_pk):
    """The children in my child's group: the first names their families chose to show, and for custody
    holders the choice on showing our own child's."""
    child, guardianship = get_family_child_or_404(request.user, child_pk)
    custody = guardianship.has_custody
    form = NameSharingForm(request.POST if request.method == "POST" else None) if custody else None
    if request.method == "POST":
        if form is None:
            raise Http404
        if form.is_valid():
            try:
                services.name_sharing_choose(
                    request=request, user=request.user, child=child, show_name=form.cleaned_data["show_name"]
                )
            except ValidationError as e:
                add_service_errors(form, e)
            else:
                messages.success(request, _("Thank you. Your answer is saved."))
                return redirect("community:group_names", child_pk=child.pk)
    choice = selectors.my_choice(child, request.user) if custody else None
    if form is not None and request.method == "GET" and choice is not None:
        form = NameSharingForm(initial={"show_name": "yes" if choice["show_name"] else "no"})
    groups = selectors.group_names(child)
    group_ids = [g.group_id for g in groups]
    contacts = selectors.group_contacts(group_ids)
    friends = selectors.group_friends(group_ids, request.user)
    met = selectors.met_children(child) if groups else set()
    play_dates = selectors.group_play_dates(child, request.user, today=timezone.localdate())
    votes = selectors.group_elections(group_ids, request.user)
    for group in groups:
        group.contacts = contacts[group.group_id]
        group.election = votes.get(group.group_id)
        if group.election is not None:
            group.vote_form = VoteForm(
                offers=[c for c in group.contacts if c.status == "volunteered"],
                places=group.election.places,
                initial={"candidates": sorted(group.election.mine)},
                auto_id=f"id_vote{group.group_id}_%s",
            )
        group.mine = next((c for c in group.contacts if c.user_id == request.user.pk), None)
        group.friends = friends[group.group_id]
        group.my_friend = next((f for f in group.friends if f.user_id == request.user.pk), None)
        group.play_dates = [p for p in play_dates if p.group_id == group.group_id]
        # Children not yet met on a play date, alphabetically as the list: a suggestion, never a ranking.
        group.not_met = [ref for ref in group.names if ref.pk != child.pk and ref.pk not in met]
    access_record(
        request=request,
        child=child,
        action=AccessEvent.Action.VIEW,
        subject="group_names_page",
        actor_role=_("Parent or guardian"),
    )
    access_record_many(
        request=request,
        children=[shown for group in groups for shown in group.names if shown.pk != child.pk],
        action=AccessEvent.Action.LIST,
        subject="group_names_seen",
        actor_role=_("Parent or guardian"),
    )
    return render(
        request,
        "community/group_names.html",
        {
            "child": child,
            "groups": groups,
            "form": form,
            "custody": custody,
            "my_choice": choice,
            "photo_shown": any(child.pk in group.photos for group in groups),
            # The child's own row in the group tells whether every custody holder said yes.
            "shown": any(shown.pk == child.pk for group in groups for shown in group.names),
        },
    )


@login_required
@require_POST
def contact_volunteer(request, child_pk, group_pk):
    """A parent offers to be a contact parent of the group, or withdraws (also as contact parent)."""
    child, _guardianship, group = get_family_group_or_404(request.user, child_pk, group_pk)
    if request.POST.get("action") == "withdraw":
        if services.contact_parent_step_down(user=request.user, group=group):
            messages.success(
                request, _("You are no longer a contact parent in %(group)s.") % {"group": group.name}
            )
    else:
        try:
            services.contact_parent_volunteer(user=request.user, child=child, group=group)
        except ValidationError as e:
            messages.error(request, " ".join(e.messages))
        else:
            messages.success(
                request, _("Thank you. The staff of %(group)s decide and tell you.") % {"group": group.name}
            )
    return redirect("community:group_names", child_pk=child.pk)


@login_required
@require_http_methods(["GET", "POST"])
def group_message_create(request, child_pk, group_pk):
    """An appointed contact parent writes to the group's parents; staff read it before it goes out."""
    child, _guardianship, group = get_family_group_or_404(request.user, child_pk, group_pk)
    if not selectors.is_contact_parent(request.user, group):
        raise Http404
    form = GroupMessageForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.group_message_write(user=request.user, group=group, body=form.cleaned_data["body"])
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(
                request, _("Your message waits for the staff. You are told when it has gone out.")
            )
            return redirect("community:group_names", child_pk=child.pk)
    return render(
        request, "community/group_message_form.html", {"child": child, "group": group, "form": form}
    )


@login_required
def group_contact(request, group_pk):
    """Staff: the group's contact parents and offers, and the messages waiting to be sent."""
    group = get_staff_group_or_404(request.user, group_pk)
    return _staff_page(request, group)


def _staff_page(request, group, **forms):
    context = selectors.staff_group_page(group)
    last_day = timezone.localdate() + ELECTION_DAYS
    context.update(
        group=group,
        decline_form=forms.get("decline_form") or DeclineForm(),
        election_form=forms.get("election_form") or ElectionForm(initial={"last_day": last_day}),
        declining=forms.get("declining"),
    )
    return render(request, "community/group_contact.html", context)


@login_required
@require_POST
def election_open(request, group_pk):
    """Staff let the group's parents choose their contact parents by vote."""
    group = get_staff_group_or_404(request.user, group_pk)
    form = ElectionForm(request.POST)
    if form.is_valid():
        try:
            elections.election_open(
                by=request.user, group=group, places=form.cleaned_data["places"],
                last_day=form.cleaned_data["last_day"],
            )  # fmt: skip
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, _("The vote is open. The group's parents have been told."))
            return redirect("community:group_contact", group_pk=group.pk)
    return _staff_page(request, group, election_form=form)


@login_required
@require_POST
def election_close(request, pk):
    """Staff close the vote before its time; the votes are counted as at the end."""
    election = get_election_for_staff_or_404(request.user, pk)
    elections.election_close(election=election)
    messages.success(request, _("The vote is closed and counted."))
    return redirect("community:group_contact", group_pk=election.group_id)


@login_required
@require_POST
def vote(request, child_pk, group_pk):
    """A parent of the group gives their votes for contact parents, or changes them."""
    child, _guardianship, group = get_family_group_or_404(request.user, child_pk, group_pk)
    election = selectors.group_elections([group.pk], request.user).get(group.pk)
    if election is None:
        messages.error(request, _("The vote has closed."))
        return redirect("community:group_names", child_pk=child.pk)
    offers = [c for c in selectors.group_contacts([group.pk])[group.pk] if c.status == "volunteered"]
    form = VoteForm(request.POST, offers=offers, places=election.places)
    if form.is_valid():
        try:
            count = elections.vote_cast(
                user=request.user, child=child, election=election, candidates=form.cleaned_data["candidates"]
            )
        except ValidationError as e:
            messages.error(request, " ".join(e.messages))
        else:
            messages.success(
                request,
                _("Thank you. Your votes are saved. You can change them until the vote closes.")
                if count
                else _("You have taken back your votes."),
            )
    else:
        messages.error(request, elections.no_longer_standing())
    return redirect(f"{reverse('community:group_names', args=[child.pk])}#vote-{group.pk}")


@login_required
@require_POST
def parent_friend_end(request, pk):
    """Staff end a parent friend's offer (for example when it is misused)."""
    friend = get_friend_for_staff_or_404(request.user, pk)
    play.parent_friend_end(friend=friend)
    messages.success(request, _("Done. The parent is no longer a parent friend of the group."))
    return redirect("community:group_contact", group_pk=friend.group_id)


@login_required
@require_POST
def contact_parent_decide(request, pk):
    """Staff appoint a parent who offered, or end an offer or an appointment."""
    contact = get_contact_for_staff_or_404(request.user, pk)
    if request.POST.get("action") == "appoint":
        try:
            services.contact_parent_appoint(by=request.user, contact=contact)
        except ValidationError as e:
            messages.error(request, " ".join(e.messages))
        else:
            messages.success(request, _("The parent is now a contact parent and has been told."))
    elif request.POST.get("action") == "end":
        services.contact_parent_end(contact=contact)
        messages.success(request, _("Done. The parent is no longer a contact parent of the group."))
    else:
        messages.error(request, _("Choose what to do."))
    return redirect("community:group_contact", group_pk=contact.group_id)


@login_required
@require_POST
def group_message_decide(request, pk):
    """Staff send a contact parent's message to the group's parents, or decline it with a reason."""
    message = get_message_for_staff_or_404(request.user, pk)
    send = request.POST.get("action") == "send"
    form = DeclineForm(request.POST)
    if not send and not form.is_valid():
        return _staff_page(request, message.group, decline_form=form, declining=message.pk)
    try:
        services.group_message_decide(
            by=request.user, message=message, send=send, reason="" if send else form.cleaned_data["reason"]
        )
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    else:
        messages.success(
            request,
            _("The message has gone to the group's parents.")
            if send
            else _("The contact parent has been told why."),
        )
    return redirect("community:group_contact", group_pk=message.group_id)


@login_required
@require_http_methods(["GET", "POST"])
def staff_message_create(request, group_pk):
    """Staff write to the group's parents, now or at a time they choose; after 18:00 the page suggests
    the next morning."""
    group = get_staff_group_or_404(request.user, group_pk)
    now = timezone.now()
    late = services.is_late(now)
    morning = timezone.localtime(services.next_morning(now))
    initial = {"when": "later" if late else "now", "send_on": morning.date(), "send_time": morning.time()}
    form = StaffMessageForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            message = services.staff_message_write(
                user=request.user,
                group=group,
                body=form.cleaned_data["body"],
                send_at=form.send_at(),
                now=now,
            )
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            if message.send_at:
                when = date_format(timezone.localtime(message.send_at), "DATETIME_FORMAT")
                messages.success(
                    request, _("Saved. The message goes to the parents %(when)s.") % {"when": when}
                )
            else:
                messages.success(request, _("Sent to the group's parents."))
            return redirect("community:group_contact", group_pk=group.pk)
    return render(
        request,
        "community/staff_message.html",
        {"group": group, "form": form, "late": late, "morning": morning},
    )


# ---------------------------------------------------------------------------------------------------
# The photo beside the name
# ---------------------------------------------------------------------------------------------------
@login_required
@require_http_methods(["GET", "POST"])
def photo(request, child_pk):
    """A custody holder adds, changes or removes the child's photo for the group, and says yes or no to
    showing it."""
    child, guardianship = get_family_child_or_404(request.user, child_pk)
    if not guardianship.has_custody:
        raise Http404
    choice = selectors.my_choice(child, request.user)
    has_photo = Portrait.objects.filter(child=child).exists()
    if request.method == "POST" and request.POST.get("action") == "remove":
        play.photo_remove(request=request, user=request.user, child=child)
        messages.success(request, _("The photo is deleted."))
        return redirect("community:group_names", child_pk=child.pk)
    initial = {"show_photo": "yes" if choice and choice["show_photo"] else "no"} if choice else {}
    form = PhotoForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        try:
            play.photo_choose(
                request=request,
                user=request.user,
                child=child,
                show_photo=form.cleaned_data["show_photo"],
                upload=form.cleaned_data["photo"],
            )
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, _("Thank you. Your answer is saved."))
            return redirect("community:group_names", child_pk=child.pk)
    return render(
        request,
        "community/photo.html",
        {"child": child, "form": form, "has_photo": has_photo, "choice": choice},
    )


@login_required
@require_GET
def photo_image(request, child_pk, pk):
    """A child's photo, to the parents of a child in the same group while every custody holder of the
    pictured child says yes (and to the child's own parents)."""
    child, _guardianship = get_family_child_or_404(request.user, child_pk)
    pk = id_or_404(pk)
    if not selectors.photo_visible(child, pk):
        raise Http404
    portrait = (
        Portrait.objects.filter(child_id=pk)
        .values("image", "child_id", "child__first_name", "child__municipality_id")
        .first()
    )
    if portrait is None:
        raise Http404
    access_record_many(
        request=request,
        children=[ChildRef.of(portrait)],
        action=AccessEvent.Action.VIEW,
        subject="group_photo_seen",
        actor_role=_("Parent or guardian"),
    )
    response = HttpResponse(bytes(portrait["image"]), content_type="image/jpeg")
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


# ---------------------------------------------------------------------------------------------------
# Play dates
# ---------------------------------------------------------------------------------------------------
@login_required
@require_http_methods(["GET", "POST"])
def play_date_create(request, child_pk, group_pk):
    """A family offers a play date to the group or invites one child whose name is shown."""
    child, _guardianship, group = get_family_group_or_404(request.user, child_pk, group_pk)
    shown = [
        ref
        for entry in selectors.group_names(child)
        if entry.group_id == group.pk
        for ref in entry.names
        if ref.pk != child.pk
    ]
    invite = request.GET.get("invite", "")
    initial = {"invited": invite} if invite.isdigit() else {}
    form = PlayDateForm(request.POST if request.method == "POST" else None, initial=initial, shown=shown)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        invited = next((ref for ref in shown if ref.pk == data["invited"]), None)
        try:
            play.play_date_offer(
                user=request.user,
                child=child,
                group=group,
                day=data["day"],
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                place=data["place"],
                note=data["note"],
                invited_pk=invited.pk if invited else None,
            )
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, _("Your play date is offered. You are told when someone answers."))
            return redirect("community:group_names", child_pk=child.pk)
    return render(request, "community/play_date_form.html", {"child": child, "group": group, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def play_date(request, child_pk, pk):
    """A play date: the invited family answers; the host family sees the answers and may cancel."""
    child, _guardianship, play_date = get_play_date_or_404(request.user, child_pk, pk)
    host = play_date.host_child_id == child.pk
    form = None if host else PlayDateAnswerForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if host and request.POST.get("action") == "cancel":
            if play.play_date_cancel(user=request.user, play_date=play_date):
                messages.success(request, _("The play date is cancelled. Those who were coming are told."))
            return redirect("community:group_names", child_pk=child.pk)
        if form is not None and form.is_valid():
            try:
                play.play_date_answer(
                    user=request.user,
                    child=child,
                    play_date=play_date,
                    coming=form.cleaned_data["coming"],
                    message=form.cleaned_data["message"],
                )
            except ValidationError as e:
                add_service_errors(form, e)
            else:
                messages.success(request, _("Thank you. The family has been told."))
                return redirect("community:group_names", child_pk=child.pk)
    answers = selectors.play_date_answers(play_date) if host else []
    mine = None if host else next(iter(selectors.play_date_answers_of(play_date, child)), None)
    if form is not None and request.method == "GET" and mine is not None:
        form = PlayDateAnswerForm(initial={"coming": "yes" if mine.coming else "no", "message": mine.message})
    access_record(
        request=request,
        child=child,
        action=AccessEvent.Action.VIEW,
        subject="play_date",
        object_id=play_date.pk,
        actor_role=_("Parent or guardian"),
    )
    return render(
        request,
        "community/play_date.html",
        {
            "child": child,
            "play_date": play_date,
            "host": host,
            "form": form,
            "answers": answers,
            "mine": mine,
            "over": play_date.day < timezone.localdate() or play_date.cancelled_at is not None,
        },
    )


# ---------------------------------------------------------------------------------------------------
# Parent friends
# ---------------------------------------------------------------------------------------------------
@login_required
@require_http_methods(["GET", "POST"])
def parent_friend(request, child_pk, group_pk):
    """A parent offers to welcome new families in the group, changes the words, or stops."""
    child, _guardianship, group = get_family_group_or_404(request.user, child_pk, group_pk)
    mine = selectors.group_friends([group.pk], request.user)[group.pk]
    mine = next((f for f in mine if f.user_id == request.user.pk), None)
    if request.method == "POST" and request.POST.get("action") == "stop":
        if mine is not None:
            play.parent_friend_end(friend=mine)
            messages.success(
                request, _("You are no longer a parent friend in %(group)s.") % {"group": group.name}
            )
        return redirect("community:group_names", child_pk=child.pk)
    form = ParentFriendForm(
        request.POST if request.method == "POST" else None, initial={"about": mine.about} if mine else {}
    )
    if request.method == "POST" and form.is_valid():
        try:
            play.parent_friend_volunteer(
                user=request.user, child=child, group=group, about=form.cleaned_data["about"]
            )
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(
                request, _("Thank you. New families in %(group)s can now ask you.") % {"group": group.name}
            )
            return redirect("community:group_names", child_pk=child.pk)
    return render(
        request, "community/parent_friend.html", {"child": child, "group": group, "form": form, "mine": mine}
    )


@login_required
@require_http_methods(["GET", "POST"])
def welcome_ask(request, child_pk, pk):
    """A family asks a parent friend of the group to welcome them."""
    child, friend = get_friend_or_404(request.user, child_pk, pk)
    if friend.user_id == request.user.pk:
        raise Http404
    form = WelcomeAskForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            play.welcome_ask(
                user=request.user, child=child, friend=friend, message=form.cleaned_data["message"]
            )
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(
                request,
                _("%(friend)s has been asked. The answer comes in your messages.")
                % {"friend": friend.user_name},
            )
            return redirect("community:group_names", child_pk=child.pk)
    return render(request, "community/welcome_ask.html", {"child": child, "friend": friend, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def welcome_answer(request, pk):
    """The parent friend reads a new family's question and answers it."""
    welcome = get_welcome_for_friend_or_404(request.user, pk)
    form = (
        WelcomeAnswerForm(request.POST if request.method == "POST" else None)
        if welcome.answered_at is None
        else None
    )
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            play.welcome_answer(user=request.user, welcome=welcome, reply=form.cleaned_data["reply"])
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, _("Thank you. The family has your answer."))
            return redirect("community:group_names", child_pk=welcome.friend.child_id)
    return render(request, "community/welcome_answer.html", {"welcome": welcome, "form": form})
