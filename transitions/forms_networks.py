"""Forms of the parent networks."""

from datetime import datetime, time

from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from children.models import Child
from portal.forms import DateInput
from portal.meetings.forms.staff import TimeInput
from portal.organisation.models import Institution


class _FamilyChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        if obj.birth_date is None:
            return _("%(name)s, expected %(date)s") % {
                "name": obj.full_name,
                "date": date_format(obj.expected_on, "SHORT_DATE_FORMAT"),
            }
        return _("%(name)s, born %(date)s") % {
            "name": obj.full_name,
            "date": date_format(obj.birth_date, "SHORT_DATE_FORMAT"),
        }


def _children_field(required: bool):
    return _FamilyChoice(
        label=_("Families"),
        queryset=Child.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=required,
        error_messages={"required": _("Choose at least one family.")},
        help_text=_(
            "Families of your caseload from pregnancy week 26 until the child is 1½, not in another network."
        ),
    )


class NetworkForm(forms.Form):
    institution = forms.ModelChoiceField(label=_("Health visiting"), queryset=Institution.objects.none())
    name = forms.CharField(
        label=_("Name of the network"), max_length=100, help_text=_("For example: Netværk Vest, forår 2027.")
    )
    starts_on = forms.DateField(label=_("Starts"), widget=DateInput())
    children = _children_field(required=False)

    def __init__(self, *args, institutions, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["institution"].queryset = institutions
        self.fields["institution"].empty_label = None
        self.fields["children"].queryset = candidates.order_by(
            "expected_on", "birth_date", "first_name", "pk"
        )


class MembersForm(forms.Form):
    children = _children_field(required=True)

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["children"].queryset = candidates.order_by(
            "expected_on", "birth_date", "first_name", "pk"
        )


class NetworkMeetingForm(forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=150,
        required=False,
        help_text=_("For example: Sleep and the first months."),
    )
    day = forms.DateField(label=_("Date"), widget=DateInput())
    start = forms.TimeField(label=_("From"), widget=TimeInput, initial=time(10, 0))
    end = forms.TimeField(label=_("Until"), widget=TimeInput, initial=time(11, 30))
    location = forms.CharField(
        label=_("Where"), max_length=200, required=False, help_text=_("A room or an address.")
    )
    agenda = forms.CharField(
        label=_("What we talk about"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end <= start:
            self.add_error("end", _("The meeting must end after it starts."))
        return data

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "title": data["title"],
            "starts_at": timezone.make_aware(datetime.combine(data["day"], data["start"])),
            "ends_at": timezone.make_aware(datetime.combine(data["day"], data["end"])),
            "location": data["location"],
            "agenda": data["agenda"],
        }


class NameChoiceForm(forms.Form):
    agreed = forms.TypedChoiceField(
        label=_("May the other families in the network see your first names?"),
        choices=[
            ("yes", _("Yes: the families who have also said yes see our first names and our child's")),
            ("no", _("No: the others see us only as a family number")),
        ],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose yes or no.")},
        help_text=_("Never your last names or address. You can change your answer at any time."),
    )
