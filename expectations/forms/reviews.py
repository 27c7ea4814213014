"""Input for the review pages. Forms only parse and validate; the views hand cleaned_data to services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from expectations.models import ReviewTheme
from portal.forms import DateInput

SCALE = [
    (1, _("1 – not at all")),
    (2, _("2 – a little")),
    (3, _("3 – somewhat")),
    (4, _("4 – mostly")),
    (5, _("5 – very much")),
]


class ReviewRoundForm(forms.Form):
    title = forms.CharField(
        label=_("Title"), max_length=200, help_text=_("For example “Review of the policy 2026”.")
    )
    period_start = forms.DateField(label=_("Period from"), widget=DateInput())
    period_end = forms.DateField(
        label=_("Period to"),
        widget=DateInput(),
        help_text=_("The figures are counted as of the last day of the period."),
    )
    answers_due_on = forms.DateField(label=_("Answers due"), required=False, widget=DateInput())

    def clean_title(self):
        return self.cleaned_data["title"].strip()

    def clean(self):
        data = super().clean()
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("The period must end after it starts."))
        return data


class ReflectionQuestionForm(forms.Form):
    theme = forms.ChoiceField(label=_("Theme"), choices=ReviewTheme.choices, widget=forms.RadioSelect)
    text = forms.CharField(label=_("Question"), max_length=500, widget=forms.Textarea(attrs={"rows": 3}))

    def clean_text(self):
        return self.cleaned_data["text"].strip()


class InstitutionReviewForm(forms.Form):
    """One text field per reflection question (``answer_<pk>``), then the next steps."""

    next_steps = forms.CharField(
        label=_("Our next steps"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What you will do in the coming year, in a few concrete points."),
    )

    def __init__(self, *args, questions, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        answers = {}
        for question in questions:
            answers[f"answer_{question.pk}"] = forms.CharField(
                label=question.text,
                max_length=4000,
                required=False,
                widget=forms.Textarea(attrs={"rows": 4}),
            )
        # The questions first, in their order; the next steps last.
        self.fields = {**answers, "next_steps": self.fields["next_steps"]}

    def themes(self):
        """The answer fields grouped by theme, in the questions' order: [(theme label, [bound fields])]."""
        groups: dict[str, list] = {}
        for question in self.questions:
            groups.setdefault(question.get_theme_display(), []).append(self[f"answer_{question.pk}"])
        return list(groups.items())

    def answers(self) -> dict[int, str]:
        return {q.pk: self.cleaned_data.get(f"answer_{q.pk}", "") for q in self.questions}


class SatisfactionForm(forms.Form):
    clear = forms.TypedChoiceField(
        label=_("Is it clear what you and the institution can expect of each other?"),
        choices=SCALE,
        coerce=int,
        widget=forms.RadioSelect,
    )
    equal = forms.TypedChoiceField(
        label=_("Do you take part in the collaboration on an equal footing?"),
        choices=SCALE,
        coerce=int,
        widget=forms.RadioSelect,
    )
    concrete = forms.TypedChoiceField(
        label=_("Do you get concrete ideas for what you can do at home?"),
        choices=SCALE,
        coerce=int,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Anything you want to add?"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Do not write names. Comments are only shown, without names or dates, "
            "when at least five parents have written one."
        ),
    )
