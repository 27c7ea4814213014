"""The municipal charter of shared responsibility: reading it, authoring it, and institution principles.

Who may do what is in ``expectations/policies/charter.py``; every write goes through
``expectations/services/charter.py``. Pages for versions that are no longer drafts show them read-only:
a form posted to them anyway changes nothing and says why.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from expectations.forms.charter import (
    CharterApproveForm,
    CharterInForceForm,
    CharterItemForm,
    CharterVersionCreateForm,
    CharterVersionForm,
    InstitutionPrinciplesForm,
)
from expectations.models import CharterVersion, Side
from expectations.policies.charter import (
    can_adopt_principles,
    charter_versions_visible_to,
    get_charter_item_for_admin_or_404,
    get_charter_version_for_admin_or_404,
    get_charter_version_for_user_or_404,
    get_institution_for_principles_leader_or_404,
    get_institution_for_principles_reader_or_404,
)
from expectations.selectors import charter as selectors
from expectations.services import charter as services
from portal.forms import add_service_errors
from portal.organisation.policies import get_admin_municipality_or_404, municipality_for_admin

Status = CharterVersion.Status


# --------------------------------------------------------------------------------------------------
# Reading
# --------------------------------------------------------------------------------------------------
@login_required
def charter(request):
    """The charter in force of each municipality the person belongs to (usually one)."""
    context = selectors.charter_page(request.user)
    context["is_admin"] = municipality_for_admin(request.user) is not None
    return render(request, "expectations/charter/charter.html", context)


@login_required
def charter_version_detail(request, pk):
    version = get_charter_version_for_user_or_404(request.user, pk)
    is_admin = municipality_for_admin(request.user) == version.municipality
    context = selectors.version_page(version)
    if not is_admin:
        context["other_versions"] = [
            v for v in context["other_versions"] if v.status in (Status.IN_FORCE, Status.RETIRED)
        ]
    is_draft = version.status == Status.DRAFT
    context.update(version=version, is_admin=is_admin, is_draft=is_draft, editable=is_admin and is_draft)
    return render(request, "expectations/charter/version_detail.html", context)


@login_required
def charter_version_diff(request, pk):
    """What changed between two versions; ``?against=<pk>`` picks the older one (default: the one before)."""
    version = get_charter_version_for_user_or_404(request.user, pk)
    candidates = list(
        charter_versions_visible_to(request.user)
        .filter(municipality_id=version.municipality_id)
        .exclude(pk=version.pk)
        .order_by("-number")
        .only("pk", "number", "title", "status")
    )
    against = next((v for v in candidates if str(v.pk) == request.GET.get("against", "")), None)
    if against is None:
        against = next((v for v in candidates if v.number < version.number), None) or next(
            iter(candidates), None
        )
    context = {"version": version, "against": against, "candidates": candidates}
    if against is not None:
        old, new = (against, version) if against.number < version.number else (version, against)
        context.update(selectors.diff_page(old, new), old=old, new=new)
    return render(request, "expectations/charter/version_diff.html", context)


# --------------------------------------------------------------------------------------------------
# Authoring (administrators of the municipality)
# --------------------------------------------------------------------------------------------------
@login_required
def charter_version_list(request):
    municipality = get_admin_municipality_or_404(request.user)
    versions = list(
        CharterVersion.objects.filter(municipality=municipality)
        .select_related("created_by")
        .order_by("-number")
    )
    return render(
        request,
        "expectations/charter/version_list.html",
        {"municipality": municipality, "versions": versions},
    )


@login_required
@require_http_methods(["GET", "POST"])
def charter_version_create(request):
    municipality = get_admin_municipality_or_404(request.user)
    in_force = CharterVersion.objects.in_force().filter(municipality=municipality).first()
    initial = {"title": in_force.title, "introduction": in_force.introduction} if in_force else {}
    form = CharterVersionCreateForm(request.POST or None, initial=initial, has_in_force=in_force is not None)
    if request.method == "POST" and form.is_valid():
        version = services.charter_version_create(
            municipality=municipality, user=request.user, **form.cleaned_data
        )
        messages.success(request, _("Draft version %(number)s is created.") % {"number": version.number})
        return redirect("expectations:charter_version_detail", pk=version.pk)
    return render(
        request, "expectations/charter/version_form.html", {"form": form, "version": None, "read_only": False}
    )


def _read_only(request, template, context):
    """The page of a form for a version that is no longer a draft: an explanation, no form."""
    messages.error(request, services.NOT_A_DRAFT)
    return render(request, template, {**context, "read_only": True})


def _save(request, form, service, **kwargs):
    """Call the service with the form's data; True if it succeeded, else its errors are on the form."""
    try:
        service(**kwargs, **form.cleaned_data)
    except ValidationError as e:
        add_service_errors(form, e)
        return False
    return True


@login_required
@require_http_methods(["GET", "POST"])
def charter_version_edit(request, pk):
    version = get_charter_version_for_admin_or_404(request.user, pk)
    template = "expectations/charter/version_form.html"
    if version.status != Status.DRAFT:
        return _read_only(request, template, {"version": version})
    form = CharterVersionForm(
        request.POST or None, initial={"title": version.title, "introduction": version.introduction}
    )
    if (
        request.method == "POST"
        and form.is_valid()
        and _save(request, form, services.charter_version_update, version=version)
    ):
        messages.success(request, _("The changes are saved."))
        return redirect("expectations:charter_version_detail", pk=version.pk)
    return render(request, template, {"form": form, "version": version, "read_only": False})


