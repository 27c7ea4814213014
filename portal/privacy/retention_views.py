"""A municipal administrator's page: how long each kind of data is kept, and what was deleted lately."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from portal.organisation.policies import get_admin_municipality_or_404
from portal.privacy.models import ErasureRecord
from portal.privacy.retention import BY_KEY, KINDS, periods
from portal.privacy.retention_forms import RetentionForm
from portal.privacy.retention_services import retention_periods_set

RECENT = 25


@login_required
@require_http_methods(["GET", "POST"])
def retention(request):
    municipality = get_admin_municipality_or_404(request.user)
    form = RetentionForm(request.POST or None, periods=periods(municipality))
    if request.method == "POST" and form.is_valid():
        retention_periods_set(municipality=municipality, by=request.user, days=form.cleaned_data)
        messages.success(request, _("The retention periods are saved. They apply from tonight's deletion."))
        return redirect("privacy:retention")
    records = list(ErasureRecord.objects.filter(municipality=municipality)[:RECENT])
    for record in records:
        kind = BY_KEY.get(record.kind)
        record.kind_label = kind.label if kind else _("A family")
    return render(
        request,
        "privacy/retention.html",
        {"form": form, "kinds": KINDS, "records": records},
    )
