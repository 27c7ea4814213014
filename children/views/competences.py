"""The competence framework (read by the municipality's families and staff, edited by its
administrators) and the library of home activities (the staff's tool)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from children.forms.competences import AdviceForm, CompetenceForm, LibraryFilterForm
from children.models import AgeBand
from children.policies.competences import (
    can_edit_framework,
    get_competence_for_admin_or_404,
    get_framework_municipality_or_404,
    get_library_municipality_or_404,
)
from children.selectors import competences as selectors
from children.services import competences as services
from portal.forms import add_service_errors


@login_required
def competence_list(request):
    """The municipality's shared competences with the advice for one age band (or all)."""
    municipality = get_framework_municipality_or_404(request.user)
    band_value = request.GET.get("band", "")
    band = AgeBand(band_value) if band_value in AgeBand.values else None
    bands = [band] if band else list(AgeBand)
    cards = selectors.framework(municipality, bands=[b.value for b in bands])
    return render(
        request,
        "children/competences/competence_list.html",
        {
            "municipality": municipality,
            "cards": cards,
            "bands": bands,
            "band": band,
            "all_bands": list(AgeBand),
            "can_edit": can_edit_framework(request.user, municipality),
        },
    )


@login_required
@require_http_methods(["POST"])
def competence_seed(request):
    """Administrators load what is missing of the suggested framework and library (idempotent)."""
    municipality = get_framework_municipality_or_404(request.user)
    if not can_edit_framework(request.user, municipality):
        raise Http404
    added, activities = services.competence_framework_seed(municipality=municipality)
    if added or activities:
        messages.success(request, _("The suggested competences and home activities are loaded."))
    else:
        messages.info(request, _("Nothing was missing: the framework and library are complete."))
    return redirect("children:competence_list")


@login_required
@require_http_methods(["GET", "POST"])
def competence_edit(request, pk):
    competence = get_competence_for_admin_or_404(request.user, pk)
    form = CompetenceForm(request.POST or None, instance=competence)
    if request.method == "POST" and form.is_valid():
        try:
            services.competence_update(user=request.user, competence=competence, **form.cleaned_data)
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, _("The competence is saved."))
            return redirect("children:competence_edit", pk=competence.pk)
    page = selectors.competence_page(competence)
    return render(
        request,
        "children/competences/competence_edit.html",
        {"competence": competence, "form": form, **page},
    )


@login_required
@require_http_methods(["GET", "POST"])
def competence_advice_edit(request, pk, band):
    competence = get_competence_for_admin_or_404(request.user, pk)
    if band not in AgeBand.values:
        raise Http404
    band = AgeBand(band)
    page = selectors.competence_page(competence)
    current = next(b for b in page["bands"] if b["band"] == band)
    form = AdviceForm(request.POST or None, initial=AdviceForm.initial_from(current))
    if request.method == "POST" and form.is_valid():
        try:
            services.competence_advice_update(
                user=request.user, competence=competence, age_band=band.value, texts=form.texts()
            )
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, _("The advice for %(band)s is saved.") % {"band": band.label})
            return redirect("children:competence_edit", pk=competence.pk)
    return render(
        request,
        "children/competences/advice_form.html",
        {"competence": competence, "band": band, "form": form},
    )


@login_required
def activity_list(request):
    """The library of home activities, searchable, with how often each was picked and how it went."""
    municipality = get_library_municipality_or_404(request.user)
    form = LibraryFilterForm(request.GET or None, municipality=municipality)
    activities = selectors.home_ideas(municipality, **form.filters()) if not form.errors else []
    return render(
        request,
        "children/competences/activity_list.html",
        {"municipality": municipality, "form": form, "activities": activities},
    )
