from django import forms
from django.utils.translation import gettext_lazy as _

# Reminder times an administrator can choose, in minutes before the meeting.
OFFSET_CHOICES = [
    (14 * 24 * 60, _("14 days before")),
    (7 * 24 * 60, _("7 days before")),
    (3 * 24 * 60, _("3 days before")),
    (2 * 24 * 60, _("2 days before")),
    (24 * 60, _("24 hours before")),
    (3 * 60, _("3 hours before")),
    (60, _("1 hour before")),
]


class ReminderSettingsForm(forms.Form):
    reminder_offsets = forms.TypedMultipleChoiceField(
        label=_("When should families be reminded of a meeting?"),
        choices=OFFSET_CHOICES,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_(
            "Choose up to three times. With none chosen, families get no reminders, only confirmations."
        ),
    )

    def clean_reminder_offsets(self):
        offsets = self.cleaned_data["reminder_offsets"]
        if len(offsets) > 3:
            raise forms.ValidationError(_("Choose at most three reminder times."))
        return offsets
