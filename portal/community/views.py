from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from portal.audit.models import AccessEvent
from portal.audit.services import access_record, access_record_many
from portal.community import selectors, services
from portal.community.forms import DeclineForm, GroupMessageForm, NameSharingForm, StaffMessageForm
from portal.community.policies import (
    get_contact_for_staff_or_404,
    get_family_child_or_404,
    get_family_group_or_404,
    get_message_for_staff_or_404,
    get_staff_group_or_404,
)
from portal.forms import add_service_errors


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
        form = NameSharingForm(initial={"show_name": "yes" if choice else "no"})
    groups = selectors.group_names(child)
    contacts = selectors.group_contacts([g.group_id for g in groups])
    for group in groups:
        group.contacts = contacts[group.group_id]
        group.mine = next((c for c in group.contacts if c.user_id == request.user.pk), None)
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
    context = selectors.staff_group_page(group)
    context.update(group=group, decline_form=DeclineForm())
    return render(request, "community/group_contact.html", context)


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
        context = selectors.staff_group_page(message.group)
        context.update(group=message.group, decline_form=form, declining=message.pk)
        return render(request, "community/group_contact.html", context)
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
