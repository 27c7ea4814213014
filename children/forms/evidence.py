from django import forms
from django.utils.translation import gettext_lazy as _

CAPTION_HELP = _("A few words about what it shows. People who cannot see the picture read this.")
FILE_HELP = _("A photo (JPEG, PNG, WebP or HEIC), a PDF or a short MP4 video.")


class EvidenceForm(forms.Form):
    """A photo or file for one goal or focus point of the draft."""

    entry = forms.CharField(widget=forms.HiddenInput)
    file = forms.FileField(label=_("Photo or file"), help_text=FILE_HELP)
    caption = forms.CharField(label=_("What it shows"), max_length=200, help_text=CAPTION_HELP)

    def __init__(self, *args, entries, **kwargs):
        super().__init__(*args, **kwargs)
        self._entries = entries  # {"goal-1": goal, "focus-2": focus point}

    def clean_entry(self):
        entry = self._entries.get(self.cleaned_data["entry"])
        if entry is None:
            raise forms.ValidationError(_("Choose the goal or focus point the file is about."))
        return entry
