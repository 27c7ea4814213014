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


class GroupMessageForm(forms.Form):
    body = forms.CharField(
        label=_("Your message to the group's parents"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": _("Write the message.")},
        help_text=_(
            "The staff read it before it goes out. Write nothing about a child's health or problems."
        ),
    )


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is it not sent? The contact parent reads this."),
        max_length=300,
        error_messages={"required": _("Tell the contact parent why the message is not sent.")},
    )
