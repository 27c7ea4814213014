"""What families change themselves: questions for a meeting, the interpreter they need, whether they
come to a parent meeting, how the portal reaches them, and which messages they have read. Every write
to a child's meeting is audited (a parent meeting is the group's, not one child's)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from portal.audit.models import AccessEvent
from portal.audit.services import access_record
from portal.meetings.models import Meeting, MeetingResponse, MeetingTopic, Notification
from portal.meetings.policies import recipients_of

CONTACT_FIELDS = ("notify_by_email", "notify_by_sms", "phone", "language")
MAX_ADULTS = 10


def guardian_label() -> str:
    """How a guardian acts, for the access log (written in the portal's main language)."""
    with translation.override(settings.LANGUAGE_CODE):
        return str(_("Parent or guardian"))


def _check_open(meeting: Meeting, now) -> None:
    if meeting.is_cancelled:
        raise ValidationError(_("This meeting has been cancelled."), code="cancelled")
    if meeting.starts_at <= now:
        raise ValidationError(_("The meeting has begun, so it can no longer be changed here."), code="past")


@transaction.atomic
def meeting_topic_add(*, request, user, meeting: Meeting, text: str, now=None) -> MeetingTopic:
    """Add a guardian's question or topic to a meeting that has not begun; audited for a child's meeting."""
    now = now or timezone.now()
    meeting = Meeting.objects.select_for_update(of=("self",)).select_related("child").get(pk=meeting.pk)
    _check_open(meeting, now)
    text = text.strip()
    if not text:
        raise ValidationError({"text": _("Write your question or topic.")}, code="required")
    topic = MeetingTopic.objects.create(meeting=meeting, author=user, text=text)
    if meeting.child_id:
        access_record(
            request=request,
            child=meeting.child,
            action=AccessEvent.Action.CREATE,
            subject="meeting_topic",
            object_id=meeting.pk,
            actor_role=guardian_label(),
        )
    return topic


@transaction.atomic
def meeting_interpreter_set(*, request, user, meeting: Meeting, language: str, now=None) -> Meeting:
    """Say which language the family needs an interpreter for (empty: none); locks the meeting row and
    saves only that field. The time and place do not change, so the sequence stays."""
    now = now or timezone.now()
    meeting = Meeting.objects.select_for_update(of=("self",)).select_related("child").get(pk=meeting.pk)
    _check_open(meeting, now)
    language = language.strip()
    if meeting.interpreter_language != language:
        meeting.interpreter_language = language
        meeting.save(update_fields=["interpreter_language", "updated_at"])
        if meeting.child_id:
            access_record(
                request=request,
                child=meeting.child,
                action=AccessEvent.Action.UPDATE,
                subject="meeting_interpreter",
                object_id=meeting.pk,
                actor_role=guardian_label(),
            )
    return meeting


@transaction.atomic
def meeting_response_set(
    *, user, meeting: Meeting, coming: bool, adults: int = 1, now=None
) -> MeetingResponse:
    """A guardian of a child in the group says whether they come to a parent meeting, and with how many
    adults; they may change the answer until the meeting begins. One row per guardian, changed in place;
    the meeting row is locked so a cancellation and an answer do not cross."""
    now = now or timezone.now()
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if not meeting.group_id:
        raise ValidationError(_("Only a parent meeting asks who is coming."), code="not_group")
    _check_open(meeting, now)
    if not recipients_of(meeting).filter(user=user).exists():
        raise ValidationError(_("Only the parents of the group can answer."), code="not_invited")
    if coming and not 1 <= adults <= MAX_ADULTS:
        raise ValidationError(
            {"adults": _("Write how many adults are coming, from 1 to %(max)d.") % {"max": MAX_ADULTS}},
            code="adults",
        )
    response, _created = MeetingResponse.objects.update_or_create(
        meeting=meeting,
        guardian=user,
        defaults={"coming": coming, "adults": adults if coming else 0, "answered_at": now},
    )
    return response


@transaction.atomic
def contact_settings_update(
    *, user, notify_by_email: bool, notify_by_sms: bool, phone: str, language: str
) -> list[str]:
    """Save how the portal reaches this person (only the fields that changed). A text message needs a
    mobile number. Returns the names of the changed fields."""
    if notify_by_sms and not phone:
        raise ValidationError({"phone": _("Write your mobile number to get text messages.")}, code="required")
    if language not in dict(settings.LANGUAGES):
        raise ValidationError({"language": _("Choose Danish or English.")}, code="invalid")
    values = {
        "notify_by_email": notify_by_email,
        "notify_by_sms": notify_by_sms,
        "phone": phone,
        "language": language,
    }
    changed = [name for name in CONTACT_FIELDS if getattr(user, name) != values[name]]
    for name in changed:
        setattr(user, name, values[name])
    if changed:
        user.save(update_fields=changed)
    return changed


def notifications_mark_read(*, user, now=None) -> int:
    """Mark every unread message in the person's inbox as read (one UPDATE); returns how many."""
    return Notification.objects.filter(user=user, read_at__isnull=True).update(read_at=now or timezone.now())
