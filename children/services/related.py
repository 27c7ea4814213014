"""Writes for related plans: record one, end it, and the custody holders'
decision per institution. Each in a transaction, with an access event; notices after commit."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from children.models import Enrollment, Guardianship, RelatedPlan, RelatedPlanConsent
from portal.audit.models import AccessEvent
from portal.audit.services import access_record
from portal.meetings.models import Notification
from portal.meetings.services.inbox import inbox_notify


def _name(user) -> str:
    return (user.get_full_name() or user.email)[:200]


def _custody_holders(child_id):
    from portal.accounts.models import User

    return User.objects.filter(
        pk__in=Guardianship.objects.active().filter(child_id=child_id, has_custody=True).values("user_id")
    ).order_by("pk")


@transaction.atomic
def related_plan_register(
    *, request, child, kind, since, coordinator_name, coordinator_role="", coordinator_phone="",
    coordinator_email="", actor_role="",
) -> RelatedPlan:  # fmt: skip
    """Record that the child has a related plan and who coordinates it. The custody holders get a notice
    (once per plan, after commit) and a to-do to decide who may see it."""
    if since > timezone.localdate():
        raise ValidationError({"since": _("The plan must already have begun.")})
    plan = RelatedPlan.objects.create(
        child=child,
        kind=kind,
        since=since,
        coordinator_name=coordinator_name,
        coordinator_role=coordinator_role,
        coordinator_phone=coordinator_phone,
        coordinator_email=coordinator_email,
        created_by=request.user,
        created_by_name=_name(request.user),
    )
    access_record(
        request=request,
        child=child,
        action=AccessEvent.Action.CREATE,
        subject="related_plan",
        object_id=plan.pk,
        actor_role=actor_role,
    )
    names = {"name": child.first_name}
    url = reverse("children:related_plan_detail", args=[plan.pk])

    def notify():
        inbox_notify(
            _custody_holders(child.pk),
            kind=Notification.Kind.RELATED_PLAN,
            key=f"related-plan-{plan.pk}",
            url=url,
            text=lambda user: (
                _("Decide who may see that %(name)s has a related plan") % names,
                _("It is recorded that %(name)s also has a plan made by the municipality, such as a social "
                  "action plan, and who coordinates it. You decide whether the staff at each of "
                  "%(name)s's places may see that it exists and who coordinates it, so the plans can be "
                  "thought together. They never see what it says.") % names,
            ),
        )  # fmt: skip

    transaction.on_commit(notify)
    return plan


def _lock(plan: RelatedPlan) -> RelatedPlan:
    return RelatedPlan.objects.select_for_update().select_related("child").get(pk=plan.pk)


@transaction.atomic
def related_plan_end(*, request, plan: RelatedPlan, ended_on, actor_role="") -> RelatedPlan:
    """Mark the plan ended; from the day after, staff with consent no longer see it."""
    plan = _lock(plan)
    if not plan.is_active:
        raise ValidationError(_("The plan has ended already."))
    if ended_on < plan.since:
        raise ValidationError({"ended_on": _("The plan cannot end before it began.")})
    if ended_on > timezone.localdate():
        raise ValidationError({"ended_on": _("Record the end when it has happened.")})
    plan.ended_on = ended_on
    plan.save(update_fields=["ended_on"])
    access_record(
        request=request,
        child=plan.child,
        action=AccessEvent.Action.UPDATE,
        subject="related_plan_end",
        object_id=plan.pk,
        actor_role=actor_role,
    )
    return plan


@transaction.atomic
def related_plan_consent_set(
    *, request, plan: RelatedPlan, institution_id: int, given: bool, actor_role=""
) -> RelatedPlanConsent:
    """A custody holder's yes or no for one institution where the child has a place now or later. The
    latest decision of either custody holder holds; a no takes effect at once."""
    plan = _lock(plan)
    if not plan.is_active:
        raise ValidationError(_("The plan has ended; there is nothing to decide."))
    places = Enrollment.objects.filter(child_id=plan.child_id, institution_id=institution_id).exclude(
        ended_on__lt=timezone.localdate()
    )
    if not places.exists():
        raise ValidationError({"institution": _("Choose one of your child's places.")})
    consent, _created = RelatedPlanConsent.objects.update_or_create(
        plan=plan,
        institution_id=institution_id,
        defaults={
            "given": given,
            "decided_by": request.user,
            "decided_by_name": _name(request.user),
            "decided_at": timezone.now(),
        },
    )
    access_record(
        request=request,
        child=plan.child,
        action=AccessEvent.Action.UPDATE,
        subject="related_plan_consent",
        object_id=plan.pk,
        actor_role=actor_role,
    )
    return consent
