"""The education plan pages (8.–9. klasse): the staff's list of pupils, the plan with the counsellor's
guidance, the school's effort, the parents' remarks and confirmation (with the password again), the
pupil's own page with their goals and wishes, and the municipality's list of youth educations. Every
read of a plan is audited."""

from allauth.account.decorators import reauthentication_required
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from children.policies import id_or_404
from children.policies.pupils import get_pupil_account_or_404
from portal.access import children_served_by, roles_of
from portal.audit.models import AccessEvent
from portal.audit.services import access_record, access_record_many
from portal.forms import add_service_errors
from portal.organisation.policies import get_admin_municipality_or_404
from transitions.forms_education import (
    ConfirmForm,
    PlanTextForm,
    WishesForm,
    YouthEducationEditForm,
    YouthEducationForm,
)
from transitions.models import YouthEducation
from transitions.policies.education import (
    PlanViewer,
    can_confirm,
    can_write_remarks,
    get_plan_for_user_or_404,
    plan_viewer,
)
from transitions.selectors import education as selectors
from transitions.services import education as services


def _plan_url(plan, anchor=""):
    return reverse("transitions:education_plan_detail", args=[plan.pk]) + (f"#{anchor}" if anchor else "")


def _pupil_label() -> str:
    from children.services.pupils import _pupil_label

    return _pupil_label()


TEXT_LABELS = {
    "guidance": lambda: _("Your guidance"),
    "effort": lambda: _("The school's targeted effort"),
    "remarks": lambda: _("Your remarks"),
}


def _text_form(kind, data=None, initial=""):
    return PlanTextForm(data, kind=kind, label=TEXT_LABELS[kind](), initial={"text": initial})


def _render_plan(request, plan, viewer: PlanViewer, *, pupil=False, forms=None, status=200):
    page = selectors.plan_page(plan, request.user)
    access_record(
        request=request,
        child=plan.child,
        action=AccessEvent.Action.VIEW,
        subject="education_plan",
        object_id=plan.pk,
        actor_role=_pupil_label() if pupil else viewer.role_label,
    )
    forms = forms or {}
    open_ = not page.locked
    context = {
        "page": page,
        "plan": plan,
        "child": plan.child,
        "pupil": pupil,
        "viewer": viewer,
        "forms": forms,
        "can_wish": pupil and open_,
        "can_guide": viewer.guides and open_,
        "can_support": viewer.supports and open_,
        "can_remark": can_write_remarks(viewer) and open_,
        "can_confirm": can_confirm(viewer, plan) and open_,
    }
    mine = page.my_remark.text if page.my_remark else ""
    for kind, initial in (("guidance", plan.guidance), ("effort", plan.effort), ("remarks", mine)):
        context[f"{kind}_form"] = forms.get(kind) or _text_form(kind, initial=initial)
    context["confirm_form"] = forms.get("confirm")
    if context["can_wish"]:
        keep = [w.education_id for w in page.wishes]
        form = forms.get("wishes") or WishesForm(
            educations=selectors.offered_educations(plan.child.municipality_id, keep=keep),
            initial={"goals": plan.goals, **{f"wish_{w.rank}": w.education_id for w in page.wishes}},
        )
        context["wishes_form"] = form
    return render(request, "transitions/education_plan.html", context, status=status)


@login_required
def education_plans(request):
    """Staff: the pupils in 8.–9. klasse they serve and where each one's plan stands."""
    if not roles_of(request.user).staff:
        raise Http404
    rows = selectors.staff_plan_rows(request.user)
    counsellor, teacher, leads = selectors.starts_plans_in(request.user)
    for row in rows:
        row.can_start = row.plan_id is None and (
            row.institution_id in leads or row.group_id in teacher or bool(counsellor)
        )
    access_record_many(
        request=request,
        children=[row.child for row in rows],
        action=AccessEvent.Action.LIST,
        subject="education_plans",
        actor_role=_("Staff"),
    )
    return render(request, "transitions/education_plans.html", {"rows": rows})


@login_required
@require_POST
def education_plan_start(request, child_pk):
    """The pupil's counsellor, the teacher of the class or the school's leader starts this year's plan."""
    child = children_served_by(request.user).filter(pk=id_or_404(child_pk)).first()
    place = services.class_enrollment(child) if child is not None else None
    if place is None:
        raise Http404
    viewer = plan_viewer(request.user, child, school_id=place.institution_id)
    if not viewer.may_start:
        raise Http404
    plan = services.education_plan_start(request=request, child=child, actor_role=viewer.role_label)
    return redirect(_plan_url(plan))


@login_required
def education_plan_detail(request, pk):
    plan, viewer = get_plan_for_user_or_404(request.user, pk)
    return _render_plan(request, plan, viewer)


def _save_text(request, pk, *, allowed, service, anchor, done):
    plan, viewer = get_plan_for_user_or_404(request.user, pk)
    if not allowed(viewer):
        raise Http404
    form = _text_form(anchor, request.POST)
    if form.is_valid():
        try:
            service(request=request, plan=plan, text=form.cleaned_data["text"], actor_role=viewer.role_label)
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, done)
            return redirect(_plan_url(plan, anchor))
    return _render_plan(request, plan, viewer, forms={anchor: form})


