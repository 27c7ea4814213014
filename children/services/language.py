"""Every write to a language assessment: recording it, the parents' observations, the result, booking
the talk (through the meetings services), the home language plan and its follow-up. Each in one
transaction that locks the assessment row, audited. Showing the result to the family tells the
guardians in their inbox (queued after commit)."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from children.models import (
    Child,
    Guardianship,
    HomeActivity,
    HomeLanguagePlan,
    LanguageAssessment,
    LanguageObservation,
)
from children.models.competences import age_in_years
from children.services.activities import home_activity_try_record
from portal.audit.models import AccessEvent
from portal.audit.services import access_record
from portal.enqueue import enqueue
from portal.meetings.models import Meeting, MeetingKind, Notification
from portal.meetings.services.booking import meeting_plan
from portal.meetings.services.inbox import inbox_notify

MAX_PLAN_ACTIVITIES = 6
OBSERVATION_FIELDS = (
    "home_languages",
    "danish_at_home",
    "tells_about_things",
    "follows_two_steps",
    "enjoys_stories",
    "wonders",
)


def _audit(request, assessment, action, subject, actor_role) -> None:
    access_record(
        request=request,
        child=assessment.child,
        action=action,
        subject=subject,
        object_id=assessment.pk,
        actor_role=actor_role,
    )


def _locked(assessment: LanguageAssessment) -> LanguageAssessment:
    return (
        LanguageAssessment.objects.select_for_update(of=("self",))
        .select_related("child", "institution")
        .get(pk=assessment.pk)
    )


def stage_for(enrollment) -> str:
    """Which assessment a place makes: the national tool in 0. klasse at school, else the one around age 3."""
    if enrollment.institution.kind == enrollment.institution.Kind.SCHOOL:
        return LanguageAssessment.Stage.SCHOOL_START
    return LanguageAssessment.Stage.AGE_THREE


@transaction.atomic
def language_assessment_create(
    *, request, child: Child, enrollment, actor_role: str, planned_on: date | None = None
) -> LanguageAssessment:
    """Start a language assessment at the staff member's place: around age 3 outside school, in
    0. klasse at school, where it links back to the child's latest one from before school. One open
    assessment per child and place at a time (the child row is locked while it is checked)."""
    Child.objects.select_for_update().filter(pk=child.pk).first()
    stage = stage_for(enrollment)
    if stage == LanguageAssessment.Stage.SCHOOL_START:
        if enrollment.group is None or enrollment.group.school_year != 0:
            raise ValidationError(_("At school, the language assessment is made in 0. klasse."))
    else:
        years = age_in_years(child.birth_date)
        if years is None or not 2 <= years <= 6:
            raise ValidationError(_("The language assessment in daycare is made around age 3."))
    if LanguageAssessment.objects.filter(child=child, institution=enrollment.institution, result="").exists():
        raise ValidationError(
            _("%(name)s already has a language assessment here without a result. Record its result first.")
            % {"name": child.first_name}
        )
    earlier = None
    if stage == LanguageAssessment.Stage.SCHOOL_START:
        earlier = (
            LanguageAssessment.objects.filter(child=child, stage=LanguageAssessment.Stage.AGE_THREE)
            .exclude(result="")
            .order_by("-assessed_on", "-pk")
            .first()
        )
    assessment = LanguageAssessment.objects.create(
        child=child,
        institution=enrollment.institution,
        stage=stage,
        planned_on=planned_on,
        earlier=earlier,
        created_by=request.user,
    )
    _audit(request, assessment, AccessEvent.Action.CREATE, "language_assessment", actor_role)
    return assessment


@transaction.atomic
def language_observation_save(
    *, request, assessment: LanguageAssessment, actor_role: str, **answers
) -> LanguageObservation:
    """Save the parents' observations (new, or changed by either custody holder) while the assessment
    has no result; refused after."""
    assessment = _locked(assessment)
    if assessment.has_result:
        raise ValidationError(_("The assessment is done, so your answers can no longer be changed."))
    observation = LanguageObservation.objects.filter(assessment=assessment).first()
    created = observation is None
    if created:
        observation = LanguageObservation(assessment=assessment)
    for name in OBSERVATION_FIELDS:
        setattr(observation, name, answers[name])
    user = request.user
    observation.filled_by = user
    observation.filled_by_name = user.get_full_name() or user.email
    observation.filled_at = timezone.now()
    observation.full_clean()
    observation.save()
    _audit(
        request,
        assessment,
        AccessEvent.Action.CREATE if created else AccessEvent.Action.UPDATE,
        "language_observation",
        actor_role,
    )
    return observation


@transaction.atomic
def language_result_record(
    *,
    request,
    assessment: LanguageAssessment,
    actor_role: str,
    assessed_on: date,
    result: str,
    summary: str = "",
    tool_result: str = "",
    share: bool = False,
) -> LanguageAssessment:
    """Record (or correct) the result; ``share`` shows it to the family from now on (once shown it
    stays shown)."""
    assessment = _locked(assessment)
    if assessed_on > timezone.localdate():
        raise ValidationError({"assessed_on": _("The assessment cannot be dated in the future.")})
    assessment.assessed_on = assessed_on
    assessment.result = result
    assessment.summary = summary
    assessment.tool_result = tool_result if assessment.stage == LanguageAssessment.Stage.SCHOOL_START else ""
    shown_now = share and assessment.shared_at is None
    if shown_now:
        assessment.shared_at = timezone.now()
    assessment.full_clean()
    assessment.save(
        update_fields=["assessed_on", "result", "summary", "tool_result", "shared_at", "updated_at"]
    )
    _audit(request, assessment, AccessEvent.Action.UPDATE, "language_result", actor_role)
    if shown_now:
        enqueue("children.notify_language_result_shared", assessment.pk)
    return assessment


def language_result_notice_text(assessment: LanguageAssessment) -> tuple[str, str]:
    """The notice's title and line, in the active language, when the result is shown to the family."""
    names = {"name": assessment.child.first_name, "place": assessment.institution.name}
    title = _("The result of %(name)s's language assessment is ready") % names
    line = (
        _(
            "%(place)s has shown you what they found in %(name)s's language assessment. Read it, and "
            "see what you can do at home to help %(name)s with language."
        )
        % names
    )
    return title, line


