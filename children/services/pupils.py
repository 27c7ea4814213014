"""Every write of the pupil's login and voice: login codes, the login itself and its end, reflections
and messages to the parents. Each runs in one transaction and is audited; notices go after commit."""

import secrets
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from children.models import (
    Child,
    FocusPoint,
    Guardianship,
    LearningPlan,
    PlanVersion,
    PupilAccount,
    PupilCode,
    PupilMessage,
    PupilReflection,
)
from portal.accounts.models import User, hash_token
from portal.audit.models import AccessEvent
from portal.audit.services import access_record
from portal.enqueue import enqueue
from portal.meetings.models import Notification
from portal.meetings.services.inbox import inbox_notify

# Letters and digits that cannot be mistaken for each other when read aloud or from paper.
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8
CODE_TTL = timedelta(days=14)


def normal_code(code: str) -> str:
    """A code as typed: any case, with or without its dash and spaces."""
    return "".join(str(code).upper().split()).replace("-", "")


def _code_hash(code: str) -> str:
    return hash_token(normal_code(code))


@transaction.atomic
def pupil_code_create(*, request, child: Child, actor_role: str) -> str:
    """A new one-time login code for the pupil, valid for 14 days; earlier unused codes stop working.
    Returns the code to show once: only its hash is stored."""
    now = timezone.now()
    PupilCode.objects.pending(now=now).filter(child=child).update(revoked_at=now)
    raw = "".join(secrets.choice(CODE_ALPHABET) for _i in range(CODE_LENGTH))
    code = PupilCode.objects.create(
        child=child,
        code_hash=_code_hash(raw),
        created_by=request.user,
        created_at=now,
        expires_at=now + CODE_TTL,
    )
    access_record(
        request=request,
        child=child,
        action=AccessEvent.Action.CREATE,
        subject="pupil_code",
        object_id=code.pk,
        actor_role=actor_role,
    )
    return f"{raw[:4]}-{raw[4:]}"


@transaction.atomic
def pupil_login_revoke(*, request, child: Child, actor_role: str) -> bool:
    """End the pupil's login and any unused code at once. False when there was nothing to end."""
    now = timezone.now()
    codes = PupilCode.objects.pending(now=now).filter(child=child).update(revoked_at=now)
    accounts = (
        PupilAccount.objects.active().filter(child=child).update(revoked_at=now, revoked_by=request.user)
    )
    if not codes and not accounts:
        return False
    access_record(
        request=request,
        child=child,
        action=AccessEvent.Action.UPDATE,
        subject="pupil_login_revoke",
        actor_role=actor_role,
    )
    return True


@transaction.atomic
def pupil_code_redeem(*, code: str, email: str, password: str) -> PupilAccount:
    """Make the pupil's login with a code: a new person (never an existing login), linked to the code's
    child; the code is used once (the row is locked) and an earlier login of the pupil ends. The e-mail
    address is confirmed by allauth at the next login, as for everyone."""
    now = timezone.now()
    found = PupilCode.objects.pending(now=now).select_for_update().filter(code_hash=_code_hash(code)).first()
    if found is None:
        raise ValidationError(
            {"code": _("The code is not right or no longer works. Ask your teacher for a new code.")}
        )
    email = User.objects.normalize_email(email.strip()).lower()
    if (
        User.objects.filter(email__iexact=email).exists()
        or EmailAddress.objects.filter(email__iexact=email).exists()
    ):
        raise ValidationError(
            {"email": _("This e-mail address already has a login. Use another address, or ask your teacher.")}
        )
    child = Child.objects.get(pk=found.child_id)
    user = User(email=email, first_name=child.first_name, last_name=child.last_name, notify_by_email=False)
    try:
        password_validation.validate_password(password, user)
    except ValidationError as e:
        raise ValidationError({"password1": e.messages}) from None
    user.set_password(password)
    user.save()
    EmailAddress.objects.create(user=user, email=email, verified=False, primary=True)
    PupilAccount.objects.active().filter(child=child).update(revoked_at=now)
    account = PupilAccount.objects.create(user=user, child=child, created_by=found.created_by, created_at=now)
    PupilCode.objects.filter(pk=found.pk).update(used_at=now)
    return account


def _name(user) -> str:
    return (user.get_full_name() or user.email)[:200]


@transaction.atomic
def pupil_reflection_add(
    *, request, account: PupilAccount, plan: LearningPlan, focus_point: FocusPoint, text: str
) -> PupilReflection:
    """The pupil's thoughts on a focus point of their plan, kept with the day and the version read."""
    if plan.child_id != account.child_id or focus_point.plan_id != plan.pk:
        raise ValidationError({"focus_point": _("Choose one of the focus points in your plan.")})
    version = PlanVersion.objects.filter(plan=plan, number=plan.published_number).first()
    reflection = PupilReflection(
        plan=plan,
        focus_point=focus_point,
        version=version,
        author=request.user,
        author_name=_name(request.user),
        text=text.strip(),
    )
    reflection.full_clean()
    reflection.save()
    access_record(
        request=request,
        child=plan.child,
        action=AccessEvent.Action.CREATE,
        subject="pupil_reflection",
        object_id=reflection.pk,
        actor_role=_pupil_label(),
    )
    return reflection


@transaction.atomic
def pupil_message_send(*, request, account: PupilAccount, plan: LearningPlan, text: str) -> PupilMessage:
    """The pupil's message to their parents; each guardian with the right to information gets a notice
    after commit."""
    if plan.child_id != account.child_id:
        raise ValidationError(_("You can only write in your own plan."))
    message = PupilMessage(plan=plan, author=request.user, author_name=_name(request.user), text=text.strip())
    message.full_clean()
    message.save()
    access_record(
        request=request,
        child=plan.child,
        action=AccessEvent.Action.CREATE,
        subject="pupil_message",
        object_id=message.pk,
        actor_role=_pupil_label(),
    )
    enqueue("children.notify_pupil_message", message.pk)
    return message


def _pupil_label() -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return _("Pupil")


def pupil_message_notices_send(*, message_id: int) -> int:
    """A notice in the inbox of each guardian with the right to information, in their language; one per
    person and message (its key), so running it again adds nothing. Returns how many it concerns."""
    message = PupilMessage.objects.filter(pk=message_id).select_related("plan__child").first()
    if message is None:
        return 0
    child = message.plan.child
    guardians = [
        g.user
        for g in Guardianship.objects.with_information()
        .filter(child_id=child.pk)
        .select_related("user")
        .order_by("user_id")
    ]
    names = {"name": child.first_name}
    return inbox_notify(
        guardians,
        kind=Notification.Kind.PLAN_PUBLISHED,
        key=f"pupil-message-{message.pk}",
        url=reverse("children:plan_detail", args=[message.plan_id]) + "#pupil-messages",
        text=lambda user: (
            _("%(name)s has written to you in the pupil plan") % names,
            _("%(name)s tells you how you can help. Read the message in the pupil plan.") % names,
        ),
    )
