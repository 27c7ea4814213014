"""Input for the charter pages. Forms only parse and validate; the views hand cleaned_data to services."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from expectations.models import Side
from portal.forms import DateInput
from portal.organisation.models import Institution

AGE_MAX_MONTHS = 300  # 25 years: well past youth education


def _not_in_future(value, message):
    if value and value > timezone.localdate():
        raise forms.ValidationError(message)
    return value


class CharterVersionForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    introduction = forms.CharField(
        label=_("Introduction"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("A few sentences for parents and staff on why the charter exists."),
    )

    def clean_title(self):
        return self.cleaned_data["title"].strip()


class CharterVersionCreateForm(CharterVersionForm):
    copy_in_force = forms.BooleanField(
        label=_("Start from the items of the version in force"),
        required=False,
        initial=True,
    )

    def __init__(self, *args, has_in_force: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not has_in_force:
            del self.fields["copy_in_force"]


class CharterItemForm(forms.Form):
    side = forms.ChoiceField(label=_("Whose responsibility"), choices=Side.choices, widget=forms.RadioSelect)
    title = forms.CharField(label=_("Heading"), max_length=200)
    text = forms.CharField(
        label=_("Text"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Plain language, written to parents. Short sentences."),
    )
    age_from_months = forms.IntegerField(
        label=_("From age (months)"), required=False, min_value=0, max_value=AGE_MAX_MONTHS
    )
    age_to_months = forms.IntegerField(
        label=_("To age (months)"),
        required=False,
        min_value=0,
        max_value=AGE_MAX_MONTHS,
        help_text=_("Leave both ages empty if the item applies at every age."),
    )
    institution_kinds = forms.MultipleChoiceField(
        label=_("Applies to these kinds of institution"),
        choices=Institution.Kind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Tick none if the item applies everywhere."),
    )

    def clean_title(self):
        return self.cleaned_data["title"].strip()

    def clean(self):
        data = super().clean()
        low, high = data.get("age_from_months"), data.get("age_to_months")
        if low is not None and high is not None and high < low:
            self.add_error("age_to_months", _("The upper age must be the same as or above the lower age."))
        return data


class CharterApproveForm(forms.Form):
    approved_on = forms.DateField(label=_("Approved on"), widget=DateInput())
    approved_by_body = forms.CharField(
        label=_("Approved by"),
        max_length=200,
        help_text=_("The political body, e.g. the children and youth committee (Børne- og Ungeudvalget)."),
    )

    def clean_approved_on(self):
        return _not_in_future(
            self.cleaned_data["approved_on"], _("The approval date cannot be in the future.")
        )

    def clean_approved_by_body(self):
        return self.cleaned_data["approved_by_body"].strip()


class CharterInForceForm(forms.Form):
    in_force_from = forms.DateField(label=_("In force from"), widget=DateInput())


class InstitutionPrinciplesForm(forms.Form):
    text = forms.CharField(
        label=_("Principles"),
        max_length=8000,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_("The board's principles for the collaboration between the institution and the parents."),
    )
    adopted_on = forms.DateField(label=_("Adopted on"), widget=DateInput())
    adopted_by = forms.CharField(
        label=_("Adopted by"), max_length=200, help_text=_("E.g. the school board or the parent board.")
    )

    def clean_adopted_on(self):
        return _not_in_future(
            self.cleaned_data["adopted_on"], _("The adoption date cannot be in the future.")
        )
