from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from portal.forms import add_service_errors
from portal.organisation import selectors, services
from portal.organisation.forms import AuditSearchForm, GroupForm, InstitutionForm, MembershipForm
from portal.organisation.models import Group, Institution, StaffMembership
from portal.organisation.policies import (
    get_admin_municipality_or_404,
    get_group_for_manager_or_404,
    get_institution_for_manager_or_404,
    municipality_for_admin,
)
from portal.todos import admin_todos, on_home


@login_required
def admin_home(request):
    """The municipality at a glance: aggregates only, as the hourly task last counted them (counted
    now the first time)."""
    municipality = get_admin_municipality_or_404(request.user)
    stored = selectors.stored_figures(municipality) or services.municipality_figures_store(
        municipality_id=municipality.pk
    )
    return render(
        request,
        "organisation/admin_home.html",
        {
            "municipality": municipality,
            **selectors.municipality_figures(municipality, stored),
            **on_home(admin_todos(request.user, municipality)),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def institution_list(request):
    municipality = get_admin_municipality_or_404(request.user)
    form = InstitutionForm(request.POST or None, municipality=municipality)
    if request.method == "POST" and form.is_valid():
        try:
            institution = services.institution_save(municipality=municipality, **form.cleaned_data)
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, _("%(name)s is created.") % {"name": institution.name})
            return redirect("organisation:institution_detail", pk=institution.pk)
    kind = request.GET.get("kind", "")
    page = selectors.institutions_page(municipality, kind=kind, number=request.GET.get("page"))
    return render(
        request,
        "organisation/institution_list.html",
        {
            "municipality": municipality,
            "page": page,
            "form": form,
            "kind": kind,
            "kinds": Institution.Kind.choices,
        },
    )


@login_required
def institution_detail(request, pk):
    institution = get_institution_for_manager_or_404(request.user, pk)
    page = selectors.institution_page(institution, staff_page=request.GET.get("page"))
    return render(
        request,
        "organisation/institution_detail.html",
        {
            **page,
            "institution": institution,
            "is_admin": municipality_for_admin(request.user) == institution.municipality,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def institution_edit(request, pk):
    institution = get_institution_for_manager_or_404(request.user, pk)
    if municipality_for_admin(request.user) != institution.municipality:
        raise Http404
    form = InstitutionForm(request.POST or None, instance=institution, municipality=institution.municipality)
    if request.method == "POST" and form.is_valid():
        try:
            services.institution_save(
                municipality=institution.municipality, instance=institution, **form.cleaned_data
            )
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, _("The changes are saved."))
            return redirect("organisation:institution_detail", pk=institution.pk)
    return render(request, "organisation/institution_form.html", {"institution": institution, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def group_create(request, institution_pk):
    institution = get_institution_for_manager_or_404(request.user, institution_pk)
    return _group_form(request, institution, None)


@login_required
@require_http_methods(["GET", "POST"])
def group_edit(request, institution_pk, pk):
    institution = get_institution_for_manager_or_404(request.user, institution_pk)
    group = get_group_for_manager_or_404(request.user, institution, pk)
    return _group_form(request, institution, group)


def _group_form(request, institution, group: Group | None):
    form = GroupForm(request.POST or None, instance=group, institution=institution)
    if request.method == "POST" and form.is_valid():
        try:
            services.group_save(institution=institution, instance=group, **form.cleaned_data)
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, _("The group is saved."))
            return redirect("organisation:institution_detail", pk=institution.pk)
    return render(
        request, "organisation/group_form.html", {"institution": institution, "group": group, "form": form}
    )


@login_required
@require_http_methods(["GET", "POST"])
def membership_edit(request, institution_pk, pk):
    institution = get_institution_for_manager_or_404(request.user, institution_pk)
    membership = get_object_or_404(
        StaffMembership.objects.active().select_related("user", "institution"), pk=pk, institution=institution
    )
    form = MembershipForm(request.POST or None, instance=membership)
    if request.method == "POST" and form.is_valid():
        try:
            services.membership_update(membership=membership, **form.cleaned_data)
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, _("The changes for %(name)s are saved.") % {"name": membership.user})
            return redirect("organisation:institution_detail", pk=institution.pk)
    return render(
        request,
        "organisation/membership_form.html",
        {"institution": institution, "membership": membership, "form": form},
    )


@login_required
@require_POST
def membership_end(request, institution_pk, pk):
    institution = get_institution_for_manager_or_404(request.user, institution_pk)
    membership = get_object_or_404(
        StaffMembership.objects.active().select_related("user"), pk=pk, institution=institution
    )
    if membership.user_id == request.user.pk:
        messages.error(request, _("You cannot end your own membership. Ask the municipality."))
    elif services.membership_end(membership=membership):
        messages.success(
            request,
            _("%(name)s no longer has access through %(institution)s.")
            % {"name": membership.user, "institution": institution.name},
        )
    return redirect("organisation:institution_detail", pk=institution.pk)


@login_required
def audit_search(request):
    """Administrators search who accessed which child's data in their municipality, newest first."""
    municipality = get_admin_municipality_or_404(request.user)
    form = AuditSearchForm(request.GET or None)
    search = form.cleaned_data if form.is_valid() else {}
    page = selectors.audit_page(
        selectors.audit_events(municipality, **search),
        before=request.GET.get("before", ""),
        after=request.GET.get("after", ""),
    )
    return render(
        request, "organisation/audit_search.html", {"municipality": municipality, "form": form, "page": page}
    )
