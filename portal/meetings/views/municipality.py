from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from portal.meetings.forms.municipality import ReminderSettingsForm
from portal.meetings.services.outbox import reminder_offsets
from portal.meetings.services.settings import meeting_settings_update
from portal.organisation.policies import get_admin_municipality_or_404


@login_required
@require_http_methods(["GET", "POST"])
def reminder_settings(request):
    """The administrator chooses when families are reminded of meetings in the municipality."""
    municipality = get_admin_municipality_or_404(request.user)
    if request.method == "POST":
        form = ReminderSettingsForm(request.POST)
        if form.is_valid():
            meeting_settings_update(
                municipality=municipality, reminder_offsets=form.cleaned_data["reminder_offsets"]
            )
            messages.success(request, _("Saved. Upcoming meetings get the new reminder times."))
            return redirect("meetings:reminder_settings")
    else:
        form = ReminderSettingsForm(initial={"reminder_offsets": reminder_offsets(municipality.pk)})
    return render(
        request, "meetings/municipality/reminder_settings.html", {"municipality": municipality, "form": form}
    )
