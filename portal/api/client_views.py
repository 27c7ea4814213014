"""A municipal administrator makes and revokes the keys of the municipality's systems."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from portal.api import services
from portal.api.forms import ApiClientForm
from portal.api.models import ApiClient
from portal.forms import add_service_errors
from portal.organisation.policies import get_admin_municipality_or_404

# The new key waits in the session for the one page that shows it, and is gone once shown.
NEW_KEY = "api_new_key"


@login_required
@require_http_methods(["GET", "POST"])
def client_list(request):
    municipality = get_admin_municipality_or_404(request.user)
    form = ApiClientForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            client, key = services.api_client_create(
                municipality=municipality, created_by=request.user, **form.cleaned_data
            )
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            request.session[NEW_KEY] = {"client": client.pk, "key": key}
            return redirect("api_clients:client_list")
    new = request.session.pop(NEW_KEY, None)
    clients = list(ApiClient.objects.filter(municipality=municipality).order_by("revoked_at", "name", "id"))
    new_client = next((c for c in clients if new and c.pk == new["client"]), None)
    return render(
        request,
        "api/client_list.html",
        {
            "clients": clients,
            "form": form,
            "new_client": new_client,
            "new_key": new["key"] if new_client else "",
        },
    )


@login_required
@require_POST
def client_revoke(request, pk):
    municipality = get_admin_municipality_or_404(request.user)
    client = get_object_or_404(ApiClient, pk=pk, municipality=municipality)
    if services.api_client_revoke(client=client):
        messages.success(request, _("The key of %(name)s is revoked.") % {"name": client.name})
    else:
        messages.info(request, _("The key was already revoked."))
    return redirect("api_clients:client_list")
