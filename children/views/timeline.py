"""The child's timeline: every source the reader may see, newest first, a page at a time."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from children.forms.timeline import TimelineDatesForm
from children.policies import get_child_for_user_or_404, viewer_role
from children.timeline import Reader
from children.timeline.selectors import Cursor, timeline_page
from portal.audit.models import AccessEvent
from portal.audit.services import access_record


@login_required
def child_timeline(request, pk):
    child = get_child_for_user_or_404(request.user, pk)
    guardianship, role_label = viewer_role(request.user, child)
    form = TimelineDatesForm(request.GET or None)
    since = until = None
    if form.is_bound and form.is_valid():
        since, until = form.cleaned_data["since"], form.cleaned_data["until"]
    cursor = Cursor.decode(request.GET.get("after"))
    page = timeline_page(
        Reader(user=request.user, child=child, guardianship=guardianship),
        cursor=cursor,
        since=since,
        until=until,
    )
    access_record(
        request=request,
        child=child,
        action=AccessEvent.Action.VIEW,
        subject="timeline",
        actor_role=role_label,
    )
    dates = {key: value.isoformat() for key, value in (("since", since), ("until", until)) if value}
    return render(
        request,
        "children/timeline.html",
        {
            "child": child,
            "guardianship": guardianship,
            "form": form,
            "page": page,
            "dates": dates,
            "continued": cursor is not None,
        },
    )
