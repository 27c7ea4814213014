"""The local canon of songs, stories and rhymes: the administrator's list, a group's marks, the family's
page and the receiving place's counts. The family's and the receiving place's readings of children's
data are in the access log."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from children.policies import id_or_404
from portal.audit.models import AccessEvent
from portal.audit.services import access_record, access_record_many
from portal.forms import add_service_errors
from portal.organisation.policies import get_admin_municipality_or_404
from transitions.forms_canon import (
    CanonItemEditForm,
    CanonItemForm,
    CanonMarkForm,
    CanonRetireForm,
    IncomingCanonForm,
)
from transitions.models import CanonItem
from transitions.policies.canon import (
    can_see_incoming_canon,
    get_canon_child_or_404,
    get_canon_group_or_404,
    get_canon_item_for_admin_or_404,
)
from transitions.selectors import canon as selectors
from transitions.services import canon as services


# --- the administrator ---------------------------------------------------------------------------------
@login_required
@require_GET
def canon_admin(request):
    """The municipality's canon, by kind, with how many groups use each item now."""
    municipality = get_admin_municipality_or_404(request.user)
    sections = selectors.by_kind(selectors.canon_admin_items(municipality))
    return render(
        request, "transitions/canon/admin.html", {"municipality": municipality, "sections": sections}
    )


@login_required
@require_http_methods(["GET", "POST"])
def canon_item_create(request):
    municipality = get_admin_municipality_or_404(request.user)
    form = CanonItemForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            item = services.canon_item_create(municipality=municipality, **form.cleaned_data)
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, _("%(title)s is added to the canon.") % {"title": item.title})
            return redirect(reverse("transitions:canon_admin") + f"#item-{item.pk}")
    return render(request, "transitions/canon/item_form.html", {"form": form, "item": None})


@login_required
@require_http_methods(["GET", "POST"])
def canon_item_edit(request, pk):
    item = get_canon_item_for_admin_or_404(request.user, pk)
    initial = {name: getattr(item, name) for name in (*services.ITEM_FIELDS, "position")}
    form = CanonItemEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.canon_item_update(item=item, **form.cleaned_data)
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, _("Saved."))
            return redirect(reverse("transitions:canon_admin") + f"#item-{item.pk}")
    return render(request, "transitions/canon/item_form.html", {"form": form, "item": item})


@login_required
@require_POST
def canon_item_retire(request, pk):
    item = get_canon_item_for_admin_or_404(request.user, pk)
    form = CanonRetireForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Nothing was changed. Try again from the list."))
        return redirect("transitions:canon_admin")
    services.canon_item_retire(item=item, retired=form.cleaned_data["retired"])
    if item.is_retired:
        messages.success(
            request,
            _("%(title)s is retired. Groups can no longer mark it; those who used it keep it.")
            % {"title": item.title},
        )
    else:
        messages.success(request, _("%(title)s is back in the canon.") % {"title": item.title})
    return redirect(reverse("transitions:canon_admin") + f"#item-{item.pk}")


# --- a group ---------------------------------------------------------------------------------------------
def _render_group(request, group, *, error_item=None, error_form=None, status=200):
    sections = selectors.group_canon(group)
    placed = False
    for section in sections:
        for row in section.items:
            if error_item == row.item.pk:
                row.form, placed = error_form, True
            elif not row.in_use and not row.item.is_retired:
                row.form = CanonMarkForm(item_pk=row.item.pk)
    return render(
        request,
        "transitions/canon/group.html",
        # An item no longer offered (retired meanwhile) has no row: its errors go on top.
        {"group": group, "sections": sections, "error_form": None if placed else error_form},
        status=status,
    )


@login_required
@require_GET
def group_canon(request, pk):
    """The songs, stories and rhymes the group uses, to mark and unmark."""
    group = get_canon_group_or_404(request.user, pk)
    return _render_group(request, group)


def _group_item_or_404(request, pk, item_pk):
    group = get_canon_group_or_404(request.user, pk)
    item = CanonItem.objects.filter(
        pk=id_or_404(item_pk), municipality_id=group.institution.municipality_id
    ).first()
    if item is None:
        raise Http404
    return group, item


def _group_url(group, item):
    return reverse("transitions:group_canon", args=[group.pk]) + f"#item-{item.pk}"


@login_required
@require_POST
def group_canon_mark(request, pk, item_pk):
    group, item = _group_item_or_404(request, pk, item_pk)
    form = CanonMarkForm(request.POST, item_pk=item.pk)
    if form.is_valid():
        try:
            services.canon_use_mark(group=group, item=item, user=request.user, **form.cleaned_data)
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(
                request,
                _("%(group)s uses %(title)s. The families can see it.")
                % {"group": group.name, "title": item.title},
            )
            return redirect(_group_url(group, item))
    return _render_group(request, group, error_item=item.pk, error_form=form)


@login_required
@require_POST
def group_canon_unmark(request, pk, item_pk):
    group, item = _group_item_or_404(request, pk, item_pk)
    services.canon_use_unmark(group=group, item=item)
    messages.success(
        request,
        _("%(group)s no longer uses %(title)s. The children who learnt it still have it on their page.")
        % {"group": group.name, "title": item.title},
    )
    return redirect(_group_url(group, item))


def relation_label(guardianship) -> str:
    """The guardian's relation for the access log, in the portal's main language."""
    with translation.override(settings.LANGUAGE_CODE):
        return str(guardianship.get_relation_display())


# --- the family -------------------------------------------------------------------------------------------
@login_required
@require_GET
def child_canon(request, child_pk):
    """The songs, stories and rhymes of the child's groups, now and earlier, to use at home too."""
    child, guardianship = get_canon_child_or_404(request.user, child_pk)
    sections = selectors.child_canon(child)
    access_record(
        request=request,
        child=child,
        action=AccessEvent.Action.VIEW,
        subject="canon",
        actor_role=relation_label(guardianship),
    )
    return render(request, "transitions/canon/child.html", {"child": child, "sections": sections})


# --- the receiving place ----------------------------------------------------------------------------------
@login_required
@require_GET
def incoming_canon(request):
    """Per item of the canon: how many of the children starting with us know it. No names."""
    if not can_see_incoming_canon(request.user):
        raise Http404
    groups = selectors.incoming_groups(request.user)
    form = IncomingCanonForm(request.GET or None, groups=groups)
    group_id = form.cleaned_data["group"] if form.is_bound and form.is_valid() else None
    children = selectors.incoming_canon_children(request.user, group_id=group_id)
    access_record_many(
        request=request,
        children=children,
        action=AccessEvent.Action.LIST,
        subject="canon_incoming",
        actor_role=_("Staff"),
    )
    sections = selectors.incoming_canon(request.user, group_id=group_id) if children else []
    return render(
        request,
        "transitions/canon/incoming.html",
        {"form": form, "groups": groups, "total": len(children), "sections": sections},
    )
