from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from children import selectors, services
from children.forms import LearningGoalForm
from children.models import Enrollment, Guardianship, LearningGoal
from children.policies import (
    can_see_access_log,
    get_child_for_user_or_404,
    get_group_for_user_or_404,
    groups_visible_to,
)
from portal.access import roles_of, staff_enrollment_scope
from portal.accounts.policies import can_invite_guardian
from portal.audit.descriptions import describe_events
from portal.audit.models import AccessEvent
from portal.audit.services import access_record, access_record_many
from portal.forms import add_service_errors
from portal.organisation.models import StaffMembership
from portal.todos import parent_todos, staff_todos


def _viewer_role(user, child) -> tuple[Guardianship | None, str]:
    """How the user relates to the child: their guardianship, or a label of their staff roles.

    The label is stored in the access log, so it is written in the portal's main language.
    """
    guardianship = Guardianship.objects.with_information().filter(user=user, child=child).first()
    if guardianship:
        with translation.override(settings.LANGUAGE_CODE):
            return guardianship, str(guardianship.get_relation_display())
    roles = (
        StaffMembership.objects.active()
        .filter(user=user, institution__enrollments__in=Enrollment.objects.current().filter(child=child))
        .select_related("institution")
        .distinct()
    )
    with translation.override(settings.LANGUAGE_CODE):
        return None, ", ".join(f"{m.get_role_display()}, {m.institution.name}" for m in roles)


def _guardian_label() -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return str(_("Parent or guardian"))


def _writing_enrollment(user, child) -> Enrollment | None:
    """The current enrollment through which this staff member may write for the child, if any."""
    return (
        Enrollment.objects.current()
        .filter(staff_enrollment_scope(user, writing=True), child=child)
        .select_related("institution")
        .first()
    )


@login_required
def parent_home(request):
    context = selectors.parent_home(request.user)
    context["todos"] = parent_todos(request.user)
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
    todos = staff_todos(request.user)
    access_record_many(
        request=request,
        children=list({t.child.pk: t.child for t in todos if t.child is not None}.values()),
        action=AccessEvent.Action.LIST,
        subject="staff_home",
        actor_role=_("Staff"),
    )
    memberships = list(
        StaffMembership.objects.active()
        .filter(user=request.user)
        .select_related("institution")
        .order_by("institution")
    )
    groups = list(
        groups_visible_to(request.user)
        .select_related("institution")
        .annotate(child_count=Count("enrollments", filter=Q(enrollments__in=Enrollment.objects.current())))
        .order_by("institution__name", "school_year", "name")
    )
    return render(
        request,
        "children/staff_home.html",
        {"memberships": memberships, "groups": groups, "todos": todos},
    )


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
    return render(request, "children/group_detail.html", {"group": group, "children": children})


@login_required
def child_detail(request, pk):
    child = get_child_for_user_or_404(request.user, pk)
    guardianship, role_label = _viewer_role(request.user, child)
    writing = None if guardianship else _writing_enrollment(request.user, child)
    context = selectors.child_page(child)
    access_record(
        request=request, child=child, action=AccessEvent.Action.VIEW, subject="child", actor_role=role_label
    )
    context.update(
        child=child,
        guardianship=guardianship,
        can_write=writing is not None,
        can_see_access_log=guardianship is not None,
        can_invite=guardianship is None and can_invite_guardian(request.user, child),
    )
    return render(request, "children/child_detail.html", context)


def _get_writable(request, child_pk) -> tuple:
    child = get_child_for_user_or_404(request.user, child_pk)
    enrollment = _writing_enrollment(request.user, child)
    if enrollment is None:
        # Seeing a child does not mean writing for them; guardians and others get a plain 404 here.
        raise Http404
    _unused, role_label = _viewer_role(request.user, child)
    return child, enrollment, role_label


@login_required
@require_http_methods(["GET", "POST"])
def goal_create(request, child_pk):
    child, enrollment, role_label = _get_writable(request, child_pk)
    form = LearningGoalForm(request.POST or None, institution=enrollment.institution)
    if request.method == "POST" and form.is_valid():
        try:
            services.learning_goal_create(
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
                _("The goal is saved. %(name)s's parents can see it now.") % {"name": child.first_name},
            )
            return redirect("children:child_detail", pk=child.pk)
    return render(request, "children/goal_form.html", {"child": child, "form": form, "goal": None})


@login_required
@require_http_methods(["GET", "POST"])
def goal_edit(request, child_pk, pk):
    child, enrollment, role_label = _get_writable(request, child_pk)
    goal = get_object_or_404(LearningGoal, pk=pk, child=child)
    form = LearningGoalForm(request.POST or None, instance=goal, institution=enrollment.institution)
    if request.method == "POST" and form.is_valid():
        try:
            services.learning_goal_update(
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
    child, _enrollment, role_label = _get_writable(request, child_pk)
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
    events = list(
        AccessEvent.objects.filter(child=child)
        .filter(~Q(actor=request.user))
        .only("at", "actor_name", "actor_role", "action", "subject")
        .order_by("-at")[:200]
    )
    describe_events(events, child.first_name)
    return render(request, "children/access_log.html", {"child": child, "events": events})
