from django import forms
from django.utils.translation import gettext_lazy as _

from portal.forms import DateInput
from portal.organisation.models import Group, Institution, StaffMembership


class InstitutionForm(forms.ModelForm):
    class Meta:
        model = Institution
        fields = ["name", "kind", "address", "phone", "email", "is_active"]

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        self.municipality = municipality

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        clash = Institution.objects.filter(municipality=self.municipality, name__iexact=name)
        if self.instance.pk:
            clash = clash.exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError(
                _("There is already an institution with this name in the municipality.")
            )
        return name


class GroupForm(forms.ModelForm):
    class Meta:
        model = Group
        fields = ["name", "school_year"]

    def __init__(self, *args, institution, **kwargs):
        super().__init__(*args, **kwargs)
        self.institution = institution
        if institution.kind != Institution.Kind.SCHOOL and institution.kind != Institution.Kind.AFTER_SCHOOL:
            del self.fields["school_year"]

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        clash = Group.objects.filter(institution=self.institution, name__iexact=name)
        if self.instance.pk:
            clash = clash.exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError(_("The institution already has a group with this name."))
        return name


class AuditSearchForm(forms.Form):
    child = forms.CharField(label=_("Child's name"), required=False, max_length=100)
    actor = forms.CharField(label=_("Who (name or e-mail)"), required=False, max_length=100)
    date_from = forms.DateField(label=_("From date"), required=False, widget=DateInput)
    date_to = forms.DateField(label=_("To date"), required=False, widget=DateInput)

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            raise forms.ValidationError(_("The from date cannot be after the to date."))
        return data


class MembershipForm(forms.ModelForm):
    """A staff member's role, groups and whether parents see them as a contact."""

    class Meta:
        model = StaffMembership
        fields = ["role", "groups", "is_contact"]
        widgets = {"groups": forms.CheckboxSelectMultiple}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["groups"].queryset = self.instance.institution.groups.order_by("school_year", "name")
        self.fields["groups"].help_text = _(
            "Pedagogues, teachers and childminders write learning goals for the children in their groups."
        )
