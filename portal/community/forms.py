from datetime import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.forms import DateInput


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


class StaffMessageForm(forms.Form):
    """The staff's own message to the group's parents: now, or at a time they choose."""

    body = forms.CharField(
        label=_("Your message to the group's parents"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": _("Write the message.")},
        help_text=_("Every parent of a child in the group gets it. Write nothing about one child."),
    )
    when = forms.ChoiceField(
        label=_("When should it go out?"),
        choices=[("now", _("Now")), ("later", _("At a time I choose"))],
        widget=forms.RadioSelect,
    )
    send_on = forms.DateField(label=_("Day"), required=False, widget=DateInput())
    send_time = forms.TimeField(
        label=_("Time"), required=False, widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )

    def clean(self):
        data = super().clean()
        if data.get("when") == "later":
            if not data.get("send_on"):
                self.add_error("send_on", _("Choose the day it should go out."))
            if not data.get("send_time"):
                self.add_error("send_time", _("Choose the time it should go out."))
        return data

    def send_at(self):
        data = self.cleaned_data
        if data["when"] != "later":
            return None
        return timezone.make_aware(datetime.combine(data["send_on"], data["send_time"]))
