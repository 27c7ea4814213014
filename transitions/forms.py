from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.forms import DateInput
from portal.organisation.models import Group, Institution
from transitions.models import HandoverSection, ReadinessAssessment, ReadinessPart, SharingModel, Transition


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
