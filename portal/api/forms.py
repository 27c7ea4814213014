from django import forms
from django.utils.translation import gettext_lazy as _

from portal.api.models import ApiClient


class ApiClientForm(forms.Form):
    name = forms.CharField(
        label=_("Name of the system"),
        max_length=100,
        help_text=_("For example the school administration system."),
    )
    scopes = forms.MultipleChoiceField(
        label=_("May read"), choices=ApiClient.Scope.choices, widget=forms.CheckboxSelectMultiple
    )
