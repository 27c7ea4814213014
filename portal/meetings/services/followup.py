"""Before and after a meeting: the agenda and preparation for the family, attendance and a summary,
and follow-up agreements with a date. Every write is in a transaction, locks the meeting row where two
staff members might save at once, and is audited for meetings about one child."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.audit.models import AccessEvent
from portal.audit.services import access_record
from portal.meetings.models import FollowUp, Meeting, PrepareWith


def _audit(request, meeting: Meeting, action, subject: str, object_id=None) -> None:
    if request is None or meeting.child_id is None:
        return
    access_record(
        request=request,
        child=meeting.child,
        action=action,
        subject=subject,
        object_id=object_id or meeting.pk,
    )


def _locked(meeting: Meeting) -> Meeting:
    return Meeting.objects.select_for_update(of=("self",)).select_related("child").get(pk=meeting.pk)


@transaction.atomic
def meeting_prepare(
    *, request, user, meeting: Meeting, agenda: str, preparation: str, prepare_with: str = ""
) -> Meeting:
    """Save what the meeting is about and how the family can prepare (changed fields only)."""
    meeting = _locked(meeting)
    if meeting.is_cancelled:
        raise ValidationError(_("This meeting has been cancelled."), code="cancelled")
    if prepare_with not in PrepareWith.values or (prepare_with and meeting.is_group_meeting):
        raise ValidationError({"prepare_with": _("Choose one of the links in the list.")})
    values = {"agenda": agenda.strip(), "preparation": preparation.strip(), "prepare_with": prepare_with}
    changed = [name for name, value in values.items() if getattr(meeting, name) != value]
    if not changed:
        return meeting
    for name in changed:
        setattr(meeting, name, values[name])
    meeting.save(update_fields=[*changed, "updated_at"])
    _audit(request, meeting, AccessEvent.Action.UPDATE, "meeting_prepare")
    return meeting


@transaction.atomic
def meeting_record(
    *,
    request,
    user,
    meeting: Meeting,
    summary: str = "",
    attendance: str = "",
    families_attended: int | None = None,
    share_summary: bool = False,
    now=None,
) -> Meeting:
    """Record a meeting that has begun: who came, a summary (shared with the family or not); marks it
    held. Sharing keeps its first time; unsharing hides the summary again."""
    now = now or timezone.now()
    meeting = _locked(meeting)
    if meeting.is_cancelled:
        raise ValidationError(_("This meeting has been cancelled."), code="cancelled")
    if meeting.starts_at > now:
        raise ValidationError(_("You can record the meeting when it has begun."), code="future")
    if attendance not in Meeting.Attendance.values:
        raise ValidationError({"attendance": _("Choose one of the answers in the list.")})
    summary = summary.strip()
    if share_summary and not summary:
        raise ValidationError({"summary": _("Write a summary to share it.")})
    if meeting.is_group_meeting:
        meeting.families_attended = families_attended
    else:
        meeting.attendance = attendance
    meeting.summary = summary
    if not share_summary:
        meeting.summary_shared_at = None
    elif meeting.summary_shared_at is None:
        meeting.summary_shared_at = now
    meeting.status = Meeting.Status.HELD
    meeting.save(
        update_fields=[
            "attendance",
            "families_attended",
            "summary",
            "summary_shared_at",
            "status",
            "updated_at",
        ]
    )
    _audit(request, meeting, AccessEvent.Action.UPDATE, "meeting_record")
    return meeting


@transaction.atomic
def followup_add(
    *,
    request,
    user,
    meeting: Meeting,
    text: str,
    follow_up_on: date,
    responsible: str = FollowUp.Responsible.BOTH,
    learning_goal=None,
    agreement=None,
) -> FollowUp:
    """Add something agreed at the meeting. A link must be to the meeting's own child's goal or
    agreement (checked here too, whatever the form offered)."""
    meeting = _locked(meeting)
    if meeting.is_cancelled:
        raise ValidationError(_("This meeting has been cancelled."), code="cancelled")
    if not text.strip():
        raise ValidationError({"text": _("Write what you agreed.")})
    if responsible not in FollowUp.Responsible.values:
        raise ValidationError({"responsible": _("Choose one of the answers in the list.")})
    if learning_goal is not None and learning_goal.child_id != meeting.child_id:
        raise ValidationError({"learning_goal": _("Choose one of this child's learning goals.")})
    if agreement is not None and agreement.child_id != meeting.child_id:
        raise ValidationError({"agreement": _("Choose one of this child's agreements.")})
    if learning_goal is not None and agreement is not None:
        raise ValidationError(_("Link to a learning goal or to an agreement, not both."))
    follow_up = FollowUp.objects.create(
        meeting=meeting,
        text=text.strip(),
        responsible=responsible,
        follow_up_on=follow_up_on,
        learning_goal=learning_goal,
        agreement=agreement,
        created_by=user,
    )
    _audit(request, meeting, AccessEvent.Action.CREATE, "meeting_follow_up", object_id=follow_up.pk)
    return follow_up


@transaction.atomic
def followup_mark_done(*, request, user, follow_up: FollowUp, done: bool | None = None, now=None) -> FollowUp:
    """Mark a follow-up done, or not done again (``done=None`` toggles). Locks the row."""
    now = now or timezone.now()
    follow_up = (
        FollowUp.objects.select_for_update(of=("self",)).select_related("meeting__child").get(pk=follow_up.pk)
    )
    done = follow_up.done_at is None if done is None else done
    if done == (follow_up.done_at is not None):
        return follow_up
    follow_up.done_at = now if done else None
    follow_up.save(update_fields=["done_at"])
    _audit(request, follow_up.meeting, AccessEvent.Action.UPDATE, "meeting_follow_up", object_id=follow_up.pk)
    return follow_up