def _item_initial(item) -> dict:
    return {name: getattr(item, name) for name in services.ITEM_FIELDS}


@login_required
@require_http_methods(["GET", "POST"])
def charter_item_create(request, version_pk):
    version = get_charter_version_for_admin_or_404(request.user, version_pk)
    template = "expectations/charter/item_form.html"
    if version.status != Status.DRAFT:
        return _read_only(request, template, {"version": version, "item": None})
    side = request.GET.get("side")
    form = CharterItemForm(request.POST or None, initial={"side": side} if side in Side.values else {})
    if (
        request.method == "POST"
        and form.is_valid()
        and _save(request, form, services.charter_item_create, version=version)
    ):
        messages.success(request, _("The item is added."))
        return redirect("expectations:charter_version_detail", pk=version.pk)
    return render(request, template, {"form": form, "version": version, "item": None, "read_only": False})


@login_required
@require_http_methods(["GET", "POST"])
def charter_item_edit(request, version_pk, pk):
    version = get_charter_version_for_admin_or_404(request.user, version_pk)
    item = get_charter_item_for_admin_or_404(request.user, version, pk)
    template = "expectations/charter/item_form.html"
    if version.status != Status.DRAFT:
        return _read_only(request, template, {"version": version, "item": item})
    form = CharterItemForm(request.POST or None, initial=_item_initial(item))
    if (
        request.method == "POST"
        and form.is_valid()
        and _save(request, form, services.charter_item_update, item=item)
    ):
        messages.success(request, _("The item is saved."))
        return redirect("expectations:charter_version_detail", pk=version.pk)
    return render(request, template, {"form": form, "version": version, "item": item, "read_only": False})


@login_required
@require_POST
def charter_item_delete(request, version_pk, pk):
    version = get_charter_version_for_admin_or_404(request.user, version_pk)
    item = get_charter_item_for_admin_or_404(request.user, version, pk)
    try:
        services.charter_item_delete(item=item)
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    else:
        messages.success(request, _("“%(title)s” is removed.") % {"title": item.title})
    return redirect("expectations:charter_version_detail", pk=version.pk)


@login_required
@require_POST
def charter_item_move(request, version_pk, pk):
    version = get_charter_version_for_admin_or_404(request.user, version_pk)
    item = get_charter_item_for_admin_or_404(request.user, version, pk)
    try:
        services.charter_item_move(item=item, up=request.POST.get("direction") != "down")
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    return redirect(f"{reverse('expectations:charter_version_detail', args=[version.pk])}#item-{item.pk}")


@login_required
@require_http_methods(["GET", "POST"])
def charter_version_approve(request, pk):
    version = get_charter_version_for_admin_or_404(request.user, pk)
    template = "expectations/charter/version_action.html"
    context = {"version": version, "action": "approve"}
    if version.status != Status.DRAFT:
        return _read_only(request, template, context)
    form = CharterApproveForm(request.POST or None)
    if (
        request.method == "POST"
        and form.is_valid()
        and _save(request, form, services.charter_version_approve, version=version)
    ):
        messages.success(request, _("Version %(number)s is approved.") % {"number": version.number})
        return redirect("expectations:charter_version_detail", pk=version.pk)
    return render(request, template, {**context, "form": form, "read_only": False})


@login_required
@require_http_methods(["GET", "POST"])
def charter_version_put_in_force(request, pk):
    version = get_charter_version_for_admin_or_404(request.user, pk)
    template = "expectations/charter/version_action.html"
    context = {"version": version, "action": "in_force"}
    if version.status != Status.APPROVED:
        messages.error(request, _("Only an approved version can be put in force."))
        return render(request, template, {**context, "read_only": True})
    in_force = CharterVersion.objects.in_force().filter(municipality_id=version.municipality_id).first()
    form = CharterInForceForm(request.POST or None)
    if (
        request.method == "POST"
        and form.is_valid()
        and _save(request, form, services.charter_version_put_in_force, version=version)
    ):
        messages.success(request, _("Version %(number)s is now in force.") % {"number": version.number})
        return redirect("expectations:charter_version_detail", pk=version.pk)
    return render(request, template, {**context, "form": form, "in_force": in_force, "read_only": False})


# --------------------------------------------------------------------------------------------------
# Institution principles
# --------------------------------------------------------------------------------------------------
@login_required
def principles_detail(request, institution_pk):
    institution = get_institution_for_principles_reader_or_404(request.user, institution_pk)
    context = selectors.principles_page(institution)
    context.update(institution=institution, can_adopt=can_adopt_principles(request.user, institution))
    return render(request, "expectations/charter/principles_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def principles_create(request, institution_pk):
    institution = get_institution_for_principles_leader_or_404(request.user, institution_pk)
    form = InstitutionPrinciplesForm(request.POST or None)
    if (
        request.method == "POST"
        and form.is_valid()
        and _save(
            request, form, services.institution_principles_adopt, institution=institution, user=request.user
        )
    ):
        messages.success(
            request, _("The principles are saved. The institution's parents and staff can read them now.")
        )
        return redirect("expectations:principles_detail", institution_pk=institution.pk)
    return render(
        request, "expectations/charter/principles_form.html", {"form": form, "institution": institution}
    )
