"""Input for the staff's meeting pages. Forms parse and check what they can see; the services in
``portal/meetings/services`` decide and save. Choices offered are always scoped to the user (their
groups, their institution's staff, the meeting's child's goals), so a posted id from elsewhere is
refused as an invalid choice."""

from datetime import datetime, time, timedelta

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from children.models import LearningGoal
from children.policies import groups_visible_to
from expectations.models import ExpectationAgreement
from portal.forms import DateInput
from portal.meetings.models import BOOKABLE_KINDS, FollowUp, Meeting, MeetingKind, PrepareWith
from portal.meetings.services.booking import period_check_overlap
from portal.organisation.models import StaffMembership

MAX_PERIOD_DAYS = 62  # a round of conversations spans at most about two months


class TimeInput(forms.TimeInput):
    """A native time picker; its value is always HH:MM, whatever the language."""

    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%H:%M")


class GroupChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name}, {obj.institution.name}"


class HostChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.email


def staff_of_institutions(institution_ids):
    """People with an active membership at one of these institutions."""
    return get_user_model().objects.filter(
        Exists(
            StaffMembership.objects.active().filter(user=OuterRef("pk"), institution_id__in=institution_ids)
        )
    )


def end_of_day(day) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(23, 59)))


class PeriodForm(forms.Form):
    """A round of conversations: the days (weekdays in a date range), the times of each day, who holds
    them, and what the families should know."""

    TOGETHER, PARALLEL = "together", "parallel"

    group = GroupChoiceField(label=_("Group"), queryset=None)
    kind = forms.ChoiceField(
        label=_("Kind of conversation"),
        choices=[(k.value, k.label) for k in MeetingKind if k in BOOKABLE_KINDS],
        initial=MeetingKind.CONFERENCE,
    )
    title = forms.CharField(
        label=_("Title"), max_length=150, help_text=_("For example: Parent conversations in the autumn.")
    )
    first_day = forms.DateField(label=_("First day"), widget=DateInput)
    last_day = forms.DateField(
        label=_("Last day"),
        widget=DateInput,
        help_text=_(
            "Conversations are offered on every weekday (Monday to Friday) from the first to the last day."
        ),
    )
    start = forms.TimeField(label=_("From (time of day)"), widget=TimeInput, initial=time(14, 0))
    end = forms.TimeField(label=_("Until (time of day)"), widget=TimeInput, initial=time(17, 0))
    slot_minutes = forms.IntegerField(
        label=_("Minutes per conversation"), min_value=5, max_value=240, initial=20
    )
    pause_minutes = forms.IntegerField(
        label=_("Minutes between conversations"), min_value=0, max_value=120, initial=0, required=False
    )
    break_start = forms.TimeField(label=_("Break from"), widget=TimeInput, required=False)
    break_end = forms.TimeField(label=_("Break until"), widget=TimeInput, required=False)
    hosts = HostChoiceField(
        label=_("Held by"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("If you choose nobody, you hold the conversations yourself."),
    )
    arrangement = forms.ChoiceField(
        label=_("When several hold the conversations"),
        choices=[
            (TOGETHER, _("Together: one conversation at a time with the whole team")),
            (PARALLEL, _("In parallel: each person has their own times")),
        ],
        initial=TOGETHER,
        widget=forms.RadioSelect,
    )
    location = forms.CharField(
        label=_("Where"), max_length=200, required=False, help_text=_("A room or an address.")
    )
    video_url = forms.URLField(label=_("Video link"), required=False, assume_scheme="https")
    agenda = forms.CharField(
        label=_("Agenda"), max_length=4000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    preparation = forms.CharField(
        label=_("How the family can prepare"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    prepare_with = forms.ChoiceField(
        label=_("Link for the preparation"), choices=PrepareWith.choices, required=False
    )
    booking_deadline = forms.DateField(
        label=_("Families can book, move or cancel until"),
        widget=DateInput,
        help_text=_("Until the end of this day. After that, only staff can change bookings."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        groups = groups_visible_to(user).select_related("institution").order_by("institution__name", "name")
        self.fields["group"].queryset = groups
        self.fields["hosts"].queryset = staff_of_institutions(groups.values("institution_id")).order_by(
            "first_name", "last_name"
        )

    def clean(self):
        data = super().clean()
        first, last = data.get("first_day"), data.get("last_day")
        if first and last:
            if last < first:
                self.add_error("last_day", _("The last day must be on or after the first day."))
            elif (last - first).days > MAX_PERIOD_DAYS:
                self.add_error(
                    "last_day",
                    _("Choose at most %(days)d days from the first to the last day.")
                    % {"days": MAX_PERIOD_DAYS},
                )
            elif not self.days():
                self.add_error("last_day", _("Choose a range with at least one weekday."))
            elif first < timezone.localdate():
                self.add_error("first_day", _("Choose a day in the future."))
        group, hosts = data.get("group"), data.get("hosts")
        if group and data.get("kind") and not self.has_error("first_day") and not self.has_error("last_day"):
            try:
                period_check_overlap(group=group, kind=data["kind"], first=first, last=last)
            except ValidationError as e:
                self.add_error("first_day", e)
        if group and hosts:
            allowed = set(
                staff_of_institutions([group.institution_id])
                .filter(pk__in=[h.pk for h in hosts])
                .values_list("pk", flat=True)
            )
            if any(h.pk not in allowed for h in hosts):
                self.add_error("hosts", _("Choose people who work where the group is."))
        return data

    def days(self):
        """The weekdays from the first to the last day."""
        first, last = self.cleaned_data["first_day"], self.cleaned_data["last_day"]
        return [
            first + timedelta(days=i)
            for i in range((last - first).days + 1)
            if (first + timedelta(days=i)).weekday() < 5
        ]

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "group": data["group"],
            "kind": data["kind"],
            "title": data["title"],
            "days": self.days(),
            "start": data["start"],
            "end": data["end"],
            "slot_minutes": data["slot_minutes"],
            "pause_minutes": data.get("pause_minutes") or 0,
            "break_start": data.get("break_start"),
            "break_end": data.get("break_end"),
            "hosts": list(data.get("hosts") or []),
            "parallel": data["arrangement"] == self.PARALLEL,
            "location": data["location"],
            "video_url": data["video_url"],
            "agenda": data["agenda"],
            "preparation": data["preparation"],
            "prepare_with": data["prepare_with"],
            "booking_deadline": end_of_day(data["booking_deadline"]),
        }


class GroupMeetingForm(forms.Form):
    """A parent meeting for a group (forældremøde): ordinary, café-style or for fathers."""

    group = GroupChoiceField(label=_("Group"), queryset=None)
    title = forms.CharField(
        label=_("Title"), max_length=150, help_text=_("For example: Parent meeting in the autumn.")
    )
    style = forms.ChoiceField(
        label=_("Form"), choices=Meeting.Style.choices, required=False, widget=forms.RadioSelect
    )
    day = forms.DateField(label=_("Date"), widget=DateInput)
    start = forms.TimeField(label=_("From"), widget=TimeInput, initial=time(17, 0))
    end = forms.TimeField(label=_("Until"), widget=TimeInput, initial=time(18, 30))
    location = forms.CharField(
        label=_("Where"), max_length=200, required=False, help_text=_("A room or an address.")
    )
    video_url = forms.URLField(label=_("Video link"), required=False, assume_scheme="https")
    agenda = forms.CharField(
        label=_("Agenda"), max_length=4000, required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    preparation = forms.CharField(
        label=_("How the families can prepare"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = (
            groups_visible_to(user).select_related("institution").order_by("institution__name", "name")
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
            "group": data["group"],
            "institution": data["group"].institution,
            "title": data["title"],
            "style": data["style"],
            "starts_at": timezone.make_aware(datetime.combine(data["day"], data["start"])),
            "ends_at": timezone.make_aware(datetime.combine(data["day"], data["end"])),
            "location": data["location"],
            "video_url": data["video_url"],
            "agenda": data["agenda"],
            "preparation": data["preparation"],
        }


class PrepareForm(forms.Form):
    agenda = forms.CharField(
        label=_("Agenda"), max_length=4000, required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    preparation = forms.CharField(
        label=_("How the family can prepare"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example: look at the learning plan first."),
    )
    prepare_with = forms.ChoiceField(
        label=_("Link for the preparation"), choices=PrepareWith.choices, required=False
    )

    def __init__(self, *args, meeting: Meeting, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "agenda": meeting.agenda,
                "preparation": meeting.preparation,
                "prepare_with": meeting.prepare_with,
            },
        )
        super().__init__(*args, **kwargs)
        if meeting.is_group_meeting:
            # A parent meeting is not about one child's plan or agreement.
            del self.fields["prepare_with"]


class RecordForm(forms.Form):
    """After the meeting: who came, a short summary, and whether the family may read it."""

    attendance = forms.ChoiceField(
        label=_("Attendance"), choices=Meeting.Attendance.choices, required=False, widget=forms.RadioSelect
    )
    families_attended = forms.IntegerField(
        label=_("Number of families who came"), min_value=0, max_value=1000, required=False
    )
    summary = forms.CharField(
        label=_("Short summary"), max_length=4000, required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    share_summary = forms.BooleanField(
        label=_("Share the summary with the family"),
        required=False,
        help_text=_("The guardians can read it on the meeting's page."),
    )

    def __init__(self, *args, meeting: Meeting, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "attendance": meeting.attendance,
                "families_attended": meeting.families_attended,
                "summary": meeting.summary,
                "share_summary": meeting.summary_shared_at is not None,
            },
        )
        super().__init__(*args, **kwargs)
        if meeting.is_group_meeting:
            del self.fields["attendance"]
            self.fields["share_summary"].label = _("Share the summary with the families")
            self.fields["share_summary"].help_text = _(
                "The group's guardians can read it on the meeting's page."
            )
        else:
            del self.fields["families_attended"]


class LearningGoalChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.title


class AgreementChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return _("Agreement from %(date)s (%(status)s)") % {
            "date": date_format(obj.starts_on, "DATE_FORMAT"),
            "status": obj.get_status_display(),
        }


class FollowUpForm(forms.Form):
    """Something agreed at the meeting; optionally linked to one of the meeting's child's own learning
    goals or expectation agreements (the choices offer no one else's)."""

    text = forms.CharField(
        label=_("What we agreed"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    responsible = forms.ChoiceField(
        label=_("Who does it"), choices=FollowUp.Responsible.choices, initial=FollowUp.Responsible.BOTH
    )
    follow_up_on = forms.DateField(label=_("Follow up on"), widget=DateInput)
    learning_goal = LearningGoalChoiceField(
        label=_("Learning goal"), queryset=LearningGoal.objects.none(), required=False
    )
    agreement = AgreementChoiceField(
        label=_("Expectation agreement"), queryset=ExpectationAgreement.objects.none(), required=False
    )

    def __init__(self, *args, meeting: Meeting, goals=None, agreements=None, **kwargs):
        super().__init__(*args, **kwargs)
        if meeting.child_id is None:
            del self.fields["learning_goal"]
            del self.fields["agreement"]
            return
        goal_qs = LearningGoal.objects.filter(child_id=meeting.child_id).order_by("-updated_at")
        agreement_qs = ExpectationAgreement.objects.filter(child_id=meeting.child_id).order_by("-pk")
        self.fields["learning_goal"].queryset = goal_qs
        self.fields["agreement"].queryset = agreement_qs
        # Lists already read by the page are reused for the choices (no second query to render).
        if goals is not None:
            field = self.fields["learning_goal"]
            field.choices = [("", "–"), *((g.pk, field.label_from_instance(g)) for g in goals)]
        if agreements is not None:
            field = self.fields["agreement"]
            field.choices = [("", "–"), *((a.pk, field.label_from_instance(a)) for a in agreements)]

    def clean(self):
        data = super().clean()
        if data.get("learning_goal") and data.get("agreement"):
            self.add_error("agreement", _("Link to a learning goal or to an agreement, not both."))
        return data


class MoveForm(forms.Form):
    slot = forms.IntegerField(label=_("New time"))


class AssignForm(forms.Form):
    slot = forms.IntegerField(label=_("Time"))
    child = forms.IntegerField(label=_("Child"))
