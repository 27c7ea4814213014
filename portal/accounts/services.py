"""Invitations (the only way into the portal) and the MFA secrets at rest."""

import secrets
import time
from datetime import timedelta

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _

from children.models import Guardianship
from portal.accounts import mfa
from portal.accounts.models import Invitation, User, hash_token
from portal.context_processors import site
from portal.enqueue import enqueue
from portal.organisation.models import MunicipalAdministrator, StaffMembership


def invitation_create(
    *,
    invited_by: User,
    kind: str,
    municipality,
    email: str,
    first_name: str,
    last_name: str,
    institution=None,
    role: str = "",
    child=None,
    relation: str = "",
    has_custody: bool = True,
) -> Invitation:
    """Create an invitation and queue its e-mail after commit. The link's token is made when it is sent."""
    email = email.strip().lower()
    if (
        Invitation.objects.pending()
        .filter(email=email, kind=kind, institution=institution, child=child)
        .exists()
    ):
        raise ValidationError(
            _("This person already has an invitation waiting. Revoke it first to send a new one.")
        )
    with transaction.atomic():
        invitation = Invitation.objects.create(
            email=email,
            first_name=first_name.strip(),
            last_name=last_name.strip(),
            kind=kind,
            municipality=municipality,
            institution=institution,
            role=role,
            child=child,
            relation=relation,
            has_custody=has_custody,
            invited_by=invited_by,
            expires_at=timezone.now() + settings.INVITATION_TTL,
        )
        enqueue("accounts.send_invitation", invitation.pk)
    return invitation


def invitation_ttl_days() -> int:
    return settings.INVITATION_TTL.days


def invitation_url(token: str) -> str:
    return settings.SITE_URL + reverse("accounts:invitation_accept", args=[token])


def invitation_send(*, invitation_id: int) -> bool:
    """Send the invitation e-mail once.

    Claims the row with a conditional UPDATE that also stores the new token's hash, so the raw token
    exists only in the e-mail and a retry or a second worker never sends twice.
    """
    token = secrets.token_urlsafe(32)
    claimed = (
        Invitation.objects.pending()
        .filter(pk=invitation_id, sent_at__isnull=True)
        .update(sent_at=timezone.now(), token_hash=Invitation.hash_token(token))
    )
    if not claimed:
        return False
    invitation = Invitation.objects.select_related("municipality", "institution", "child", "invited_by").get(
        pk=invitation_id
    )
    existing = User.objects.filter(email=invitation.email).only("language").first()
    language = existing.language if existing else settings.LANGUAGE_CODE
    with translation.override(language):
        context = {"invitation": invitation, "url": invitation_url(token), **site()}
        subject = _("You are invited to %(site)s") % {"site": settings.SITE_NAME}
        text = render_to_string("accounts/email/invitation.txt", context)
        html = render_to_string("accounts/email/invitation.html", context)
    message = EmailMultiAlternatives(subject, text, to=[invitation.email])
    message.attach_alternative(html, "text/html")
    try:
        message.send()
    except Exception:
        # Release the claim so the retry can send it.
        Invitation.objects.filter(pk=invitation_id).update(sent_at=None, token_hash=None)
        raise
    return True


def invitation_revoke(*, invitation: Invitation) -> bool:
    """Revoke a pending invitation; its link stops working at once."""
    return bool(Invitation.objects.pending().filter(pk=invitation.pk).update(revoked_at=timezone.now()))


def get_pending_invitation(token: str) -> Invitation | None:
    return (
        Invitation.objects.pending()
        .select_related("municipality", "institution", "child")
        .filter(token_hash=Invitation.hash_token(token))
        .first()
    )


@transaction.atomic
def invitation_accept(*, token: str, password: str | None = None) -> User:
    """Accept an invitation: create (or reuse) the account and grant the role, exactly once."""
    invitation = (
        Invitation.objects.pending()
        .select_for_update()
        .filter(token_hash=Invitation.hash_token(token))
        .first()
    )
    if invitation is None:
        raise ValidationError(
            _("This invitation is no longer valid. Ask the person who invited you for a new one.")
        )
    user = User.objects.filter(email=invitation.email).first()
    if user is None:
        user = User(email=invitation.email, first_name=invitation.first_name, last_name=invitation.last_name)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save()
    elif password and not user.has_usable_password():
        user.set_password(password)
        user.save(update_fields=["password"])
    EmailAddress.objects.update_or_create(
        user=user, email=invitation.email, defaults={"verified": True, "primary": True}
    )
    if invitation.kind == Invitation.Kind.STAFF:
        StaffMembership.objects.get_or_create(
            user=user, institution=invitation.institution, role=invitation.role, ended_on=None
        )
    elif invitation.kind == Invitation.Kind.ADMINISTRATOR:
        MunicipalAdministrator.objects.get_or_create(user=user, municipality=invitation.municipality)
    else:
        Guardianship.objects.get_or_create(
            user=user,
            child=invitation.child,
            ended_on=None,
            defaults={"relation": invitation.relation or "parent", "has_custody": invitation.has_custody},
        )
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    return user


@transaction.atomic
def invitation_accept_with_identity(*, request, token: str, sociallogin) -> User:
    """Accept an invitation with a broker (MitID) login and link that identity to the account, together:
    the invitation link stands for the e-mail address, the broker for the person."""
    user = invitation_accept(token=token)
    sociallogin.connect(request, user)
    return user


def invitations_purge_stale(*, older_than_days: int = 90) -> int:
    """Delete invitations that ended (expired, revoked or accepted) long ago. Idempotent."""
    cutoff = timezone.now() - timedelta(days=older_than_days)
    deleted, _detail = (
        Invitation.objects.filter(expires_at__lt=cutoff).exclude(accepted_at__gte=cutoff).delete()
    )
    return deleted


