"""Input for the guardians' meeting pages: booking and moving a time, questions, the interpreter and
how the portal reaches them. Forms parse; the services in ``portal/meetings/services`` decide and save.

The time a guardian picks is checked against every time of the period (not only the free ones), so a
time someone else took in the meantime reaches the booking service, which answers with its own clear
message instead of "not a valid choice"."""

import re

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from portal.meetings.models import Slot

INTERPRETER_HELP = _("For example Arabic or Somali. Leave empty if you do not need an interpreter.")


class SlotChoiceField(forms.ModelChoiceField):
    default_error_messages = {
        "required": _("Choose a time."),
        "invalid_choice": _("Choose one of the times shown."),
    }


class BookingForm(forms.Form):
    slot = SlotChoiceField(label=_("Choose a time"), queryset=Slot.objects.none(), empty_label=None)
    interpreter_language = forms.CharField(
        label=_("Do you need an interpreter? Which language?"),
        max_length=50,
        required=False,
        help_text=INTERPRETER_HELP,
    )
    topic = forms.CharField(
        label=_("Is there something you would like to talk about?"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The staff read it before the meeting."),
    )

    def __init__(self, *args, period, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slot"].queryset = period.slots.all()


class MoveForm(forms.Form):
    slot = SlotChoiceField(label=_("Choose a new time"), queryset=Slot.objects.none(), empty_label=None)

    def __init__(self, *args, period, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slot"].queryset = period.slots.all()


class ResponseForm(forms.Form):
    """Coming to a parent meeting or not, and with how many adults."""

    YES, NO = "yes", "no"

    coming = forms.ChoiceField(
        label=_("Are you coming?"),
        choices=[(YES, _("Yes, I am coming")), (NO, _("No, I cannot come"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose whether you are coming.")},
    )
    adults = forms.IntegerField(
        label=_("How many adults are coming?"),
        min_value=1,
        max_value=10,
        initial=1,
        required=False,
        help_text=_("Count yourself too. Only if you are coming."),
    )

    def clean(self):
        data = super().clean()
        data["coming"] = data.get("coming") == self.YES
        if data["coming"] and not data.get("adults"):
            data["adults"] = 1
        return data


class TopicForm(forms.Form):
    text = forms.CharField(
        label=_("Add a question or topic"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Write your question or topic.")},
    )


class InterpreterForm(forms.Form):
    interpreter_language = forms.CharField(
        label=_("Interpreter needed for"),
        max_length=50,
        required=False,
        help_text=INTERPRETER_HELP,
    )


_SEPARATORS = re.compile(r"[\s\-().]")
_E164 = re.compile(r"^\+[1-9]\d{6,14}$")


def normalise_phone(value: str) -> str:
    """A mobile number in E.164 (+4512345678): eight Danish digits get +45, 00 becomes +."""
    number = _SEPARATORS.sub("", value)
    if not number:
        return ""
    if number.startswith("00"):
        number = "+" + number[2:]
    if re.fullmatch(r"\d{8}", number):
        number = "+45" + number
    if not _E164.match(number) or (number.startswith("+45") and len(number) != 11):
        raise forms.ValidationError(
            _("Write the number as 8 digits, or with its country code, for example +45 12 34 56 78."),
            code="invalid",
        )
    return number


class ContactSettingsForm(forms.Form):
    notify_by_email = forms.BooleanField(label=_("By e-mail"), required=False)
    notify_by_sms = forms.BooleanField(label=_("By text message"), required=False)
    phone = forms.CharField(
        label=_("Mobile number"),
        max_length=25,
        required=False,
        help_text=_("Needed for text messages. For example 12 34 56 78."),
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    language = forms.ChoiceField(
        label=_("Language of the messages"), choices=settings.LANGUAGES, widget=forms.RadioSelect
    )

    def __init__(self, *args, languages=None, **kwargs):
        super().__init__(*args, **kwargs)
        if languages is not None:
            self.fields["language"].choices = languages

    def clean_phone(self):
        return normalise_phone(self.cleaned_data["phone"])

    def clean(self):
        data = super().clean()
        if data.get("notify_by_sms") and not data.get("phone") and "phone" not in self.errors:
            self.add_error("phone", _("Write your mobile number to get text messages."))
        return data
