"""Language assessments: staff record them, book the talk and make the home language plan; parents
with custody tell what they see at home before it; the family reads the result and the plan once
staff show it, and says how the activities went. Every page records its read of the child's data."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from children.forms.language import (
    AssessmentCreateForm,
    FollowUpForm,
    HomePlanForm,
    ObservationForm,
    ResultForm,
    TalkForm,
    TryForm,
)
from children.models import HomeLanguagePlan, LanguageObservation
from children.policies import get_writable_child_or_404
from children.policies.language import (
    get_assessment_access_or_404,
    get_assessment_for_family_form_or_404,
    get_assessment_for_recording_or_404,
)
from children.selectors import language as selectors
from children.services import language as services
from portal.audit.models import AccessEvent
from portal.audit.services import access_record_parts
from portal.forms import add_service_errors


def _detail(assessment):
    return redirect("children:language_assessment_detail", pk=assessment.pk)


def _record_read(request, access, *, observation: bool = False, plan: bool = False):
    """One event per part of the child's data the page shows."""
    access_record_parts(
        request=request,
        child=access.assessment.child,
        action=AccessEvent.Action.VIEW,
        subjects=[
            subject
            for subject, shown in (
                ("language_assessment", True),
                ("language_observation", observation),
                ("home_language_plan", plan),
            )
            if shown
        ],
        object_id=access.assessment.pk,
        actor_role=access.role_label,
    )


@login_required
@require_http_methods(["GET", "POST"])
def language_assessment_create(request, child_pk):
    child, enrollment, role_label = get_writable_child_or_404(request.user, child_pk)
    form = AssessmentCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            assessment = services.language_assessment_create(
                request=request,
                child=child,
                enrollment=enrollment,
                actor_role=role_label,
                **form.cleaned_data,
            )
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(
                request,
                _(
                    "The language assessment is started. "
                    "%(name)s's parents can now tell what they see at home."
                )
                % {"name": child.first_name},
            )
            return _detail(assessment)
    stage = services.stage_for(enrollment)
    return render(
        request,
        "children/language/assessment_create.html",
        {"child": child, "form": form, "stage_label": stage.label, "place": enrollment.institution},
    )


def _page(request, access, status=200, **forms):
    """The assessment's page, its read recorded: the parts the viewer sees, each as its own event."""
    assessment = access.assessment
    page = selectors.assessment_page(assessment)
    _record_read(
        request,
        access,
        observation=page["observation"] is not None,
        plan=access.sees_result and page["plan"] is not None,
    )
    plan = page["plan"]
    context = {
        "access": access,
        "assessment": assessment,
        "child": assessment.child,
        **page,
        "try_form": TryForm(plan=plan) if plan is not None and access.can_tell_how_it_went else None,
        "follow_up_form": FollowUpForm() if plan is not None and access.can_record else None,
        **forms,
    }
    return render(request, "children/language/assessment_detail.html", context, status=status)


@login_required
def language_assessment_detail(request, pk):
    return _page(request, get_assessment_access_or_404(request.user, pk))


@login_required
@require_http_methods(["GET", "POST"])
def language_observation(request, pk):
    """The parents' short form before the assessment (custody holders; closed once there is a result)."""
    access = get_assessment_for_family_form_or_404(request.user, pk)
    assessment = access.assessment
    observation = LanguageObservation.objects.filter(assessment=assessment).first()
    form = ObservationForm(request.POST or None, instance=observation, child=assessment.child)
    if request.method == "POST":
        if not access.can_fill_in:
            form.add_error(None, _("The assessment is done, so your answers can no longer be changed."))
        elif form.is_valid():
            try:
                services.language_observation_save(
                    request=request, assessment=assessment, actor_role=access.role_label, **form.cleaned_data
                )
            except ValidationError as e:
                add_service_errors(form, e)
            else:
                messages.success(
                    request, _("Thank you. The staff can read your answers before the assessment.")
                )
                return _detail(assessment)
    _record_read(request, access, observation=observation is not None)
    return render(
        request,
        "children/language/observation_form.html",
        {"assessment": assessment, "child": assessment.child, "form": form, "open": access.can_fill_in},
    )


