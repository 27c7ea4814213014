"""Writing a meeting's reminders and notices: the subject, the text and HTML from the templates, the
SMS and inbox lines, and the calendar file, in the recipient's language.

A meeting's pieces are made once per batch for all its recipients (:class:`Content`), and the text
around them once per process for all the conversations of a round (``_skeleton``); only the greeting
differs from one recipient to the next (``meeting_email``).
"""

import re
from dataclasses import dataclass
from datetime import date, datetime, time
from functools import lru_cache
from html import escape

from django.conf import settings
from django.template.loader import get_template
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.formats import date_format, time_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.meetings import ics
from portal.meetings.mime import MeetingEmail, address_header, b64_lines, bare_address
from portal.meetings.models import MeetingKind, PrepareWith, Reminder, prepare_with_for

Kind = Reminder.Kind
GREETING = "GREETINGd41d8cd9"  # stands in for the personal greeting in the shared rendered text

# The subject of each notice, for a conversation with one family and for a group's parent meeting.
SUBJECTS = {
    Kind.REMINDER: gettext_lazy("Reminder: %(title)s, %(when)s"),
    Kind.CONFIRMATION: gettext_lazy("Booked: %(title)s, %(when)s"),
    Kind.INVITATION: gettext_lazy("New time: %(title)s, %(when)s"),
    Kind.CHANGE: gettext_lazy("Changed: %(title)s, %(when)s"),
    Kind.CANCELLATION: gettext_lazy("Cancelled: %(title)s, %(when)s"),
}
GROUP_SUBJECTS = {
    Kind.REMINDER: gettext_lazy("Reminder of the parent meeting: %(title)s, %(when)s"),
    Kind.INVITATION: gettext_lazy("Invitation to a parent meeting: %(title)s, %(when)s"),
    Kind.CHANGE: gettext_lazy("Parent meeting changed: %(title)s, %(when)s"),
    Kind.CANCELLATION: gettext_lazy("Parent meeting cancelled: %(title)s, %(when)s"),
}
# A transition visit is planned for the family, never booked and never a new time: it is an invitation.
VISIT_SUBJECTS = {**SUBJECTS, Kind.INVITATION: gettext_lazy("Invitation: %(title)s, %(when)s")}


def meeting_url(meeting) -> str:
    try:
        return settings.SITE_URL + _path("meetings:meeting_detail", meeting.pk)
    except NoReverseMatch:
        return settings.SITE_URL


ID_MARK = 918273645


@lru_cache(maxsize=64)
def _path_around_id(name: str, language: str | None) -> tuple[str, str]:
    prefix, _mark, suffix = reverse(name, args=[ID_MARK]).partition(str(ID_MARK))
    return prefix, suffix


def _path(name: str, pk: int) -> str:
    """``reverse(name, args=[pk])`` for a URL with one id, reversed once per process and language
    rather than once for every message."""
    prefix, suffix = _path_around_id(name, translation.get_language())
    return f"{prefix}{pk}{suffix}"


def _when(value: datetime, end: datetime | None = None) -> str:
    local = timezone.localtime(value)
    language = translation.get_language()
    parts = {**_day(language, local.date()), "time": _time(language, local.time())}
    if end is None:
        return _("%(weekday)s %(date)s at %(time)s") % parts
    parts["end"] = _time(language, timezone.localtime(end).time())
    return _("%(weekday)s %(date)s from %(time)s to %(end)s") % parts


# The days and times of a conference week repeat from meeting to meeting: each is formatted once.
@lru_cache(maxsize=1024)
def _day(language: str, day: date) -> dict[str, str]:
    return {"weekday": date_format(day, "l"), "date": date_format(day, "DATE_FORMAT")}


@lru_cache(maxsize=1024)
def _time(language: str, moment: time) -> str:
    return time_format(moment, "TIME_FORMAT")


def _prepare_link(row: Reminder, prepare_with: str) -> tuple[str, str]:
    meeting = row.meeting
    if not meeting.child_id:
        return "", ""
    if prepare_with == PrepareWith.LEARNING_PLAN:
        plan_id = getattr(row, "published_plan_id", None)
        if plan_id:  # the published plan at the meeting's place; the child's page until there is one
            return settings.SITE_URL + _path("children:plan_detail", plan_id), _(
                "Read %(name)s's plan before the meeting"
            ) % {"name": meeting.child.first_name}
        url = _path("children:child_detail", meeting.child_id)
        return settings.SITE_URL + url, _("Open %(name)s's learning plan") % {
            "name": meeting.child.first_name
        }
    if prepare_with == PrepareWith.AGREEMENT:
        if row.agreement_id:
            url = _path("expectations:agreement_detail", row.agreement_id)
        else:
            url = _path("expectations:child_agreements", meeting.child_id)
        return settings.SITE_URL + url, _("Open the expectation agreement")
    return "", ""


@dataclass
class Content:
    """What every recipient of one meeting and kind gets in one language, rendered once."""

    subject: str
    text: str
    html: str
    sms: str
    notice_body: str
    url: str
    path: str
    ics: bytes
    ics_b64: bytes
    ics_method: str
    greeting: str


def notice_kind(row: Reminder) -> str:
    """What the message says: nobody books a group's parent meeting or a visit, so their
    "confirmation" (rows planned before invitations existed) is an invitation too."""
    if (row.meeting.group_id or row.meeting.kind == MeetingKind.VISIT) and row.kind == Kind.CONFIRMATION:
        return Kind.INVITATION
    return row.kind


