from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from portal.audit.models import AccessEvent
from portal.audit.services import access_record, access_record_many
from portal.community import selectors, services
from portal.community.forms import NameSharingForm
from portal.community.policies import get_family_child_or_404
from portal.forms import add_service_errors


@login_required
@require_http_methods(["GET", "POST"])
def group_names(request, child_pk):
    """The children in my child's group: the first names their families chose to show, and for custody
    holders the choice on showing our own child's."""
    child, guardianship = get_family_child_or_404(request.user, child_pk)
    custody = guardianship.has_custody
    form = NameSharingForm(request.POST if request.method == "POST" else None) if custody else None
    if request.method == "POST":
        if form is None:
            raise Http404
        if form.is_valid():
            try:
                services.name_sharing_choose(
                    request=request, user=request.user, child=child, show_name=form.cleaned_data["show_name"]
                )
            except ValidationError as e:
                add_service_errors(form, e)
            else:
                messages.success(request, _("Thank you. Your answer is saved."))
                return redirect("community:group_names", child_pk=child.pk)
    choice = selectors.my_choice(child, request.user) if custody else None
    if form is not None and request.method == "GET" and choice is not None:
        form = NameSharingForm(initial={"show_name": "yes" if choice else "no"})
    groups = selectors.group_names(child)
    access_record(
        request=request,
        child=child,
        action=AccessEvent.Action.VIEW,
        subject="group_names_page",
        actor_role=_("Parent or guardian"),
    )
    access_record_many(
        request=request,
        children=[shown for group in groups for shown in group.names if shown.pk != child.pk],
        action=AccessEvent.Action.LIST,
        subject="group_names_seen",
        actor_role=_("Parent or guardian"),
    )
    return render(
        request,
        "community/group_names.html",
        {
            "child": child,
            "groups": groups,
            "form": form,
            "custody": custody,
            "my_choice": choice,
            # The child's own row in the group tells whether every custody holder said yes.
            "shown": any(shown.pk == child.pk for group in groups for shown in group.names),
        },
    )
