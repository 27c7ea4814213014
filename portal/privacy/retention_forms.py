from django import forms
from django.utils.translation import gettext_lazy as _

from portal.privacy.retention import KINDS


class RetentionForm(forms.Form):
    """One number of days per kind of data, within the kind's bounds."""

    def __init__(self, *args, periods: dict[str, int], **kwargs):
        super().__init__(*args, **kwargs)
        for kind in KINDS:
            self.fields[kind.key] = forms.IntegerField(
                label=kind.label,
                min_value=kind.minimum_days,
                max_value=kind.maximum_days,
                initial=periods[kind.key],
                help_text=_("Days. The portal's default is %(days)s days: %(reason)s")
                % {"days": kind.default_days, "reason": kind.reason},
                widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
            )
