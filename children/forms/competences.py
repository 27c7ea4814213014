"""Input for the competence framework, the home activity library and the goal form's links to them.
Choices are always the municipality's own, so a posted id from elsewhere is refused as a choice."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from children.forms import FocusPointForm, LearningGoalForm
from children.models import CURRICULUM_THEMES, AgeBand, Competence, CompetenceAdvice, HomeActivity
from children.selectors.competences import activities_for_goal


class CompetenceForm(forms.ModelForm):
    class Meta:
        model = Competence
        fields = ["name_da", "name_en", "description_da", "description_en"]
        widgets = {
            "description_da": forms.Textarea(attrs={"rows": 3}),
            "description_en": forms.Textarea(attrs={"rows": 3}),
        }


class AdviceForm(forms.Form):
    """The advice of one age band, for parents and for professionals, in Danish and English."""

    parents_da = forms.CharField(
        label=_("For parents, in Danish"), max_length=1500, widget=forms.Textarea(attrs={"rows": 4})
    )
    parents_en = forms.CharField(
        label=_("For parents, in English"),
        max_length=1500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    professionals_da = forms.CharField(
        label=_("For professionals, in Danish"), max_length=1500, widget=forms.Textarea(attrs={"rows": 4})
    )
    professionals_en = forms.CharField(
        label=_("For professionals, in English"),
        max_length=1500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    @classmethod
    def initial_from(cls, page_band: dict) -> dict:
        initial = {}
        for audience in CompetenceAdvice.Audience.values:
            advice = page_band[audience]
            for language in ("da", "en"):
                initial[f"{audience}_{language}"] = getattr(advice, f"text_{language}") if advice else ""
        return initial

    def texts(self) -> dict[tuple[str, str], str]:
        return {
            (audience, language): self.cleaned_data[f"{audience}_{language}"]
            for audience in CompetenceAdvice.Audience.values
            for language in ("da", "en")
        }


class CompetenceChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class LibraryFilterForm(forms.Form):
    """The library's search: every filter optional; a value outside the choices is a form error."""

    band = forms.ChoiceField(label=_("Age"), required=False, choices=[("", _("All ages")), *AgeBand.choices])
    theme = forms.ChoiceField(
        label=_("Theme"),
        required=False,
        choices=[("", _("All themes")), *[(t.value, t.label) for t in CURRICULUM_THEMES]],
    )
    subject = forms.ChoiceField(
        label=_("School subject"),
        required=False,
        choices=[("", _("All subjects")), *HomeActivity.Subject.choices],
    )
    competence = forms.ModelChoiceField(
        label=_("Competence"),
        required=False,
        queryset=Competence.objects.none(),
        empty_label=_("All competences"),
    )
    text = forms.CharField(label=_("Words"), required=False, max_length=100)

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["competence"].queryset = Competence.objects.filter(municipality=municipality)
        self.fields["competence"].label_from_instance = lambda c: c.name

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        return {
            "band": AgeBand(data["band"]) if data["band"] else None,
            "theme": data["theme"],
            "subject": data["subject"],
            "competence": data["competence"],
            "text": data["text"].strip(),
        }


class ActivityChoiceField(forms.ChoiceField):
    """An activity of the library, offered grouped by theme or subject; cleans to the activity."""

    def __init__(self, *args, activities=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.activities = {str(a.pk): a for a in activities}
        groups: dict[str, list] = {}
        for a in activities:
            groups.setdefault(a.topic_label, []).append((str(a.pk), a.title))
        self.choices = [("", _("No idea from the library")), *groups.items()]

    def clean(self, value):
        value = super().clean(value)
        return self.activities.get(value) if value else None


class LinkedGoalForm(LearningGoalForm):
    """The goal form with the competences the goal builds and the library activity its home activity
    started from. ``idea`` (the id of a library activity, from the page's "start from an idea" choice)
    fills an unbound form's home activity with that idea's text, for the staff member to adapt."""

    FIELD_ORDER = [
        "title",
        "theme",
        "description",
        "competences",
        "home_activity_source",
        "home_activity",
        "status",
    ]

    def __init__(self, *args, child, institution, idea=None, **kwargs):
        super().__init__(*args, institution=institution, **kwargs)
        activities = activities_for_goal(institution.municipality_id, child)
        self.fields["competences"] = CompetenceChoiceField(
            label=_("Competences the goal builds"),
            queryset=Competence.objects.filter(municipality_id=institution.municipality_id),
            required=False,
            widget=forms.CheckboxSelectMultiple,
            help_text=_("From the municipality's shared competences. The parents see advice for each."),
        )
        source = ActivityChoiceField(
            label=_("Idea from the library"),
            required=False,
            activities=activities,
            help_text=_("The idea the home activity comes from, if any: staff see which ideas work."),
        )
        self.fields["home_activity_source"] = source
        self.idea_choices = source.choices[1:]
        if self.instance.pk:
            self.initial.setdefault("competences", [c.pk for c in self.instance.competences.all()])
            self.initial.setdefault("home_activity_source", self.instance.home_activity_source_id or "")
        chosen = source.activities.get(str(idea)) if idea else None
        if chosen is not None and not self.is_bound:
            self.initial["home_activity_source"] = str(chosen.pk)
            self.initial["home_activity"] = chosen.text_in(settings.LANGUAGE_CODE)
        self.chosen_idea = chosen
        self.order_fields(self.FIELD_ORDER)


class LinkedFocusPointForm(FocusPointForm):
    """The focus point form with the competences the focus point builds, from the framework of the
    plan's municipality (a posted id from elsewhere is not a choice)."""

    FIELD_ORDER = ["area", "title", "school_effort", "agreed", "home_support", "competences", "status"]

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, plan=plan, **kwargs)
        self.fields["competences"] = CompetenceChoiceField(
            label=_("Competences the focus point builds"),
            queryset=Competence.objects.filter(municipality_id=plan.institution.municipality_id),
            required=False,
            widget=forms.CheckboxSelectMultiple,
            help_text=_("From the municipality's shared competences. The parents see advice for each."),
            error_messages={
                "invalid_choice": _("Choose competences from your municipality's framework."),
            },
        )
        if self.instance.pk:
            self.initial.setdefault("competences", [c.pk for c in self.instance.competences.all()])
        self.order_fields(self.FIELD_ORDER)
