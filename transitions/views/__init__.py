"""The transition pages: start one (or a cohort), the handover with its sections, the parents' view and
consent, sending and receipt, and the receiving staff's "children starting with us". Every read of a
handover is audited; a receiver's opening is shown to the parents."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from children.models import Enrollment
from children.policies import get_writable_child_or_404
from portal.access import roles_of
from portal.audit.models import AccessEvent
from portal.audit.services import access_record, access_record_many
from portal.forms import add_service_errors
from portal.meetings.services.inbox import user_language
from portal.organisation.models import Group, Institution
from portal.organisation.policies import get_admin_municipality_or_404
from portal.pdf import pdf_engine, pdf_response
from transitions import selectors, services
from transitions.forms import (
    SECTION_QUESTIONS,
    CohortForm,
    ConsentForm,
    SectionForm,
    SharingModelForm,
    TransitionForm,
)
from transitions.models import HandoverSection, ReadinessAssessment, Transition, TransitionSettings
from transitions.policies import (
    can_cancel_transition,
    can_confirm_receipt,
    can_edit_handover,
    can_give_consent,
    can_plan_visit,
    can_print_handover,
    can_send_handover,
    can_withdraw_consent,
    can_write_parents_view,
    get_handover_for_user_or_404,
    handover_viewer,
    leads_institution_ids,
)
from transitions.selectors.visits import transition_visits


def _handover_url(handover, anchor=""):
    return reverse("transitions:handover_detail", args=[handover.pk]) + (f"#{anchor}" if anchor else "")


def _render_handover(request, handover, viewer, *, error_form=None, error_kind=None):
    context = selectors.handover_page(handover, viewer, request.user)
    if viewer.receiving:  # shown to the parents as "Dorte at Skovvangskolen read it on …"
        access_record(
            request=request,
            child=handover.transition.child,
            action=AccessEvent.Action.VIEW,
            subject="handover_received",
            object_id=handover.pk,
            actor_role=viewer.role_label,
        )
    else:
        access_record(
            request=request,
            child=handover.transition.child,
            action=AccessEvent.Action.VIEW,
            subject="handover",
            object_id=handover.pk,
            actor_role=viewer.role_label,
        )
    context.update(
        _readiness_context(request.user, handover.transition, viewer),
        viewer=viewer,
        child=handover.transition.child,
        can_edit=can_edit_handover(viewer, handover),
        can_write_view=can_write_parents_view(viewer, handover),
        can_consent=can_give_consent(viewer, handover),
        can_withdraw=can_withdraw_consent(viewer, handover),
        can_send=can_send_handover(viewer, handover),
        can_receive=can_confirm_receipt(viewer, handover),
        can_cancel=can_cancel_transition(viewer, handover),
        can_print=can_print_handover(viewer, handover),
        error_form=error_form,
        error_kind=error_kind,
        parents_question=SECTION_QUESTIONS[HandoverSection.Kind.PARENTS_VIEW],
        own_view=next((r for r in context["parent_rows"] if r.section.author_id == request.user.pk), None),
        visits=transition_visits(handover.transition),
        can_plan_visit=can_plan_visit(viewer, handover),
    )
    return render(request, "transitions/handover_detail.html", context, status=200)


def _readiness_context(user, transition, viewer) -> dict:
    """The school readiness assessment of the move, and whether this reader may ask for or start one."""
    if viewer.receiving:
        return {}
    try:
        readiness = transition.readiness
    except ReadinessAssessment.DoesNotExist:
        readiness = None
    kind_ok = (
        transition.kind == Transition.Kind.DAYCARE_TO_SCHOOL
        and transition.status != Transition.Status.CANCELLED
    )
    leads = kind_ok and viewer.sending and transition.sending_institution_id in leads_institution_ids(user)
    return {
        "readiness": readiness,
        "can_start_readiness": leads
        and (readiness is None or readiness.status == ReadinessAssessment.Status.REQUESTED),
        "can_ask_readiness": kind_ok and viewer.has_custody and readiness is None,
    }


@login_required
def handover_detail(request, pk):
    handover = get_handover_for_user_or_404(request.user, pk)
    return _render_handover(request, handover, handover_viewer(request.user, handover))


@login_required
@require_GET
def handover_pdf(request, pk):
    """The handover form the parents take with them, as a tagged PDF in the reader's language: the
    sending and receiving place, the date, what was passed on and what was not. For the family and the
    sending staff once it is sent; everyone else gets 404."""
    handover = get_handover_for_user_or_404(request.user, pk)
    viewer = handover_viewer(request.user, handover)
    if not can_print_handover(viewer, handover):
        raise Http404
    engine = pdf_engine()
    if engine is None:
        return render(
            request,
            "transitions/handover_pdf_unavailable.html",
            {"handover": handover, "child": handover.transition.child},
            status=503,
        )
    context = selectors.handover_form(handover)
    access_record(
        request=request,
        child=handover.transition.child,
        action=AccessEvent.Action.VIEW,
        subject="handover_pdf",
        object_id=handover.pk,
        actor_role=viewer.role_label,
    )
    with translation.override(user_language(request.user)):
        return pdf_response(
            request,
            engine,
            "transitions/handover_pdf.html",
            {**context, "child": handover.transition.child},
            filename=f"handover-{handover.pk}.pdf",
        )


@login_required
@require_http_methods(["POST"])
def handover_section_save(request, pk, kind):
    handover = get_handover_for_user_or_404(request.user, pk)
    viewer = handover_viewer(request.user, handover)
    if not can_edit_handover(viewer, handover) or kind not in HandoverSection.STAFF_KINDS:
        raise Http404
    form = SectionForm(request.POST)
    if form.is_valid():
        try:
            services.handover_section_save(
                request=request,
                handover=handover,
                kind=kind,
                text=form.cleaned_data["text"],
                actor_role=viewer.role_label,
            )
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, _("The section is saved."))
            return redirect(_handover_url(handover, f"section-{kind}"))
    return _render_handover(request, handover, viewer, error_form=form, error_kind=kind)


@login_required
@require_http_methods(["POST"])
def handover_parents_view(request, pk):
    handover = get_handover_for_user_or_404(request.user, pk)
    viewer = handover_viewer(request.user, handover)
    if not can_write_parents_view(viewer, handover):
        raise Http404
    form = SectionForm(request.POST)
    if form.is_valid():
        try:
            services.handover_parents_view_save(
                request=request,
                handover=handover,
                text=form.cleaned_data["text"],
                actor_role=viewer.role_label,
            )
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, _("Your view is saved. It goes with the handover."))
            return redirect(_handover_url(handover, "parents-view"))
    return _render_handover(request, handover, viewer, error_form=form, error_kind="parents_view")


@login_required
@require_http_methods(["POST"])
def handover_consent(request, pk):
    handover = get_handover_for_user_or_404(request.user, pk)
    viewer = handover_viewer(request.user, handover)
    if not can_withdraw_consent(viewer, handover):
        raise Http404
    form = ConsentForm(request.POST)
    if form.is_valid():
        try:
            consent = services.handover_consent_set(
                request=request,
                handover=handover,
                section_pk=form.cleaned_data["section"],
                give=form.cleaned_data["give"],
                actor_role=viewer.role_label,
            )
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            if form.cleaned_data["give"]:
                messages.success(request, _("Thank you. The section may be passed on."))
            else:
                messages.success(request, _("The section will not be passed on."))
            return redirect(_handover_url(handover, f"section-{consent.section.kind}"))
    return _render_handover(request, handover, viewer, error_form=form, error_kind="consent")


@login_required
@require_http_methods(["POST"])
def handover_send(request, pk):
    handover = get_handover_for_user_or_404(request.user, pk)
    viewer = handover_viewer(request.user, handover)
    if not can_send_handover(viewer, handover):
        raise Http404
    form = SectionForm({})
    try:
        services.handover_send_request(request=request, handover=handover, actor_role=viewer.role_label)
    except ValidationError as e:
        form.is_valid()
        add_service_errors(form, e)
        return _render_handover(request, handover, viewer, error_form=form, error_kind="send")
    messages.success(
        request,
        _("The handover is being sent to %(place)s. The parents are told when it has gone.")
        % {"place": handover.transition.receiving_institution.name},
    )
    return redirect(_handover_url(handover))


@login_required
@require_http_methods(["POST"])
def transition_cancel(request, pk):
    """The sending staff call off the move before the handover is sent; it leaves the child's page."""
    handover = get_handover_for_user_or_404(request.user, pk)
    viewer = handover_viewer(request.user, handover)
    if not can_cancel_transition(viewer, handover):
        raise Http404
    try:
        services.transition_cancel(
            request=request, transition=handover.transition, actor_role=viewer.role_label
        )
    except ValidationError as e:
        form = SectionForm({})
        form.is_valid()
        add_service_errors(form, e)
        return _render_handover(request, handover, viewer, error_form=form, error_kind="cancel")
    messages.success(
        request,
        _("The move to %(place)s is cancelled. Nothing was sent.")
        % {"place": handover.transition.receiving_institution.name},
    )
    return redirect("children:child_detail", pk=handover.transition.child_id)