def message_content(row: Reminder, language: str, now: datetime) -> Content:
    """What every recipient of the row's meeting and kind gets in ``language``."""
    meeting = row.meeting
    kind, group = notice_kind(row), bool(meeting.group_id)
    visit = not group and meeting.kind == MeetingKind.VISIT
    period = meeting.period
    with translation.override(language):
        title = ics.meeting_title(meeting)
        when = _when(meeting.starts_at, meeting.ends_at)
        when_short = _when(meeting.starts_at)
        location = meeting.location or (period.location if period else "")
        video_url = meeting.video_url or (period.video_url if period else "")
        agenda = meeting.agenda or (period.agenda if period else "")
        prepare_with = prepare_with_for(
            meeting.kind,
            meeting.prepare_with or (period.prepare_with if period else ""),
            published_plan=bool(getattr(row, "published_plan_id", None)),
        )
        prepare_url, prepare_label = _prepare_link(row, prepare_with)
        url = meeting_url(meeting)
        shared = (
            language,
            kind,
            group,
            visit,
            location,
            video_url,
            meeting.interpreter_language,
            agenda,
            meeting.preparation or (period.preparation if period else ""),
            bool(prepare_url),
            meeting.institution.name,
            settings.SITE_NAME,
        )
        values = {
            "title": title,
            "when": when,
            "prepare_url": prepare_url,
            "prepare_label": prepare_label,
            "meeting_url": url,
        }
        subjects = GROUP_SUBJECTS if group else VISIT_SUBJECTS if visit else SUBJECTS
        subject = str(subjects[kind]) % {"title": title, "when": when_short}
        method = "CANCEL" if kind == Kind.CANCELLATION else "REQUEST"
        calendar = ics.calendar(
            [ics.meeting_event(meeting, url=url, description=agenda, now=now, title=title)], method=method
        )
        place = location or video_url
        return Content(
            subject=subject,
            text=_fill(_skeleton("txt", *shared), values),
            html=_fill(_skeleton("html", *shared), {k: escape(v) for k, v in values.items()}),
            sms=" ".join(part for part in (subject + ".", place, url) if part),
            notice_body="\n".join(part for part in (when, place, _answer_line(kind, group)) if part),
            url=url,
            path=url.removeprefix(settings.SITE_URL),
            ics=calendar,
            ics_b64=b64_lines(calendar),
            ics_method=method,
            greeting=_("Dear %(name)s,"),
        )


def _answer_line(kind: str, group: bool) -> str:
    """The portal inbox's copy of an invitation asks for an answer."""
    if group and kind != Kind.CANCELLATION:
        return _("Tell us whether you are coming.")
    return ""


# The values that differ from meeting to meeting stand in the rendered text as these words, so the
# conversations of one round (same place, agenda, institution and language) share one rendering.
MEETING_VALUES = ("title", "when", "prepare_url", "prepare_label", "meeting_url")
STAND_INS = {name: f"MEETING{name.upper().replace('_', '')}d41d8cd9" for name in MEETING_VALUES}


@lru_cache(maxsize=2048)
def _skeleton(
    extension, language, kind, group, visit, location, video_url, interpreter, agenda, preparation,
    prepare, institution, site_name,
) -> str:  # fmt: skip
    """The message's text with stand-ins for the meeting's own values; a pure function of its
    arguments (and the templates and translations, fixed while a worker runs)."""
    name = "reminder" if kind == Kind.REMINDER else "notice"
    context = {
        **STAND_INS,
        "greeting": GREETING,
        "kind": kind,
        "group": group,
        "visit": visit,
        "location": location,
        "video_url": video_url,
        "interpreter_language": interpreter,
        "agenda": agenda,
        "preparation": preparation,
        "institution": institution,
        "site_name": site_name,
        "LANGUAGE_CODE": language,
    }
    if not prepare:
        context["prepare_url"] = context["prepare_label"] = ""
    with translation.override(language):
        text = get_template(f"meetings/email/{name}.{extension}").render(context)
    # Parts left out (no agenda, no video link) leave empty lines behind: at most one in a row in the
    # text, none in the HTML.
    return BLANK_LINES[extension].sub("\n\n" if extension == "txt" else "\n", text)


BLANK_LINES = {"txt": re.compile(r"\n{3,}"), "html": re.compile(r"\n(?:[ \t]*\n)+")}


def _fill(skeleton: str, values: dict[str, str]) -> str:
    for name, value in values.items():
        skeleton = skeleton.replace(STAND_INS[name], value)
    return skeleton


def meeting_email(row: Reminder, content: Content, address: str) -> MeetingEmail:
    """The row's e-mail to ``address``: the shared content with the recipient's own greeting."""
    user = row.recipient
    greeting = content.greeting % {"name": user.first_name or user.get_full_name() or ""}
    message = MeetingEmail(
        subject=content.subject,
        body=content.text.replace(GREETING, greeting, 1),
        from_email=bare_address(settings.DEFAULT_FROM_EMAIL),
        to=[address],
        headers={"Message-ID": row.message_id, "Auto-Submitted": "auto-generated"},
        alternatives=[(content.html.replace(GREETING, escape(greeting), 1), "text/html")],
    )
    message.attach("meeting.ics", content.ics, f"text/calendar; method={content.ics_method}")
    message.ics_b64, message.ics_method = content.ics_b64, content.ics_method
    message.from_header = settings.DEFAULT_FROM_EMAIL
    message.to_header = address_header(user.get_full_name(), address)
    return message