@transaction.atomic
def mfa_secrets_rotate() -> tuple[int, int]:
    """Re-encrypt every stored MFA secret under the first key of MFA_ENCRYPTION_KEYS (the key that
    encrypts), in one transaction with the rows locked. Idempotent: rows already under the first key
    are left alone. Returns (rewritten, unchanged); raises InvalidToken, changing nothing, if a secret
    decrypts with none of the keys."""
    keys = mfa.encryption_keys()
    fernet = mfa.fernet(keys)
    rewritten = unchanged = 0
    rows = Authenticator.objects.select_for_update().filter(type__in=list(mfa.SECRET_FIELDS)).order_by("pk")
    for authenticator in rows:
        if all(
            mfa.is_current(value, keys) for value in mfa.secret_values(authenticator.type, authenticator.data)
        ):
            unchanged += 1
            continue
        authenticator.data = mfa.map_secrets(
            authenticator.type, authenticator.data, lambda value: mfa.rotate(value, with_fernet=fernet)
        )
        authenticator.save(update_fields=["data"])
        rewritten += 1
    return rewritten, unchanged


def user_mfa_failure_record(*, user: User) -> int:
    """Count one more wrong two-step code in a row at login and return the count. Every
    MFA_FAILURES_TO_END_LOGIN-th mails each verified address of the person (once per such event)."""
    from portal.accounts.policies import MFA_FAILURES_TO_END_LOGIN, MFA_FAILURES_TO_LOCK

    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        locked.mfa_failures += 1
        locked.save(update_fields=["mfa_failures"])
    user.mfa_failures = failures = locked.mfa_failures
    if failures % MFA_FAILURES_TO_END_LOGIN == 0:
        _mfa_guessing_mail(user=locked, failures=failures, locked=failures >= MFA_FAILURES_TO_LOCK)
    return failures


def user_mfa_failures_reset(*, user: User) -> None:
    """A right two-step code: the wrong ones before it no longer count."""
    if user.mfa_failures:
        User.objects.filter(pk=user.pk).update(mfa_failures=0)
        user.mfa_failures = 0


def _mfa_guessing_mail(*, user: User, failures: int, locked: bool) -> None:
    from allauth.account.adapter import get_adapter

    context = {
        "failures": failures,
        "locked": locked,
        "reset_url": settings.SITE_URL + reverse("account_reset_password"),
    }
    addresses = EmailAddress.objects.filter(user=user, verified=True).values_list("email", flat=True)
    with translation.override(user.language or settings.LANGUAGE_CODE):
        for email in addresses:
            get_adapter().send_mail("mfa/email/code_guessing", email, context)


# Before the first authenticator: a one-time code mailed to the person's confirmed addresses, so the
# password alone cannot set up someone else's authenticator. Only the code's hash is kept (in the session).
MFA_SETUP_CODE_SESSION_KEY = "accounts.mfa_setup_code"
MFA_SETUP_CONFIRMED_SESSION_KEY = "accounts.mfa_setup_confirmed_at"
MFA_SETUP_CODE_LIFETIME = 600  # seconds, for the code and for the confirmation it gives
MFA_SETUP_CODE_TRIES = 3


def _normal_code(code: str) -> str:
    """A code as typed: any case, with or without its dash and spaces."""
    return "".join(code.upper().split()).replace("-", "")


def mfa_setup_code_send(*, request) -> None:
    """Mail a new code to every confirmed address of the signed-in person; earlier codes stop working."""
    from allauth.account.adapter import get_adapter

    adapter = get_adapter(request)
    code = adapter.generate_login_code()
    state = {"hash": hash_token(_normal_code(code)), "at": time.time(), "tries": 0}
    request.session[MFA_SETUP_CODE_SESSION_KEY] = state
    addresses = EmailAddress.objects.filter(user=request.user, verified=True)
    for email in addresses.values_list("email", flat=True):
        adapter.send_mail("mfa/email/setup_code", email, {"code": code})


def mfa_setup_code_confirm(*, request, code: str) -> bool:
    """Check the mailed code: right within its lifetime and tries, it lets this session set up the first
    authenticator for a while. A code is used once; too many wrong tries end it."""
    state = request.session.get(MFA_SETUP_CODE_SESSION_KEY)
    if not state or time.time() - state["at"] > MFA_SETUP_CODE_LIFETIME:
        request.session.pop(MFA_SETUP_CODE_SESSION_KEY, None)
        return False
    if constant_time_compare(hash_token(_normal_code(code)), state["hash"]):
        del request.session[MFA_SETUP_CODE_SESSION_KEY]
        request.session[MFA_SETUP_CONFIRMED_SESSION_KEY] = time.time()
        return True
    state["tries"] += 1
    if state["tries"] >= MFA_SETUP_CODE_TRIES:
        del request.session[MFA_SETUP_CODE_SESSION_KEY]
    else:
        request.session[MFA_SETUP_CODE_SESSION_KEY] = state
    return False


def mfa_setup_code_pending(request) -> bool:
    state = request.session.get(MFA_SETUP_CODE_SESSION_KEY)
    return bool(state) and time.time() - state["at"] <= MFA_SETUP_CODE_LIFETIME


def mfa_setup_confirmed(request) -> bool:
    """The person has an authenticator already, or confirmed a mailed code in this session just now."""
    if Authenticator.objects.filter(user=request.user).exists():
        return True
    at = request.session.get(MFA_SETUP_CONFIRMED_SESSION_KEY)
    return at is not None and time.time() - at <= MFA_SETUP_CODE_LIFETIME
