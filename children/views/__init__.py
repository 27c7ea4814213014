from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from children import selectors, services
from children.forms.competences import LinkedGoalForm
from children.models import LearningGoal
from children.policies import (
    can_see_access_log,
    get_child_for_user_or_404,
    get_group_for_user_or_404,
    get_writable_child_or_404,
    viewer_role,
    writes_for,
)
from children.selectors.related import child_related_plans
from children.selectors.support import child_support
from children.services import activities as goal_links
from portal.access import roles_of
from portal.accounts.policies import can_invite_guardian
from portal.audit.models import AccessEvent
from portal.audit.services import access_record, access_record_many
from portal.forms import add_service_errors
from portal.todos import on_home, parent_todos, staff_todos
from transitions.policies.networks import health_visiting_ids
from transitions.selectors import child_transitions
from transitions.selectors.education import child_education_plans
from transitions.selectors.networks import (
    child_network,
    family_network_links,
    health_visitor_networks,
    upcoming_network_meetings,
)


def _guardian_label() -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return str(_("Parent or guardian"))


@login_required
def parent_home(request):
    context = selectors.parent_home(request.user)
    context.update(on_home(parent_todos(request.user)))
    in_network = family_network_links(card.child.pk for card in context["cards"])
    for card in context["cards"]:
        card.in_network = card.child.pk in in_network
    access_record_many(
        request=request,
        children=[card.child for card in context["cards"]],
        action=AccessEvent.Action.LIST,
        subject="parent_home",
        actor_role=_guardian_label(),
    )
    return render(request, "children/parent_home.html", context)


@login_required
def staff_home(request):
    """What needs the staff member now, then their groups."""
    if not roles_of(request.user).staff:
        raise Http404
    home = on_home(staff_todos(request.user))
    todos = home["todos"]
    access_record_many(
        request=request,
        children=list({t.child.pk: t.child for t in todos if t.child is not None}.values()),
        action=AccessEvent.Action.LIST,
        subject="staff_home",
        actor_role=_("Staff"),
    )
    context = {**selectors.staff_home(request.user), **home}
    if health_visiting_ids(request.user):
        context["networks"] = health_visitor_networks(request.user)
        context["network_meetings"] = upcoming_network_meetings(request.user)
        context["health_visitor"] = True
    return render(request, "children/staff_home.html", context)


@login_required
def group_detail(request, pk):
    group = get_group_for_user_or_404(request.user, pk)
    children = selectors.group_page(request.user, group)
    access_record_many(
        request=request,
        children=children,
        action=AccessEvent.Action.LIST,
        subject="group",
        actor_role=_("Staff"),
    )
    from portal.community.selectors import COMMUNITY_KINDS

    return render(
        request,
        "children/group_detail.html",
        {"group": group, "children": children, "community_kinds": COMMUNITY_KINDS},
    )


@login_required
def child_detail(request, pk):
    child = get_child_for_user_or_404(request.user, pk)
    guardianship, role_label = viewer_role(request.user, child)
    writing = guardianship is None and writes_for(request.user, child)
    context = selectors.child_page(child, request.user, guardian=guardianship is not None)
    access_record(
        request=request, child=child, action=AccessEvent.Action.VIEW, subject="child", actor_role=role_label
    )
    context.update(
        child=child,
        guardianship=guardianship,
        can_write=writing,
        can_see_access_log=guardianship is not None,
        can_invite=guardianship is None and can_invite_guardian(request.user, child),
    )
    context.update(
        child_support(
            child, guardian=guardianship is not None, goals=context["goals"], plans=context["plans"]
        )
    )
    context.update(
        child_related_plans(
            child, request.user, guardian=guardianship is not None, enrollments=context["enrollments"]
        )
    )
    if context["related_plans"]:
        access_record(
            request=request,
            child=child,
            action=AccessEvent.Action.LIST,
            subject="related_plans",
            actor_role=role_label,
        )
    context["transitions"] = child_transitions(child, request.user)
    context["education_plans"] = child_education_plans(child)
    context["network"] = child_network(child, request.user, guardian=guardianship is not None)
    return render(request, "children/child_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def goal_create(request, child_pk):
    child, enrollment, role_label = get_writable_child_or_404(request.user, child_pk)
    form = LinkedGoalForm(
        request.POST or None, institution=enrollment.institution, child=child, idea=request.GET.get("idea")
    )
    if request.method == "POST" and form.is_valid():
        try:
            goal_links.learning_goal_create_linked(
                request=request,
                child=child,
                institution=enrollment.institution,
                actor_role=role_label,
                **form.cleaned_data,
            )
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(
                request,
                _(
                    "The goal is saved in the draft of the plan. "
                    "%(name)s's parents read it when you publish the plan."
                )
                % {"name": child.first_name},
            )
            return redirect("children:child_detail", pk=child.pk)
    return render(request, "children/goal_form.html", {"child": child, "form": form, "goal": None})


@login_required
@require_http_methods(["GET", "POST"])
def goal_edit(request, child_pk, pk):
    child, enrollment, role_label = get_writable_child_or_404(request.user, child_pk)
    goal = get_object_or_404(LearningGoal, pk=pk, child=child)
    form = LinkedGoalForm(
        request.POST or None,
        instance=goal,
        institution=enrollment.institution,
        child=child,
        idea=request.GET.get("idea"),
    )
    if request.method == "POST" and form.is_valid():
        try:
            goal_links.learning_goal_update_linked(
                request=request, goal=goal, actor_role=role_label, **form.cleaned_data
            )
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, _("The goal is updated."))
            return redirect("children:child_detail", pk=child.pk)
    return render(request, "children/goal_form.html", {"child": child, "form": form, "goal": goal})


@login_required
@require_http_methods(["POST"])
def goal_status(request, child_pk, pk):
    """Change a goal's status in place (htmx) or by a plain form post."""
    child, _enrollment, role_label = get_writable_child_or_404(request.user, child_pk)
    goal = get_object_or_404(
        LearningGoal.objects.select_related("institution", "created_by"), pk=pk, child=child
    )
    status = request.POST.get("status", "")
    if status not in LearningGoal.Status.values:
        messages.error(request, _("Choose one of the statuses in the list."))
    else:
        goal = services.learning_goal_update(request=request, goal=goal, actor_role=role_label, status=status)
        messages.success(request, _("The status of “%(title)s” is saved.") % {"title": goal.title})
    if request.htmx:
        # The row, plus the message out of band so screen readers hear it (and it is not shown later).
        goal = LearningGoal.objects.select_related("institution", "created_by").get(pk=goal.pk)
        return render(
            request, "children/_goal_status.html", {"goal": goal, "child": child, "can_write": True}
        )
    return redirect("children:child_detail", pk=child.pk)


@login_required
def access_log(request, pk):
    child = get_child_for_user_or_404(request.user, pk)
    if not can_see_access_log(request.user, child):
        raise Http404
    page = selectors.access_log(
        request.user, child, before=request.GET.get("before", ""), after=request.GET.get("after", "")
    )
    return render(request, "children/access_log.html", {"child": child, "events": page})
