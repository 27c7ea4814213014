"""Every write to education plans and to the municipality's list of youth educations.

Each change of a plan runs in one transaction on the locked plan row, is refused after the application
deadline, raises the plan's version (so a confirmation given before asks to be given again), records an
access event and writes the custody holders' notices: once when the plan is ready to confirm, and once per
version to those who had confirmed an earlier one.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from children.models import Enrollment, Guardianship
from portal.audit.models import AccessEvent
from portal.audit.services import access_record
from portal.meetings.models import Notification
from portal.meetings.services.inbox import inbox_notify
from transitions.models import (
    EducationPlan,
    EducationPlanConfirmation,
    EducationPlanRemark,
    EducationWish,
    YouthEducation,
)
from transitions.models.education import MAX_WISHES, SEED_NAMES, application_deadline, school_year_of
from transitions.policies.education import class_enrollment_filter


def _name(user) -> str:
    return (user.get_full_name() or user.email)[:200]


# --- the municipality's list ------------------------------------------------------------------------
def youth_educations_ensure(*, municipality_id: int) -> None:
    """The municipality has its list: the 2026 names if it has none yet (idempotent)."""
    if YouthEducation.objects.filter(municipality_id=municipality_id).exists():
        return
    YouthEducation.objects.bulk_create(
        [
            YouthEducation(municipality_id=municipality_id, name=name, position=position)
            for position, name in enumerate(SEED_NAMES, start=1)
        ],
        ignore_conflicts=True,
    )


def _unique_name(create) -> YouthEducation:
    try:
        with transaction.atomic():
            return create()
    except IntegrityError:
        raise ValidationError({"name": _("The list already has a youth education of that name.")}) from None


@transaction.atomic
def youth_education_add(*, municipality, name: str) -> YouthEducation:
    """A new youth education at the end of the municipality's list."""
    youth_educations_ensure(municipality_id=municipality.pk)
    last = YouthEducation.objects.filter(municipality=municipality).aggregate(last=Max("position"))["last"]
    return _unique_name(
        lambda: YouthEducation.objects.create(
            municipality=municipality, name=name.strip(), position=(last or 0) + 1
        )
    )


@transaction.atomic
def youth_education_update(*, education: YouthEducation, name: str, position: int, is_offered: bool):
    """Rename, move or mark as no longer offered; the plans that chose it keep it."""
    education.name, education.position, education.is_offered = name.strip(), position, is_offered
    return _unique_name(lambda: education.save(update_fields=["name", "position", "is_offered"]) or education)


# --- plans ------------------------------------------------------------------------------------------
def class_enrollment(child, *, on=None) -> Enrollment | None:
    """The child's current place in 8. or 9. klasse at a school, with its group and school."""
    return (
        Enrollment.objects.current(on=on)
        .filter(class_enrollment_filter(), child=child)
        .select_related("group", "institution")
        .order_by("-started_on", "pk")
        .first()
    )


@transaction.atomic
def education_plan_start(*, request, child, actor_role="", now=None) -> EducationPlan:
    """This school year's plan for a pupil in 8. or 9. klasse (the existing one if it is there)."""
    now = now or timezone.now()
    place = class_enrollment(child, on=timezone.localdate(now))
    if place is None:
        raise ValidationError(_("Only pupils in 8. or 9. klasse have an education plan."))
    year = school_year_of(timezone.localdate(now))
    youth_educations_ensure(municipality_id=child.municipality_id)
    plan, created = EducationPlan.objects.get_or_create(
        child=child,
        school_year=year,
        defaults={
            "institution": place.institution,
            "class_level": place.group.school_year,
            "deadline": application_deadline(school_year=year, class_level=place.group.school_year),
            "created_by": request.user,
            "created_at": now,
            "updated_at": now,
        },
    )
    if created:
        access_record(
            request=request,
            child=child,
            action=AccessEvent.Action.CREATE,
            subject="education_plan",
            object_id=plan.pk,
            actor_role=actor_role,
        )
    return plan


def _lock(plan: EducationPlan, now) -> EducationPlan:
    """The plan locked for a change; refused after the application deadline."""
    locked = EducationPlan.objects.select_for_update().select_related("child").get(pk=plan.pk)
    if locked.is_locked(now=now):
        raise ValidationError(_("The application deadline has passed, so the plan can no longer be changed."))
    return locked


def _changed(*, request, plan: EducationPlan, fields: list[str], now, actor_role: str) -> EducationPlan:
    """A new version: saved, recorded, and the custody holders told what they need to know."""
    previous = plan.version
    plan.version = previous + 1
    plan.updated_at = now
    fields = [*fields, "version", "updated_at"]
    became_ready = False
    if plan.ready_at is None and plan.guidance and plan.wishes.exists():
        plan.ready_at, became_ready = now, True
        fields.append("ready_at")
    plan.save(update_fields=fields)
    access_record(
        request=request,
        child=plan.child,
        action=AccessEvent.Action.UPDATE,
        subject="education_plan",
        object_id=plan.pk,
        actor_role=actor_role,
    )
    if became_ready:
        _notify_ready(plan)
    else:
        confirmed = set(EducationPlanConfirmation.objects.filter(plan=plan).values_list("user_id", flat=True))
        if confirmed:
            _notify_changed(plan, confirmed - {request.user.pk})
    return plan


def _custody_holders(plan: EducationPlan):
    from portal.accounts.models import User

    holders = Guardianship.objects.active().filter(child_id=plan.child_id, has_custody=True)
    return User.objects.filter(pk__in=holders.values("user_id")).order_by("pk")


