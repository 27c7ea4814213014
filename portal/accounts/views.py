from allauth.core.internal import ratelimit
from allauth.mfa.totp.views import activate_totp
from allauth.socialaccount.adapter import get_adapter as get_social_adapter
from allauth.socialaccount.models import SocialApp
from allauth.socialaccount.providers.base import AuthProcess
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from children.policies import get_child_for_user_or_404
from portal.accounts import services
from portal.accounts.adapter import INVITATION_SESSION_KEY
from portal.accounts.forms import (
    AcceptInvitationForm,
    AdministratorInvitationForm,
    GuardianInvitationForm,
    MFASetupCodeForm,
    StaffInvitationForm,
)
from portal.accounts.models import Invitation, User
from portal.accounts.policies import (
    get_invitation_for_user_or_404,
    guardian_invitation_institution,
    invitations_visible_to,
)
from portal.audit.models import AccessEvent
from portal.audit.services import access_record_many
from portal.forms import add_service_errors
from portal.organisation.policies import institutions_managed_by, municipality_for_admin


@login_required
def invitation_list(request):
    invitations = list(
        invitations_visible_to(request.user)
        .select_related("institution", "child", "invited_by")
        .order_by("-created_at")[:200]
    )
    access_record_many(
        request=request,
        children=[i.child for i in invitations if i.child_id],
        action=AccessEvent.Action.LIST,
        subject="invitations",
    )
    is_admin = municipality_for_admin(request.user) is not None
    can_invite_staff = is_admin or institutions_managed_by(request.user).exists()
    if not can_invite_staff and not invitations:
        raise Http404
    return render(
        request,
        "accounts/invitation_list.html",
        {
            "invitations": invitations,
            "can_invite_staff": can_invite_staff,
            "can_invite_administrators": is_admin,
        },
    )


def _create(request, form, **fields):
    try:
        services.invitation_create(invited_by=request.user, **fields, **form.cleaned_data)
    except ValidationError as e:
        add_service_errors(form, e)
        return None
    days = services.invitation_ttl_days()
    messages.success(
        request,
        ngettext(
            "The invitation is on its way to %(email)s. It is valid for %(days)s day.",
            "The invitation is on its way to %(email)s. It is valid for %(days)s days.",
            days,
        )
        % {"email": form.cleaned_data["email"], "days": days},
    )
    return redirect("accounts:invitation_list")


@login_required
@require_http_methods(["GET", "POST"])
def invitation_create_staff(request):
    institutions = institutions_managed_by(request.user).filter(is_active=True)
    if not institutions.exists():
        raise Http404
    form = StaffInvitationForm(request.POST or None, institutions=institutions, initial=request.GET.dict())
    if request.method == "POST" and form.is_valid():
        institution = form.cleaned_data.pop("institution")
        response = _create(
            request,
            form,
            kind=Invitation.Kind.STAFF,
            municipality=institution.municipality,
            institution=institution,
        )
        if response:
            return response
    return render(request, "accounts/invitation_form.html", {"form": form, "kind": Invitation.Kind.STAFF})


@login_required
@require_http_methods(["GET", "POST"])
def invitation_create_administrator(request):
    municipality = municipality_for_admin(request.user)
    if municipality is None:
        raise Http404
    form = AdministratorInvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        response = _create(request, form, kind=Invitation.Kind.ADMINISTRATOR, municipality=municipality)
        if response:
            return response
    return render(
        request, "accounts/invitation_form.html", {"form": form, "kind": Invitation.Kind.ADMINISTRATOR}
    )


@login_required
@require_http_methods(["GET", "POST"])
def invitation_create_guardian(request, child_pk):
    child = get_child_for_user_or_404(request.user, child_pk)
    institution = guardian_invitation_institution(request.user, child)
    if institution is None:
        raise Http404
    form = GuardianInvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        response = _create(
            request,
            form,
            kind=Invitation.Kind.GUARDIAN,
            municipality=child.municipality,
            institution=institution,
            child=child,
        )
        if response:
            messages.success(
                request,
                _("When the person accepts, they can follow %(name)s here.") % {"name": child.first_name},
            )
            return redirect("children:child_detail", pk=child.pk)
    return render(
        request,
        "accounts/invitation_form.html",
        {"form": form, "kind": Invitation.Kind.GUARDIAN, "child": child},
    )


