"""Visits before and after a transition: plan one (for a child or a cohort) from the handover page or
"children starting with us", see it, cancel it. Every list of children is recorded in the access log."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from portal.audit.models import AccessEvent
from portal.audit.services import access_record_many
from portal.forms import add_service_errors
from transitions.forms import VisitForm
from transitions.policies.visits import can_cancel_visit, get_visit_for_staff_or_404, visit_side_or_404
from transitions.selectors.visits import visit_candidates, visit_children
from transitions.services import visits as services


def _initial(side, cohort: bool) -> list[int]:
    """The anchor's child; for a cohort, every child moving with them (same place and date)."""
    if not cohort:
        return [side.anchor.pk]
    return list(
        side.candidates.filter(
            sending_institution_id=side.anchor.sending_institution_id, planned_on=side.anchor.planned_on
        ).values_list("pk", flat=True)
    )


@login_required
@require_http_methods(["GET", "POST"])
def visit_create(request, transition_pk):
    """Staff of the sending or the receiving place plan a visit for a child, or for all the children
    moving with them (``?cohort=1``)."""
    side = visit_side_or_404(request.user, transition_pk)
    cohort = request.GET.get("cohort") == "1"
    form = VisitForm(
        request.POST or None, candidates=side.candidates, initial={"transitions": _initial(side, cohort)}
    )
    if request.method == "POST" and form.is_valid():
        try:
            visit = services.visit_plan(
                request=request,
                user=request.user,
                institution=side.anchor.sending_institution
                if side.sending
                else side.anchor.receiving_institution,
                **form.service_kwargs(),
            )
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(
                request, _("The visit is planned. The families are invited and will be reminded.")
            )
            return redirect("transitions:visit_detail", pk=visit.pk)
    access_record_many(
        request=request,
        children=[t.child for t in visit_candidates(side.candidates)],
        action=AccessEvent.Action.LIST,
        subject="visit_plan",
        actor_role=_("Staff"),
    )
    return render(
        request,
        "transitions/visit_form.html",
        {"form": form, "anchor": side.anchor, "sending": side.sending},
        status=200,
    )


def _render_visit(request, visit, *, error=None):
    rows = visit_children(visit, request.user)
    access_record_many(
        request=request,
        children=[r.transition.child for r in rows],
        action=AccessEvent.Action.LIST,
        subject="visit",
        actor_role=_("Staff"),
    )
    return render(
        request,
        "transitions/visit_detail.html",
        {
            "visit": visit,
            "rows": rows,
            "can_cancel": can_cancel_visit(request.user, visit, now=timezone.now()),
            "error": error,
        },
    )


@login_required
def visit_detail(request, pk):
    visit = get_visit_for_staff_or_404(request.user, pk)
    return _render_visit(request, visit)


@login_required
@require_http_methods(["POST"])
def visit_cancel(request, pk):
    visit = get_visit_for_staff_or_404(request.user, pk)
    if not can_cancel_visit(request.user, visit, now=timezone.now()):
        raise Http404
    try:
        services.visit_cancel(request=request, user=request.user, visit=visit)
    except ValidationError as e:
        return _render_visit(request, visit, error=" ".join(e.messages))
    messages.success(request, _("The visit is cancelled. The families are told."))
    return redirect("transitions:visit_detail", pk=visit.pk)
