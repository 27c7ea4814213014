"""Related plans: staff who record them enter one for a child in their caseload and mark it ended; the
family reads it and decides, place by place, whether the staff there may see that it exists and who
coordinates it. Every read and write is audited."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from children.forms.related import RelatedPlanConsentForm, RelatedPlanEndForm, RelatedPlanForm
from children.policies import get_child_for_user_or_404, viewer_role
from children.policies.related import (
    can_decide_related_plan,
    can_end_related_plan,
    get_related_plan_for_user_or_404,
    registers_for,
)
from children.selectors.related import related_plan_page
from children.services import related as services
from portal.audit.models import AccessEvent
from portal.audit.services import access_record
from portal.forms import add_service_errors


@login_required
@require_http_methods(["GET", "POST"])
def related_plan_create(request, child_pk):
    """A psychologist (PPR) or health visitor records that a child in their caseload has a related plan."""
    child = get_child_for_user_or_404(request.user, child_pk)
    if not registers_for(request.user, child.pk):
        raise Http404
    form = RelatedPlanForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        _guardianship, role_label = viewer_role(request.user, child)
        try:
            plan = services.related_plan_register(
                request=request, child=child, actor_role=role_label, **form.cleaned_data
            )
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(
                request,
                _("It is recorded. %(name)s's parents decide who may see it.") % {"name": child.first_name},
            )
            return redirect("children:related_plan_detail", pk=plan.pk)
    return render(request, "children/related_plan_form.html", {"child": child, "form": form})


def _render(request, plan, viewer, *, consent_form=None, end_form=None):
    context = related_plan_page(plan)
    access_record(
        request=request,
        child=plan.child,
        action=AccessEvent.Action.VIEW,
        subject="related_plan",
        object_id=plan.pk,
        actor_role=viewer.role_label,
    )
    context.update(
        viewer=viewer,
        can_decide=can_decide_related_plan(viewer, plan),
        can_end=can_end_related_plan(viewer, plan),
        consent_form=consent_form,
        end_form=end_form or RelatedPlanEndForm(),
    )
    return render(request, "children/related_plan_detail.html", context)


@login_required
def related_plan_detail(request, pk):
    plan, viewer = get_related_plan_for_user_or_404(request.user, pk)
    return _render(request, plan, viewer)


@login_required
@require_http_methods(["POST"])
def related_plan_consent(request, pk):
    """A custody holder's yes or no for one of the child's places; a no holds at once."""
    plan, viewer = get_related_plan_for_user_or_404(request.user, pk)
    if not can_decide_related_plan(viewer, plan):
        raise Http404
    form = RelatedPlanConsentForm(request.POST)
    if form.is_valid():
        try:
            consent = services.related_plan_consent_set(
                request=request,
                plan=plan,
                institution_id=form.cleaned_data["institution"],
                given=form.cleaned_data["give"],
                actor_role=viewer.role_label,
            )
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            names = {"place": consent.institution.name}
            if consent.given:
                messages.success(request, _("The staff at %(place)s may now see it.") % names)
            else:
                messages.success(request, _("The staff at %(place)s cannot see it.") % names)
            return redirect("children:related_plan_detail", pk=plan.pk)
    else:
        form.add_error(None, _("Choose one of your child's places and yes or no."))
    return _render(request, plan, viewer, consent_form=form)


@login_required
@require_http_methods(["POST"])
def related_plan_end(request, pk):
    plan, viewer = get_related_plan_for_user_or_404(request.user, pk)
    if not can_end_related_plan(viewer, plan):
        raise Http404
    form = RelatedPlanEndForm(request.POST)
    if form.is_valid():
        try:
            services.related_plan_end(
                request=request,
                plan=plan,
                ended_on=form.cleaned_data["ended_on"],
                actor_role=viewer.role_label,
            )
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, _("The plan is marked as ended."))
            return redirect("children:related_plan_detail", pk=plan.pk)
    return _render(request, plan, viewer, end_form=form)
