"""The learning plan pages: the plan (draft for staff, published version for families), its versions,
history, focus points, notes, publishing, and the group overview. Every read of a plan is audited."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from children.forms import PlanNoteForm, PlanPublishForm
from children.forms.competences import LinkedFocusPointForm
from children.models import FocusPoint, LearningGoal, PlanNote
from children.policies import get_group_for_user_or_404, get_writable_child_or_404
from children.policies.evidence import (
    can_add_evidence,
    can_attach_to_note,
    can_remove_evidence,
    can_request_takedown,
)
from children.policies.plans import (
    can_add_plan_note,
    can_edit_plan,
    can_publish_plan,
    can_view_plan_history,
    get_plan_for_user_or_404,
    plan_viewer,
)
from children.selectors import plans as selectors
from children.services import plans as services
from children.services.evidence import plan_note_add_with_evidence
from portal.audit.models import AccessEvent
from portal.audit.services import access_record, access_record_many
from portal.forms import add_service_errors
from portal.pdf import pdf_engine, pdf_response


def _plan_url(plan, anchor=""):
    return reverse("children:plan_detail", args=[plan.pk]) + (f"#{anchor}" if anchor else "")


def _render_plan(
    request, plan, viewer, *, number=None, note_form=None, publish_form=None, evidence_form=None
):
    context = selectors.plan_page(plan, viewer, number=number)
    version = context["version"]
    if version:
        access_record(
            request=request,
            child=plan.child,
            action=AccessEvent.Action.VIEW,
            subject="plan_version",
            object_id=version.pk,
            actor_role=viewer.role_label,
        )
    else:
        access_record(
            request=request,
            child=plan.child,
            action=AccessEvent.Action.VIEW,
            subject="learning_plan",
            object_id=plan.pk,
            actor_role=viewer.role_label,
        )
    # Reading counts when the family opens the page, not when a form of theirs is shown again.
    if (
        request.method == "GET"
        and viewer.is_guardian
        and version is not None
        and version.number == plan.published_number
    ):
        services.plan_read_record(user=request.user, version=version)
    context.update(
        child=plan.child,
        can_edit=can_edit_plan(viewer),
        can_publish=can_publish_plan(viewer) and number is None,
        note_form_error=note_form,
        evidence_form_error=evidence_form,
        can_add_evidence=can_add_evidence(viewer) and number is None,
        can_attach_to_note=can_attach_to_note(viewer),
        can_request_takedown=can_request_takedown(viewer),
        can_remove_evidence=can_remove_evidence(viewer),
        publish_form=publish_form or PlanPublishForm(),
    )
    return render(request, "children/plan_detail.html", context)


@login_required
@require_http_methods(["POST"])
def plan_start(request, child_pk):
    """Staff open the child's plan at the place they write for it (once; again, it is the same plan)."""
    child, enrollment, role_label = get_writable_child_or_404(request.user, child_pk)
    plan = services.plan_start(request=request, child=child, enrollment=enrollment, actor_role=role_label)
    return redirect(_plan_url(plan))


@login_required
def plan_detail(request, pk):
    plan = get_plan_for_user_or_404(request.user, pk)
    return _render_plan(request, plan, plan_viewer(request.user, plan))


@login_required
def plan_version(request, pk, number):
    plan = get_plan_for_user_or_404(request.user, pk)
    return _render_plan(request, plan, plan_viewer(request.user, plan), number=number)


@login_required
@require_GET
def plan_pdf(request, pk):
    """The latest published version as a tagged PDF (PDF/UA-1: structure tree, language and title), for
    everyone who reads the plan; a plan never published has none (404). Made with WeasyPrint from a print
    template that fetches nothing; without WeasyPrint (it needs Pango) it answers 503 and the page works.
    Opening it counts as the family reading that version."""
    plan = get_plan_for_user_or_404(request.user, pk)
    viewer = plan_viewer(request.user, plan)
    if not plan.published_number:
        raise Http404
    engine = pdf_engine()
    if engine is None:
        return render(
            request, "children/plan_pdf_unavailable.html", {"plan": plan, "child": plan.child}, status=503
        )
    # The PDF is the plan's text: its photos and files are opened on the page.
    context = selectors.plan_page(plan, viewer, number=plan.published_number, with_evidence=False)
    version = context["version"]
    access_record(
        request=request,
        child=plan.child,
        action=AccessEvent.Action.VIEW,
        subject="plan_pdf",
        object_id=version.pk,
        actor_role=viewer.role_label,
    )
    if viewer.is_guardian:
        services.plan_read_record(user=request.user, version=version)
    return pdf_response(
        request,
        engine,
        "children/plan_pdf.html",
        {**context, "child": plan.child},
        filename=f"plan-{plan.pk}-v{version.number}.pdf",
    )