@login_required
@require_http_methods(["GET", "POST"])
def sharing_settings(request):
    """The administrator chooses how the municipality's handovers are passed on (Dagtilbudsloven
    § 3 a stk. 3): under its guidelines, or with the custody holders' consent section by section."""
    municipality = get_admin_municipality_or_404(request.user)
    if request.method == "POST":
        form = SharingModelForm(request.POST)
        if form.is_valid():
            services.transition_settings_set(
                municipality=municipality, sharing_model=form.cleaned_data["sharing_model"]
            )
            messages.success(request, _("Saved. Handovers started from now on are shared this way."))
            return redirect("transitions:sharing_settings")
    else:
        form = SharingModelForm(initial={"sharing_model": TransitionSettings.model_for(municipality.pk)})
    return render(request, "transitions/sharing_settings.html", {"municipality": municipality, "form": form})


@login_required
@require_http_methods(["POST"])
def handover_receive(request, pk):
    handover = get_handover_for_user_or_404(request.user, pk)
    viewer = handover_viewer(request.user, handover)
    if not can_confirm_receipt(viewer, handover):
        raise Http404
    form = SectionForm({})
    try:
        services.handover_receipt_confirm(request=request, handover=handover, actor_role=viewer.role_label)
    except ValidationError as e:
        form.is_valid()
        add_service_errors(form, e)
        return _render_handover(request, handover, viewer, error_form=form, error_kind="receive")
    messages.success(
        request, _("Thank you. The parents and the sending place can see that you have received it.")
    )
    return redirect(_handover_url(handover))


