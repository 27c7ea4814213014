from datetime import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from portal.forms import DateInput


def yes_or_no(label, *, yes, no, help_text="") -> forms.TypedChoiceField:
    """A question answered yes or no with radio buttons; the cleaned value is True or False."""
    return forms.TypedChoiceField(
        label=label,
        choices=[("yes", yes), ("no", no)],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose yes or no.")},
        help_text=help_text,
    )


# A custody holder's yes counts only with the others'.
FAMILY_YES = _("Yes, when everyone in our family with custody has said yes")


class NameSharingForm(forms.Form):
    show_name = yes_or_no(
        _("May the other parents in the group see your child's first name?"),
        yes=FAMILY_YES,
        no=_("No, not now"),
        help_text=_(
            "Only the first name, never the last name, address or anything else. You can change your answer "
            "at any time."
        ),
    )


class GroupMessageForm(forms.Form):
    body = forms.CharField(
        label=_("Your message to the group's parents"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": _("Write the message.")},
        help_text=_(
            "The staff read it before it goes out. Write nothing about a child's health or problems."
        ),
    )


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is it not sent? The contact parent reads this."),
        max_length=300,
        error_messages={"required": _("Tell the contact parent why the message is not sent.")},
    )


class StaffMessageForm(forms.Form):
    """The staff's own message to the group's parents: now, or at a time they choose."""

    body = forms.CharField(
        label=_("Your message to the group's parents"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": _("Write the message.")},
        help_text=_("Every parent of a child in the group gets it. Write nothing about one child."),
    )
    when = forms.ChoiceField(
        label=_("When should it go out?"),
        choices=[("now", _("Now")), ("later", _("At a time I choose"))],
        widget=forms.RadioSelect,
    )
    send_on = forms.DateField(label=_("Day"), required=False, widget=DateInput())
    send_time = forms.TimeField(
        label=_("Time"), required=False, widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )

    def clean(self):
        data = super().clean()
        if data.get("when") == "later":
            if not data.get("send_on"):
                self.add_error("send_on", _("Choose the day it should go out."))
            if not data.get("send_time"):
                self.add_error("send_time", _("Choose the time it should go out."))
        return data

    def send_at(self):
        data = self.cleaned_data
        if data["when"] != "later":
            return None
        return timezone.make_aware(datetime.combine(data["send_on"], data["send_time"]))


class PhotoForm(forms.Form):
    """A custody holder's photo of the child for the group's list of names, and the yes to showing it."""

    photo = forms.FileField(
        label=_("Photo of your child"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp,image/heic"}),
        help_text=_(
            "A photo where your child is easy to recognise. We make it small and remove where and when it "
            "was taken."
        ),
    )
    show_photo = yes_or_no(
        _("May the other parents in the group see the photo beside your child's first name?"),
        yes=FAMILY_YES,
        no=_("No, not now"),
    )


class PlayDateForm(forms.Form):
    """A family offers a play date to the whole group or to one child whose name is shown."""

    invited = forms.TypedChoiceField(
        label=_("Who do you invite?"), coerce=int, empty_value=None, required=False, choices=[]
    )
    day = forms.DateField(
        label=_("Day"), widget=DateInput(), error_messages={"required": _("Choose the day.")}
    )
    starts_at = forms.TimeField(
        label=_("From"),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages={"required": _("Choose when it starts.")},
    )
    ends_at = forms.TimeField(
        label=_("Until"),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages={"required": _("Choose when it ends.")},
    )
    place = forms.CharField(
        label=_("Where"),
        max_length=200,
        error_messages={"required": _("Write where you meet.")},
        help_text=_("For example: at the playground by the school, or at our home (write the address)."),
    )
    note = forms.CharField(
        label=_("A few words to the other parents (optional)"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, shown=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["invited"].choices = [("", _("Every child in the group"))] + [
            (ref.pk, ref.first_name) for ref in shown
        ]


class PlayDateAnswerForm(forms.Form):
    coming = yes_or_no(_("Is your child coming?"), yes=_("Yes, we are coming"), no=_("No, not this time"))
    message = forms.CharField(label=_("A message to the family (optional)"), max_length=300, required=False)


class ParentFriendForm(forms.Form):
    about = forms.CharField(
        label=_("A few words about you"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Write a few words about yourself.")},
        help_text=_(
            "The group's parents see your name and these words. For example which languages you speak and "
            "how long your child has been in the group."
        ),
    )


class WelcomeAskForm(forms.Form):
    message = forms.CharField(
        label=_("A few words to the parent friend (optional)"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example what you would like to know, or which language you prefer."),
    )


class WelcomeAnswerForm(forms.Form):
    reply = forms.CharField(
        label=_("Your answer"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Write your answer.")},
        help_text=_(
            "Only the family that asked reads it. Write your phone number only if you want them to have it."
        ),
    )


class ElectionForm(forms.Form):
    """Staff let the group's parents choose their contact parents."""

    places = forms.TypedChoiceField(
        label=_("How many contact parents should the parents choose?"),
        choices=[(n, str(n)) for n in range(1, 6)],
        coerce=int,
        initial=2,
    )
    last_day = forms.DateField(
        label=_("Last day to vote"),
        widget=DateInput(),
        error_messages={"required": _("Choose the last day to vote.")},
        help_text=_("The vote closes at the end of this day, at most a month from today."),
    )


class VoteForm(forms.Form):
    """A parent's votes among the parents who offered to be contact parents."""

    candidates = forms.TypedMultipleChoiceField(
        coerce=int, required=False, widget=forms.CheckboxSelectMultiple, choices=[]
    )

    def __init__(self, *args, offers=(), places=1, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["candidates"]
        field.choices = [(offer.pk, offer.user.get_full_name()) for offer in offers]
        field.label = ngettext(
            "Choose up to %(places)d parent", "Choose up to %(places)d parents", places
        ) % {"places": places}
        field.help_text = _("No one sees who you voted for. You can change your votes until the vote closes.")
