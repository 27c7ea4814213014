"""Forms of the education plan and of the municipality's list of youth educations."""

from django import forms
from django.utils.translation import gettext_lazy as _

from transitions.models.education import MAX_WISHES, PLAN_TEXT_MAX


class WishesForm(forms.Form):
    """The pupil's goals and up to ``MAX_WISHES`` wishes in order, from the educations given."""

    goals = forms.CharField(
        label=_("My goals"),
        help_text=_("What would you like to be good at or work with? What matters to you?"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=PLAN_TEXT_MAX,
        required=False,
    )

    def __init__(self, *args, educations, **kwargs):
        super().__init__(*args, **kwargs)
        self.by_pk = {e.pk: e for e in educations}
        options = [(e.pk, e.name) for e in educations]
        for rank in range(1, MAX_WISHES + 1):
            first = rank == 1
            self.fields[f"wish_{rank}"] = forms.TypedChoiceField(
                label=_("First wish") if first else _("Wish number %(rank)s") % {"rank": rank},
                choices=[("", _("Choose") if first else _("No more wishes")), *options],
                coerce=int,
                required=first,
                error_messages={
                    "required": _("Choose at least one youth education."),
                    "invalid_choice": _("Choose from the list of youth educations."),
                },
            )
        self.ranks = [self[f"wish_{rank}"] for rank in range(1, MAX_WISHES + 1)]

    def clean(self):
        data = super().clean()
        chosen = [data.get(f"wish_{rank}") for rank in range(1, MAX_WISHES + 1)]
        chosen = [pk for pk in chosen if pk not in (None, "")]
        if len(set(chosen)) != len(chosen):
            raise forms.ValidationError(_("Choose each youth education only once."))
        data["educations"] = [self.by_pk[pk] for pk in chosen]
        return data


class PlanTextForm(forms.Form):
    """One text of the plan (guidance, effort, remarks); ``kind`` names its fields' ids on the page."""

    text = forms.CharField(
        label=_("Text"), widget=forms.Textarea(attrs={"rows": 5}), required=False, max_length=PLAN_TEXT_MAX
    )

    def __init__(self, *args, kind: str, label, **kwargs):
        super().__init__(*args, auto_id=f"{kind}-%s", **kwargs)
        self.fields["text"].label = label


class ConfirmForm(forms.Form):
    version = forms.IntegerField(min_value=1, max_value=2**31 - 1)


class YouthEducationForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)


class YouthEducationEditForm(YouthEducationForm):
    position = forms.IntegerField(label=_("Place in the list"), min_value=0, max_value=999)
    is_offered = forms.BooleanField(
        label=_("Offered"),
        required=False,
        help_text=_("Untick when it is no longer offered: plans that chose it still show it."),
    )