@login_required
@require_POST
def education_plan_guidance(request, pk):
    return _save_text(
        request,
        pk,
        allowed=lambda v: v.guides,
        service=services.education_plan_guidance_save,
        anchor="guidance",
        done=_("Your guidance is saved."),
    )


@login_required
@require_POST
def education_plan_effort(request, pk):
    return _save_text(
        request,
        pk,
        allowed=lambda v: v.supports,
        service=services.education_plan_effort_save,
        anchor="effort",
        done=_("The school's effort is saved."),
    )


@login_required
@require_POST
def education_plan_remarks(request, pk):
    return _save_text(
        request,
        pk,
        allowed=can_write_remarks,
        service=services.education_plan_remarks_save,
        anchor="remarks",
        done=_("Your remarks are saved. The other parent with custody sees them too."),
    )


@login_required
@require_POST
def education_plan_confirm(request, pk):
    """A custody holder confirms the version they read, after entering their password again."""
    plan, viewer = get_plan_for_user_or_404(request.user, pk)
    if not can_confirm(viewer, plan):
        raise Http404
    return _confirm(request, plan, viewer)


@reauthentication_required
def _confirm(request, plan, viewer):
    form = ConfirmForm(request.POST)
    if form.is_valid():
        try:
            services.education_plan_confirm(
                request=request, plan=plan, version=form.cleaned_data["version"], actor_role=viewer.role_label
            )
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(
                request,
                _(
                    "Thank you. You have confirmed the plan. "
                    "Remember to sign the application on Optagelse.dk."
                ),
            )
            return redirect(_plan_url(plan, "confirm"))
    return _render_plan(request, plan, viewer, forms={"confirm": form})


@login_required
@require_http_methods(["GET", "POST"])
def education_plan_pupil(request):
    """The pupil's own page: this school year's plan, where they write their goals and wishes."""
    account = get_pupil_account_or_404(request.user)
    plan = selectors.pupil_plan_of(account.child_id)
    if plan is None:
        if request.method == "POST":
            raise Http404
        return render(request, "transitions/education_plan_none.html", {"child": account.child})
    viewer = PlanViewer(None, _pupil_label(), reads=True, guides=False, supports=False)
    if request.method == "POST":
        keep = list(plan.wishes.values_list("education_id", flat=True))
        form = WishesForm(
            request.POST, educations=selectors.offered_educations(plan.child.municipality_id, keep=keep)
        )
        if form.is_valid():
            try:
                services.education_plan_wishes_save(
                    request=request,
                    plan=plan,
                    goals=form.cleaned_data["goals"],
                    educations=form.cleaned_data["educations"],
                    actor_role=_pupil_label(),
                )
            except ValidationError as e:
                add_service_errors(form, e)
            else:
                messages.success(
                    request, _("Your wishes are saved. Your counsellor and your parents can read them.")
                )
                return redirect(reverse("transitions:education_plan_pupil") + "#wishes")
        return _render_plan(request, plan, viewer, pupil=True, forms={"wishes": form})
    return _render_plan(request, plan, viewer, pupil=True)


# --- the municipality's list --------------------------------------------------------------------------
def _render_list(request, municipality, *, add_form=None, edit_errors=None):
    services.youth_educations_ensure(municipality_id=municipality.pk)
    educations = list(YouthEducation.objects.filter(municipality=municipality))
    for education in educations:
        error_form = (edit_errors or {}).get(education.pk)
        education.form = error_form or YouthEducationEditForm(
            initial={
                "name": education.name,
                "position": education.position,
                "is_offered": education.is_offered,
            },
            prefix=f"e{education.pk}",
        )
    return render(
        request,
        "transitions/youth_educations.html",
        {"municipality": municipality, "educations": educations, "form": add_form or YouthEducationForm()},
    )


@login_required
@require_http_methods(["GET", "POST"])
def youth_educations(request):
    """The municipality's administrator keeps the list of youth educations pupils choose from."""
    municipality = get_admin_municipality_or_404(request.user)
    if request.method == "POST":
        form = YouthEducationForm(request.POST)
        if form.is_valid():
            try:
                services.youth_education_add(municipality=municipality, name=form.cleaned_data["name"])
            except ValidationError as e:
                add_service_errors(form, e)
            else:
                messages.success(request, _("The youth education is added to the list."))
                return redirect("transitions:youth_educations")
        return _render_list(request, municipality, add_form=form)
    return _render_list(request, municipality)


@login_required
@require_POST
def youth_education_edit(request, pk):
    municipality = get_admin_municipality_or_404(request.user)
    education = YouthEducation.objects.filter(pk=id_or_404(pk), municipality=municipality).first()
    if education is None:
        raise Http404
    form = YouthEducationEditForm(request.POST, prefix=f"e{education.pk}")
    if form.is_valid():
        try:
            services.youth_education_update(education=education, **form.cleaned_data)
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, _("Saved."))
            return redirect("transitions:youth_educations")
    return _render_list(request, municipality, edit_errors={education.pk: form})