def _plan_url(plan: EducationPlan) -> str:
    return reverse("transitions:education_plan_detail", args=[plan.pk])


def _notify_ready(plan: EducationPlan) -> None:
    def text(user):
        names = {"name": plan.child.first_name, "date": date_format(plan.deadline, "DATE_FORMAT")}
        return (
            _("%(name)s's education plan is ready for you to confirm") % names,
            _(
                "Read %(name)s's wishes and the counsellor's guidance, add your remarks if you like, and "
                "confirm the plan by %(date)s. The application itself is made on Optagelse.dk."
            )
            % names,
        )

    inbox_notify(
        _custody_holders(plan),
        kind=Notification.Kind.EDUCATION_PLAN,
        key=f"education-plan-ready-{plan.pk}",
        url=_plan_url(plan),
        text=text,
    )


def _notify_changed(plan: EducationPlan, user_ids: set[int]) -> None:
    def text(user):
        names = {"name": plan.child.first_name, "date": date_format(plan.deadline, "DATE_FORMAT")}
        return (
            _("%(name)s's education plan has changed") % names,
            _("The plan has changed since you confirmed it. Read it again and confirm it by %(date)s.")
            % names,
        )

    inbox_notify(
        _custody_holders(plan).filter(pk__in=user_ids),
        kind=Notification.Kind.EDUCATION_PLAN,
        key=f"education-plan-changed-{plan.pk}-{plan.version}",
        url=_plan_url(plan),
        text=text,
    )


@transaction.atomic
def education_plan_wishes_save(
    *, request, plan: EducationPlan, goals: str, educations: list[YouthEducation], actor_role="", now=None
) -> EducationPlan:
    """The pupil's goals and wishes, in the order given (first is most wanted)."""
    now = now or timezone.now()
    plan = _lock(plan, now)
    if not educations:
        raise ValidationError({"wish_1": _("Choose at least one youth education.")})
    if len(educations) > MAX_WISHES:
        raise ValidationError(_("Choose at most %(count)s youth educations.") % {"count": MAX_WISHES})
    if len({e.pk for e in educations}) != len(educations):
        raise ValidationError(_("Choose each youth education only once."))
    kept = {w.education_id for w in plan.wishes.all()}
    for education in educations:
        if education.municipality_id != plan.child.municipality_id or not (
            education.is_offered or education.pk in kept
        ):
            raise ValidationError(_("Choose from the list of youth educations."))
    plan.wishes.all().delete()
    EducationWish.objects.bulk_create(
        EducationWish(plan=plan, education=education, rank=rank)
        for rank, education in enumerate(educations, start=1)
    )
    plan.goals, plan.goals_at = goals.strip(), now
    return _changed(request=request, plan=plan, fields=["goals", "goals_at"], now=now, actor_role=actor_role)


@transaction.atomic
def education_plan_guidance_save(*, request, plan: EducationPlan, text: str, actor_role="", now=None):
    """The UU counsellor's guidance."""
    now = now or timezone.now()
    plan = _lock(plan, now)
    plan.guidance, plan.guidance_by_name, plan.guidance_at = text.strip(), _name(request.user), now
    return _changed(
        request=request,
        plan=plan,
        fields=["guidance", "guidance_by_name", "guidance_at"],
        now=now,
        actor_role=actor_role,
    )


@transaction.atomic
def education_plan_effort_save(*, request, plan: EducationPlan, text: str, actor_role="", now=None):
    """The school's targeted effort for a pupil who needs it (empty: none)."""
    now = now or timezone.now()
    plan = _lock(plan, now)
    plan.effort, plan.effort_by_name, plan.effort_at = text.strip(), _name(request.user), now
    return _changed(
        request=request,
        plan=plan,
        fields=["effort", "effort_by_name", "effort_at"],
        now=now,
        actor_role=actor_role,
    )


@transaction.atomic
def education_plan_remarks_save(*, request, plan: EducationPlan, text: str, actor_role="", now=None):
    """One custody holder's remarks (replacing their earlier ones; empty removes them)."""
    now = now or timezone.now()
    plan = _lock(plan, now)
    text = text.strip()
    if text:
        EducationPlanRemark.objects.update_or_create(
            plan=plan,
            author=request.user,
            defaults={"text": text, "author_name": _name(request.user), "updated_at": now},
        )
    elif not EducationPlanRemark.objects.filter(plan=plan, author=request.user).delete()[0]:
        raise ValidationError({"text": _("Write your remarks.")})
    return _changed(request=request, plan=plan, fields=[], now=now, actor_role=actor_role)


@transaction.atomic
def education_plan_confirm(*, request, plan: EducationPlan, version: int, actor_role="", now=None):
    """A custody holder confirms the version they read; refused if it has changed since, before it is
    ready and after the deadline. Confirming the same version twice records it once."""
    now = now or timezone.now()
    plan = _lock(plan, now)
    if plan.ready_at is None:
        raise ValidationError(_("The plan is not ready yet: it needs the pupil's wishes and the guidance."))
    if version != plan.version:
        raise ValidationError(_("The plan changed while you were reading it. Read it again, then confirm."))
    confirmation, created = EducationPlanConfirmation.objects.get_or_create(
        plan=plan,
        user=request.user,
        version=version,
        defaults={"user_name": _name(request.user), "confirmed_at": now},
    )
    if created:
        access_record(
            request=request,
            child=plan.child,
            action=AccessEvent.Action.UPDATE,
            subject="education_plan_confirmation",
            object_id=plan.pk,
            actor_role=actor_role,
        )
    return confirmation
