"""The school readiness assessment pages (Dagtilbudsloven § 29 a): ask for or start one from the
handover, write the parts, mark it complete, confirm having seen it (after logging in again) and record
the decision. Every read is audited."""

from allauth.account.decorators import reauthentication_required
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from portal.audit.models import AccessEvent
from portal.audit.services import access_record
from portal.forms import add_service_errors
from transitions.forms import READINESS_QUESTIONS, ReadinessConfirmForm, ReadinessDecisionForm, SectionForm
from transitions.models import ReadinessPart
from transitions.policies import get_handover_for_user_or_404, handover_viewer
from transitions.policies.readiness import (
    can_ask_for_readiness,
    can_complete_readiness,
    can_confirm_readiness,
    can_decide_readiness,
    can_start_readiness,
    can_write_part,
    get_readiness_for_user_or_404,
    readiness_viewer,
)
from transitions.selectors.readiness import readiness_page
from transitions.services import readiness as services

POST = require_http_methods(["POST"])


def _render(request, assessment, viewer, *, form=None, error_kind=None, status=200):
    context = readiness_page(assessment, request.user)
    access_record(
        request=request,
        child=assessment.transition.child,
        action=AccessEvent.Action.VIEW,
        subject="readiness",
        object_id=assessment.pk,
        actor_role=viewer.role_label,
    )
    for rows in (context["leader_rows"], [context["school_row"]] if context["school_row"] else []):
        for row in rows:
            row.can_write = can_write_part(viewer, assessment, row.part.kind)
            row.question = READINESS_QUESTIONS[row.part.kind]
    context.update(
        viewer=viewer,
        can_write_view=can_write_part(viewer, assessment, ReadinessPart.Kind.PARENTS_VIEW),
        parents_question=READINESS_QUESTIONS[ReadinessPart.Kind.PARENTS_VIEW],
        can_complete=can_complete_readiness(viewer, assessment),
        can_confirm=can_confirm_readiness(viewer, assessment) and context["my_confirmation"] is None,
        can_decide=can_decide_readiness(viewer, assessment),
        confirm_form=form if error_kind == "confirm" else ReadinessConfirmForm(),
        decision_form=form
        if error_kind == "decide"
        else ReadinessDecisionForm(initial={"outcome": assessment.outcome, "note": assessment.outcome_note}),
        error_form=form,
        error_kind=error_kind,
    )
    return render(request, "transitions/readiness_detail.html", context, status=status)


def _get(request, pk):
    assessment = get_readiness_for_user_or_404(request.user, pk)
    return assessment, readiness_viewer(request.user, assessment.transition)


@login_required
def readiness_detail(request, pk):
    assessment, viewer = _get(request, pk)
    return _render(request, assessment, viewer)


@login_required
@POST
def readiness_start(request, pk):
    """From the handover page: a custody holder asks for an assessment; the daycare's leader starts one
    (asked for or not)."""
    handover = get_handover_for_user_or_404(request.user, pk)
    transition = handover.transition
    viewer = readiness_viewer(request.user, transition)
    if can_start_readiness(viewer, transition):
        start, done = (
            services.readiness_start,
            _("The assessment is started. The parents and the school are asked for their views."),
        )
    elif can_ask_for_readiness(viewer, transition):
        start, done = (
            services.readiness_request,
            _("Thank you. The daycare's leader is asked to start the assessment."),
        )
    else:
        raise Http404
    try:
        assessment = start(request=request, transition=transition, actor_role=viewer.role_label)
    except ValidationError as e:
        from transitions.views import _render_handover

        form = SectionForm({})
        form.is_valid()
        add_service_errors(form, e)
        return _render_handover(
            request,
            handover,
            handover_viewer(request.user, handover),
            error_form=form,
            error_kind="readiness",
        )
    messages.success(request, done)
    return redirect("transitions:readiness_detail", pk=assessment.pk)


@login_required
@POST
def readiness_part_save(request, pk, kind):
    assessment, viewer = _get(request, pk)
    if kind not in ReadinessPart.Kind.values or not can_write_part(viewer, assessment, kind):
        raise Http404
    form = SectionForm(request.POST)
    if form.is_valid():
        try:
            services.readiness_part_save(
                request=request, assessment=assessment, kind=kind, text=form.cleaned_data["text"],
                actor_role=viewer.role_label,
            )  # fmt: skip
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, _("Saved. Everyone in the assessment can read it."))
            return redirect(f"{assessment_url(assessment)}#part-{kind}")
    return _render(request, assessment, viewer, form=form, error_kind=kind)


def assessment_url(assessment):
    return reverse("transitions:readiness_detail", args=[assessment.pk])


@login_required
@POST
def readiness_complete(request, pk):
    assessment, viewer = _get(request, pk)
    if not can_complete_readiness(viewer, assessment):
        raise Http404
    try:
        services.readiness_complete(request=request, assessment=assessment, actor_role=viewer.role_label)
    except ValidationError as e:
        form = SectionForm({})
        form.is_valid()
        add_service_errors(form, e)
        return _render(request, assessment, viewer, form=form, error_kind="complete")
    messages.success(
        request, _("The assessment is complete. The parents are asked to confirm they have seen it.")
    )
    return redirect(assessment_url(assessment))


@login_required
@POST
def readiness_confirm(request, pk):
    """A custody holder confirms having seen it; logging in again is asked for first (after the access
    check, so an outsider learns nothing)."""
    assessment, viewer = _get(request, pk)
    if not can_confirm_readiness(viewer, assessment):
        raise Http404
    return _confirm(request, assessment, viewer)


@reauthentication_required
def _confirm(request, assessment, viewer):
    form = ReadinessConfirmForm(request.POST)
    if form.is_valid():
        try:
            services.readiness_confirm(
                request=request, assessment=assessment, disagrees=form.cleaned_data["disagrees"],
                disagreement=form.cleaned_data["disagreement"], actor_role=viewer.role_label,
            )  # fmt: skip
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, _("Thank you. It is recorded that you have seen the assessment."))
            return redirect(assessment_url(assessment))
    return _render(request, assessment, viewer, form=form, error_kind="confirm")


@login_required
@POST
def readiness_decide(request, pk):
    assessment, viewer = _get(request, pk)
    if not can_decide_readiness(viewer, assessment):
        raise Http404
    form = ReadinessDecisionForm(request.POST)
    if form.is_valid():
        try:
            services.readiness_decide(
                request=request, assessment=assessment, outcome=form.cleaned_data["outcome"],
                note=form.cleaned_data["note"], actor_role=viewer.role_label,
            )  # fmt: skip
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, _("The decision is recorded. The parents are told."))
            return redirect(assessment_url(assessment))
    return _render(request, assessment, viewer, form=form, error_kind="decide")
