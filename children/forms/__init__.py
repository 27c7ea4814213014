from django import forms
from django.utils.translation import gettext_lazy as _

from children.models import FocusPoint, LearningGoal


class LearningGoalForm(forms.ModelForm):
    class Meta:
        model = LearningGoal
        fields = ["title", "theme", "description", "home_activity", "status"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "home_activity": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, institution=None, **kwargs):
        super().__init__(*args, **kwargs)
        # Daycare works with the six curriculum themes; schools add the subjects.
        if institution is not None and institution.is_daycare:
            daycare = {
                LearningGoal.Theme.PERSONAL,
                LearningGoal.Theme.SOCIAL,
                LearningGoal.Theme.LANGUAGE,
                LearningGoal.Theme.BODY,
                LearningGoal.Theme.NATURE,
                LearningGoal.Theme.CULTURE,
            }
            self.fields["theme"].choices = [
                c for c in self.fields["theme"].choices if not c[0] or c[0] in daycare
            ]


class FocusPointForm(forms.ModelForm):
    class Meta:
        model = FocusPoint
        fields = ["area", "title", "school_effort", "agreed", "home_support", "status"]
        widgets = {
            "school_effort": forms.Textarea(attrs={"rows": 4}),
            "agreed": forms.Textarea(attrs={"rows": 3}),
            "home_support": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "agreed": _("What you agreed with the pupil and the parents, if anything."),
            "home_support": _("Something concrete the family can do, in plain words."),
        }

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        # The areas the pupil plan covers at the pupil's class level (an existing point keeps its own).
        allowed = set(FocusPoint.areas_for(plan.school_year))
        if self.instance.pk:
            allowed.add(self.instance.area)
        self.fields["area"].choices = [c for c in self.fields["area"].choices if not c[0] or c[0] in allowed]


class PlanNoteForm(forms.Form):
    """A note on one goal or focus point; the kinds offered are the ones the viewer may write."""

    entry = forms.CharField(widget=forms.HiddenInput)
    kind = forms.ChoiceField(label=_("Kind of note"))
    text = forms.CharField(label=_("Your note"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    observed_on = forms.DateField(
        label=_("Date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("For “what we saw”: the day you saw it."),
    )

    file = forms.FileField(label=_("Photo or file"), required=False)
    caption = forms.CharField(label=_("What it shows"), max_length=200, required=False)

    def __init__(self, *args, kinds, entries, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = kinds
        self._entries = entries  # {"goal-1": goal, "focus-2": focus point}

    def clean_entry(self):
        entry = self._entries.get(self.cleaned_data["entry"])
        if entry is None:
            raise forms.ValidationError(_("Choose the goal or focus point the note is about."))
        return entry


class PlanPublishForm(forms.Form):
    note = forms.CharField(
        label=_("What is new (optional)"),
        required=False,
        max_length=300,
        help_text=_("A short line the family sees with the version."),
    )
