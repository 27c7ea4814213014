from datetime import time

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.notices import timing
from portal.notices.topics import DEFAULTS, Channel, Mode, Topic


def field_name(topic: str, channel: str) -> str:
    return f"{topic}_{channel}"


def _hours(first: int, last: int) -> list[tuple[str, str]]:
    return [(str(h), f"{h:02d}:00") for h in range(first, last + 1)]


class PreferencesForm(forms.Form):
    """One choice per topic and channel, the hour of the daily summary, and the quiet hours."""

    digest_hour = forms.TypedChoiceField(
        label=_("The daily summary comes at"), choices=_hours(6, 21), coerce=int
    )
    quiet = forms.BooleanField(label=_("Hold e-mails and text messages at night"), required=False)
    quiet_from = forms.TypedChoiceField(label=_("Quiet from"), choices=_hours(17, 23), coerce=int)
    quiet_until = forms.TypedChoiceField(label=_("Quiet until"), choices=_hours(5, 10), coerce=int)

    def __init__(self, *args, user, **kwargs):
        modes = kwargs.pop("modes")
        hours = timing.quiet_hours(user)
        default_from, default_until = timing.default_quiet_hours() or (time(20), time(7))
        kwargs.setdefault(
            "initial",
            {
                "digest_hour": timing.digest_hour(user),
                "quiet": hours is not None,
                "quiet_from": (hours or (default_from, default_until))[0].hour,
                "quiet_until": (hours or (default_from, default_until))[1].hour,
                **{field_name(t, c): modes.get((t, c)) or DEFAULTS[(t, c)] for t in Topic for c in Channel},
            },
        )
        super().__init__(*args, **kwargs)
        for topic in Topic:
            for channel in Channel:
                self.fields[field_name(topic, channel)] = forms.ChoiceField(
                    label=channel.label, choices=Mode.choices
                )

    def topics(self):
        """(topic label, its three fields) for the template."""
        return [(topic.label, [self[field_name(topic, channel)] for channel in Channel]) for topic in Topic]

    def modes(self) -> dict[tuple[str, str], str]:
        return {(t, c): self.cleaned_data[field_name(t, c)] for t in Topic for c in Channel}
