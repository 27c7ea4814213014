"""Forms for related plans: record one, end it, and the custody holders' yes or no per institution."""

from django import forms
from django.utils.translation import gettext_lazy as _

from children.models import RelatedPlan
from portal.forms import DateInput


class RelatedPlanForm(forms.ModelForm):
    class Meta:
        model = RelatedPlan
        fields = [
            "kind",
            "coordinator_name",
            "coordinator_role",
            "coordinator_phone",
            "coordinator_email",
            "since",
        ]
        widgets = {"kind": forms.RadioSelect, "since": DateInput}
        help_texts = {
            "coordinator_name": _("The caseworker in the municipality who coordinates the plan."),
            "coordinator_role": _("For example caseworker, Family Department."),
            "since": _("The day the plan began."),
        }


class RelatedPlanEndForm(forms.Form):
    ended_on = forms.DateField(label=_("Ended on"), widget=DateInput)


class RelatedPlanConsentForm(forms.Form):
    institution = forms.IntegerField(min_value=1, max_value=2**63 - 1)
    give = forms.TypedChoiceField(
        choices=[("yes", _("Yes")), ("no", _("No"))], coerce=lambda value: value == "yes"
    )