@login_required
def plan_history(request, pk):
    plan = get_plan_for_user_or_404(request.user, pk)
    viewer = plan_viewer(request.user, plan)
    if not can_view_plan_history(viewer):
        raise Http404
    changes = selectors.plan_history(plan)
    access_record(
        request=request,
        child=plan.child,
        action=AccessEvent.Action.VIEW,
        subject="plan_history",
        object_id=plan.pk,
        actor_role=viewer.role_label,
    )
    return render(
        request, "children/plan_history.html", {"plan": plan, "child": plan.child, "changes": changes}
    )


@login_required
@require_http_methods(["POST"])
def plan_publish(request, pk):
    plan = get_plan_for_user_or_404(request.user, pk)
    viewer = plan_viewer(request.user, plan)
    if not can_publish_plan(viewer):
        raise Http404
    form = PlanPublishForm(request.POST)
    if form.is_valid():
        try:
            version = services.plan_publish(
                request=request, plan=plan, actor_role=viewer.role_label, note=form.cleaned_data["note"]
            )
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(
                request,
                _("Version %(number)s is published. %(name)s's parents can read it now.")
                % {"number": version.number, "name": plan.child.first_name},
            )
            return redirect(_plan_url(plan))
    return _render_plan(request, plan, viewer, publish_form=form)


def _focus_point_form(request, plan, point):
    viewer = plan_viewer(request.user, plan)
    if not can_edit_plan(viewer) or not plan.is_pupil_plan:
        raise Http404
    form = LinkedFocusPointForm(request.POST or None, instance=point, plan=plan)
    if request.method == "POST" and form.is_valid():
        try:
            if point is None:
                point = services.focus_point_create(
                    request=request, plan=plan, actor_role=viewer.role_label, **form.cleaned_data
                )
            else:
                point = services.focus_point_update(
                    request=request, point=point, actor_role=viewer.role_label, **form.cleaned_data
                )
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(
                request, _("The focus point is saved in the draft. Publish the plan when it is ready.")
            )
            return redirect(_plan_url(plan, f"focus-{point.pk}"))
    return render(
        request,
        "children/focus_point_form.html",
        {"plan": plan, "child": plan.child, "form": form, "point": point},
    )


@login_required
@require_http_methods(["GET", "POST"])
def focus_point_create(request, pk):
    plan = get_plan_for_user_or_404(request.user, pk)
    return _focus_point_form(request, plan, None)


@login_required
@require_http_methods(["GET", "POST"])
def focus_point_edit(request, pk, point_pk):
    plan = get_plan_for_user_or_404(request.user, pk)
    point = get_object_or_404(FocusPoint, pk=point_pk, plan=plan)
    return _focus_point_form(request, plan, point)


@login_required
@require_http_methods(["POST"])
def plan_note_create(request, pk):
    """A note on a goal or focus point, by whoever may write that kind; the entry's notes come back as a
    fragment for htmx, otherwise the page (PRG)."""
    plan = get_plan_for_user_or_404(request.user, pk)
    viewer = plan_viewer(request.user, plan)
    if not viewer.note_kinds:
        raise Http404
    entries = {f"goal-{g.pk}": g for g in LearningGoal.objects.filter(plan=plan)}
    entries |= {f"focus-{p.pk}": p for p in FocusPoint.objects.filter(plan=plan)}
    kinds = [(k, label) for k, label in PlanNote.Kind.choices if k in viewer.note_kinds]
    form = PlanNoteForm(request.POST, request.FILES, kinds=kinds, entries=entries)
    if form.is_valid() and form.cleaned_data["file"] and not can_attach_to_note(viewer):
        form.add_error("file", _("Only parents with custody and staff can add a photo or file."))
    if form.is_valid() and can_add_plan_note(viewer, form.cleaned_data["kind"]):
        entry = form.cleaned_data["entry"]
        note = {
            "goal": entry if isinstance(entry, LearningGoal) else None,
            "focus_point": entry if isinstance(entry, FocusPoint) else None,
            "kind": form.cleaned_data["kind"],
            "text": form.cleaned_data["text"],
            "observed_on": form.cleaned_data["observed_on"],
            "author_role": viewer.note_role,
            "actor_role": viewer.role_label,
        }
        try:
            if form.cleaned_data["file"]:
                plan_note_add_with_evidence(
                    request=request,
                    plan=plan,
                    upload=form.cleaned_data["file"],
                    caption=form.cleaned_data["caption"],
                    **note,
                )
            else:
                services.plan_note_add(request=request, plan=plan, **note)
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, _("Your note is saved."))
            return redirect(_plan_url(plan, request.POST.get("entry", "")))
    return _render_plan(request, plan, viewer, note_form=form)


@login_required
def group_plans(request, pk):
    """Staff's overview of a group: children × goals and focus points, and who has not been written about."""
    group = get_group_for_user_or_404(request.user, pk)
    rows = selectors.group_plan_overview(request.user, group)
    access_record_many(
        request=request,
        children=[row.child for row in rows],
        action=AccessEvent.Action.LIST,
        subject="group_plans",
        actor_role=_("Staff"),
    )
    return render(request, "children/group_plans.html", {"group": group, "rows": rows})