@login_required
@require_http_methods(["GET", "POST"])
def transition_create(request, child_pk):
    """Staff who write for the child start a transition from the child's place."""
    child, enrollment, role_label = get_writable_child_or_404(request.user, child_pk)
    form = TransitionForm(
        request.POST or None, municipality=child.municipality_id, exclude_institution=enrollment.institution
    )
    if request.method == "POST" and form.is_valid():
        try:
            transition = services.transition_create(
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
                _("The transition is planned. Write the handover, and invite the parents to add their view."),
            )
            return redirect(_handover_url(transition.handover))
    return render(
        request,
        "transitions/transition_form.html",
        {"child": child, "form": form, "from": enrollment.institution},
    )


@login_required
@require_http_methods(["GET", "POST"])
def cohort_create(request):
    """A leader starts transitions for all children of a group born in a year, to one place and date."""
    leading = leads_institution_ids(request.user)
    if not leading:
        raise Http404
    municipality = Institution.objects.filter(pk=leading[0]).values_list("municipality_id", flat=True).get()
    groups = Group.objects.filter(institution_id__in=leading)
    form = CohortForm(request.POST or None, groups=groups, municipality=municipality)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        enrollments = Enrollment.objects.current().filter(
            group=data["group"], child__birth_date__year=data["birth_year"]
        )
        try:
            made = services.transitions_create_for_cohort(
                request=request,
                enrollments=enrollments,
                kind=data["kind"],
                receiving_institution=data["receiving_institution"],
                receiving_group=data["receiving_group"],
                planned_on=data["planned_on"],
                actor_role=_("Leader"),
            )
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            if made:
                messages.success(
                    request,
                    _("Transitions are planned for %(count)s children, each with a handover to write.")
                    % {"count": made},
                )
                return redirect("children:group_detail", pk=data["group"].pk)
            form.add_error(
                None, _("No child in the group born that year is without a transition to that place.")
            )
    return render(request, "transitions/cohort_form.html", {"form": form})


@login_required
def incoming(request):
    """Receiving staff: the children whose handover has been sent to where they work."""
    if not roles_of(request.user).staff:
        raise Http404
    rows = selectors.incoming(request.user)
    access_record_many(
        request=request,
        children=[t.child for t in rows],
        action=AccessEvent.Action.LIST,
        subject="transitions_incoming",
        actor_role=_("Staff"),
    )
    return render(request, "transitions/incoming.html", {"transitions": rows})
