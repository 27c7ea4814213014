"""Parent networks: the health visitor forms a network, adds families and plans its meetings; each
family sees its network ("My network") and says whether the others may see its first names. Every
list of children is recorded in the access log."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from portal.audit.models import AccessEvent
from portal.audit.services import access_record, access_record_many
from portal.forms import add_service_errors
from transitions.forms_networks import MembersForm, NameChoiceForm, NetworkForm, NetworkMeetingForm
from transitions.models import Network
from transitions.policies.networks import (
    eligible_children,
    family_member_or_404,
    get_member_or_404,
    get_network_for_health_visitor_or_404,
    get_network_meeting_or_404,
    health_visiting_ids,
    network_institutions,
)
from transitions.selectors.networks import family_page, health_visitor_networks, network_page
from transitions.services import networks as services


def _health_visitor_or_404(user):
    if not health_visiting_ids(user):
        raise Http404


def _list_candidates(request, candidates) -> None:
    access_record_many(
        request=request,
        children=list(candidates),
        action=AccessEvent.Action.LIST,
        subject="network_candidates",
        actor_role=_("Health visitor"),
    )


@login_required
def networks(request):
    """The health visitor's networks."""
    _health_visitor_or_404(request.user)
    return render(
        request,
        "transitions/networks.html",
        {
            "networks": health_visitor_networks(request.user),
            "can_create": network_institutions(request.user).exists(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def network_create(request):
    _health_visitor_or_404(request.user)
    institutions = network_institutions(request.user)
    asked = request.POST.get("institution", "")
    chosen = (
        institutions.filter(pk=int(asked)).first() if asked.isdigit() and len(asked) < 12 else None
    ) or (institutions.first())
    if chosen is None:
        raise Http404
    today = timezone.localdate()
    candidates = eligible_children(request.user, Network(institution=chosen), on=today)
    form = NetworkForm(
        request.POST or None,
        institutions=institutions,
        candidates=candidates,
        initial={"starts_on": today, "institution": chosen},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            network = services.network_create(
                request=request,
                user=request.user,
                institution=data["institution"],
                name=data["name"],
                starts_on=data["starts_on"],
                children=list(data["children"]),
            )
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, _("The network is formed. The families are told in their messages."))
            return redirect("transitions:network_detail", pk=network.pk)
    _list_candidates(request, form.fields["children"].queryset)
    return render(request, "transitions/network_form.html", {"form": form})


def _render_network(request, network, *, members_form=None, status=200):
    context = network_page(network)
    candidates = eligible_children(request.user, network, on=timezone.localdate())
    members_form = members_form or MembersForm(candidates=candidates)
    access_record_many(
        request=request,
        children=[f.member.child for f in context["families"]],
        action=AccessEvent.Action.LIST,
        subject="network",
        actor_role=_("Health visitor"),
    )
    shown = [] if context["full"] or network.is_closed else list(members_form.fields["children"].queryset)
    _list_candidates(request, shown)
    context.update(network=network, members_form=members_form, candidates=shown)
    return render(request, "transitions/network_detail.html", context, status=status)


@login_required
def network_detail(request, pk):
    network = get_network_for_health_visitor_or_404(request.user, pk)
    return _render_network(request, network)


@login_required
@require_http_methods(["POST"])
def network_members_add(request, pk):
    network = get_network_for_health_visitor_or_404(request.user, pk)
    candidates = eligible_children(request.user, network, on=timezone.localdate())
    form = MembersForm(request.POST, candidates=candidates)
    if form.is_valid():
        try:
            services.network_members_add(
                request=request,
                user=request.user,
                network=network,
                children=list(form.cleaned_data["children"]),
            )
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, _("The families are added. They are told in their messages."))
            return redirect("transitions:network_detail", pk=network.pk)
    return _render_network(request, network, members_form=form)


@login_required
@require_http_methods(["POST"])
def network_member_remove(request, pk, member_pk):
    network = get_network_for_health_visitor_or_404(request.user, pk)
    member = get_member_or_404(network, member_pk)
    services.network_member_remove(request=request, user=request.user, member=member)
    messages.success(
        request,
        _("%(name)s's family has left the network. Their coming meetings are cancelled.")
        % {"name": member.child.first_name},
    )
    return redirect("transitions:network_detail", pk=network.pk)


@login_required
@require_http_methods(["GET", "POST"])
def network_meeting_create(request, pk):
    network = get_network_for_health_visitor_or_404(request.user, pk)
    form = NetworkMeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.network_meeting_plan(
                request=request, user=request.user, network=network, **form.service_kwargs()
            )
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(
                request, _("The meeting is planned. Every family is invited and will be reminded.")
            )
            return redirect("transitions:network_detail", pk=network.pk)
    return render(request, "transitions/network_meeting_form.html", {"form": form, "network": network})


@login_required
@require_http_methods(["POST"])
def network_meeting_cancel(request, pk, meeting_pk):
    network = get_network_for_health_visitor_or_404(request.user, pk)
    network_meeting = get_network_meeting_or_404(network, meeting_pk)
    try:
        services.network_meeting_cancel(request=request, user=request.user, network_meeting=network_meeting)
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    else:
        messages.success(request, _("The meeting is cancelled. The families are told."))
    return redirect("transitions:network_detail", pk=network.pk)


@login_required
@require_http_methods(["POST"])
def network_close(request, pk):
    network = get_network_for_health_visitor_or_404(request.user, pk)
    services.network_close(request=request, user=request.user, network=network)
    messages.success(
        request, _("The network is closed. The families are told, and its coming meetings are cancelled.")
    )
    return redirect("transitions:networks")


@login_required
@require_http_methods(["GET", "POST"])
def network_family(request, child_pk):
    """My network: the families (first names as both families' choices allow), the meetings, and for
    custody holders the choice on sharing names."""
    member, custody = family_member_or_404(request.user, child_pk)
    data = request.POST if request.method == "POST" else None
    form = NameChoiceForm(data) if custody else None
    if request.method == "POST":
        if form is None:
            raise Http404
        if form.is_valid():
            try:
                services.network_names_choose(
                    request=request, user=request.user, member=member, agreed=form.cleaned_data["agreed"]
                )
            except ValidationError as e:
                add_service_errors(form, e)
            else:
                if form.cleaned_data["agreed"]:
                    messages.success(
                        request, _("Thank you. The families who have also said yes now see your first names.")
                    )
                else:
                    messages.success(
                        request, _("Thank you. The other families see you only as a family number.")
                    )
                return redirect("transitions:network_family", child_pk=member.child_id)
    context = family_page(member, request.user)
    if form is not None and request.method == "GET" and context["my_choice"] is not None:
        form = NameChoiceForm(initial={"agreed": "yes" if context["my_choice"] else "no"})
    access_record(
        request=request,
        child=member.child,
        action=AccessEvent.Action.VIEW,
        subject="network_family",
        object_id=member.network_id,
        actor_role=_("Parent or guardian"),
    )
    named = [s.family.member.child for s in context["seen"] if s.shown and not s.own]
    access_record_many(
        request=request,
        children=named,
        action=AccessEvent.Action.LIST,
        subject="network_names_seen",
        actor_role=_("Parent or guardian"),
    )
    context.update(form=form, custody=custody, child=member.child)
    return render(request, "transitions/network_family.html", context)
