from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.privacy.models import DataExport
from portal.todos import CHILD_FIELDS, LIMIT, ChildRef, Todo


def export_todos(user) -> list[Todo]:
    """Copies ready and not yet downloaded, until they are deleted. One query."""
    rows = (
        DataExport.objects.filter(
            requested_by=user, status=DataExport.Status.READY, downloads=0, expires_at__gt=timezone.now()
        )
        .order_by("expires_at", "pk")
        .values("expires_at", *CHILD_FIELDS)[:LIMIT]
    )
    return [
        Todo(
            kind="data_export",
            title=_("Download your copy of %(name)s's data") % {"name": row["child__first_name"]},
            url=reverse_lazy("privacy:export_list", args=[row["child_id"]]),
            action=_("Download"),
            deadline=row["expires_at"],
            child=ChildRef.of(row),
        )
        for row in rows
    ]