def language_result_notices_send(*, assessment_id: int) -> int:
    """Put a notice in the inbox of each guardian with the right to information once the result is
    shown to the family, in their language; one per person and assessment (its key), so running it
    again adds nothing. Nothing for an assessment gone or not shown. Returns how many guardians it
    concerns."""
    assessment = (
        LanguageAssessment.objects.filter(pk=assessment_id, shared_at__isnull=False)
        .select_related("child", "institution")
        .first()
    )
    if assessment is None:
        return 0
    guardians = [
        g.user
        for g in Guardianship.objects.with_information()
        .filter(child_id=assessment.child_id)
        .select_related("user")
        .order_by("user_id")
    ]
    return inbox_notify(
        guardians,
        kind=Notification.Kind.LANGUAGE_RESULT,
        key=f"language-result-{assessment.pk}",
        url=reverse("children:language_assessment_detail", args=[assessment.pk]),
        text=lambda user: language_result_notice_text(assessment),
    )


@transaction.atomic
def language_talk_book(
    *, request, assessment: LanguageAssessment, actor_role: str, starts_at, ends_at, **meeting
) -> LanguageAssessment:
    """Book the talk with the family about the assessment: a meeting of the language-assessment kind
    at the assessment's place, planned by the meetings service (reminders and the family's invitation
    with it). Refused while an earlier booked talk is still on."""
    assessment = _locked(assessment)
    if assessment.meeting_id is not None and Meeting.objects.live().filter(pk=assessment.meeting_id).exists():
        raise ValidationError(_("The talk is booked already. Move or cancel it on the meeting's page."))
    planned = meeting_plan(
        request=request,
        user=request.user,
        kind=MeetingKind.LANGUAGE_ASSESSMENT,
        institution=assessment.institution,
        child=assessment.child,
        starts_at=starts_at,
        ends_at=ends_at,
        **meeting,
    )
    assessment.meeting = planned
    assessment.save(update_fields=["meeting", "updated_at"])
    return assessment


@transaction.atomic
def home_language_plan_save(
    *,
    request,
    assessment: LanguageAssessment,
    actor_role: str,
    activities,
    follow_up_on: date,
    note: str = "",
) -> HomeLanguagePlan:
    """Make or change the home language plan: one to six activities from the library of the
    assessment's municipality, a word to the family and a follow-up date. Needs a result."""
    assessment = _locked(assessment)
    if not assessment.has_result:
        raise ValidationError(_("Record the result first; the home plan builds on it."))
    activities = list(activities)
    if not 1 <= len(activities) <= MAX_PLAN_ACTIVITIES:
        raise ValidationError(
            {"activities": _("Choose between one and %(max)s activities.") % {"max": MAX_PLAN_ACTIVITIES}}
        )
    if any(a.municipality_id != assessment.institution.municipality_id for a in activities):
        raise ValidationError({"activities": _("Choose activities from your municipality's library.")})
    if follow_up_on <= timezone.localdate():
        raise ValidationError({"follow_up_on": _("Choose a follow-up date after today.")})
    plan = HomeLanguagePlan.objects.filter(assessment=assessment).first()
    created = plan is None
    if created:
        plan = HomeLanguagePlan(assessment=assessment, created_by=request.user)
    elif plan.follow_up_on != follow_up_on:
        plan.followed_up_at = None  # a new date is a new follow-up to do
    plan.note = note
    plan.follow_up_on = follow_up_on
    plan.full_clean(exclude=["activities"])
    plan.save()
    plan.activities.set(activities)
    _audit(
        request,
        assessment,
        AccessEvent.Action.CREATE if created else AccessEvent.Action.UPDATE,
        "home_language_plan",
        actor_role,
    )
    return plan


@transaction.atomic
def home_language_plan_follow_up(
    *, request, plan: HomeLanguagePlan, actor_role: str, note: str, next_on: date | None = None
) -> HomeLanguagePlan:
    """Record the follow-up of the home plan: done (the staff's to-do goes away), or with ``next_on``
    a new date to follow up again."""
    plan = HomeLanguagePlan.objects.select_for_update().select_related("assessment__child").get(pk=plan.pk)
    if next_on is not None and next_on <= timezone.localdate():
        raise ValidationError({"next_on": _("Choose a date after today.")})
    plan.follow_up_note = note
    if next_on is None:
        plan.followed_up_at = timezone.now()
    else:
        plan.follow_up_on = next_on
        plan.followed_up_at = None
    plan.save(update_fields=["follow_up_note", "followed_up_at", "follow_up_on", "updated_at"])
    _audit(request, plan.assessment, AccessEvent.Action.UPDATE, "home_language_plan_follow_up", actor_role)
    return plan


@transaction.atomic
def home_language_plan_try(
    *, request, plan: HomeLanguagePlan, activity: HomeActivity, actor_role: str, outcome: str, note: str = ""
):
    """A guardian's "we tried it: how it went" about one activity of the plan."""
    if not plan.activities.filter(pk=activity.pk).exists():
        raise ValidationError({"activity": _("Choose one of the activities in the plan.")})
    return home_activity_try_record(
        request=request,
        activity=activity,
        child=plan.assessment.child,
        outcome=outcome,
        note=note,
        language_plan=plan,
        actor_role=actor_role,
    )
