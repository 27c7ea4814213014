"""Forms of the local canon: the administrator's items, a group's marks, the receiving place's choice."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.forms import DateInput
from transitions.models.canon import CANON_TEXT_MAX, LINK_MAX, CanonItem, link_validator, normalize_link


class CanonItemForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=CanonItem.Kind.choices, widget=forms.RadioSelect)
    title = forms.CharField(label=_("Title"), max_length=150)
    age_band = forms.ChoiceField(label=_("Meant for"), choices=CanonItem.AgeBand.choices)
    text = forms.CharField(
        label=_("Text"),
        help_text=_("The words of a song or rhyme, verse by verse. Leave it empty for a book."),
        widget=forms.Textarea(attrs={"rows": 10}),
        max_length=CANON_TEXT_MAX,
        required=False,
    )
    link = forms.URLField(
        label=_("Link"),
        help_text=_("A web page with the text, a recording or the book, starting with https://."),
        max_length=LINK_MAX,
        assume_scheme="https",
        validators=[link_validator],
        required=False,
        error_messages={"invalid": _("Enter a web address starting with https://.")},
    )

    def clean_link(self):
        return normalize_link(self.cleaned_data["link"])


class CanonItemEditForm(CanonItemForm):
    position = forms.IntegerField(
        label=_("Place in the list"),
        help_text=_("Items of the same kind are shown in this order."),
        min_value=0,
        max_value=999,
    )


class CanonRetireForm(forms.Form):
    retired = forms.TypedChoiceField(choices=[("1", "1"), ("0", "0")], coerce=lambda v: v == "1")


class CanonMarkForm(forms.Form):
    """Mark one item as used by the group, since a day (today unless the staff say otherwise)."""

    since = forms.DateField(label=_("Used since"), widget=DateInput())

    def __init__(self, *args, item_pk, **kwargs):
        kwargs.setdefault("initial", {"since": timezone.localdate()})
        super().__init__(*args, prefix=f"i{item_pk}", **kwargs)

    def clean_since(self):
        since = self.cleaned_data["since"]
        if since > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return since


class IncomingCanonForm(forms.Form):
    """Narrow the counts to the children starting in one group."""

    group = forms.TypedChoiceField(label=_("Starting in"), coerce=int, required=False, empty_value=None)

    def __init__(self, *args, groups, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].choices = [
            ("", _("All the children starting with us")),
            *((g.pk, f"{g.name}, {g.institution.name}") for g in groups),
        ]
