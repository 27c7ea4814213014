"""The notification centre's page: what we tell you about, on which channel, at once or in the daily
summary, and when we keep quiet."""

from datetime import time

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from portal.forms import add_service_errors
from portal.notices.forms import PreferencesForm
from portal.notices.services.preferences import preferences_update
from portal.notices.services.routing import modes_of


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request):
    user = request.user
    form = PreferencesForm(request.POST or None, user=user, modes=modes_of([user.pk]).get(user.pk, {}))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        quiet = data["quiet"]
        try:
            preferences_update(
                user=user,
                modes=form.modes(),
                digest_hour=data["digest_hour"],
                quiet_from=time(data["quiet_from"]) if quiet else None,
                quiet_until=time(data["quiet_until"]) if quiet else None,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Saved. This is what we tell you, and when, from now on."))
            return redirect("notices:preferences")
    return render(request, "notices/preferences.html", {"form": form})
