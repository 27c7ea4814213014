from django import forms
from django.utils.translation import gettext_lazy as _

from portal.forms import DateInput


class TimelineDatesForm(forms.Form):
    """A period of the timeline to read or print (both days included); empty means all of it."""

    since = forms.DateField(label=_("From"), required=False, widget=DateInput)
    until = forms.DateField(label=_("To"), required=False, widget=DateInput)

    def clean(self):
        data = super().clean()
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            self.add_error("until", _("The end of the period must be on or after its start."))
        return data
