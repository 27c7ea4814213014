"""The pupil's own pages (their plan, reflections, messages to their parents), the "I'm a pupil" sign-up
with a code, and the staff page that gives and ends a pupil's login. Every read is audited."""

from allauth.account.internal.flows.login import record_authentication
from allauth.core.internal import ratelimit
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from children.forms.pupils import PupilMessageForm, PupilReflectionForm, PupilSignupForm
from children.models import FocusPoint, PlanVersion
from children.policies.pupils import get_pupil_account_or_404, get_pupil_login_child_or_404, pupil_plan_of
from children.selectors import pupils as selectors
from children.services import pupils as services
from portal.audit.models import AccessEvent
from portal.audit.services import access_record
from portal.forms import add_service_errors
from portal.todos import Todo


def _render_home(request, account, plan, *, reflection_form=None, message_form=None, status=200):
    from transitions.selectors.education import pupil_home_plan, pupil_todos

    page = selectors.pupil_page(account, plan)
    education_plan = pupil_home_plan(account.child_id)
    access_record(
        request=request,
        child=account.child,
        action=AccessEvent.Action.VIEW,
        subject="pupil_plan",
        object_id=page.version.pk if page.version else None,
        actor_role=services._pupil_label(),
    )
    todos = []
    if page.needs_reflection:
        todos.append(
            Todo(
                kind="pupil_reflection",
                title=_("Your plan is new. What do you think about your focus points?"),
                url=reverse("children:pupil_home") + "#focus-points",
                action=_("Write your thoughts"),
            )
        )
    todos += pupil_todos(education_plan)
    return render(
        request,
        "children/pupil_home.html",
        {
            "account": account,
            "child": account.child,
            "page": page,
            "education_plan": education_plan,
            "todos": todos,
            "reflection_form": reflection_form,
            "message_form": message_form or PupilMessageForm(),
        },
        status=status,
    )


@login_required
def pupil_home(request):
    """The pupil's start page: their published plan, their thoughts on it, their messages home."""
    account = get_pupil_account_or_404(request.user)
    return _render_home(request, account, pupil_plan_of(account))


def _published_focus_point(plan, pk):
    """A focus point of the plan's published version (the one the pupil reads), or None."""
    version = PlanVersion.objects.filter(plan=plan, number=plan.published_number).only("snapshot").first()
    published = {p["id"] for p in (version.snapshot.get("focus_points", []) if version else [])}
    if pk not in published:
        return None
    return FocusPoint.objects.filter(pk=pk, plan=plan).first()


@login_required
@require_POST
def pupil_reflection_create(request):
    account = get_pupil_account_or_404(request.user)
    plan = pupil_plan_of(account)
    if plan is None:
        raise Http404
    form = PupilReflectionForm(request.POST)
    if form.is_valid():
        point = _published_focus_point(plan, form.cleaned_data["focus_point"])
        if point is None:
            form.add_error("text", _("Choose one of the focus points in your plan."))
        else:
            try:
                services.pupil_reflection_add(
                    request=request,
                    account=account,
                    plan=plan,
                    focus_point=point,
                    text=form.cleaned_data["text"],
                )
            except ValidationError as e:
                add_service_errors(form, e)
            else:
                messages.success(
                    request, _("Thank you. Your teacher and your parents can read what you wrote.")
                )
                return redirect(reverse("children:pupil_home") + f"#focus-{point.pk}")
    return _render_home(request, account, plan, reflection_form=form)


@login_required
@require_POST
def pupil_message_create(request):
    account = get_pupil_account_or_404(request.user)
    plan = pupil_plan_of(account)
    if plan is None:
        raise Http404
    form = PupilMessageForm(request.POST)
    if form.is_valid():
        try:
            services.pupil_message_send(
                request=request, account=account, plan=plan, text=form.cleaned_data["text"]
            )
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, _("Your message is sent to your parents."))
            return redirect(reverse("children:pupil_home") + "#to-parents")
    return _render_home(request, account, plan, message_form=form)


@never_cache
@require_http_methods(["GET", "POST"])
def pupil_signup(request):
    """ "I'm a pupil": make your own login with the code from your teacher. The code is the credential, so
    whoever is signed in on this browser is signed out first."""
    form = PupilSignupForm(request.POST or None)
    if request.method == "POST":
        if not ratelimit.consume(request, app="allauth.account", action="pupil_code"):
            return ratelimit.respond_429(request)
        if form.is_valid():
            try:
                account = services.pupil_code_redeem(
                    code=form.cleaned_data["code"],
                    email=form.cleaned_data["email"],
                    password=form.cleaned_data["password1"],
                )
            except ValidationError as e:
                add_service_errors(form, e)
            else:
                if request.user.is_authenticated:
                    logout(request)
                user = account.user
                login(request, user, backend="allauth.account.auth_backends.AuthenticationBackend")
                record_authentication(request, user, method="password", email=user.email)
                access_record(
                    request=request,
                    child=account.child,
                    action=AccessEvent.Action.CREATE,
                    subject="pupil_account",
                    object_id=account.pk,
                    actor_role=services._pupil_label(),
                )
                messages.success(request, _("Welcome! This is your plan."))
                return redirect("children:pupil_home")
    return render(request, "children/pupil_signup.html", {"form": form})


def _render_login_page(request, child, enrollment, role_label, *, code=None):
    status = selectors.pupil_login_status(child)
    access_record(
        request=request,
        child=child,
        action=AccessEvent.Action.VIEW,
        subject="pupil_login",
        actor_role=role_label,
    )
    return render(
        request,
        "children/pupil_login.html",
        {
            "child": child,
            "enrollment": enrollment,
            "status": status,
            "code": code,
            "signup_url": settings.SITE_URL + reverse("children:pupil_signup"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def pupil_login(request, child_pk):
    """The pupil's login, for their teacher and the school's leader: whether the pupil has one, a new
    code (shown once, on the answer to the POST: only its hash is kept), and ending it."""
    child, enrollment, role_label = get_pupil_login_child_or_404(request.user, child_pk)
    code = None
    if request.method == "POST":
        code = services.pupil_code_create(request=request, child=child, actor_role=role_label)
    return _render_login_page(request, child, enrollment, role_label, code=code)


@login_required
@require_POST
def pupil_login_revoke(request, child_pk):
    child, _enrollment, role_label = get_pupil_login_child_or_404(request.user, child_pk)
    if services.pupil_login_revoke(request=request, child=child, actor_role=role_label):
        messages.success(request, _("%(name)s can no longer log in.") % {"name": child.first_name})
    else:
        messages.info(request, _("%(name)s has no login or code to end.") % {"name": child.first_name})
    return redirect("children:pupil_login", child_pk=child.pk)
