"""Input for expectation agreements. Forms parse and check; the services save."""

from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from expectations.models import Commitment, CommitmentSide, CommitmentSuggestion, ExpectationAgreement
from portal.forms import DateInput

Topic = ExpectationAgreement.Topic
NEW_ROWS = 3
DEFAULT_REVIEW_AFTER = timedelta(days=182)


class SuggestionChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.text} ({obj.how_often})" if obj.how_often else obj.text


class AgreementForm(forms.Form):
    """One form to start or change an agreement: commitments (from the catalogue or written freely, for
    both sides), the family's wishes and resources, and the dates."""

    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    institution_suggestions = SuggestionChoiceField(
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Suggestions: what the institution does"),
    )
    family_suggestions = SuggestionChoiceField(
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Suggestions: what the family does"),
    )
    remove_commitments = forms.TypedMultipleChoiceField(
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Remove these commitments"),
    )
    preferred_language = forms.CharField(
        label=_("Language for our talks"), max_length=50, initial="da", help_text=_("For example Danish.")
    )
    interpreter_wanted = forms.BooleanField(label=_("We would like an interpreter"), required=False)
    contact_form = forms.ChoiceField(
        label=_("How we prefer to be contacted"),
        choices=[("", "–"), *ExpectationAgreement.ContactForm.choices],
        required=False,
    )
    contact_frequency = forms.ChoiceField(
        label=_("How often we would like to hear from you"),
        choices=[("", "–"), *ExpectationAgreement.ContactFrequency.choices],
        required=False,
    )
    guidance_topics = forms.MultipleChoiceField(
        label=_("What we would like guidance on"),
        choices=[c for c in Topic.choices if c[0] not in ExpectationAgreement.CARE_TOPICS],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    care_topics_wanted = forms.BooleanField(
        label=_("We would also like to talk about food, sleep or boundaries"),
        required=False,
        help_text=_("Only if the parents ask for it. Nobody gives advice on this unasked."),
    )
    care_topics = forms.MultipleChoiceField(
        label=_("Which of these we would like to talk about"),
        choices=[c for c in Topic.choices if c[0] in ExpectationAgreement.CARE_TOPICS],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Only used when the box above is ticked."),
    )
    family_words = forms.CharField(
        label=_("What matters to us"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("In the family's own words."),
    )
    extra_support = forms.CharField(
        label=_("Extra support the institution offers"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    starts_on = forms.DateField(label=_("From"), widget=DateInput)
    review_due_on = forms.DateField(label=_("Talk about it again by"), widget=DateInput)

    def __init__(self, *args, suggestions=(), agreement=None, commitments=(), **kwargs):
        today = timezone.localdate()
        initial = kwargs.setdefault("initial", {})
        if agreement is not None:
            initial.update({name: getattr(agreement, name) for name in AGREEMENT_FIELDS})
            topics = agreement.guidance_topics or []
            initial["guidance_topics"] = [t for t in topics if t not in ExpectationAgreement.CARE_TOPICS]
            initial["care_topics"] = [t for t in topics if t in ExpectationAgreement.CARE_TOPICS]
            initial["revision"] = agreement.revision
        else:
            initial.setdefault("starts_on", today)
            initial.setdefault("review_due_on", today + DEFAULT_REVIEW_AFTER)
        super().__init__(*args, **kwargs)
        self.agreement = agreement
        if agreement is None:
            del self.fields["revision"]
            del self.fields["remove_commitments"]
        else:
            self.fields["remove_commitments"].choices = [
                (c.pk, f"{c.text} ({c.get_side_display()})") for c in commitments
            ]
            if not commitments:
                del self.fields["remove_commitments"]
        ids = [s.pk for s in suggestions]
        for side, name in ((CommitmentSide.INSTITUTION, "institution"), (CommitmentSide.FAMILY, "family")):
            field = self.fields[f"{name}_suggestions"]
            field.queryset = CommitmentSuggestion.objects.filter(pk__in=ids, side=side)
            # Keep the catalogue order (the list is already filtered and sorted).
            field.choices = [(s.pk, field.label_from_instance(s)) for s in suggestions if s.side == side]
        for i in range(1, NEW_ROWS + 1):
            self.fields[f"new_{i}_side"] = forms.ChoiceField(
                label=_("Whose commitment"), choices=CommitmentSide.choices, required=False
            )
            self.fields[f"new_{i}_text"] = forms.CharField(label=_("What"), max_length=300, required=False)
            self.fields[f"new_{i}_who"] = forms.CharField(
                label=_("Who"),
                max_length=100,
                required=False,
                help_text=_("For example: Mum, or the group's staff."),
            )
            self.fields[f"new_{i}_how_often"] = forms.CharField(
                label=_("How often"), max_length=100, required=False
            )

    def new_rows(self):
        """The free-text commitment rows, as lists of bound fields, for the template."""
        return [
            [self[f"new_{i}_{part}"] for part in ("side", "text", "who", "how_often")]
            for i in range(1, NEW_ROWS + 1)
        ]

    def clean(self):
        data = super().clean()
        if data.get("care_topics") and not data.get("care_topics_wanted"):
            self.add_error(
                "care_topics",
                _("Tick that you would like to talk about food, sleep or boundaries, or leave these out."),
            )
        starts_on, review_due_on = data.get("starts_on"), data.get("review_due_on")
        if starts_on and review_due_on and review_due_on < starts_on:
            self.add_error(
                "review_due_on", _("The date to talk about it again must be after the start date.")
            )
        new = []
        for i in range(1, NEW_ROWS + 1):
            text = (data.get(f"new_{i}_text") or "").strip()
            if not text:
                continue
            side = data.get(f"new_{i}_side")
            if not side:
                self.add_error(f"new_{i}_side", _("Choose whose commitment it is."))
                continue
            new.append(
                {
                    "side": side,
                    "text": text,
                    "who": (data.get(f"new_{i}_who") or "").strip(),
                    "how_often": (data.get(f"new_{i}_how_often") or "").strip(),
                }
            )
        data["new_commitments"] = new
        return data

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        kwargs = {name: data[name] for name in AGREEMENT_FIELDS}
        care = data.get("care_topics") or [] if data.get("care_topics_wanted") else []
        kwargs["guidance_topics"] = [*data.get("guidance_topics", []), *care]
        kwargs["suggestions"] = [
            *data.get("institution_suggestions", []),
            *data.get("family_suggestions", []),
        ]
        kwargs["new_commitments"] = data["new_commitments"]
        if "remove_commitments" in data:
            kwargs["remove_commitment_ids"] = data["remove_commitments"]
        return kwargs


AGREEMENT_FIELDS = (
    "starts_on",
    "review_due_on",
    "preferred_language",
    "interpreter_wanted",
    "contact_form",
    "contact_frequency",
    "care_topics_wanted",
    "family_words",
    "extra_support",
)


class ProposeForm(forms.Form):
    """Proposing can be the proposer's own yes too (ticked by default when they may accept)."""

    accept = forms.BooleanField(
        label=_("I accept this proposal myself"),
        required=False,
        initial=True,
        help_text=_("Then the others only need to answer. Untick it if you want to read it again first."),
    )


class CommentForm(forms.Form):
    text = forms.CharField(
        label=_("Your comment or question"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    asks_for_change = forms.BooleanField(label=_("We would like something changed"), required=False)


class ProgressForm(forms.Form):
    progress = forms.ChoiceField(label=_("How is it going?"), choices=Commitment.Progress.choices)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)
