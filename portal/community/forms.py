from django import forms
from django.utils.translation import gettext_lazy as _


class NameSharingForm(forms.Form):
    show_name = forms.TypedChoiceField(
        label=_("May the other parents in the group see your child's first name?"),
        choices=[
            ("yes", _("Yes, when everyone in our family with custody has said yes")),
            ("no", _("No, not now")),
        ],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose yes or no.")},
        help_text=_(
            "Only the first name, never the last name, address or anything else. You can change your answer "
            "at any time."
        ),
    )
