"""A municipal administrator imports the roster: upload, read the dry run, apply, watch, read the report."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRefresh

from portal.forms import add_service_errors
from portal.organisation.policies import get_admin_municipality_or_404
from portal.roster import services
from portal.roster.engine import OUTCOME_LABELS, REASONS, REFUSED
from portal.roster.forms import ImportForm
from portal.roster.models import ImportRun
from portal.roster.reading import EXAMPLES, SHEETS

ROWS_PER_PAGE = 50


@login_required
@require_http_methods(["GET", "POST"])
def import_list(request):
    municipality = get_admin_municipality_or_404(request.user)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            run = services.import_run_create(
                municipality=municipality, by=request.user, files=form.cleaned_data["files"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect("roster:import_detail", run.pk)
    runs = ImportRun.objects.filter(municipality=municipality).defer("data", "report")[:20]
    return render(request, "roster/import_list.html", {"form": form, "runs": runs})


@login_required
@require_GET
def import_example(request):
    get_admin_municipality_or_404(request.user)
    return render(
        request, "roster/import_example.html", {"sheets": [(s, *SHEETS[s], EXAMPLES[s]) for s in SHEETS]}
    )


def _rows(run, wanted):
    rows = []
    for sheet, line, key, outcome, code, params in run.unpack(run.report) or []:
        if wanted and outcome != wanted:
            continue
        reason = str(REASONS[code] % params) if code in REASONS else ""
        rows.append(
            {"sheet": sheet, "line": line, "key": key, "outcome": OUTCOME_LABELS[outcome], "reason": reason}
        )
    return rows


@login_required
@require_GET
def import_detail(request, pk):
    municipality = get_admin_municipality_or_404(request.user)
    run = get_object_or_404(ImportRun.objects.defer("data"), pk=pk, municipality=municipality)
    if request.htmx and run.running:
        return render(request, "roster/_progress.html", {"run": run})
    if request.htmx:  # finished while the page polled: the whole page, once
        return HttpResponseClientRefresh()
    wanted = request.GET.get("show", REFUSED)
    page = Paginator(_rows(run, wanted if wanted != "all" else ""), ROWS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(request, "roster/import_detail.html", {"run": run, "page": page, "show": wanted})


@login_required
@require_POST
def import_apply(request, pk):
    municipality = get_admin_municipality_or_404(request.user)
    run = get_object_or_404(ImportRun.objects.defer("data", "report"), pk=pk, municipality=municipality)
    if services.import_run_apply_request(run=run):
        messages.success(request, _("The import is being applied. You can follow it here."))
    else:
        messages.info(request, _("This import cannot be applied now."))
    return redirect("roster:import_detail", run.pk)