@login_required
@require_http_methods(["GET", "POST"])
def language_result(request, pk):
    access = get_assessment_for_recording_or_404(request.user, pk)
    assessment = access.assessment
    initial = {
        "assessed_on": assessment.assessed_on,
        "result": assessment.result,
        "tool_result": assessment.tool_result,
        "summary": assessment.summary,
    }
    form = ResultForm(request.POST or None, initial=initial, assessment=assessment)
    if request.method == "POST" and form.is_valid():
        try:
            services.language_result_record(
                request=request, assessment=assessment, actor_role=access.role_label, **form.service_kwargs()
            )
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, _("The result is saved."))
            return _detail(assessment)
    _record_read(request, access)
    return render(
        request,
        "children/language/result_form.html",
        {"assessment": assessment, "child": assessment.child, "form": form},
    )


@login_required
@require_http_methods(["GET", "POST"])
def language_talk(request, pk):
    """Book the talk with the family: a meeting of the language-assessment kind, with its invitation."""
    access = get_assessment_for_recording_or_404(request.user, pk)
    assessment = access.assessment
    form = TalkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.language_talk_book(
                request=request, assessment=assessment, actor_role=access.role_label, **form.service_kwargs()
            )
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, _("The talk is booked. The family gets an invitation."))
            return _detail(assessment)
    _record_read(request, access)
    return render(
        request,
        "children/language/talk_form.html",
        {"assessment": assessment, "child": assessment.child, "form": form},
    )


@login_required
@require_http_methods(["GET", "POST"])
def language_home_plan(request, pk):
    access = get_assessment_for_recording_or_404(request.user, pk)
    assessment = access.assessment
    page = selectors.assessment_page(assessment)
    plan = page["plan"]
    suggestions = selectors.plan_suggestions(assessment, page["observation"]) if assessment.has_result else []
    if plan is not None:  # what the plan has keeps its place among the choices
        suggestions += [a for a in plan.activities.all() if a not in suggestions]
    initial = {}
    if plan is not None:
        initial = {
            "activities": [a.pk for a in plan.activities.all()],
            "note": plan.note,
            "follow_up_on": plan.follow_up_on,
        }
    form = HomePlanForm(request.POST or None, initial=initial, suggestions=suggestions)
    if request.method == "POST":
        if not assessment.has_result:
            form.add_error(None, _("Record the result first; the home plan builds on it."))
        elif form.is_valid():
            try:
                services.home_language_plan_save(
                    request=request, assessment=assessment, actor_role=access.role_label, **form.cleaned_data
                )
            except ValidationError as e:
                add_service_errors(form, e)
            else:
                messages.success(request, _("The home language plan is saved."))
                return redirect(f"{_detail(assessment).url}#home-plan")
    _record_read(request, access, observation=page["observation"] is not None)
    return render(
        request,
        "children/language/home_plan_form.html",
        {
            "assessment": assessment,
            "child": assessment.child,
            "form": form,
            "observation": page["observation"],
        },
    )


@login_required
@require_http_methods(["POST"])
def language_follow_up(request, pk):
    access = get_assessment_for_recording_or_404(request.user, pk)
    plan = HomeLanguagePlan.objects.filter(assessment=access.assessment).first()
    if plan is None:
        raise Http404
    form = FollowUpForm(request.POST)
    if form.is_valid():
        try:
            services.home_language_plan_follow_up(
                request=request, plan=plan, actor_role=access.role_label, **form.cleaned_data
            )
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, _("The follow-up is saved."))
            return redirect(f"{_detail(access.assessment).url}#home-plan")
    return _page(request, access, follow_up_form=form)


@login_required
@require_http_methods(["POST"])
def language_plan_try(request, pk):
    """A guardian says how one activity of the home plan went."""
    access = get_assessment_access_or_404(request.user, pk)
    if not access.can_tell_how_it_went:
        raise Http404
    plan = HomeLanguagePlan.objects.filter(assessment=access.assessment).first()
    if plan is None:
        raise Http404
    form = TryForm(request.POST, plan=plan)
    if form.is_valid():
        try:
            services.home_language_plan_try(
                request=request, plan=plan, actor_role=access.role_label, **form.cleaned_data
            )
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, _("Thank you for telling us how it went."))
            return redirect(f"{_detail(access.assessment).url}#home-plan")
    return _page(request, access, try_form=form)
