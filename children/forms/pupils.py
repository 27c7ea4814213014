from django import forms
from django.utils.translation import gettext_lazy as _

from children.models.pupils import PUPIL_TEXT_MAX


class PupilSignupForm(forms.Form):
    """The "I'm a pupil" page: the code from the teacher, the pupil's e-mail address and a password."""

    code = forms.CharField(
        label=_("The code from your teacher"),
        max_length=20,
        help_text=_("8 letters and numbers, for example ABCD-2345."),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )
    email = forms.EmailField(
        label=_("Your e-mail address"),
        max_length=254,
        help_text=_("You log in with it. We only write to it about your login."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    password1 = forms.CharField(
        label=_("Choose a password"),
        strip=False,
        max_length=200,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 10 characters. Not only numbers, and not a common password."),
    )
    password2 = forms.CharField(
        label=_("Repeat the password"),
        strip=False,
        max_length=200,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self):
        data = super().clean()
        p1, p2 = data.get("password1"), data.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("The two passwords are not the same."))
        return data


class PupilReflectionForm(forms.Form):
    focus_point = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**63 - 1)
    text = forms.CharField(
        label=_("What do you think?"),
        max_length=PUPIL_TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean_focus_point(self):
        return self.cleaned_data["focus_point"]


class PupilMessageForm(forms.Form):
    text = forms.CharField(
        label=_("Your message to your parents"),
        max_length=PUPIL_TEXT_MAX,
        help_text=_("How can your parents help you with your focus points?"),
        widget=forms.Textarea(attrs={"rows": 4}),
    )
