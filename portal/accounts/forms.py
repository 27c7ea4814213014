from allauth.account.internal.stagekit import clear_login
from allauth.core import context
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.mfa.adapter import get_adapter as get_mfa_adapter
from allauth.mfa.base.forms import AuthenticateForm
from django import forms
from django.contrib import messages
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _

from children.models import Guardianship
from portal.organisation.models import StaffMembership


class _PersonForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    email = forms.EmailField(label=_("E-mail address"), max_length=254)


class StaffInvitationForm(_PersonForm):
    institution = forms.ModelChoiceField(label=_("Institution"), queryset=None, empty_label=None)
    role = forms.ChoiceField(label=_("Role"), choices=StaffMembership.Role.choices)

    def __init__(self, *args, institutions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["institution"].queryset = institutions.order_by("name")


class AdministratorInvitationForm(_PersonForm):
    pass


class GuardianInvitationForm(_PersonForm):
    relation = forms.ChoiceField(label=_("Relation to the child"), choices=Guardianship.Relation.choices)
    has_custody = forms.BooleanField(
        label=_("Holds custody"),
        required=False,
        initial=True,
        help_text=_(
            "A parent without custody can follow the child but cannot make decisions or give consent."
        ),
    )


class AcceptInvitationForm(forms.Form):
    use_code = forms.BooleanField(
        label=_("I would rather not have a password"),
        required=False,
        help_text=_("Then you log in with a code we e-mail to you each time."),
    )
    password1 = forms.CharField(
        label=_("Choose a password"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 10 characters. Not only numbers, and not a common password."),
    )
    password2 = forms.CharField(
        label=_("Repeat the password"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, invitation, **kwargs):
        super().__init__(*args, **kwargs)
        self.invitation = invitation

    def clean(self):
        data = super().clean()
        p1, p2 = data.get("password1"), data.get("password2")
        if data.get("use_code"):
            data["password1"] = data["password2"] = ""
            return data
        if not p1:
            self.add_error(
                "password1", _("Choose a password, or tick that you would rather log in with a code.")
            )
        elif p1 != p2:
            self.add_error("password2", _("The two passwords are not the same."))
        elif p1:
            from portal.accounts.models import User

            probe = User(
                email=self.invitation.email,
                first_name=self.invitation.first_name,
                last_name=self.invitation.last_name,
            )
            try:
                password_validation.validate_password(p1, probe)
            except forms.ValidationError as e:
                self.add_error("password1", e)
        return data


class MFAAuthenticateForm(AuthenticateForm):
    """allauth's two-step code check at login, counting wrong codes in a row per person (allauth only
    slows them down): every tenth ends the pending login and mails the person; at
    MFA_FAILURES_TO_LOCK no code is checked until the password is reset (AccountAdapter.set_password)."""

    def clean_code(self) -> str:
        from portal.accounts import policies, services

        if not policies.can_log_in_with_mfa(self.user):
            raise get_mfa_adapter().validation_error("mfa_locked")
        try:
            code = super().clean_code()
        except ValidationError as error:
            if error.code == "incorrect_code":
                failures = services.user_mfa_failure_record(user=self.user)
                if failures % policies.MFA_FAILURES_TO_END_LOGIN == 0:
                    self._end_login()
            raise
        services.user_mfa_failures_reset(user=self.user)
        return code

    def _end_login(self):
        request = context.request
        clear_login(request)
        messages.error(request, _("Too many wrong codes. Log in again."))
        raise ImmediateHttpResponse(redirect("account_login"))


class MFASetupCodeForm(forms.Form):
    code = forms.CharField(label=_("Code from the e-mail"), max_length=20, strip=True)
