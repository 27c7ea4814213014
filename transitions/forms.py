from datetime import datetime, time

from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from portal.forms import DateInput
from portal.meetings.forms.staff import TimeInput
from portal.organisation.models import Group, Institution
from transitions.models import (
    HandoverSection,
    ReadinessAssessment,
    ReadinessPart,
    SharingModel,
    Transition,
    Visit,
)


class _PlaceChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class _GroupChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.institution.name})"


class TransitionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of move"), choices=Transition.Kind.choices)
    receiving_institution = _PlaceChoice(label=_("The new place"), queryset=Institution.objects.none())
    receiving_group = _GroupChoice(
        label=_("Group at the new place"),
        queryset=Group.objects.none(),
        required=False,
        help_text=_("When it is known."),
    )
    planned_on = forms.DateField(label=_("Date of the move"), widget=DateInput())

    def __init__(self, *args, municipality, exclude_institution=None, **kwargs):
        super().__init__(*args, **kwargs)
        places = Institution.objects.filter(municipality=municipality, is_active=True).order_by("name")
        if exclude_institution is not None:
            places = places.exclude(pk=exclude_institution.pk)
        self.fields["receiving_institution"].queryset = places
        self.fields["receiving_group"].queryset = (
            Group.objects.filter(institution__in=places)
            .select_related("institution")
            .order_by("institution__name", "name")
        )

    def clean(self):
        data = super().clean()
        group, place = data.get("receiving_group"), data.get("receiving_institution")
        if group is not None and place is not None and group.institution_id != place.pk:
            self.add_error("receiving_group", _("The group must be at the place the child moves to."))
        return data


class CohortForm(TransitionForm):
    """ "All children in group X born in year Y start at place Z on date D"."""

    group = _GroupChoice(label=_("Children in the group"), queryset=Group.objects.none())
    birth_year = forms.IntegerField(label=_("Born in"), min_value=1990, max_value=2100)

    field_order = ["group", "birth_year", "kind", "receiving_institution", "receiving_group", "planned_on"]

    def __init__(self, *args, groups, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = groups.select_related("institution").order_by(
            "institution__name", "name"
        )
        self.fields["birth_year"].initial = timezone.localdate().year - 6


class SectionForm(forms.Form):
    text = forms.CharField(
        label=_("Text"), widget=forms.Textarea(attrs={"rows": 5}), required=False, max_length=5000
    )


class ConsentForm(forms.Form):
    section = forms.IntegerField(min_value=1, max_value=2**62)
    give = forms.TypedChoiceField(
        choices=[("yes", _("Yes")), ("no", _("No"))], coerce=lambda value: value == "yes"
    )


class SharingModelForm(forms.Form):
    sharing_model = forms.ChoiceField(
        label=_("How are handovers passed on to the next place?"),
        choices=SharingModel.choices,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Choose one of the two ways to share.")},
        help_text=_(
            "Applies to handovers started from now on. Handovers already started keep the way they "
            "were started with, so nobody's yes or no changes meaning."
        ),
    )


SECTION_QUESTIONS = {
    HandoverSection.Kind.STRENGTHS: _("What is the child good at, and what do they love doing?"),
    HandoverSection.Kind.FRIENDSHIPS: _("Who does the child play with, and how do they join in with others?"),
    HandoverSection.Kind.LANGUAGE: _("How does the child talk, listen and tell, in which languages?"),
    HandoverSection.Kind.WHAT_HELPS: _("What helps the child on a hard day, and in new situations?"),
    HandoverSection.Kind.PLAN_SUMMARY: _("What has the child worked on (goals and shared competences)?"),
    HandoverSection.Kind.CONCERNS: _("Is there anything to watch, or support the child gets or needs?"),
    HandoverSection.Kind.PARENTS_VIEW: _(
        "In your own words: what your child is good at and loves, friends, language, what helps, "
        "and anything you want the new place to know."
    ),
}


class _ChildChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return _("%(name)s, from %(place)s, moving %(date)s") % {
            "name": obj.child.full_name,
            "place": obj.sending_institution.name,
            "date": date_format(obj.planned_on, "SHORT_DATE_FORMAT"),
        }


class VisitForm(forms.Form):
    """A visit for one child or a cohort: which children, what kind, when and where."""

    transitions = _ChildChoice(
        label=_("Children on the visit"),
        queryset=Transition.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one child.")},
        help_text=_("Each family is invited and reminded, and the visit goes in their calendar."),
    )
    kind = forms.ChoiceField(label=_("Kind of visit"), choices=Visit.Kind.choices, widget=forms.RadioSelect)
    timing = forms.ChoiceField(
        label=_("Before or after the move"),
        choices=Visit.Timing.choices,
        initial=Visit.Timing.BEFORE,
        widget=forms.RadioSelect,
    )
    day = forms.DateField(label=_("Date"), widget=DateInput())
    start = forms.TimeField(label=_("From"), widget=TimeInput, initial=time(9, 30))
    end = forms.TimeField(label=_("Until"), widget=TimeInput, initial=time(11, 0))
    location = forms.CharField(
        label=_("Where"), max_length=200, required=False, help_text=_("A room or an address.")
    )
    description = forms.CharField(
        label=_("What happens"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("For example: we see the classroom, have lunch in the canteen and play in the yard."),
    )

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["transitions"].queryset = candidates.select_related(
            "child", "sending_institution"
        ).order_by("planned_on", "child__first_name", "pk")

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end <= start:
            self.add_error("end", _("The visit must end after it starts."))
        return data

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "transitions": list(data["transitions"]),
            "kind": data["kind"],
            "timing": data["timing"],
            "starts_at": timezone.make_aware(datetime.combine(data["day"], data["start"])),
            "ends_at": timezone.make_aware(datetime.combine(data["day"], data["end"])),
            "location": data["location"],
            "description": data["description"],
        }


class ReadinessConfirmForm(forms.Form):
    disagrees = forms.BooleanField(label=_("I disagree with the assessment"), required=False)
    disagreement = forms.CharField(
        label=_("What do you disagree with?"),
        help_text=_("Only if you disagree. It is kept with the assessment."),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=3000,
    )

    def clean(self):
        data = super().clean()
        if data.get("disagrees") and not (data.get("disagreement") or "").strip():
            self.add_error("disagreement", _("Write what you disagree with."))
        return data


class ReadinessDecisionForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("What was decided with the parents?"),
        choices=ReadinessAssessment.Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose what was decided."),
            "invalid_choice": _("Choose what was decided."),
        },
    )
    note = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=2000
    )


READINESS_QUESTIONS = {
    ReadinessPart.Kind.LEADER_VIEW: _(
        "How is the child doing, and what makes you consider whether the child is ready to start school?"
    ),
    ReadinessPart.Kind.DAYCARE_SUPPORT: _("What will daycare do to support the child until school starts?"),
    ReadinessPart.Kind.PARENTS_VIEW: _(
        "In your own words: how do you see your child, and do you think your child is ready to start school?"
    ),
    ReadinessPart.Kind.SCHOOL_VIEW: _(
        "How can the school meet the child, and what do you as the school's leader think of the school start?"
    ),
}