@login_required
@require_POST
def invitation_revoke(request, pk):
    invitation = get_invitation_for_user_or_404(request.user, pk)
    if services.invitation_revoke(invitation=invitation):
        messages.success(request, _("The invitation to %(email)s is revoked.") % {"email": invitation.email})
    else:
        messages.info(request, _("The invitation was already used, revoked or expired."))
    return redirect("accounts:invitation_list")


@never_cache
@require_http_methods(["GET", "POST"])
def invitation_accept(request, token):
    """The link in the invitation e-mail: choose a password (new people) and accept."""
    invitation = services.get_pending_invitation(token)
    if invitation is None:
        return render(request, "accounts/invitation_invalid.html", status=404)
    existing = User.objects.filter(email=invitation.email).first()
    needs_password = existing is None or not existing.has_usable_password()
    form = AcceptInvitationForm(request.POST or None, invitation=invitation) if needs_password else None
    if request.method == "POST" and (form is None or form.is_valid()):
        try:
            services.invitation_accept(
                token=token, password=(form.cleaned_data["password1"] or None) if form else None
            )
        except ValidationError:
            return render(request, "accounts/invitation_invalid.html", status=404)
        if request.user.is_authenticated and request.user.email != invitation.email:
            logout(request)
        messages.success(request, _("Welcome! Your access is ready. Log in with your e-mail address."))
        return redirect("account_login")
    apps = get_social_adapter().list_apps(request)
    providers = [(app.provider_id or app.provider, app.name) for app in apps]
    return render(
        request,
        "accounts/invitation_accept.html",
        {"invitation": invitation, "form": form, "token": token, "identity_providers": providers},
    )


@require_POST
def invitation_accept_with_provider(request, token, provider_id):
    """Accept the invitation by logging in with a broker (MitID); the identity is linked to the account
    when the broker sends the person back (SocialAccountAdapter.pre_social_login)."""
    if services.get_pending_invitation(token) is None:
        return render(request, "accounts/invitation_invalid.html", status=404)
    try:
        provider = get_social_adapter().get_provider(request, provider_id)
    except SocialApp.DoesNotExist:
        raise Http404 from None
    request.session[INVITATION_SESSION_KEY] = token
    return provider.redirect(request, AuthProcess.LOGIN)


@login_required
@require_http_methods(["GET", "POST"])
def mfa_setup_confirm(request):
    """Before the first authenticator: prove with a code mailed to the confirmed address that the account
    is yours. The password alone does not let someone set up their own authenticator on it."""
    if services.mfa_setup_confirmed(request):
        return redirect("mfa_activate_totp")
    form = MFASetupCodeForm(request.POST if "code" in request.POST else None)
    if request.method == "POST" and form.is_bound:
        if form.is_valid():
            if services.mfa_setup_code_confirm(request=request, code=form.cleaned_data["code"]):
                return redirect("mfa_activate_totp")
            form.add_error("code", _("The code is not right or no longer works. Ask for a new code."))
    elif request.method == "POST":
        key = str(request.user.pk)
        usage = ratelimit.consume(request, app="allauth.account", action="mfa_setup_code", key=key)
        if not usage:
            return ratelimit.respond_429(request)
        services.mfa_setup_code_send(request=request)
        messages.success(request, _("We have sent a code to your e-mail address. It works for 10 minutes."))
        return redirect("accounts:mfa_setup_confirm")
    return render(
        request,
        "accounts/mfa_setup_confirm.html",
        {"form": form, "code_sent": services.mfa_setup_code_pending(request)},
    )


@login_required
def mfa_activate_totp(request, *args, **kwargs):
    """allauth's authenticator setup, once the first authenticator is vouched for (mfa_setup_confirm)."""
    if not services.mfa_setup_confirmed(request):
        return redirect("accounts:mfa_setup_confirm")
    return activate_totp(request, *args, **kwargs)
