from datetime import timedelta

from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.roster.models import ImportRun
from portal.todos import LIMIT, Todo

# A checked import that waits longer than this is about an older roster: apply it or upload anew.
STALE = timedelta(days=7)


def import_todos(municipality) -> list[Todo]:
    """Imports checked but not applied, in the last month. One query."""
    runs = (
        ImportRun.objects.filter(
            municipality=municipality,
            status=ImportRun.Status.CHECKED,
            created_at__gte=timezone.now() - timedelta(days=30),
        )
        .order_by("created_at", "pk")
        .values("pk", "created_at")[:LIMIT]
    )
    return [
        Todo(
            kind="import",
            title=_("A roster import is checked and waits to be applied"),
            url=reverse_lazy("roster:import_detail", args=[run["pk"]]),
            action=_("Read the dry run"),
            deadline=timezone.localdate(run["created_at"] + STALE),
        )
        for run in runs
    ]
