"""Input for language assessments. Forms parse; the services in ``children/services/language.py``
decide and save."""

from datetime import datetime, time, timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from children.models import (
    HomeActivity,
    HomeActivityTry,
    LanguageAssessment,
    LanguageObservation,
    LanguageResult,
)
from portal.forms import DateInput
from portal.meetings.forms.staff import TimeInput


class ActivityChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.title


class AssessmentCreateForm(forms.Form):
    planned_on = forms.DateField(
        label=_("Planned for"),
        required=False,
        widget=DateInput,
        help_text=_("The day you expect to make the assessment. The parents see it."),
    )


class ObservationForm(forms.ModelForm):
    """The parents' short form before the assessment, in plain words."""

    danish_at_home = forms.TypedChoiceField(
        label=_("Is Danish one of them?"),
        choices=[("yes", _("Yes")), ("no", _("No"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )

    class Meta:
        model = LanguageObservation
        fields = [
            "home_languages",
            "danish_at_home",
            "tells_about_things",
            "follows_two_steps",
            "enjoys_stories",
            "wonders",
        ]
        widgets = {
            "tells_about_things": forms.RadioSelect,
            "follows_two_steps": forms.RadioSelect,
            "enjoys_stories": forms.RadioSelect,
            "wonders": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, child, **kwargs):
        super().__init__(*args, **kwargs)
        name = child.first_name
        f = self.fields
        f["home_languages"].label = _("Which languages do you speak with %(name)s at home?") % {"name": name}
        f["home_languages"].help_text = _("For example: Danish, or Arabic and Danish.")
        f["tells_about_things"].label = _(
            "Does %(name)s tell you about things that happened, in short sentences?"
        ) % {"name": name}
        f["follows_two_steps"].label = _(
            "Does %(name)s do two things when you ask in one go? For example: “Take off your shoes and "
            "hang up your jacket.”"
        ) % {"name": name}
        f["enjoys_stories"].label = _("Does %(name)s like books, stories or songs?") % {"name": name}
        f["wonders"].label = _("Is there anything about %(name)s's language you wonder or worry about?") % {
            "name": name
        }
        for answer in ("tells_about_things", "follows_two_steps", "enjoys_stories"):
            f[answer].choices = [c for c in f[answer].choices if c[0]]
        if self.instance.pk:
            self.initial["danish_at_home"] = "yes" if self.instance.danish_at_home else "no"


class ResultForm(forms.Form):
    assessed_on = forms.DateField(label=_("Assessed on"), widget=DateInput)
    result = forms.ChoiceField(label=_("Result"), choices=LanguageResult.choices, widget=forms.RadioSelect)
    tool_result = forms.CharField(
        label=_("The result as the national tool gives it"),
        max_length=200,
        required=False,
        help_text=_("Copy the tool's own words, if you like."),
    )
    summary = forms.CharField(
        label=_("What we saw, in plain words for the parents"),
        max_length=3000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    share = forms.BooleanField(
        label=_("Show the result to the parents now"),
        required=False,
        help_text=_("Usually at the talk. Once shown, the parents can read it and the home plan."),
    )

    def __init__(self, *args, assessment: LanguageAssessment, **kwargs):
        super().__init__(*args, **kwargs)
        if assessment.stage != LanguageAssessment.Stage.SCHOOL_START:
            del self.fields["tool_result"]
        if assessment.is_shared:
            del self.fields["share"]

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "assessed_on": data["assessed_on"],
            "result": data["result"],
            "summary": data["summary"],
            "tool_result": data.get("tool_result", ""),
            "share": data.get("share", False),
        }


class TalkForm(forms.Form):
    """The talk with the family about the assessment: one meeting of the language-assessment kind."""

    day = forms.DateField(label=_("Date"), widget=DateInput)
    start = forms.TimeField(label=_("From"), widget=TimeInput, initial=time(14, 0))
    end = forms.TimeField(label=_("Until"), widget=TimeInput, initial=time(14, 30))
    location = forms.CharField(label=_("Where"), max_length=200, required=False)
    video_url = forms.URLField(label=_("Video link"), required=False, assume_scheme="https")
    agenda = forms.CharField(
        label=_("Agenda"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        initial=_("What we saw in the language assessment, and what you can do at home."),
    )
    preparation = forms.CharField(
        label=_("How the family can prepare"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
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
            "starts_at": timezone.make_aware(datetime.combine(data["day"], data["start"])),
            "ends_at": timezone.make_aware(datetime.combine(data["day"], data["end"])),
            "location": data["location"],
            "video_url": data["video_url"],
            "agenda": data["agenda"],
            "preparation": data["preparation"],
        }


class HomePlanForm(forms.Form):
    activities = ActivityChoices(
        label=_("Activities for the family"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Suggestions for the result, the child's age and the family's languages. Choose one to six."
        ),
    )
    note = forms.CharField(
        label=_("A few words to the family"),
        max_length=1500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    follow_up_on = forms.DateField(
        label=_("Follow up on"),
        widget=DateInput,
        help_text=_("When you and the family talk about how it goes."),
    )

    def __init__(self, *args, suggestions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["activities"].queryset = HomeActivity.objects.filter(pk__in=[a.pk for a in suggestions])
        self.fields["activities"].choices = [(a.pk, f"{a.title}: {a.text}") for a in suggestions]
        self.suggestions = suggestions
        if not self.is_bound and "follow_up_on" not in self.initial:
            self.initial["follow_up_on"] = timezone.localdate() + timedelta(weeks=8)


class FollowUpForm(forms.Form):
    note = forms.CharField(label=_("How it goes"), max_length=1500, widget=forms.Textarea(attrs={"rows": 3}))
    next_on = forms.DateField(
        label=_("Follow up again on"),
        required=False,
        widget=DateInput,
        help_text=_("Leave empty when the follow-up is done."),
    )


class TryForm(forms.Form):
    """A guardian's "we tried it: how it went" about one activity of the home plan."""

    activity = forms.TypedChoiceField(label=_("Activity"), coerce=int)
    outcome = forms.ChoiceField(
        label=_("How did it go?"), choices=HomeActivityTry.Outcome.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label=_("A few words (optional)"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        # The plan's activities as the page has them (prefetched): no query of its own.
        self.activities = {a.pk: a for a in plan.activities.all()}
        self.fields["activity"].choices = [(pk, a.title) for pk, a in self.activities.items()]

    def clean_activity(self):
        return self.activities[self.cleaned_data["activity"]]
